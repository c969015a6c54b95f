"""Credentials in links are never printed, stored or written (issue 15 item 6).

An article whose links carry ``user:password@`` goes through every writer: ``extract`` (JSON
Lines, CSV, table, --explain), ``ingest`` (the store's rows and the stored article), ``report``
(every file, from the inputs and from the store), ``graph`` (every export format) and the log
lines at -vv.  The secret appears in none of them; each says that the link had credentials.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.store import MIGRATIONS, SCHEMA_VERSION, Store
from linkgraph.urls import scrub_userinfo, split_userinfo

SECRETS = ("secretpass", "hunter2", "tok3n")
# One WordPress post: a valid link, the same as its own anchor text, a scheme-relative one
# and one that cannot be parsed, each with credentials, and one clean link.
POST = {
    "id": 7,
    "link": "https://editor:tok3n@news.example/a/",  # the post's own address, too
    "date_gmt": "2024-01-02T03:04:05",
    "title": {"rendered": "Rain"},
    "content": {"rendered": (
        '<p>As <a href="https://user:secretpass@example.org/c">the agency</a> said, it rained.'
        ' The log is at <a href="https://admin:hunter2@data.example.net/log">'
        "https://admin:hunter2@data.example.net/log</a>.</p>"
        '<p>A mirror: <a href="//tok3n@cdn.example.com/x">here</a>, a broken one:'
        ' <a href="http://tok3n:hunter2@[bad/">there</a>, and the'
        ' <a href="https://www.reuters.com/world/">Reuters</a> story.</p>'
    )},
}


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "post.json"
    path.write_text(json.dumps(POST), encoding="utf-8")
    return path


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, ["-vv", *args, "-j", "1"])
    assert result.exit_code == 0, result.output
    return result.output  # stdout and stderr (the -vv log lines) alike


def _no_secret(where: str, data: bytes | str) -> None:
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    for secret in SECRETS:
        assert secret not in text, f"{where} shows {secret!r}"


@pytest.mark.parametrize(
    ("href", "clean", "secret"),
    [
        ("https://user:secretpass@example.org/c", "https://example.org/c", "user:secretpass"),
        ("HTTP://a@b@c.example/d?e@f", "HTTP://c.example/d?e@f", "a@b"),
        ("http:u:p@h.example/x", "http:h.example/x", "u:p"),
        ("//token@cdn.example/x", "//cdn.example/x", "token"),
        ("http://u:p@[bad/", "http://[bad/", "u:p"),
        ("ht\ttps://u:p@x.example/", "https://x.example/", "u:p"),
        ("https://ex.example/a?x=a@b", "https://ex.example/a?x=a@b", None),
        ("mailto:desk@example.org", "mailto:desk@example.org", None),
        ("user@host/x", "user@host/x", None),
    ],
)
def test_split_userinfo(href: str, clean: str, secret: str | None) -> None:
    assert split_userinfo(href) == (clean, secret)


def test_scrub_userinfo_raw_and_escaped() -> None:
    page = '<a href="https://u:p&amp;q@x.example/">https://u:p&amp;q@x.example/</a> u:p&q@y'
    assert scrub_userinfo(page, ["u:p&q"]) == (
        '<a href="https://x.example/">https://x.example/</a> y'
    )


def test_extract_never_prints_credentials(post: Path) -> None:
    lines = _run("extract", str(post))
    _no_secret("extract --format jsonl", lines)
    rows = [json.loads(line) for line in lines.splitlines() if line.startswith("{")]
    assert [r["credentials"] for r in rows] == [True, True, True, True, False]
    assert rows[0]["href"] == "https://example.org/c"
    assert rows[1]["text"] == "https://data.example.net/log"
    assert rows[3]["href"] == "http://[bad/"
    csv_out = _run("extract", str(post), "--format", "csv")
    _no_secret("extract --format csv", csv_out)
    assert csv_out.splitlines()[0].endswith(",credentials")
    _no_secret("extract --format table", _run("extract", str(post), "--format", "table"))
    _no_secret("extract --explain", _run("extract", str(post), "--explain"))
    _no_secret("extract --explain table", _run("extract", str(post), "--explain", "--format",
                                                "table"))


def test_store_keeps_the_flag_never_the_secret(post: Path, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    _no_secret("ingest", _run("ingest", str(post), "--db", str(db)))
    for path in tmp_path.glob("news.db*"):
        _no_secret(path.name, path.read_bytes())
    with Store(db) as store:
        (stored,) = store.extractions()
    _no_secret("the stored article's HTML", stored.article.html)
    _no_secret("the stored sentences", json.dumps([s.text for s in stored.sentences or ()]))
    assert [c.credentials for c in stored.citations] == [True, True, True, True, False]
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT SUM(credentials) FROM citations").fetchone() == (4,)


def _report_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_report_files_never_carry_credentials(post: Path, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    _run("ingest", str(post), "--db", str(db))
    for args, out in (((str(post),), tmp_path / "from-inputs"), ((), tmp_path / "from-store")):
        db_args = ("--db", str(db)) if not args else ()
        _no_secret("report output", _run("report", *args, *db_args, "--out", str(out), "--svg"))
        files = _report_files(out)
        assert {"report.json", "report.md", "index.html", "graph.png"} <= set(files)
        for name, data in files.items():
            _no_secret(f"{out.name}/{name}", data)
        report = json.loads(files["report.json"])
        assert report["problem_counts"]["credentials"] == 4
        assert "link embeds a user name or password" in files["report.md"].decode()
        assert "link embeds a user name or password" in files["index.html"].decode()


@pytest.mark.parametrize("suffix", [".gexf", ".graphml", ".json", ".csv"])
def test_graph_exports_never_carry_credentials(post: Path, tmp_path: Path, suffix: str) -> None:
    export = tmp_path / f"graph{suffix}"
    _no_secret("graph", _run("graph", str(post), "--export", str(export)))
    data = export.read_bytes()
    _no_secret(export.name, data)
    assert b"example.org" in data  # the link is there, without its credentials


def test_a_page_keeps_no_credentials_outside_its_body_either(tmp_path: Path) -> None:
    """A saved page's navigation and scripts are stored with the page: a URL with a password
    anywhere in it is stored without the password."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>T</title>"
        '<link rel="stylesheet" href="https://cdn:hunter2@static.example/s.css"></head><body>'
        '<nav><a href="https://admin:secretpass@cms.example/">Admin</a></nav><article>'
        "<p>The ministry said so in <a href='https://www.reuters.com/x'>a statement</a> on "
        "Monday, and the rest of this paragraph is long enough to be an article body.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    _run("ingest", str(page), "--db", str(db), "--base", "https://news.example/a")
    with Store(db) as store:
        (stored,) = store.extractions()
    _no_secret("the stored page", stored.article.html)
    assert "https://cms.example/" in stored.article.html
    _no_secret("explain", _run("extract", str(page), "--explain", "--base",
                               "https://news.example/a"))


def test_a_schema_2_store_migrates_with_the_flag_off(tmp_path: Path) -> None:
    """Store schema 3 adds citations.credentials: links stored before read back as False."""
    db = tmp_path / "old.db"
    raw = sqlite3.connect(db)
    script = "".join(MIGRATIONS[:2])
    raw.executescript(f"BEGIN; {script} PRAGMA user_version = 2; COMMIT;")
    raw.execute(
        "INSERT INTO articles (id, url, site, title, published, modified, origin_path,"
        " origin_record, body_kind, language, site_name, site_domains, warnings,"
        " extraction_warnings, html, ingested_at) VALUES"
        " ('a', NULL, NULL, 'T', NULL, NULL, 'a.json', NULL, 'fragment', NULL, NULL, '[]',"
        " '[]', '[]', ?, '2025-01-01T00:00:00+00:00')",
        (zlib.compress(b"<p>x</p>"),),
    )
    raw.execute(
        "INSERT INTO citations (article_id, position, paragraph, href, url, key, domain, text,"
        " context, kind, rel) VALUES ('a', 0, 0, 'https://x.example/', 'https://x.example/',"
        " 'x.example', 'x.example', 'x', 'x', 'external', '')"
    )
    raw.commit()
    raw.close()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION >= 3
        (stored,) = store.extractions()
    assert [c.credentials for c in stored.citations] == [False]


# A post whose linked sentence (and title) also shows a URL with a password as plain text.
TEXT_SECRET = "pw123"
TEXT_POST = {
    "id": 8,
    "link": "https://news.example/b/",
    "date_gmt": "2024-01-03T03:04:05",
    "title": {"rendered": "Mirror at https://joe:pw123@example.net/raw"},
    "content": {"rendered": (
        '<p>Also <a href="https://www.reuters.com/world/">this</a> and see'
        " https://joe:pw123@example.net/raw in text.</p>"
        "<p>Unlinked: ftp://joe:pw123@files.example.net/ and a mail to desk@news.example.</p>"
    )},
}


def test_credentials_written_in_sentences_leave_no_output(tmp_path: Path) -> None:
    """A URL with a password written in the text around a link (not in any href) is removed
    from every text field extraction produces: context, anchor, title, sentences, stored
    page; and from every file written from them (store, report, Parquet)."""
    pytest.importorskip("pyarrow")
    source = tmp_path / "text.json"
    source.write_text(json.dumps(TEXT_POST), encoding="utf-8")

    def clean(where: str, data: bytes | str) -> None:
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        assert TEXT_SECRET not in text, f"{where} shows the password"

    lines = _run("extract", str(source))
    clean("extract --format jsonl", lines)
    (row,) = [json.loads(line) for line in lines.splitlines() if line.startswith("{")]
    assert row["context"] == "Also this and see https://example.net/raw in text."
    assert not row["credentials"]  # the link's own href had none
    db = tmp_path / "news.db"
    _run("ingest", str(source), "--db", str(db))
    for path in tmp_path.glob("news.db*"):
        clean(path.name, path.read_bytes())
    with Store(db) as store:
        (stored,) = store.extractions()
    clean("the stored title", stored.article.title)
    clean("the stored sentences", json.dumps([s.text for s in stored.sentences or ()]))
    assert "desk@news.example" in json.dumps([s.text for s in stored.sentences or ()])
    out = tmp_path / "report"
    clean("report output", _run("report", str(source), "--out", str(out)))
    for name, data in _report_files(out).items():
        clean(f"report/{name}", data)
    parquet = tmp_path / "parquet"
    exported = CliRunner().invoke(main, ["export", "--db", str(db), "--parquet", str(parquet)])
    assert exported.exit_code == 0, exported.output
    clean("export output", exported.output)
    for path in parquet.iterdir():
        clean(f"parquet/{path.name}", path.read_bytes())
        clean(f"parquet/{path.name} (decoded)", json.dumps(
            __import__("pyarrow.parquet").parquet.read_table(path).to_pylist(), default=str))
