"""Per-outlet aggregates three ways on one store: SQL over SQLite, DuckDB over the Parquet
export, and linkgraph's streamed fold (the one ``report --db`` uses).

Usage: python benchmarks/sql_aggregates.py STORE.db [--parquet DIR]

The SQL queries group by the citation's registered domain (``citations.domain``, what SQL
can see); the fold groups by the registry's outlet (URL prefixes, platforms, site families,
shortened links: rules SQL cannot express), so the SQL figures are a lower bound of what a
SQL-only analysis would cost, not the same numbers.  Each timing is one run on a shared
machine: noisy; the baseline is a bare ``SELECT COUNT(*)`` over the citations in SQLite.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SQLITE_OUTLETS = """
SELECT c.domain, COUNT(*), COUNT(DISTINCT c.article_id), MIN(a.published), MAX(a.published)
FROM citations c JOIN articles a ON a.id = c.article_id
WHERE c.kind = 'external' GROUP BY c.domain
"""
SQLITE_PERIODS = """
SELECT a.site, substr(a.published, 1, 7) AS month, c.domain, COUNT(*)
FROM citations c JOIN articles a ON a.id = c.article_id
WHERE c.kind = 'external' GROUP BY 1, 2, 3
"""
DUCK_OUTLETS = """
SELECT c.outlet, COUNT(*), COUNT(DISTINCT c.article_id), MIN(a.published), MAX(a.published)
FROM '{dir}/citations.parquet' c JOIN '{dir}/articles.parquet' a ON a.id = c.article_id
WHERE c.kind = 'external' GROUP BY c.outlet
"""
DUCK_PERIODS = """
SELECT a.site, strftime(a.published, '%Y-%m') AS month, c.outlet, COUNT(*)
FROM '{dir}/citations.parquet' c JOIN '{dir}/articles.parquet' a ON a.id = c.article_id
WHERE c.kind = 'external' GROUP BY 1, 2, 3
"""


def timed(name: str, fn: Callable[[], Any], base: float | None) -> float:
    start = time.perf_counter()
    rows = fn()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = f"{seconds / base:8.1f}x" if base else "     1.0x"
    print(f"{name:<44}{seconds:8.2f} s {ratio}   rows {rows:>9,}   peak so far {peak:6.0f} MB",
          flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--parquet", type=Path, default=None,
                        help="an existing `linkgraph export --parquet` folder of the store")
    args = parser.parse_args()
    db = sqlite3.connect(args.store)
    base = timed("baseline: SELECT COUNT(*) FROM citations",
                 lambda: db.execute("SELECT COUNT(*) FROM citations").fetchone()[0], None)
    timed("SQLite: per domain (GROUP BY + JOIN)",
          lambda: len(db.execute(SQLITE_OUTLETS).fetchall()), base)
    timed("SQLite: per site, month, domain",
          lambda: len(db.execute(SQLITE_PERIODS).fetchall()), base)
    folder = args.parquet
    if folder is None:
        from linkgraph.report.parquet import export_parquet  # noqa: PLC0415
        from linkgraph.store import Store  # noqa: PLC0415

        folder = args.store.with_suffix(".parquet.d")

        def export() -> int:
            with Store(args.store) as store:
                export_parquet(store, folder)
            return 0

        timed("export --parquet (once, for DuckDB)", export, base)
    import duckdb  # noqa: PLC0415

    duck = duckdb.connect()
    timed("DuckDB over Parquet: per outlet",
          lambda: len(duck.sql(DUCK_OUTLETS.format(dir=folder)).fetchall()), base)
    timed("DuckDB over Parquet: per site, month, outlet",
          lambda: len(duck.sql(DUCK_PERIODS.format(dir=folder)).fetchall()), base)

    from linkgraph.analysis.records import AnalysisOptions  # noqa: PLC0415
    from linkgraph.analysis.streaming import analyse_streaming  # noqa: PLC0415
    from linkgraph.store import Store  # noqa: PLC0415

    def fold() -> int:
        with Store(args.store) as store:
            result = analyse_streaming(
                store.extractions(),
                options=AnalysisOptions(attributions=False, projections=False))
        return len(result.outlets)

    timed("linkgraph fold: outlets, periods, PageRank", fold, base)


if __name__ == "__main__":
    main()
