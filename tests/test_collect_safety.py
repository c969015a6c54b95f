"""``collect`` and ``report SITE`` against loopback servers: credentials in a source address,
-H secrets across origins, which articles a site's report covers, failures and exit codes,
inference, malformed addresses, options passed on, and a host that is down."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from wpserver import CORPUS, FakeWordPress, corpus_posts

import linkgraph.cli.report as report_cli
from linkgraph.cli import main
from linkgraph.collect import fetched_from
from linkgraph.extract.extractor import extract
from linkgraph.records import Article, BodyKind, Extraction, Origin

ARTICLE = (
    "<html><head><title>Arms for Kyiv</title></head><body>"
    "<nav><a href='/section/world'>World</a></nav>"
    "<article><h1>Arms for Kyiv</h1>"
    "<p>Seoul weighed arms deliveries to Ukraine, according to Ukrinform. The ministry"
    " declined to comment on the talks, which <a href='https://www.yna.co.kr/view/1'>Yonhap"
    "</a> first reported on Monday.</p>"
    "<p>Officials in Seoul said a decision would come after the summit, and that South Korea"
    " would keep its export rules for now.</p></article></body></html>"
)


class Site:
    """A loopback HTTP server: *routes* maps a path to (status, headers, body); every request
    is logged as (path, headers) in ``seen``."""

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], str]]) -> None:
        self.routes = routes
        self.seen: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = site.routes.get(
                    self.path.split("?", 1)[0], (404, {}, "not found"))
                data = body.encode()
                self.send_response(status)
                headers = {"Content-Type": "text/html; charset=utf-8", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def text_of(result: Result) -> str:
    return result.output  # stdout and stderr, interleaved


def store_text(db: Path) -> str:
    """Every row of every table, as text (bodies are compressed: they hold no address)."""
    with sqlite3.connect(db) as con:
        return "\n".join(con.iterdump())


def files_text(folder: Path) -> Iterator[tuple[Path, bytes]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def test_credentials_in_a_source_address_are_never_sent_shown_or_stored(
    tmp_path: Path,
) -> None:
    with Site({"/article": (200, {}, ARTICLE)}) as site:
        source = site.url.replace("http://", "http://admin:hunter2@") + "/article"
        db = tmp_path / "c.db"
        collected = run("collect", "--allow-private", "--db", str(db), source)
        reported = run("report", "--db", str(db), "--out", str(tmp_path / "r1"))
        collected_report = run("report", source, "--allow-private", "--db",
                               str(tmp_path / "d.db"), "--out", str(tmp_path / "r2"))
    assert collected.exit_code == 0, text_of(collected)
    assert reported.exit_code == 0, text_of(reported)
    assert collected_report.exit_code == 0, text_of(collected_report)
    assert site.seen, "the server was asked"
    assert all("authorization" not in headers for _, headers in site.seen)
    for result in (collected, reported, collected_report):
        assert "hunter2" not in text_of(result)
    for store in (db, tmp_path / "d.db"):
        text = store_text(store)
        assert f"{site.url}/article" in text
        assert "hunter2" not in text and "admin:" not in text
    for folder in (tmp_path / "r1", tmp_path / "r2"):
        written = dict(files_text(folder))
        assert any(p.name == "report.json" for p in written)
        assert all(b"hunter2" not in data for data in written.values())


def test_secret_headers_stay_with_the_sources_origin(tmp_path: Path) -> None:
    other = Site({"/landing": (200, {}, ARTICLE)})
    with other, Site({"/article": (302, {"Location": f"{other.url}/landing"}, "")}) as home:
        result = run("collect", "--allow-private", "--interval", "0", "--db",
                     str(tmp_path / "h.db"), "-H", "Authorization: Bearer SECRET",
                     "-H", "Cookie: session=SECRET", "-H", "X-Desk: world",
                     f"{home.url}/article")
    assert result.exit_code == 0, text_of(result)
    assert {path for path, _ in home.seen} == {"/robots.txt", "/article"}
    assert {path for path, _ in other.seen} == {"/robots.txt", "/landing"}
    for _, headers in home.seen:
        assert headers["authorization"] == "Bearer SECRET"
        assert headers["cookie"] == "session=SECRET"
    for _, headers in other.seen:
        assert "authorization" not in headers and "cookie" not in headers
        assert headers["x-desk"] == "world"  # not a credential: every origin gets it


def _extraction(path: str) -> Extraction:
    article = Article(id="a1", url=path, site=None, title="t", published=None, modified=None,
                      origin=Origin(path, None, datetime(2026, 1, 1, tzinfo=UTC)),
                      html="<p>x</p>", body_kind=BodyKind.FRAGMENT)
    return extract(article)


def test_a_site_covers_its_own_addresses_only() -> None:
    story = _extraction("http://127.0.0.1:34277/2024/story")
    assert fetched_from(story, ["http://127.0.0.1:34277/"])
    assert fetched_from(story, ["http://127.0.0.1:34277"])
    assert not fetched_from(story, ["http://127.0.0.1:3427/"])
    assert not fetched_from(story, ["http://127.0.0.1:3427"])
    assert not fetched_from(_extraction("http://a.example/storyline"), ["http://a.example/story"])


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/wp is absent")


@needs_corpus
def test_report_of_a_site_whose_home_page_redirects(tmp_path: Path) -> None:
    with FakeWordPress(corpus_posts()[:5]) as wordpress:
        target = wordpress.url.rstrip("/") + "/"
        with Site({"/": (301, {"Location": target}, "")}) as bare:
            result = run("report", bare.url + "/", "--allow-private", "--interval", "0",
                         "--db", str(tmp_path / "w.db"), "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, text_of(result)
    assert "collected 5 article(s)" in text_of(result)
    assert "5 article(s)," in text_of(result)


@needs_corpus
def test_report_of_a_site_that_cannot_be_collected_is_not_written(tmp_path: Path) -> None:
    with FakeWordPress(corpus_posts()[:3], mode="closed401") as site:
        result = run("report", site.url, "--allow-private", "--interval", "0",
                     "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "r"))
    assert result.exit_code == 4, text_of(result)
    assert "REST API is closed" in text_of(result)
    assert not (tmp_path / "r" / "report.json").exists()


def inferred(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT COUNT(*) FROM citations WHERE provenance_kind ="
                               " 'inferred'").fetchone()[0])


def citations(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT COUNT(*) FROM citations").fetchone()[0])


def test_collected_articles_get_inferred_sources_unless_told(tmp_path: Path) -> None:
    with Site({"/article": (200, {}, ARTICLE)}) as site:
        for name, extra in (("on.db", []), ("off.db", ["--no-infer"])):
            result = run("collect", "--allow-private", "--interval", "0", *extra,
                         "--db", str(tmp_path / name), f"{site.url}/article")
            assert result.exit_code == 0, text_of(result)
    assert inferred(tmp_path / "on.db") >= 1
    assert inferred(tmp_path / "off.db") == 0


@pytest.mark.parametrize("command", ["collect", "report"])
@pytest.mark.parametrize("address", ["http://[::1", "https://[not-an-address]/x"])
def test_a_malformed_address_is_an_error_not_a_traceback(
    tmp_path: Path, command: str, address: str
) -> None:
    out = ["--out", str(tmp_path / "o")] if command == "report" else []
    result = run(command, address, "--db", str(tmp_path / "m.db"), *out)
    assert result.exit_code in {2, 4}, text_of(result)
    assert not isinstance(result.exception, ValueError)
    assert address in text_of(result)


def test_report_passes_collecting_options_on(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real = report_cli.collect_into

    def spy(sources: Any, db: Any, options: Any, **kw: Any) -> Any:
        seen.append(options)
        return real(sources, db, options, **kw)

    monkeypatch.setattr(report_cli, "collect_into", spy)
    with Site({"/article": (200, {}, ARTICLE)}) as site:
        plain = run("report", f"{site.url}/article", "--allow-private", "--interval", "0",
                    "--db", str(tmp_path / "p.db"), "--out", str(tmp_path / "p"))
        every = run("report", f"{site.url}/article", "--allow-private", "--interval", "0",
                    "--all-links", "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "a"))
    assert plain.exit_code == every.exit_code == 0, text_of(plain) + text_of(every)
    assert [o.web.per_host.interval for o in seen] == [0.0, 0.0]
    assert [o.all_links for o in seen] == [False, True]
    assert citations(tmp_path / "a.db") > citations(tmp_path / "p.db")  # the nav link


def test_since_without_a_site_is_a_usage_error(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(ARTICLE, encoding="utf-8")
    result = run("report", str(page), "--since", "2024-01-01", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "--since" in text_of(result)
    assert not (tmp_path / "o").exists()


def test_a_host_that_is_down_is_not_a_robots_refusal(tmp_path: Path) -> None:
    with Site({}) as site:
        down = site.url  # a port nothing listens on once the server is gone
    for source in (f"{down}/", f"{down}/2024/story"):
        result = run("collect", "--allow-private", "--interval", "0",
                     "--db", str(tmp_path / "d.db"), source)
        out = text_of(result)
        assert result.exit_code == 4, out
        assert "robots: disallowed" not in out and "robots" not in out.split("(")[0]
        assert "refused" in out or "connect" in out
        assert "with 0 request(s)" not in out
    with sqlite3.connect(tmp_path / "d.db") as con:
        messages = [m for (m,) in con.execute("SELECT message FROM read_failures")]
    assert messages and all("robots: disallowed" not in m for m in messages)
