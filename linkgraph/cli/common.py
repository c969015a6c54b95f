"""Options, exit codes and input handling shared by the CLI commands."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import Any, Final, TypeVar

import click
from rich.console import Console

from linkgraph.errors import InputError, LinkgraphError, NoInputError
from linkgraph.pipeline import default_jobs
from linkgraph.readers import read_manifest
from linkgraph.records import Extraction, ReadFailure
from linkgraph.repair.recover import RecoverOptions
from linkgraph.store import DEFAULT_DB
from linkgraph.web.config import WebConfig
from linkgraph.web.headers import header_problem
from linkgraph.web.resolver import Resolver
from linkgraph.web.wayback import DEFAULT_ARCHIVE_BASE
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
    "--config, or an output cannot be used; with check and report --check also: the network or the "
    "resolver does not answer, then no link with a name is judged or stored); "
    "4 some inputs could not be read (the rest was processed), or nothing to work on: no input "
    "could be read, the inputs hold no article (e.g. an empty list of posts) or the store "
    "holds none; then nothing is written and no store is created."
)


def exit_code(error: LinkgraphError) -> ExitCode:
    """The exit code of a library error (``ERROR_EXIT_CODES``)."""
    return next(code for kind, code in ERROR_EXIT_CODES if isinstance(error, kind))


def parse_header(text: str) -> tuple[str, str]:
    """``NAME:VALUE`` (an -H option) as a header pair; a usage error naming the header when it
    cannot be sent (``linkgraph.web.headers.header_problem``).

    >>> parse_header("Accept-Language: en")
    ('Accept-Language', 'en')
    """
    name, colon, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not name:
        raise click.BadParameter(
            f"{text!r} is not a header NAME:VALUE (e.g. 'Accept-Language: en')", param_hint="-H"
        )
    problem = header_problem(name, value)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="-H")
    return name, value


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
    """INPUT... : files or folders (WordPress JSON, JSON Lines, saved HTML, WARC/WACZ)."""
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
    """--base, --manifest, --all-links and --jobs: how inputs are read and extracted."""
    func = click.option(
        "--manifest",
        metavar="FILE",
        type=click.Path(dir_okay=False, exists=True),
        default=None,
        callback=_checked_manifest,
        help="Page URLs of saved pages: a JSON object of file names to URLs, or a JSON list "
        "or CSV with file and url columns; names are relative to the manifest's folder (else "
        "matched by file name). A manifest inside an INPUT folder is used without this, e.g. "
        "`linkgraph extract scrapinghub-aeb/` reads its urls.json.",
    )(func)
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


# Every warning, note and per-input error a command prints goes through this logger, so the
# one verbosity setting of ``linkgraph -q/-v`` (``linkgraph.cli.main``) rules them all.
CLI_LOG: Final = logging.getLogger("linkgraph.cli")


def tell(level: int, message: str, *, label: str | None = None) -> None:
    """Print *message* on stderr as ``<label>: <message>`` (the level's name by default) when
    the verbosity allows: ``-q`` shows errors only."""
    CLI_LOG.log(level, "%s", message, extra={"label": label} if label else None)


def is_quiet() -> bool:
    """True under ``-q``: nothing but errors (no warnings, notes, progress or summaries)."""
    return not CLI_LOG.isEnabledFor(logging.WARNING)


def say(message: str, *, err: bool = False) -> None:
    """A summary line, what a command did ("stored 12 article(s) ..."): on stdout (stderr
    with *err*), and not under ``-q``.  The output a command is asked for (extract's rows,
    check's results) is not a summary: it is printed whatever the verbosity."""
    if not is_quiet():
        click.echo(message, err=err)


def console(*, stderr: bool = False) -> Console:
    """A rich console for progress, spinners and summaries: silent under ``-q``."""
    return Console(stderr=stderr, quiet=is_quiet())


class InputTally(InputCounts):
    """The workflow's input counts, printing each read failure and warning on stderr as it
    comes, with its origin; *on_failure* hears each failure too."""

    def __init__(self, on_failure: Callable[[ReadFailure], None] | None = None) -> None:
        super().__init__()
        self.on_failure = on_failure

    def tell_failure(self, item: ReadFailure) -> None:
        tell(logging.ERROR, named(str(item.origin), item.message))
        if self.on_failure is not None:
            self.on_failure(item)

    def tell_warning(self, origin: str, warning: str) -> None:
        tell(logging.WARNING, named(origin, warning))

    def tell_note(self, origin: str, note: str) -> None:
        tell(logging.WARNING, named(origin, note), label="note")

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INPUT_ERRORS if self.failures else ExitCode.OK


def read_options(
    *, base: str | None, all_links: bool, jobs: int, sentences: bool = True, infer: bool = True,
    recover: RecoverOptions | None = None, manifest: str | None = None,
) -> ReadOptions:
    """The workflow's ``ReadOptions`` of ``--base``, ``--manifest``, ``--all-links``,
    ``--jobs``, ``--no-infer`` and ``--recover`` (``sentences=False`` for commands that never
    analyse)."""
    return ReadOptions(base=base, all_links=all_links, jobs=jobs, sentences=sentences,
                       infer=infer, recover=recover, manifest=manifest)


RECOVER_HELP: Final = (
    "Recover damaged articles (links whose <a href> was stripped, text cut off) from their"
    " originals: the WordPress REST post, else its page, else the archive's capture"
    " (--archive-base); restored links are marked 'recovered' with where from and when, and"
    " replace inferences.  Needs the network; loopback and private addresses only with"
    " --allow/--allow-private.  Example: linkgraph report seed.json --recover"
)


def recover_flag(func: F) -> F:
    """--recover: fetch the originals of damaged articles."""
    return click.option("--recover", "recover", is_flag=True, help=RECOVER_HELP)(func)


def network_options(func: F) -> F:
    """--allow-private, --allow, --archive-base, --no-archive: where recovery may fetch."""
    func = click.option(
        "--no-archive", "no_archive", is_flag=True,
        help="Do not look for the original in the web archive (REST post and page only).",
    )(func)
    func = click.option(
        "--archive-base", default=DEFAULT_ARCHIVE_BASE, show_default=True, metavar="URL",
        help="Wayback-style availability endpoint asked for a capture of the original.",
    )(func)
    func = click.option(
        "--allow", multiple=True, metavar="HOST|IP|CIDR",
        help="Also allow this host, address or network (repeatable), e.g. --allow 127.0.0.1"
             " for a test server.",
    )(func)
    return click.option(
        "--allow-private", is_flag=True,
        help="Allow private and loopback addresses (refused by default).",
    )(func)


# Tests inject a resolver here (a StaticResolver: names it does not hold fail, never asked
# of the network).
RESOLVER_HOOK: Resolver | None = None


def recover_config(
    *, allow_private: bool, allow: tuple[str, ...], archive_base: str | None,
) -> RecoverOptions:
    """The ``RecoverOptions`` of the network options; a bad --allow entry is a ConfigError."""
    web = WebConfig(allow_private=allow_private, allow=allow)
    web.policy()  # validates --allow now, before any work
    return RecoverOptions(web=web, archive_base=archive_base or None, resolver=RESOLVER_HOOK)


def read_extractions(
    inputs: tuple[str, ...], *, base: str | None, all_links: bool, jobs: int, tally: InputTally,
    infer: bool = True, manifest: str | None = None,
) -> Iterator[Extraction]:
    """Extractions of the inputs, failures reported through *tally*; without the body's
    sentences (the commands that use this print or check citations and never analyse)."""
    return read_inputs(
        inputs, read_options(base=base, all_links=all_links, jobs=jobs, sentences=False,
                             infer=infer, manifest=manifest), tally
    )


def infer_option(func: F) -> F:
    """--no-infer: leave lost links and unlinked attributions without an inferred source."""
    return click.option(
        "--no-infer", "no_infer", is_flag=True,
        help="Do not infer sources from the text: lost links stay missing and a sentence that"
             " credits an outlet ('according to Yonhap') gets no source.  By default each"
             " gets the outlet, organisation or law its words name, marked as inferred with"
             " its rule and evidence.  Example: linkgraph report seed.json --no-infer",
    )(func)


def count_inferred_option(func: F) -> F:
    """--count-inferred: count inferred sources in the metrics."""
    return click.option(
        "--count-inferred", "count_inferred", is_flag=True,
        help="Count inferred sources in diversity, PageRank and top sources (by default"
             " only linked and recovered links count; inferred ones are drawn dashed and"
             " listed apart).  Example: linkgraph report seed.json --count-inferred",
    )(func)


def _checked_manifest(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    """--manifest is read before any input: a file that is not a manifest is a usage error."""
    if value is not None:
        try:
            read_manifest(value)
        except InputError as exc:
            raise click.BadParameter(str(exc)) from exc
    return value
