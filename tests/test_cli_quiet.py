"""``linkgraph -q`` shows errors only (issue 15 item 8): every warning and note a command
prints goes through the one verbosity setting, per-input warnings and report notes included."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from checkserver import CheckServer
from click.testing import CliRunner
from wpserver import CORPUS, FakeWordPress, corpus_posts

import linkgraph.cli.check as check_cli
from linkgraph.check import StaticResolver
from linkgraph.cli import common, main

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


def test_quiet_silences_summaries_too(inputs: list[str], tmp_path: Path) -> None:
    """Under -q the summaries ('stored ...', 'wrote ...', the report's table) go too; the
    output a command is asked for (extract's rows) stays."""
    db = tmp_path / "news.db"
    for args in (
        ("ingest", *inputs, "--db", str(db)),
        ("graph", *inputs, "--export", str(tmp_path / "g.gexf")),
        ("report", *inputs, "--out", str(tmp_path / "r")),
        ("report", "--db", str(db), "--streamed", "--out", str(tmp_path / "s")),
        ("graph", "--db", str(db), "--export", str(tmp_path / "s.csv")),
    ):
        loud = CliRunner().invoke(main, loud_args(args))
        quiet = CliRunner().invoke(main, ["-q", *loud_args(args)])
        assert loud.exit_code == quiet.exit_code == 0, (args, quiet.output)
        assert loud.stdout or loud.stderr, args
        assert quiet.stdout == "" and quiet.stderr == "", args
    parquet = CliRunner().invoke(main, ["-q", "export", "--db", str(db), "--parquet",
                                        str(tmp_path / "pq")])
    assert parquet.exit_code == 0 and parquet.output == ""
    rows = CliRunner().invoke(main, ["-q", "extract", str(EXAMPLE), "-j", "1"])
    assert rows.exit_code == 0 and rows.stdout.count("\n") > 5 and rows.stderr == ""


def loud_args(args: tuple[str, ...]) -> list[str]:
    return [*args, "-j", "1"] if "--db" not in args[:2] else list(args)


@pytest.fixture
def check_server() -> Iterator[CheckServer]:
    with CheckServer(("127.0.0.2",)) as srv:
        yield srv


def test_quiet_check_prints_no_progress(tmp_path: Path, check_server: CheckServer,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_cli, "RESOLVER_HOOK", StaticResolver({"agency.test": ["127.0.0.2"]}))
    body = "".join(f'<p>Claim {i} <a href="{check_server.url("agency.test", f"/article/{i}")}">'
                   f"source {i}</a>.</p>" for i in range(3))
    post = tmp_path / "post.json"
    post.write_text(json.dumps({"id": 1, "link": "https://news.example/a",
                                "date_gmt": "2024-03-01T10:00:00", "title": {"rendered": "A"},
                                "content": {"rendered": body}}), encoding="utf-8")
    args = ["check", str(post), "--allow", "127.0.0.0/8", "--interval", "0", "--no-archive",
            "--format", "json", "-o", str(tmp_path / "out.json")]
    loud = CliRunner().invoke(main, args)
    assert loud.exit_code == 0, loud.output
    assert "checked 3 of 3 links" in loud.stderr
    quiet = CliRunner().invoke(main, ["-q", *args])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == "" and quiet.stdout == ""
    assert len(json.loads((tmp_path / "out.json").read_text())["results"]) == 3


def test_quiet_collect_and_its_last_progress_line(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/wp is absent")
    with FakeWordPress(corpus_posts()[:3]) as site:
        listing = tmp_path / "urls.txt"
        listing.write_text("".join(site.page_url(p) + "\n" for p in site.posts[:2]),
                           encoding="utf-8")
        args = ["collect", "-i", str(listing), "--allow", "127.0.0.1", "--interval", "0"]
        loud = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "a.db")])
        quiet = CliRunner().invoke(main, ["-q", *args, "--db", str(tmp_path / "b.db")])
    assert loud.exit_code == quiet.exit_code == 0, loud.output
    assert quiet.stderr == "" and quiet.stdout == ""
    # The last progress line gives the final figures, those of the summary.
    last = [line for line in loud.stderr.splitlines() if line.startswith("collect: ")][-1]
    summary = re.search(r"collected (\d+) article\(s\) from 1 source\(s\) with (\d+) request",
                        loud.stdout)
    assert summary is not None, loud.stdout
    assert f": {summary[1]}" in last and f" {summary[2]} request(s)" in last, (last, summary[0])


def test_quiet_repair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No name resolves: nothing is asked of the network (the example is not damaged anyway).
    monkeypatch.setattr(common, "RESOLVER_HOOK", StaticResolver({}))
    args = ["repair", str(EXAMPLE), "--no-archive"]
    loud = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "a")])
    quiet = CliRunner().invoke(main, ["-q", *args, "--out", str(tmp_path / "b")])
    assert loud.exit_code == quiet.exit_code == 0, loud.output
    assert "wrote " in loud.stdout and "article(s) written to" in loud.stderr
    assert quiet.stdout == "" and quiet.stderr == ""
    assert len(list((tmp_path / "b").iterdir())) == 1
