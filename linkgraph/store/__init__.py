"""The SQLite store: the only place in linkgraph that speaks SQL (this package).

One file, WAL journal, schema version in ``PRAGMA user_version`` with forward migrations.
Re-ingesting an article replaces it (its citations included) instead of duplicating it, and
every write is committed per batch, so an interrupted run loses nothing it committed.
Check results are append-only history: "dead" is decided over time, not from one answer.

Columns come from the records' fields (:mod:`linkgraph.rows`): an article row is the
``Article``'s cells plus its extraction's warnings and body sentences (schema 2: a zlib'd JSON
list of ``[text, linked]``; ``NULL`` for articles stored before, whose sentences are then
unknown until :meth:`Store.put_sentences` fills them), a citation row a ``Citation``'s, a check
row a ``CheckResult``'s.

A package by concern: ``schema`` (the migrations), ``cells`` (records to and from rows),
``file`` (vetting a store file, short retried writes), ``batches`` (articles written in
batches, their rows made in the worker processes), ``database`` (the ``Store``).

>>> with Store(":memory:") as store:
...     store.counts()
{'articles': 0, 'citations': 0, 'checks': 0, 'read_failures': 0, 'fetches': 0}
"""

from __future__ import annotations

from linkgraph.store.batches import BATCH_BYTES, BATCH_SECONDS, PreparedArticle, prepare_rows
from linkgraph.store.database import EXPORT_TABLES, Store, stored_articles
from linkgraph.store.schema import DEFAULT_DB, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "BATCH_BYTES",
    "BATCH_SECONDS",
    "DEFAULT_DB",
    "EXPORT_TABLES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "PreparedArticle",
    "Store",
    "prepare_rows",
    "stored_articles",
]
