"""The article-outlet graph of inputs or a store, or one of its projections, as a file.

>>> export_corpus_graph(GraphRequest(export=Path("graph.gexf"), inputs=("posts/",)))
...                                                                  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from linkgraph.analysis import Analysis, AnalysisOptions, analyse
from linkgraph.analysis.projections import projection_graph
from linkgraph.check import link_statuses
from linkgraph.errors import OutputError
from linkgraph.report.exports import export_format, export_graph
from linkgraph.sources.config import load_registry
from linkgraph.workflow.corpus import (
    DEFAULT_READ,
    InputCounts,
    ReadOptions,
    load_corpus,
    no_articles,
)


class GraphKind(StrEnum):
    """Which graph to write."""

    CITATIONS = "citations"  # articles -> outlets
    COCITATION = "cocitation"  # outlets linked by the articles citing both
    COUPLING = "coupling"  # articles linked by shared outlets


@dataclass(frozen=True, slots=True)
class GraphRequest:
    """What to export (the options of ``linkgraph graph``)."""

    export: Path  # its suffix names the format: .gexf .graphml .json .csv
    inputs: tuple[str, ...] = ()  # none: the store *db*
    db: str | None = None
    kind: GraphKind = GraphKind.CITATIONS
    backbone: bool = False  # projections: only the disparity-filter backbone
    read: ReadOptions = DEFAULT_READ
    config: Path | None = None  # linkgraph.toml / pyproject.toml with the user's outlets
    count_inferred: bool = False  # inferred sources are edges too (--count-inferred)


def export_corpus_graph(request: GraphRequest, *, counts: InputCounts | None = None) -> Any:
    """Analyse the corpus as far as the graph needs, write the graph, return it (networkx).

    Raises ``ConfigError`` (an unknown export suffix, a bad configuration file),
    ``NoInputError``, ``NoReadableInput`` (no article in the inputs or the store: nothing is
    written), ``StoreError`` and ``OutputError``.
    """
    export_format(request.export)
    registry = load_registry(request.config)
    kind = request.kind
    # The export needs neither the text findings nor, for the citation graph, the projections;
    # for one projection, the other is bounded to nothing.
    options = AnalysisOptions(attributions=False, projections=kind is not GraphKind.CITATIONS,
                              count_inferred=request.count_inferred)
    if kind is GraphKind.COCITATION:
        options = replace(options, coupling_limit=0)
    elif kind is GraphKind.COUPLING:
        options = replace(options, cocitation_limit=0)
    tally = counts or InputCounts()
    with load_corpus(request.inputs, request.db, read=request.read, counts=tally,
                     registry=registry) as corpus:
        analysis = analyse(corpus.extractions, link_status=link_statuses(corpus.histories),
                           registry=registry, options=options)
    if not analysis.articles:  # an empty store is refused when it is opened
        raise no_articles(request.inputs, tally)
    graph = analysis.graph
    if kind is GraphKind.COCITATION and analysis.cocitation is not None:
        graph = projection_graph(analysis.cocitation, backbone_only=request.backbone)
        _label_outlets(graph, analysis)
    elif kind is GraphKind.COUPLING and analysis.coupling is not None:
        graph = projection_graph(analysis.coupling, backbone_only=request.backbone)
        _label_articles(graph, analysis)
    try:
        export_graph(graph, request.export)
    except OSError as exc:
        raise OutputError(f"cannot write {request.export}: {exc.strerror or exc}") from exc
    return graph


def _label_outlets(graph: Any, analysis: Analysis) -> None:
    """Outlet names and kinds on the nodes of the co-citation projection."""
    by_key = {o.source.key: o for o in analysis.outlets}
    for node, data in graph.nodes(data=True):
        outlet = by_key.get(node)
        if outlet is not None:
            data.update(label=outlet.source.name, source_kind=outlet.source.kind.value,
                        country=outlet.source.country or "", citations=outlet.citations)


def _label_articles(graph: Any, analysis: Analysis) -> None:
    """Titles, URLs and sites on the nodes of the coupling projection."""
    by_id = {a.id: a for a in analysis.articles}
    for node, data in graph.nodes(data=True):
        article = by_id.get(node)
        if article is not None:
            data.update(label=article.title or article.id, url=article.url or "",
                        site=article.site or "")
