"""Writing a report into a folder that already exists: the user's files, the folder's mode
and the earlier report are never lost.

Three faults of the swap once lost them: a folder without linkgraph's marker had every file
named like one of linkgraph's removed (a user's own ``parquet/`` folder included); the new
folder was a private temporary one (mode 0700, unreadable for a web server serving the
reports) and could not be made where the parent folder is not writable; and a move that
failed halfway left neither the old report nor the new one.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.workflow import folders
from linkgraph.workflow.folders import MARKER
from tests.test_report_folders import _export as site_export


def _export(path: Path, ids: list[int]) -> Path:
    return site_export(path, "a.example", ids)


def _report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *args, "-j", "1"])
    return result.exit_code, result.stderr


def _ok(*args: str) -> None:
    code, err = _report(*args)
    assert code == 0, err


def _leftovers(folder: Path) -> set[str]:
    """Staging folders left beside or inside *folder*."""
    return {p.name for where in (folder, folder.parent) for p in where.iterdir()
            if "linkgraph-" in p.name and p.name != MARKER}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return _export(tmp_path / "a.json", [1, 2])


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# -- 1. a folder linkgraph did not write keeps its files -------------------------------------


def _users_folder(folder: Path) -> None:
    (folder / "parquet").mkdir(parents=True)
    (folder / "parquet" / "sales.parquet").write_bytes(b"PAR1 the user's data")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "edges.csv").write_text("from,to\n", encoding="utf-8")  # a streamed report's name
    (folder / "index.html").write_text("<p>my page</p>", encoding="utf-8")


def test_a_users_folder_keeps_its_own_files_run_after_run(tmp_path: Path, source: Path) -> None:
    out = tmp_path / "mine"
    _users_folder(out)
    for _ in range(2):  # the second run finds the folder marked by the first
        _ok(str(source), "--out", str(out))
        assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
        assert (out / "parquet" / "sales.parquet").read_bytes() == b"PAR1 the user's data"
        assert (out / "edges.csv").read_text(encoding="utf-8") == "from,to\n"
        # The files this run writes are replaced: index.html is the report's now.
        assert "my page" not in (out / "index.html").read_text(encoding="utf-8")
        assert (out / MARKER).is_file()
        assert _leftovers(out) == set()


def test_the_marked_runs_files_not_written_again_go(tmp_path: Path, source: Path) -> None:
    db, out = tmp_path / "z.db", tmp_path / "rz"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["-q", "ingest", str(source), "--db", str(db)])
    assert result.exit_code == 0, result.output
    _ok("--db", str(db), "--out", str(out))
    assert {"index.html", "top_sources.png"} <= {p.name for p in out.iterdir()}
    _ok("--db", str(db), "--streamed", "--out", str(out))
    names = {p.name for p in out.iterdir()}
    assert "index.html" not in names and "top_sources.png" not in names  # the earlier run's
    assert {"edges.csv", "notes.txt", MARKER} <= names


def test_a_marker_without_a_list_of_files_is_an_earlier_linkgraph_report(
    tmp_path: Path, source: Path
) -> None:
    out = tmp_path / "r"
    _ok(str(source), "--out", str(out))
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert "index.html" in marker["files"] and MARKER in marker["files"]
    assert set(marker["files"]) <= folders.REPORT_NAMES  # else the next run would leave them
    del marker["files"]  # as written before the marker listed its files
    (out / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    (out / "edges.csv").write_text("old", encoding="utf-8")
    _ok(str(source), "--out", str(out))
    assert not (out / "edges.csv").exists()


def test_a_users_folder_named_like_a_report_file_stops_the_run(
    tmp_path: Path, source: Path
) -> None:
    out = tmp_path / "mine"
    (out / "index.html").mkdir(parents=True)
    (out / "index.html" / "keep.txt").write_text("mine", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(out)
    code, err = _report(str(source), "--out", str(out))
    assert code == 3
    assert "index.html there is a folder that linkgraph did not write" in err
    assert _snapshot(out) == before
    assert not (out / MARKER).exists()
    assert _leftovers(out) == set()


# -- 2. the folder's mode, and a parent folder that is not writable ---------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_a_new_report_folder_is_readable_by_all(tmp_path: Path, source: Path) -> None:
    out = tmp_path / "reports" / "r"
    _ok(str(source), "--out", str(out))
    assert _mode(out) == 0o755


@pytest.mark.usefixtures("umask_022")
def test_a_replaced_report_folder_keeps_its_mode(tmp_path: Path, source: Path) -> None:
    out = tmp_path / "r"
    _ok(str(source), "--out", str(out))
    out.chmod(0o751)
    _ok(str(source), "--out", str(out))  # a folder of linkgraph's files only: swapped whole
    assert _mode(out) == 0o751
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    out.chmod(0o750)
    _ok(str(source), "--out", str(out))  # with a file of the user's: swapped file by file
    assert _mode(out) == 0o750


def _lock(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make *folder* not writable: by its mode, or (as root, whom modes do not stop) by
    telling linkgraph so.  Returns the undo."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    real = folders._writable  # root ignores modes: the check is the seam
    monkeypatch.setattr(folders, "_writable", lambda path: path != folder and real(path))
    return lambda: None


@pytest.mark.parametrize("first", ["linkgraph", "user"])
def test_a_folder_in_a_parent_that_is_not_writable_is_written_in_place(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    parent = tmp_path / "shared"
    out = parent / "r"
    if first == "linkgraph":
        _ok(str(source), "--out", str(out))
        (out / "edges.csv").write_text("of an earlier run", encoding="utf-8")
        marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
        marker["files"].append("edges.csv")
        (out / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    else:
        _users_folder(out)
    out.chmod(0o750)
    unlock = _lock(parent, monkeypatch)
    try:
        _ok(str(_export(source.with_name("b.json"), [3])), "--out", str(out))
        assert sorted(_leftovers(out)) == []
    finally:
        unlock()
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [a["url"] for a in data["articles"]] == ["https://a.example/3/"]
    assert _mode(out) == 0o750
    if first == "linkgraph":
        assert not (out / "edges.csv").exists()
    else:
        assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
        assert (out / "parquet" / "sales.parquet").is_file()


# -- 3. a swap that fails halfway puts the earlier report back -------------------------------


def _failing_install(monkeypatch: pytest.MonkeyPatch, fail_at: int, *, then: bool) -> list[Any]:
    """Make the *fail_at*-th rename of the swap fail (and every later one too when *then*).
    Returns the list of renames tried."""
    tried: list[Any] = []
    real_install, real_replace = folders.install, os.replace

    def flaky(src: Any, dst: Any) -> None:
        tried.append((src, dst))
        if len(tried) == fail_at or (then and len(tried) > fail_at):
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    def install(*args: Any, **kwargs: Any) -> None:
        with monkeypatch.context() as during:
            during.setattr(os, "replace", flaky)
            real_install(*args, **kwargs)

    monkeypatch.setattr(folders, "install", install)
    return tried


# A folder of linkgraph's files only is swapped whole (two renames, and one to undo); one
# holding a file of the user's too is swapped file by file (9 of the earlier run's files out,
# then 10 of this run's in).
@pytest.mark.parametrize(("users_file", "fail_at"), [
    (False, 1), (False, 2), (True, 1), (True, 5), (True, 9), (True, 10), (True, 15), (True, 19),
])
def test_a_failed_swap_leaves_the_earlier_report(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int,
    users_file: bool,
) -> None:
    out = tmp_path / "r"
    _ok(str(source), "--out", str(out))
    if users_file:
        (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(out)
    tried = _failing_install(monkeypatch, fail_at, then=False)
    code, err = _report(str(_export(tmp_path / "b.json", [3])), "--out", str(out), "--svg")
    assert len(tried) >= fail_at
    assert code == 3
    assert "cannot write the report into" in err and "Input/output error" in err
    assert _snapshot(out) == before
    assert _leftovers(out) == set()


def test_an_earlier_report_that_cannot_be_put_back_is_kept_and_named(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r"
    _ok(str(source), "--out", str(out))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(out)
    _failing_install(monkeypatch, 3, then=True)  # the disk goes away mid-swap
    code, err = _report(str(_export(tmp_path / "b.json", [3])), "--out", str(out))
    assert code == 3
    kept = _leftovers(out)
    assert len(kept) == 1
    (name,) = kept
    assert name in err and "could not be put back" in err
    # Every file of the earlier report is in the folder or in the one kept aside.
    aside = next(p for p in (out / name, out.parent / name) if p.exists())
    found = _snapshot(out)
    found.update({p.name: p.read_bytes() for p in (aside / "earlier").iterdir()})
    assert {k: found.get(k) for k in before} == before
