"""Connecting to a Dask cluster and running the map and aggregate steps on it."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from linkgraph.analysis.records import AnalysisOptions
from linkgraph.analysis.streaming import StreamedAnalysis
from linkgraph.cluster.aggregates import aggregate
from linkgraph.cluster.partitions import (
    TABLES,
    ArticleWarnings,
    PartitionResult,
    extract_partition,
)
from linkgraph.errors import ConfigError, NoReadableInput
from linkgraph.readers import STDIN, InputFile, InputSurvey, plan_inputs
from linkgraph.records import ReadFailure, RepeatedArticle
from linkgraph.sources import Registry

log = logging.getLogger(__name__)

SCHEDULER_ENV: Final = "LINKGRAPH_SCHEDULER"
FILES_PER_PARTITION: Final = 8  # input files per map task


def connect(address: str | None = None) -> Any:
    """A ``distributed.Client`` on *address* (or ``$LINKGRAPH_SCHEDULER``); ``None`` when
    neither is set (nothing changes: one machine)."""
    address = address or os.environ.get(SCHEDULER_ENV) or None
    if address is None:
        return None
    try:
        from distributed import Client  # noqa: PLC0415 - optional dependency
    except ImportError as exc:  # pragma: no cover - the test extras install dask
        raise ConfigError(
            "--scheduler needs dask.distributed, an optional dependency: "
            "pip install 'linkgraph[scale]'"
        ) from exc
    try:
        return Client(address, timeout="30s")
    except OSError as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def plan_files(
    found: InputSurvey, *, base: str | None = None, manifest: str | None = None
) -> list[InputFile | ReadFailure]:
    """The files to read, in input order, each with its page URL, and a failure where an
    input holds nothing: planned exactly as one machine plans them (the inputs between two
    such failures go through ``plan_inputs`` together, as ``workflow.corpus`` does), so that
    manifests apply and their warnings are logged alike.  Standard input cannot be sent to
    a worker: ``ConfigError``."""
    if STDIN in found.entries:
        raise ConfigError("standard input (-) cannot be read on a cluster: save it to a file"
                          " on storage every worker sees")
    planned: list[InputFile | ReadFailure] = []
    group: list[str] = []
    for item in found.inputs():
        if isinstance(item, ReadFailure):
            planned.extend(plan_inputs(group, base=base, manifest=manifest))
            group = []
            planned.append(item)
        else:
            group.append(item)
    planned.extend(plan_inputs(group, base=base, manifest=manifest))
    return planned


def partition_inputs(
    planned: Sequence[InputFile | ReadFailure], per: int = FILES_PER_PARTITION
) -> list[list[InputFile]]:
    """The planned input files (failures left out), *per* files a partition."""
    files = [item for item in planned if isinstance(item, InputFile)]
    return [files[i : i + per] for i in range(0, len(files), per)]


@dataclass(frozen=True, slots=True)
class ClusterCounts:
    """What the map step read: articles (copies read twice counted twice), citations,
    article -> outlet edges, inputs that could not be read, and the articles read again."""

    partitions: int
    articles: int
    citations: int
    edges: int
    failures: int
    repeats: tuple[RepeatedArticle, ...] = ()


def repeated_articles(folder: Path, client: Any) -> tuple[RepeatedArticle, ...]:
    """Each later copy of an article read twice or more, in input order, with the origin
    of its first copy (what ``workflow.report`` tells on one machine); only the repeated
    articles' rows come back to this process."""
    import dask.dataframe as dd  # noqa: PLC0415 - optional dependency

    articles = dd.read_parquet(str(folder / "articles"), columns=["id", "order", "origin"])
    copies = articles.groupby("id")["order"].count()
    repeated = client.compute(copies[copies > 1]).result()
    if repeated.empty:
        return ()
    wanted = sorted(str(key) for key in repeated.index)
    rows = client.compute(articles[articles["id"].isin(wanted)]).result().sort_values("order")
    return RepeatedArticle.among(
        (str(article_id), str(origin))
        for article_id, origin in zip(rows["id"], rows["origin"], strict=True))


def _clear_partitions(out: Path) -> None:
    """Remove the partition files an earlier run left under *out*: the aggregates read every
    ``part-*.parquet`` of a table, and a run over fewer inputs would count the old ones."""
    for table in TABLES:
        for stale in sorted((out / table).glob("part-*.parquet")):
            stale.unlink()


def _tell(
    planned: Sequence[InputFile | ReadFailure], results: Sequence[PartitionResult], per: int,
    on_failure: Callable[[ReadFailure], None],
    on_warnings: Callable[[str, Sequence[str]], None],
) -> int:
    """Hand on every failure and warning in input order; returns the failures."""
    failures = 0
    position = 0  # among the input files
    for item in planned:
        told: tuple[ReadFailure | ArticleWarnings, ...] = (item,) if isinstance(
            item, ReadFailure) else results[position // per].told[position % per]
        if isinstance(item, InputFile):
            position += 1
        for heard in told:
            if isinstance(heard, ReadFailure):
                failures += 1
                on_failure(heard)
            else:
                on_warnings(heard.origin, heard.warnings)
    return failures


def _log_failure(item: ReadFailure) -> None:
    log.warning("%s: %s", item.origin, item.message)


def _log_warnings(origin: str, warnings: Sequence[str]) -> None:
    for warning in warnings:
        log.warning("%s: %s", origin, warning)


def run_on_cluster(
    found: InputSurvey,
    out: Path,
    client: Any,
    *,
    base: str | None = None,
    manifest: str | None = None,
    all_links: bool = False,
    infer: bool = True,
    registry: Registry,
    registry_config: Path | None = None,
    options: AnalysisOptions | None = None,
    per: int = FILES_PER_PARTITION,
    on_failure: Callable[[ReadFailure], None] = _log_failure,
    on_warnings: Callable[[str, Sequence[str]], None] = _log_warnings,
) -> tuple[StreamedAnalysis, ClusterCounts]:
    """Extract the surveyed inputs (``linkgraph.readers.survey_inputs``) on the cluster into
    Parquet partitions under *out* and aggregate them; returns the analysis and the map
    step's counts.  Files are planned as on one machine (``plan_files``: *manifest* and the
    manifests found in folders apply, *base* for the rest); each read failure goes to
    *on_failure* and each article's warnings to *on_warnings*, in input order.

    *out* must be a folder every worker can write and read (a shared file system or one
    machine; for object stores give an ``s3://``-style path dask understands).
    ``NoReadableInput`` when not one article could be read."""
    planned = plan_files(found, base=base, manifest=manifest)
    partitions = partition_inputs(planned, per)
    out.mkdir(parents=True, exist_ok=True)
    _clear_partitions(out)
    futures = [
        client.submit(extract_partition, number, files, str(out), all_links=all_links,
                      infer=infer,
                      registry_config=str(registry_config) if registry_config else None,
                      options=options, pure=False)
        for number, files in enumerate(partitions)
    ]
    results: list[PartitionResult] = client.gather(futures)
    failures = _tell(planned, results, per, on_failure, on_warnings)
    counts = ClusterCounts(
        partitions=len(partitions), articles=sum(r.articles for r in results),
        citations=sum(r.citations for r in results), edges=sum(r.edges for r in results),
        failures=failures)
    log.info("cluster: %s", counts)
    if not counts.articles:
        raise NoReadableInput("no article could be read from the inputs; no report written")
    counts = replace(counts, repeats=repeated_articles(out, client))
    return aggregate(out, registry=registry, options=options, client=client), counts
