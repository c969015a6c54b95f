"""The network drawing of a corpus: the most-cited outlets and the backbone of their
co-citation graph (two outlets are linked when the same articles cite both; the maximum
spanning tree plus each outlet's strongest links), with a footnote saying what was left out.
A red ring grows with the share of an outlet's checked links that fail; inferred sources are
left out unless the metrics count them."""

from __future__ import annotations

import math
from typing import Final

import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from linkgraph.analysis.records import Analysis
from linkgraph.report.colouring import outlet_colours
from linkgraph.report.labels import Label, node_boxes, place_labels
from linkgraph.report.layout import cocitation_backbone, fit_axes, spread
from linkgraph.report.network_edges import Edges
from linkgraph.report.network_frame import (
    counts_inferred,
    draw_legend,
    draw_title,
    hidden_note,
    marker_radius,
    node_size,
)
from linkgraph.report.style import DEAD_COLOUR, new_figure
from linkgraph.report.tables import OutletIndex, shorten

BACKBONE_OUTLETS: Final = 40


def draw_backbone(analysis: Analysis, index: OutletIndex, edges: Edges) -> Figure:
    """The drawing of the corpus's most-cited outlets and their co-citation backbone."""
    fig = new_figure(13, 10)
    ax = fig.add_axes((0.02, 0.08, 0.74, 0.83))
    ax.set_axis_off()
    ranked = sorted(analysis.outlets, key=lambda o: (-o.articles, -o.citations, o.source.key))
    top = ranked[:BACKBONE_OUTLETS]
    backbone, total_links = cocitation_backbone(edges.counted(counts_inferred(analysis)), top)
    heaviest = max([d["weight"] for *_, d in backbone.edges(data=True)] + [1])
    pos = spread(nx.spring_layout(backbone, seed=7, weight=None, iterations=200,
                                   k=2.5 / math.sqrt(max(len(backbone), 1))))
    fit_axes(ax, list(pos.values()))
    for a, b, data in backbone.edges(data=True):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.plot([x0, x1], [y0, y1], color="#8a8a8a", alpha=0.3 + 0.5 * data["weight"] / heaviest,
                lw=0.5 + 5 * data["weight"] / heaviest, zorder=1, solid_capstyle="round")
    biggest = max([o.articles for o in top] + [1])
    labels: list[Label] = []
    nodes: list[tuple[float, float, float]] = []
    checked = bool(edges.checked_by_outlet)
    colours = outlet_colours(top, backbone)
    for outlet in top:
        key = outlet.source.key
        x, y = pos[key]
        share = edges.failing_share(key)
        size = node_size(outlet.articles, biggest) * 1.3
        ax.scatter([x], [y], s=size, c=colours.colour[key], marker=colours.marker[key],
                   edgecolors=DEAD_COLOUR if share else "white",
                   linewidths=1.5 + 10 * share if share else 1.5, zorder=3)
        nodes.append((float(x), float(y), marker_radius(size) + 5 * share))
        # A leader line ties each label to its node: in a dense centre a label beside two
        # nodes could name either.
        labels.append(Label(x, y, shorten(outlet.source.name or key, 26),
                            priority=outlet.articles, size=9,
                            radius=marker_radius(size) + 5 * share, leader=True))
    hidden = place_labels(ax, labels, keep_out=node_boxes(ax, nodes))
    covered = sum(o.citations for o in top)
    external = sum(o.citations for o in analysis.outlets) or 1
    note = (
        f"Showing the {len(top)} outlets cited by the most articles, of {len(analysis.outlets):,}"
        f" (they receive {covered / external:.0%} of external citations). Lines: the"
        f" {backbone.number_of_edges()} strongest co-citation links of {total_links:,} (two"
        " outlets cited by the same articles; width = such articles). The"
        f" {len(analysis.articles):,} articles are not drawn one by one."
    ) + hidden_note(hidden)
    draw_title(fig, "Who the corpus cites: top outlets and their co-citation backbone",
           f"{len(analysis.articles):,} articles, {external:,} external citations;"
           " node size = citing articles", note)
    extra = []
    if checked:
        extra.append(Line2D([], [], marker="o", ls="", ms=9, mfc="white", mec=DEAD_COLOUR, mew=2.5,
                            label="red ring: share of checked\nlinks dead (thicker = more)"))
    draw_legend(fig, colours, dead=False, extra=extra)
    return fig
