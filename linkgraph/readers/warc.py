"""Web archives as articles (``ParsedPage``): WARC, ``.warc.gz`` and WACZ, one per HTML capture.

Read with FastWARC (``benchmarks/warc_speed.py``: about twice as fast as warcio on the same
file).  An article comes from each ``response`` record (HTTP status 2xx) and each ``resource``
record whose payload is HTML: the record's ``WARC-Target-URI`` is the page URL (links resolve
against it, and it names the article when the page declares no canonical URL), its
``WARC-Date`` is ``Origin.fetched_at``, and ``Origin.record`` is the record's byte offset in the
file.  Payloads are decoded as a browser would see them (chunked transfer, gzip, deflate, br);
a body stored decoded under a ``Content-Encoding`` header (crawlers do that) is read as it is,
with a warning.

Skipped, and counted in one log line per file: ``revisit`` records (no payload), responses
that are not HTML (images, scripts, ...), non-2xx responses and captures of non-web URLs.
Requests, ``warcinfo`` and ``metadata`` records are not pages and are not counted.

Bad input: a record that cannot be parsed is a ``ReadFailure`` naming the file and offset, and
reading goes on at the next record found after it (the next ``WARC/1.`` line, or the next gzip
member); a payload over the cap is a ``ReadFailure`` too, never loaded.  A file that ends
inside a record (a download cut off) says "truncated at byte N (record at OFFSET)": a
failure, or a warning on the page when the page itself was read.  A WACZ is a zip whose
``archive/*.warc[.gz]`` members are read in turn; its pages' paths are ``FILE.wacz/MEMBER``.
When its ``pages/*.jsonl`` lists the pages the crawler visited, only those are articles (the
frames, ads and embeds captured with them are counted as skipped).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Final

from fastwarc.stream_io import BrotliReader
from fastwarc.warc import WarcRecord, WarcRecordType

from linkgraph.readers.html import read_html_page
from linkgraph.readers.parsed import ParsedPage
from linkgraph.readers.sniff import MIB, size_label
from linkgraph.readers.warcframe import WARC_MAGIC, is_truncation, warc_records
from linkgraph.records import Origin, ReadFailure
from linkgraph.urls import HTTP_SCHEMES, scheme_of

__all__ = ["ARCHIVE_SUFFIXES", "Span", "archive_spans", "is_web_archive", "read_web_archive"]

log = logging.getLogger(__name__)

ARCHIVE_SUFFIXES: Final = (".warc.gz", ".warc", ".wacz")
HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
PAGE_RECORDS: Final = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.revisit
Span = tuple[int, int | None]  # [start, stop) byte offsets of records; stop None: to the end


class Skip:
    """Why a record holds no page (the counted reasons, in the order the summary lists them)."""

    REVISIT = "revisit records"
    NOT_HTML = "non-HTML responses"
    STATUS = "responses with a non-2xx status"
    NOT_WEB = "captures of non-web URLs"
    NOT_LISTED = "HTML captures not in the WACZ's page lists (frames, embeds)"


def is_web_archive(path: str, head: bytes | None = None) -> bool:
    """True when *path* is named like a web archive, or its first bytes are a WARC record.

    >>> is_web_archive("crawl.WARC.gz"), is_web_archive("x.bin", b"WARC/1.1\\r\\n")
    (True, True)
    """
    if path.lower().endswith(ARCHIVE_SUFFIXES):
        return True
    return head is not None and head.startswith(WARC_MAGIC)


def read_web_archive(
    handle: IO[bytes], name: str, *, max_bytes: int, span: Span | None = None
) -> Iterator[ParsedPage | ReadFailure]:
    """Every HTML capture of the archive open on *handle* (named *name* in messages), in order.

    A ``.wacz`` name is read as a zip of WARC files.  With *span* (from ``archive_spans``), only
    the records that start in ``[start, stop)`` of a WARC file are read, and no summary is
    logged (``archive_spans`` logged it).  Bad input never raises.
    """
    skipped: Counter[str] = Counter()
    pages = 0
    try:
        if name.lower().endswith(".wacz"):
            items = _read_wacz(handle, name, max_bytes, skipped)
        elif span is not None:
            handle.seek(span[0])
            items = _read_stream(handle, name, max_bytes, skipped, stop=span[1])
        else:
            items = _read_stream(handle, name, max_bytes, skipped)
        for item in items:
            pages += isinstance(item, ParsedPage)
            yield item
    except (OSError, zipfile.BadZipFile) as exc:
        yield ReadFailure(Origin(name), f"{name}: cannot read the archive: {exc}")
        return
    if span is None:
        _log_summary(name, pages, skipped)


def archive_spans(handle: IO[bytes], name: str, *, pages_per_span: int) -> Iterator[Span]:
    """Cut the WARC file open on *handle* into spans of about *pages_per_span* HTML captures,
    each starting at a record, so that workers can read them side by side (``span`` of
    ``read_web_archive``).  Each span comes as soon as it is known, so that workers start
    while the rest is cut.  Logs the archive's summary once, as a whole read would.

    Reads the record headers only, and past damage as the reader does (the span that holds
    the damage reports it); a WACZ is one span.
    """
    if name.lower().endswith(".wacz"):
        yield (0, None)
        return
    skipped: Counter[str] = Counter()
    start = handle.tell()
    pages = 0
    for record in warc_records(handle, name):
        if isinstance(record, ReadFailure) or not record.record_type & PAGE_RECORDS:
            continue  # damage is reported by the span's reader
        try:
            reason = _skip_reason(record)
        except (OSError, ValueError):
            continue  # an unreadable HTTP head: the span's reader reports it
        if reason:
            skipped[reason] += 1
        elif reason is None:
            if pages and pages % pages_per_span == 0:
                yield (start, record.stream_pos)
                start = record.stream_pos
            pages += 1
    _log_summary(name, pages, skipped, "HTML capture")
    yield (start, None)


def _log_summary(
    path: str, pages: int, skipped: Counter[str], what: str = "HTML page"
) -> None:
    parts = [f"{skipped[reason]} {reason}" for reason in vars(Skip).values()
             if isinstance(reason, str) and skipped[reason]]
    detail = f"; skipped {', '.join(parts)}" if parts else ""
    if pages:
        log.info("%s: %d %s%s read from the archive%s", path, pages, what,
                 "" if pages == 1 else "s", detail)
    else:
        log.warning("%s: no HTML page in the archive%s", path, detail)


def _read_wacz(
    handle: IO[bytes], name: str, max_bytes: int, skipped: Counter[str]
) -> Iterator[ParsedPage | ReadFailure]:
    with zipfile.ZipFile(handle) as wacz:
        members = sorted(
            member for member in wacz.namelist()
            if member.startswith("archive/") and member.lower().endswith((".warc", ".warc.gz"))
        )
        if not members:
            yield ReadFailure(Origin(name), f"{name}: WACZ holds no archive/*.warc.gz member")
            return
        listed = _listed_pages(wacz, name)
        for member in members:
            with wacz.open(member) as stream:
                yield from _read_stream(
                    stream, f"{name}/{member}", max_bytes, skipped, listed=listed
                )


def _listed_pages(wacz: zipfile.ZipFile, name: str) -> frozenset[str] | None:
    """The URLs of a WACZ's ``pages/*.jsonl`` (the pages the crawler visited, as opposed to the
    frames and embeds it also captured), or ``None`` when it has no readable list."""
    urls: set[str] = set()
    lists = [m for m in wacz.namelist() if m.startswith("pages/") and m.endswith(".jsonl")]
    for member in lists:
        try:
            text = wacz.read(member).decode("utf-8", "replace")
        except (OSError, zipfile.BadZipFile, zlib.error) as exc:
            log.warning("%s/%s: page list cannot be read (%s); every HTML capture is read",
                        name, member, exc)
            return None
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                urls.add(entry["url"].split("#", 1)[0])
    return frozenset(urls) if urls else None


def _read_stream(
    stream: IO[bytes],
    label: str,
    max_bytes: int,
    skipped: Counter[str],
    *,
    listed: frozenset[str] | None = None,
    stop: int | None = None,
) -> Iterator[ParsedPage | ReadFailure]:
    """The pages of one WARC stream (up to the record that starts at *stop*; only the *listed*
    URLs when given).

    Each record's item is held until the next record comes: when the file turns out to end
    inside that record, its failure (the payload missing) gives way to the truncation, and its
    page (the end of the payload missing) carries the truncation as a warning.
    """
    held: tuple[int, ParsedPage | ReadFailure] | None = None
    for record in warc_records(stream, label, stop):
        if isinstance(record, ReadFailure):
            if held is not None and is_truncation(record) and record.origin.record == held[0]:
                cut = held[1]  # a failure of the record's payload gives way to the truncation
                held = None
                if isinstance(cut, ParsedPage):
                    note = f"{record.message}; the page may lack its end"
                    warnings = (*cut.article.warnings, note)
                    yield cut.with_article(replace(cut.article, warnings=warnings))
                    continue
            elif held is not None:
                yield held[1]
                held = None
            yield record
            continue
        if held is not None:
            yield held[1]
            held = None
        if not record.record_type & PAGE_RECORDS:
            continue
        offset = record.stream_pos
        try:
            if listed is not None and _target(record).split("#", 1)[0] not in listed:
                if _skip_reason(record) is None:
                    skipped[Skip.NOT_LISTED] += 1
                continue
            item = _page(record, label, max_bytes, skipped)
        except (OSError, ValueError) as exc:  # the HTTP head or payload, not the WARC framing
            item = ReadFailure(Origin(label, offset), f"{label}#{offset}: HTTP response cannot"
                               f" be read ({exc}); record skipped")
        if item is not None:
            held = (offset, item)
    if held is not None:
        yield held[1]


def _skip_reason(record: WarcRecord) -> str | None:
    """Why *record* (a response, resource or revisit) holds no page: a ``Skip`` reason, ""
    for records that are not captures at all (a crawler's notes), ``None`` for a page."""
    if record.record_type == WarcRecordType.revisit:
        return Skip.REVISIT
    response = record.record_type == WarcRecordType.response
    if response:
        _http(record)
    if scheme_of(_target(record)) not in HTTP_SCHEMES:
        return Skip.NOT_WEB if response else ""  # resources: a crawler's own notes
    if response:
        if not record.is_http:
            return Skip.NOT_HTML
        status = record.http_headers.status_code or 0
        if not 200 <= status < 300:
            return Skip.STATUS
        content_type = record.http_content_type
    else:
        content_type = record.headers.get("Content-Type")
    return None if _is_html(content_type, record) else Skip.NOT_HTML


def _http(record: WarcRecord) -> None:
    """Parse a response's HTTP head, leniently (quirks mode: the bare-LF heads of ClueWeb and
    other old crawls), undoing only the transfer encoding: ``_payload`` undoes the content
    encoding, where a body stored decoded under a gzip header is read as it is."""
    if not record.is_http_parsed:
        record.parse_http(auto_decode="transfer", quirks_mode=True)


def _target(record: WarcRecord) -> str:
    return (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")  # wget writes <>


def _page(
    record: WarcRecord, label: str, max_bytes: int, skipped: Counter[str]
) -> ParsedPage | ReadFailure | None:
    """The article one record holds, a failure, or ``None`` (counted in *skipped*)."""
    reason = _skip_reason(record)
    if reason is not None:
        if reason:
            skipped[reason] += 1
        return None
    offset = record.stream_pos
    if record.content_length > max_bytes + MIB:  # the HTTP headers come on top of the payload
        return ReadFailure(Origin(label, offset), f"{label}#{offset}: record of"
                           f" {record.content_length} bytes is over the input cap of"
                           f" {size_label(max_bytes)}; not read")
    coding = (record.http_headers.get("Content-Encoding") or "") if record.is_http else ""
    body, note = _payload(record.reader.read(max_bytes + 1), coding, max_bytes)
    if len(body) > max_bytes:
        return ReadFailure(Origin(label, offset), f"{label}#{offset}: payload over the input cap"
                           f" of {size_label(max_bytes)} once decoded; not read")
    page = read_html_page(body, label, base=_target(record), record=offset, own_url=True)
    if isinstance(page, ReadFailure):
        return page
    origin = Origin(label, offset, fetched_at=record.record_date)
    article = replace(page.article, origin=origin)
    if note:
        article = replace(article, warnings=(*article.warnings, f"{label}#{offset}: {note}"))
    truncated = record.headers.get("WARC-Truncated")
    if truncated:  # the crawler stopped reading the response: the page may lack its end
        note = f"{label}#{offset}: capture truncated by the crawler ({truncated.strip()})"
        article = replace(article, warnings=(*article.warnings, note))
    return page.with_article(article)


def _payload(body: bytes, coding: str, max_bytes: int) -> tuple[bytes, str | None]:
    """*body* with its Content-Encoding undone (at most *max_bytes* + 1 bytes), and a note when
    the header lied: crawlers often store the decoded body and keep the header.  Raises
    ``ValueError`` when an encoded body cannot be decoded."""
    coding = coding.strip().lower()
    if coding in {"", "identity"} or not body:
        return body, None
    try:
        if coding in {"gzip", "x-gzip", "deflate"}:
            # wbits 47: a gzip or zlib header, whichever is there; raw deflate as a fallback.
            try:
                return zlib.decompressobj(wbits=47).decompress(body, max_bytes + 1), None
            except zlib.error:
                if coding != "deflate":
                    raise
                return zlib.decompressobj(wbits=-15).decompress(body, max_bytes + 1), None
        if coding == "br":
            return BrotliReader(io.BytesIO(body)).read(max_bytes + 1), None
    except (zlib.error, OSError) as exc:
        if body.lstrip()[:1] == b"<":
            return body, f"Content-Encoding {coding} but the body is stored decoded; read as is"
        raise ValueError(f"Content-Encoding {coding}: {exc}") from exc
    return body, f"unknown Content-Encoding {coding!r}; body read as it is"


def _is_html(content_type: str | None, record: WarcRecord) -> bool:
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime:
        return mime in HTML_TYPES
    identified = (record.headers.get("WARC-Identified-Payload-Type") or "").lower()
    return identified in HTML_TYPES
