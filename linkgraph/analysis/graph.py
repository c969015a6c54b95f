"""The article-outlet graph (networkx) and PageRank over it.

Nodes are ``a:<article id>`` (``kind="article"``) and ``s:<source key>`` (``kind="source"``);
an edge article -> outlet carries ``weight`` (number of citations), ``urls`` and ``anchors``
(lists, in document order, duplicates removed), and its provenance: ``linked``, ``recovered``
and ``inferred`` counts, ``provenance`` (the kinds present, ``linked+inferred``) and, for
inferred citations, ``evidence`` (the words the source was inferred from).  Links to the
article's own outlet are not edges: the graph is about who a desk relies on.  Attributes
hold no ``None`` (empty strings instead) so that the graph can be exported after joining its
lists (``linkgraph.report.exports``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx
import numpy as np

from linkgraph.records import Article, ProvenanceKind, Source

ARTICLE_PREFIX: Final = "a:"
SOURCE_PREFIX: Final = "s:"
# Per edge, keep at most this many distinct URLs and anchor texts (a page linking one outlet
# hundreds of times would otherwise blow up exports); ``weight`` still counts every citation.
MAX_EDGE_ITEMS: Final = 50
PROVENANCE_ORDER: Final = ("linked", "recovered", "inferred")


@dataclass(frozen=True, slots=True)
class CitedLink:
    """One external citation, as the graph needs it."""

    article_id: str
    source: Source
    url: str  # "" for an inferred citation (it has no URL)
    anchor: str
    provenance: ProvenanceKind = ProvenanceKind.LINKED
    evidence: str = ""  # inferred: the words the source was inferred from


def article_node(article_id: str) -> str:
    """The graph node id of an article."""
    return ARTICLE_PREFIX + article_id


def source_node(key: str) -> str:
    """The graph node id of an outlet."""
    return SOURCE_PREFIX + key


def edge_attributes(links: Iterable[CitedLink]) -> dict[tuple[str, str], dict[str, Any]]:
    """The article -> outlet edges of *links*, in the order met, with their attributes:
    ``weight``, ``urls`` and ``anchors`` (at most ``MAX_EDGE_ITEMS`` distinct each), the
    ``linked``, ``recovered`` and ``inferred`` counts, ``provenance`` and ``evidence``.  The
    graph's edges and the streamed edge files are both made here."""
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for link in links:
        pair = (article_node(link.article_id), source_node(link.source.key))
        data = edges.get(pair)
        if data is None:
            data = edges[pair] = {"weight": 0, "urls": [], "anchors": [], "linked": 0,
                                  "recovered": 0, "inferred": 0, "evidence": []}
        data["weight"] += 1
        data[link.provenance.value] += 1
        if link.evidence and link.evidence not in data["evidence"] and \
                len(data["evidence"]) < MAX_EDGE_ITEMS:
            data["evidence"].append(link.evidence)
        if link.url and link.url not in data["urls"] and len(data["urls"]) < MAX_EDGE_ITEMS:
            data["urls"].append(link.url)
        if link.anchor and link.anchor not in data["anchors"] and \
                len(data["anchors"]) < MAX_EDGE_ITEMS:
            data["anchors"].append(link.anchor)
    for data in edges.values():
        data["provenance"] = "+".join(k for k in PROVENANCE_ORDER if data[k])
    return edges


def article_label(article: Article) -> str:
    """An article node's ``label``: its title, else its id."""
    return article.title or article.id


def build_graph(
    articles: Sequence[Article],
    links: Iterable[CitedLink],
    *,
    outlet_articles: Mapping[str, int] | None = None,
) -> Any:
    """The directed article -> outlet graph (a ``networkx.DiGraph``).

    *outlet_articles* (outlet key -> distinct citing articles) is stored on outlet nodes as
    ``articles``; without it the in-degree is used.
    """
    graph = nx.DiGraph()
    for article in articles:
        graph.add_node(
            article_node(article.id),
            kind="article",
            label=article_label(article),
            title=article.title,
            url=article.url or "",
            site=article.site or "",
            published=article.published.isoformat() if article.published else "",
        )
    links = list(links)
    outlet_citations: dict[str, int] = {}
    sources: dict[str, Source] = {}
    for link in links:
        key = link.source.key
        sources.setdefault(key, link.source)
        outlet_citations[key] = outlet_citations.get(key, 0) + 1
    edges = edge_attributes(links)
    for key, source in sources.items():
        graph.add_node(
            source_node(key),
            kind="source",
            label=source.name,
            name=source.name,
            source_kind=source.kind.value,
            country=source.country or "",
            rule=source.rule,
            citations=outlet_citations[key],
            articles=0,
        )
    graph.add_edges_from((a, b, data) for (a, b), data in edges.items())
    for key in sources:
        node = source_node(key)
        graph.nodes[node]["articles"] = (
            outlet_articles[key] if outlet_articles and key in outlet_articles
            else graph.in_degree(node)
        )
    return graph


def pagerank(
    graph: Any, *, alpha: float = 0.85, tol: float = 1.0e-6, max_iter: int = 200
) -> dict[Hashable, float]:
    """Weighted PageRank of a directed graph, by power iteration on numpy arrays.

    Same definition as ``networkx.pagerank`` (uniform teleport, dangling nodes spread their
    rank uniformly, convergence when the L1 change is below ``N * tol``), without SciPy.
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    m = graph.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    weight = np.empty(m, dtype=np.float64)
    for i, (a, b, w) in enumerate(graph.edges(data="weight", default=1)):
        src[i] = index[a]
        dst[i] = index[b]
        weight[i] = w
    out = np.bincount(src, weights=weight, minlength=n)
    dangling = out == 0
    share = np.divide(weight, out[src], out=np.zeros_like(weight), where=out[src] > 0)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = alpha * np.bincount(dst, weights=previous[src] * share, minlength=n)
        x += (alpha * previous[dangling].sum() + (1.0 - alpha)) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return {node: float(x[i]) for i, node in enumerate(nodes)}
