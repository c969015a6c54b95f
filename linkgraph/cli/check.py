"""``linkgraph check``: check the cited links, store every result, exit non-zero on failures."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Final, TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from linkgraph.check import (
    CheckConfig,
    Resolver,
    RunStats,
    UrlToCheck,
    link_statuses,
    run_checks,
)
from linkgraph.check.export import (
    csv_text,
    detail,
    json_text,
    jsonl_text,
    junit_text,
    markdown_text,
    problems,
    sarif_text,
    summarize,
)
from linkgraph.check.history import MIN_DAYS, MIN_FAILURES
from linkgraph.cli.checker_options import CheckerOptions, checker_options
from linkgraph.cli.common import (
    ExitCode,
    InputTally,
    db_option,
    extraction_options,
    inputs_argument,
    is_quiet,
    library_errors,
    read_options,
)
from linkgraph.errors import StoreError
from linkgraph.records import CheckResult, ErrorKind, LinkStatus, Verdict
from linkgraph.store import Store
from linkgraph.store.file import StoreBusy
from linkgraph.workflow.links import load_link_targets

# Tests inject a resolver here (a StaticResolver mapping test names to loopback addresses).
RESOLVER_HOOK: Resolver | None = None

EXIT_INTERRUPTED: Final = 130
# Seconds between two plain progress lines when stderr is not a terminal (CI logs).
PROGRESS_EVERY: Final = 5.0
FORMATS: Final = ("table", "json", "jsonl", "csv", "markdown", "junit", "sarif")

EPILOG: Final = (
    "Exit codes: 0 no failing link; 1 failing links found (which verdicts fail: --fail-on; "
    "whether one failure is enough or dead must be confirmed over time: --fail-when); "
    "2 usage error; 3 runtime error (store, configuration, or the network or resolver does "
    "not answer: then no link is judged and nothing is stored, except links to IP addresses "
    "or local names that answered without the resolver); 4 some inputs could not be read "
    "(the rest was checked); 130 interrupted (every result "
    "obtained so far is stored; run again with --max-age to continue)."
)
_UNITS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``12h``, ``7d``, ``2w`` or plain seconds, as a timedelta.

    >>> parse_duration("7d")
    datetime.timedelta(days=7)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text.lower())
    if not match:
        raise click.BadParameter(f"{text!r} is not a duration such as 90s, 30m, 12h, 7d or 2w")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2) or "s"])


def _verdicts(text: str) -> frozenset[Verdict]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    try:
        return frozenset(Verdict(name) for name in names)
    except ValueError:
        valid = ", ".join(v.value for v in Verdict)
        raise click.BadParameter(f"{text!r}: verdicts are {valid}") from None


class _PlainProgress:
    """A progress line every ``PROGRESS_EVERY`` seconds, for logs where a bar cannot redraw."""

    def __init__(self, total: int, console: Console) -> None:
        self.total, self.console = total, console
        self.done = 0
        self.verdicts: Counter[str] = Counter()
        self.start = self.last = time.monotonic()

    def advance(self, result: CheckResult) -> None:
        self.done += 1
        self.verdicts[result.verdict.value] += 1
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY or self.done == self.total:
            self.last = now
            counts = ", ".join(f"{v} {n}" for v, n in self.verdicts.most_common())
            self.console.print(f"checked {self.done} of {self.total} links ({counts}) "
                               f"in {now - self.start:.0f}s", highlight=False, soft_wrap=True)


class _Saver:
    """Stores each result as it comes without stalling the checks: when another command holds
    the store's write lock (an ingest writing a batch), a write waits at most ``WAIT`` seconds
    and the results wait for the next one; :meth:`flush` writes what is left, waiting longer
    and trying again.  A result that cannot be stored is still in the output."""

    WAIT: Final = 0.25

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self.pending: list[CheckResult] = []
        self.error: StoreError | None = None

    def add(self, result: CheckResult) -> None:
        if self.store is None or result.error is ErrorKind.DNS_UNAVAILABLE:
            # The resolver did not answer: nothing was learnt about the link.  Not stored, so
            # that a later run (with --max-age) checks it again.
            return
        self.pending.append(result)
        if self.error is not None:
            return
        try:
            self.store.add_checks(self.pending, wait=self.WAIT)
        except StoreBusy:
            return
        except StoreError as exc:
            self.error = exc  # damaged store: stop trying until the end
            return
        self.pending = []

    def flush(self) -> StoreError | None:
        """Write what is pending; the error if some results could not be stored."""
        if self.store is None or not self.pending:
            return None
        try:
            self.store.add_checks(self.pending)
        except StoreError as exc:
            return exc
        self.pending = []
        return None


def _run(
    todo: list[UrlToCheck], config: CheckConfig, saver: _Saver, console: Console,
    show_progress: bool = True,
) -> tuple[list[CheckResult], RunStats]:
    results: list[CheckResult] = []
    progress = Progress(
        TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=console, transient=True,
        disable=not (show_progress and console.is_terminal),
    )
    plain = _PlainProgress(len(todo), console) if show_progress and not console.is_terminal \
        else None
    with progress:
        task = progress.add_task("", total=len(todo))

        def on_result(result: CheckResult) -> None:
            results.append(result)
            saver.add(result)  # committed at once (or soon): Ctrl-C loses nothing obtained
            progress.update(task, advance=1, description=result.verdict.value)
            if plain is not None:
                plain.advance(result)

        stats = asyncio.run(run_checks(todo, config, resolver=RESOLVER_HOOK, on_result=on_result))
    return results, stats


def _statuses(
    cached: list[CheckResult],
    results: list[CheckResult],
    histories: Mapping[str, list[CheckResult]],
    min_failures: int,
    min_days: float,
) -> dict[str, LinkStatus]:
    """Statuses of the reported URLs: stored history (read before the run) plus this run."""
    reported = {r.url: histories[r.url] for r in cached}
    reported |= {r.url: [*histories.get(r.url, ()), r] for r in results}
    return link_statuses(reported, min_failures=min_failures, min_days=min_days)


def _table(results: list[CheckResult], statuses: dict[str, LinkStatus], out: Console) -> None:
    shown = problems(results)
    if shown:
        table = Table("verdict", "status", "url", "detail", title="Links that need a look")
        table.columns[2].overflow = "fold"
        for r in shown:
            table.add_row(r.verdict.value, str(r.status or ""), r.url, detail(r, statuses[r.url]))
        out.print(table)
    summary = summarize(results, statuses)
    totals = Table("verdict", "links", title="Summary")
    for verdict, count in summary["by_verdict"].items():
        totals.add_row(verdict, str(count))
    totals.add_row("confirmed dead", str(summary["confirmed_dead"]))
    out.print(totals)


def _write(text: str, output: TextIO) -> None:
    output.write(text)
    output.flush()


def _plan(
    urls: dict[str, datetime | None],
    histories: Mapping[str, list[CheckResult]],
    cache: timedelta | None,
) -> tuple[list[UrlToCheck], list[CheckResult]]:
    """What to check now, and the stored results of URLs checked within *cache*."""
    todo = [UrlToCheck(url, published) for url, published in urls.items()]
    if cache is None:
        return todo, []
    cutoff = datetime.now(UTC) - cache
    cached = [
        h[-1] for url in sorted(urls) if (h := histories.get(url)) and h[-1].checked_at >= cutoff
    ]
    fresh = {r.url for r in cached}
    return [u for u in todo if u.url not in fresh], cached


def _render(
    fmt: str,
    results: list[CheckResult],
    statuses: dict[str, LinkStatus],
    output: TextIO | None,
    *,
    extra: dict[str, object],
    failing: frozenset[Verdict],
    cited_in: Mapping[str, str] | None = None,
) -> None:
    out = output or sys.stdout
    if fmt == "table":
        console = Console(file=out) if output else Console()
        if not console.is_terminal:
            console.width = 160  # files and pipes: whole URLs on one line where possible
        _table(results, statuses, console)
    elif fmt == "json":
        _write(json_text(results, statuses, extra_summary=extra), out)
    elif fmt == "jsonl":
        _write(jsonl_text(results, statuses), out)
    elif fmt == "markdown":
        _write(markdown_text(results, statuses, failing=failing), out)
    elif fmt == "junit":
        _write(junit_text(results, statuses, failing=failing), out)
    elif fmt == "sarif":
        _write(sarif_text(results, statuses, failing=failing, cited_in=cited_in), out)
    else:
        _write(csv_text(results, statuses), out)


@click.command("check", epilog=EPILOG)
@inputs_argument
@db_option
@extraction_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output form: json (results + summary), jsonl, csv; markdown for a "
                   "pull-request comment; junit (JUnit XML) or sarif for CI systems.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default=None,
              help="Write the output to FILE instead of stdout.")
@click.option("--max-age", default=None, metavar="DURATION",
              help="Skip URLs checked more recently than this (e.g. 12h, 7d); their last "
                   "stored result is reported instead.  Continues an interrupted run.")
@click.option("--fail-on", default="dead,soft_404", show_default=True, metavar="VERDICTS",
              help="Comma-separated verdicts that make the exit code 1.")
@click.option("--fail-when", type=click.Choice(["failing", "confirmed"]), default="failing",
              show_default=True,
              help="failing: one failing check is enough (before publishing); confirmed: only "
                   "links confirmed dead over their history (--min-failures, --min-days; only "
                   "dead and soft_404 can be confirmed).")
@checker_options
@click.option("--no-progress", is_flag=True,
              help="No progress bar (on a terminal) nor progress lines (every "
                   f"{PROGRESS_EVERY:g} s in logs, when stderr is not a terminal); "
                   "`linkgraph -q check` implies it.")
@click.option("--min-failures", type=click.IntRange(min=1), default=MIN_FAILURES,
              show_default=True,
              help="Failing checks needed to confirm a link dead.")
@click.option("--min-days", type=click.FloatRange(min=0), default=MIN_DAYS, show_default=True,
              help="Days the failing checks must span to confirm a link dead.")
def command(
    *,
    inputs: tuple[str, ...], db: str | None, base: str | None, manifest: str | None,
    all_links: bool, jobs: int,
    fmt: str, output: TextIO | None, max_age: str | None, fail_on: str, fail_when: str,
    checker: CheckerOptions, no_progress: bool, min_failures: int, min_days: float,
) -> None:
    """Check the external links cited by INPUT... (or, without inputs, by the store).

    Each unique URL is checked once, politely (per-host limits, Retry-After honoured) and
    safely (no private or loopback addresses unless allowed).  Verdicts: alive, redirected,
    dead, soft_404, blocked (bot walls: unverifiable, never dead), rate_limited, timeout,
    error, skipped.  Every result is stored with its time when a store is used (--db, or the
    default store when there are no inputs), so a link is "confirmed dead" only after
    repeated failures over days.

    With no network (or no answering resolver) the run stops early with exit code 3 and
    stores nothing: a dead network is not a dead link.  When only the resolver is down but
    links to IP addresses or localhost answer, those are judged and stored, the others are
    reported as error dns_unavailable (never dead, not stored), and the exit code is 3.

    \b
    Examples:
      linkgraph check --db news.db --max-age 7d
      linkgraph check article.json --format json --output links.json
      linkgraph check --db news.db --fail-when confirmed --no-archive   # in CI
      linkgraph check post.json --format markdown -o comment.md --exclude '//localhost'
      linkgraph check --db news.db --format junit -o links.xml --accept 429 --no-progress
    """
    failing = _verdicts(fail_on)
    cache = parse_duration(max_age) if max_age else None
    stderr = Console(stderr=True)
    tally = InputTally()
    # The checker needs URLs only: inferred sources have none.
    read = read_options(base=base, all_links=all_links, jobs=jobs, sentences=False,
                        infer=False, manifest=manifest)
    with library_errors():
        config = checker.config()
        with load_link_targets(inputs, db, read=read, counts=tally) as targets:
            store = targets.store
            histories = store.check_histories() if store is not None else {}
            todo, cached = _plan(targets.urls, histories, cache)
            saver = _Saver(store)
            try:
                results, stats = _run(todo, config, saver, stderr,
                                      show_progress=not (no_progress or is_quiet()))
            except KeyboardInterrupt:
                unsaved = saver.flush()
                click.echo("interrupted: every result obtained so far is stored"
                           if unsaved is None else f"interrupted; error: {unsaved}", err=True)
                sys.exit(EXIT_INTERRUPTED)
            unsaved = saver.flush()
            statuses = _statuses(cached, results, histories, min_failures, min_days)
            cited_in = targets.citing() if fmt == "sarif" else {}
    everything = cached + results
    extra = {"cached": len(cached), "fail_on": sorted(v.value for v in failing),
             "fail_when": fail_when}
    _render(fmt, everything, statuses, output, extra=extra, failing=failing, cited_in=cited_in)
    if unsaved is not None:
        click.echo(f"error: {len(saver.pending)} result(s) could not be stored (they are in "
                   f"the output): {unsaved}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    if stats.resolver_down is not None:
        unchecked = sum(r.error is ErrorKind.DNS_UNAVAILABLE for r in results)
        click.echo(f"error: the resolver did not answer: {unchecked} link(s) could not be "
                   "checked (error dns_unavailable, not stored); run again when it answers",
                   err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    if fail_when == "confirmed":
        failed = any(s.confirmed_dead and s.latest.verdict in failing for s in statuses.values())
    else:
        failed = any(r.verdict in failing for r in everything)
    sys.exit(ExitCode.LINKS_FAILED if failed else tally.exit_code)
