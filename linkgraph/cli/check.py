"""``linkgraph check``: check the cited links, store every result, exit non-zero on failures."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
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
    UrlToCheck,
    check_urls_async,
    cited_urls,
    link_statuses,
)
from linkgraph.check.export import csv_text, json_text, jsonl_text, summarize
from linkgraph.check.history import MIN_DAYS, MIN_FAILURES
from linkgraph.cli.checker_options import checker_config, checker_options
from linkgraph.cli.common import (
    ExitCode,
    InputTally,
    db_option,
    existing_store,
    extraction_options,
    inputs_argument,
    read_extractions,
)
from linkgraph.errors import LinkgraphError, StoreError
from linkgraph.records import FAILING_VERDICTS, CheckResult, LinkStatus, Verdict
from linkgraph.store import Store
from linkgraph.storefile import StoreBusy

# Tests inject a resolver here (a StaticResolver mapping test names to loopback addresses).
RESOLVER_HOOK: Resolver | None = None

EXIT_INTERRUPTED: Final = 130

EPILOG: Final = (
    "Exit codes: 0 no failing link; 1 failing links found (which verdicts fail: --fail-on; "
    "whether one failure is enough or dead must be confirmed over time: --fail-when); "
    "2 usage error; 3 runtime error (store, configuration); 4 some inputs could not be read "
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


def _urls_from_inputs(
    inputs: tuple[str, ...], base: str | None, all_links: bool, jobs: int, tally: InputTally
) -> dict[str, datetime | None]:
    return cited_urls(
        read_extractions(inputs, base=base, all_links=all_links, jobs=jobs, tally=tally)
    )


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
        if self.store is None:
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
    todo: list[UrlToCheck], config: CheckConfig, saver: _Saver, console: Console
) -> list[CheckResult]:
    results: list[CheckResult] = []
    progress = Progress(
        TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=console, transient=True,
        disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=len(todo))

        def on_result(result: CheckResult) -> None:
            results.append(result)
            saver.add(result)  # committed at once (or soon): Ctrl-C loses nothing obtained
            progress.update(task, advance=1, description=result.verdict.value)

        asyncio.run(check_urls_async(todo, config, resolver=RESOLVER_HOOK, on_result=on_result))
    return results


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
    problems = [r for r in results if r.verdict is not Verdict.ALIVE]
    if problems:
        table = Table("verdict", "status", "url", "detail", title="Links that need a look")
        table.columns[2].overflow = "fold"
        for r in sorted(problems, key=lambda r: (r.verdict.value, r.url)):
            state = statuses[r.url]
            detail = [r.error or ""]
            if r.verdict is Verdict.REDIRECTED and r.final_url:
                detail.append(("moved to " if r.permanent_redirect else "-> ") + r.final_url)
            if state.confirmed_dead:
                detail.append(f"confirmed dead ({state.failures} failures)")
            elif r.verdict in FAILING_VERDICTS:
                detail.append(f"failing ({state.failures} of {state.checks} checks)")
            if r.archive_url:
                detail.append("archive: " + r.archive_url)
            note = "; ".join(d for d in detail if d)
            table.add_row(r.verdict.value, str(r.status or ""), r.url, note)
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
    extra: dict[str, object],
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
    else:
        _write(csv_text(results, statuses), out)


@click.command("check", epilog=EPILOG)
@inputs_argument
@db_option
@extraction_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]),
              default="table", show_default=True, help="Output form (json: results + summary).")
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
@click.option("--min-failures", type=click.IntRange(min=1), default=MIN_FAILURES,
              show_default=True,
              help="Failing checks needed to confirm a link dead.")
@click.option("--min-days", type=click.FloatRange(min=0), default=MIN_DAYS, show_default=True,
              help="Days the failing checks must span to confirm a link dead.")
def command(
    *,
    inputs: tuple[str, ...], db: str | None, base: str | None, all_links: bool, jobs: int,
    fmt: str, output: TextIO | None, max_age: str | None, fail_on: str, fail_when: str,
    allow_private: bool, allow: tuple[str, ...], concurrency: int, per_host: int,
    interval: float, timeout: float | None, archive: bool, archive_base: str,
    min_failures: int, min_days: float,
) -> None:
    """Check the external links cited by INPUT... (or, without inputs, by the store).

    Each unique URL is checked once, politely (per-host limits, Retry-After honoured) and
    safely (no private or loopback addresses unless allowed).  Verdicts: alive, redirected,
    dead, soft_404, blocked (bot walls: unverifiable, never dead), rate_limited, timeout,
    error, skipped.  Every result is stored with its time when a store is used (--db, or the
    default store when there are no inputs), so a link is "confirmed dead" only after
    repeated failures over days.

    \b
    Examples:
      linkgraph check --db news.db --max-age 7d
      linkgraph check article.json --format json --output links.json
      linkgraph check --db news.db --fail-when confirmed --no-archive   # in CI
    """
    failing = _verdicts(fail_on)
    cache = parse_duration(max_age) if max_age else None
    stderr = Console(stderr=True)
    try:
        config = checker_config(
            concurrency=concurrency, per_host=per_host, interval=interval, timeout=timeout,
            allow_private=allow_private, allow=allow, archive=archive, archive_base=archive_base,
        )
        tally = InputTally()
        urls = _urls_from_inputs(inputs, base, all_links, jobs, tally) if inputs else None
        store_path = db if inputs else existing_store(db)
        store = Store(store_path) if store_path else None
    except LinkgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    saver = _Saver(store)
    with store if store is not None else contextlib.nullcontext():
        try:
            if urls is None:
                assert store is not None
                urls = dict(store.external_urls())
            histories = store.check_histories() if store is not None else {}
            todo, cached = _plan(urls, histories, cache)
            results = _run(todo, config, saver, stderr)
        except KeyboardInterrupt:
            unsaved = saver.flush()
            click.echo("interrupted: every result obtained so far is stored" if unsaved is None
                       else f"interrupted; error: {unsaved}", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except LinkgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(ExitCode.RUNTIME_ERROR)
        unsaved = saver.flush()
        statuses = _statuses(cached, results, histories, min_failures, min_days)
    everything = cached + results
    extra = {"cached": len(cached), "fail_on": sorted(v.value for v in failing),
             "fail_when": fail_when}
    _render(fmt, everything, statuses, output, extra)
    if unsaved is not None:
        click.echo(f"error: {len(saver.pending)} result(s) could not be stored (they are in "
                   f"the output): {unsaved}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    if fail_when == "confirmed":
        failed = any(s.confirmed_dead and s.latest.verdict in failing for s in statuses.values())
    else:
        failed = any(r.verdict in failing for r in everything)
    sys.exit(ExitCode.LINKS_FAILED if failed else tally.exit_code)
