"""``linkgraph ingest``: store articles and their citations in the SQLite store."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    InputTally,
    db_option,
    extraction_options,
    inputs_argument,
    library_errors,
    read_options,
)
from linkgraph.workflow.corpus import ingest


@click.command("ingest", epilog=EXIT_CODES_HELP)
@inputs_argument
@db_option
@extraction_options
def command(
    inputs: tuple[str, ...], db: str | None, base: str | None, all_links: bool, jobs: int
) -> None:
    """Read INPUT... and store the articles and citations in the store (--db).

    Ingesting the same article again replaces it (no duplicates).  An input that cannot be
    read is reported and recorded; everything else is stored, and an interrupted run keeps
    everything it committed.

    \b
    Examples:
      linkgraph ingest examples/ --db news.db
      linkgraph ingest exports/*.json saved-pages/ --db news.db -j 2
    """
    console = Console(stderr=True)
    tally = InputTally()
    with library_errors(), console.status("ingesting…") as status:
        done = ingest(
            inputs, db, read=read_options(base=base, all_links=all_links, jobs=jobs),
            counts=tally,
            on_progress=lambda n: status.update(f"ingesting… {n:,} article(s)"),
        )
    click.echo(
        f"stored {done.stored} article(s) with {tally.citations} citation(s) in {done.store}"
        f" ({done.totals['articles']} article(s), {done.totals['citations']} citation(s) in"
        " total)" + (f"; {tally.failures} input(s) could not be read" if tally.failures else "")
    )
    sys.exit(tally.exit_code)
