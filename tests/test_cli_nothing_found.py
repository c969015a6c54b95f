"""Nothing to work on is said, with exit 4, and nothing is written (issue 15 item 7): inputs
none of which can be read, inputs that hold no article (an empty list of posts), and a store
that holds no article.  No store is created, no graph, report or Parquet file written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linkgraph.cli import main
from linkgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-arms.json"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def not_a_post(tmp_path: Path) -> str:
    path = tmp_path / "notpost.json"
    path.write_text('{"foo": 1}\n', encoding="utf-8")
    return str(path)


@pytest.fixture
def empty_list(tmp_path: Path) -> str:
    path = tmp_path / "e.json"
    path.write_text("[]\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    """A real, valid store with no article in it."""
    path = tmp_path / "el.db"
    Store(path).close()
    assert path.is_file()
    return path


def test_ingest_of_nothing_readable_creates_no_store(tmp_path: Path, not_a_post: str) -> None:
    db = tmp_path / "np.db"
    result = run("ingest", not_a_post, "--db", str(db), "-j", "1")
    assert result.exit_code == 4
    assert "not a WordPress post" in result.stderr
    assert "no input could be read; nothing stored, no store created" in result.stderr
    assert not db.exists()


def test_graph_of_nothing_readable_writes_no_file(tmp_path: Path, not_a_post: str) -> None:
    export = tmp_path / "np.gexf"
    result = run("graph", not_a_post, "--export", str(export), "-j", "1")
    assert result.exit_code == 4
    assert "no input could be read; nothing written" in result.stderr
    assert not export.exists()


def test_an_empty_list_of_posts_is_no_articles_found(tmp_path: Path, empty_list: str) -> None:
    extracted = run("extract", empty_list, "-j", "1")
    assert extracted.exit_code == 4
    assert extracted.stdout == ""
    assert f"no articles found in {empty_list}" in extracted.stderr
    db = tmp_path / "el.db"
    ingested = run("ingest", empty_list, "--db", str(db), "-j", "1")
    assert ingested.exit_code == 4
    assert f"no articles found in {empty_list}" in ingested.stderr
    assert not db.exists()
    report = tmp_path / "r"
    reported = run("report", empty_list, "--out", str(report), "-j", "1")
    assert reported.exit_code == 4
    assert "no articles found" in reported.stderr
    assert not report.exists()
    checked = run("check", empty_list, "-o", str(tmp_path / "c.json"), "--format", "json")
    assert checked.exit_code == 4
    assert "no articles found" in checked.stderr


def test_nothing_found_leaves_an_existing_store_alone(tmp_path: Path, empty_list: str) -> None:
    db = tmp_path / "news.db"
    assert run("ingest", str(EXAMPLE), "--db", str(db), "-j", "1").exit_code == 0
    before = db.read_bytes()
    result = run("ingest", empty_list, "--db", str(db), "-j", "1")
    assert result.exit_code == 4
    assert "nothing stored" in result.stderr
    assert "no store created" not in result.stderr  # it existed
    with Store(db) as store:
        assert store.counts()["articles"] == 1
        assert store.counts()["read_failures"] == 0
    assert db.read_bytes() == before


def test_an_empty_list_beside_articles_is_no_failure(tmp_path: Path, empty_list: str) -> None:
    db = tmp_path / "news.db"
    result = run("ingest", str(EXAMPLE), empty_list, "--db", str(db), "-j", "1")
    assert result.exit_code == 0, result.output
    assert "stored 1 article(s)" in result.stdout


def test_failures_before_the_first_article_are_still_recorded(
    tmp_path: Path, not_a_post: str
) -> None:
    db = tmp_path / "news.db"
    result = run("ingest", not_a_post, str(EXAMPLE), "--db", str(db), "-j", "1")
    assert result.exit_code == 4
    with Store(db) as store:
        assert store.counts()["articles"] == 1
        assert store.counts()["read_failures"] == 1


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (("graph", "--export", "{out}/x.gexf"), "x.gexf"),
        (("graph", "--export", "{out}/x.csv", "--full"), "x.csv"),
        (("report", "--out", "{out}/rep"), "rep"),
        (("report", "--streamed", "--out", "{out}/rep"), "rep"),
        (("check", "--format", "json", "-o", "{out}/c.json"), None),
        (("export", "--parquet", "{out}/pq"), "pq"),
    ],
)
def test_an_empty_store_is_said_and_nothing_written(
    tmp_path: Path, empty_store: Path, args: tuple[str, ...], output: str | None
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run(*(a.format(out=out) for a in args), "--db", str(empty_store))
    assert result.exit_code == 4, result.output
    assert "el.db: the store holds no articles; nothing written" in result.stderr
    if output is not None:
        assert not (out / output).exists()


def test_repeated_articles_are_said_not_double_counted(tmp_path: Path) -> None:
    """The same post in two files: the second replaces the first; the summary says so
    instead of 'stored 2' beside '1 in total'."""
    copy = tmp_path / "copy.json"
    shutil.copy(EXAMPLE, copy)
    db = tmp_path / "news.db"
    first = run("ingest", str(EXAMPLE), str(copy), "--db", str(db), "-j", "1")
    assert first.exit_code == 0, first.output
    assert ("stored 2 article(s)" in first.stdout
            and ": 1 new, 1 read twice (the same post or canonical URL as an earlier input"
            " of this run; the later copy is kept)" in first.stdout)
    assert "(1 article(s)," in first.stdout
    again = run("ingest", str(copy), "--db", str(db), "-j", "1")
    assert ": 0 new, 1 replacing an article already stored" in again.stdout
    new = tmp_path / "other.json"
    post = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    post["id"], post["link"] = 999_999, "https://example.org/another-story/"
    new.write_text(json.dumps(post), encoding="utf-8")
    plain = run("ingest", str(new), "--db", str(db), "-j", "1")
    assert " new," not in plain.stdout and "(2 article(s)," in plain.stdout


def test_readme_shows_what_a_folder_of_other_files_prints(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The README quotes the line a folder without input files gives; the tool prints it."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("hello\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("extract", "notes")
    assert result.exit_code == 4
    line = result.stderr.splitlines()[0]
    assert line.startswith("error: notes: folder holds no input files: 1 file skipped (.txt is"
                           " not an input format;")
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "`error: notes: folder holds no input files: 1 file skipped (.txt is not an input" \
           " format; ...)`" in readme
