"""The outlet-level graph of a streamed analysis: sites -> outlets, ``weight`` = citations.

A corpus too large for article nodes is drawn as its sites and the outlets they cite.  That
graph is small next to the corpus (tens of thousands of outlets), but as a networkx
``DiGraph`` each edge costs a dictionary of its own: about 80 MB for the 30,000 outlets and
150,000 edges of a million synthetic articles, more than the rest of the analysis.
``OutletGraph`` keeps the aggregates the edges come from (per site, outlet key ->
citations) and makes each node's and edge's attributes when they are read: the exports
stream from it (``linkgraph.report.exports.export_graph`` reads the networkx methods it
answers: ``nodes``, ``edges``, ``is_directed``, ``is_multigraph`` and ``graph``), and
``to_networkx()`` builds the ``DiGraph`` for whoever wants to compute on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx

from linkgraph.analysis.graph import source_node
from linkgraph.analysis.records import OutletStats

SITE_PREFIX: Final = "site:"


@dataclass(frozen=True, slots=True)
class OutletGraph:
    """Sites -> outlets: one node per outlet (most cited first), one per citing site (in
    name order), one edge per site and outlet it cites, ``weight`` its citations.

    >>> from linkgraph.records import Source, SourceKind
    >>> yonhap = Source("yna.co.kr", "Yonhap", SourceKind.NEWS_AGENCY, "KR", "registry")
    >>> wire = OutletStats(yonhap, citations=3, articles=2, share=1.0, first_cited=None,
    ...                    last_cited=None, pagerank=0.5)
    >>> g = OutletGraph((wire,), {"koreadesk.example": {"yna.co.kr": 3}})
    >>> list(g.edges(data="weight"))
    [('site:koreadesk.example', 's:yna.co.kr', 3)]
    >>> g.to_networkx().nodes["s:yna.co.kr"]["label"]
    'Yonhap'
    """

    outlets: Sequence[OutletStats]
    site_edges: Mapping[str, Mapping[str, int]]  # site -> outlet key -> citations
    graph: Mapping[str, Any] = field(default_factory=dict)  # the graph's own attributes

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return False

    def number_of_nodes(self) -> int:
        return len(self.outlets) + len(self.site_edges)

    def number_of_edges(self) -> int:
        return sum(len(cited) for cited in self.site_edges.values())

    def sites(self) -> list[str]:
        """The citing sites, in name order."""
        return sorted(self.site_edges)

    def nodes(self, data: bool | str = False) -> Iterator[Any]:
        """Node ids; with ``data=True`` ``(id, attributes)``; with ``data="name"``
        ``(id, that attribute or None)`` (networkx's ``nodes(data=...)``)."""
        for node, attrs in self._nodes():
            if data is True:
                yield node, attrs
            elif data is False:
                yield node
            else:
                yield node, attrs.get(data)

    def edges(self, data: bool | str = False) -> Iterator[Any]:
        """``(site, outlet)`` pairs; with ``data=True`` their attributes too; with
        ``data="weight"`` the weight (networkx's ``edges(data=...)``)."""
        for site in self.sites():
            node = SITE_PREFIX + site
            for key, weight in self.site_edges[site].items():
                if data is True:
                    yield node, source_node(key), {"weight": weight}
                elif data is False:
                    yield node, source_node(key)
                else:
                    yield node, source_node(key), weight if data == "weight" else None

    def _nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for stats in self.outlets:
            source = stats.source
            yield source_node(source.key), {
                "kind": "source", "label": source.name, "name": source.name,
                "source_kind": source.kind.value, "country": source.country or "",
                "rule": source.rule, "citations": stats.citations, "articles": stats.articles,
                "pagerank": stats.pagerank,
            }
        for site in self.sites():
            yield SITE_PREFIX + site, {"kind": "site", "label": site}

    def to_networkx(self) -> Any:
        """The same graph as a networkx ``DiGraph`` (built anew on each call)."""
        graph = nx.DiGraph(**self.graph)
        graph.add_nodes_from(self._nodes())
        graph.add_edges_from(self.edges(data=True))
        return graph
