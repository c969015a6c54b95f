"""``repair`` and ``collect`` say when nothing was found, exit 4, and create nothing (issue 15
item 7): no empty --out folder from repair, no empty store from collect.  The sitemap is
served on loopback (an IP literal: no name is looked up)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linkgraph.cli import main
from linkgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-arms.json"
EMPTY_SITEMAP = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                 b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/sitemap.xml":
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(EMPTY_SITEMAP)))
            self.end_headers()
            self.wfile.write(EMPTY_SITEMAP)
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def sitemap_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def empty_list(tmp_path: Path) -> Path:
    path = tmp_path / "e.json"
    path.write_text("[]\n", encoding="utf-8")
    return path


def test_repair_of_an_empty_list_writes_no_folder(tmp_path: Path, empty_list: Path) -> None:
    out = tmp_path / "repaired"
    result = run("repair", str(empty_list), "--out", str(out), "--no-archive")
    assert result.exit_code == 4, result.output
    assert f"no articles found in {empty_list}" in result.stderr
    assert "nothing written" in result.stderr and "not created" in result.stderr
    assert not out.exists()


def test_repair_of_a_folder_of_other_files_says_what_was_skipped(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("hello\n", encoding="utf-8")
    out = tmp_path / "repaired"
    result = run("repair", str(notes), "--out", str(out), "--no-archive")
    assert result.exit_code == 4, result.output
    assert "folder holds no input files: 1 file skipped (.txt is not an input format" \
        in result.stderr
    assert not out.exists()


def test_repair_of_unreadable_inputs_writes_no_folder(tmp_path: Path) -> None:
    bad = tmp_path / "notpost.json"
    bad.write_text('{"foo": 1}\n', encoding="utf-8")
    out = tmp_path / "repaired"
    result = run("repair", str(bad), "--out", str(out), "--no-archive")
    assert result.exit_code == 4, result.output
    assert "not a WordPress post" in result.stderr
    assert "no input could be read; nothing written" in result.stderr
    assert not out.exists()


def test_repair_with_an_empty_list_beside_an_article_still_writes(
    tmp_path: Path, empty_list: Path
) -> None:
    out = tmp_path / "repaired"
    result = run("repair", str(EXAMPLE), str(empty_list), "--out", str(out), "--no-archive")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["ukraine-arms.json"]


def test_collect_of_an_empty_url_list_creates_no_store(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# nothing yet\n", encoding="utf-8")
    db = tmp_path / "news.db"
    result = run("collect", "-i", str(urls), "--db", str(db))
    assert result.exit_code == 4, result.output
    assert f"no articles found in {urls}" in result.stderr
    assert "nothing stored, no store created" in result.stderr
    assert list(tmp_path.iterdir()) == [urls]


def test_collect_of_a_sitemap_without_urls_creates_no_store(
    tmp_path: Path, sitemap_site: str
) -> None:
    db = tmp_path / "news.db"
    result = run("collect", f"{sitemap_site}/sitemap.xml", "--db", str(db),
                 "--allow", "127.0.0.1", "--interval", "0")
    assert result.exit_code == 4, result.output
    assert "no articles found in" in result.stderr and "request(s) sent" in result.stderr
    assert "no store created" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_collect_of_nothing_into_a_store_with_articles_is_no_error(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    assert run("ingest", str(EXAMPLE), "--db", str(db), "-j", "1").exit_code == 0
    urls = tmp_path / "urls.txt"
    urls.write_text("", encoding="utf-8")
    result = run("collect", "-i", str(urls), "--db", str(db))
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.counts()["articles"] == 1
