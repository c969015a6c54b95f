"""Readers: input files in, ``Article`` records (or ``ReadFailure`` values) out.

``read_inputs`` / ``read_file`` give ``Article`` records; ``read_pages`` gives each article as a
``ParsedPage`` (article, Lexbor tree, page metadata), the hand-off extraction starts from.

Formats: WordPress REST API JSON (a post, a list of posts, JSON Lines; see
``linkgraph.readers.wordpress``) and saved HTML pages (``linkgraph.readers.html``), each
optionally gzipped, and web archives (WARC, ``.warc.gz``, WACZ; ``linkgraph.readers.warc``).
The format comes from the file name (``INPUT_SUFFIXES``), else from the first bytes.  Folders
are walked recursively in sorted order, hidden entries skipped.  Saved pages get their
addresses from manifests (``linkgraph.readers.manifest``, ``plan_inputs``).

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
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Final

from linkgraph.readers.files import folder_members, load, open_regular
from linkgraph.readers.html import decode_html, parse_html_page, read_html_page
from linkgraph.readers.inputs import InputFile, plan_inputs, read_manifest
from linkgraph.readers.parsed import ParsedPage, parse_page
from linkgraph.readers.sniff import (
    GZIP_MAGIC,
    INPUT_SUFFIXES,
    InputFormat,
    binary_kind,
    format_for_name,
    gunzip,
    printable_name,
    sniff_format,
)
from linkgraph.readers.warc import Span, archive_spans, read_web_archive
from linkgraph.readers.warcframe import WARC_MAGIC
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article, Origin, ReadFailure

__all__ = [
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "InputFile",
    "InputFormat",
    "ParsedPage",
    "decode_html",
    "iter_input_files",
    "parse_html_page",
    "parse_page",
    "parse_wordpress",
    "plan_inputs",
    "printable_name",
    "read_file",
    "read_input_pages",
    "read_inputs",
    "read_manifest",
    "read_pages",
    "web_archive_spans",
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
            yield from folder_members(path)
        else:
            yield path


def read_inputs(
    paths: Iterable[str],
    *,
    base: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    manifest: str | None = None,
) -> Iterator[Article | ReadFailure]:
    """Read every input (files and folders), streaming one file at a time.

    A folder with no input file in it is a ``ReadFailure`` for that folder.  Page URLs come
    from manifests as ``plan_inputs`` says.
    """
    for planned in _input_files(paths, base, manifest):
        if isinstance(planned, ReadFailure):
            yield planned
        else:
            yield from read_file(planned.path, base=planned.base, max_bytes=max_bytes)


def read_input_pages(
    paths: Iterable[str],
    *,
    base: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    manifest: str | None = None,
) -> Iterator[ParsedPage | ReadFailure]:
    """:func:`read_inputs` with each article parsed, as :func:`read_pages` gives them."""
    for planned in _input_files(paths, base, manifest):
        if isinstance(planned, ReadFailure):
            yield planned
        else:
            yield from read_pages(planned.path, base=planned.base, max_bytes=max_bytes)


def _input_files(
    paths: Iterable[str], base: str | None, manifest: str | None
) -> Iterator[InputFile | ReadFailure]:
    """Every input file with its page URL (``plan_inputs``), or a failure for a folder with no
    input file in it."""
    for path in paths:
        if Path(path).is_dir() and next(folder_members(path), None) is None:
            name = printable_name(path)
            yield ReadFailure(
                Origin(name), f"{name}: folder holds no input files ({' '.join(INPUT_SUFFIXES)})"
            )
            continue
        yield from plan_inputs([path], base=base, manifest=manifest)


def read_file(
    path: str,
    *,
    base: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    span: Span | None = None,
) -> Iterator[Article | ReadFailure]:
    """Read one file: its format from its name, else from its first bytes.  Never raises.

    Web archives stream record by record (the cap applies to each page, not to the file);
    *span* reads one part of a WARC file (see ``web_archive_spans``).
    """
    for item in _read(path, base, max_bytes, span):
        yield item.article if isinstance(item, ParsedPage) else item


def read_pages(
    path: str,
    *,
    base: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    span: Span | None = None,
) -> Iterator[ParsedPage | ReadFailure]:
    """Read one file as :func:`read_file` does, each article parsed: a ``ParsedPage`` for
    extraction (a saved page as the reader parsed it, a WordPress post's content parsed here).
    Never raises."""
    for item in _read(path, base, max_bytes, span):
        yield parse_page(item) if isinstance(item, Article) else item


def _read(
    path: str, base: str | None, max_bytes: int, span: Span | None = None
) -> Iterator[ParsedPage | Article | ReadFailure]:
    """Articles (a saved page as a ``ParsedPage``: it was parsed to be read) and failures."""
    name = printable_name(path)  # for messages and provenance; *path* only opens the file
    origin = Origin(name)
    if format_for_name(path) is InputFormat.WEB_ARCHIVE:
        yield from _read_archive(path, name, max_bytes, span)
        return
    data, failure = load(path, max_bytes)
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
    if data.startswith(WARC_MAGIC):  # a web archive under another name
        yield from _read_archive(path, name, max_bytes)
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


def web_archive_spans(path: str, pages_per_span: int) -> Iterator[Span] | None:
    """Parts of the WARC file at *path* that workers can read side by side (about
    *pages_per_span* pages each, each as soon as it is known), or ``None`` when it is not one
    to split (not named as a WARC file)."""
    if format_for_name(path) is not InputFormat.WEB_ARCHIVE or path.lower().endswith(".wacz"):
        return None
    return _spans(path, pages_per_span)


def _spans(path: str, pages_per_span: int) -> Iterator[Span]:
    handle, _ = open_regular(path, None)
    if handle is None:  # reading it whole says why
        yield (0, None)
        return
    with handle:
        yield from archive_spans(handle, printable_name(path), pages_per_span=pages_per_span)


def _read_archive(
    path: str, name: str, max_bytes: int, span: Span | None = None
) -> Iterator[ParsedPage | ReadFailure]:
    """A web archive, opened as any input is (regular files only), read record by record."""
    handle, failure = open_regular(path, None)
    if handle is None:
        yield ReadFailure(Origin(name), f"{name}: {failure}")
        return
    with handle:
        try:
            yield from read_web_archive(handle, name, max_bytes=max_bytes, span=span)
        except Exception as exc:  # a reader bug must not end the batch; it is logged in full
            log.exception("reader failed on %s", name)
            yield ReadFailure(
                Origin(name), f"{name}: internal reader error ({type(exc).__name__}: {exc})"
            )


