"""Parquet out: the store's tables, and article-level edges, row group by row group.

``export_parquet(store, folder)`` writes ``articles.parquet``, ``citations.parquet``,
``sources.parquet``, ``checks.parquet`` and ``read_failures.parquet`` for pandas, Polars,
DuckDB and Spark users.  Each table is read from the store ``batch`` rows at a time and each
batch is one Parquet row group, so memory stays flat however large the store is.

* ``articles``: every column but the stored page (compressed HTML: it is in the inputs);
  ``published``/``modified``/``ingested_at`` as UTC timestamps, ``site_domains``/``warnings``
  as lists of strings.
* ``citations``: every column, plus ``outlet`` (the registry key of the link's outlet, for
  external and internal links) so that a per-outlet count is one ``GROUP BY``.
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
from linkgraph.store import Store

ROW_GROUP: Final = 50_000  # rows per Parquet row group (and per read from the store)
TABLES: Final = ("articles", "citations", "sources", "checks", "read_failures")
_OUTLET_KINDS: Final = frozenset({CitationKind.EXTERNAL.value, CitationKind.INTERNAL.value})
_CACHE_LIMIT: Final = 200_000  # classified URLs kept between batches (cleared beyond)


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


def _schemas(pa: Any) -> dict[str, Any]:
    ts = pa.timestamp("us", tz="UTC")
    text = pa.string()
    return {
        "articles": pa.schema([
            ("id", text), ("url", text), ("site", text), ("title", text),
            ("published", ts), ("modified", ts), ("origin_path", text),
            ("origin_record", pa.int64()), ("body_kind", text), ("language", text),
            ("site_name", text), ("site_domains", pa.list_(text)),
            ("warnings", pa.list_(text)), ("extraction_warnings", pa.list_(text)),
            ("ingested_at", ts),
        ]),
        "citations": pa.schema([
            ("article_id", text), ("position", pa.int64()), ("paragraph", pa.int64()),
            ("href", text), ("url", text), ("key", text), ("domain", text), ("text", text),
            ("context", text), ("kind", text), ("rel", pa.list_(text)), ("outlet", text),
        ]),
        "sources": pa.schema([
            ("key", text), ("name", text), ("kind", text), ("country", text), ("rule", text),
            ("citations", pa.int64()),
        ]),
        "checks": pa.schema([
            ("id", pa.int64()), ("url", text), ("checked_at", ts), ("verdict", text),
            ("status", pa.int64()), ("final_url", text), ("redirects", text), ("error", text),
            ("attempts", pa.int64()), ("archive_url", text), ("permanent_redirect", pa.bool_()),
            ("extras", text),
        ]),
        "read_failures": pa.schema([
            ("id", pa.int64()), ("origin_path", text), ("origin_record", pa.int64()),
            ("message", text), ("at", ts),
        ]),
    }


_ARTICLE_CONVERT: Final[dict[str, Callable[[Any], Any]]] = {
    "published": _timestamp, "modified": _timestamp, "ingested_at": _timestamp,
    "site_domains": _json_list, "warnings": _json_list, "extraction_warnings": _json_list,
}
_CHECK_CONVERT: Final[dict[str, Callable[[Any], Any]]] = {
    "checked_at": _timestamp, "permanent_redirect": bool,
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


def _columns(
    names: Sequence[str], rows: list[tuple[Any, ...]], convert: dict[str, Callable[[Any], Any]]
) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for i, name in enumerate(names):
        fn = convert.get(name)
        column = [row[i] for row in rows]
        out[name] = [fn(v) if v is not None else None for v in column] if fn else column
    return out


def write_batches(path: Path, schema: Any, batches: Iterable[dict[str, list[Any]]]) -> int:
    """Write column batches to one Parquet file, one row group each; returns the row count."""
    pa, pq = pyarrow_modules()
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for columns in batches:
            table = pa.Table.from_pydict(columns, schema=schema)
            writer.write_table(table, row_group_size=max(table.num_rows, 1))
            rows += table.num_rows
    return rows


def export_parquet(
    store: Store, folder: Path, *, registry: Registry | None = None, batch: int = ROW_GROUP
) -> dict[str, Path]:
    """Write the store as Parquet files into *folder*; returns table name -> path."""
    pa, _ = pyarrow_modules()
    schemas = _schemas(pa)
    folder.mkdir(parents=True, exist_ok=True)
    outlets = _Outlets(registry or default_registry())
    written: dict[str, Path] = {}

    def articles() -> Iterator[dict[str, list[Any]]]:
        names = tuple(n for n in schemas["articles"].names)
        for got, rows in store.table_batches("articles", batch=batch, columns=names):
            yield _columns(got, rows, _ARTICLE_CONVERT)

    def citations() -> Iterator[dict[str, list[Any]]]:
        for names, rows in store.table_batches("citations", batch=batch):
            columns = _columns(names, rows, {"rel": str.split})
            columns["outlet"] = [outlet_key(u, k) for u, k in
                                 zip(columns["url"], columns["kind"], strict=True)]
            yield columns

    outlet_key = outlets.key

    def checks() -> Iterator[dict[str, list[Any]]]:
        for names, rows in store.table_batches("checks", batch=batch):
            yield _columns(names, rows, _CHECK_CONVERT)

    def failures() -> Iterator[dict[str, list[Any]]]:
        for names, rows in store.table_batches("read_failures", batch=batch):
            yield _columns(names, rows, {"at": _timestamp})

    def sources() -> Iterator[dict[str, list[Any]]]:
        keys = sorted(outlets.seen)
        for start in range(0, len(keys), batch):
            chunk = [outlets.seen[k] for k in keys[start : start + batch]]
            yield {
                "key": [s.key for s in chunk], "name": [s.name for s in chunk],
                "kind": [s.kind.value for s in chunk], "country": [s.country for s in chunk],
                "rule": [s.rule for s in chunk],
                "citations": [outlets.citations[s.key] for s in chunk],
            }

    # sources last: it is what the citations pass classified.
    for name, batches in (("articles", articles()), ("citations", citations()),
                          ("checks", checks()), ("read_failures", failures()),
                          ("sources", sources())):
        path = folder / f"{name}.parquet"
        write_batches(path, schemas[name], batches)
        written[name] = path
    return {name: written[name] for name in TABLES}
