"""Opening a store file safely, and writing to it while other commands use it.

The store's other half (:mod:`linkgraph.store` holds the schema and the queries).  This module
decides whether a file *is* a linkgraph store before anything is written into it, and turns
every failure of SQLite into a :class:`~linkgraph.errors.StoreError` that names the file:

- a file that is not SQLite, or whose pages are damaged, is refused with what to do;
- another program's database (an ``application_id`` that is not linkgraph's, or tables that
  linkgraph did not create) is refused and left byte for byte as it was;
- a schema version below 0 or above this linkgraph's, or tables whose columns are not those
  of the version the file claims, are refused before any migration runs.

Several commands may share one store (a nightly ``check`` while an editor runs ``ingest``):
writes are short ``BEGIN IMMEDIATE`` transactions, each waits up to :data:`BUSY_TIMEOUT` for
the write lock and is tried :data:`WRITE_ATTEMPTS` times before a :class:`StoreBusy` error.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Concatenate, Final, ParamSpec, Protocol, TypeVar, cast

from linkgraph.errors import StoreError

log = logging.getLogger(__name__)

# PRAGMA application_id of a linkgraph store: "LkGr" (files written before it was set have 0
# and are recognised by their tables).
APPLICATION_ID: Final = 0x4C6B4772
# How long one write waits for another process's write lock, and how often it is tried.
BUSY_TIMEOUT: Final = 20.0
WRITE_ATTEMPTS: Final = 3

_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class StoreBusy(StoreError):
    """Another process held the store's write lock for longer than this write could wait."""


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def is_busy(exc: BaseException) -> bool:
    """Whether *exc* is SQLite saying that another connection holds the lock."""
    return isinstance(exc, sqlite3.OperationalError) and _code(exc) in _BUSY


def store_error(path: str, exc: sqlite3.Error) -> StoreError:
    """A StoreError naming *path* that says what went wrong and what to do about it."""
    if _code(exc) in _DAMAGED:
        return StoreError(
            f"{path}: the database file is damaged or not an SQLite database ({exc}); "
            "restore it from a backup, or salvage it with the sqlite3 shell's .recover"
        )
    if is_busy(exc):
        return StoreBusy(
            f"{path}: the store stayed locked by another process for more than "
            f"{BUSY_TIMEOUT * WRITE_ATTEMPTS:.0f} s ({exc}); run again when it is done"
        )
    return StoreError(f"{path}: {exc}")


class _HasPath(Protocol):
    path: str


def statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script, one at a time (executescript would commit
    the transaction that holds the write lock)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        yield pending


P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound=_HasPath)


def translated(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Decorate a Store method so that SQLite errors leave it as StoreErrors naming the file
    (a generator method's errors too, raised while it is iterated)."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc
        if isinstance(result, Iterator):
            return cast(R, _translated_iter(self.path, result))
        return result

    return wrapper


def _translated_iter(path: str, items: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from items
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc


def connect(path: str, busy_timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open *path* without writing to it.  Writes made with ``with connection:`` begin
    IMMEDIATE transactions (the write lock is taken, or waited for, up front: a deferred one
    that read first could not wait for it)."""
    try:
        return sqlite3.connect(path, timeout=busy_timeout, isolation_level="IMMEDIATE")
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc


@contextmanager
def write_transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One short write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on error)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.rollback()
        raise
    db.commit()


def retrying(path: str, write: Callable[[], R], *, attempts: int = WRITE_ATTEMPTS) -> R:
    """Run *write* (which opens and closes its own transaction) until it is not refused for
    a lock, at most *attempts* times; every other error is raised at once."""
    for attempt in range(1, attempts + 1):
        try:
            return write()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or attempt == attempts:
                raise store_error(path, exc) from exc
            log.warning("%s: store busy (attempt %d of %d), trying again", path, attempt,
                        attempts)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _columns(db: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )]
    return {
        name: tuple(row[1] for row in db.execute(f'PRAGMA table_info("{name}")'))
        for name in tables
    }


@functools.cache
def _expected_columns(migrations: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.executescript("".join(migrations))
        return _columns(scratch)
    finally:
        scratch.close()


def vet(db: sqlite3.Connection, path: str, migrations: Sequence[str]) -> int:
    """The schema version of the store at *path*, after checking that it is a linkgraph
    store that this version can use; raises StoreError (writing nothing) when it is not."""
    application_id = int(db.execute("PRAGMA application_id").fetchone()[0])
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    known = len(migrations)
    if application_id not in (0, APPLICATION_ID):
        raise StoreError(
            f"{path}: not a linkgraph store (application id {application_id:#010x} belongs to "
            "another program); give --db a new file name"
        )
    if version < 0:
        raise StoreError(f"{path}: damaged store: schema version {version} is negative")
    if version > known:
        raise StoreError(
            f"{path}: schema version {version} is newer than this linkgraph understands "
            f"({known}); upgrade linkgraph"
        )
    found = _columns(db)
    if version == 0:
        if found:
            raise StoreError(
                f"{path}: not a linkgraph store (it holds tables linkgraph did not create: "
                f"{', '.join(sorted(found)[:5])}); give --db a new file name"
            )
        return 0
    expected = _expected_columns(tuple(migrations[:version]))
    wrong = sorted(name for name, columns in expected.items() if found.get(name) != columns)
    if wrong:
        raise StoreError(
            f"{path}: not a linkgraph store of schema version {version}: table(s) "
            f"{', '.join(wrong)} missing or with other columns"
        )
    return version


def open_store(
    path: str, migrations: Sequence[str], busy_timeout: float, *,
    then: Callable[[sqlite3.Connection, str], None] | None = None,
) -> sqlite3.Connection:
    """A connection to the linkgraph store at *path*, migrated to ``len(migrations)``, and
    given to *then* (with *path*) before it is returned.

    Nothing is written (not even the journal mode) before :func:`vet` has found the file to
    be a linkgraph store, or a new one; migrating runs under the write lock, so two commands
    opening a new store at once migrate it once.
    """
    db = connect(path, busy_timeout)
    try:
        version = vet(db, path, migrations)
        db.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        owner = int(db.execute("PRAGMA application_id").fetchone()[0])
        if version < len(migrations) or owner != APPLICATION_ID:
            retrying(path, lambda: _migrate(db, path, migrations))
        if then is not None:
            then(db, path)
    except sqlite3.Error as exc:
        db.close()
        raise store_error(path, exc) from exc
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection, path: str, migrations: Sequence[str]) -> None:
    with write_transaction(db):
        # Again under the write lock: another process may have migrated meanwhile.
        version = vet(db, path, migrations)
        for number in range(version, len(migrations)):
            for statement in statements(migrations[number]):
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {len(migrations)}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
