"""Report folders never replace each other's reports silently (issue 15 item 10).

Two WordPress exports both named ``posts.json`` used to write ``reports/posts`` both, the
second replacing the first without a word.  The default folder now carries the site, and a
folder keeps a marker of the inputs that made it: another report never lands in it unsaid.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.workflow.folders import MARKER, default_out


def _export(path: Path, site: str, ids: list[int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    posts = [
        {"id": i, "link": f"https://{site}/{i}/", "title": {"rendered": f"Post {i}"},
         "date_gmt": "2024-03-01T10:00:00",
         "content": {"rendered": f"<p>As <a href='https://www.reuters.com/{i}'>Reuters</a>"
                                 " reported on Monday.</p>"}}
        for i in ids
    ]
    path.write_text(json.dumps(posts), encoding="utf-8")
    return path


def _articles(folder: Path) -> list[str]:
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return sorted(a["url"] for a in data["articles"])


def test_default_folder_names_carry_the_site() -> None:
    assert default_out(["a/posts.json"], None, site="example.org") == Path(
        "reports/example.org-posts"
    )
    # The name already holds the site: not twice.
    assert default_out(["example.org-posts.json"], None, site="example.org") == Path(
        "reports/example.org-posts"
    )
    assert default_out(["-"], None) == Path("reports/stdin")
    assert default_out(["a.json", "b.json"], None, site="example.org") == Path(
        "reports/example.org-corpus"
    )


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *args, "-j", "1"])
    return result.exit_code, result.stdout, result.stderr


def test_two_sites_posts_json_get_two_folders(work: Path) -> None:
    one = _export(work / "one" / "posts.json", "one.example", [1, 2])
    two = _export(work / "two" / "posts.json", "two.example", [3])
    assert _run(str(one))[0] == 0
    assert _run(str(two))[0] == 0
    assert _articles(work / "reports" / "one.example-posts") == [
        "https://one.example/1/", "https://one.example/2/"
    ]
    assert _articles(work / "reports" / "two.example-posts") == ["https://two.example/3/"]


def test_same_site_other_inputs_move_on_and_say_so(work: Path) -> None:
    first = _export(work / "may" / "posts.json", "one.example", [1, 2])
    second = _export(work / "june" / "posts.json", "one.example", [3])
    assert _run(str(first))[0] == 0
    code, out, err = _run(str(second))
    assert code == 0
    folder = work / "reports" / "one.example-posts"
    assert "holds the report of other inputs" in err
    assert "reports/one.example-posts-2" in out
    assert _articles(folder) == ["https://one.example/1/", "https://one.example/2/"]
    assert _articles(work / "reports" / "one.example-posts-2") == ["https://one.example/3/"]
    # The same inputs again replace their own report, without a word about it.
    code, out, err = _run(str(first))
    assert code == 0 and "other inputs" not in err
    assert "reports/one.example-posts/" in out
    assert (folder / MARKER).is_file()


def test_out_named_folder_is_replaced_with_a_note(work: Path) -> None:
    first = _export(work / "a" / "posts.json", "one.example", [1])
    second = _export(work / "b" / "posts.json", "two.example", [2])
    out = work / "mine"
    assert _run(str(first), "--out", str(out))[0] == 0
    code, _, err = _run(str(second), "--out", str(out))
    assert code == 0
    assert f"{out} held the report of other inputs; it is replaced" in err
    assert _articles(out) == ["https://two.example/2/"]


# -- every file of a report folder belongs to one run (issue 15 item 10) ------------------


def _quietly(*args: str) -> None:
    result = CliRunner().invoke(main, ["-q", *args])
    assert result.exit_code == 0, result.output


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _siblings(folder: Path) -> set[str]:
    """Leftovers of staging beside *folder*."""
    return {p.name for p in folder.parent.iterdir() if "linkgraph-" in p.name}


def test_a_streamed_report_replaces_the_full_one_whole(tmp_path: Path) -> None:
    db, out = tmp_path / "z.db", tmp_path / "rz"
    _quietly("ingest", str(_export(tmp_path / "a.json", "a.example", [1, 2])), "--db", str(db))
    _quietly("report", "--db", str(db), "--out", str(out))
    assert "index.html" in _names(out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # the user's own file
    more = _export(tmp_path / "b.json", "a.example", list(range(3, 13)))
    _quietly("ingest", str(more), "--db", str(db))
    _quietly("report", "--db", str(db), "--streamed", "--out", str(out))
    assert _names(out) == {"report.json", "report.md", "article_stats.jsonl", "edges.csv",
                           "edges.parquet", "findings.jsonl", MARKER, "notes.txt"}
    assert json.loads((out / "report.json").read_text())["summary"]["articles"] == 12
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert _siblings(out) == set()


def test_a_full_report_leaves_no_streamed_files_behind(tmp_path: Path) -> None:
    db, out = tmp_path / "z.db", tmp_path / "rz"
    _quietly("ingest", str(_export(tmp_path / "a.json", "a.example", [1, 2])), "--db", str(db))
    _quietly("report", "--db", str(db), "--streamed", "--out", str(out))
    assert "edges.csv" in _names(out)
    other = _export(tmp_path / "rl.json", "b.example", [7])
    result = CliRunner().invoke(main, ["report", str(other), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "held the report of other inputs; it is replaced" in result.stderr
    names = _names(out)
    assert {"index.html", "report.json", MARKER} <= names
    assert not names & {"article_stats.jsonl", "edges.csv", "edges.parquet", "findings.jsonl"}
    assert json.loads((out / "report.json").read_text())["summary"]["articles"] == 1
    assert _siblings(out) == set()


def test_a_failed_write_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linkgraph.workflow.report as report_flow  # noqa: PLC0415 - the seam to break

    source = _export(tmp_path / "a.json", "a.example", [1, 2])
    out = tmp_path / "r"
    _quietly("report", str(source), "--out", str(out), "-j", "1")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = report_flow.write_report

    def half_then_fail(analysis: Any, folder: Path, **kwargs: Any) -> list[Path]:
        real(analysis, folder, **kwargs)  # every file written, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_flow, "write_report", half_then_fail)
    result = CliRunner().invoke(main, ["report", str(source), "--out", str(out), "-j", "1",
                                       "--svg"])
    assert result.exit_code == 3
    assert "cannot write the report into" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _siblings(out) == set()


def test_a_linked_report_folder_is_written_through(tmp_path: Path) -> None:
    real, link = tmp_path / "real", tmp_path / "link"
    real.mkdir()
    link.symlink_to(real, target_is_directory=True)
    source = _export(tmp_path / "a.json", "a.example", [1])
    _quietly("report", str(source), "--out", str(link), "-j", "1")
    _quietly("report", str(source), "--out", str(link), "-j", "1")
    assert link.is_symlink() and (real / "index.html").is_file()
    assert _siblings(real) == set()
