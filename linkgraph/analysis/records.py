"""Analysis of extracted citations: outlets, per-article diversity, findings, the graph.

The records of an analysis (a leaf: it imports only ``linkgraph.records``).  The builder
(``linkgraph.analysis.build``) computes them; ``report`` renders them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from linkgraph.records import Article, Citation, LinkStatus, Source


class FindingKind(StrEnum):
    """A problem an editor should look at."""

    LOST = "lost"  # anchor text whose link was stripped
    INVALID = "invalid"
    JAVASCRIPT = "javascript"
    UNRESOLVABLE = "unresolvable"
    DEAD = "dead"
    SOFT_404 = "soft_404"
    BLOCKED = "blocked"
    REDIRECTED = "redirected"
    UNLINKED_ATTRIBUTION = "unlinked_attribution"
    SECOND_HAND = "second_hand"
    HOMEPAGE = "homepage"
    SHORTENED = "shortened"
    TRACKING = "tracking"
    INSECURE = "insecure"  # http: link where https works
    SELF_CITATION = "self_citation"
    CREDENTIALS = "credentials"  # the href carried a user name or password (never shown)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, with what an editor needs to fix it."""

    article_id: str
    kind: FindingKind
    text: str  # anchor text, or the attributed name for unlinked attributions
    context: str  # the sentence
    url: str | None = None
    position: int | None = None  # citation position, when the finding is about a citation
    detail: str = ""  # e.g. the redirect target, the outlet the anchor names


@dataclass(frozen=True, slots=True)
class OutletStats:
    """One outlet across the corpus."""

    source: Source
    citations: int
    articles: int  # distinct citing articles
    share: float  # of all external citations
    first_cited: datetime | None  # earliest publication date of a citing article
    last_cited: datetime | None
    pagerank: float
    # By provenance (``citations`` counts those the analysis counts: linked and recovered,
    # plus inferred with ``AnalysisOptions.count_inferred``).
    linked: int = 0
    recovered: int = 0
    inferred: int = 0


@dataclass(frozen=True, slots=True)
class ArticleStats:
    """Source diversity of one article."""

    article_id: str
    citations: int
    external: int
    sources: int  # distinct outlets
    kind_mix: tuple[tuple[str, int], ...]  # (source kind, citations), most first
    internal_share: float
    entropy: float  # Shannon entropy (bits) of citations over outlets
    hhi: float  # Herfindahl-Hirschman index, 0..1
    effective_sources: float  # 1 / HHI
    top_source_share: float


@dataclass(frozen=True, slots=True)
class PeriodStats:
    """Diversity numbers of one site in one month."""

    site: str
    month: str  # YYYY-MM
    articles: int
    citations: int
    sources: int
    mean_effective_sources: float
    entropy: float
    hhi: float = 0.0  # over the period's pooled outlet counts
    unsourced_articles: int = 0  # articles citing no outlet


@dataclass(frozen=True, slots=True)
class ProjectionEdge:
    """A weighted link between two nodes of a projection (outlet keys or article ids)."""

    a: str
    b: str
    shared: int  # articles citing both outlets, or outlets cited by both articles
    weight: float  # association strength (outlets) or Jaccard (articles): see Projection.weighting
    backbone: bool  # kept by the disparity filter (for drawing)


@dataclass(frozen=True, slots=True)
class Community:
    """A Louvain community of a projection, largest first."""

    index: int
    members: tuple[str, ...]  # node ids, most connected first
    weight: float  # total edge weight inside the community


@dataclass(frozen=True, slots=True)
class Projection:
    """A one-mode projection of the article-outlet graph, with communities and a backbone."""

    name: str  # "outlet_cocitation" or "article_coupling"
    weighting: str  # how ProjectionEdge.weight is computed, in words
    bounds: str  # which nodes and pairs were considered, in words
    nodes: tuple[str, ...]
    edges: tuple[ProjectionEdge, ...]  # heaviest first
    communities: tuple[Community, ...]
    modularity: float
    seed: int  # of Louvain: the same input and seed give the same communities


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline counts of an analysis."""

    articles: int
    citations: int
    external: int  # citations to another outlet (counted in the diversity numbers)
    internal: int  # links to the article's own outlet
    outlets: int
    findings: int
    registry_version: str
    recovered: int = 0  # citations whose href was restored from an original copy
    inferred: int = 0  # citations whose source was inferred from the text (lost or unlinked)
    counted: str = "linked + recovered"  # which provenances the metrics count
    # Pictures linked to their own image files: body links, checked, not counted as sources.
    pictures: int = 0


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """Bounds and switches of an analysis (the defaults suit 100,000 articles)."""

    cocitation_limit: int = 1000  # outlets in the co-citation projection
    coupling_limit: int = 2000  # articles in the coupling projection
    coupling_neighbours: int = 10  # most similar partners kept per article in the coupling
    min_shared: int = 2  # shared articles/outlets for a projection edge
    seed: int = 42  # of Louvain
    attributions: bool = True  # look for unlinked attributions in the article text
    # Count inferred sources in diversity, PageRank and top sources (by default only linked and
    # recovered links count; inferred sources are kept apart, in Analysis.inferred_outlets).
    count_inferred: bool = False
    projections: bool = True  # co-citation and coupling projections with communities
    periods: bool = True  # per site and month diversity (a graph export needs none)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything a report renders; the graph is a networkx DiGraph (article -> outlet)."""

    articles: tuple[Article, ...]
    citations: tuple[Citation, ...]
    outlets: tuple[OutletStats, ...]  # most cited first
    article_stats: tuple[ArticleStats, ...]
    periods: tuple[PeriodStats, ...]
    findings: tuple[Finding, ...]
    link_status: Mapping[str, LinkStatus]  # by URL; empty when nothing was checked
    graph: Any  # networkx.DiGraph
    # Headline counts and the registry version actually used: required, so that a report's
    # reproducibility block never guesses the registry (it printed the packaged one's version
    # for a user's own outlets when a hand-built Analysis had none).
    summary: Summary
    # Added by the sources/graph work (defaults keep older constructors working):
    sources_by_url: Mapping[str, Source] = field(default_factory=dict)  # outlet of each URL
    # (article id, citation position) of links to the article's own outlet: INTERNAL citations
    # and links to a sister domain of the same outlet (nknews.org from koreapro.org).
    internal_citations: frozenset[tuple[str, int]] = frozenset()
    cocitation: Projection | None = None  # outlets co-cited by the same articles
    coupling: Projection | None = None  # articles sharing outlets (bibliographic coupling)
    # Outlets that inferred citations name and the metrics do not count (empty with
    # count_inferred), citations = their inferred citations, pagerank 0; and the Source of
    # every inferred source key.
    inferred_outlets: tuple[OutletStats, ...] = ()
    inferred_sources: Mapping[str, Source] = field(default_factory=dict)

