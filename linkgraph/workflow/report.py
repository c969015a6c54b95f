"""A report of inputs or a store: registry, optional link checks, analysis, files.

>>> run = run_report(ReportRequest(inputs=("examples/ukraine-arms.json",)))  # doctest: +SKIP
>>> run.target / "index.html"                                                # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkgraph.analysis import Analysis, AnalysisOptions, analyse
from linkgraph.check import (
    CheckConfig,
    Resolver,
    UrlToCheck,
    cited_urls,
    link_statuses,
    run_checks,
)
from linkgraph.collect import fetched_from
from linkgraph.errors import NoReadableInput, OutputError
from linkgraph.records import CheckResult, ErrorKind, Extraction, RepeatedArticle
from linkgraph.report import ReportMeta, write_report
from linkgraph.sources.config import load_registry
from linkgraph.store import Store
from linkgraph.workflow.corpus import (
    DEFAULT_READ,
    InputCounts,
    ReadOptions,
    load_corpus,
    no_articles,
    store_to_read,
)
from linkgraph.workflow.folders import (
    choose_folder,
    default_out,
    inputs_key,
    mark_folder,
    moved,
    staged,
)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What to report on and how (the options of ``linkgraph report``)."""

    inputs: tuple[str, ...] = ()  # files and folders; none: the store *db*
    db: str | None = None  # the store to read (no inputs) or to keep check results in
    out: Path | None = None  # the folder; default: ``default_out``
    read: ReadOptions = DEFAULT_READ
    check: CheckConfig | None = None  # check the cited links first with this configuration
    svg: bool = False  # SVG versions of the charts too
    config: Path | None = None  # linkgraph.toml / pyproject.toml with the user's outlets
    count_inferred: bool = False  # count inferred sources in the metrics (--count-inferred)
    # With a store: only the articles fetched from under these web addresses (``report SITE``).
    only_from: tuple[str, ...] = ()
    # The resolver of the link checks (default: the system's); tests give a StaticResolver.
    resolver: Resolver | None = None


# The name this module gave the record before it had one home in ``linkgraph.records``.
Repeat = RepeatedArticle


@dataclass(frozen=True, slots=True)
class ReportRun:
    """What ``run_report`` wrote and the figures behind it."""

    target: Path
    paths: tuple[Path, ...]
    analysis: Analysis
    read_failures: int
    repeats: tuple[RepeatedArticle, ...] = ()
    seconds: tuple[float, float, float] = (0.0, 0.0, 0.0)  # read (and check), analyse, write
    # What the user must hear about the folder: another report's folder was not reused.
    folder_note: str | None = None
    # Set when the resolver did not answer during --check (``RunStats.resolver_down``): the
    # links whose host needs a name lookup (``unverified`` of them) were not verified, not
    # stored, and the report shows them as unchecked.
    resolver_down: str | None = None
    unverified: int = 0


@dataclass(frozen=True, slots=True)
class _Checked:
    results: list[CheckResult]  # the judged ones (stored with a store)
    unverified: int  # error dns_unavailable: nothing learnt, nothing stored
    resolver_down: str | None


def _repeats(extractions: Sequence[Extraction]) -> tuple[RepeatedArticle, ...]:
    """Inputs that are the same article (same canonical URL or post) as an earlier one."""
    return RepeatedArticle.among((e.article.id, str(e.article.origin)) for e in extractions)


def _check(
    extractions: Sequence[Extraction], config: CheckConfig, store: Store | None,
    resolver: Resolver | None = None,
) -> _Checked:
    """Check every external URL once (the checker's politeness and address policy apply),
    storing each result as it comes (as ``linkgraph check`` does: an interrupted run keeps
    what it has).  A link whose name could not be looked up because the resolver does not
    answer (``dns_unavailable``) is neither stored nor returned: nothing was learnt about it.
    ``NetworkDown`` when nothing answers (nothing is stored then)."""
    todo = [UrlToCheck(url, published) for url, published in cited_urls(extractions).items()]
    judged: list[CheckResult] = []
    unverified = 0

    def on_result(result: CheckResult) -> None:
        nonlocal unverified
        if result.error is ErrorKind.DNS_UNAVAILABLE:
            unverified += 1
            return
        judged.append(result)
        if store is not None:
            store.add_check(result)

    if not todo:
        return _Checked([], 0, None)
    stats = asyncio.run(run_checks(todo, config, resolver=resolver, on_result=on_result))
    return _Checked(judged, unverified, stats.resolver_down)


def _unverified_note(checked: _Checked) -> str:
    return (f"{checked.unverified:,} link(s) could not be verified: {checked.resolver_down}."
            " This run judged none of them and stored nothing for them: each shows what earlier"
            " stored checks said, else unchecked; run the report with --check again when the"
            " resolver answers.")


def run_report(
    request: ReportRequest,
    *,
    counts: InputCounts | None = None,
    status: Callable[[str], AbstractContextManager[Any]] = lambda _: contextlib.nullcontext(),
) -> ReportRun:
    """Read, optionally check, analyse and write the report of *request*.

    Raises ``NoInputError`` (no inputs and no store), ``ConfigError`` (a bad configuration
    file), ``NoReadableInput`` (no article in the inputs or the store), ``StoreError`` and
    ``OutputError``.  *status* wraps the link checks (a spinner on the command line).
    """
    source_db = store_to_read(request.inputs, request.db)
    tally = counts or InputCounts()
    started = time.perf_counter()
    registry = load_registry(request.config)
    with load_corpus(request.inputs, source_db, read=request.read, counts=tally,
                     sentences=True, registry=registry) as corpus:
        extractions = list(corpus.extractions)
        if request.only_from:
            extractions = [e for e in extractions if fetched_from(e, request.only_from)]
        histories = {url: list(results) for url, results in corpus.histories.items()}
    if request.only_from and not extractions:
        raise NoReadableInput(f"no article was collected from {', '.join(request.only_from)};"
                              " no report written")
    if corpus.store is None and not extractions:
        raise no_articles(request.inputs, tally, done="no report written")
    repeats = _repeats(extractions) if corpus.store is None else ()
    key = inputs_key(request.inputs, source_db)
    sites = {e.article.site for e in extractions if e.article.site} if not corpus.store else set()
    default = default_out(request.inputs, source_db,
                          site=next(iter(sites)) if len(sites) == 1 else None)
    folder = choose_folder(request.out, default, key)
    target = folder.path
    checked = _Checked([], 0, None)
    if request.check is not None:
        results_db = request.db or source_db
        with (
            Store(results_db) if results_db else contextlib.nullcontext() as results_store,
            status(f"checking the links of {len(extractions):,} article(s)…"),
        ):
            checked = _check(extractions, request.check, results_store, request.resolver)
        for result in checked.results:
            histories.setdefault(result.url, []).append(result)
    read_done = time.perf_counter()
    analysis = analyse(extractions, link_status=link_statuses(histories), registry=registry,
                       options=AnalysisOptions(count_inferred=request.count_inferred))
    analysed = time.perf_counter()
    read = request.read
    options = [("base", read.base or ""), ("all_links", str(read.all_links).lower()),
               ("check", str(request.check is not None).lower()),
               ("svg", str(request.svg).lower()), ("infer", str(read.infer).lower()),
               ("count_inferred", str(request.count_inferred).lower())]
    meta = ReportMeta.collect(
        analysis, inputs=list(request.inputs) or [str(source_db)], options=options,
        counts=[("read failures", tally.failures)],
        notes=[_unverified_note(checked)] if checked.resolver_down is not None else [],
    )
    try:
        with staged(target) as stage:
            paths = moved(write_report(analysis, stage, meta=meta, svg_charts=request.svg),
                          stage, target)
            mark_folder(stage, key, request.inputs, source_db)
    except OSError as exc:
        raise OutputError(f"cannot write the report into {target}: {exc.strerror or exc}") from exc
    written = time.perf_counter()
    return ReportRun(
        target=target, paths=tuple(paths), analysis=analysis, read_failures=tally.failures,
        repeats=repeats, seconds=(read_done - started, analysed - read_done, written - analysed),
        folder_note=folder.note, resolver_down=checked.resolver_down,
        unverified=checked.unverified,
    )

