"""The ``Store``: articles, citations, check history, read failures, fetched bodies and crawl
cursors written and read back (the SQL of every table; the schema is :mod:`.schema`, the rows'
cells :mod:`.cells`, the file's vetting and short writes :mod:`.file`, articles written in
batches :mod:`.batches`)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from linkgraph.errors import StoreError
from linkgraph.records import (
    CHECKED_KINDS,
    CheckResult,
    Citation,
    Extraction,
    FetchedBody,
    ReadFailure,
)
from linkgraph.store.batches import (
    PreparedArticle,
    article_rows,
    put_many,
    write_batch,
    write_rows,
)
from linkgraph.store.cells import (
    ARTICLE,
    ARTICLE_COLUMNS,
    CHECK,
    CHECK_COLUMNS,
    CITATION,
    CITATION_COLUMNS,
    FAILURE,
    from_iso,
    marks,
    now,
    read_check,
    sentences_cell,
    sentences_from_cell,
)
from linkgraph.store.file import BUSY_TIMEOUT, open_store, retrying, translated, write_transaction
from linkgraph.store.schema import DEFAULT_DB, MIGRATIONS

CACHE_KIB: Final = 65_536  # page cache of a store connection (SQLite's default: 2,000 KiB)
WAL_CHECKPOINT_PAGES: Final = 10_000  # 40 MB of WAL between checkpoints (default 1,000)

# Columns of each table, in schema order (what `linkgraph export --parquet` writes).
EXPORT_TABLES: Final[dict[str, tuple[str, ...]]] = {
    "articles": tuple(c.strip() for c in ARTICLE_COLUMNS.split(",")),
    "citations": tuple(c.strip() for c in CITATION_COLUMNS.split(",")),
    "checks": ("id", *(c.strip() for c in CHECK_COLUMNS.split(","))),
    "read_failures": ("id", "origin_path", "origin_record", "message", "at"),
}


class Store:
    """A linkgraph database file.  Use as a context manager; ``":memory:"`` works for tests."""

    def __init__(
        self, path: str | Path = DEFAULT_DB, *, busy_timeout: float = BUSY_TIMEOUT
    ) -> None:
        self.path = str(path)
        self._busy_timeout = busy_timeout
        # Refuses (writing nothing) a file that is not a linkgraph store, or a new one.  The
        # indexes an interrupted load left out are built by the next load, not here: a reader
        # opening a store that an ingest is still filling must not take its write lock.
        self._db = open_store(self.path, MIGRATIONS, busy_timeout)
        if self.path != ":memory:":
            # A large store's indexes (citations by URL and domain) take random pages:
            # with SQLite's 2 MB default cache every insert read some back from the file.
            self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; everything written was already committed."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    @translated
    def schema_version(self) -> int:
        """The schema version of the open file."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- articles and citations ----------------------------------------------------------

    @translated
    def put_extraction(self, extraction: Extraction) -> None:
        """Store one article with its citations, replacing any earlier copy; commits."""
        write_batch(self._db, self.path, [article_rows(extraction, now())])

    @translated
    def put_extractions(self, extractions: Iterable[Extraction | PreparedArticle], *,
                        batch: int = 1000) -> int:
        """Store many, committing every *batch* articles (or every 32 MB of rows, or every
        2 s); returns how many were stored (an article given twice counts twice, and is stored
        once: the last copy).  When a batch fails, the articles before the one at fault are
        stored one by one and the error is raised.

        *extractions* is read (inputs parsed) and each article's rows made outside any
        transaction (or given made: ``PreparedArticle``): the write lock is held only while a
        gathered batch is written (one ``executemany`` per table), so a ``check`` on the same
        store can store its results meanwhile.  What was gathered is written even when
        reading stops with an error.  Into an empty store, the citation indexes are built
        once at the end (``linkgraph.store.batches``).
        """
        return put_many(self._db, self.path, extractions, batch=batch)

    @translated
    def put_sentences(self, extractions: Iterable[Extraction]) -> int:
        """Store the body sentences of articles already stored (those stored before schema 2
        have none), leaving the rest of each row as it is; commits.  Returns how many."""
        rows = [(sentences_cell(e.sentences), e.article.id)
                for e in extractions if e.sentences is not None]

        def write() -> int:
            with write_transaction(self._db):
                return sum(
                    self._db.execute("UPDATE articles SET sentences = ? WHERE id = ?",
                                     row).rowcount
                    for row in rows
                )

        return retrying(self.path, write)

    @translated
    def put_failure(self, failure: ReadFailure) -> None:
        """Record an input that could not be read (for the report's reproducibility block)."""

        def write() -> None:
            with write_transaction(self._db):
                self._put_failure(failure)

        retrying(self.path, write)

    def _put_failure(self, failure: ReadFailure) -> None:
        columns = ", ".join((*FAILURE.names, "at"))
        self._db.execute(
            f"INSERT INTO read_failures ({columns}) VALUES ({marks(len(FAILURE.names) + 1)})",
            (*FAILURE.row(failure), now()),
        )

    @translated
    def extractions(self) -> Iterator[Extraction]:
        """Every stored article with its citations and body sentences, in article id order
        (streamed).  ``sentences`` is ``None`` for articles stored before schema 2."""
        # Two ordered scans merged by article id, not one citation query per article.
        cursor = self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id")
        cited = self._db.cursor().execute(
            f"SELECT {CITATION_COLUMNS} FROM citations ORDER BY article_id, position"
        )
        pending = next(cited, None)
        for row in cursor:
            size = len(ARTICLE.names)
            article = ARTICLE.record(row[:size])
            warnings, sentences = row[size : size + 2]
            own: list[Citation] = []
            while pending is not None and pending[0] <= article.id:
                if pending[0] == article.id:
                    own.append(CITATION.record(pending))
                pending = next(cited, None)
            yield Extraction(
                article=article,
                citations=tuple(own),
                warnings=tuple(json.loads(warnings)),
                sentences=sentences_from_cell(sentences),
            )

    @translated
    def article_count(self) -> int:
        """How many articles the store holds."""
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    @translated
    def table_batches(
        self, table: str, *, batch: int = 50_000, columns: tuple[str, ...] | None = None
    ) -> Iterator[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
        """The rows of *table* (articles, citations, checks, read_failures) in storage order,
        *batch* at a time, with their column names: never the whole table in memory."""
        if table not in EXPORT_TABLES:
            raise StoreError(f"{table}: not a table of the store ({', '.join(EXPORT_TABLES)})")
        names = columns or EXPORT_TABLES[table]
        cursor = self._db.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY rowid")
        while rows := cursor.fetchmany(batch):
            yield names, rows

    @translated
    def external_urls(self) -> list[tuple[str, datetime | None]]:
        """Unique URLs to check (of ``CHECKED_KINDS``: external http(s) URLs and pictures'
        image files), each with the earliest citing publication date."""
        kinds = sorted(kind.value for kind in CHECKED_KINDS)
        rows = self._db.execute(
            "SELECT c.url, MIN(a.published) FROM citations c JOIN articles a ON a.id = c.article_id"
            " WHERE c.kind IN (" + ", ".join("?" * len(kinds)) + ") AND c.url IS NOT NULL"
            " GROUP BY c.url ORDER BY c.url",
            kinds,
        )
        return [(url, from_iso(published)) for url, published in rows]

    @translated
    def citing_articles(self) -> dict[str, tuple[str, str | None]]:
        """For each URL to check (as ``external_urls``), one article citing it (the earliest
        published): its input path and its URL."""
        kinds = sorted(kind.value for kind in CHECKED_KINDS)
        rows = self._db.execute(
            "SELECT c.url, a.origin_path, a.url, MIN(COALESCE(a.published, '~')) FROM citations c"
            " JOIN articles a ON a.id = c.article_id WHERE c.kind IN ("
            + ", ".join("?" * len(kinds)) + ") AND c.url IS NOT NULL GROUP BY c.url",
            kinds,
        )
        return {url: (path, article_url) for url, path, article_url, _ in rows}

    @translated
    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        return {
            table: int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("articles", "citations", "checks", "read_failures", "fetches")
        }

    # -- collecting ----------------------------------------------------------------------

    def put_collected(
        self,
        fetched: FetchedBody,
        extractions: Iterable[Extraction],
        failures: Iterable[ReadFailure] = (),
        *,
        cursor: tuple[str, str] | None = None,
    ) -> int:
        """Store one fetched response, what was read from it and the source's new cursor
        (``(source, state)``) in one transaction: a crawl killed at any point resumes from a
        cursor that matches the rows.  Returns how many articles were stored."""
        stored = 0
        # Read (parsed) before the write lock is taken: the transaction only writes.
        extractions, failures = list(extractions), list(failures)
        with self._db:
            self._db.execute(
                "INSERT INTO fetches (url, final_url, fetched_at, status, content_type, body)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    fetched.url,
                    fetched.final_url,
                    fetched.fetched_at.astimezone(UTC).isoformat(),
                    fetched.status,
                    fetched.content_type,
                    zlib.compress(fetched.body, 6),
                ),
            )
            for extraction in extractions:
                write_rows(self._db, [article_rows(extraction, now())])
                stored += 1
            for failure in failures:
                self._put_failure(failure)
            if cursor is not None:
                self._save_cursor(*cursor)
        return stored

    def _save_cursor(self, source: str, state: str) -> None:
        self._db.execute(
            "INSERT INTO cursors (source, state, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(source) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at",
            (source, state, now()),
        )

    def save_cursor(self, source: str, state: str) -> None:
        """Set the crawl cursor of *source* (an opaque text the collector owns); commits."""
        with self._db:
            self._save_cursor(source, state)

    def cursor(self, source: str) -> str | None:
        """The crawl cursor of *source*, or ``None`` when it was never collected."""
        row = self._db.execute("SELECT state FROM cursors WHERE source = ?", (source,)).fetchone()
        return str(row[0]) if row else None

    def cursors(self, prefix: str) -> list[str]:
        """The crawl cursors of every source whose key starts with *prefix*."""
        rows = self._db.execute(
            "SELECT state FROM cursors WHERE substr(source, 1, ?) = ? ORDER BY source",
            (len(prefix), prefix),
        )
        return [str(row[0]) for row in rows]

    def fetched_bodies(self, url_prefix: str = "") -> Iterator[FetchedBody]:
        """Every kept response body whose URL starts with *url_prefix*, oldest first."""
        rows = self._db.execute(
            "SELECT url, final_url, fetched_at, status, content_type, body FROM fetches"
            " WHERE substr(url, 1, ?) = ? ORDER BY id",
            (len(url_prefix), url_prefix),
        )
        for url, final_url, fetched_at, status, content_type, body in rows:
            yield FetchedBody(
                url=url,
                fetched_at=datetime.fromisoformat(fetched_at),
                status=status,
                content_type=content_type,
                body=zlib.decompress(body),
                final_url=final_url,
            )

    def fetched_urls(self) -> dict[str, datetime]:
        """Every URL with a kept 2xx answer, and when it was last fetched (a re-run skips
        them unless a sitemap or feed says they changed since)."""
        rows = self._db.execute(
            "SELECT url, MAX(fetched_at) FROM fetches WHERE status BETWEEN 200 AND 299"
            " GROUP BY url"
        )
        return {str(url): datetime.fromisoformat(when) for url, when in rows}

    def article_ids(self) -> set[str]:
        """The ids of every stored article."""
        return {str(row[0]) for row in self._db.execute("SELECT id FROM articles")}

    # -- checks --------------------------------------------------------------------------

    @translated
    def add_check(self, result: CheckResult) -> None:
        """Append one check result to the history; commits at once."""
        self.add_checks([result])

    @translated
    def add_checks(self, results: Sequence[CheckResult], *, wait: float | None = None) -> None:
        """Append check results to the history in one transaction; commits at once.

        *wait*: wait at most this many seconds for another process's write lock, once, and
        raise :class:`~linkgraph.store.file.StoreBusy` if it is still held (the caller keeps
        the results and tries again later); by default wait and try again as any write does.
        """
        rows = [CHECK.row(replace(r, checked_at=r.checked_at.astimezone(UTC)))
                for r in results]
        if not rows:
            return

        def write() -> None:
            with write_transaction(self._db):
                self._db.executemany(
                    f"INSERT INTO checks ({CHECK_COLUMNS}) VALUES ({marks(len(rows[0]))})",
                    rows,
                )

        if wait is None:
            retrying(self.path, write)
            return
        self._db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            retrying(self.path, write, attempts=1)
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")

    @translated
    def check_history(self, url: str) -> list[CheckResult]:
        """Every check of *url*, oldest first."""
        rows = self._db.execute(
            f"SELECT {CHECK_COLUMNS} FROM checks WHERE url = ? ORDER BY checked_at, id", (url,)
        )
        return [read_check(row) for row in rows]

    @translated
    def check_histories(self) -> dict[str, list[CheckResult]]:
        """Every URL's check history, oldest first."""
        histories: dict[str, list[CheckResult]] = {}
        rows = self._db.execute(f"SELECT {CHECK_COLUMNS} FROM checks ORDER BY url, checked_at, id")
        for row in rows:
            result = read_check(row)
            histories.setdefault(result.url, []).append(result)
        return histories

    @translated
    def last_checked(self) -> dict[str, datetime]:
        """When each URL was last checked."""
        rows = self._db.execute("SELECT url, MAX(checked_at) FROM checks GROUP BY url")
        return {url: datetime.fromisoformat(at) for url, at in rows}


def stored_articles(path: str | Path) -> int:
    """How many articles the store at *path* holds."""
    with Store(path) as store:
        return store.article_count()

