"""The library calls the command line makes: one call per command, no parsing, no printing.

Each ``linkgraph`` command parses its options, makes one call here and renders the result;
scripts make the same calls.  Errors are ``LinkgraphError`` subclasses (the command line maps
each to one exit code, in ``linkgraph.cli.common``).

- ``load_corpus``: the articles of INPUT files and folders, or of an existing store when
  there are none (the one place that makes that choice), with the store's link checks;
- ``load_link_targets``: the cited URLs to check and the store that keeps the results;
- ``ingest``: inputs into the store;
- ``run_report``: registry, optional link checks, analysis, report files;
- ``export_corpus_graph``: the graph or a projection as GEXF, GraphML, JSON or CSV.

>>> from linkgraph.workflow import ReportRequest, run_report
>>> run = run_report(ReportRequest(inputs=("examples/ukraine-arms.json",)))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linkgraph.workflow.corpus import (
        DEFAULT_READ,
        Corpus,
        Ingested,
        InputCounts,
        ReadOptions,
        ingest,
        load_corpus,
        read_inputs,
        store_to_read,
    )
    from linkgraph.workflow.graph import GraphKind, GraphRequest, export_corpus_graph
    from linkgraph.workflow.links import LinkTargets, load_link_targets
    from linkgraph.workflow.report import (
        DEFAULT_ROOT,
        Repeat,
        ReportRequest,
        ReportRun,
        default_out,
        run_report,
    )

# Imported on first use, so that ``linkgraph ingest`` pays for neither matplotlib (report)
# nor httpx (link checks).
_LAZY = {
    **dict.fromkeys(
        ("DEFAULT_READ", "Corpus", "Ingested", "InputCounts", "ReadOptions", "ingest",
         "load_corpus", "read_inputs", "store_to_read"),
        "linkgraph.workflow.corpus",
    ),
    **dict.fromkeys(("GraphKind", "GraphRequest", "export_corpus_graph"),
                    "linkgraph.workflow.graph"),
    **dict.fromkeys(("LinkTargets", "load_link_targets"), "linkgraph.workflow.links"),
    **dict.fromkeys(
        ("DEFAULT_ROOT", "Repeat", "ReportRequest", "ReportRun", "default_out", "run_report"),
        "linkgraph.workflow.report",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'linkgraph.workflow' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_READ",
    "DEFAULT_ROOT",
    "Corpus",
    "GraphKind",
    "GraphRequest",
    "Ingested",
    "InputCounts",
    "LinkTargets",
    "ReadOptions",
    "Repeat",
    "ReportRequest",
    "ReportRun",
    "default_out",
    "export_corpus_graph",
    "ingest",
    "load_corpus",
    "load_link_targets",
    "read_inputs",
    "run_report",
    "store_to_read",
]
