"""The command line, run for real: every command has help, extract and ingest work end to end."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import COMMANDS, main
from linkgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = str(REPO / "examples" / "ukraine-arms.json")
DAMAGED = str(REPO / "examples" / "ukraine-arms-damaged.json")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = main.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None
    assert command.help and len(command.help) > 40, f"{name} needs a real help text"


def test_top_level_help_lists_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_extract_jsonl_has_the_stable_fields() -> None:
    result = CliRunner().invoke(main, ["extract", EXAMPLE, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows, "the example has citations"
    for key in ("origin", "article_url", "href", "url", "kind", "text", "context", "domain",
                "paragraph", "position"):
        assert key in rows[0]
    domains = {r["domain"] for r in rows if r["kind"] == "external"}
    assert {"ukrinform.net", "gallup.co.kr", "law.go.kr"} <= domains
    assert any(r["kind"] == "internal" for r in rows)
    assert [r["position"] for r in rows] == list(range(len(rows)))


def test_extract_csv_and_table() -> None:
    result = CliRunner().invoke(main, ["extract", EXAMPLE, "--format", "csv", "-j", "1"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["origin"].endswith("ukraine-arms.json")
    table = CliRunner().invoke(main, ["extract", EXAMPLE, "--format", "table", "-j", "1"])
    assert table.exit_code == 0
    assert "ukrinform.net" in table.stdout


def test_extract_damaged_example_finds_lost_links_and_warns() -> None:
    result = CliRunner().invoke(main, ["extract", DAMAGED, "-j", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    lost = [r["text"] for r in rows if r["kind"] == "lost"]
    assert lost == [
        "asked", "made a similar appeal", "citing", "added", "Gallup Korea", "Foreign Trade Act"
    ]
    assert "truncated" in result.stderr


def test_bad_input_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("this is not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(bad), EXAMPLE, "-j", "1"])
    assert result.exit_code == 4
    assert "broken.json" in result.stderr
    assert "ukrinform.net" in result.stdout


def test_ingest_twice_does_not_duplicate(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    for _ in range(2):
        result = CliRunner().invoke(main, ["ingest", EXAMPLE, "--db", str(db), "-j", "1"])
        assert result.exit_code == 0, result.output
    with Store(db) as store:
        counts = store.counts()
        (extraction,) = list(store.extractions())
    assert counts["articles"] == 1
    assert counts["citations"] == len(extraction.citations) > 0
    # The damaged copy is the same post (same id): ingesting it replaces the article.
    result = CliRunner().invoke(main, ["ingest", DAMAGED, "--db", str(db), "-j", "1"])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.counts()["articles"] == 1
        (extraction,) = list(store.extractions())
    assert "truncated" in " ".join(extraction.article.warnings)


def test_ingest_with_process_pool_keeps_order(tmp_path: Path) -> None:
    serial = CliRunner().invoke(main, ["extract", EXAMPLE, DAMAGED, "-j", "1"])
    pooled = CliRunner().invoke(main, ["extract", EXAMPLE, DAMAGED, "-j", "2"])
    assert serial.exit_code == pooled.exit_code == 0
    assert serial.stdout == pooled.stdout


def test_top_level_shim_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "--version"],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO,
    )
    assert result.returncode == 0
    assert "linkgraph" in result.stdout


def test_reading_commands_never_create_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    for name in ("report", "graph", "check"):
        args = [name, "--db", str(missing)]
        if name == "graph":
            args += ["--export", str(tmp_path / "g.gexf")]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (name, result.output)
        assert "does not exist" in result.output
    assert not missing.exists()


def test_report_with_no_readable_input_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(tmp_path / "nope.json"), "--out", str(out)])
    assert result.exit_code == 4
    assert "nope.json: no such file" in result.stderr
    assert "nope.json: nope.json" not in result.stderr  # the origin is named once
    assert not out.exists()


def test_report_counts_each_problem_and_citation_once(tmp_path: Path) -> None:
    """Gallup Korea and Ukrinform were both a lost link and an "attribution without a link"
    (9 problems), and the console said 7 citations where the headline said 6."""
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["report", DAMAGED, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    head = data["headline"]
    assert data["problem_counts"] == {"lost": head["lost"], "unlinked_attribution": 1}
    assert head["problems"] == head["lost"] + 1
    (attribution,) = [p for p in data["problems"] if p["kind"] == "unlinked_attribution"]
    assert attribution["text"] == "Yonhap"
    assert f"{head['citations']} citation(s) (links, lost ones included)" in result.output
    assert len(data["citations"]) == head["citations"] + 1  # + Yonhap's unlinked attribution
