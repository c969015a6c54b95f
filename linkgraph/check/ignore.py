"""The ignore file: URL patterns a newsroom never wants checked, one regular expression a line.

``.linkgraphignore`` (read from the current folder when present, or named with
``--ignore-file``) holds Python regular expressions searched anywhere in the URL, like
lychee's ``.lycheeignore``; blank lines and lines starting with ``#`` are skipped, and a line
starting with ``!`` is an *include* pattern (checked even when an exclude pattern matches)::

    # paywalled, always 403 to robots
    ^https://(www\\.)?ft\\.com/
    # our own staging server
    //staging\\.example\\.org/
    !^https://(www\\.)?ft\\.com/content/public-

>>> parse_ignore_lines(["# c", "", "^https://a\\\\.test/", "!/keep/"], "x")
IgnorePatterns(exclude=('^https://a\\\\.test/',), include=('/keep/',))
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from linkgraph.errors import ConfigError

DEFAULT_IGNORE_FILE: Final = ".linkgraphignore"


@dataclass(frozen=True, slots=True)
class IgnorePatterns:
    """Exclude and include URL patterns, in file order."""

    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()


def parse_ignore_lines(lines: Iterable[str], origin: str) -> IgnorePatterns:
    """The patterns of an ignore file's *lines*; ``ConfigError`` names *origin* and the line
    of an invalid pattern."""
    exclude: list[str] = []
    include: list[str] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        target, pattern = (include, line[1:].strip()) if line.startswith("!") else (exclude, line)
        try:
            re.compile(pattern)
        except re.error as exc:
            message = f"{origin}:{number}: invalid URL pattern {pattern!r}: {exc}"
            raise ConfigError(message) from None
        target.append(pattern)
    return IgnorePatterns(tuple(exclude), tuple(include))


def read_ignore_file(path: str | Path | None) -> IgnorePatterns:
    """The patterns of *path*, or of ``.linkgraphignore`` in the current folder when *path* is
    ``None`` (none when it is absent); ``ConfigError`` when a named file cannot be read."""
    if path is None:
        default = Path(DEFAULT_IGNORE_FILE)
        if not default.is_file():
            return IgnorePatterns()
        path = default
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the ignore file {path}: {exc}") from None
    return parse_ignore_lines(text.splitlines(), str(path))
