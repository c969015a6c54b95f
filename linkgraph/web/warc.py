"""Write what was fetched as a WARC 1.1 file that any archive tool opens (warcio, pywb, FastWARC).

One ``request`` and one ``response`` record per exchange, each record its own gzip member in a
``.warc.gz`` (so that a record's offset is where a reader can start), after one ``warcinfo``
record per writing session.  A file that exists is appended to: a resumed collect keeps one
archive.  Digests (``WARC-Block-Digest``, ``WARC-Payload-Digest``: SHA-1, base 32) let readers
verify every record.

The body given is the entity as the client handed it over, already decoded (httpx decodes
``Content-Encoding``, and transfer framing is never kept): the response headers that described
the wire form (``Content-Encoding``, ``Transfer-Encoding``, ``Content-Length``) are kept under
``X-Archive-Orig-<name>`` and a true ``Content-Length`` is written, so the record replays as
the bytes it holds.

>>> import io, datetime
>>> out = io.BytesIO()
>>> with WarcWriter(out, gzip=False) as warc:
...     _ = warc.write_exchange(Exchange(
...         url="https://example.org/a", status=200, reason="OK",
...         response_headers=(("Content-Type", "text/html"),), body=b"<p>Hi</p>",
...         fetched_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)))
>>> out.getvalue().count(b"WARC-Type: ")
3
"""

from __future__ import annotations

import base64
import gzip as gzip_module
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import IO, Final

from linkgraph.web.fetch import FetchResult

__all__ = ["Exchange", "WarcWriter", "exchange_of"]

# Response headers that describe the bytes on the wire, not the decoded body that is kept.
WIRE_HEADERS: Final = frozenset({"content-encoding", "transfer-encoding", "content-length"})
CRLF: Final = b"\r\n"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP request and its response, as fetched."""

    url: str
    status: int
    reason: str
    response_headers: tuple[tuple[str, str], ...]
    body: bytes  # the decoded entity (``httpx.Response.content``)
    fetched_at: datetime  # timezone-aware: when the response started
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...] = ()
    http_version: str = "HTTP/1.1"
    ip: str | None = None  # the address connected to (``WARC-IP-Address``)


def exchange_of(
    result: FetchResult, request_headers: tuple[tuple[str, str], ...] = ()
) -> Exchange | None:
    """The exchange a fetch result holds (its final answer, at its final URL), or ``None`` for
    a fetch that got no whole answer (refused, network failure, body over the cap).

    >>> import datetime
    >>> moment = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    >>> got = FetchResult("http://a.example/x", moment, 200, "http://a.example/y", body=b"hi")
    >>> exchange_of(got).url, exchange_of(got).reason
    ('http://a.example/y', 'OK')
    >>> exchange_of(FetchResult("http://a.example/x", moment)) is None
    True
    """
    if result.error is not None or result.status is None:
        return None
    try:
        reason = HTTPStatus(result.status).phrase
    except ValueError:
        reason = ""
    return Exchange(
        url=result.final_url or result.url,
        status=result.status,
        reason=reason,
        response_headers=result.headers,
        body=result.body,
        fetched_at=result.fetched_at,
        request_headers=request_headers,
    )


class WarcWriter:
    """Append exchanges to a WARC file (``.warc.gz``: gzip per record) or a binary stream."""

    def __init__(
        self, target: str | Path | IO[bytes], *, gzip: bool | None = None, software: str = ""
    ) -> None:
        if isinstance(target, (str, Path)):
            self._gzip = str(target).lower().endswith(".gz") if gzip is None else gzip
            self._stream: IO[bytes] = Path(target).open("ab")  # noqa: SIM115 - closed in close()
            self._owned = True
        else:
            self._gzip = True if gzip is None else gzip
            self._stream = target
            self._owned = False
        self.software = software or f"linkgraph/{_version()}"
        self._write_warcinfo()

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Flush, and close the file when this writer opened it."""
        self._stream.flush()
        if self._owned:
            self._stream.close()

    def write_exchange(self, exchange: Exchange) -> int:
        """Write the response and its request; the response record's offset in the file."""
        date = _warc_date(exchange.fetched_at)
        response_id = _record_id()
        payload = exchange.body
        head = [f"{exchange.http_version} {exchange.status} {exchange.reason}".rstrip()]
        for name, value in exchange.response_headers:
            if name.lower() in WIRE_HEADERS:
                name = f"X-Archive-Orig-{name}"  # noqa: PLW2901 - the header is renamed
            head.append(f"{name}: {_one_line(value)}")
        head.append(f"Content-Length: {len(payload)}")
        block = _http_head(head) + payload
        response_headers = [
            ("WARC-Type", "response"),
            ("WARC-Record-ID", response_id),
            ("WARC-Date", date),
            ("WARC-Target-URI", exchange.url),
            *((("WARC-IP-Address", exchange.ip),) if exchange.ip else ()),
            ("WARC-Payload-Digest", _digest(payload)),
            ("Content-Type", "application/http;msgtype=response"),
        ]
        offset = self._write_record(response_headers, block)
        target = _request_target(exchange.url)
        request_head = [f"{exchange.method} {target} {exchange.http_version}"]
        request_head += [f"{name}: {_one_line(value)}" for name, value in exchange.request_headers]
        self._write_record(
            [
                ("WARC-Type", "request"),
                ("WARC-Record-ID", _record_id()),
                ("WARC-Date", date),
                ("WARC-Target-URI", exchange.url),
                ("WARC-Concurrent-To", response_id),
                ("Content-Type", "application/http;msgtype=request"),
            ],
            _http_head(request_head),
        )
        return offset

    def _write_warcinfo(self) -> None:
        fields = f"software: {self.software}\r\nformat: WARC File Format 1.1\r\n".encode()
        self._write_record(
            [
                ("WARC-Type", "warcinfo"),
                ("WARC-Record-ID", _record_id()),
                ("WARC-Date", _warc_date(datetime.now(UTC))),
                ("Content-Type", "application/warc-fields"),
            ],
            fields,
        )

    def _write_record(self, headers: list[tuple[str, str]], block: bytes) -> int:
        offset = self._stream.tell()
        lines = [b"WARC/1.1"]
        lines += [f"{name}: {value}".encode() for name, value in headers]
        lines.append(f"WARC-Block-Digest: {_digest(block)}".encode())
        lines.append(f"Content-Length: {len(block)}".encode())
        record = CRLF.join(lines) + CRLF + CRLF + block + CRLF + CRLF
        self._stream.write(gzip_module.compress(record, mtime=0) if self._gzip else record)
        return offset


def _version() -> str:
    try:
        return metadata.version("linkgraph")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "dev"


def _http_head(lines: list[str]) -> bytes:
    # HTTP header bytes are Latin-1 on the wire; anything else is replaced, never raised on.
    return "\r\n".join([*lines, "", ""]).encode("latin-1", "replace")


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def _request_target(url: str) -> str:
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    path = rest[slash:] if slash >= 0 else "/"
    return path.split("#", 1)[0] or "/"


def _digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def _warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
