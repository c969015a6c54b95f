"""Loading articles in batches (``linkgraph.store.batches``), on real SQLite files: a load into
an empty store builds the citation indexes once at the end; whatever stops it, every committed
batch stays; an error stopping it is the error raised; and an interrupted (Ctrl-C) or killed load
leaves the indexes to the next opening of the store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkgraph.errors import StoreError
from linkgraph.records import Extraction
from linkgraph.store import Store
from tests.test_store import make_extraction

REPO = Path(__file__).resolve().parents[1]


def _indexes(db: Path) -> dict[str, str]:
    """The store's indexes on citations (name -> SQL), read by a connection of its own."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                            " AND tbl_name = 'citations' AND sql IS NOT NULL").fetchall()
    return dict(rows)


@pytest.fixture
def schema_indexes(tmp_path: Path) -> dict[str, str]:
    """The indexes a new store has on citations (from the migrations)."""
    db = tmp_path / "fresh.db"
    Store(db).close()
    found = _indexes(db)
    assert set(found) == {"citations_url", "citations_domain"}
    return found


def _items(n: int, seen: list[dict[str, str]], db: Path, prefix: str = "a") -> Iterator[
        Extraction]:
    """*n* articles; after the first batch (2), what indexes the store has then."""
    for i in range(n):
        if i == 3:
            seen.append(_indexes(db))
        yield make_extraction(f"{prefix}{i}", [f"https://s{i}.example/x", "https://t.example/"])


def test_a_load_into_an_empty_store_builds_the_indexes_once_at_the_end(
    tmp_path: Path, schema_indexes: dict[str, str],
) -> None:
    db = tmp_path / "lg.db"
    during: list[dict[str, str]] = []
    with Store(db) as store:
        assert store.put_extractions(_items(5, during, db), batch=2) == 5
        assert store.counts()["citations"] == 10
    assert during == [{}]  # between batches: no index by URL or domain to update
    assert _indexes(db) == schema_indexes
    # The rebuilt indexes serve the queries that use them.
    with sqlite3.connect(db) as conn:
        plan = " ".join(str(row) for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM citations WHERE url = 'https://t.example/'"))
    assert "citations_url" in plan


def test_a_load_into_a_store_that_holds_articles_keeps_its_indexes(
    tmp_path: Path, schema_indexes: dict[str, str],
) -> None:
    db = tmp_path / "lg.db"
    with Store(db) as store:
        store.put_extraction(make_extraction("old", ["https://o.example/"]))
        during: list[dict[str, str]] = []
        store.put_extractions(_items(5, during, db), batch=2)
    assert during == [schema_indexes]
    assert _indexes(db) == schema_indexes


def test_a_failing_load_into_an_empty_store_still_builds_the_indexes(
    tmp_path: Path, schema_indexes: dict[str, str],
) -> None:
    db = tmp_path / "lg.db"
    good = [make_extraction(f"a{i}", [f"https://s{i}.example/"]) for i in range(3)]
    bad = make_extraction("bad", ["https://x.example/1", "https://x.example/2"])
    bad = Extraction(bad.article, (bad.citations[0], bad.citations[0]), bad.warnings)
    with Store(db) as store, pytest.raises(StoreError, match="UNIQUE constraint"):
        store.put_extractions([*good, bad], batch=10)
    assert _indexes(db) == schema_indexes
    with Store(db) as store:
        assert [x.article.id for x in store.extractions()] == ["a0", "a1", "a2"]


class BrokenInput(Exception):
    """The input failing while it is read (a damaged file, a reader's bug)."""


def _failing(n: int, error: BaseException, before: object = None) -> Iterator[Extraction]:
    """*n* articles, then *error* raised (after calling *before*, when given)."""
    for i in range(n):
        yield make_extraction(f"a{i}", [f"https://s{i}.example/"])
    if callable(before):
        before()
    raise error


def test_an_error_while_a_bulk_load_reads_is_raised_and_the_indexes_are_built(
    tmp_path: Path, schema_indexes: dict[str, str],
) -> None:
    db = tmp_path / "lg.db"
    with Store(db) as store, pytest.raises(BrokenInput, match="record 3"):
        store.put_extractions(_failing(3, BrokenInput("record 3")), batch=2)
    assert _indexes(db) == schema_indexes  # built by the load itself
    with Store(db) as store:  # reopened: whole, indexed, what was read before the error kept
        assert [x.article.id for x in store.extractions()] == ["a0", "a1", "a2"]
    assert _indexes(db) == schema_indexes


def test_when_building_the_indexes_fails_too_the_first_error_is_raised_with_a_note(
    tmp_path: Path, schema_indexes: dict[str, str],
) -> None:
    db = tmp_path / "lg.db"
    Store(db).close()
    # Another process takes the write lock as the input breaks: neither the gathered article
    # nor the indexes can be written, and neither failure may hide the input's error.
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        with Store(db, busy_timeout=0.05) as store, pytest.raises(BrokenInput) as raised:
            store.put_extractions(_failing(3, BrokenInput("record 3"), before=lambda: (
                holder.execute("BEGIN IMMEDIATE"))), batch=2)
    finally:
        holder.close()
    notes = raised.value.__notes__
    assert [note.split(" failed too")[0] for note in notes] == [
        "writing the articles read before it", "building the citation indexes"]
    assert all("locked" in note for note in notes)
    assert _indexes(db) == {}
    with Store(db) as store:  # the first batch was kept; the next load builds the indexes
        assert [x.article.id for x in store.extractions()] == ["a0", "a1"]
        assert _indexes(db) == {}
        store.put_extractions([make_extraction("b0", ["https://b.example/"])])
    assert _indexes(db) == schema_indexes


def test_an_interrupted_bulk_load_stops_at_once_and_the_next_load_builds_the_indexes(
    tmp_path: Path, schema_indexes: dict[str, str],
) -> None:
    db = tmp_path / "lg.db"
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        store.put_extractions(_failing(3, KeyboardInterrupt()), batch=2)
    assert _indexes(db) == {}  # not built while the user waits for Ctrl-C to stop it
    with sqlite3.connect(db) as conn:  # whole and readable meanwhile
        assert conn.execute("SELECT COUNT(*) FROM citations").fetchone() == (3,)
    with Store(db) as store:  # a reader takes no write lock for them (an ingest may be running)
        assert [x.article.id for x in store.extractions()] == ["a0", "a1", "a2"]
        assert _indexes(db) == {}
        store.put_extractions([make_extraction("b0", ["https://b.example/"])])
        assert _indexes(db) == schema_indexes


KILLED_LOAD = textwrap.dedent("""
    import os, sys
    from linkgraph.store import Store
    from tests.test_store import make_extraction

    def items():
        for i in range(7):
            if i == 5:  # two batches of 2 committed, the fifth article gathered: killed
                os._exit(9)
            yield make_extraction(f"a{i}", [f"https://s{i}.example/"])

    with Store(sys.argv[1]) as store:
        store.put_extractions(items(), batch=2)
""")


def test_a_killed_load_keeps_its_batches_and_a_rerun_builds_the_indexes(
    tmp_path: Path, schema_indexes: dict[str, str],
) -> None:
    db = tmp_path / "lg.db"
    done = subprocess.run([sys.executable, "-c", KILLED_LOAD, str(db)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 9, done.stderr
    assert _indexes(db) == {}  # killed before the end: built by the next load
    with Store(db) as store:  # what was committed is whole and readable
        assert _indexes(db) == {}
        assert [x.article.id for x in store.extractions()] == ["a0", "a1", "a2", "a3"]
        assert [len(x.citations) for x in store.extractions()] == [1, 1, 1, 1]
        assert [url for url, _ in store.external_urls()] == [
            f"https://s{i}.example/" for i in range(4)]
    with Store(db) as store:  # the ingest run again
        during: list[dict[str, str]] = []
        store.put_extractions(_items(7, during, db), batch=2)
        assert store.counts() == {"articles": 7, "citations": 14, "checks": 0,
                                  "read_failures": 0, "fetches": 0}
    assert during == [schema_indexes]
    assert _indexes(db) == schema_indexes
