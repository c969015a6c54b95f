"""Analysis: what the extracted citations say, as records a report can render.

Stages, each a module: ``records`` (the leaf: the result types), ``build`` (one pass over the
extractions: ``analyse``), ``attribution`` (unlinked attributions in the body sentences),
``hygiene`` (link problems), ``metrics`` (diversity), ``projections`` (co-citation and
coupling) and ``graph`` (the networkx graph).  Analysis reads what extraction produced; it
never parses HTML.
"""

from linkgraph.analysis.build import analyse
from linkgraph.analysis.records import (
    Analysis,
    AnalysisOptions,
    ArticleStats,
    Community,
    Finding,
    FindingKind,
    OutletStats,
    PeriodStats,
    Projection,
    ProjectionEdge,
    Summary,
)

__all__ = [
    "Analysis",
    "AnalysisOptions",
    "ArticleStats",
    "Community",
    "Finding",
    "FindingKind",
    "OutletStats",
    "PeriodStats",
    "Projection",
    "ProjectionEdge",
    "Summary",
    "analyse",
]
