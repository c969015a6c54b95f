"""What a file's bytes are, when its name does not say or lies: formats, binaries, gzip.

Pure functions over bytes; ``linkgraph.readers`` does the file I/O.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

GZIP_MAGIC: Final = b"\x1f\x8b"
GZIP_SLICE: Final = 1 << 16  # compressed bytes handed to zlib at a time
MIB: Final = 1024 * 1024

# Leading bytes of common binary formats that end up named .html or .json.
BINARY_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (GZIP_MAGIC, "gzip data"),
)


class InputFormat(StrEnum):
    """The reader an input goes to."""

    WORDPRESS = "wordpress"  # one JSON document: a post or a list of posts
    JSON_LINES = "jsonl"  # one post per line
    HTML = "html"  # one saved page
    WEB_ARCHIVE = "warc"  # WARC, .warc.gz or WACZ: one page per HTML capture


# Name endings, longest first within a format; matched case-insensitively.
SUFFIX_FORMATS: Final = (
    (".json.gz", InputFormat.WORDPRESS),
    (".json", InputFormat.WORDPRESS),
    (".jsonl.gz", InputFormat.JSON_LINES),
    (".ndjson.gz", InputFormat.JSON_LINES),
    (".jsonl", InputFormat.JSON_LINES),
    (".ndjson", InputFormat.JSON_LINES),
    (".html.gz", InputFormat.HTML),
    (".htm.gz", InputFormat.HTML),
    (".xhtml.gz", InputFormat.HTML),
    (".html", InputFormat.HTML),
    (".htm", InputFormat.HTML),
    (".xhtml", InputFormat.HTML),
    (".warc.gz", InputFormat.WEB_ARCHIVE),
    (".warc", InputFormat.WEB_ARCHIVE),
    (".wacz", InputFormat.WEB_ARCHIVE),
)
INPUT_SUFFIXES: Final = tuple(suffix for suffix, _ in SUFFIX_FORMATS)


def format_for_name(name: str) -> InputFormat | None:
    """The format a file name announces, or ``None``.

    >>> format_for_name("posts.JSON.gz"), format_for_name("page.htm"), format_for_name("x.txt")
    (<InputFormat.WORDPRESS: 'wordpress'>, <InputFormat.HTML: 'html'>, None)
    """
    lower = name.lower()
    for suffix, fmt in SUFFIX_FORMATS:
        if lower.endswith(suffix):
            return fmt
    return None


def binary_kind(data: bytes) -> str | None:
    """A description of *data* when it is a known binary format (or has NUL bytes), else None.

    UTF-16 text (NULs in every other byte, with or without a BOM) is not binary.
    """
    for magic, kind in BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:4096]
    nuls = head.count(0)
    if not nuls or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if nuls > len(head) // 3 and max(head[0::2].count(0), head[1::2].count(0)) >= nuls * 0.9:
        return None  # UTF-16 without a BOM: every NUL on one side
    return "binary data (NUL bytes)"


def sniff_format(data: bytes) -> InputFormat | None:
    """The format the first non-blank byte suggests: JSON (``{`` or ``[``) or HTML (``<``)."""
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"{", b"[")):
        return InputFormat.WORDPRESS
    if head.startswith(b"<"):
        return InputFormat.HTML
    return None


@dataclass(frozen=True, slots=True)
class Gunzipped:
    """Decompressed bytes, or why there are none; ``warning`` when only part could be read."""

    data: bytes = b""
    error: str | None = None
    warning: str | None = None


def gunzip(data: bytes, max_bytes: int) -> Gunzipped:
    """Decompress gzip (every member) without ever holding more than *max_bytes* + 1 bytes.

    A stream cut off before its end gives what it held, with a warning; a corrupt stream gives
    what came before the damage with a warning, or an error when that is nothing.  The input
    is fed in slices of ``GZIP_SLICE`` bytes, so that what zlib hands back after each member
    (``unused_data``) is at most a slice: handing it the whole rest made a file of many
    members cost the square of its size.
    """
    out: list[bytes] = []
    size = 0
    pos = 0
    view = memoryview(data)
    over_cap = f"over the input cap of {size_label(max_bytes)} once decompressed"
    while pos < len(data):
        engine = zlib.decompressobj(wbits=31)
        while True:
            end = min(pos + GZIP_SLICE, len(data))
            try:
                chunk = engine.decompress(view[pos:end], max_bytes + 1 - size)
            except zlib.error as exc:
                if size == 0:
                    return Gunzipped(error=f"corrupt gzip data: {exc}")
                return Gunzipped(
                    b"".join(out), warning=f"corrupt gzip data after {size} bytes: {exc}"
                )
            out.append(chunk)
            size += len(chunk)
            if size > max_bytes or engine.unconsumed_tail:
                # Over the cap, or the output limit was reached exactly: one more byte is over.
                return Gunzipped(error=over_cap)
            if engine.eof:
                pos = end - len(engine.unused_data)
                break
            pos = end
            if pos >= len(data):
                return Gunzipped(
                    b"".join(out),
                    warning=f"gzip stream truncated: read {size} bytes before it ended",
                )
        while pos < len(data) and data[pos] == 0:  # NUL padding may follow a member
            pos += 1
        if pos < len(data) and not data.startswith(GZIP_MAGIC, pos):
            break  # trailing garbage after the last member: ignored, as gzip(1) does
    return Gunzipped(b"".join(out))


def size_label(n: int) -> str:
    """A byte count for messages: ``64 MiB`` from one MiB up, else ``N bytes``."""
    return f"{n / MIB:g} MiB" if n >= MIB else f"{n} bytes"


# Characters that must not reach a terminal or a log line raw: C0 and C1 controls (a newline
# would split a message in two, ESC starts a terminal escape sequence) and DEL.
_UNPRINTABLE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable_name(path: str) -> str:
    r"""*path* safe to print and to store: control characters escaped, and the bytes of a name
    that is not valid UTF-8 (surrogate-escaped by the OS layer) shown as ``\xNN``.

    >>> printable_name("a\nb\x1b[31m.json")
    'a\\nb\\x1b[31m.json'
    >>> printable_name("bad\udcff.json")
    'bad\\xff.json'
    >>> printable_name("plain/name.json")
    'plain/name.json'
    """
    if path.isprintable():
        return path
    if any("\udc80" <= char <= "\udcff" for char in path):
        path = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), path)
