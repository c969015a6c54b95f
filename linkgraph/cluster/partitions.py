"""The map step on a cluster: one partition of the inputs to Parquet files of rows.

A partition is a list of input files and its number.  A worker reads and extracts them
(``linkgraph.pipeline.extract_file``), scans each article as ``analyse`` does
(``_Collector.scan``: outlets, internal links, findings, diversity) and writes one Parquet file
per table into ``<out>/<table>/part-NNNNNN.parquet``:

* ``articles``: one row per article copy: id, ``order`` (partition << 32 | index: input
  order), site, month, the published date as a sortable key, counts and ``ArticleStats``;
* ``edges``: article -> outlet, weight, the article's share of its external citations;
* ``citations``: every citation as the store holds it, plus its outlet;
* ``sources``: the first ``Source`` seen of each outlet key in the partition;
* ``findings``: every finding;
* ``inferred``: article -> inferred source kept apart from the metrics (not counted without
  ``--count-inferred``): citations, dates, the ``Source``.

Every value a report number depends on is in these rows, so the aggregates
(``linkgraph.cluster.aggregates``) never need the articles again.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from linkgraph.analysis.build import _Collector
from linkgraph.analysis.metrics import article_stats, month_of
from linkgraph.analysis.records import AnalysisOptions
from linkgraph.pipeline import extract_file
from linkgraph.records import Citation, Extraction, ProvenanceKind, Source
from linkgraph.rows import RowShape
from linkgraph.sources import default_registry
from linkgraph.sources.config import load_registry

TABLES: Final = ("articles", "edges", "citations", "sources", "findings", "inferred")
ORDER_SHIFT: Final = 32  # order = partition << 32 | index of the article in the partition
LAST: Final = (1 << 62) - 1  # for "latest date, earliest article" keys
_CITATION: Final = RowShape(Citation)


def date_key(when: datetime | None, order: int, *, last: bool = False) -> str | None:
    """A string whose order is the date's (UTC), then the article's input order (first
    article first; reversed for *last* keys, so ``max`` picks the earliest article among the
    latest), with the date as written after a ``|``."""
    if when is None:
        return None
    utc = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    rank = LAST - order if last else order
    return f"{utc:%Y-%m-%dT%H:%M:%S.%f}|{rank:020d}|{when.isoformat()}"


def date_of_key(key: str | None) -> datetime | None:
    """The date a ``date_key`` holds, as written (time zone included)."""
    if key is None or not isinstance(key, str):
        return None
    return datetime.fromisoformat(key.rsplit("|", 1)[1])


def source_key(order: int, position: int, source: Source) -> str:
    """A string whose minimum is the first ``Source`` seen of an outlet, with its fields."""
    fields = [source.key, source.name, source.kind.value, source.country, source.rule]
    return f"{order:020d}{position:08d}|" + json.dumps(fields, ensure_ascii=False)


def extract_partition(
    number: int,
    paths: Sequence[str],
    out: str,
    *,
    base: str | None = None,
    all_links: bool = False,
    infer: bool = True,
    registry_config: str | None = None,
    options: AnalysisOptions | None = None,
) -> dict[str, int]:
    """Read, extract and scan one partition; write its Parquet files; return counts."""
    import pyarrow as pa  # noqa: PLC0415 - optional dependency, on the worker
    import pyarrow.parquet as pq  # noqa: PLC0415

    registry = load_registry(Path(registry_config)) if registry_config else default_registry()
    scanner = _Collector(registry, {}, options or AnalysisOptions())
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    failures = 0
    index = 0
    for path in paths:
        for item in extract_file(path, base=base, all_links=all_links, infer=infer,
                                 registry=registry):
            if not isinstance(item, Extraction):
                failures += 1
                continue
            _scan(scanner, item, (number << ORDER_SHIFT) | index, rows)
            index += 1
    for table in TABLES:
        folder = Path(out) / table
        folder.mkdir(parents=True, exist_ok=True)
        frame = pa.Table.from_pylist(rows[table], schema=_schemas(pa)[table])
        pq.write_table(frame, folder / f"part-{number:06d}.parquet", compression="zstd")
    return {"articles": index, "failures": failures,
            "citations": len(rows["citations"]), "edges": len(rows["edges"])}


def _scan(scanner: _Collector, extraction: Extraction, order: int,
          rows: dict[str, list[dict[str, Any]]]) -> None:
    if len(scanner.sources_by_url) > 50_000:
        scanner.sources_by_url.clear()
    scan = scanner.scan(extraction)
    article = extraction.article
    tally = scan.tally(extraction)
    stats = article_stats(tally)
    external = sum(scan.counts.values())
    month = month_of(article.published)
    rows["articles"].append({
        "id": article.id, "order": order, "site": tally.site, "month": month,
        "citations": stats.citations, "external": stats.external, "internal": tally.internal,
        "sources": stats.sources, "findings": len(scan.findings),
        "kind_mix": json.dumps([list(kv) for kv in stats.kind_mix]),
        "internal_share": stats.internal_share, "entropy": stats.entropy, "hhi": stats.hhi,
        "effective_sources": stats.effective_sources,
        "top_source_share": stats.top_source_share,
        "recovered": scan.provenance[ProvenanceKind.RECOVERED],
        "inferred": scan.provenance[ProvenanceKind.INFERRED],
        "pictures": scan.pictures,
    })
    first = date_key(article.published, order)
    last = date_key(article.published, order, last=True)
    by_provenance = scan.by_provenance()
    for key, weight in scan.counts.items():
        kinds = by_provenance.get(key, Counter())
        rows["edges"].append({
            "linked": kinds["linked"], "recovered": kinds["recovered"],
            "inferred": kinds["inferred"],
            "id": article.id, "order": order, "site": tally.site, "month": month,
            "outlet": key, "weight": weight, "share": weight / external,
            "first_key": first, "last_key": last,
        })
    seen: set[str] = set()
    for position, link in enumerate(scan.links):
        if link.source.key not in seen:
            seen.add(link.source.key)
            rows["sources"].append({"id": article.id, "order": order,
                                    "outlet": link.source.key,
                                    "first": source_key(order, position, link.source)})
    for position, (key, count) in enumerate(scan.apart.items()):
        rows["inferred"].append({
            "id": article.id, "order": order, "outlet": key, "weight": count,
            "first_key": first, "last_key": last,
            "source": source_key(order, position, scanner.inferred_source(key)),
        })
    outlets = {link.url: link.source.key for link in scan.links}
    for citation in extraction.citations:
        row = dict(zip(_CITATION.names, _CITATION.row(citation), strict=True))
        row["order"] = order
        row["outlet"] = outlets.get(citation.url) if citation.url else None
        rows["citations"].append(row)
    for finding in scan.findings:
        rows["findings"].append({
            "id": finding.article_id, "order": order, "kind": finding.kind.value,
            "text": finding.text, "context": finding.context, "url": finding.url,
            "position": finding.position, "detail": finding.detail,
        })


def _schemas(pa: Any) -> dict[str, Any]:
    text, i64, f64 = pa.string(), pa.int64(), pa.float64()
    numbers = {"position": i64, "paragraph": i64, "credentials": i64,
               "provenance_confidence": f64}
    citation = [(name, numbers.get(name, text)) for name in _CITATION.names]
    return {
        "articles": pa.schema([
            ("id", text), ("order", i64), ("site", text), ("month", text),
            ("citations", i64), ("external", i64), ("internal", i64), ("sources", i64),
            ("findings", i64), ("kind_mix", text), ("internal_share", f64), ("entropy", f64),
            ("hhi", f64), ("effective_sources", f64), ("top_source_share", f64),
            ("recovered", i64), ("inferred", i64), ("pictures", i64),
        ]),
        "edges": pa.schema([
            ("id", text), ("order", i64), ("site", text), ("month", text), ("outlet", text),
            ("weight", i64), ("share", f64), ("first_key", text), ("last_key", text),
            ("linked", i64), ("recovered", i64), ("inferred", i64),
        ]),
        "citations": pa.schema([*citation, ("order", i64), ("outlet", text)]),
        "sources": pa.schema([("id", text), ("order", i64), ("outlet", text), ("first", text)]),
        "inferred": pa.schema([
            ("id", text), ("order", i64), ("outlet", text), ("weight", i64),
            ("first_key", text), ("last_key", text), ("source", text),
        ]),
        "findings": pa.schema([
            ("id", text), ("order", i64), ("kind", text), ("text", text), ("context", text),
            ("url", text), ("position", i64), ("detail", text),
        ]),
    }
