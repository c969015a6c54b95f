"""Options, exit codes and input handling shared by the CLI commands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import Any, Final, TypeVar

import click

from linkgraph.errors import InputError, LinkgraphError, NoInputError
from linkgraph.pipeline import default_jobs
from linkgraph.records import Extraction, ReadFailure
from linkgraph.store import DEFAULT_DB
from linkgraph.workflow.corpus import InputCounts, ReadOptions, named, read_inputs

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """Exit codes of every command (documented in --help and the README)."""

    OK = 0
    LINKS_FAILED = 1  # `check`, `report --check`: failing links found
    USAGE = 2  # bad options, or no input and no store to read
    RUNTIME_ERROR = 3  # the store, a configuration file or an output could not be used
    INPUT_ERRORS = 4  # some inputs could not be read; everything else was processed


# The one mapping of library errors to exit codes, for every command: the first class that
# matches wins (NoReadableInput is an InputError; everything else is a runtime error).
ERROR_EXIT_CODES: Final[tuple[tuple[type[LinkgraphError], ExitCode], ...]] = (
    (NoInputError, ExitCode.USAGE),
    (InputError, ExitCode.INPUT_ERRORS),
    (LinkgraphError, ExitCode.RUNTIME_ERROR),
)

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 failing links found (check, report --check); 2 usage error (also: "
    "no INPUT and no store); 3 runtime error (the store, a configuration file such as "
    "--config, or an output cannot be used); "
    "4 some inputs could not be read (the rest was processed; none at all: nothing written)."
)


def exit_code(error: LinkgraphError) -> ExitCode:
    """The exit code of a library error (``ERROR_EXIT_CODES``)."""
    return next(code for kind, code in ERROR_EXIT_CODES if isinstance(error, kind))


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn a library error into its message on stderr and its exit code (a usage error
    prints click's usage line, as a bad option does)."""
    try:
        yield
    except LinkgraphError as exc:
        code = exit_code(exc)
        if code is ExitCode.USAGE:
            raise click.UsageError(str(exc)) from exc
        click.echo(f"error: {exc}", err=True)
        sys.exit(code)


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


class InputTally(InputCounts):
    """The workflow's input counts, printing each read failure and warning on stderr as it
    comes, with its origin; *on_failure* hears each failure too."""

    def __init__(self, on_failure: Callable[[ReadFailure], None] | None = None) -> None:
        super().__init__()
        self.on_failure = on_failure

    def tell_failure(self, item: ReadFailure) -> None:
        click.echo(f"error: {named(str(item.origin), item.message)}", err=True)
        if self.on_failure is not None:
            self.on_failure(item)

    def tell_warning(self, origin: str, warning: str) -> None:
        click.echo(f"warning: {named(origin, warning)}", err=True)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INPUT_ERRORS if self.failures else ExitCode.OK


def read_options(
    *, base: str | None, all_links: bool, jobs: int, sentences: bool = True
) -> ReadOptions:
    """The workflow's ``ReadOptions`` of ``--base``, ``--all-links`` and ``--jobs``
    (``sentences=False`` for commands that never analyse)."""
    return ReadOptions(base=base, all_links=all_links, jobs=jobs, sentences=sentences)


def read_extractions(
    inputs: tuple[str, ...], *, base: str | None, all_links: bool, jobs: int, tally: InputTally
) -> Iterator[Extraction]:
    """Extractions of the inputs, failures reported through *tally*; without the body's
    sentences (the commands that use this print or check citations and never analyse)."""
    return read_inputs(
        inputs, read_options(base=base, all_links=all_links, jobs=jobs, sentences=False), tally
    )
