"""Report folders that never replace each other's reports silently.

The default folder is named after what the report is about: the single input's name, led by
its site when every article comes from one (``reports/example.org-posts``: two sites' exports
both named ``posts.json`` no longer share ``reports/posts``).  Each report folder keeps a small
marker, ``.linkgraph-report.json``, saying which inputs made it.  Writing the report of other
inputs into a default folder that holds one moves on to ``<name>-2``, ``<name>-3``, ...; into
a folder named with ``--out`` it replaces it and says so.  The same inputs again replace their
own report, as before.

>>> default_out(["exports/posts.json"], None, site="example.org")
PosixPath('reports/example.org-posts')
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from linkgraph.readers import printable_name

DEFAULT_ROOT: Final = Path("reports")
MARKER: Final = ".linkgraph-report.json"
_SUFFIXES: Final = (".gz", ".json", ".jsonl", ".ndjson", ".xhtml", ".html", ".htm")
MAX_TRIES: Final = 100  # reports/<name>-2 ... -100: past that, something is wrong


def default_out(inputs: Sequence[str], db: str | None, *, site: str | None = None) -> Path:
    """``reports/<name>``: the single input's stem (``stdin`` for ``-``), the store's stem,
    or ``corpus``; led by *site* (the articles' one site, when they have one) unless the
    name already holds it."""
    if db and not inputs:
        return DEFAULT_ROOT / Path(db).stem
    if len(inputs) == 1:
        name = "stdin" if inputs[0] == "-" else Path(inputs[0].rstrip("/\\")).name
        for suffix in _SUFFIXES:
            name = name.removesuffix(suffix)
        name = name or "corpus"
    else:
        name = "corpus"
    if site and site.lower() not in name.lower():
        name = f"{site}-{name}"
    return DEFAULT_ROOT / name


def inputs_key(inputs: Sequence[str], db: str | None) -> str:
    """Which inputs made a report, as a digest (the marker names no machine path): the
    absolute paths of the inputs, or of the store."""
    where = [os.path.abspath(p) if p != "-" else "-" for p in inputs] or [  # noqa: PTH100
        f"db:{os.path.abspath(db or '')}"  # noqa: PTH100
    ]
    return hashlib.sha1("\0".join(where).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _made_by(folder: Path) -> str | None:
    """The inputs key in *folder*'s marker; ``None`` when it has none (or a broken one)."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    key = data.get("inputs_key") if isinstance(data, dict) else None
    return key if isinstance(key, str) else None


def _other_report(folder: Path, key: str) -> bool:
    """True when *folder* holds the report of other inputs (its marker says so)."""
    made_by = _made_by(folder)
    return made_by is not None and made_by != key


def _name(path: Path) -> str:
    return printable_name(str(path))


@dataclass(frozen=True, slots=True)
class Folder:
    """Where a report goes, and what the user must be told about it (``None``: nothing)."""

    path: Path
    note: str | None = None


def choose_folder(out: Path | None, default: Path, key: str) -> Folder:
    """The folder for a report of the inputs *key*: *out* when given (replacing another
    report there is said), else *default* or the first ``<default>-N`` that holds no report
    of other inputs."""
    if out is not None:
        if _other_report(out, key):
            return Folder(out, f"{_name(out)} held the report of other inputs; it is replaced")
        return Folder(out)
    if not _other_report(default, key):
        return Folder(default)
    for number in range(2, MAX_TRIES + 1):
        candidate = default.with_name(f"{default.name}-{number}")
        if not _other_report(candidate, key):
            return Folder(
                candidate,
                f"{_name(default)} holds the report of other inputs; this one goes to"
                f" {_name(candidate)} (name the folder with --out)",
            )
    return Folder(default, f"{_name(default)} and {MAX_TRIES - 1} more hold reports of other"
                           f" inputs; {_name(default)} is replaced")


def mark_folder(folder: Path, key: str, inputs: Sequence[str], db: str | None) -> None:
    """Write *folder*'s marker: which inputs made the report in it."""
    marker = {"inputs_key": key, "inputs": [printable_name(p) for p in inputs],
              "db": printable_name(db) if db else None}
    (folder / MARKER).write_text(json.dumps(marker, ensure_ascii=False) + "\n", encoding="utf-8")
