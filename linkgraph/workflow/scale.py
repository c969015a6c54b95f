"""Large corpora: the streamed report and graph of a store, Parquet out, the cluster report.

``streams(inputs, db)`` says whether a command on a store takes the streamed path (above
``STREAM_ABOVE`` stored articles, or ``LINKGRAPH_STREAM_ABOVE``); the calls below are what the
commands make then.

>>> run = run_streamed_report(StreamedRequest(db="archive.db"))  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from linkgraph.analysis.outlet_graph import OutletGraph
from linkgraph.analysis.records import AnalysisOptions, Summary
from linkgraph.analysis.streaming import analyse_streaming, stream_threshold
from linkgraph.check import link_statuses
from linkgraph.collect import fetched_from
from linkgraph.errors import NoReadableInput, OutputError
from linkgraph.records import Extraction, RepeatedArticle
from linkgraph.repair import without_inference
from linkgraph.report.exports import export_format, export_graph
from linkgraph.report.parquet import export_parquet
from linkgraph.report.streamed import (
    CLUSTER_FILES,
    STREAMED_FILES,
    EdgeSink,
    FolderSink,
    write_streamed_report,
)
from linkgraph.sources.config import load_registry
from linkgraph.store import stored_articles
from linkgraph.workflow.corpus import (
    DEFAULT_READ,
    InputCounts,
    ReadOptions,
    open_store_to_read,
    store_to_read,
    survey,
)
from linkgraph.workflow.folders import (
    Folder,
    choose_folder,
    default_out,
    inputs_key,
    mark_folder,
    moved,
    staged,
)


def streams(inputs: tuple[str, ...], db: str | None, *, force: bool = False) -> str | None:
    """The store to stream over: with no inputs, the store, when *force* or when it holds
    more articles than the threshold; else ``None``."""
    if inputs:
        return None
    path = store_to_read(inputs, db)
    if path is not None and (force or stored_articles(path) > stream_threshold()):
        return path
    return None


def _as_read(extractions: Iterable[Extraction], *, infer: bool) -> Iterator[Extraction]:
    """A store's extractions as read with or without inference: without it, the stored
    inferred sources are left out, as the in-memory path does (``load_corpus``)."""
    if infer:
        return iter(extractions)
    return (without_inference(e) for e in extractions)


def _fetched_from(extractions: Iterator[Extraction], sources: tuple[str, ...]
                  ) -> Iterator[Extraction]:
    """The articles fetched from under *sources*; ``NoReadableInput`` before anything is
    written when there is none (as the in-memory report of a collected site)."""
    chosen = (e for e in extractions if fetched_from(e, sources))
    first = next(chosen, None)
    if first is None:
        raise NoReadableInput(f"no article was collected from {', '.join(sources)};"
                              " no report written")
    return itertools.chain((first,), chosen)


@dataclass(frozen=True, slots=True)
class StreamedRequest:
    """A streamed report of a store, or a cluster report of inputs."""

    db: str | None = None
    inputs: tuple[str, ...] = ()
    out: Path | None = None
    config: Path | None = None
    read: ReadOptions = DEFAULT_READ
    scheduler: str | None = None  # a Dask scheduler address (cluster report of the inputs)
    count_inferred: bool = False  # inferred sources count in the metrics (--count-inferred)
    # With a store: only the articles fetched from under these web addresses (``report SITE``).
    only_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StreamedRun:
    """What a streamed or cluster report wrote."""

    target: Path
    paths: tuple[Path, ...]  # report.json, report.md
    per_article: tuple[str, ...]  # the per-article files beside them
    summary: Summary
    read_failures: int
    seconds: float
    repeats: tuple[RepeatedArticle, ...] = ()  # cluster: inputs read again (they count once)
    # What the user must hear about the folder: another report's folder was not reused.
    folder_note: str | None = None


def _folder(request: StreamedRequest, db: str | None) -> tuple[Folder, str]:
    """The report's folder (``choose_folder``: never another report's unsaid) and the key
    of the inputs (or store) that make it."""
    key = inputs_key(request.inputs, db)
    return choose_folder(request.out, default_out(request.inputs, db), key), key


def run_streamed_report(request: StreamedRequest) -> StreamedRun:
    """The streamed report of the store *request.db*: report.json, report.md and per-article
    files, in memory bounded by the outlets (``linkgraph.analysis.streaming``)."""
    started = time.perf_counter()
    db = store_to_read((), request.db)
    assert db is not None
    folder, key = _folder(request, db)
    target = folder.path
    registry = load_registry(request.config)
    with open_store_to_read(db) as store:
        extractions = _as_read(store.extractions(), infer=request.read.infer)
        if request.only_from:
            extractions = _fetched_from(extractions, request.only_from)
        try:
            with staged(target) as stage:
                with FolderSink(stage) as sink:
                    result = analyse_streaming(
                        extractions, link_status=link_statuses(store.check_histories()),
                        registry=registry, sink=sink,
                        options=AnalysisOptions(count_inferred=request.count_inferred))
                paths = moved(write_streamed_report(result, stage, inputs=[db]), stage, target)
                mark_folder(stage, key, (), db)
        except OSError as exc:
            raise OutputError(f"cannot write the report into {target}:"
                              f" {exc.strerror or exc}") from exc
    return StreamedRun(target, paths, STREAMED_FILES, result.summary, 0,
                       time.perf_counter() - started, folder_note=folder.note)


def run_cluster_report(request: StreamedRequest, *,
                       counts: InputCounts | None = None) -> StreamedRun:
    """The report of *request.inputs* computed on the Dask cluster at *request.scheduler*.

    The inputs are surveyed and planned as on one machine (``survey``: ``NoReadableInput``
    when they hold no input file; manifests apply); each read failure and article warning
    goes through *counts* as ``read_inputs`` hands them on."""
    from linkgraph.cluster import connect, run_on_cluster  # noqa: PLC0415 - optional

    started = time.perf_counter()
    tally = counts or InputCounts()
    found = survey(request.inputs)
    folder, key = _folder(request, None)
    target = folder.path
    registry = load_registry(request.config)
    client = connect(request.scheduler)
    try:
        with staged(target) as stage:
            try:
                result, mapped = run_on_cluster(
                    found, stage / "parquet", client, base=request.read.base,
                    manifest=request.read.manifest, all_links=request.read.all_links,
                    infer=request.read.infer, registry=registry,
                    registry_config=request.config,
                    options=AnalysisOptions(count_inferred=request.count_inferred),
                    on_failure=tally.failed, on_warnings=tally.warn)
            finally:
                client.close()
            paths = moved(write_streamed_report(result, stage, inputs=list(request.inputs),
                                                per_article=CLUSTER_FILES), stage, target)
            mark_folder(stage, key, request.inputs, None)
    except OSError as exc:
        raise OutputError(f"cannot write the report into {target}: {exc.strerror or exc}") from exc
    return StreamedRun(target, paths, CLUSTER_FILES, result.summary, mapped.failures,
                       time.perf_counter() - started, repeats=mapped.repeats,
                       folder_note=folder.note)


@dataclass(frozen=True, slots=True)
class StreamedGraph:
    """What a streamed graph export wrote: article-level edges (CSV) or the outlet graph."""

    export: Path
    summary: Summary
    edges: int  # article -> outlet edges written (CSV)
    graph: OutletGraph  # the outlet-level graph, for the other formats


def export_streamed_graph(db: str, export: Path, *, config: Path | None = None,
                          count_inferred: bool = False, infer: bool = True) -> StreamedGraph:
    """A large store's graph: ``.csv`` streams the article -> outlet edges; ``.gexf``,
    ``.graphml`` and ``.json`` hold the outlet-level graph (sites -> outlets).  Without
    *infer*, the stored inferred sources are left out (``--no-infer``)."""
    fmt = export_format(export)
    registry = load_registry(config)
    options = AnalysisOptions(attributions=False, projections=False, periods=False,
                              count_inferred=count_inferred)
    try:
        export.parent.mkdir(parents=True, exist_ok=True)
        with open_store_to_read(db) as store, EdgeSink(export if fmt == "csv" else None) as sink:
            result = analyse_streaming(_as_read(store.extractions(), infer=infer),
                                       registry=registry, options=options, sink=sink)
        if fmt != "csv":
            export_graph(result.graph, export)
    except OSError as exc:
        raise OutputError(f"cannot write {export}: {exc.strerror or exc}") from exc
    return StreamedGraph(export, result.summary, sink.edges, result.graph)


def export_store_parquet(db: str | None, folder: Path, *,
                         config: Path | None = None) -> dict[str, Path]:
    """The store as Parquet files in *folder* (``linkgraph.report.parquet``)."""
    registry = load_registry(config)  # a bad configuration fails before any work
    path = store_to_read((), db)
    assert path is not None
    try:
        with open_store_to_read(path) as store:
            return export_parquet(store, folder, registry=registry)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror or exc}") from exc
