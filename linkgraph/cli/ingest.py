"""``linkgraph ingest``: store articles and their citations in the SQLite store."""

from __future__ import annotations

import sys

import click

from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    InputTally,
    console,
    db_option,
    extraction_options,
    infer_option,
    inputs_argument,
    library_errors,
    network_options,
    read_options,
    recover_config,
    recover_flag,
    say,
)
from linkgraph.workflow.corpus import Ingested, ingest


@click.command("ingest", epilog=EXIT_CODES_HELP)
@inputs_argument
@db_option
@extraction_options
@infer_option
@recover_flag
@network_options
def command(
    *, inputs: tuple[str, ...], db: str | None, base: str | None, manifest: str | None,
    all_links: bool, jobs: int, no_infer: bool, recover: bool, allow_private: bool,
    allow: tuple[str, ...], archive_base: str, no_archive: bool,
) -> None:
    """Read INPUT... and store the articles and citations in the store (--db).

    Ingesting the same article again replaces it (no duplicates).  An input that cannot be
    read is reported and recorded; everything else is stored, and an interrupted run keeps
    everything it committed.

    \b
    Examples:
      linkgraph ingest examples/ --db news.db
      linkgraph ingest exports/*.json saved-pages/ --db news.db -j 2
      linkgraph ingest crawl.warc.gz --db news.db      # a web archive (WARC, .warc.gz, WACZ)
      linkgraph ingest seed.json --recover --db news.db   # damaged: fetch the original
    """
    tally = InputTally()
    with library_errors(), console(stderr=True).status("ingesting…") as status:
        recovery = recover_config(allow_private=allow_private, allow=allow,
                                  archive_base=None if no_archive else archive_base)
        done = ingest(
            inputs, db,
            read=read_options(base=base, all_links=all_links, jobs=jobs, infer=not no_infer,
                              recover=recovery if recover else None, manifest=manifest),
            counts=tally,
            on_progress=lambda n: status.update(f"ingesting… {n:,} article(s)"),
        )
    say(f"stored {done.stored} article(s) with {tally.citations} citation(s) in {done.store}"
        + _replaced(done)
        + f" ({done.totals['articles']} article(s), {done.totals['citations']} citation(s) in"
        " total)" + (f"; {tally.failures} input(s) could not be read" if tally.failures else ""))
    sys.exit(tally.exit_code)


def _replaced(done: Ingested) -> str:
    """How many stored articles replaced one (re-ingesting replaces: no duplicates)."""
    if not done.replaced:
        return ""
    if not done.before:  # a new store: only repeats within this run
        return (f": {done.new} new, {done.replaced} read twice (the same post or canonical"
                " URL as an earlier input of this run; the later copy is kept)")
    return (f": {done.new} new, {done.replaced} replacing an article already stored (or read"
            " earlier in this run) with the same post or canonical URL")
