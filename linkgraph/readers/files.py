"""Opening inputs safely and walking folders: regular files only, sizes capped, names kept.

Used by ``linkgraph.readers`` and its input planning; no parsing here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from linkgraph.readers.sniff import format_for_name, size_label

__all__ = ["folder_members", "load", "open_regular"]


def load(path: str, max_bytes: int) -> tuple[bytes, str | None]:
    """The file's bytes (at most *max_bytes*), or why they cannot be had."""
    handle, failure = open_regular(path, max_bytes)
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


def open_regular(path: str, max_bytes: int | None) -> tuple[BinaryIO | None, str | None]:
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


def folder_members(folder: str) -> Iterator[str]:
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
