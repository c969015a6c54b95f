"""Web archives as input: real sample WARCs, WARCs written from corpus pages, damage, WACZ."""

from __future__ import annotations

import gzip
import json
import logging
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import budget
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from linkgraph.cli import main
from linkgraph.extract.extractor import extract
from linkgraph.readers import iter_input_files, read_file
from linkgraph.records import Article, Origin, ReadFailure
from linkgraph.web.warc import Exchange, WarcWriter

FETCHED = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)


def pages_and_failures(path: Path | str) -> tuple[list[Article], list[ReadFailure]]:
    items = list(read_file(str(path)))
    pages = [item for item in items if isinstance(item, Article)]
    failures = [item for item in items if isinstance(item, ReadFailure)]
    return pages, failures


# (sample, [(page URL, record offset)], [failure offsets], skip note in the log)
SAMPLES = [
    ("example.warc.gz", [("http://example.com/", 784)], [], "skipped 1 revisit records"),
    ("example-bad-non-chunked.warc.gz", [("http://example.com/", 2113)], [],
     "skipped 1 revisit records"),
    ("example-iana.org-chunked.warc", [("http://www.iana.org/", 405)], [], None),
    ("example-resource.warc.gz", [("http://example.com/", 802)], [], None),
    ("example-trunc.warc", [("http://example.com/", 1197)], [2564], None),
    ("example-wget-bad-target-uri.warc.gz", [("http://example.com/", 824)], [], None),
    ("clipped.warc.gz", [("http://www.houstonpress.com/music/a-humble-chance-the-rapper-leads-a"
                          "-spiritual-awakening-at-revention-8866723", 0)], [], None),
]


def test_clueweb_quirks_are_read(fixtures: Path) -> None:
    """Bare-LF HTTP heads, and bodies stored decoded under a gzip header: read, with a note."""
    path = fixtures / "warc" / "clueweb-quirk.warc.gz"
    pages, failures = pages_and_failures(path)
    assert failures == [] and len(pages) == 29
    assert all(page.title and page.url and page.url.startswith("http://") for page in pages)
    assert pages[0].title.startswith("ブラウニー ブリーフケース")  # EUC-JP decoded
    assert pages[0].warnings == (f"{path}#{pages[0].origin.record}: Content-Encoding gzip but"
                                 " the body is stored decoded; read as is",)
    assert pages[0].origin.fetched_at is None  # its WARC-Date "2008-10-294T..." is no date


@pytest.mark.parametrize(("name", "expected", "bad", "note"), SAMPLES)
def test_real_sample_archives(
    fixtures: Path, caplog: pytest.LogCaptureFixture, *,
    name: str, expected: list[tuple[str, int]], bad: list[int], note: str | None,
) -> None:
    path = fixtures / "warc" / name
    with caplog.at_level(logging.INFO, logger="linkgraph"):
        pages, failures = pages_and_failures(path)
    assert [(page.url, page.origin.record) for page in pages] == expected
    assert [failure.origin.record for failure in failures] == bad
    for failure in failures:
        assert failure.message.startswith(f"{path}#{failure.origin.record}: malformed WARC record")
    for page in pages:
        assert page.origin.path == str(path)
        assert page.origin.fetched_at is not None and page.origin.fetched_at.tzinfo is not None
        assert page.title  # the HTML was decoded: the page has its title
        assert "<html" in page.html.lower()
    summary = [r.getMessage() for r in caplog.records if r.name == "linkgraph.readers.warc"]
    assert len(summary) == 1 and summary[0].startswith(f"{path}: 1 HTML page read")
    if note:
        assert summary[0].endswith(note)


def test_capture_time_is_the_fetch_time(fixtures: Path) -> None:
    (page,), _ = pages_and_failures(fixtures / "warc" / "example.warc.gz")
    assert page.origin.fetched_at == datetime(2017, 3, 6, 4, 2, 6, tzinfo=UTC)
    assert str(page.origin) == f"{fixtures / 'warc' / 'example.warc.gz'}#784"


def exchange(url: str, body: bytes, *, status: int = 200, ctype: str = "text/html") -> Exchange:
    return Exchange(url=url, status=status, reason="OK", body=body, fetched_at=FETCHED,
                    response_headers=(("Content-Type", ctype),),
                    request_headers=(("User-Agent", "test"),))


def write_pages(path: Path, pages: Iterable[tuple[str, bytes]], **kwargs: bool) -> list[int]:
    with WarcWriter(path, **kwargs) as warc:
        return [warc.write_exchange(exchange(url, body)) for url, body in pages]


def corpus_pages(corpus: Path, count: int) -> list[tuple[Path, str]]:
    aeb = corpus / "scrapinghub-aeb"
    urls = json.loads((aeb / "urls.json").read_text("utf-8"))
    return [(path, urls[path.name]) for path in sorted((aeb / "html").glob("*.gz"))[:count]]


@pytest.mark.corpus
@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_corpus_pages_from_a_warc_cite_what_the_files_cite(
    corpus: Path, tmp_path: Path, suffix: str
) -> None:
    files = corpus_pages(corpus, 12)
    warc = tmp_path / f"pages{suffix}"
    offsets = write_pages(warc, [(url, gzip.decompress(path.read_bytes())) for path, url in files])
    pages, failures = pages_and_failures(warc)
    assert failures == []
    assert [page.origin.record for page in pages] == offsets
    assert [page.url for page in pages] == [url for _, url in files]
    for page, (path, url) in zip(pages, files, strict=True):
        (from_file,) = read_file(str(path), base=url)
        assert isinstance(from_file, Article)
        assert page.origin.fetched_at == FETCHED
        cited = [(c.href, c.url, c.kind) for c in extract(page).citations]
        assert cited == [(c.href, c.url, c.kind) for c in extract(from_file).citations]


def warcio_response(writer: WARCWriter, url: str, body: bytes,
                    headers: list[tuple[str, str]], status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    # With its length given, warcio does not spool the payload to a temporary file it leaves open.
    writer.write_record(writer.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body), http_headers=http))


def test_skipped_records_are_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Content-Encoding is decoded; non-HTML, non-2xx and non-web captures are counted."""
    page = b"<html><head><title>T</title></head><body><p>See <a href='/x'>x</a>.</p></body></html>"
    path = tmp_path / "mixed.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        warcio_response(writer, "https://news.example/a", gzip.compress(page),
                        [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
        warcio_response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n",
                        [("Content-Type", "image/png")])
        warcio_response(writer, "https://news.example/gone", page,
                        [("Content-Type", "text/html")], status="404 Not Found")
        warcio_response(writer, "https://news.example/old", b"",
                        [("Location", "/a")], status="301 Moved Permanently")
        warcio_response(writer, "dns:news.example", b"", [("Content-Type", "text/dns")])
        warcio_response(writer, "https://news.example/b", page,
                        [("Content-Type", "application/xhtml+xml; charset=utf-8")])
    with caplog.at_level(logging.INFO, logger="linkgraph"):
        pages, failures = pages_and_failures(path)
    assert failures == []
    assert [p.url for p in pages] == ["https://news.example/a", "https://news.example/b"]
    assert [c.url for c in extract(pages[0]).citations] == ["https://news.example/x"]
    (summary,) = [r.getMessage() for r in caplog.records if r.name == "linkgraph.readers.warc"]
    assert summary == (f"{path}: 2 HTML pages read from the archive; skipped 1 non-HTML"
                       " responses, 2 responses with a non-2xx status, 1 captures of non-web URLs")


def test_a_truncated_capture_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    body = b"<html><head><title>Long</title></head><body><p>Start of a long"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://long.example/", "response", payload=BytesIO(body), length=len(body),
            http_headers=http, warc_headers_dict={"WARC-Truncated": "length"})
        writer.write_record(record)
    (page,), failures = pages_and_failures(path)
    assert failures == [] and page.title == "Long"
    assert page.warnings == (f"{path}#0: capture truncated by the crawler (length)",)


def test_archive_without_pages_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "images.warc"
    with path.open("wb") as handle:
        warcio_response(WARCWriter(handle, gzip=False), "https://x.example/a.png", b"png",
                        [("Content-Type", "image/png")])
    assert pages_and_failures(path) == ([], [])
    (record,) = [r for r in caplog.records if r.name == "linkgraph.readers.warc"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        f"{path}: no HTML page in the archive; skipped 1 non-HTML responses")


PAGE = b"<html><head><title>P%d</title></head><body><p>Text %d</p></body></html>"


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_damaged_record_is_named_and_the_rest_is_read(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("damaged.warc.gz" if gzipped else "damaged.warc")
    urls = [f"https://site.example/{n}" for n in range(4)]
    offsets = write_pages(path, [(url, PAGE % (n, n)) for n, url in enumerate(urls)])
    data = bytearray(path.read_bytes())
    hit = offsets[1] + (40 if gzipped else 0)  # inside the gzip stream / over "WARC/1.1"
    data[hit:hit + 8] = b"XXXXXXXX"
    path.write_bytes(bytes(data))
    pages, failures = pages_and_failures(path)
    assert [page.url for page in pages] == [urls[0], urls[2], urls[3]]
    (failure,) = failures
    assert failure.origin == Origin(str(path), offsets[1])
    assert failure.message.startswith(f"{path}#{offsets[1]}: malformed WARC record (")
    assert "reading goes on at offset" in failure.message


def test_a_page_over_the_cap_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    offsets = write_pages(path, [("https://a.example/big", b"<p>" + b"x" * 5000 + b"</p>"),
                                 ("https://a.example/small", PAGE % (1, 1))])
    items = list(read_file(str(path), max_bytes=2000))
    assert isinstance(items[0], ReadFailure) and items[0].origin.record == offsets[0]
    assert "over the input cap of 2000 bytes once decoded" in items[0].message
    assert isinstance(items[1], Article) and items[1].url == "https://a.example/small"


def test_wacz_members_are_read(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    warc = tmp_path / "data.warc.gz"
    write_pages(warc, [(f"https://w.example/{n}", PAGE % (n, n)) for n in (1, 2)])
    wacz = tmp_path / "crawl.wacz"
    with zipfile.ZipFile(wacz, "w") as archive:
        archive.write(warc, "archive/data.warc.gz")
        archive.writestr("datapackage.json", "{}")
        archive.writestr("pages/pages.jsonl", "")
    pages, failures = pages_and_failures(wacz)
    assert failures == []
    assert [(p.url, p.origin.path) for p in pages] == [
        ("https://w.example/1", f"{wacz}/archive/data.warc.gz"),
        ("https://w.example/2", f"{wacz}/archive/data.warc.gz"),
    ]
    listed = tmp_path / "listed.wacz"  # Browsertrix lists the pages it visited
    with zipfile.ZipFile(listed, "w") as archive:
        archive.write(warc, "archive/data.warc.gz")
        archive.writestr("pages/pages.jsonl", '{"format": "json-pages-1.0", "id": "pages"}\n'
                         '{"id": "1", "url": "https://w.example/2#top", "ts": "2024-03-01"}\n')
    with caplog.at_level(logging.INFO, logger="linkgraph"):
        pages, _ = pages_and_failures(listed)
    assert [p.url for p in pages] == ["https://w.example/2"]
    assert caplog.records[-1].getMessage().endswith(
        "skipped 1 HTML captures not in the WACZ's page lists (frames, embeds)")
    (empty := tmp_path / "empty.wacz").write_bytes(b"not a zip")
    _, (failure,) = pages_and_failures(empty)
    assert failure.message.startswith(f"{empty}: cannot read the archive")


def test_folders_and_unnamed_files_find_archives(tmp_path: Path) -> None:
    write_pages(tmp_path / "a.warc.gz", [("https://f.example/1", PAGE % (1, 1))])
    write_pages(tmp_path / "capture.bin", [("https://f.example/2", PAGE % (2, 2))], gzip=False)
    (tmp_path / "c.wacz").write_bytes(b"")
    assert [Path(p).name for p in iter_input_files([str(tmp_path)])] == ["a.warc.gz", "c.wacz"]
    pages, _ = pages_and_failures(tmp_path / "capture.bin")
    assert [p.url for p in pages] == ["https://f.example/2"]


def test_a_fifo_named_warc_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.warc"
    import os  # noqa: PLC0415 - only here
    os.mkfifo(fifo)
    _, (failure,) = pages_and_failures(fifo)
    assert failure.message == f"{fifo}: not a regular file (a FIFO); not read"


def test_writer_output_opens_in_warcio_and_fastwarc_with_valid_digests(tmp_path: Path) -> None:
    from fastwarc.warc import ArchiveIterator as FastIterator  # noqa: PLC0415

    path = tmp_path / "out.warc.gz"
    first = write_pages(path, [("https://d.example/a?q=1#top", PAGE % (1, 1))])
    with WarcWriter(path) as warc:  # a second session appends to the same file
        body = "<p>é</p>".encode()
        second = warc.write_exchange(Exchange(
            url="https://d.example/b", status=200, reason="OK", body=body, fetched_at=FETCHED,
            response_headers=(("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Encoding", "gzip"), ("Content-Length", "12")),
            ip="192.0.2.1"))
    with path.open("rb") as handle:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                    r.rec_headers.get_header("WARC-Concurrent-To"), r.content_stream().read(),
                    r.http_headers.get_header("Content-Encoding") if r.http_headers else None)
                   for r in ArchiveIterator(handle, check_digests=True)]
    assert [r[0] for r in records] == ["warcinfo", "response", "request",
                                       "warcinfo", "response", "request"]
    assert records[1][3] == PAGE % (1, 1) and records[4][3] == body
    assert records[4][4] is None  # the body is kept decoded: no Content-Encoding claims otherwise
    with path.open("rb") as handle:
        fast = [(r.stream_pos, r.verify_block_digest(), r.headers.get("WARC-IP-Address"))
                for r in FastIterator(handle, parse_http=False)]
    assert all(valid for _, valid, _ in fast)
    assert [pos for pos, _, _ in fast][1::3] == [*first, second]
    assert fast[4][2] == "192.0.2.1"
    request = gzip.decompress(path.read_bytes()).split(b"WARC-Type: request")[1]
    assert b"GET /a?q=1 HTTP/1.1\r\nUser-Agent: test\r\n" in request


def test_extract_cli_reads_a_warc(tmp_path: Path) -> None:
    page = (b"<html><body><article><p>As <a href='/report'>the report</a> says.</p></article>"
            b"</body></html>")
    path = tmp_path / "site.warc.gz"
    write_pages(path, [("https://paper.example/story", page)])
    result = CliRunner().invoke(main, ["extract", str(path), "--format", "jsonl", "-j", "1"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["article_url"] == "https://paper.example/story"
    assert row["url"] == "https://paper.example/report"
    assert row["origin"] == f"{path}#{row['origin'].rsplit('#', 1)[1]}"


SAMPLE_BYTES = sorted((Path(__file__).parent / "fixtures" / "warc").glob("*.warc*"))


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sample=st.sampled_from(SAMPLE_BYTES), edits=st.lists(
    st.tuples(st.sampled_from(["cut", "flip", "insert", "dup"]), st.floats(0, 1),
              st.binary(min_size=1, max_size=12)), max_size=4))
def test_damaged_archives_never_raise_nor_hang(
    sample: Path, edits: list[tuple[str, float, bytes]]
) -> None:
    """Mutated real WARCs: every item is a page or a failure naming the file; no hang."""
    data = bytearray(sample.read_bytes())
    for op, where, noise in edits:
        at = int(where * max(0, len(data) - 1))
        if op == "cut":
            del data[at:]
        elif op == "flip" and data:
            data[at] = noise[0]
        elif op == "insert":
            data[at:at] = noise
        else:
            data[at:at] = data[at:at + 400] * 3
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / sample.name
        path.write_bytes(bytes(data))
        with budget():
            for item in read_file(str(path)):
                assert isinstance(item, Article | ReadFailure)
                if isinstance(item, ReadFailure):
                    assert item.message.startswith(str(path)), item.message
                    assert "internal reader error" not in item.message, item.message


def test_spans_read_what_the_whole_file_reads_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Workers read spans of one WARC side by side: together they read it exactly once."""
    from linkgraph.pipeline import extract_inputs  # noqa: PLC0415
    from linkgraph.readers import web_archive_spans  # noqa: PLC0415

    path = tmp_path / "many.warc.gz"
    urls = [f"https://many.example/{n}" for n in range(75)]
    offsets = write_pages(path, [(url, PAGE % (n, n)) for n, url in enumerate(urls)])
    data = bytearray(path.read_bytes())
    data[offsets[40] + 40: offsets[40] + 48] = b"XXXXXXXX"  # damage in the second span
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.INFO, logger="linkgraph"):
        found = web_archive_spans(str(path), 32)
        assert found is not None
        spans = list(found)
    assert len(spans) == 3
    assert [start for start, _ in spans[1:]] == [offsets[32], offsets[65]]  # record starts
    whole = list(read_file(str(path)))
    parts = [item for span in spans for item in read_file(str(path), span=span)]
    assert [(type(i).__name__, i.origin) for i in parts] == [
        (type(i).__name__, i.origin) for i in whole]
    assert sum(isinstance(i, ReadFailure) for i in parts) == 1
    assert [i.url for i in parts if isinstance(i, Article)] == urls[:40] + urls[41:]
    summaries = [r.getMessage() for r in caplog.records if r.name == "linkgraph.readers.warc"]
    assert summaries == [f"{path}: 74 HTML captures read from the archive"]  # the index's view
    serial = [(type(i).__name__, str(getattr(i, "article", i).origin))
              for i in extract_inputs([str(path)], jobs=1)]
    parallel = [(type(i).__name__, str(getattr(i, "article", i).origin))
                for i in extract_inputs([str(path)], jobs=2)]
    assert parallel == serial and len(serial) == 75


def test_the_store_keeps_the_capture_time(tmp_path: Path) -> None:
    from linkgraph.store import Store  # noqa: PLC0415

    path = tmp_path / "kept.warc.gz"
    write_pages(path, [("https://kept.example/a", PAGE % (1, 1))])
    db = tmp_path / "news.db"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(db), "-j", "1"])
    assert result.exit_code == 0, result.output
    with Store(str(db)) as store:
        (stored,) = list(store.extractions())
    assert stored.article.origin.fetched_at == FETCHED
    assert stored.article.url == "https://kept.example/a"
