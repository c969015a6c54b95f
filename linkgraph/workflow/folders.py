"""Report folders that never replace each other's reports silently.

The default folder is named after what the report is about: the single input's name, led by
its site when every article comes from one (``reports/example.org-posts``: two sites' exports
both named ``posts.json`` no longer share ``reports/posts``).  Each report folder keeps a small
marker, ``.linkgraph-report.json``, saying which inputs made it.  Writing the report of other
inputs into a default folder that holds one moves on to ``<name>-2``, ``<name>-3``, ...; into
a folder named with ``--out`` it replaces it and says so.  The same inputs again replace their
own report, as before.

Every file of a report belongs to one run: a report is written into a temporary folder
beside its own (``staged``; inside it when only the folder itself can be written), which then
takes its place.  The files of the earlier run that the marker lists (of ``REPORT_NAMES``:
the in-memory, streamed and cluster reports' files) go, so a streamed report never sits
beside the ``index.html`` of an older one.  In a folder without a marker (the user's own)
only the files this run writes are replaced, and a user's folder in their way stops the run.
A user's other files stay; the folder keeps its mode (a new one gets the umask's); a run
that fails, even halfway through the swap, leaves the folder as it was.

>>> default_out(["exports/posts.json"], None, site="example.org")
PosixPath('reports/example.org-posts')
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
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


def _marker(folder: Path) -> dict[str, object] | None:
    """*folder*'s marker; ``None`` when it has none (or a broken one)."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("inputs_key"), str) else None


def _made_by(folder: Path) -> str | None:
    """The inputs key in *folder*'s marker; ``None`` when it has none (or a broken one)."""
    marker = _marker(folder)
    return str(marker["inputs_key"]) if marker is not None else None


def _earlier_files(folder: Path) -> frozenset[str]:
    """The names of linkgraph's files of the report in *folder*: those its marker lists (of
    ``REPORT_NAMES``), every one of ``REPORT_NAMES`` when its marker lists none (written
    before markers did), none when it has no marker: then the folder is the user's."""
    marker = _marker(folder)
    if marker is None:
        return frozenset()
    files = marker.get("files")
    if files is None:
        return REPORT_NAMES
    return REPORT_NAMES & frozenset(files) if isinstance(files, list) else frozenset()


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
    """Write *folder*'s marker: which inputs made the report in it, and the names of its
    files (what is in *folder* now), so that the next run removes those and no other."""
    files = sorted({entry.name for entry in folder.iterdir()} | {MARKER})
    marker = {"inputs_key": key, "inputs": [printable_name(p) for p in inputs],
              "db": printable_name(db) if db else None, "files": files}
    (folder / MARKER).write_text(json.dumps(marker, ensure_ascii=False) + "\n", encoding="utf-8")


def _writable(folder: Path) -> bool:
    """True when entries can be made and removed in *folder*."""
    return os.access(folder, os.W_OK | os.X_OK)


class _NotPutBack(OSError):
    """A swap failed and the earlier report could not be put back whole: the folder it was
    moved aside to is kept (the message names it)."""


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A new, empty folder to write a report into; when the block ends without error it takes
    *target*'s place (``install``).  On error it is removed and *target* is left as it was.
    A symbolic link to a folder stands for that folder.

    The new folder is made beside *target*; inside it (hidden) when *target* is a folder that
    can be written but its parent cannot.  It has the mode a new folder gets (the umask's)."""
    if target.is_symlink() and target.is_dir():
        target = target.resolve()
    inside = target.is_dir() and not _writable(target.parent) and _writable(target)
    if not inside:
        target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name or 'report'}.", suffix=".linkgraph-new",
                                 dir=target if inside else target.parent))
    keep = False
    try:
        stage = work / "report"
        stage.mkdir()
        yield stage
        install(stage, target, work / "earlier")
    except _NotPutBack:
        keep = True
        raise
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def install(stage: Path, target: Path, aside: Path) -> None:
    """Put the report in *stage* in *target*'s place, moving what it replaces to *aside* (a
    new path on the same file system) until it is in; a failure puts everything back.

    In a folder with linkgraph's marker, the files of the earlier run go; in any folder, the
    files of this run replace those of the same name; a user's other files stay.  A folder of
    a user's (no marker, or not among its files) that is in the way stops the run before
    anything moves.  A folder holding nothing but the earlier run's files is swapped whole
    (two renames: never a folder of two runs' files), keeping its mode."""
    if not target.exists() and not target.is_symlink():
        stage.replace(target)
        return
    if not target.is_dir() or target.is_symlink():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(target))
    earlier = _earlier_files(target)
    present = {entry.name for entry in target.iterdir() if entry not in stage.parents}
    if earlier and present <= earlier and target not in stage.parents:
        _swap_whole(stage, target, aside)
        return
    incoming = sorted(entry.name for entry in stage.iterdir())
    going = sorted((earlier | set(incoming)) & present)
    for name in going:
        path = target / name
        if name not in earlier and path.is_dir() and not path.is_symlink():
            shown = printable_name(name)
            raise IsADirectoryError(
                errno.EISDIR, f"the report writes {shown}, and {shown} there is a folder that"
                " linkgraph did not write; move it or choose another folder", str(path))
    aside.mkdir()
    moves: list[tuple[Path, Path]] = []  # done so far, to undo in reverse
    try:
        for name in going:
            (target / name).replace(aside / name)
            moves.append((target / name, aside / name))
        for name in incoming:
            (stage / name).replace(target / name)
            moves.append((stage / name, target / name))
    except BaseException as exc:  # an interrupt too: the earlier report is put back
        _put_back([(done, was) for was, done in reversed(moves)], aside, exc)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _swap_whole(stage: Path, target: Path, aside: Path) -> None:
    """*stage* becomes *target*, with its mode (and group, where allowed); the old folder
    goes to *aside* and, once *stage* is in, away."""
    status = target.stat()
    with contextlib.suppress(OSError):  # only a member of the group may give it
        os.chown(stage, -1, status.st_gid)
    stage.chmod(stat.S_IMODE(status.st_mode))
    target.replace(aside)
    try:
        stage.replace(target)
    except BaseException as exc:
        _put_back([(aside, target)], aside, exc)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _put_back(moves: Sequence[tuple[Path, Path]], aside: Path, failure: BaseException) -> None:
    """Undo *moves* (each from, to) after *failure*; when one cannot be undone, raise
    ``_NotPutBack`` naming *aside*, which keeps what it holds."""
    stuck = False
    for source, destination in moves:
        try:
            source.replace(destination)
        except OSError:
            stuck = True
    if stuck:
        said = failure.strerror if isinstance(failure, OSError) and failure.strerror else failure
        raise _NotPutBack(
            errno.EIO, f"{said or type(failure).__name__}; the earlier report could not be put"
            f" back whole: what is missing of it is in {_name(aside)}") from failure


def moved(paths: Sequence[Path], stage: Path, target: Path) -> tuple[Path, ...]:
    """*paths* written under *stage*, as they are named once installed in *target*."""
    return tuple(target / path.relative_to(stage) for path in paths)
