"""The SQLite store: the only place in linkgraph that speaks SQL.

One file, WAL journal, schema version in ``PRAGMA user_version`` with forward migrations.
Re-ingesting an article replaces it (its citations included) instead of duplicating it, and
every write is committed per batch, so an interrupted run loses nothing it committed.
Check results are append-only history: "dead" is decided over time, not from one answer.

Columns come from the records' fields (:mod:`linkgraph.rows`): an article row is the
``Article``'s cells plus its extraction's warnings and body sentences (schema 2: a zlib'd JSON
list of ``[text, linked]``; ``NULL`` for articles stored before, whose sentences are then
unknown until :meth:`Store.put_sentences` fills them), a citation row a ``Citation``'s, a check
row a ``CheckResult``'s.

>>> with Store(":memory:") as store:
...     store.counts()
{'articles': 0, 'citations': 0, 'checks': 0, 'read_failures': 0}
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from linkgraph.errors import StoreError
from linkgraph.records import (
    Article,
    BodySentence,
    CheckResult,
    Citation,
    CitationKind,
    ErrorKind,
    Extraction,
    ReadFailure,
    Verdict,
)
from linkgraph.rows import ZLIB_LEVEL, RowShape

DEFAULT_DB: Final = "linkgraph.db"
CACHE_KIB: Final = 65_536  # page cache of a store connection (SQLite's default: 2,000 KiB)
WAL_CHECKPOINT_PAGES: Final = 10_000  # 40 MB of WAL between checkpoints (default 1,000)

# Each entry migrates from version i to i + 1.  Never edit a shipped entry: append a new one.
MIGRATIONS: Final[tuple[str, ...]] = (
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT,
        site TEXT,
        title TEXT NOT NULL,
        published TEXT,
        modified TEXT,
        origin_path TEXT NOT NULL,
        origin_record INTEGER,
        body_kind TEXT NOT NULL,
        language TEXT,
        site_name TEXT,
        site_domains TEXT NOT NULL,
        warnings TEXT NOT NULL,
        extraction_warnings TEXT NOT NULL,
        html BLOB NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE citations (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        href TEXT,
        url TEXT,
        key TEXT,
        domain TEXT,
        text TEXT NOT NULL,
        context TEXT NOT NULL,
        kind TEXT NOT NULL,
        rel TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    );
    CREATE INDEX citations_url ON citations(url);
    CREATE INDEX citations_domain ON citations(domain);
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        verdict TEXT NOT NULL,
        status INTEGER,
        final_url TEXT,
        redirects TEXT NOT NULL,
        error TEXT,
        attempts INTEGER NOT NULL,
        archive_url TEXT,
        permanent_redirect INTEGER NOT NULL,
        extras TEXT NOT NULL
    );
    CREATE INDEX checks_url_time ON checks(url, checked_at);
    CREATE TABLE read_failures (
        id INTEGER PRIMARY KEY,
        origin_path TEXT NOT NULL,
        origin_record INTEGER,
        message TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 2: the body's sentences, stored with the extraction (analysis reads them, never the
    # HTML).  NULL for articles stored before: unknown until put_sentences fills them.
    """
    ALTER TABLE articles ADD COLUMN sentences BLOB;
    """,
)
SCHEMA_VERSION: Final = len(MIGRATIONS)

_ARTICLE: Final = RowShape(Article)
_CITATION: Final = RowShape(Citation)
_CHECK: Final = RowShape(CheckResult)
_SENTENCE: Final = RowShape(BodySentence)
_FAILURE: Final = RowShape(ReadFailure)
# An article row: the Article's columns, then what its extraction adds.
_ARTICLE_COLUMNS: Final = ", ".join(
    (*_ARTICLE.names, "extraction_warnings", "sentences", "ingested_at")
)
_CITATION_COLUMNS: Final = ", ".join(_CITATION.names)
_CHECK_COLUMNS: Final = ", ".join(_CHECK.names)

# Columns of each table, in schema order (what `linkgraph export --parquet` writes).
EXPORT_TABLES: Final[dict[str, tuple[str, ...]]] = {
    "articles": tuple(c.strip() for c in _ARTICLE_COLUMNS.split(",")),
    "citations": tuple(c.strip() for c in _CITATION_COLUMNS.split(",")),
    "checks": ("id", *(c.strip() for c in _CHECK_COLUMNS.split(","))),
    "read_failures": ("id", "origin_path", "origin_record", "message", "at"),
}


# One article's rows: its id, its row, its citations' rows.
_Rows = tuple[str, tuple[Any, ...], list[tuple[Any, ...]]]


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _sentences_cell(sentences: tuple[BodySentence, ...] | None) -> bytes | None:
    if sentences is None:
        return None
    rows = [_SENTENCE.row(s) for s in sentences]
    return zlib.compress(json.dumps(rows, ensure_ascii=False).encode("utf-8"), ZLIB_LEVEL)


def _sentences_from_cell(cell: bytes | None) -> tuple[BodySentence, ...] | None:
    if cell is None:
        return None
    return tuple(_SENTENCE.record(row) for row in json.loads(zlib.decompress(cell)))


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat()


class Store:
    """A linkgraph database file.  Use as a context manager; ``":memory:"`` works for tests."""

    def __init__(self, path: str | Path = DEFAULT_DB) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                # A large store's indexes (citations by URL and domain) take random pages:
                # with SQLite's 2 MB default cache every insert read some back from the file.
                self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                self._db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc

    # -- lifecycle -----------------------------------------------------------------------

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this linkgraph "
                f"understands ({SCHEMA_VERSION}); upgrade linkgraph"
            )
        for number in range(version, SCHEMA_VERSION):
            with self._db:
                self._db.executescript(
                    f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; COMMIT;"
                )

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
    def schema_version(self) -> int:
        """The schema version of the open file."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- articles and citations ----------------------------------------------------------

    def put_extraction(self, extraction: Extraction) -> None:
        """Store one article with its citations, replacing any earlier copy; commits."""
        with self._db:
            self._put(extraction)

    def put_extractions(self, extractions: Iterable[Extraction], *, batch: int = 1000) -> int:
        """Store many, *batch* articles per transaction; returns how many were stored (an
        article given twice counts twice, and is stored once: the last copy).

        Each batch's rows are made before its transaction opens, then written with one
        ``executemany`` per table.  If a batch fails, its articles are written one per
        transaction up to the one at fault, which raises: everything before it is kept, as is
        everything read before an interruption.
        """
        stored = 0
        stream = iter(extractions)
        while True:
            rows: dict[str, _Rows] = {}
            now = _now()
            taken = 0
            try:
                for extraction in islice(stream, batch):
                    taken += 1
                    article_id = extraction.article.id
                    rows.pop(article_id, None)  # the last copy wins, at its own place
                    rows[article_id] = (extraction.rows
                                        if isinstance(extraction, PreparedExtraction)
                                        else _rows(extraction, now))
            except BaseException:
                self._write_each(list(rows.values()))
                raise
            if not rows:
                return stored
            try:
                with self._db:
                    self._write(list(rows.values()))
            except BaseException:
                self._write_each(list(rows.values()))
                raise
            stored += taken

    def _write_each(self, rows: list[_Rows]) -> None:
        for one in rows:
            with self._db:
                self._write([one])

    def _write(self, rows: list[_Rows]) -> None:
        self._db.executemany("DELETE FROM citations WHERE article_id = ?",
                             [(article_id,) for article_id, _, _ in rows])
        self._db.executemany(
            f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS})"
            f" VALUES ({_marks(len(rows[0][1]))})",
            [article for _, article, _ in rows],
        )
        self._db.executemany(
            f"INSERT INTO citations ({_CITATION_COLUMNS})"
            f" VALUES ({_marks(len(_CITATION.names))})",
            [cited for _, _, citations in rows for cited in citations],
        )

    def _put(self, extraction: Extraction) -> None:
        self._write([_rows(extraction, _now())])

    def put_sentences(self, extractions: Iterable[Extraction]) -> int:
        """Store the body sentences of articles already stored (those stored before schema 2
        have none), leaving the rest of each row as it is; commits.  Returns how many."""
        count = 0
        with self._db:
            for extraction in extractions:
                if extraction.sentences is None:
                    continue
                count += self._db.execute(
                    "UPDATE articles SET sentences = ? WHERE id = ?",
                    (_sentences_cell(extraction.sentences), extraction.article.id),
                ).rowcount
        return count

    def put_failure(self, failure: ReadFailure) -> None:
        """Record an input that could not be read (for the report's reproducibility block)."""
        with self._db:
            columns = ", ".join((*_FAILURE.names, "at"))
            self._db.execute(
                f"INSERT INTO read_failures ({columns}) VALUES ({_marks(len(_FAILURE.names) + 1)})",
                (*_FAILURE.row(failure), _now()),
            )

    def extractions(self) -> Iterator[Extraction]:
        """Every stored article with its citations and body sentences, in article id order
        (streamed).  ``sentences`` is ``None`` for articles stored before schema 2."""
        # Two ordered scans merged by article id, not one citation query per article.
        cursor = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY id")
        cited = self._db.cursor().execute(
            f"SELECT {_CITATION_COLUMNS} FROM citations ORDER BY article_id, position"
        )
        pending = next(cited, None)
        for row in cursor:
            size = len(_ARTICLE.names)
            article = _ARTICLE.record(row[:size])
            warnings, sentences = row[size : size + 2]
            own: list[Citation] = []
            while pending is not None and pending[0] <= article.id:
                if pending[0] == article.id:
                    own.append(_CITATION.record(pending))
                pending = next(cited, None)
            yield Extraction(
                article=article,
                citations=tuple(own),
                warnings=tuple(json.loads(warnings)),
                sentences=_sentences_from_cell(sentences),
            )

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

    def external_urls(self) -> list[tuple[str, datetime | None]]:
        """Unique external http(s) URLs cited, each with the earliest citing publication date."""
        rows = self._db.execute(
            "SELECT c.url, MIN(a.published) FROM citations c JOIN articles a ON a.id = c.article_id"
            " WHERE c.kind = ? AND c.url IS NOT NULL GROUP BY c.url ORDER BY c.url",
            (CitationKind.EXTERNAL.value,),
        )
        return [(url, _from_iso(published)) for url, published in rows]

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        return {
            table: int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("articles", "citations", "checks", "read_failures")
        }

    # -- checks --------------------------------------------------------------------------

    def add_check(self, result: CheckResult) -> None:
        """Append one check result to the history; commits at once."""
        row = _CHECK.row(replace(result, checked_at=result.checked_at.astimezone(UTC)))
        with self._db:
            self._db.execute(
                f"INSERT INTO checks ({_CHECK_COLUMNS}) VALUES ({_marks(len(row))})", row
            )

    def check_history(self, url: str) -> list[CheckResult]:
        """Every check of *url*, oldest first."""
        rows = self._db.execute(
            f"SELECT {_CHECK_COLUMNS} FROM checks WHERE url = ? ORDER BY checked_at, id", (url,)
        )
        return [_read_check(row) for row in rows]

    def check_histories(self) -> dict[str, list[CheckResult]]:
        """Every URL's check history, oldest first."""
        histories: dict[str, list[CheckResult]] = {}
        rows = self._db.execute(f"SELECT {_CHECK_COLUMNS} FROM checks ORDER BY url, checked_at, id")
        for row in rows:
            result = _read_check(row)
            histories.setdefault(result.url, []).append(result)
        return histories

    def last_checked(self) -> dict[str, datetime]:
        """When each URL was last checked."""
        rows = self._db.execute("SELECT url, MAX(checked_at) FROM checks GROUP BY url")
        return {url: datetime.fromisoformat(at) for url, at in rows}


def _rows(extraction: Extraction, now: str) -> _Rows:
    article = extraction.article
    row = (
        *_ARTICLE.row(article),
        json.dumps(list(extraction.warnings), ensure_ascii=False),
        _sentences_cell(extraction.sentences),
        now,
    )
    return article.id, row, [_CITATION.row(c) for c in extraction.citations]


@dataclass(frozen=True, slots=True)
class PreparedExtraction(Extraction):
    """An extraction whose store rows were made where it was extracted (``prepare_rows``, in
    a worker process of ``extract_inputs``): the page and the sentences travel compressed in
    ``rows`` only (``article.html`` is empty, ``sentences`` ``None``), and storing it is
    writing its rows."""

    rows: _Rows = ("", (), [])


def prepare_rows(extraction: Extraction) -> Extraction:
    """*extraction* with its store rows made now (for ``extract_inputs(prepare=...)``): the
    worker processes compress the page and sentences, the storing process only writes."""
    return PreparedExtraction(
        article=replace(extraction.article, html=""), citations=extraction.citations,
        warnings=extraction.warnings, sentences=None, rows=_rows(extraction, _now()),
    )


def stored_articles(path: str | Path) -> int:
    """How many articles the store at *path* holds."""
    with Store(path) as store:
        return int(store._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def _read_check(row: tuple[object, ...]) -> CheckResult:
    """A stored check; "dead" with the old ``dns`` kind reads back as an error: it was stored
    before a dead resolver was told from a missing name (an offline run stored every link so),
    and was never verified."""
    result = _CHECK.record(row)
    if result.error is ErrorKind.DNS and result.verdict is Verdict.DEAD:
        return replace(result, verdict=Verdict.ERROR)
    return result
