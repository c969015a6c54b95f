"""Layouts for the network drawing: co-citation backbone, overlap removal, axes fitting."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any, Final

import networkx as nx
import numpy as np
from matplotlib.axes import Axes

from linkgraph.analysis.records import OutletStats

BACKBONE_EXTRA_EDGES: Final = 2  # strongest links kept per outlet beyond the spanning tree


def cocitation_backbone(
    cited: Iterable[tuple[str, str]], top: list[OutletStats]
) -> tuple[nx.Graph, int]:
    """Backbone of the co-citation graph of the *top* outlets, and its full edge count.

    *cited* holds the (article id, outlet key) pairs of the corpus.  Two outlets are linked
    when at least one article cites both; the weight is the number of such articles.  Kept:
    the maximum spanning tree and each outlet's strongest links.
    """
    keys = {o.source.key for o in top}
    by_article: dict[str, set[str]] = defaultdict(set)
    for article_id, key in cited:
        if key in keys:
            by_article[article_id].add(key)
    weights: Counter[tuple[str, str]] = Counter()
    for outlets in by_article.values():
        weights.update(combinations(sorted(outlets), 2))
    full: nx.Graph = nx.Graph()
    full.add_nodes_from(o.source.key for o in top)  # in rank order: the same bytes every run
    full.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    backbone: nx.Graph = nx.maximum_spanning_tree(full, weight="weight")
    for node in full.nodes:
        strongest = sorted(full[node].items(), key=lambda kv: -kv[1]["weight"])
        for other, data in strongest[:BACKBONE_EXTRA_EDGES]:
            backbone.add_edge(node, other, weight=data["weight"])
    return backbone, full.number_of_edges()


def spread(pos: dict[Any, Any], min_dist: float = 0.14, rounds: int = 60) -> dict[Any, Any]:
    """Push apart nodes closer than *min_dist* (hubs of a spring layout land on each other)."""
    keys = list(pos)
    if len(keys) < 2:
        return pos
    xy = np.array([pos[k] for k in keys], dtype=float)
    span = float(np.ptp(xy, axis=0).max()) or 1.0
    need = min_dist * span
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, need * 10)
        close = dist < need
        if not close.any():
            break
        push = np.where(close, (need - dist) / np.maximum(dist, 1e-9) / 2, 0.0)
        xy += (delta * push[..., None]).sum(axis=1)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, xy, strict=True)}


def fit_axes(ax: Axes, points: list[tuple[float, float]]) -> None:
    xs = [float(p[0]) for p in points] or [0.0]
    ys = [float(p[1]) for p in points] or [0.0]
    pad_x = (max(xs) - min(xs)) * 0.12 + 0.1
    pad_y = (max(ys) - min(ys)) * 0.08 + 0.1
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
