"""``linkgraph -q`` shows errors only (issue 15 item 8): every warning and note a command
prints goes through the one verbosity setting, per-input warnings and report notes included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-arms.json"
DAMAGED = REPO / "examples" / "ukraine-arms-damaged.json"


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    """The example twice (a repeat: the report's note) and a post with a warning."""
    copy = tmp_path / "copy.json"
    shutil.copy(EXAMPLE, copy)
    assert DAMAGED.is_file()
    return [str(EXAMPLE), str(copy), str(DAMAGED)]


def _stderr(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stderr


def test_warnings_and_notes_by_default(inputs: list[str], tmp_path: Path) -> None:
    assert "warning: " in _stderr("extract", *inputs, "-j", "1")
    report = _stderr("report", *inputs, "--out", str(tmp_path / "r"), "-j", "1")
    assert "warning: " in report
    assert "note: " in report and "is the same article as" in report


def test_quiet_is_quiet(inputs: list[str], tmp_path: Path) -> None:
    assert _stderr("-q", "extract", *inputs, "-j", "1") == ""
    assert _stderr("-q", "report", *inputs, "--out", str(tmp_path / "r"), "-j", "1") == ""
    assert _stderr("-q", "ingest", *inputs, "--db", str(tmp_path / "news.db"), "-j", "1") == ""
    assert _stderr("-q", "graph", *inputs, "--export", str(tmp_path / "g.gexf"), "-j", "1") == ""


def test_quiet_still_shows_errors(inputs: list[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    result = CliRunner().invoke(main, ["-q", "extract", missing, *inputs, "-j", "1"])
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [f"error: {missing}: no such file"]


def test_quiet_corpus_folder() -> None:
    corpus = REPO.parent / "shared" / "corpus" / "readability"
    if not corpus.is_dir():
        pytest.skip("the shared corpus is not here")
    loud = CliRunner().invoke(main, ["extract", str(corpus), "-j", "1"])
    assert loud.stderr.count("warning: ") > 10
    quiet = CliRunner().invoke(main, ["-q", "extract", str(corpus), "-j", "1"])
    assert quiet.exit_code == loud.exit_code
    assert quiet.stderr == ""
    assert quiet.stdout == loud.stdout
