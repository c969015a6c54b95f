"""Options, exit codes and input handling shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar

import click

from linkgraph.pipeline import default_jobs, extract_inputs
from linkgraph.records import Extraction, ReadFailure
from linkgraph.store import DEFAULT_DB

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """Exit codes of every command (documented in --help and the README)."""

    OK = 0
    LINKS_FAILED = 1  # `check`: dead (or other failing) links found
    USAGE = 2  # click's own code for bad options
    RUNTIME_ERROR = 3  # the store, a config file or the network setup failed
    INPUT_ERRORS = 4  # some inputs could not be read; everything else was processed


EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 failing links found (check, report --check); 2 usage error; "
    "3 runtime error; "
    "4 some inputs could not be read (the rest was processed)."
)


def inputs_argument(func: F) -> F:
    """INPUT... : files or folders (WordPress JSON, JSON Lines, saved HTML)."""
    return click.argument(
        "inputs",
        nargs=-1,
        # readable=False: an unreadable input is the reader's named error (exit 4, the rest
        # read), not a usage error that stops the whole run.
        type=click.Path(exists=False, dir_okay=True, readable=False, allow_dash=False),
    )(func)


def db_option(func: F) -> F:
    """--db PATH: the SQLite store."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        help=f"SQLite store to use (default when reading from a store: {DEFAULT_DB}).",
    )(func)


def config_option(func: F) -> F:
    """--config FILE: extra or overriding outlets for the source registry."""
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="linkgraph.toml or pyproject.toml with extra outlets (default: the one in the "
        "current folder, if any).",
    )(func)


def extraction_options(func: F) -> F:
    """--base, --all-links and --jobs: how inputs are read and extracted."""
    func = click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=default_jobs,
        show_default="number of cores",
        help="Worker processes for many inputs (output order stays the same).",
    )(func)
    func = click.option(
        "--all-links",
        is_flag=True,
        help="On full HTML pages, keep every link, not only those in the article body.",
    )(func)
    return click.option(
        "--base",
        metavar="URL",
        default=None,
        help="Page URL for saved HTML pages (resolves relative links; else canonical/og:url).",
    )(func)


class InputTally:
    """Counts what came out of the inputs, and reports read failures on stderr as they come."""

    def __init__(self, on_failure: Callable[[ReadFailure], None] | None = None) -> None:
        self.on_failure = on_failure
        self.articles = 0
        self.citations = 0
        self.failures = 0

    def watch(self, items: Iterable[Extraction | ReadFailure]) -> Iterator[Extraction]:
        """Pass extractions through, printing warnings and failures with their origin."""
        for item in items:
            if isinstance(item, ReadFailure):
                self.failed(item)
                continue
            self.articles += 1
            self.citations += len(item.citations)
            self.warn(str(item.article.origin), (*item.article.warnings, *item.warnings))
            yield item

    def failed(self, item: ReadFailure) -> None:
        """Count and print one input that could not be read."""
        self.failures += 1
        origin = str(item.origin)
        where = "" if item.message.startswith(origin) else f"{origin}: "
        click.echo(f"error: {where}{item.message}", err=True)
        if self.on_failure is not None:
            self.on_failure(item)

    @staticmethod
    def warn(origin: str, warnings: Iterable[str]) -> None:
        """Print warnings about one input, each naming it once."""
        for warning in warnings:
            where = "" if warning.startswith(origin) else f"{origin}: "
            click.echo(f"warning: {where}{warning}", err=True)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INPUT_ERRORS if self.failures else ExitCode.OK


def existing_store(db: str | None) -> str:
    """The store to read when no INPUT is given: it must exist (reading never creates one)."""
    path = db or DEFAULT_DB
    if not Path(path).is_file():
        raise click.UsageError(
            f"give INPUT files or folders, or an existing store with --db ({path} does not exist)"
        )
    return path


def read_extractions(
    inputs: tuple[str, ...], *, base: str | None, all_links: bool, jobs: int, tally: InputTally
) -> Iterator[Extraction]:
    """Extractions of the inputs, failures reported through *tally*."""
    return tally.watch(extract_inputs(inputs, base=base, all_links=all_links, jobs=jobs))
