"""Readers: input files in, ``Article`` records (or ``ReadFailure`` values) out.

``read_inputs`` / ``read_file`` give ``Article`` records; ``read_pages`` gives each article as a
``ParsedPage`` (article, Lexbor tree, page metadata), the hand-off extraction starts from.

Formats: WordPress REST API JSON (a post, a list of posts, JSON Lines; see
``linkgraph.readers.wordpress``) and saved HTML pages (``linkgraph.readers.html``), each
optionally gzipped.  The format comes from the file name (``INPUT_SUFFIXES``), else from the
first bytes.  Folders are walked recursively in sorted order, hidden entries skipped.

Nothing here raises for bad input: a missing, unreadable, empty, binary, corrupt or oversized
file is a ``ReadFailure`` and the batch goes on.  Every warning and failure message starts with
the file and record (``path#N: ...``), so callers print them as they are.

Size cap: ``MAX_INPUT_BYTES`` (64 MiB) per input file, counted on the file and again on its
decompressed bytes; larger inputs are refused with a message that says so, never loaded.

>>> for item in read_inputs(["no/such/file.json"]):
...     print(item.message)
no/such/file.json: no such file
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Final

from linkgraph.readers.html import decode_html, parse_html_page, read_html_page
from linkgraph.readers.parsed import ParsedPage, parse_page
from linkgraph.readers.sniff import (
    GZIP_MAGIC,
    INPUT_SUFFIXES,
    InputFormat,
    binary_kind,
    format_for_name,
    gunzip,
    printable_name,
    size_label,
    sniff_format,
)
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article, Origin, ReadFailure

__all__ = [
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "InputFormat",
    "ParsedPage",
    "decode_html",
    "iter_input_files",
    "parse_html_page",
    "parse_page",
    "parse_wordpress",
    "printable_name",
    "read_file",
    "read_input_pages",
    "read_inputs",
    "read_pages",
]

log = logging.getLogger(__name__)

MAX_INPUT_BYTES: Final = 64 * 1024 * 1024


def iter_input_files(paths: Iterable[str]) -> Iterator[str]:
    """Expand folders (recursively, sorted, known suffixes only); yield other paths as given.

    A folder member's path is the folder as the user wrote it joined with the member's
    relative path, so messages name files the way the user will recognise them.
    """
    for path in paths:
        if Path(path).is_dir():
            yield from _folder_members(path)
        else:
            yield path


def read_inputs(
    paths: Iterable[str], *, base: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> Iterator[Article | ReadFailure]:
    """Read every input (files and folders), streaming one file at a time.

    A folder with no input file in it is a ``ReadFailure`` for that folder.
    """
    for path in _input_files(paths):
        if isinstance(path, ReadFailure):
            yield path
        else:
            yield from read_file(path, base=base, max_bytes=max_bytes)


def read_input_pages(
    paths: Iterable[str], *, base: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> Iterator[ParsedPage | ReadFailure]:
    """:func:`read_inputs` with each article parsed, as :func:`read_pages` gives them."""
    for path in _input_files(paths):
        if isinstance(path, ReadFailure):
            yield path
        else:
            yield from read_pages(path, base=base, max_bytes=max_bytes)


def _input_files(paths: Iterable[str]) -> Iterator[str | ReadFailure]:
    """Every input file (folders expanded), or a failure for a folder with none."""
    for path in paths:
        if Path(path).is_dir():
            members = list(_folder_members(path))
            if not members:
                name = printable_name(path)
                yield ReadFailure(
                    Origin(name),
                    f"{name}: folder holds no input files ({' '.join(INPUT_SUFFIXES)})",
                )
            yield from members
        else:
            yield path


def read_file(
    path: str, *, base: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> Iterator[Article | ReadFailure]:
    """Read one file: its format from its name, else from its first bytes.  Never raises."""
    for item in _read(path, base, max_bytes):
        yield item.article if isinstance(item, ParsedPage) else item


def read_pages(
    path: str, *, base: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> Iterator[ParsedPage | ReadFailure]:
    """Read one file as :func:`read_file` does, each article parsed: a ``ParsedPage`` for
    extraction (a saved page as the reader parsed it, a WordPress post's content parsed here).
    Never raises."""
    for item in _read(path, base, max_bytes):
        yield parse_page(item) if isinstance(item, Article) else item


def _read(
    path: str, base: str | None, max_bytes: int
) -> Iterator[ParsedPage | Article | ReadFailure]:
    """Articles (a saved page as a ``ParsedPage``: it was parsed to be read) and failures."""
    name = printable_name(path)  # for messages and provenance; *path* only opens the file
    origin = Origin(name)
    data, failure = _load(path, max_bytes)
    if failure is not None:
        yield ReadFailure(origin, f"{name}: {failure}")
        return
    note = None
    gzipped = data.startswith(GZIP_MAGIC)
    if gzipped:
        unzipped = gunzip(data, max_bytes)
        if unzipped.error is not None:
            yield ReadFailure(origin, f"{name}: {unzipped.error}")
            return
        data = unzipped.data
        note = f"{name}: {unzipped.warning}" if unzipped.warning else None
    elif path.lower().endswith(".gz"):
        note = f"{name}: named .gz but not gzip-compressed; read as it is"
    if not data.strip():
        yield ReadFailure(
            origin, f"{name}: empty file" + (" once decompressed" if gzipped else "")
        )
        return
    kind = binary_kind(data)
    if kind is not None:
        yield ReadFailure(origin, f"{name}: not a JSON or HTML input: the bytes are {kind}")
        return
    fmt = format_for_name(path) or sniff_format(data)
    if fmt is None:
        start = data[:1024].lstrip()[:12]
        yield ReadFailure(
            origin,
            f"{name}: unknown input format: not named {'/'.join(INPUT_SUFFIXES)} and its bytes"
            f" ({start!r}...) start neither JSON nor HTML",
        )
        return
    try:
        for item in _parse(fmt, data, name, base):
            if note and isinstance(item, ParsedPage):
                article = item.article
                yield item.with_article(replace(article, warnings=(note, *article.warnings)))
            elif note and isinstance(item, Article):
                yield replace(item, warnings=(note, *item.warnings))
            else:
                yield item
    except Exception as exc:  # a reader bug must not end the batch; it is logged in full
        log.exception("reader failed on %s", name)
        yield ReadFailure(origin, f"{name}: internal reader error ({type(exc).__name__}: {exc})")


def _parse(
    fmt: InputFormat, data: bytes, path: str, base: str | None
) -> Iterator[ParsedPage | Article | ReadFailure]:
    if fmt is InputFormat.HTML:
        yield read_html_page(data, path, base=base)
    elif fmt is InputFormat.JSON_LINES:
        yield from parse_wordpress(data, path, lines=True)
    else:
        yield from parse_wordpress(data, path)


def _load(path: str, max_bytes: int) -> tuple[bytes, str | None]:
    """The file's bytes (at most *max_bytes*), or why they cannot be had.

    Only regular files are opened: a FIFO, socket or device named like an input would block
    the batch (a FIFO's ``open`` waits for a writer) or never end.
    """
    try:
        info = os.stat(path)  # noqa: PTH116 - one stat call, no Path object per input
        if stat.S_ISDIR(info.st_mode):
            return b"", _folder_failure(path)
        if not stat.S_ISREG(info.st_mode):
            return b"", f"not a regular file ({_file_type(info.st_mode)}); not read"
        size = info.st_size
        if size > max_bytes:
            return b"", f"{size} bytes is over the input cap of {size_label(max_bytes)}; not read"
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, open still returns.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return b"", "no such file"
    except PermissionError:
        return b"", "permission denied"
    except OSError as exc:
        return b"", f"cannot read: {exc.strerror or exc}"
    if len(data) > max_bytes:  # grew since stat, or a special file
        return b"", f"over the input cap of {size_label(max_bytes)}; not read"
    return data, None


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _folder_failure(path: str) -> str:
    """Why a folder reached the file reader: it could not be listed (else it is no file)."""
    try:
        next(Path(path).iterdir(), None)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        return f"folder cannot be read: {reason}; its files were skipped"
    return "is a folder, not a file"


def _folder_members(folder: str) -> Iterator[str]:
    """Input files under *folder*, sorted; a subfolder that cannot be listed is yielded too, so
    that reading it reports it (the batch goes on, and the exit code says inputs failed)."""
    found: list[tuple[tuple[str, ...], str]] = []

    def unreadable(error: OSError) -> None:
        if error.filename is not None:
            where = Path(os.fsdecode(error.filename)).relative_to(folder).parts
            found.append((where, os.fsdecode(error.filename)))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = Path(root).relative_to(folder).parts
        for name in files:
            if not name.startswith(".") and format_for_name(name) is not None:
                parts = (*rel_root, name)
                found.append((parts, os.path.join(folder, *parts)))  # noqa: PTH118 - keeps the user's spelling
    for _, member in sorted(found):
        yield member

