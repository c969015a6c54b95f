"""The ``linkgraph`` command line: a thin layer that parses, makes one library call, renders.

Commands are imported lazily so that ``linkgraph extract`` never pays for matplotlib.
"""

from __future__ import annotations

import difflib
import importlib
import logging
import sys
from typing import Final

import click

from linkgraph import __version__

# name -> module defining ``command``; order is the order shown in --help.
COMMANDS: Final = {
    "report": "linkgraph.cli.report",
    "collect": "linkgraph.cli.collect",
    "extract": "linkgraph.cli.extract",
    "ingest": "linkgraph.cli.ingest",
    "check": "linkgraph.cli.check",
    "graph": "linkgraph.cli.graph",
    "repair": "linkgraph.cli.repair",
    "export": "linkgraph.cli.export",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """A mistyped command name gets the closest command as a suggestion, as a mistyped
        option does: ``linkgraph reprot`` -> "Did you mean 'report'?"."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            close = difflib.get_close_matches(name.lower(), list(COMMANDS), n=2, cutoff=0.5)
            if close:
                either = " or ".join(repr(c) for c in close)
                ctx.fail(f"No such command {name!r}. Did you mean {either}?")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        command = importlib.import_module(module_name).command
        assert isinstance(command, click.Command)
        return command


class _StderrHandler(logging.Handler):
    """Library warnings as one readable line each on stderr: ``warning: <message>``."""

    def emit(self, record: logging.LogRecord) -> None:
        label = getattr(record, "label", None) or record.levelname.lower()
        click.echo(f"{label}: {record.getMessage()}", err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="linkgraph")
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True,
              help="Only errors: no warnings, notes, progress or summaries (what a command"
                   " is asked for, such as extract's rows or check's results, is still"
                   " printed).  Example: linkgraph -q ingest exports/ --db news.db")
def main(verbose: int, quiet: bool) -> None:
    """Find, check and map the sources that news articles cite.

    \b
    Typical use:
      linkgraph report examples/ukraine-arms.json      # PNG graph + charts + HTML/MD/JSON
      linkgraph extract article.json --format table    # the citations, nothing stored
      linkgraph extract page.html --explain --format table  # why each link is in or out
      linkgraph collect https://news.example/ --db news.db  # a WordPress site, politely
      linkgraph ingest exports/ --db news.db           # store many articles
      linkgraph check --db news.db                     # check the cited links (exit 1 if dead)
      linkgraph graph --db news.db --export out.gexf   # for Gephi
      linkgraph repair seed.json --out repaired/       # damaged: links back from the original

    Inputs are WordPress REST API JSON (a post, a list of posts, JSON Lines, a folder of
    them), saved HTML pages (.html, .htm, .html.gz; their addresses from a manifest such
    as urls.json) or web archives (.warc, .warc.gz, .wacz).  Run `linkgraph COMMAND --help`
    for each command's options.
    """
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose == 1:
        level = logging.INFO
    elif verbose >= 2:
        level = logging.DEBUG
    root = logging.getLogger("linkgraph")
    root.handlers[:] = [_StderrHandler()]
    root.setLevel(level)
    root.propagate = False


def run() -> None:  # pragma: no cover - console entry for python -m
    main(prog_name="linkgraph")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
