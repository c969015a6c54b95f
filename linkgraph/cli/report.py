"""``linkgraph report``: graph, charts, HTML, Markdown and JSON for inputs or a store."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from linkgraph.analysis import Analysis, analyse
from linkgraph.analysis.streaming import STREAM_ABOVE, analyse_streaming, stream_threshold
from linkgraph.check import CheckConfig, UrlToCheck, check_urls, cited_urls, link_statuses
from linkgraph.cli.checker_options import checker_config, checker_options
from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    ExitCode,
    InputTally,
    config_option,
    db_option,
    existing_store,
    extraction_options,
    inputs_argument,
    read_extractions,
)
from linkgraph.errors import LinkgraphError
from linkgraph.pipeline import fill_sentences
from linkgraph.records import CheckResult, Extraction
from linkgraph.report import ReportMeta, write_report
from linkgraph.report.streamed import CLUSTER_FILES, FolderSink, write_streamed_report
from linkgraph.report.tables import is_failing
from linkgraph.sources import Registry
from linkgraph.store import Store, stored_articles

DEFAULT_ROOT = Path("reports")


def default_out(inputs: Sequence[str], db: str | None) -> Path:
    """``reports/<name>``: the single input's stem, the store's stem, or ``corpus``."""
    if db and not inputs:
        return DEFAULT_ROOT / Path(db).stem
    if len(inputs) == 1:
        name = Path(inputs[0].rstrip("/\\")).name
        for suffix in (".gz", ".json", ".jsonl", ".html", ".htm"):
            name = name.removesuffix(suffix)
        return DEFAULT_ROOT / (name or "corpus")
    return DEFAULT_ROOT / "corpus"


def _check(
    extractions: Sequence[Extraction], config: CheckConfig, store: Store | None
) -> list[CheckResult]:
    """Check every external URL once (the checker's politeness and address policy apply),
    storing each result as it comes (as ``linkgraph check`` does: an interrupted run keeps
    what it has)."""
    todo = [UrlToCheck(url, published) for url, published in cited_urls(extractions).items()]
    on_result = store.add_check if store is not None else None
    return check_urls(todo, config, on_result=on_result) if todo else []


def _note_repeats(extractions: Sequence[Extraction]) -> None:
    """Say which inputs are the same article (same canonical URL or post): counted once."""
    first: dict[str, str] = {}
    for extraction in extractions:
        article = extraction.article
        origin = str(article.origin)
        if article.id in first:
            click.echo(
                f"note: {origin} is the same article as {first[article.id]} (id {article.id}:"
                " same canonical URL or post); it counts once, as this later copy", err=True,
            )
        else:
            first[article.id] = origin


def _streamed_report(console: Console, db: str, target: Path, config: Path | None) -> None:
    started = time.perf_counter()
    try:
        registry = Registry.load(config)
        with Store(db) as store, FolderSink(target) as sink:
            result = analyse_streaming(store.extractions(),
                                       link_status=link_statuses(store.check_histories()),
                                       registry=registry, sink=sink)
        paths = write_streamed_report(result, target, inputs=[db])
    except LinkgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    s = result.summary
    console.print(f"streamed report written to {target} ({', '.join(p.name for p in paths)},"
                  " article_stats.jsonl, edges.csv, findings.jsonl)", soft_wrap=True,
                  highlight=False)
    console.print(f"{s.articles:,} article(s), {s.citations:,} citation(s), {s.outlets:,}"
                  f" outlet(s), {s.findings:,} finding(s) in"
                  f" {time.perf_counter() - started:.1f} s", soft_wrap=True, highlight=False)


def _cluster_report(console: Console, scheduler: str, inputs: Sequence[str], target: Path,
                    config: Path | None, *, base: str | None, all_links: bool) -> None:
    from linkgraph.cluster import connect, run_on_cluster  # noqa: PLC0415 - optional

    started = time.perf_counter()
    try:
        registry = Registry.load(config)
        client = connect(scheduler)
        try:
            result, counts = run_on_cluster(
                inputs, target / "parquet", client, base=base, all_links=all_links,
                registry=registry, registry_config=config)
        finally:
            client.close()
        paths = write_streamed_report(result, target, inputs=list(inputs),
                                      per_article=CLUSTER_FILES)
    except LinkgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    s = result.summary
    console.print(f"cluster report written to {target} ({', '.join(p.name for p in paths)};"
                  " per-article rows as Parquet under parquet/)", soft_wrap=True,
                  highlight=False)
    console.print(f"{s.articles:,} article(s), {s.citations:,} citation(s), {s.outlets:,}"
                  f" outlet(s), {s.findings:,} finding(s), {counts.get('failures', 0):,} read"
                  f" failure(s) in {time.perf_counter() - started:.1f} s", soft_wrap=True,
                  highlight=False)
    if counts.get("failures"):
        sys.exit(ExitCode.INPUT_ERRORS)


def _size(n: int) -> str:
    """A file size for the table: bytes, KB or MB."""
    if n < 1024:
        return f"{n:,} B"
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def _print_summary(
    console: Console, target: Path, paths: list[Path], analysis: Analysis, *, timing: str
) -> int:
    """Files written, headline numbers and timing; returns the count of failing URLs."""
    console.print(f"report written to {target}", soft_wrap=True, highlight=False)
    table = Table()
    table.add_column("file")
    table.add_column("size", justify="right")
    for path in paths:
        table.add_row(path.name, _size(path.stat().st_size))
    console.print(table)
    summary = analysis.summary
    head = (
        f"{len(analysis.articles):,} article(s), {len(analysis.citations):,} citation(s),"
        f" {len(analysis.outlets):,} outlet(s), {len(analysis.findings):,} finding(s)"
    )
    if summary is not None:
        head += f"; {summary.external:,} external, {summary.internal:,} internal"
    failing = sum(map(is_failing, analysis.link_status.values()))
    if analysis.link_status:
        head += f"; {len(analysis.link_status):,} URL(s) checked, {failing:,} failing"
    console.print(head, soft_wrap=True, highlight=False)
    console.print(f"open {target / 'index.html'}  ({timing})", soft_wrap=True, highlight=False)
    return failing


@click.command("report", epilog=EXIT_CODES_HELP)
@inputs_argument
@db_option
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Folder to write into (default: reports/<input name>, or reports/corpus).")
@click.option("--check", "check", is_flag=True,
              help="Check the cited links first (network; results are kept with --db); the"
                   " checker options below apply, as in `linkgraph check`.")
@click.option("--svg", "svg", is_flag=True, help="Write SVG versions of the charts too.")
@click.option("--streamed", "streamed", is_flag=True,
              help="With --db: stream over the store (report.json and report.md of the corpus"
                   " numbers; per-article numbers, edges and findings as files beside them)."
                   f" Automatic above {STREAM_ABOVE:,} stored articles.")
@click.option("--scheduler", "scheduler", default=None, envvar="LINKGRAPH_SCHEDULER",
              metavar="ADDRESS",
              help="Run on this Dask cluster (e.g. tcp://10.0.0.5:8786; default: the"
                   " LINKGRAPH_SCHEDULER environment variable): workers read and extract the"
                   " INPUT files by partitions into Parquet under OUT/parquet, the numbers are"
                   " computed by dask.dataframe; report.json and report.md as with --streamed."
                   " Without it nothing changes.  Needs pip install 'linkgraph[scale]'.")
@checker_options
@extraction_options
@config_option
def command(
    *,
    inputs: tuple[str, ...], db: str | None, out: str | None, check: bool, svg: bool,
    streamed: bool, scheduler: str | None,
    allow_private: bool, allow: tuple[str, ...], concurrency: int, per_host: int,
    interval: float, timeout: float | None, archive: bool, archive_base: str,
    base: str | None, all_links: bool, jobs: int, config: Path | None,
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
      linkgraph report --db archive.db --streamed   # a million articles, memory flat
      linkgraph report crawl/ --scheduler tcp://scheduler:8786 --out reports/crawl
    """
    source_db = None if inputs else existing_store(db)
    console = Console()
    target = Path(out) if out else default_out(inputs, source_db)
    if scheduler and inputs:
        _cluster_report(console, scheduler, inputs, target, config, base=base,
                        all_links=all_links)
        sys.exit(ExitCode.OK)
    if source_db is not None and not check and (streamed or stored_articles(source_db)
                                                > stream_threshold()):
        _streamed_report(console, source_db, target, config)
        sys.exit(ExitCode.OK)
    tally = InputTally()
    started = time.perf_counter()
    try:
        registry = Registry.load(config)
        # A bad --allow entry is a ConfigError before any work.
        check_config = checker_config(
            concurrency=concurrency, per_host=per_host, interval=interval, timeout=timeout,
            allow_private=allow_private, allow=allow, archive=archive, archive_base=archive_base,
        )
        histories: dict[str, list[CheckResult]] = {}
        if source_db is None:
            extractions = list(read_extractions(inputs, base=base, all_links=all_links,
                                                jobs=jobs, tally=tally))
            if not extractions:
                click.echo("error: no article could be read from the inputs; no report written",
                           err=True)
                sys.exit(ExitCode.INPUT_ERRORS)
            _note_repeats(extractions)
        else:
            with Store(source_db) as store:
                # Articles stored before schema 2 get their body sentences once, here.
                extractions, filled = fill_sentences(store.extractions())
                store.put_sentences(filled)
                histories = store.check_histories()
        if check:
            results_db = db or source_db
            with (
                Store(results_db) if results_db else contextlib.nullcontext() as results_store,
                console.status(f"checking the links of {len(extractions):,} article(s)…"),
            ):
                results = _check(extractions, check_config, results_store)
            for result in results:
                histories.setdefault(result.url, []).append(result)
        read_done = time.perf_counter()
        analysis = analyse(extractions, link_status=link_statuses(histories), registry=registry)
        analysed = time.perf_counter()
        options = [("base", base or ""), ("all_links", str(all_links).lower()),
                   ("check", str(check).lower()), ("svg", str(svg).lower())]
        meta = ReportMeta.collect(
            analysis, inputs=list(inputs) or [str(source_db)], options=options,
            counts=[("read failures", tally.failures)],
        )
        paths = write_report(analysis, target, meta=meta, svg_charts=svg)
        written = time.perf_counter()
    except LinkgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    failing = _print_summary(console, target, paths, analysis, timing=(
        f"{written - started:.1f} s: read {read_done - started:.1f} s, analyse"
        f" {analysed - read_done:.1f} s, report {written - analysed:.1f} s"
    ))
    if check and failing:
        sys.exit(ExitCode.LINKS_FAILED)
    sys.exit(tally.exit_code)
