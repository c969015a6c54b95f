"""Article URLs given as a list: arguments, a file of one URL per line, a CSV with a url column,
or ``-`` for standard input.

Blank lines and ``#`` comments are skipped; a line that is not an absolute http(s) URL is a
problem naming the source and line, and the rest is read.  A URL listed twice comes once.

>>> urls, problems = parse_url_lines("# mine\\nhttps://a.example/1\\n\\nnot a url\\n", "list.txt")
>>> [u.url for u in urls], problems
(['https://a.example/1'], ["list.txt:4: 'not a url' is not an absolute http(s) URL"])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, TextIO

from linkgraph.errors import InputError
from linkgraph.urls import HTTP_SCHEMES, resolve_href, scheme_of, strip_credentials

__all__ = ["ListedUrl", "parse_url_csv", "parse_url_lines", "read_url_sources"]

URL_COLUMNS: Final = ("url", "link", "href", "loc")  # the first one a CSV header has is used
STDIN: Final = "-"


@dataclass(frozen=True, slots=True)
class ListedUrl:
    """One URL and where it was listed (``line`` is 1-based; 0 for a command-line argument)."""

    url: str
    source: str
    line: int = 0


def parse_url_lines(text: str, source: str) -> tuple[list[ListedUrl], list[str]]:
    """URLs one per line; blank lines and ``#`` comments skipped."""
    urls: list[ListedUrl] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        value = line.strip().removeprefix("\ufeff")
        if not value or value.startswith("#"):
            continue
        _add(value, source, number, urls, problems)
    return urls, problems


def parse_url_csv(
    text: str, source: str, column: str | None = None
) -> tuple[list[ListedUrl], list[str]]:
    """URLs from a CSV's *column* (default: the first of url, link, href, loc in its header).

    Raises ``InputError`` when the header has no such column.
    """
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), dialect)
    header = [cell.strip().lower() for cell in next(reader, [])]
    wanted = [column.lower()] if column else list(URL_COLUMNS)
    at = next((header.index(name) for name in wanted if name in header), None)
    if at is None:
        raise InputError(f"{source}: no {' or '.join(wanted)} column in the CSV header"
                         f" ({', '.join(header) or 'empty'})")
    urls: list[ListedUrl] = []
    problems: list[str] = []
    for row in reader:
        value = row[at].strip() if at < len(row) else ""
        if not value:
            if any(cell.strip() for cell in row):
                problems.append(f"{source}:{reader.line_num}: no URL in column {header[at]!r}")
            continue
        _add(value, source, reader.line_num, urls, problems)
    return urls, problems


def read_url_sources(
    arguments: Iterable[str] = (),
    files: Iterable[str] = (),
    *,
    stdin: TextIO | None = None,
    column: str | None = None,
) -> tuple[list[ListedUrl], list[str]]:
    """Every URL from *arguments* (``-`` reads *stdin*) and *files* (``-`` too), in order, once.

    A file named ``.csv``/``.tsv``, or whose first line is a header with a URL column, is read
    as CSV; any other as one URL per line.  Raises ``InputError`` for a file that cannot be
    read (named in the message).
    """
    urls: list[ListedUrl] = []
    problems: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            _extend(_read_list(_stdin_text(stdin), "<stdin>", column), urls, problems)
        else:
            _add(argument.strip(), "<arguments>", 0, urls, problems)
    for file in files:
        if file == STDIN:
            text, name = _stdin_text(stdin), "<stdin>"
        else:
            name = file
            try:
                with open(file, encoding="utf-8", errors="replace", newline="") as handle:  # noqa: PTH123
                    text = handle.read()
            except OSError as exc:
                reason = exc.strerror or exc
                raise InputError(f"{file}: cannot read the URL list: {reason}") from exc
        _extend(_read_list(text, name, column), urls, problems)
    unique: dict[str, ListedUrl] = {}
    for listed in urls:
        unique.setdefault(listed.url, listed)
    return list(unique.values()), problems


def _read_list(text: str, source: str, column: str | None) -> tuple[list[ListedUrl], list[str]]:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    cells = {cell.strip().strip('"') for cell in re.split("[,;\t]", first)}
    wanted = {column.lower()} if column else set(URL_COLUMNS)
    is_csv = source.lower().endswith((".csv", ".tsv")) or bool(cells & wanted)
    return parse_url_csv(text, source, column) if is_csv else parse_url_lines(text, source)


def _stdin_text(stdin: TextIO | None) -> str:
    if stdin is None:
        raise InputError("-: no standard input to read URLs from")
    return stdin.read()


def _extend(
    found: tuple[list[ListedUrl], list[str]], urls: list[ListedUrl], problems: list[str]
) -> None:
    urls.extend(found[0])
    problems.extend(found[1])


def _add(value: str, source: str, line: int, urls: list[ListedUrl], problems: list[str]) -> None:
    where = f"{source}:{line}" if line else source
    url = resolve_href(value, None) if scheme_of(value) in HTTP_SCHEMES else None
    if url is None:
        problems.append(f"{where}: {value[:200]!r} is not an absolute http(s) URL")
        return
    urls.append(ListedUrl(strip_credentials(url), source, line))
