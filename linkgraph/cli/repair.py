"""``linkgraph repair``: repaired copies of damaged articles, recovered from their originals."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    ExitCode,
    inputs_argument,
    library_errors,
    network_options,
    recover_config,
    say,
    tell,
)
from linkgraph.workflow.corpus import InputCounts, named, no_articles
from linkgraph.workflow.recover import repair_inputs


@click.command("repair", epilog=EXIT_CODES_HELP)
@inputs_argument
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder for the repaired copies (never an input's folder; inputs are never"
                   " overwritten).")
@network_options
def command(
    *, inputs: tuple[str, ...], out: str, allow_private: bool, allow: tuple[str, ...],
    archive_base: str, no_archive: bool,
) -> None:
    """Write repaired copies of INPUT... into --out.

    An article whose links lost their <a href> (the closing </a> is left) or whose text was
    cut off is fetched again from where it came from: its WordPress REST post (its self link,
    or its site's /wp-json/wp/v2/posts/<id>), else its page (link, guid), else the capture in
    a Wayback-style archive of the version it had.  Each lost anchor is matched with a link of
    the original by its text and the words around it, in order; its href is put back marked
    with where it came from and when (data-linkgraph-recovered-from/-at), and text cut off is
    filled in, marked the same way.  Nothing is guessed: an anchor that matches nothing stays
    lost, and offline every article is copied as it is, with the reason.  WordPress posts are
    written as post JSON, pages as HTML; `linkgraph report` reads the copies and shows the
    restored links as recovered.

    \b
    Examples:
      linkgraph repair seed.json --out repaired/
      linkgraph repair exports/ --out repaired/ --no-archive
      linkgraph repair post.json --out fixed/ --allow 127.0.0.1   # an original on a test server

    Inputs that hold no article (an empty list of posts, a folder of other files) are said,
    nothing is written, --out is not created, and the exit code is 4.
    """
    existed = Path(out).exists()
    with library_errors():
        options = recover_config(allow_private=allow_private, allow=allow,
                                 archive_base=None if no_archive else archive_base)
        run = repair_inputs(inputs, Path(out), options)
    for failure in run.failures:
        click.echo(f"error: {named(str(failure.origin), failure.message)}", err=True)
    if not run.written:  # exit 4: nothing to repair, and no empty --out folder left behind
        counts = InputCounts()
        counts.failures = len(run.failures)
        with library_errors():
            raise no_articles(inputs, counts, done="nothing written" if existed
                              else f"nothing written, {out} not created")
    restored = 0
    for recovery, path in run.written:
        restored += recovery.restored
        if recovery.note != "not damaged":
            tell(logging.WARNING, named(str(recovery.article.origin), recovery.note),
                 label="note")
        say(f"wrote {path}")
    say(f"{len(run.written)} article(s) written to {out}, {restored} link(s) restored",
        err=True)
    sys.exit(ExitCode.INPUT_ERRORS if run.failures else ExitCode.OK)
