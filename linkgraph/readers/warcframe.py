"""A WARC stream's records, read past damage: each stretch that cannot be parsed becomes a
``ReadFailure`` naming the file and the offset where it starts, and reading resumes at the next
record start (the next gzip member of a ``.warc.gz``, the next ``WARC/1.`` line of a ``.warc``).

The WARC framing is read strictly by FastWARC (its quirks mode would skip damage in silence).
A file cut off inside its last record (a download or copy that stopped: FastWARC reads what is
there and says nothing) ends with a ``ReadFailure`` "truncated at byte N (record at OFFSET)":
its gzip member is unfinished, or its block is shorter than its ``Content-Length``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO, Final

from fastwarc.warc import ArchiveIterator, WarcRecord

from linkgraph.readers.sniff import GZIP_MAGIC
from linkgraph.records import Origin, ReadFailure

__all__ = [
    "WARC_MAGIC", "block_length", "is_truncation", "next_record", "record_end", "warc_records",
]

WARC_MAGIC: Final = b"WARC/1."
SCAN_CHUNK: Final = 1 << 20
MAX_WARC_HEADER: Final = 32 << 10  # FastWARC's own limit


def warc_records(
    stream: IO[bytes], label: str, stop: int | None = None
) -> Iterator[WarcRecord | ReadFailure]:
    """Every record of a WARC stream from where it stands (up to the one that starts at
    *stop*), and a failure for each stretch that cannot be parsed: reading resumes at the
    next record start after it."""
    start = stream.tell()
    gzipped = stream.read(2) == GZIP_MAGIC
    while True:
        stream.seek(start)
        last: tuple[int, int] | None = None  # offset and length of the last good record
        try:
            # Every record type is iterated (not filtered by FastWARC) so that *last* is the
            # record before any damage: the damaged one starts where it ends.
            # WARC framing is read strictly (damage must be named, not skipped in silence); the
            # HTTP head of a response is parsed later, leniently (_http).
            for record in ArchiveIterator(stream, parse_http=False):
                if stop is not None and record.stream_pos >= stop:
                    return
                last = (record.stream_pos, block_length(record))
                yield record
        except (OSError, ValueError, RuntimeError) as exc:
            size = stream.seek(0, 2)  # only now: seeking a WACZ member to its end inflates it
            if last is not None and _cut_off(stream, *last, gzipped=gzipped, size=size):
                yield _truncated(label, last[0], size)  # the file ends inside the last record
                return
            bad = start if last is None else record_end(stream, *last, gzipped=gzipped)
            if stop is not None and bad >= stop:
                return  # the next span's reader starts there
            resume = next_record(stream, bad + 1, gzipped)
            if resume is None and _cut_off(stream, bad, None, gzipped=gzipped, size=size):
                yield _truncated(label, bad, size)
                return
            if stop is not None and resume is not None and resume >= stop:
                resume = stop
            after = f"reading goes on at offset {resume}" if resume else "nothing follows it"
            yield ReadFailure(
                Origin(label, bad), f"{label}#{bad}: malformed WARC record ({exc}); {after}"
            )
            if resume is None or resume == stop:
                return
            start = resume
            continue
        size = stream.seek(0, 2)
        cut = _cut_record(stream, start, last, gzipped=gzipped, size=size)
        if cut is not None and (stop is None or cut < stop):
            yield _truncated(label, cut, size)
        return


TRUNCATED: Final = "truncated at byte"


def _truncated(label: str, offset: int, size: int) -> ReadFailure:
    return ReadFailure(Origin(label, offset), f"{label}#{offset}: {TRUNCATED} {size} (record at"
                       f" {offset}): the file ends inside it")


def is_truncation(failure: ReadFailure) -> bool:
    """Whether *failure* is the one ``warc_records`` gives for a file cut off in a record."""
    return f": {TRUNCATED} " in failure.message


def _cut_record(
    stream: IO[bytes], start: int, last: tuple[int, int] | None, *, gzipped: bool, size: int
) -> int | None:
    """Where the record the file ends inside starts, after a read that raised nothing: the
    *last* record read (offset, block length), or bytes after it that made no record (a
    record cut inside its head); ``None`` when the file ends where a record does."""
    if last is not None and _cut_off(stream, *last, gzipped=gzipped, size=size):
        return last[0]
    after = start if last is None else record_end(stream, *last, gzipped=gzipped)
    if after >= size:
        return None
    stream.seek(after)
    return after if stream.read(64).strip(b"\r\n\t \0") else None


def _cut_off(
    stream: IO[bytes], offset: int, length: int | None, *, gzipped: bool, size: int
) -> bool:
    """Whether the record at *offset* (block *length* bytes, when known) runs past the end of
    the file (*size* bytes): an unfinished gzip member, or a block cut short."""
    if offset >= size:
        return False  # a whole-file gzip: FastWARC places its records at the member's end
    stream.seek(offset)
    if gzipped:
        engine = zlib.decompressobj(wbits=31)
        try:
            while not engine.eof and (chunk := stream.read(SCAN_CHUNK)):
                engine.decompress(chunk, 1 << 16)
                while engine.unconsumed_tail and not engine.eof:
                    engine.decompress(engine.unconsumed_tail, 1 << 16)
        except zlib.error:
            return False  # damage, not an end: named as malformed
        return not engine.eof
    head = stream.read(MAX_WARC_HEADER)
    if b"\r\n\r\n" not in head:  # cut inside its head (or no record there at all)
        return length is not None or head.startswith(WARC_MAGIC)
    # The block runs past the end (the CRLF CRLF after it may be missing).
    return length is not None and record_end(stream, offset, length, gzipped=False) - 4 > size


def record_end(stream: IO[bytes], offset: int, length: int, *, gzipped: bool) -> int:
    """Where the record at *offset* (its block *length* bytes long) ends in the file."""
    stream.seek(offset)
    if gzipped:  # the end of its gzip member
        engine = zlib.decompressobj(wbits=31)
        consumed = 0
        try:
            while not engine.eof and (chunk := stream.read(SCAN_CHUNK)):
                engine.decompress(chunk, 1 << 16)
                while engine.unconsumed_tail and not engine.eof:
                    engine.decompress(engine.unconsumed_tail, 1 << 16)
                consumed += len(chunk) - len(engine.unused_data)
        except zlib.error:  # damage inside that member: the bad record starts after its head
            return offset + 1
        return offset + consumed
    head = stream.read(MAX_WARC_HEADER)
    blank = head.find(b"\r\n\r\n")
    return offset + (blank + 4 if blank >= 0 else len(head)) + length + 4  # block, CRLF CRLF


def block_length(record: WarcRecord) -> int:
    """The record's block length as its header states it (FastWARC's ``content_length`` is what
    is left after the HTTP headers it parsed)."""
    try:
        return int(record.headers.get("Content-Length") or 0)
    except ValueError:
        return 0


def next_record(stream: IO[bytes], offset: int, gzipped: bool) -> int | None:
    """The offset of the next record start at or after *offset*, or ``None``.

    A record starts a gzip member in a ``.warc.gz`` (records are compressed one by one), else a
    ``WARC/1.`` line.
    """
    needle = GZIP_MAGIC + b"\x08" if gzipped else b"\n" + WARC_MAGIC
    skew = 0 if gzipped else 1
    position = max(0, offset - skew)
    stream.seek(position)
    carry = b""
    while chunk := stream.read(SCAN_CHUNK):
        window = carry + chunk
        found = window.find(needle)
        if found >= 0:
            return position - len(carry) + found + skew
        carry = window[-(len(needle) - 1):]
        position += len(chunk)
    return None
