"""Report folders that never replace each other's reports silently.

The default folder is named after what the report is about: the single input's name, led by
its site when every article comes from one (``reports/example.org-posts``: two sites' exports
both named ``posts.json`` no longer share ``reports/posts``).  Each report folder keeps a small
marker, ``.linkgraph-report.json``, saying which inputs made it.  Writing the report of other
inputs into a default folder that holds one moves on to ``<name>-2``, ``<name>-3``, ...; into
a folder named with ``--out`` it replaces it and says so.  The same inputs again replace their
own report, as before.

Every file of a report belongs to one run: a report is written into a temporary folder
beside its own (``staged``), which then takes its place.  linkgraph's files of an earlier run
(``REPORT_NAMES``: the in-memory, streamed and cluster reports' files) go, so a streamed
report never sits beside the ``index.html`` of an older one; a user's other files in the
folder stay.  A run that fails leaves the folder as it was.

>>> default_out(["exports/posts.json"], None, site="example.org")
PosixPath('reports/example.org-posts')
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from linkgraph.readers import printable_name
from linkgraph.report.markdown import CHART_TITLES
from linkgraph.report.streamed import CLUSTER_FILES, STREAMED_FILES

DEFAULT_ROOT: Final = Path("reports")
MARKER: Final = ".linkgraph-report.json"
_SUFFIXES: Final = (".gz", ".json", ".jsonl", ".ndjson", ".xhtml", ".html", ".htm")
MAX_TRIES: Final = 100  # reports/<name>-2 ... -100: past that, something is wrong
# Every name linkgraph writes into a report folder, whichever way the report was made; only
# these are removed when a report is written again (a user's other files stay).
REPORT_NAMES: Final = frozenset({
    "index.html", "report.md", "report.json", MARKER, *STREAMED_FILES,
    *(f"{stem}{suffix}" for stem in CHART_TITLES for suffix in (".png", ".svg")),
    *(Path(name).parts[0] for name in CLUSTER_FILES),  # the cluster's parquet/ folder
})


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


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A new, empty folder beside *target* to write a report into; when the block ends
    without error it takes *target*'s place (``install``).  On error it is removed and
    *target* is left as it was.  A symbolic link to a folder stands for that folder."""
    if target.is_symlink() and target.is_dir():
        target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name or 'report'}.", suffix=".linkgraph-new",
                                  dir=target.parent))
    try:
        yield stage
        install(stage, target)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def install(stage: Path, target: Path) -> None:
    """Put the report in *stage* in *target*'s place: *target*'s own files (``REPORT_NAMES``)
    of an earlier run go, its other files stay.  A folder holding nothing else is swapped
    whole (two renames: never a folder of two runs' files)."""
    if not target.exists():
        stage.replace(target)
        return
    if not target.is_dir() or target.is_symlink():
        raise NotADirectoryError(20, "not a folder", str(target))
    if all(entry.name in REPORT_NAMES for entry in target.iterdir()):
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".linkgraph-old",
                                    dir=target.parent))
        target.replace(old / target.name)
        stage.replace(target)
        shutil.rmtree(old, ignore_errors=True)
        return
    for entry in target.iterdir():
        if entry.name in REPORT_NAMES:
            _remove(entry)
    for entry in stage.iterdir():
        entry.replace(target / entry.name)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def moved(paths: Sequence[Path], stage: Path, target: Path) -> tuple[Path, ...]:
    """*paths* written under *stage*, as they are named once installed in *target*."""
    return tuple(target / path.relative_to(stage) for path in paths)
