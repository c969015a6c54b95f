"""Readers: input files in, ``Article`` records (or ``ReadFailure`` values) out.

Formats: WordPress REST API JSON (a post, a list of posts, JSON Lines; see
``linkgraph.readers.wordpress``) and saved HTML pages (``linkgraph.readers.html``), each
optionally gzipped, and web archives (WARC, ``.warc.gz``, WACZ; ``linkgraph.readers.warc``).
The format comes from the file name (``INPUT_SUFFIXES``), else from the first bytes.  Folders
are walked recursively in sorted order, hidden entries skipped.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Final

from linkgraph.errors import InputError
from linkgraph.readers.html import decode_html, parse_html_page
from linkgraph.readers.manifest import (
    MAX_MANIFEST_BYTES,
    Manifest,
    looks_like_manifest,
    parse_manifest,
)
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
from linkgraph.readers.warc import WARC_MAGIC, Span, archive_spans, read_web_archive
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article, Origin, ReadFailure

__all__ = [
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "InputFile",
    "InputFormat",
    "decode_html",
    "iter_input_files",
    "parse_html_page",
    "parse_wordpress",
    "plan_inputs",
    "printable_name",
    "read_file",
    "read_inputs",
    "read_manifest",
    "web_archive_spans",
]

log = logging.getLogger(__name__)

MAX_INPUT_BYTES: Final = 64 * 1024 * 1024
MAX_MANIFEST_WARNINGS: Final = 10  # per manifest; then one line with the count of the rest


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


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read, with the page URL its HTML resolves against (``None``: its own)."""

    path: str
    base: str | None = None


def plan_inputs(
    paths: Iterable[str], *, base: str | None = None, manifest: str | None = None
) -> Iterator[InputFile]:
    """The files to read, each with its page URL: from a manifest naming it, else *base*.

    A folder's manifests (see ``linkgraph.readers.manifest``: any JSON manifest in it, any CSV
    manifest at its top) apply to the pages under their own folder and are not read as
    articles; a manifest given as an input stands for the pages it names; *manifest* (a file)
    applies to every input it names and comes first.  Entries that name no file are logged as
    warnings naming the manifest and entry.

    Raises ``InputError`` when *manifest* cannot be read or is not shaped like a manifest.
    """
    given: dict[str, str] = {}
    if manifest is not None:
        loaded = read_manifest(manifest)
        urls = _apply(loaded, _folder_members(loaded.folder))
        given = {os.path.realpath(file): url for file, url in urls.items()}
    for path in paths:
        if Path(path).is_dir():
            members = list(_folder_members(path))
            found = [m for m in map(_load_manifest, _manifest_candidates(path, members)) if m]
            used = {m.path for m in found}
            pages = [member for member in members if member not in used]
            urls = {}
            for found_manifest in found:
                urls.update(_apply(found_manifest, pages))
            for page in pages:
                yield InputFile(page, given.get(os.path.realpath(page)) or urls.get(page) or base)
            continue
        named = _load_manifest(path) if looks_like_manifest(_head(path), path) else None
        if named is None:
            yield InputFile(path, given.get(os.path.realpath(path)) or base)
            continue
        urls = _apply(named, _folder_members(named.folder))
        for page, url in urls.items():
            yield InputFile(page, given.get(os.path.realpath(page)) or url)


def read_manifest(path: str) -> Manifest:
    """The manifest at *path*; ``InputError`` when it cannot be read or is not one."""
    name = printable_name(path)
    data, failure = _load(path, MAX_MANIFEST_BYTES)
    if failure is not None:
        raise InputError(f"{name}: {failure}")
    manifest = parse_manifest(data, name)
    if manifest is None:
        raise InputError(f"{name}: not a manifest (a JSON object of file names to URLs, or a"
                         " JSON list or CSV with file and url columns)")
    return manifest


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
    for path in paths:
        if Path(path).is_dir() and next(_folder_members(path), None) is None:
            name = printable_name(path)
            yield ReadFailure(
                Origin(name), f"{name}: folder holds no input files ({' '.join(INPUT_SUFFIXES)})"
            )
            continue
        for planned in plan_inputs([path], base=base, manifest=manifest):
            yield from read_file(planned.path, base=planned.base, max_bytes=max_bytes)


def _manifest_candidates(folder: str, members: list[str]) -> list[str]:
    """Files of *folder* that may be manifests: its JSON members and its top-level CSV files."""
    candidates = [member for member in members if member.lower().endswith(".json")]
    try:
        with os.scandir(folder) as entries:
            csvs = sorted(e.name for e in entries if e.name.lower().endswith(".csv")
                          and not e.name.startswith(".") and e.is_file())
    except OSError:
        csvs = []
    candidates += [os.path.join(folder, name) for name in csvs]  # noqa: PTH118 - user's spelling
    return [c for c in candidates if looks_like_manifest(_head(c), c)]


def _head(path: str) -> bytes:
    handle, _ = _open_regular(path, None)
    if handle is None:
        return b""
    with handle:
        try:
            return handle.read(4096)
        except OSError:
            return b""


def _load_manifest(path: str) -> Manifest | None:
    data, failure = _load(path, MAX_MANIFEST_BYTES)
    if failure is not None:
        return None
    return parse_manifest(data, printable_name(path))


def _apply(manifest: Manifest, files: Iterable[str]) -> dict[str, str]:
    """The page URL of each file *manifest* names; its problems logged as warnings.

    An entry may also name a file outside the manifest's folder (an absolute path, ``../``).
    """
    files = list(files)
    known = {os.path.normpath(file) for file in files}
    for entry in manifest.entries:
        named = os.path.join(manifest.folder, entry.name)  # noqa: PTH118 - user's spelling
        if os.path.normpath(named) not in known and os.path.isfile(named):  # noqa: PTH113
            files.append(named)
    urls, missing = manifest.resolve(files)
    problems = [*manifest.problems, *missing]
    for problem in problems[:MAX_MANIFEST_WARNINGS]:
        log.warning("%s", problem)
    if len(problems) > MAX_MANIFEST_WARNINGS:
        log.warning("%s: %d more entries like these were not applied", manifest.path,
                    len(problems) - MAX_MANIFEST_WARNINGS)
    log.info("%s: page URLs for %d files", manifest.path, len(urls))
    return urls


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
    name = printable_name(path)  # for messages and provenance; *path* only opens the file
    origin = Origin(name)
    if format_for_name(path) is InputFormat.WEB_ARCHIVE:
        yield from _read_archive(path, name, max_bytes, span)
        return
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
            if note and isinstance(item, Article):
                yield replace(item, warnings=(note, *item.warnings))
            else:
                yield item
    except Exception as exc:  # a reader bug must not end the batch; it is logged in full
        log.exception("reader failed on %s", name)
        yield ReadFailure(origin, f"{name}: internal reader error ({type(exc).__name__}: {exc})")


def _parse(
    fmt: InputFormat, data: bytes, path: str, base: str | None
) -> Iterator[Article | ReadFailure]:
    if fmt is InputFormat.HTML:
        yield parse_html_page(data, path, base=base)
    elif fmt is InputFormat.JSON_LINES:
        yield from parse_wordpress(data, path, lines=True)
    else:
        yield from parse_wordpress(data, path)


def _load(path: str, max_bytes: int) -> tuple[bytes, str | None]:
    """The file's bytes (at most *max_bytes*), or why they cannot be had."""
    handle, failure = _open_regular(path, max_bytes)
    if handle is None:
        return b"", failure
    try:
        with handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return b"", f"cannot read: {exc.strerror or exc}"
    if len(data) > max_bytes:  # grew since stat, or a special file
        return b"", f"over the input cap of {size_label(max_bytes)}; not read"
    return data, None


def web_archive_spans(path: str, pages_per_span: int) -> list[Span] | None:
    """Parts of the WARC file at *path* that workers can read side by side (about
    *pages_per_span* pages each), or ``None`` when it is not one to split (not named as a WARC
    file, or not readable: reading it whole then says why)."""
    if format_for_name(path) is not InputFormat.WEB_ARCHIVE or path.lower().endswith(".wacz"):
        return None
    handle, _ = _open_regular(path, None)
    if handle is None:
        return None
    with handle:
        return archive_spans(handle, printable_name(path), pages_per_span=pages_per_span)


def _read_archive(
    path: str, name: str, max_bytes: int, span: Span | None = None
) -> Iterator[Article | ReadFailure]:
    """A web archive, opened as any input is (regular files only), read record by record."""
    handle, failure = _open_regular(path, None)
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


def _open_regular(path: str, max_bytes: int | None) -> tuple[BinaryIO | None, str | None]:
    """An open handle on *path*, or why it cannot be had.

    Only regular files are opened: a FIFO, socket or device named like an input would block
    the batch (a FIFO's ``open`` waits for a writer) or never end.  With *max_bytes*, a file
    larger than that is refused before it is opened.
    """
    try:
        info = os.stat(path)  # noqa: PTH116 - one stat call, no Path object per input
        if stat.S_ISDIR(info.st_mode):
            return None, _folder_failure(path)
        if not stat.S_ISREG(info.st_mode):
            return None, f"not a regular file ({_file_type(info.st_mode)}); not read"
        size = info.st_size
        if max_bytes is not None and size > max_bytes:
            return None, f"{size} bytes is over the input cap of {size_label(max_bytes)}; not read"
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, open still returns.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        return os.fdopen(fd, "rb"), None
    except FileNotFoundError:
        return None, "no such file"
    except PermissionError:
        return None, "permission denied"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"


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

