"""One-mode projections of the article-outlet graph, their communities and backbone.

* **Outlet co-citation**: two outlets are linked when the same article cites both.
  ``shared`` = number of such articles; ``weight`` = association strength
  ``shared * N / (n_i * n_j)`` (van Eck & Waltman 2009), where ``n_i`` is the number of articles
  citing outlet *i* and ``N`` the number of articles citing any outlet: the ratio of observed to
  expected co-citations if outlets were cited independently (1 = chance, > 1 = affinity).
  Bounds: the ``max_nodes`` outlets cited by most articles (default 1,000), pairs with at least
  ``min_shared`` shared articles (default 2).
* **Article coupling** (bibliographic coupling): two articles are linked when they cite the
  same outlets.  ``shared`` = outlets in common, ``weight`` = Jaccard
  ``shared / |A ∪ B|`` over the articles' outlet sets.  All-pairs coupling is quadratic, so it
  is bounded: only the ``max_nodes`` articles with the most distinct outlets (default 2,000,
  ties by id) take part, pairs need at least ``min_shared`` outlets in common (default 2), and
  each article keeps its ``neighbours`` most similar partners (default 10; an edge stays when
  either end keeps it).
* **Communities**: ``networkx`` Louvain on ``weight`` with a fixed seed (same input, same
  communities); nodes without an edge are left out.
* **Backbone** (for drawing): the disparity filter (Serrano, Boguñá & Vespignani 2009): an edge
  is kept when, for either endpoint with degree k > 1 and strength s, ``(1 - w/s)^(k-1) <
  alpha`` (default 0.05); every node also keeps its heaviest edge so that nothing drawn floats
  alone.

Co-occurrences are counted as sparse-by-chunks matrix products with numpy: no pair of
articles or outlets is ever enumerated in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from typing import Any, Final

import networkx as nx
import numpy as np

from linkgraph.analysis.records import Community, Projection, ProjectionEdge

LOUVAIN_SEED: Final = 42
BACKBONE_ALPHA: Final = 0.05
CHUNK_ROWS: Final = 4096


def cooccurrence(rows: Iterable[Sequence[int]], size: int) -> Any:
    """``M[i, j]`` = number of rows holding both column *i* and column *j* (a numpy array).

    Each row lists distinct column indices; the sum of ``B_chunk.T @ B_chunk`` over chunks of
    rows keeps memory at ``CHUNK_ROWS * size`` floats (rows may be a stream).
    """
    total = np.zeros((size, size), dtype=np.float64)
    stream = iter(rows)
    while chunk := list(islice(stream, CHUNK_ROWS)):
        block = np.zeros((len(chunk), size), dtype=np.float32)
        for r, columns in enumerate(chunk):
            block[r, list(columns)] = 1.0
        total += (block.T @ block).astype(np.float64)
    return total


def outlet_cocitation(
    article_outlets: Mapping[str, frozenset[str]],
    *,
    max_nodes: int = 1000,
    min_shared: int = 2,
    seed: int = LOUVAIN_SEED,
    alpha: float = BACKBONE_ALPHA,
) -> Projection:
    """Outlets co-cited by the same articles, weighted by association strength."""
    citing: dict[str, int] = {}
    for outlets in article_outlets.values():
        for key in outlets:
            citing[key] = citing.get(key, 0) + 1
    cited_any = sum(1 for outlets in article_outlets.values() if outlets)
    return cocitation_projection(citing, cited_any, article_outlets.values,
                                 max_nodes=max_nodes, min_shared=min_shared, seed=seed,
                                 alpha=alpha)


def cocitation_projection(
    citing: Mapping[str, int],
    cited_any: int,
    outlet_sets: Callable[[], Iterable[Iterable[str]]],
    *,
    max_nodes: int = 1000,
    min_shared: int = 2,
    seed: int = LOUVAIN_SEED,
    alpha: float = BACKBONE_ALPHA,
    counts: Any = None,
) -> Projection:
    """The co-citation projection from counts: *citing* (outlet -> articles citing it),
    *cited_any* (articles citing any outlet) and *outlet_sets* (called once: each article's
    outlets, streamed; articles citing fewer than two outlets may be left out).  *counts*, when
    given, is the co-occurrence matrix of the ``max_nodes`` outlets cited by most articles
    (ties by key), already summed elsewhere (a cluster's partitions); *outlet_sets* is then
    not called."""
    nodes = sorted(citing, key=lambda k: (-citing[k], k))[:max_nodes]
    if counts is None:
        index = {key: i for i, key in enumerate(nodes)}
        rows = (
            row for row in ([index[k] for k in outlets if k in index]
                            for outlets in outlet_sets())
            if len(row) > 1
        )
        counts = cooccurrence(rows, len(nodes))
    edges: list[tuple[str, str, int, float]] = []
    for i, j in zip(*np.nonzero(np.triu(counts, k=1) >= min_shared), strict=True):
        shared = int(counts[i, j])
        a, b = nodes[i], nodes[j]
        strength = shared * cited_any / (citing[a] * citing[b])
        edges.append((a, b, shared, strength))
    bounds = (f"the {len(nodes)} outlets cited by most articles (limit {max_nodes}) of "
              f"{len(citing)}; pairs co-cited by at least {min_shared} articles")
    return _projection(
        "outlet_cocitation",
        weighting="association strength: shared * N / (n_a * n_b), N = articles citing any outlet",
        bounds=bounds, nodes=nodes, edges=edges, seed=seed, alpha=alpha,
    )


def article_coupling(
    article_outlets: Mapping[str, frozenset[str]],
    *,
    max_nodes: int = 2000,
    min_shared: int = 2,
    neighbours: int = 10,
    seed: int = LOUVAIN_SEED,
    alpha: float = BACKBONE_ALPHA,
    articles: int | None = None,
) -> Projection:
    """Articles that cite the same outlets (bibliographic coupling), weighted by Jaccard.

    *articles* is the corpus size said in the bounds (default: ``len(article_outlets)``; a
    streamed analysis passes only its best candidates).

    Each article keeps its *neighbours* most similar partners (an edge stays when either end
    keeps it), so the projection stays sparse when wire services make everything "coupled".
    """
    ranked = sorted(
        (aid for aid, outlets in article_outlets.items() if len(outlets) >= min_shared),
        key=lambda aid: (-len(article_outlets[aid]), aid),
    )
    nodes = ranked[:max_nodes]
    index = {aid: i for i, aid in enumerate(nodes)}
    by_outlet: dict[str, list[int]] = {}
    for aid in nodes:
        for key in article_outlets[aid]:
            by_outlet.setdefault(key, []).append(index[aid])
    rows = [r for r in by_outlet.values() if len(r) > 1]
    counts = cooccurrence(rows, len(nodes))
    sizes = np.array([len(article_outlets[a]) for a in nodes], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - counts
    jaccard = np.divide(counts, union, out=np.zeros_like(counts), where=union > 0)
    np.fill_diagonal(jaccard, 0.0)
    jaccard[counts < min_shared] = 0.0
    keep = np.zeros_like(jaccard, dtype=bool)
    if len(nodes) > neighbours:
        top = np.argpartition(-jaccard, neighbours, axis=1)[:, :neighbours]
        keep[np.arange(len(nodes))[:, None], top] = True
    else:
        keep[:] = True
    keep &= jaccard > 0
    keep |= keep.T
    edges: list[tuple[str, str, int, float]] = []
    for i, j in zip(*np.nonzero(np.triu(keep, k=1)), strict=True):
        edges.append((nodes[i], nodes[j], int(counts[i, j]), float(jaccard[i, j])))
    total = len(article_outlets) if articles is None else articles
    bounds = (f"the {len(nodes)} articles with the most distinct outlets (limit {max_nodes}) "
              f"of {total}; pairs sharing at least {min_shared} outlets; each "
              f"article's {neighbours} most similar partners")
    return _projection(
        "article_coupling", weighting="Jaccard: shared outlets / outlets of either article",
        bounds=bounds, nodes=nodes, edges=edges, seed=seed, alpha=alpha,
    )


def _projection(
    name: str,
    *,
    weighting: str,
    bounds: str,
    nodes: Sequence[str],
    edges: list[tuple[str, str, int, float]],
    seed: int,
    alpha: float,
) -> Projection:
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, w) for a, b, _, w in edges)
    kept = disparity_backbone(graph, alpha=alpha)
    communities: list[Community] = []
    modularity = 0.0
    if graph.number_of_edges():
        found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        modularity = float(nx.community.modularity(graph, found, weight="weight"))
        strength = dict(graph.degree(weight="weight"))
        ordered = sorted(
            (sorted(group, key=lambda n: (-strength[n], n)) for group in found),
            key=lambda members: (-len(members), members[0]),
        )
        for number, members in enumerate(ordered):
            inside = graph.subgraph(members).size(weight="weight")
            communities.append(Community(number, tuple(members), float(inside)))
    records = sorted(
        (ProjectionEdge(a, b, shared, float(w), frozenset((a, b)) in kept)
         for a, b, shared, w in edges),
        key=lambda e: (-e.weight, -e.shared, e.a, e.b),
    )
    return Projection(
        name=name, weighting=weighting, bounds=bounds, nodes=tuple(nodes), edges=tuple(records),
        communities=tuple(communities), modularity=modularity, seed=seed,
    )


def disparity_backbone(graph: Any, *, alpha: float = BACKBONE_ALPHA) -> set[frozenset[Any]]:
    """Edges (as frozensets of their ends) kept by the disparity filter, plus each node's
    heaviest edge."""
    strength = dict(graph.degree(weight="weight"))
    degree = dict(graph.degree())
    kept: set[frozenset[Any]] = set()
    for a, b, w in graph.edges(data="weight"):
        for node in (a, b):
            k = degree[node]
            if k > 1 and strength[node] > 0 and (1.0 - w / strength[node]) ** (k - 1) < alpha:
                kept.add(frozenset((a, b)))
                break
    for node in graph.nodes:
        heaviest = max(graph[node].items(), key=lambda item: (item[1]["weight"], str(item[0])),
                       default=None)
        if heaviest is not None:
            kept.add(frozenset((node, heaviest[0])))
    return kept


def projection_graph(projection: Projection, *, backbone_only: bool = False) -> Any:
    """The projection as an undirected ``networkx.Graph`` (``weight``, ``shared``, ``community``
    attributes), e.g. for drawing its backbone."""
    graph = nx.Graph()
    member_of = {n: c.index for c in projection.communities for n in c.members}
    for node in projection.nodes:
        if node in member_of or not backbone_only:
            graph.add_node(node, community=member_of.get(node, -1))
    for edge in projection.edges:
        if edge.backbone or not backbone_only:
            graph.add_edge(edge.a, edge.b, weight=edge.weight, shared=edge.shared)
    return graph
