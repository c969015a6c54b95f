"""Manifests: lists of saved pages with their addresses, so each page resolves against its own URL.

A manifest is recognised by its shape, whatever its name:

- JSON: an object mapping file names to URLs (``{"a.html.gz": "https://news.example/a"}``,
  the shape of scrapinghub's article-extraction-benchmark ``urls.json``), or a list of objects
  each with a ``url`` and a ``file`` (or ``path``, ``filename``) member;
- CSV: a header row with a ``url`` column and a ``file`` (or ``path``, ``filename``) column.

Names are relative to the manifest's folder; a name with no file there is looked up by its
base name among the files under that folder (a manifest beside an ``html/`` folder of pages).

Pure functions over bytes and file lists; ``linkgraph.readers`` does the file I/O.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Final

from linkgraph.readers.sniff import InputFormat, format_for_name
from linkgraph.urls import HTTP_SCHEMES, scheme_of

__all__ = ["Manifest", "ManifestEntry", "looks_like_manifest", "parse_manifest"]

FILE_COLUMNS: Final = ("file", "path", "filename")
MAX_MANIFEST_BYTES: Final = 16 * 1024 * 1024
# Cheap first look at a file's head before parsing it whole: a JSON object whose first member
# is a page file name holding a URL, a list whose first object has a url member, a CSV header.
_JSON_MAP_HEAD: Final = re.compile(
    rb'\A\s*\{\s*"[^"\n]+\.(?:html?|xhtml)(?:\.gz)?"\s*:\s*"https?://', re.IGNORECASE
)
_JSON_LIST_HEAD: Final = re.compile(rb'\A\s*\[\s*\{[^{}\[\]]*"url"\s*:', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One line of a manifest: a page file name, its URL, and where it stands (1-based)."""

    name: str
    url: str
    line: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """A parsed manifest: its entries, and what was wrong with the entries it had to drop."""

    path: str
    entries: tuple[ManifestEntry, ...]
    problems: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path) or "."  # noqa: PTH120 - keeps the user's spelling

    def resolve(self, files: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        """Page URLs by file (among *files*, paths as given), and a message per missing entry.

        An entry names the file at its path relative to the manifest's folder, else the one
        file under that folder with its base name.
        """
        folder = self.folder
        by_path: dict[str, str] = {}
        by_name: defaultdict[str, list[str]] = defaultdict(list)
        for file in files:
            by_path[os.path.normpath(file)] = file
            by_name[PurePath(file).name].append(file)
        urls: dict[str, str] = {}
        missing: list[str] = []
        for entry in self.entries:
            exact = by_path.get(os.path.normpath(os.path.join(folder, entry.name)))  # noqa: PTH118
            candidates = [exact] if exact else by_name.get(PurePath(entry.name).name, [])
            if len(candidates) == 1:
                urls[candidates[0]] = entry.url
            elif candidates:
                missing.append(f"{self.path}: entry {entry.line} ({entry.name!r}) matches"
                               f" {len(candidates)} files by name under {folder}; not applied")
            else:
                missing.append(f"{self.path}: entry {entry.line} ({entry.name!r}): no such page"
                               f" file under {folder}; its URL {entry.url} is unused")
        return urls, missing


def looks_like_manifest(head: bytes, name: str) -> bool:
    """Whether a file that starts with *head* may be a manifest (then parse it to know).

    >>> looks_like_manifest(b'{"a.html.gz": "https://x.org/a"}', "urls.json")
    True
    >>> looks_like_manifest(b'{"id": 9, "link": "https://x.org/p/"}', "post.json")
    False
    """
    lower = name.lower()
    if lower.endswith(".csv"):
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
        return "url" in first and any(column in first for column in FILE_COLUMNS)
    if lower.endswith(".json"):
        return bool(_JSON_MAP_HEAD.match(head) or _JSON_LIST_HEAD.match(head))
    return False


def parse_manifest(data: bytes, path: str) -> Manifest | None:
    """The manifest *data* holds, or ``None`` when its shape is not a manifest's.

    >>> m = parse_manifest(b'{"a.html": "https://x.org/a", "b.html": "nope"}', "urls.json")
    >>> [(e.name, e.url) for e in m.entries]
    [('a.html', 'https://x.org/a')]
    >>> m.problems[0]
    "urls.json: entry 2 ('b.html'): 'nope' is not an absolute http(s) URL"
    """
    text = data.decode("utf-8-sig", "replace")
    if path.lower().endswith(".csv"):
        rows = _csv_rows(text)
    else:
        try:
            rows = _json_rows(json.loads(text))
        except ValueError:
            return None
    if rows is None:
        return None
    entries: list[ManifestEntry] = []
    problems: list[str] = []
    for line, name, url in rows:
        if not name:
            problems.append(f"{path}: entry {line}: no file name")
        elif scheme_of(url) not in HTTP_SCHEMES:
            problems.append(f"{path}: entry {line} ({name!r}): {url!r} is not an absolute"
                            " http(s) URL")
        else:
            entries.append(ManifestEntry(name, url.strip(), line))
    return Manifest(path, tuple(entries), tuple(problems))


def _json_rows(value: Any) -> list[tuple[int, str, str]] | None:
    if isinstance(value, dict) and value:
        if not all(isinstance(v, str) for v in value.values()):
            return None
        pages = sum(format_for_name(str(k)) is InputFormat.HTML for k in value)
        if pages * 2 < len(value):  # mostly page names, else some other JSON object
            return None
        return [(n, str(k), v) for n, (k, v) in enumerate(value.items(), 1)]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows = []
        for n, item in enumerate(value, 1):
            column = next((c for c in FILE_COLUMNS if c in item), None)
            if "url" not in item or column is None:
                return None
            rows.append((n, str(item[column] or ""), str(item["url"] or "")))
        return rows
    return None


def _csv_rows(text: str) -> list[tuple[int, str, str]] | None:
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    column = next((c for c in FILE_COLUMNS if c in header), None)
    if "url" not in header or column is None:
        return None
    file_at, url_at = header.index(column), header.index("url")
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", ""]
        rows.append((reader.line_num, cells[file_at].strip(), cells[url_at].strip()))
    return rows
