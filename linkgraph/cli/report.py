"""``linkgraph report``: graph, charts, HTML, Markdown and JSON for inputs or a store."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

import linkgraph.cli.check as check_cli
import linkgraph.cli.collect as collect_cli
from linkgraph.analysis.streaming import STREAM_ABOVE, stream_threshold
from linkgraph.cli.checker_options import CheckerOptions, checker_options
from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    ExitCode,
    InputTally,
    config_option,
    console,
    count_inferred_option,
    db_option,
    extraction_options,
    infer_option,
    inputs_argument,
    library_errors,
    read_options,
    recover_config,
    recover_flag,
    say,
    tell,
)
from linkgraph.cli.report_paths import check_streamed, note_streamed, on_cluster
from linkgraph.collect import CollectOptions, SourceError, is_web_source
from linkgraph.records import RepeatedArticle
from linkgraph.report.tables import cited_links, is_failing
from linkgraph.sources.config import load_registry
from linkgraph.web.config import WebConfig
from linkgraph.web.politeness import HostLimits
from linkgraph.workflow.collect import CollectRun, collect_into
from linkgraph.workflow.report import ReportRequest, ReportRun, run_report
from linkgraph.workflow.scale import (
    StreamedRequest,
    StreamedRun,
    run_cluster_report,
    run_streamed_report,
    streams,
)


def _size(n: int) -> str:
    """A file size for the table: bytes, KB or MB."""
    if n < 1024:
        return f"{n:,} B"
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def _print_summary(screen: Console, run: ReportRun) -> int:
    """Files written, headline numbers and timing; returns the count of failing URLs."""
    target, paths, analysis = run.target, run.paths, run.analysis
    read, analyse, write = run.seconds
    timing = (f"{read + analyse + write:.1f} s: read {read:.1f} s, analyse {analyse:.1f} s,"
              f" report {write:.1f} s")
    screen.print(f"report written to {target}", soft_wrap=True, highlight=False)
    table = Table()
    table.add_column("file")
    table.add_column("size", justify="right")
    for path in paths:
        table.add_row(path.name, _size(path.stat().st_size))
    screen.print(table)
    summary = analysis.summary
    head = (
        f"{len(analysis.articles):,} article(s),"
        f" {cited_links(analysis):,} citation(s) (links, lost ones included),"
        f" {len(analysis.outlets):,} outlet(s), {len(analysis.findings):,} finding(s)"
    )
    head += f"; {summary.external:,} external, {summary.internal:,} internal"
    if summary.pictures:
        head += f"; {summary.pictures:,} links to pictures, not counted as sources"
    failing = sum(map(is_failing, analysis.link_status.values()))
    if analysis.link_status:
        head += f"; {len(analysis.link_status):,} URL(s) checked, {failing:,} failing"
    screen.print(head, soft_wrap=True, highlight=False)
    screen.print(f"open {target / 'index.html'}  ({timing})", soft_wrap=True, highlight=False)
    return failing


def _tell_repeats(repeats: Sequence[RepeatedArticle]) -> None:
    """A note for each input that is the same article as an earlier one."""
    for repeat in repeats:
        tell(
            logging.WARNING,
            f"{repeat.origin} is the same article as {repeat.first} (id {repeat.article_id}: "
            "same canonical URL or post); it counts once, as this later copy",
            label="note",
        )


def _collect(sources: tuple[str, ...], db: str | None, options: CollectOptions) -> CollectRun:
    """Collect web *sources* into the store as ``linkgraph collect`` does."""

    def on_error(source: str, exc: SourceError) -> None:
        click.echo(f"error: {exc}", err=True)

    with library_errors(), console(stderr=True).status("collecting…"):
        run = collect_into(sources, db, options, on_error=on_error)
    say(f"collected {run.articles} article(s) into {run.db}", err=True)
    return run


def _print_streamed(screen: Console, run: StreamedRun, how: str) -> None:
    if run.folder_note:
        tell(logging.WARNING, run.folder_note, label="note")
    s = run.summary
    screen.print(f"{how} report written to {run.target} ({', '.join(p.name for p in run.paths)};"
                  f" per article: {', '.join(run.per_article)})", soft_wrap=True,
                  highlight=False)
    screen.print(f"{s.articles:,} article(s), {s.citations:,} citation(s), {s.outlets:,}"
                  f" outlet(s), {s.findings:,} finding(s); {s.external:,} external,"
                  f" {s.internal:,} internal"
                  + (f"; {s.pictures:,} links to pictures, not counted as sources"
                     if s.pictures else "")
                  + f" ({run.seconds:.1f} s)", soft_wrap=True,
                  highlight=False)


def _exit(run: ReportRun, *, failing: int, check: bool, tally: InputTally) -> None:
    """Exit 3 when the resolver did not answer (as `check`), 1 on failing links, else the
    inputs' code."""
    if run.resolver_down is not None:
        click.echo(f"error: the resolver did not answer: {run.unverified:,} link(s) could not be"
                   " verified (not judged by this run, not stored); run again when it"
                   " answers", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    if check and failing:
        sys.exit(ExitCode.LINKS_FAILED)
    sys.exit(tally.exit_code)


@click.command("report", epilog=EXIT_CODES_HELP)
@inputs_argument
@db_option
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Folder to write into (default: reports/<site>-<input name> for one site's "
                   "articles, reports/<input name>, or reports/corpus; never a folder that "
                   "holds the report of other inputs: <name>-2 then).")
@click.option("--check", "check", is_flag=True,
              help="Check the cited links first (network; results are kept with --db); the"
                   " checker options below apply, as in `linkgraph check`.  With no network the"
                   " run stops (exit 3, no report); when only the resolver is down, links that"
                   " need a name lookup are shown as unverified, not stored, and the exit code"
                   " is 3 (the report is still written).")
@click.option("--svg", "svg", is_flag=True, help="Write SVG versions of the charts too.")
@click.option("--since", default=None, metavar="DATE",
              help="With a site's address as INPUT: collect only the posts published or"
                   " modified since DATE (as `linkgraph collect --since`).")
@click.option("--streamed", "streamed", is_flag=True,
              help="With --db: stream over the store (report.json and report.md of the corpus"
                   " numbers; per-article numbers, edges and findings as files beside them)."
                   f" Automatic above {STREAM_ABOVE:,} stored articles (LINKGRAPH_STREAM_ABOVE"
                   " sets another number).  Not with INPUT files (ingest them first), --check,"
                   " --svg or --recover: a usage error says so.  Example: linkgraph report"
                   " --db archive.db --streamed")
@click.option("--scheduler", "scheduler", default=None, envvar="LINKGRAPH_SCHEDULER",
              metavar="ADDRESS",
              help="Run on this Dask cluster (e.g. tcp://10.0.0.5:8786; default: the"
                   " LINKGRAPH_SCHEDULER environment variable): workers read and extract the"
                   " INPUT files by partitions into Parquet under OUT/parquet, the numbers are"
                   " computed by dask.dataframe; report.json and report.md as with --streamed."
                   " Without it nothing changes.  INPUT files only (not --db or a site), and"
                   " not with --check, --svg or --recover: given"
                   " --scheduler, a usage error says so; set by LINKGRAPH_SCHEDULER, a note"
                   " says so and the report runs on this machine.  Needs pip install"
                   " 'linkgraph[scale]'.")
@checker_options
@extraction_options
@infer_option
@count_inferred_option
@recover_flag
@config_option
def command(
    *,
    inputs: tuple[str, ...], db: str | None, out: str | None, check: bool, svg: bool,
    streamed: bool, scheduler: str | None, checker: CheckerOptions, base: str | None,
    manifest: str | None, all_links: bool, jobs: int, config: Path | None,
    no_infer: bool, count_inferred: bool, since: str | None, recover: bool,
) -> None:
    """Write a report of INPUT... (or of the store, --db) into a folder.

    The folder holds index.html (one self-contained page), graph.png and graph.svg (the
    article-to-source network), charts as PNG, report.md and report.json.  For a single
    article the report leads with its citations in order and the problems beside them.

    \b
    Examples:
      linkgraph report examples/ukraine-arms.json
      linkgraph report exports/ --out reports/desk --svg
      linkgraph report --db news.db --check
      linkgraph report --db news.db --check --exclude '^https://(www\\.)?x\\.com/' \\
          -H 'Accept-Language: en' --accept 429   # the checker options of `linkgraph check`
      linkgraph report seed.json --count-inferred   # inferred sources count in the metrics
      linkgraph report seed.json --recover   # damaged: links restored from the original
      linkgraph report https://news.example/ --since 2024-01-01   # collect, then report
      linkgraph report --db archive.db --streamed   # a million articles, memory flat
      linkgraph report crawl/ --scheduler tcp://scheduler:8786 --out reports/crawl

    A web address as INPUT is collected into the store first (--db, default linkgraph.db),
    and the report covers the articles fetched from under it.
    """
    screen = console()
    tally = InputTally()
    web_inputs = tuple(i for i in inputs if is_web_source(i))
    if web_inputs and len(web_inputs) < len(inputs):
        raise click.UsageError("give either web addresses (collected first) or files, not both")
    if since is not None and not web_inputs:
        raise click.UsageError("--since applies to collecting a site (a web address as INPUT);"
                               " files and --db are reported whole")
    ctx = click.get_current_context()
    files = bool(inputs) and not web_inputs
    cluster = on_cluster(ctx, scheduler=scheduler, files=files)
    if not cluster:
        check_streamed(ctx, streamed=streamed, files=files)
    only_from: tuple[str, ...] = ()
    if web_inputs:
        with library_errors():
            registry = load_registry(config)
        options = CollectOptions(
            web=WebConfig(allow_private=checker.allow_private, allow=checker.allow,
                          per_host=HostLimits(concurrency=1, interval=checker.interval)),
            since=collect_cli.parse_since(since), all_links=all_links, infer=not no_infer,
            registry=registry, resolver=collect_cli.RESOLVER_HOOK,
        )
        collected = _collect(web_inputs, db, options)
        if collected.failed or collected.failures:  # exit 4, as `collect` does
            tally.failures += len(collected.failed) + collected.failures
        db, inputs, only_from = collected.db, (), collected.prefixes
    scaled = StreamedRequest(db=db, inputs=inputs, out=Path(out) if out else None,
                             config=config, scheduler=scheduler, count_inferred=count_inferred,
                             only_from=only_from,
                             read=read_options(base=base, all_links=all_links, jobs=jobs,
                                               infer=not no_infer, manifest=manifest))
    if cluster:
        with library_errors():
            run_scaled = run_cluster_report(scaled, counts=tally)
        _tell_repeats(run_scaled.repeats)
        _print_streamed(screen, run_scaled, "cluster")
        sys.exit(tally.exit_code)
    if not check:
        with library_errors():
            store = streams(inputs, db, force=streamed)
        if store is not None:
            if not streamed:
                note_streamed(ctx, articles=f"{store} holds more than {stream_threshold():,}"
                                            " articles")
            with library_errors():
                run_scaled = run_streamed_report(scaled)
            _print_streamed(screen, run_scaled, "streamed")
            sys.exit(tally.exit_code)  # a site's collect failures: 4, as in memory
    with library_errors():
        # A bad checker option (--allow, -H, --exclude ...) is an error before any work, with
        # --check or not.
        check_config = checker.config()
        request = ReportRequest(
            inputs=inputs, db=db, out=Path(out) if out else None,
            check=check_config if check else None, svg=svg,
            read=read_options(
                base=base, all_links=all_links, jobs=jobs, infer=not no_infer, manifest=manifest,
                recover=recover_config(allow_private=checker.allow_private,
                                       allow=checker.allow,
                                       archive_base=checker.archive_base) if recover else None),
            config=config, count_inferred=count_inferred,
            only_from=only_from, resolver=check_cli.RESOLVER_HOOK,
        )
        run = run_report(request, counts=tally, status=screen.status)
    if run.folder_note:
        tell(logging.WARNING, run.folder_note, label="note")
    _tell_repeats(run.repeats)
    _exit(run, failing=_print_summary(screen, run), check=check, tally=tally)
