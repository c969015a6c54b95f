"""The article-to-source network drawing, readable at one article and at ten thousand.

Three layouts, chosen by size:

* one article: the article in the centre, its outlets around it (plus its internal links and
  its lost or broken links as grey nodes), every label readable;
* a few dozen articles: the bipartite article-outlet graph, outlets labelled;
* more: the most-cited outlets and the backbone of their co-citation graph (two outlets are
  linked when the same articles cite both; the maximum spanning tree plus each outlet's
  strongest links), with a footnote saying what was left out.

Each view has its module (``network_star``, ``network_bipartite``, ``network_backbone``);
what they draw alike (marker sizes, title, legend) is in ``network_frame``, the edges they
draw in ``network_edges``.

Outlets are coloured by source kind, or, when most drawn outlets are of no known kind, by
the group of outlets cited together (``linkgraph.report.colouring``, the legend says which);
labels of the bipartite and backbone views are tied to their node by a leader line.  Dead or
soft-404 links are red dashed edges (red rings in the backbone view).  Linked, recovered and
inferred are told apart: a recovered link (its href restored from an original copy) is a
solid edge with a diamond mark; a source inferred from the text (a lost link's words, an
unlinked attribution) is a dashed blue edge labelled "inferred", and is left out of the
backbone view unless the metrics count it.
"""

from __future__ import annotations

from typing import Final

from matplotlib.figure import Figure

from linkgraph.analysis.records import Analysis
from linkgraph.report.network_backbone import BACKBONE_OUTLETS, draw_backbone
from linkgraph.report.network_bipartite import draw_bipartite
from linkgraph.report.network_edges import edge_counts
from linkgraph.report.network_frame import INFERRED_COLOUR, RECOVERED_COLOUR
from linkgraph.report.network_star import STAR_MAX_OUTLETS, draw_star
from linkgraph.report.tables import OutletIndex, outlet_index

__all__ = [
    "BACKBONE_OUTLETS",
    "BIPARTITE_MAX_ARTICLES",
    "BIPARTITE_MAX_OUTLETS",
    "INFERRED_COLOUR",
    "RECOVERED_COLOUR",
    "STAR_MAX_OUTLETS",
    "draw_network",
]

BIPARTITE_MAX_ARTICLES: Final = 40
BIPARTITE_MAX_OUTLETS: Final = 60


def draw_network(analysis: Analysis, index: OutletIndex | None = None) -> Figure:
    """The network figure for *analysis* (layout chosen by size, see the module docstring)."""
    index = index or outlet_index(analysis)
    edges = edge_counts(analysis, index)
    if len(analysis.articles) == 1:
        return draw_star(analysis, index, edges)
    if (
        len(analysis.articles) <= BIPARTITE_MAX_ARTICLES
        and len(analysis.outlets) <= BIPARTITE_MAX_OUTLETS
    ):
        return draw_bipartite(analysis, index, edges)
    return draw_backbone(analysis, index, edges)
