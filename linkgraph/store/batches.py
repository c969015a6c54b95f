"""Articles into the store in batches (``Store.put_extractions``, what ``linkgraph ingest``
runs): each article's rows are made once, gathered, and written with one ``executemany`` per
table in one short transaction.

Rows are made where the article was extracted: with ``--jobs`` the worker processes run
:func:`prepare_rows` (the page and the sentences compressed, every cell a plain value) and
send back a :class:`PreparedArticle`, which holds the rows and the little the storing process
tells (origin, warnings, citation count): not the records themselves, whose unpickling cost
the storing process as much as writing them.

A load into an empty store (a new ingest) drops the citation table's secondary indexes (by
URL, by domain) before its first batch and builds each once at the end, by a sort, instead of
updating them at random pages for every citation (at 100,000 articles that halves the
writing's CPU time, and the gap grows with the store).  Every batch still commits whole.

How a load ends decides when the indexes are built:

- it ends, or fails with an error: at once (the error is raised as it was; if building fails
  too, that is noted on it, not raised instead of it);
- it is interrupted (Ctrl-C: ``KeyboardInterrupt``, or any other ``BaseException``): not
  now, so the command stops at once.  The store stays whole and readable (lookups by URL
  are slower), and the next load into it (:func:`start_load`) builds them before it writes;
  so it does after a run that was killed outright.  Opening a store does not build them:
  an ingest still loading into it would see its bulk load undone by a reader.
"""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from linkgraph.records import Extraction
from linkgraph.store.cells import (
    ARTICLE,
    ARTICLE_COLUMNS,
    CITATION,
    CITATION_COLUMNS,
    marks,
    now,
    sentences_cell,
)
from linkgraph.store.file import retrying, write_transaction
from linkgraph.store.schema import MIGRATIONS

log = logging.getLogger(__name__)

# A batch is written when it holds this many articles (put_extractions' *batch*), this much
# compressed page and sentence text, or has been gathering for this long.
BATCH_BYTES: Final = 32 << 20
BATCH_SECONDS: Final = 2.0
# Indexes of these tables are built once at the end of a load into an empty store.
BULK_TABLES: Final = ("citations",)

# One article's rows: its id, its row, its citations' rows.
ArticleRows = tuple[str, tuple[Any, ...], list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """One article's store rows, made where it was extracted (:func:`prepare_rows`, in a
    worker process of ``extract_inputs``), with what the storing process tells of it."""

    origin: str  # where the article was read (``str(article.origin)``)
    warnings: tuple[str, ...]  # the article's warnings, then its extraction's
    citations: int  # how many citations its rows hold
    rows: ArticleRows
    size: int  # about how many bytes the rows hold (compressed page and sentences)

    @property
    def article_id(self) -> str:
        return self.rows[0]


def article_rows(extraction: Extraction, stamp: str) -> ArticleRows:
    """The rows of one extraction, ingested at *stamp*."""
    article = extraction.article
    row = (
        *ARTICLE.row(article),
        json.dumps(list(extraction.warnings), ensure_ascii=False),
        sentences_cell(extraction.sentences),
        stamp,
    )
    return article.id, row, [CITATION.row(c) for c in extraction.citations]


def rows_size(rows: ArticleRows) -> int:
    """About how many bytes one article's rows hold (its compressed page and sentences)."""
    _, article, citations = rows
    size = 200 * len(citations)
    for cell in article:
        if isinstance(cell, bytes | str):
            size += len(cell)
    return size


def prepare_rows(extraction: Extraction) -> PreparedArticle:
    """*extraction*'s store rows, made now (for ``extract_inputs(prepare=...)``): the worker
    processes compress the page and sentences, the storing process only writes."""
    article = extraction.article
    rows = article_rows(extraction, now())
    return PreparedArticle(
        origin=str(article.origin), warnings=(*article.warnings, *extraction.warnings),
        citations=len(extraction.citations), rows=rows, size=rows_size(rows),
    )


def write_rows(db: sqlite3.Connection, rows: Sequence[ArticleRows]) -> None:
    """Write *rows* inside the caller's transaction, replacing earlier copies."""
    db.executemany("DELETE FROM citations WHERE article_id = ?",
                   [(article_id,) for article_id, _, _ in rows])
    db.executemany(
        f"INSERT OR REPLACE INTO articles ({ARTICLE_COLUMNS})"
        f" VALUES ({marks(len(rows[0][1]))})",
        [article for _, article, _ in rows],
    )
    db.executemany(
        f"INSERT INTO citations ({CITATION_COLUMNS}) VALUES ({marks(len(CITATION.names))})",
        [cited for _, _, citations in rows for cited in citations],
    )


def write_batch(db: sqlite3.Connection, path: str, rows: Sequence[ArticleRows]) -> None:
    """Write *rows* in one transaction; if that fails, one transaction per article up to
    the one at fault, which raises: the articles before it are kept."""
    def write(some: Sequence[ArticleRows]) -> None:
        with write_transaction(db):
            write_rows(db, some)

    try:
        retrying(path, lambda: write(rows))
    except Exception:
        if len(rows) == 1:
            raise
        for one in rows:
            retrying(path, lambda one=one: write([one]))  # type: ignore[misc]
        raise


@functools.cache
def schema_indexes(migrations: tuple[str, ...] = MIGRATIONS) -> dict[str, str]:
    """The secondary indexes the schema makes on ``BULK_TABLES``: name -> CREATE INDEX."""
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.executescript("".join(migrations))
        found = scratch.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks(len(BULK_TABLES))}) ORDER BY name", BULK_TABLES)
        return {str(name): str(sql) for name, sql in found}
    finally:
        scratch.close()


def _present(db: sqlite3.Connection) -> set[str]:
    return {str(row[0]) for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}


def start_load(db: sqlite3.Connection, path: str) -> bool:
    """Before the first batch of a load: on an empty store, drop the indexes of
    ``BULK_TABLES`` (returns True: :func:`finish_load` builds them); else build any an
    interrupted load left missing (returns False)."""
    def start() -> bool:
        with write_transaction(db):
            present = _present(db)
            if db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None:
                for name in schema_indexes():
                    if name in present:
                        db.execute(f'DROP INDEX "{name}"')
                return True
            _build(db, path, present)
            return False

    return retrying(path, start)


def finish_load(db: sqlite3.Connection, path: str) -> None:
    """After the last batch of a load into an empty store: build the indexes it dropped."""
    build_missing_indexes(db, path)


def build_missing_indexes(db: sqlite3.Connection, path: str) -> None:
    """Build the indexes of ``BULK_TABLES`` that the store lacks (a load into an empty store
    that was interrupted or killed left them out); quick when none is missing."""
    if all(name in _present(db) for name in schema_indexes()):
        return

    def build() -> None:
        with write_transaction(db):
            _build(db, path, _present(db))

    retrying(path, build)


def _build(db: sqlite3.Connection, path: str, present: set[str]) -> None:
    missing = [(name, sql) for name, sql in schema_indexes().items() if name not in present]
    if missing:
        started = time.monotonic()
        for _, sql in missing:
            db.execute(sql)
        log.info("%s: built index(es) %s in %.1f s", path, ", ".join(n for n, _ in missing),
                 time.monotonic() - started)


def _while_failing(error: BaseException, step: Callable[[], object], what: str) -> None:
    """Run *step* while *error* is on its way out: a failure of *step* is noted on *error*
    (and logged), never raised in its place."""
    try:
        step()
    except Exception as failure:
        error.add_note(f"{what} failed too: {failure}")
        log.error("%s failed too: %s", what, failure)


def put_many(
    db: sqlite3.Connection, path: str, items: Iterable[Extraction | PreparedArticle], *,
    batch: int,
) -> int:
    """``Store.put_extractions``: gather and write batches; returns how many were given.

    When reading *items* or writing a batch fails, what was gathered is still written and a
    load into an empty store still builds its indexes, and the first error is the one raised.
    When it is interrupted (``KeyboardInterrupt``), the indexes are left to the next load into
    the store."""
    stored = 0
    pending: dict[str, ArticleRows] = {}
    taken = size = 0
    started = time.monotonic()
    stamp = now()
    bulk: bool | None = None  # decided when the first batch is written

    def flush() -> None:
        nonlocal bulk, stored, pending, taken, size
        rows, count = list(pending.values()), taken
        pending, taken, size = {}, 0, 0
        if bulk is None:
            bulk = start_load(db, path)
        write_batch(db, path, rows)
        stored += count

    try:
        for item in items:
            if not pending:
                started = time.monotonic()
                stamp = now()
            if isinstance(item, PreparedArticle):
                one, size = item.rows, size + item.size
            else:
                one = article_rows(item, stamp)
                size += rows_size(one)
            pending.pop(one[0], None)  # the last copy wins, at its own place
            pending[one[0]] = one
            taken += 1
            if (taken >= batch or size >= BATCH_BYTES
                    or time.monotonic() - started >= BATCH_SECONDS):
                flush()
        if pending:
            flush()
    except BaseException as error:
        if pending:  # reading stopped: what was gathered is kept
            _while_failing(error, flush, "writing the articles read before it")
        if bulk and isinstance(error, Exception):
            _while_failing(error, lambda: finish_load(db, path), "building the citation indexes")
        elif bulk:
            log.warning("%s: interrupted; the citation indexes are built by the next ingest"
                        " into it", path)
        raise
    if bulk:
        finish_load(db, path)
    return stored
