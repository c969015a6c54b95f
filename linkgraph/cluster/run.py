"""Connecting to a Dask cluster and running the map and aggregate steps on it."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from linkgraph.analysis.records import AnalysisOptions
from linkgraph.analysis.streaming import StreamedAnalysis
from linkgraph.cluster.aggregates import aggregate
from linkgraph.cluster.partitions import extract_partition
from linkgraph.errors import ConfigError
from linkgraph.readers import iter_input_files
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


def partition_inputs(inputs: Sequence[str], per: int = FILES_PER_PARTITION) -> list[list[str]]:
    """The input files (folders expanded, in input order), *per* files a partition."""
    files = list(iter_input_files(inputs))
    return [files[i : i + per] for i in range(0, len(files), per)]


def run_on_cluster(
    inputs: Sequence[str],
    out: Path,
    client: Any,
    *,
    base: str | None = None,
    all_links: bool = False,
    infer: bool = True,
    registry: Registry,
    registry_config: Path | None = None,
    options: AnalysisOptions | None = None,
    per: int = FILES_PER_PARTITION,
) -> tuple[StreamedAnalysis, dict[str, int]]:
    """Extract *inputs* on the cluster into Parquet partitions under *out* and aggregate
    them; returns the analysis and the map step's counts (articles, failures, citations).

    *out* must be a folder every worker can write and read (a shared file system or one
    machine; for object stores give an ``s3://``-style path dask understands)."""
    partitions = partition_inputs(inputs, per)
    out.mkdir(parents=True, exist_ok=True)
    futures = [
        client.submit(extract_partition, number, paths, str(out), base=base,
                      all_links=all_links, infer=infer,
                      registry_config=str(registry_config) if registry_config else None,
                      options=options, pure=False)
        for number, paths in enumerate(partitions)
    ]
    counts: dict[str, int] = {}
    for result in client.gather(futures):
        for key, value in result.items():
            counts[key] = counts.get(key, 0) + value
    log.info("cluster: %d partition(s), %s", len(partitions), counts)
    if not counts.get("articles"):
        raise ConfigError("no article could be read from the inputs")
    return aggregate(out, registry=registry, options=options, client=client), counts
