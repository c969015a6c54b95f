"""Inputs that stopped or broke a batch (issue 16, items 3-6): FIFOs, names that are not
UTF-8 or hold control characters, unreadable files and folders.

Each case runs the real command line in a subprocess with a time limit, so a read that blocks
fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from linkgraph.readers import printable_name, read_inputs
from linkgraph.records import ReadFailure

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ukraine-arms.json"
CLI = [sys.executable, str(ROOT / "cli.py")]
NOBODY = 65534


def run_cli(*args: str | bytes, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], capture_output=True, timeout=timeout, check=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_folder_is_a_named_failure_not_a_hang(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "good.json")
    os.mkfifo(tmp_path / "pipe.json")
    done = run_cli("extract", str(tmp_path), "-j", "1", timeout=60)
    assert done.returncode == 4
    assert b"pipe.json: not a regular file (a FIFO); not read" in done.stderr
    assert done.stdout.count(b"\n") > 0  # the good file was read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_on_the_command_line_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    failures = [x for x in read_inputs([str(tmp_path / "pipe.json")]) if isinstance(x, ReadFailure)]
    assert [f.message for f in failures] == [
        f"{tmp_path / 'pipe.json'}: not a regular file (a FIFO); not read"
    ]


def test_a_name_that_is_not_utf8_is_stored_and_reported(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    bad = folder + b"/bad\xff.json"
    shutil.copy(EXAMPLE, os.fsdecode(bad))
    db = tmp_path / "news.db"
    done = run_cli("ingest", bad, "--db", str(db))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        paths = [row[0] for row in conn.execute("SELECT origin_path FROM articles")]
    assert paths == [f"{tmp_path}/bad\\xff.json"]
    report = run_cli("report", bad, "--out", str(tmp_path / "out"))
    assert report.returncode == 0, report.stderr


def test_control_characters_in_names_are_escaped_everywhere(tmp_path: Path) -> None:
    name = "evil\nerror: fake\x1b[31m\x07.json"
    (tmp_path / name).write_bytes(b"\x00\x01 not json")
    done = run_cli("extract", str(tmp_path), "-j", "1")
    assert done.returncode == 4
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines  # one error line, not split by the newline in the name
    assert "evil\\nerror: fake\\x1b[31m\\x07.json" in lines[0]
    assert "\x1b" not in done.stderr.decode() and "\x07" not in done.stderr.decode()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain.json", "plain.json"),
        ("tab\there.json", "tab\\there.json"),
        ("del\x7f.json", "del\\x7f.json"),
        ("c1\x9b31m.json", "c1\\x9b31m.json"),
        ("bad\udcff\udcfe.json", "bad\\xff\\xfe.json"),
        ("한국어.json", "한국어.json"),
    ],
)
def test_printable_name(raw: str, shown: str) -> None:
    assert printable_name(raw) == shown


def read_unprivileged(paths: list[str]) -> list[str]:
    """``read_inputs`` as a user whom file modes bind: messages of failures, and "ok" per
    article.  Root reads everything whatever its mode, so as root a forked child drops to an
    unprivileged user first (the kernel's own permission checks, no fake)."""

    def messages() -> list[str]:
        return [x.message if isinstance(x, ReadFailure) else "ok" for x in read_inputs(paths)]

    if os.geteuid() != 0:
        return messages()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(read_end)
            # Warm up first: once unprivileged, the interpreter may not read its own library
            # (lazily imported codecs such as idna) if it is installed in a private folder.
            list(read_inputs([str(EXAMPLE)]))
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            with os.fdopen(write_end, "w", encoding="utf-8") as out:
                json.dump(messages(), out)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, data
    result: list[str] = json.loads(data)
    return result


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork to drop privileges")
def test_unreadable_inputs_are_named_failures_and_the_rest_is_read() -> None:
    # Not pytest's tmp_path: its parent folder is private to the user running the tests.
    tmp_path = Path(tempfile.mkdtemp(prefix="linkgraph-modes-"))
    tmp_path.chmod(0o755)
    if any(parent.stat().st_mode & 0o001 == 0 for parent in tmp_path.parents):
        shutil.rmtree(tmp_path)
        pytest.skip("the temporary folder's parents are not searchable by other users")
    good = tmp_path / "good.json"
    shutil.copy(EXAMPLE, good)
    good.chmod(0o644)
    locked_file = tmp_path / "locked.json"
    shutil.copy(EXAMPLE, locked_file)
    locked_file.chmod(0o000)
    locked_dir = tmp_path / "locked"
    locked_dir.mkdir()
    shutil.copy(EXAMPLE, locked_dir / "inside.json")
    locked_dir.chmod(0o000)
    try:
        named = read_unprivileged([str(locked_file), str(good)])
        walked = read_unprivileged([str(tmp_path)])
    finally:
        locked_dir.chmod(0o755)
        shutil.rmtree(tmp_path)
    assert named == [f"{locked_file}: permission denied", "ok"]
    assert sorted(walked) == sorted(
        [
            f"{locked_dir}: folder cannot be read: permission denied; its files were skipped",
            f"{locked_file}: permission denied",
            "ok",
        ]
    )


def test_an_unreadable_input_on_the_command_line_is_not_a_usage_error() -> None:
    """click's own readability check turned one unreadable INPUT into exit 2 for the whole run;
    the argument no longer checks it (the reader reports it, exit 4, the rest is read)."""
    import click  # noqa: PLC0415

    from linkgraph.cli.common import inputs_argument  # noqa: PLC0415

    @click.command()
    @inputs_argument
    def probe(inputs: tuple[str, ...]) -> None:
        """Probe."""

    param = probe.params[0]
    assert isinstance(param.type, click.Path)
    assert param.type.readable is False
