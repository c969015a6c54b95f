"""``linkgraph ingest``: store articles and their citations in the SQLite store."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click
from rich.console import Console

from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    ExitCode,
    InputTally,
    db_option,
    extraction_options,
    infer_option,
    inputs_argument,
    read_extractions,
)
from linkgraph.errors import LinkgraphError
from linkgraph.records import Extraction
from linkgraph.store import DEFAULT_DB, Store


@click.command("ingest", epilog=EXIT_CODES_HELP)
@inputs_argument
@db_option
@extraction_options
@infer_option
def command(
    *, inputs: tuple[str, ...], db: str | None, base: str | None, all_links: bool, jobs: int,
    no_infer: bool,
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
    if not inputs:
        raise click.UsageError("give at least one INPUT file or folder")
    console = Console(stderr=True)
    path = db or DEFAULT_DB
    try:
        with Store(path) as store:
            tally = InputTally(on_failure=store.put_failure)
            extractions = read_extractions(
                inputs, base=base, all_links=all_links, jobs=jobs, tally=tally,
                infer=not no_infer,
            )
            with console.status("ingesting…") as status:

                def counted() -> Iterator[Extraction]:
                    for extraction in extractions:
                        yield extraction
                        if tally.articles % 100 == 0:
                            status.update(f"ingesting… {tally.articles:,} article(s)")

                stored = store.put_extractions(counted())
            counts = store.counts()
    except LinkgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    click.echo(
        f"stored {stored} article(s) with {tally.citations} citation(s) in {path}"
        f" ({counts['articles']} article(s), {counts['citations']} citation(s) in total)"
        + (f"; {tally.failures} input(s) could not be read" if tally.failures else "")
    )
    sys.exit(tally.exit_code)
