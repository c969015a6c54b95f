"""``linkgraph report`` run for real: from files, from a store, with its default folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.cli.report import default_out
from linkgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-arms.json"


def test_help_names_every_option() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--out", "--check", "--svg", "--base", "--all-links"):
        assert option in result.output


def test_default_folder_names() -> None:
    assert default_out(["examples/ukraine-arms.json"], None) == Path("reports/ukraine-arms")
    assert default_out(["saved/page.html.gz"], None) == Path("reports/page")
    assert default_out(["exports/"], None) == Path("reports/exports")
    assert default_out(["a.json", "b.json"], None) == Path("reports/corpus")
    assert default_out([], "news.db") == Path("reports/news")


def test_report_of_the_example(tmp_path: Path) -> None:
    out = tmp_path / "example"
    result = CliRunner().invoke(main, ["report", str(EXAMPLE), "--out", str(out), "--svg"])
    assert result.exit_code == 0, result.output
    assert "index.html" in result.output and "graph.png" in result.output
    assert "1 article(s)" in result.output
    names = {p.name for p in out.iterdir()}
    assert {"index.html", "graph.png", "graph.svg", "top_sources.png", "top_sources.svg",
            "report.md", "report.json"} <= names
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert ("svg", "true") in [tuple(o) for o in data["meta"]["options"]]
    assert data["meta"]["inputs"] == [str(EXAMPLE)]


def test_report_from_a_store_and_unreadable_inputs(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(EXAMPLE), "--db", str(db)]).exit_code == 0
    with Store(db) as store:
        assert store.counts()["articles"] == 1
    out = tmp_path / "from-db"
    result = runner.invoke(main, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["headline"]["articles"] == 1 and data["outlets"]
    broken = tmp_path / "broken.json"
    broken.write_text("this is not JSON at all", encoding="utf-8")
    result = runner.invoke(main, ["report", str(EXAMPLE), str(broken), "--out", str(out)])
    assert result.exit_code == 4  # some inputs unreadable; the report is still written
    assert "broken.json" in result.output
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["headline"][
        "articles"] == 1


def test_report_of_the_seed_leads_with_its_lost_links(corpus: Path, tmp_path: Path) -> None:
    seed = corpus / "seed" / "koreapro-2200266.json"
    out = tmp_path / "seed"
    result = CliRunner().invoke(main, ["report", str(seed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text(encoding="utf-8")
    lead = report[report.index("## Citations in order"):report.index("## Problems")]
    for word in ("urged", "made", "citing", "adding", "offering", "Gallup Korea",
                 "Foreign Trade Act", "Furthermore"):
        assert f"| {word} |" in lead


def test_needs_inputs_or_a_store() -> None:
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2
    assert "INPUT" in result.output


@pytest.mark.parametrize("flag", ["--check"])
def test_check_flag_is_wired(flag: str) -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert flag in result.output and "network" in result.output
