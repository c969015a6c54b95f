"""Parquet out: the store's tables, and article-level edges, row group by row group.

``export_parquet(store, folder)`` writes ``articles.parquet``, ``citations.parquet``,
``sources.parquet``, ``checks.parquet`` and ``read_failures.parquet`` for pandas, Polars,
DuckDB and Spark users.  Each table is read from the store ``batch`` rows at a time and each
batch is one Parquet row group, so memory stays flat however large the store is.

* ``articles``: every column but the stored page (compressed HTML: it is in the inputs);
  ``published``/``modified``/``ingested_at`` as UTC timestamps, ``site_domains``/``warnings``
  as lists of strings.
* ``citations``: every column, plus ``outlet`` (the registry key of the link's outlet, for
  external and internal links) so that a per-outlet count is one ``GROUP BY`` (with
  ``WHERE kind = 'external'`` to count as the report does).
* ``sources``: one row per outlet cited (key, name, kind, country, the rule that classified it,
  citations).
* ``checks``: the check history, one row per check (``redirects``/``extras`` as JSON text).

pyarrow is an optional dependency (``pip install 'linkgraph[scale]'``); without it these
functions raise ``ConfigError`` saying so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from linkgraph.errors import ConfigError
from linkgraph.records import CitationKind, Source
from linkgraph.sources import Registry, default_registry
from linkgraph.store import EXPORT_TABLES, Store

ROW_GROUP: Final = 50_000  # rows per Parquet row group (and per read from the store)
TABLES: Final = ("articles", "citations", "sources", "checks", "read_failures")
_OUTLET_KINDS: Final = frozenset({CitationKind.EXTERNAL.value, CitationKind.INTERNAL.value})
_CACHE_LIMIT: Final = 50_000  # classified URLs kept between batches (cleared beyond)


def pyarrow_modules() -> tuple[Any, Any]:
    """``(pyarrow, pyarrow.parquet)``, or ``ConfigError`` naming the extra to install."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional dependency
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - the test extras install pyarrow
        raise ConfigError(
            "Parquet needs pyarrow, an optional dependency: pip install 'linkgraph[scale]'"
        ) from exc
    return pa, pq


def _timestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    when = datetime.fromisoformat(value)
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _json_list(value: str) -> list[str]:
    return [str(v) for v in json.loads(value)]


# Columns with a type of their own; every other column of the store is text, or int64 where
# the store holds integers (a column another version adds still reaches the Parquet file).
_SKIP: Final = frozenset({"html", "sentences"})  # compressed blobs: in the inputs
_TIMESTAMPS: Final = frozenset({"published", "modified", "ingested_at", "checked_at", "at",
                                "fetched_at"})
_LISTS: Final = frozenset({"site_domains", "warnings", "extraction_warnings", "rel"})
_INTS: Final = frozenset({"position", "paragraph", "origin_record", "status", "attempts",
                          "citations"})


def _schema(pa: Any, names: Sequence[str], sample: Sequence[Any] = ()) -> Any:
    """The Parquet schema of *names*; an unknown column is int64 when *sample* (its first
    row) holds an int there, else text."""
    fields = []
    for i, name in enumerate(names):
        value = sample[i] if i < len(sample) else None
        if name in _TIMESTAMPS:
            kind = pa.timestamp("us", tz="UTC")
        elif name in _LISTS:
            kind = pa.list_(pa.string())
        elif name == "permanent_redirect":
            kind = pa.bool_()
        elif name in _INTS or (isinstance(value, int) and not isinstance(value, bool)):
            kind = pa.int64()
        else:
            kind = pa.string()
        fields.append((name, kind))
    return pa.schema(fields)


_CONVERT: Final[dict[str, Callable[[Any], Any]]] = {
    **dict.fromkeys(_TIMESTAMPS, _timestamp),
    "site_domains": _json_list, "warnings": _json_list, "extraction_warnings": _json_list,
    "rel": str.split, "permanent_redirect": bool,
}


class _Outlets:
    """Classifies cited URLs (cached, bounded) and counts citations per outlet."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.cache: dict[str, Source] = {}
        self.seen: dict[str, Source] = {}
        self.citations: dict[str, int] = {}

    def key(self, url: str | None, kind: str) -> str | None:
        if not url or kind not in _OUTLET_KINDS:
            return None
        source = self.cache.get(url)
        if source is None:
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            source = self.cache[url] = self.registry.classify(url)
        self.seen.setdefault(source.key, source)
        self.citations[source.key] = self.citations.get(source.key, 0) + 1
        return source.key


def _columns(names: Sequence[str], rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for i, name in enumerate(names):
        fn = _CONVERT.get(name)
        column = [row[i] for row in rows]
        if fn is None and name not in _INTS:
            column = [v if v is None or isinstance(v, int | str) else str(v) for v in column]
        out[name] = [fn(v) if v is not None else None for v in column] if fn else column
    return out


def write_batches(
    path: Path, batches: Iterable[tuple[Sequence[str], list[tuple[Any, ...]]]],
    extra: Callable[[dict[str, list[Any]]], None] | None = None,
    extra_fields: Sequence[tuple[str, Any]] = (),
) -> int:
    """Write batches of store rows to one Parquet file, one row group each (the schema from
    the column names and the first row); *extra* adds computed columns.  Returns the row
    count."""
    pa, pq = pyarrow_modules()
    rows = 0
    writer: Any = None
    schema: Any = None
    try:
        for names, batch in batches:
            if writer is None:
                schema = _schema(pa, names, batch[0] if batch else ())
                for name, kind in extra_fields:
                    schema = schema.append(pa.field(name, kind))
                writer = pq.ParquetWriter(path, schema, compression="zstd")
            columns = _columns(names, batch)
            if extra is not None:
                extra(columns)
            table = pa.Table.from_pydict(columns, schema=schema)
            writer.write_table(table, row_group_size=max(table.num_rows, 1))
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows


def export_parquet(
    store: Store, folder: Path, *, registry: Registry | None = None, batch: int = ROW_GROUP
) -> dict[str, Path]:
    """Write the store as Parquet files into *folder*; returns table name -> path."""
    pa, _ = pyarrow_modules()
    folder.mkdir(parents=True, exist_ok=True)
    outlets = _Outlets(registry or default_registry())
    written: dict[str, Path] = {}

    def batches(table: str) -> Iterator[tuple[Sequence[str], list[tuple[Any, ...]]]]:
        names = tuple(n for n in EXPORT_TABLES[table] if n not in _SKIP)
        empty = True
        for got, rows in store.table_batches(table, batch=batch, columns=names):
            empty = False
            yield got, rows
        if empty:  # an empty table still gets a file with its columns
            yield names, []

    def add_outlets(columns: dict[str, list[Any]]) -> None:
        columns["outlet"] = [outlets.key(u, k) for u, k in
                             zip(columns["url"], columns["kind"], strict=True)]

    for table in ("articles", "citations", "checks", "read_failures"):
        path = folder / f"{table}.parquet"
        if table == "citations":
            write_batches(path, batches(table), add_outlets, [("outlet", pa.string())])
        else:
            write_batches(path, batches(table))
        written[table] = path
    # sources last: they are what the citations pass classified.
    names = ("key", "name", "kind", "country", "rule", "citations")
    keys = sorted(outlets.seen)
    rows = [(s.key, s.name, s.kind.value, s.country, s.rule, outlets.citations[s.key])
            for s in (outlets.seen[k] for k in keys)]
    written["sources"] = folder / "sources.parquet"
    write_batches(written["sources"],
                  [(names, rows[i : i + batch]) for i in range(0, max(len(rows), 1), batch)])
    return {name: written[name] for name in TABLES}
