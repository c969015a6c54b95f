"""Which files to read, each with the page URL its HTML resolves against: folders expanded,
manifests found and applied (``linkgraph.readers.manifest`` recognises them by shape).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from linkgraph.errors import InputError
from linkgraph.readers.files import folder_members, load, open_regular
from linkgraph.readers.manifest import (
    MAX_MANIFEST_BYTES,
    Manifest,
    ManifestEntry,
    looks_like_manifest,
    parse_manifest,
)
from linkgraph.readers.sniff import printable_name

__all__ = ["InputFile", "plan_inputs", "read_manifest"]

log = logging.getLogger("linkgraph.readers")

MAX_MANIFEST_WARNINGS: Final = 10  # per manifest; then one line with the count of the rest


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
        urls = _apply(loaded, folder_members(loaded.folder), explicit=True)
        given = {os.path.realpath(file): url for file, url in urls.items()}
    for path in paths:
        if Path(path).is_dir():
            members = list(folder_members(path))
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
        urls = _apply(named, folder_members(named.folder))
        for page, url in urls.items():
            yield InputFile(page, given.get(os.path.realpath(page)) or url)


def read_manifest(path: str) -> Manifest:
    """The manifest at *path*; ``InputError`` when it cannot be read or is not one."""
    name = printable_name(path)
    data, failure = load(path, MAX_MANIFEST_BYTES)
    if failure is not None:
        raise InputError(f"{name}: {failure}")
    manifest = parse_manifest(data, name)
    if manifest is None:
        raise InputError(f"{name}: not a manifest (a JSON object of file names to URLs, or a"
                         " JSON list or CSV with file and url columns)")
    return manifest


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
    handle, _ = open_regular(path, None)
    if handle is None:
        return b""
    with handle:
        try:
            return handle.read(4096)
        except OSError:
            return b""


def _load_manifest(path: str) -> Manifest | None:
    data, failure = load(path, MAX_MANIFEST_BYTES)
    if failure is not None:
        return None
    return parse_manifest(data, printable_name(path))


def _apply(manifest: Manifest, files: Iterable[str], *, explicit: bool = False) -> dict[str, str]:
    """The page URL of each file *manifest* names; its problems logged as warnings.

    An entry that names a file outside the manifest's folder (an absolute path, ``../``, a
    symbolic link out) is refused with a warning, so that a manifest found among the inputs
    cannot pull in any local file; when the manifest is *explicit* (``--manifest``), such a
    file is read, with a warning naming it.
    """
    files = list(files)
    known = {os.path.normpath(file) for file in files}
    kept: list[ManifestEntry] = []
    outside: list[str] = []
    for entry in manifest.entries:
        named = os.path.join(manifest.folder, entry.name)  # noqa: PTH118 - user's spelling
        if not _inside(named, manifest.folder):
            if not explicit:
                outside.append(f"{manifest.path}: entry {entry.line} ({entry.name!r}) names a"
                               " file outside the manifest's folder; refused (name the"
                               " manifest with --manifest to read it)")
                continue
            if os.path.isfile(named):  # noqa: PTH113
                log.warning("%s: entry %d reads %s, outside the manifest's folder",
                            manifest.path, entry.line, named)
        kept.append(entry)
        if os.path.normpath(named) not in known and os.path.isfile(named):  # noqa: PTH113
            files.append(named)
    if outside:
        manifest = replace(manifest, entries=tuple(kept))
    urls, missing = manifest.resolve(files)
    problems = [*manifest.problems, *outside, *missing]
    for problem in problems[:MAX_MANIFEST_WARNINGS]:
        log.warning("%s", problem)
    if len(problems) > MAX_MANIFEST_WARNINGS:
        log.warning("%s: %d more entries like these were not applied", manifest.path,
                    len(problems) - MAX_MANIFEST_WARNINGS)
    log.info("%s: page URLs for %d files", manifest.path, len(urls))
    return urls


def _inside(path: str, folder: str) -> bool:
    """Whether *path* (symbolic links followed) lies under *folder*."""
    root = os.path.realpath(folder)
    return os.path.commonpath([root, os.path.realpath(path)]) == root
