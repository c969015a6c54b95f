"""What the INPUT arguments hold, said before anything is read or written (issue 15 items 7
and 9): an empty folder or a folder of notes is an error that names what was skipped, creates
no store and writes no graph; a web address is not "no such file"; ``-`` is standard input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.cli.common import ExitCode
from linkgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-arms.json"


def _runs(tmp_path: Path, inputs: list[str]) -> dict[str, list[str]]:
    """Each reading command on *inputs*, with every output it could write under tmp_path."""
    return {
        "extract": ["extract", *inputs, "-j", "1"],
        "explain": ["extract", *inputs, "--explain"],
        "ingest": ["ingest", *inputs, "--db", str(tmp_path / "news.db"), "-j", "1"],
        "graph": ["graph", *inputs, "--export", str(tmp_path / "graph.gexf"), "-j", "1"],
        "check": ["check", *inputs, "--db", str(tmp_path / "checks.db"), "--no-archive"],
        "report": ["report", *inputs, "--out", str(tmp_path / "report"), "-j", "1"],
    }


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("not an article")
    (folder / ".hidden.json").write_text("{}")  # hidden: not counted
    return folder


@pytest.mark.parametrize("command", ["extract", "explain", "ingest", "graph", "check", "report"])
def test_folder_without_inputs_says_what_it_skipped(
    tmp_path: Path, notes: Path, command: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, _runs(out, [str(notes)])[command])
    assert result.exit_code == ExitCode.INPUT_ERRORS, result.output
    assert f"{notes}: folder holds no input files: 1 file skipped (.txt is not an input " \
           "format" in result.output
    assert "nothing read, nothing written" in result.output
    assert list(out.iterdir()) == []  # no store, no graph, no report folder


@pytest.mark.parametrize("command", ["extract", "ingest", "graph", "check", "report"])
def test_empty_folder_is_an_error(tmp_path: Path, command: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, _runs(out, [str(empty)])[command])
    assert result.exit_code == ExitCode.INPUT_ERRORS, result.output
    assert f"{empty}: folder holds no input files: it is empty" in result.output
    assert list(out.iterdir()) == []


def test_an_empty_folder_beside_inputs_is_one_failure(tmp_path: Path, notes: Path) -> None:
    db = tmp_path / "news.db"
    result = CliRunner().invoke(main, ["ingest", str(notes), str(EXAMPLE), "--db", str(db),
                                       "-j", "1"])
    assert result.exit_code == ExitCode.INPUT_ERRORS
    assert "stored 1 article(s)" in result.output
    with Store(db) as store:
        assert store.counts()["read_failures"] == 1


# `report` is not here: it collects a web address first (report SITE, tests/test_collect_cli.py).
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_web_address_is_not_a_missing_file(tmp_path: Path, command: str) -> None:
    url = "https://news.example/2024/05/story/"
    result = CliRunner().invoke(main, _runs(tmp_path, [url])[command])
    assert result.exit_code == ExitCode.INPUT_ERRORS
    assert f"{url}: a web address, not a file or folder" in result.output
    assert "no such file" not in result.output
    assert not (tmp_path / "news.db").exists()


def test_a_web_address_beside_a_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", "www.news.example/a", str(EXAMPLE), "-j", "1"])
    assert result.exit_code == ExitCode.INPUT_ERRORS
    assert "www.news.example/a: a web address" in result.output
    assert '"origin":' in result.output  # the file was read


def _example_post() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_dash_reads_standard_input(jobs: str) -> None:
    piped = CliRunner().invoke(main, ["extract", "-", "-j", jobs], input=_example_post())
    from_file = CliRunner().invoke(main, ["extract", str(EXAMPLE), "-j", jobs])
    assert piped.exit_code == 0, piped.output
    rows = [json.loads(line) for line in piped.output.splitlines()]
    expected = [json.loads(line) for line in from_file.output.splitlines()]
    assert rows and {r["origin"] for r in rows} == {"stdin"}
    assert [{**r, "origin": ""} for r in rows] == [{**r, "origin": ""} for r in expected]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_dash_reads_standard_input_with_the_same_options(jobs: str) -> None:
    """--no-infer holds for standard input whatever --jobs: with -j 2 it is read in the
    parent process, which inferred the sources of the damaged post's lost links anyway."""
    damaged = EXAMPLE.with_name("ukraine-arms-damaged.json")
    rows = {}
    for infer in ([], ["--no-infer"]):
        piped = CliRunner().invoke(main, ["-q", "extract", "-", "-j", jobs, *infer],
                                   input=damaged.read_text(encoding="utf-8"))
        assert piped.exit_code == 0, piped.output
        rows[bool(infer)] = [json.loads(line) for line in piped.output.splitlines()]
    kinds = {flag: [r["provenance_kind"] for r in found] for flag, found in rows.items()}
    assert kinds[False].count("inferred") == 4
    assert "inferred" not in kinds[True] and kinds[True]


def test_dash_html_page_and_ingest_and_report(tmp_path: Path) -> None:
    page = ("<html><head><title>T</title></head><body><article><p>The ministry said so in "
            '<a href="https://www.reuters.com/world/x">a statement</a> on Monday, and the '
            "rest of this paragraph is long enough to be the body of an article.</p>"
            "</article></body></html>")
    extracted = CliRunner().invoke(main, ["extract", "-", "--base", "https://news.example/a"],
                                   input=page)
    assert extracted.exit_code == 0, extracted.output
    assert json.loads(extracted.output.splitlines()[0])["domain"] == "reuters.com"
    db = tmp_path / "news.db"
    ingested = CliRunner().invoke(main, ["ingest", "-", "--db", str(db)], input=_example_post())
    assert ingested.exit_code == 0, ingested.output
    with Store(db) as store:
        assert store.counts()["articles"] == 1
    reported = CliRunner().invoke(main, ["report", "-", "--out", str(tmp_path / "r")],
                                  input=_example_post())
    assert reported.exit_code == 0, reported.output
    assert (tmp_path / "r" / "report.json").is_file()


def test_empty_standard_input_is_a_read_failure() -> None:
    result = CliRunner().invoke(main, ["extract", "-"], input="")
    assert result.exit_code == ExitCode.INPUT_ERRORS
    assert "stdin: empty file" in result.output


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("reprot", "report"), ("extarct", "extract"), ("chek", "check"), ("grpah", "graph"),
     ("ingset", "ingest"), ("REPORT", "report")],
)
def test_a_mistyped_command_gets_a_suggestion(typed: str, meant: str) -> None:
    result = CliRunner().invoke(main, [typed])
    assert result.exit_code == ExitCode.USAGE
    # click lists every close match ("'report' or 'repair'"): the meant one comes first.
    assert f"No such command {typed!r}. Did you mean {meant!r}" in result.output


def test_an_unknown_command_gets_no_wild_guess() -> None:
    result = CliRunner().invoke(main, ["xyz"])
    assert result.exit_code == ExitCode.USAGE
    assert "No such command 'xyz'." in result.output
    assert "Did you mean" not in result.output
