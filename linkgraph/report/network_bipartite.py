"""The network drawing of a few dozen articles: the bipartite article-outlet graph, outlets
labelled (tied to their node by a leader line), articles labelled when there are few."""

from __future__ import annotations

import math

import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from linkgraph.analysis.records import Analysis
from linkgraph.report.colouring import outlet_colours
from linkgraph.report.labels import Label, node_boxes, place_labels
from linkgraph.report.layout import fit_axes, spread
from linkgraph.report.network_edges import Edges
from linkgraph.report.network_frame import (
    INFERRED_COLOUR,
    RECOVERED_COLOUR,
    counts_inferred,
    draw_legend,
    draw_title,
    hidden_note,
    marker_radius,
    node_size,
)
from linkgraph.report.style import ARTICLE_COLOUR, DEAD_COLOUR, new_figure
from linkgraph.report.tables import OutletIndex, shorten


def draw_bipartite(analysis: Analysis, index: OutletIndex, edges: Edges) -> Figure:
    """The drawing of the articles of *analysis* and the outlets they cite."""
    fig = new_figure(13, 9.5)
    ax = fig.add_axes((0.02, 0.07, 0.74, 0.84))
    ax.set_axis_off()
    graph: nx.Graph = nx.Graph()
    for (article_id, key), weight in edges.weight.items():
        graph.add_edge(("a", article_id), ("o", key), weight=weight)
    for article in analysis.articles:
        graph.add_node(("a", article.id))
    pos = spread(nx.spring_layout(graph, seed=7, iterations=150,
                                   k=2.0 / math.sqrt(max(graph.number_of_nodes(), 1))),
                  min_dist=0.07)
    fit_axes(ax, list(pos.values()))
    for (article_id, key), weight in edges.weight.items():
        (x0, y0), (x1, y1) = pos[("a", article_id)], pos[("o", key)]
        dead = (article_id, key) in edges.failing
        style = edges.style((article_id, key))
        colour = DEAD_COLOUR if dead else INFERRED_COLOUR if style == "inferred" else "#b0b0b0"
        ax.plot([x0, x1], [y0, y1], color=colour,
                ls="--" if dead or style == "inferred" else "-", lw=0.8 + 0.6 * min(weight, 5),
                zorder=1)
        if style == "recovered":
            ax.scatter([(x0 + x1) / 2], [(y0 + y1) / 2], s=30, marker="D", c=RECOVERED_COLOUR,
                       edgecolors="white", linewidths=0.8, zorder=2)
    article_xy = [pos[("a", a.id)] for a in analysis.articles]
    ax.scatter([p[0] for p in article_xy], [p[1] for p in article_xy], s=70, marker="s",
               c=ARTICLE_COLOUR, zorder=3)
    # Labels may cover the small article squares, never an outlet: keep-out boxes are outlets.
    nodes: list[tuple[float, float, float]] = []
    # Edge order, not a set's (hash-seeded) order: the same input draws the same picture.
    cited_keys = dict.fromkeys(key for (_, key) in edges.weight)
    cited = [o for k in cited_keys if (o := index.get(k)) is not None]
    biggest = max([o.articles for o in cited] + [1])
    labels: list[Label] = []
    by_key = nx.relabel_nodes(graph, {("o", o.source.key): o.source.key for o in cited})
    colours = outlet_colours(cited, by_key)
    for outlet in cited:
        key = outlet.source.key
        x, y = pos[("o", key)]
        dead = key in edges.failing_by_outlet
        size = node_size(outlet.articles, biggest)
        ax.scatter([x], [y], s=size, c=colours.colour[key], marker=colours.marker[key],
                   edgecolors=DEAD_COLOUR if dead else "white", linewidths=2, zorder=4)
        nodes.append((float(x), float(y), marker_radius(size)))
        labels.append(Label(x, y, shorten(outlet.source.name or key, 28),
                            priority=outlet.articles * 1000 + outlet.citations, size=9,
                            radius=marker_radius(size), leader=True))
    if len(analysis.articles) <= 12:
        for article in analysis.articles:
            x, y = pos[("a", article.id)]
            labels.append(Label(x, y, shorten(article.title or article.id, 30),
                                priority=-1, size=7.5, prefer="below", radius=5))
    hidden = place_labels(ax, labels, keep_out=node_boxes(ax, nodes))
    draw_title(fig, "Articles and the sources they cite",
           f"{len(analysis.articles)} articles (dark squares) and the {len(cited)} outlets they"
           " cite; node size = citing articles", hidden_note(hidden).strip())
    extra = [Line2D([], [], marker="s", ls="", ms=8, mfc=ARTICLE_COLOUR, mec="white",
                    label="article")]
    draw_legend(fig, colours, dead=bool(edges.failing), extra=extra,
            inferred=bool(edges.inferred), recovered=bool(edges.recovered),
            counted=counts_inferred(analysis))
    return fig
