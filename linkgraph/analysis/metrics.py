"""Source-diversity numbers: entropy, HHI, effective number of sources, per article and period.

Definitions (over the external citations of one article, or of one site-month, grouped by
outlet; internal links and links without an outlet are not counted):

* ``p_i`` = citations of outlet *i* / all counted citations;
* Shannon entropy ``H = -sum p_i log2 p_i`` in bits (two equally cited outlets: 1 bit);
* Herfindahl-Hirschman index ``HHI = sum p_i^2`` in 0..1 (two equal outlets: 0.5; one: 1);
* effective number of sources ``1 / HHI`` (the "number of equally cited outlets" that would
  give the same concentration);
* top-source share ``max p_i``.

With no counted citation every number is 0 (an unsourced article is not "concentrated").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from linkgraph.analysis.records import ArticleStats, PeriodStats


@dataclass(frozen=True, slots=True)
class Diversity:
    """Concentration of a set of citation counts."""

    total: int
    entropy: float
    hhi: float
    effective: float
    top_share: float


def diversity(counts: Iterable[int]) -> Diversity:
    """Entropy (bits), HHI, effective number and top share of citation *counts*.

    >>> d = diversity([3, 3])
    >>> (d.entropy, d.hhi, d.effective, d.top_share)
    (1.0, 0.5, 2.0, 0.5)
    """
    # In order: the same counts give the same floats whatever order they were gathered in
    # (the in-memory, streamed and cluster analyses pool them in different orders).
    values = sorted(c for c in counts if c > 0)
    total = sum(values)
    if total == 0:
        return Diversity(0, 0.0, 0.0, 0.0, 0.0)
    entropy = 0.0
    hhi = 0.0
    for count in values:
        p = count / total
        entropy -= p * math.log2(p)
        hhi += p * p
    entropy = max(entropy, 0.0)  # -0.0 for a single outlet reads oddly
    return Diversity(total, entropy, hhi, 1.0 / hhi, max(values) / total)


@dataclass(frozen=True, slots=True)
class ArticleTally:
    """What metrics need of one article: counts gathered by the analysis."""

    article_id: str
    site: str
    published: datetime | None
    citations: int  # all citations, any kind
    internal: int  # links to the article's own outlet
    outlets: Mapping[str, int]  # external outlet key -> citations
    kinds: Mapping[str, int]  # source kind -> citations (external only)


def article_stats(tally: ArticleTally) -> ArticleStats:
    """Diversity of one article.  ``internal_share`` is internal / (internal + external)."""
    external = sum(tally.outlets.values())
    div = diversity(tally.outlets.values())
    linked = external + tally.internal
    mix = tuple(sorted(tally.kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return ArticleStats(
        article_id=tally.article_id,
        citations=tally.citations,
        external=external,
        sources=len(tally.outlets),
        kind_mix=mix,
        internal_share=tally.internal / linked if linked else 0.0,
        entropy=div.entropy,
        hhi=div.hhi,
        effective_sources=div.effective,
        top_source_share=div.top_share,
    )


def month_of(when: datetime | None) -> str:
    """``YYYY-MM`` of a date, ``undated`` without one."""
    return when.strftime("%Y-%m") if when is not None else "undated"


def period_stats(
    tallies: Sequence[ArticleTally], stats: Mapping[str, ArticleStats]
) -> tuple[PeriodStats, ...]:
    """Diversity per site and month, sorted by site then month.

    ``entropy`` and ``hhi`` are over the pooled outlet counts of the period;
    ``mean_effective_sources`` averages the articles that cite at least one outlet.
    """
    groups: dict[tuple[str, str], list[ArticleTally]] = {}
    for tally in tallies:
        groups.setdefault((tally.site, month_of(tally.published)), []).append(tally)
    out: list[PeriodStats] = []
    for (site, month), members in sorted(groups.items()):
        pooled: Counter[str] = Counter()
        effective: list[float] = []
        for tally in members:
            pooled.update(tally.outlets)
            if tally.outlets:
                effective.append(stats[tally.article_id].effective_sources)
        div = diversity(pooled.values())
        out.append(
            PeriodStats(
                site=site,
                month=month,
                articles=len(members),
                citations=div.total,
                sources=len(pooled),
                mean_effective_sources=sum(effective) / len(effective) if effective else 0.0,
                entropy=div.entropy,
                hhi=div.hhi,
                unsourced_articles=len(members) - len(effective),
            )
        )
    return tuple(out)
