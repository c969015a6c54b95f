"""linkgraph on a Dask cluster (``dask.distributed``): the same map and aggregate steps as on
one machine, over partitions of the inputs, through Parquet.

``run_on_cluster(survey, out, client)`` plans the input files as one machine does
(``plan_files``: the same survey, manifests applied, the same warnings), spreads them over
partitions, extracts and scans each on a worker (``partitions.extract_partition``: Parquet
files of articles, edges, citations, sources and findings), then computes the report's numbers with
``dask.dataframe`` (``aggregates.aggregate``).  ``connect(address)`` opens a client on
``--scheduler ADDRESS`` or ``$LINKGRAPH_SCHEDULER``.  dask is an optional dependency
(``pip install 'linkgraph[scale]'``).
"""

from linkgraph.cluster.run import (
    SCHEDULER_ENV,
    ClusterCounts,
    connect,
    partition_inputs,
    plan_files,
    run_on_cluster,
)
from linkgraph.records import RepeatedArticle  # ClusterCounts.repeats

__all__ = [
    "SCHEDULER_ENV",
    "ClusterCounts",
    "RepeatedArticle",
    "connect",
    "partition_inputs",
    "plan_files",
    "run_on_cluster",
]
