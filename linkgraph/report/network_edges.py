"""The article -> outlet edges a network drawing needs: counts, provenance, failing links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from linkgraph.analysis.records import Analysis
from linkgraph.records import ProvenanceKind
from linkgraph.report.tables import OutletIndex, is_failing

__all__ = ["Edges", "edge_counts"]


@dataclass(slots=True)
class Edges:
    """Article -> outlet citation counts, and which of them include a failing link."""

    weight: Counter[tuple[str, str]] = field(default_factory=Counter)
    inferred: Counter[tuple[str, str]] = field(default_factory=Counter)  # of weight
    recovered: Counter[tuple[str, str]] = field(default_factory=Counter)  # of weight
    failing: set[tuple[str, str]] = field(default_factory=set)
    checked_by_outlet: Counter[str] = field(default_factory=Counter)
    failing_by_outlet: Counter[str] = field(default_factory=Counter)

    def counted(self, counts_inferred: bool) -> Counter[tuple[str, str]]:
        """The citation counts the metrics count (inferred ones only when they are counted)."""
        if counts_inferred:
            return self.weight
        counted = Counter({pair: n - self.inferred[pair] for pair, n in self.weight.items()})
        return +counted

    def style(self, pair: tuple[str, str]) -> str:
        """``inferred`` (every citation of the pair inferred), ``recovered`` or ``linked``."""
        if self.inferred[pair] and self.inferred[pair] == self.weight[pair]:
            return "inferred"
        return "recovered" if self.recovered[pair] else "linked"

    def failing_share(self, key: str) -> float:
        """Share of an outlet's checked citations whose link is dead or soft-404."""
        checked = self.checked_by_outlet[key]
        return self.failing_by_outlet[key] / checked if checked else 0.0


def edge_counts(analysis: Analysis, index: OutletIndex) -> Edges:
    """Citation counts per (article, outlet) pair, by provenance, with failing links."""
    edges = Edges()
    for citation in analysis.citations:
        outlet = index.of(citation)
        if outlet is None:
            continue
        pair = (citation.article_id, outlet.source.key)
        edges.weight[pair] += 1
        if citation.provenance.kind is ProvenanceKind.INFERRED:
            edges.inferred[pair] += 1
        elif citation.provenance.kind is ProvenanceKind.RECOVERED:
            edges.recovered[pair] += 1
        status = analysis.link_status.get(citation.url) if citation.url else None
        if status is None:
            continue
        edges.checked_by_outlet[outlet.source.key] += 1
        if is_failing(status):
            edges.failing.add(pair)
            edges.failing_by_outlet[outlet.source.key] += 1
    return edges
