"""``linkgraph export``: the store as Parquet files (articles, citations, sources, checks)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    ExitCode,
    config_option,
    db_option,
    library_errors,
    say,
)
from linkgraph.workflow.scale import export_store_parquet


@click.command("export", epilog=EXIT_CODES_HELP)
@db_option
@click.option(
    "--parquet", "folder", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write articles.parquet, citations.parquet, sources.parquet, "
         "checks.parquet and read_failures.parquet into (created if needed).",
)
@config_option
def command(*, db: str | None, folder: Path, config: Path | None) -> None:
    """Write the store as Parquet files, for pandas, Polars, DuckDB and Spark.

    Tables are streamed row group by row group (50,000 rows each), so memory stays flat
    however large the store.  citations.parquet carries each link's outlet key (internal
    links have one too: keep kind = 'external' to rank outlets as the report does); the
    stored pages themselves are not exported (they are in your inputs).  Needs pyarrow:
    pip install 'linkgraph[scale]'.

    \b
    Examples:
      linkgraph export --db news.db --parquet news-parquet/
      duckdb -c "SELECT outlet, count(*) FROM 'news-parquet/citations.parquet'
                 WHERE kind = 'external' GROUP BY outlet ORDER BY 2 DESC LIMIT 10"
    """
    with library_errors():
        written = export_store_parquet(db, folder, config=config)
    for name, file in written.items():
        say(f"{name}: {file}")
    sys.exit(ExitCode.OK)
