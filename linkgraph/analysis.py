"""Analysis of extracted citations: outlets, per-article diversity, findings, the graph.

Contract shared by ``graph``/``sources`` (who compute it) and ``report`` (who renders it).
``analyse`` is the one library call behind ``linkgraph report`` and ``linkgraph graph``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from linkgraph.records import Article, Citation, Extraction, LinkStatus, Source


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


def analyse(
    extractions: Iterable[Extraction],
    *,
    link_status: Mapping[str, LinkStatus] | None = None,
) -> Analysis:
    """Compute the analysis of a set of extracted articles."""
    raise NotImplementedError  # implemented by the sources/graph work
