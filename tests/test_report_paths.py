"""Options a report's way cannot honour are never dropped without a word (issue 13): a usage
error when asked for together, a note when the way was chosen for the user; options the
streamed way can honour (--no-infer) are honoured; a bad LINKGRAPH_STREAM_ABOVE is warned
about; the --full estimate reads in MB for small stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linkgraph.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = str(REPO / "examples" / "ukraine-arms.json")
DAMAGED = str(REPO / "examples" / "ukraine-arms-damaged.json")
# A scheduler nobody listens on: any attempt to reach it fails loudly, never silently.
NOWHERE = "tcp://127.0.0.1:9"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, list(args))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "sub.db"
    result = run("ingest", EXAMPLE, DAMAGED, "--db", str(db), "-j", "1")
    assert result.exit_code == 0, result.output
    return db


def test_scheduler_with_a_store_is_a_usage_error(store: Path, tmp_path: Path) -> None:
    result = run("report", "--db", str(store), "--scheduler", NOWHERE, "--out",
                 str(tmp_path / "r"))
    assert result.exit_code == 2
    assert "only INPUT files are reported on a cluster" in result.stderr
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("option", ["--check", "--svg", "--recover"])
def test_scheduler_with_an_option_it_cannot_honour(option: str, tmp_path: Path) -> None:
    result = run("report", EXAMPLE, "--scheduler", NOWHERE, option, "--out", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert f"the cluster report cannot honour {option}" in result.stderr


def test_scheduler_from_the_environment_is_noted_then_runs_here(store: Path,
                                                                tmp_path: Path) -> None:
    env = {"LINKGRAPH_SCHEDULER": NOWHERE}
    result = run("report", "--db", str(store), "--out", str(tmp_path / "r"), env=env)
    assert result.exit_code == 0, result.output
    assert "note: LINKGRAPH_SCHEDULER is set, but only INPUT files" in result.stderr
    assert (tmp_path / "r" / "index.html").is_file()
    svg = run("report", EXAMPLE, "--svg", "--out", str(tmp_path / "s"), "-j", "1", env=env)
    assert svg.exit_code == 0, svg.output
    assert "cannot honour --svg" in svg.stderr
    assert (tmp_path / "s" / "top_sources.svg").is_file()


def test_streamed_with_input_files_is_a_usage_error(tmp_path: Path) -> None:
    result = run("report", EXAMPLE, "--streamed", "--out", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert "--streamed streams over a store: ingest the INPUT files first" in result.stderr
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("option", ["--check", "--svg", "--recover"])
def test_streamed_with_an_option_it_cannot_honour(option: str, store: Path,
                                                  tmp_path: Path) -> None:
    result = run("report", "--db", str(store), "--streamed", option, "--out",
                 str(tmp_path / "r"))
    assert result.exit_code == 2
    assert f"--streamed cannot honour {option}" in result.stderr


def test_streamed_by_itself_notes_what_it_leaves_out(store: Path, tmp_path: Path) -> None:
    env = {"LINKGRAPH_STREAM_ABOVE": "0"}
    result = run("report", "--db", str(store), "--svg", "--out", str(tmp_path / "r"), env=env)
    assert result.exit_code == 0, result.output
    assert "so --svg does nothing" in result.stderr
    assert json.loads((tmp_path / "r" / "report.json").read_text())["streamed"] is True


def test_streamed_report_honours_no_infer(store: Path, tmp_path: Path) -> None:
    def inferred(*extra: str) -> int:
        out = tmp_path / ("r" + "".join(extra))
        result = run("report", "--db", str(store), "--streamed", "--count-inferred", *extra,
                     "--out", str(out))
        assert result.exit_code == 0, result.output
        summary = json.loads((out / "report.json").read_text())["summary"]
        return int(summary["inferred"])

    assert inferred() > 0  # the damaged example has inferred sources
    assert inferred("--no-infer") == 0


def test_a_bad_stream_threshold_is_warned_about(store: Path, tmp_path: Path) -> None:
    env = {"LINKGRAPH_STREAM_ABOVE": "lots"}
    result = run("report", "--db", str(store), "--out", str(tmp_path / "r"), env=env)
    assert result.exit_code == 0, result.output
    assert "warning: LINKGRAPH_STREAM_ABOVE='lots' is not a number of articles" in result.stderr
    assert (tmp_path / "r" / "index.html").is_file()  # 2 articles: not streamed


def test_full_estimate_of_a_small_store_in_mb(store: Path, tmp_path: Path) -> None:
    env = {"LINKGRAPH_STREAM_ABOVE": "0"}
    result = run("graph", "--db", str(store), "--export", str(tmp_path / "g.gexf"), env=env)
    assert result.exit_code == 0, result.output
    assert "--full (about 1 MB of memory)" in result.output
    assert "0.0 GB" not in result.output
