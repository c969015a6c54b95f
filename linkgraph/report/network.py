"""The article-to-source network drawing, readable at one article and at ten thousand.

Three layouts, chosen by size:

* one article: the article in the centre, its outlets around it (plus its internal links and
  its lost or broken links as grey nodes), every label readable;
* a few dozen articles: the bipartite article-outlet graph, outlets labelled;
* more: the most-cited outlets and the backbone of their co-citation graph (two outlets are
  linked when the same articles cite both; the maximum spanning tree plus each outlet's
  strongest links), with a footnote saying what was left out.

Outlets are coloured by source kind; dead or soft-404 links are red dashed edges (red rings
in the backbone view).  Linked, recovered and inferred are told apart: a recovered link (its
href restored from an original copy) is a solid edge with a diamond mark; a source inferred
from the text (a lost link's words, an unlinked attribution) is a dashed blue edge labelled
"inferred", and is left out of the backbone view unless the metrics count it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Final

import networkx as nx
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from linkgraph.analysis.records import Analysis, OutletStats
from linkgraph.records import PROBLEM_KINDS, CitationKind, ProvenanceKind
from linkgraph.report.labels import Label, node_boxes, place_labels
from linkgraph.report.layout import cocitation_backbone, fit_axes, spread
from linkgraph.report.network_edges import Edges, edge_counts
from linkgraph.report.style import (
    ARTICLE_COLOUR,
    DEAD_COLOUR,
    INTERNAL_COLOUR,
    MUTED_COLOUR,
    font_families,
    kind_colour,
    kind_label,
    new_figure,
)
from linkgraph.report.tables import OutletIndex, outlet_index, shorten

STAR_MAX_OUTLETS: Final = 36
INFERRED_COLOUR: Final = "#3f51b5"  # dashed edges of inferred sources
RECOVERED_COLOUR: Final = "#00897b"  # the diamond on recovered links
BIPARTITE_MAX_ARTICLES: Final = 40
BIPARTITE_MAX_OUTLETS: Final = 60
BACKBONE_OUTLETS: Final = 40


def draw_network(analysis: Analysis, index: OutletIndex | None = None) -> Figure:
    """The network figure for *analysis* (layout chosen by size, see the module docstring)."""
    index = index or outlet_index(analysis)
    edges = edge_counts(analysis, index)
    if len(analysis.articles) == 1:
        return _star(analysis, index, edges)
    if (
        len(analysis.articles) <= BIPARTITE_MAX_ARTICLES
        and len(analysis.outlets) <= BIPARTITE_MAX_OUTLETS
    ):
        return _bipartite(analysis, index, edges)
    return _backbone(analysis, index, edges)


def _node_size(count: int, biggest: int) -> float:
    """Marker area in points^2, by square root so that one giant does not dwarf the rest."""
    return 80.0 + 900.0 * math.sqrt(count / max(biggest, 1))


def _radius(size: float) -> float:
    """Radius in points of a scatter marker of area *size* (points^2)."""
    return math.sqrt(size) / 2


def _legend(fig: Figure, kinds: list[str], *, dead: bool, extra: list[Line2D],
            inferred: bool = False, recovered: bool = False, counted: bool = False) -> None:
    handles = [
        Line2D([], [], marker="o", ls="", ms=9, mfc=kind_colour(k), mec="white",
               label=kind_label(k))
        for k in kinds
    ]
    handles += extra
    if inferred:
        handles.append(Line2D([], [], color=INFERRED_COLOUR, ls="--", lw=2,
                              label="inferred from the text\n(no link; not counted)"
                              if not counted else "inferred from the text\n(no link)"))
    if recovered:
        handles.append(Line2D([], [], color="#7a7a7a", lw=2, marker="D", ms=6,
                              mfc=RECOVERED_COLOUR, mec="white",
                              label="recovered from the original"))
    if dead:
        handles.append(
            Line2D([], [], color=DEAD_COLOUR, ls="--", lw=2, label="dead / soft-404 link")
        )
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.78, 0.9),
        frameon=False,
        title="source kind",
        prop={"family": list(font_families()), "size": 9},
    )


def _title(fig: Figure, title: str, subtitle: str, note: str) -> None:
    family = list(font_families())
    fig.text(0.02, 0.975, title, ha="left", va="top", fontsize=14, fontweight="bold",
             family=family, parse_math=False)
    fig.text(0.02, 0.94, subtitle, ha="left", va="top", fontsize=10.5, color=MUTED_COLOUR,
             family=family, parse_math=False)
    if note:
        fig.text(0.02, 0.015, note, fontsize=8.5, color=MUTED_COLOUR, ha="left", va="bottom",
                 family=family, parse_math=False, wrap=True)


def _hidden_note(hidden: int) -> str:
    return f" {hidden} labels hidden to avoid overlap (see the tables)." if hidden else ""


def _grey_nodes(analysis: Analysis, article_id: str, outlets: int) -> list[tuple[str, int, str]]:
    """Internal, lost and broken links of one article as (label, count, line style) nodes."""
    mine = [c for c in analysis.citations if c.article_id == article_id]
    kinds = Counter(c.kind for c in mine)
    grey: list[tuple[str, int, str]] = []
    if kinds[CitationKind.INTERNAL]:
        grey.append((f"own site: {kinds[CitationKind.INTERNAL]} internal links",
                     kinds[CitationKind.INTERNAL], "-"))
    # A lost link whose source was inferred (or whose href was recovered) is an edge to it.
    lost = [c for c in mine if c.kind is CitationKind.LOST and
            c.provenance.kind is ProvenanceKind.MISSING]
    if lost and outlets + len(lost) + 2 <= STAR_MAX_OUTLETS:
        # Few enough to name: an editor sees which words lost their link.
        grey += [(f"“{shorten(c.text, 24)}”  (lost link)", 1, ":") for c in lost]
    elif lost:
        grey.append((f"{len(lost)} lost links (href gone)", len(lost), ":"))
    broken = sum(n for k, n in kinds.items() if k in PROBLEM_KINDS and k is not CitationKind.LOST)
    if broken:
        grey.append((f"{broken} broken href{'s' if broken > 1 else ''}", broken, ":"))
    return grey


def _star(analysis: Analysis, index: OutletIndex, edges: Edges) -> Figure:
    article = analysis.articles[0]
    # Wide enough that a long outlet name fits on the outer side of its node rather than
    # being pushed inwards across the spokes.
    fig = new_figure(12.5, 8)
    ax = fig.add_axes((0.02, 0.07, 0.74, 0.84))
    ax.set_axis_off()
    ax.set_xlim(-2.1, 2.1)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    outlets = [o for (_, key) in edges.weight if (o := index.get(key)) is not None]
    outlets.sort(key=lambda o: (str(o.source.kind), -edges.weight[(article.id, o.source.key)]))
    left_out = max(len(outlets) - STAR_MAX_OUTLETS, 0)
    if left_out:
        keep = sorted(outlets, key=lambda o: -edges.weight[(article.id, o.source.key)])
        kept = {o.source.key for o in keep[:STAR_MAX_OUTLETS]}
        outlets = [o for o in outlets if o.source.key in kept]
    grey = _grey_nodes(analysis, article.id, len(outlets))
    slots = len(outlets) + len(grey)
    biggest = max([edges.weight[(article.id, o.source.key)] for o in outlets] + [1])
    labels: list[Label] = []
    nodes: list[tuple[float, float, float]] = [(0.0, 0.0, 16.0)]
    for i in range(slots):
        angle = math.pi / 2 - 2 * math.pi * i / max(slots, 1)
        x, y = math.cos(angle), math.sin(angle)
        prefer = "right" if x > 0.2 else "left" if x < -0.2 else "above" if y > 0 else "below"
        if i < len(outlets):
            label, size = _spoke(ax, analysis, edges, outlets[i], at=(x, y), biggest=biggest)
            labels.append(replace(label, prefer=prefer))
        else:
            words, count, style = grey[i - len(outlets)]
            size = _node_size(min(count, biggest), biggest)
            ax.plot([0, x], [0, y], color="#bbbbbb", ls=style, lw=1.5, zorder=1)
            ax.scatter([x], [y], s=size, c=INTERNAL_COLOUR, edgecolors="#888888", linewidths=1,
                       linestyle=style, zorder=3)
            labels.append(Label(x, y, words, priority=count, size=9.5, prefer=prefer,
                                radius=_radius(size)))
        nodes.append((x, y, _radius(size)))
    ax.scatter([0], [0], s=1000, marker="s", c=ARTICLE_COLOUR, zorder=4)
    hidden = place_labels(ax, labels, keep_out=node_boxes(ax, nodes))
    _star_caption(fig, analysis, outlets, grey, edges, left_out=left_out, hidden=hidden)
    return fig


def _spoke(ax: Axes, analysis: Analysis, edges: Edges, outlet: OutletStats, *,
           at: tuple[float, float], biggest: int) -> tuple[Label, float]:
    """Draw one outlet of the star and its edge: grey (linked), with a diamond (recovered),
    dashed blue (inferred) or red dashed (failing).  Returns its label and marker size."""
    x, y = at
    pair = (analysis.articles[0].id, outlet.source.key)
    count = edges.weight[pair]
    dead = pair in edges.failing
    style = edges.style(pair)
    size = _node_size(count, biggest)
    colour = DEAD_COLOUR if dead else INFERRED_COLOUR if style == "inferred" else "#9a9a9a"
    ax.plot([0, x], [0, y], color=colour, ls="--" if dead or style == "inferred" else "-",
            lw=1.2 + 1.2 * min(count, 6), zorder=1)
    if style == "recovered":
        ax.scatter([x * 0.5], [y * 0.5], s=60, marker="D", c=RECOVERED_COLOUR,
                   edgecolors="white", linewidths=1, zorder=2)
    ring = DEAD_COLOUR if dead else INFERRED_COLOUR if style == "inferred" else "white"
    ax.scatter([x], [y], s=size, c=kind_colour(outlet.source.kind), edgecolors=ring,
               linewidths=2, linestyle="--" if style == "inferred" else "-", zorder=3)
    name = shorten(outlet.source.name or outlet.source.key, 34)
    text = f"{name}\n{outlet.source.key}" if name != outlet.source.key else name
    text += f"  ×{count}" if count > 1 else ""
    if style == "recovered":
        text += "\n(recovered)"
    elif style == "inferred":
        text += f"\ninferred: “{_evidence(analysis, pair)}”"
    elif edges.inferred[pair]:
        text += f"\n(+{edges.inferred[pair]} inferred)"
    return Label(x, y, text, priority=count + 10, size=10, radius=_radius(size)), size


def _evidence(analysis: Analysis, pair: tuple[str, str]) -> str:
    """The words the first inferred citation of an (article, outlet) pair was inferred from."""
    for c in analysis.citations:
        if c.article_id == pair[0] and c.provenance.kind is ProvenanceKind.INFERRED and \
                c.provenance.source_key == pair[1]:
            return _middle(c.provenance.evidence or c.text, 34)
    return ""


def _middle(text: str, limit: int) -> str:
    """*text* cut in the middle at word boundaries ("according to … news agency Ukrinform"):
    the name is at the end."""
    words = text.split()
    if len(" ".join(words)) <= limit:
        return " ".join(words)
    head: list[str] = []
    while words and len(" ".join([*head, words[0]])) <= limit // 3:
        head.append(words.pop(0))
    tail: list[str] = []
    while words and len(" ".join([words[-1], *tail])) <= limit - len(" ".join(head)) - 3:
        tail.insert(0, words.pop())
    return " ".join(head) + " … " + " ".join(tail) if tail else shorten(text, limit)


def _counts_inferred(analysis: Analysis) -> bool:
    return "inferred" in analysis.summary.counted


def _star_caption(
    fig: Figure, analysis: Analysis, outlets: list[OutletStats],
    grey: list[tuple[str, int, str]], edges: Edges, *, left_out: int, hidden: int,
) -> None:
    article = analysis.articles[0]
    notes = []
    if left_out:
        notes.append(f"{left_out} less-cited outlets not drawn.")
    if not outlets:
        notes.append("No external source could be drawn.")
    when = f"{article.published:%Y-%m-%d} · " if article.published else ""
    sub = f"{when}sources cited by this article (square); line width = citations"
    if edges.inferred:
        sub += "; dashed blue = inferred from the text"
    note = " ".join(notes) + _hidden_note(hidden)
    _title(fig, shorten(article.title or article.id, 95), sub, note)
    extra = [Line2D([], [], marker="s", ls="", ms=9, mfc=ARTICLE_COLOUR, mec="white",
                    label="the article")]
    if grey:
        extra.append(Line2D([], [], marker="o", ls="", ms=9, mfc=INTERNAL_COLOUR, mec="#888888",
                            label="internal / lost / broken"))
    kinds_present = sorted({str(o.source.kind) for o in outlets})
    _legend(fig, kinds_present, dead=bool(edges.failing), extra=extra,
            inferred=bool(edges.inferred), recovered=bool(edges.recovered),
            counted=_counts_inferred(analysis))


def _bipartite(analysis: Analysis, index: OutletIndex, edges: Edges) -> Figure:
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
    for outlet in cited:
        x, y = pos[("o", outlet.source.key)]
        dead = outlet.source.key in edges.failing_by_outlet
        size = _node_size(outlet.articles, biggest)
        ax.scatter([x], [y], s=size, c=kind_colour(outlet.source.kind),
                   edgecolors=DEAD_COLOUR if dead else "white", linewidths=2, zorder=4)
        nodes.append((float(x), float(y), _radius(size)))
        labels.append(Label(x, y, shorten(outlet.source.name or outlet.source.key, 28),
                            priority=outlet.articles * 1000 + outlet.citations, size=9,
                            radius=_radius(size)))
    if len(analysis.articles) <= 12:
        for article in analysis.articles:
            x, y = pos[("a", article.id)]
            labels.append(Label(x, y, shorten(article.title or article.id, 30),
                                priority=-1, size=7.5, prefer="below", radius=5))
    hidden = place_labels(ax, labels, keep_out=node_boxes(ax, nodes))
    _title(fig, "Articles and the sources they cite",
           f"{len(analysis.articles)} articles (dark squares) and the {len(cited)} outlets they"
           " cite; node size = citing articles", _hidden_note(hidden).strip())
    extra = [Line2D([], [], marker="s", ls="", ms=8, mfc=ARTICLE_COLOUR, mec="white",
                    label="article")]
    _legend(fig, sorted({str(o.source.kind) for o in cited}), dead=bool(edges.failing),
            extra=extra, inferred=bool(edges.inferred), recovered=bool(edges.recovered),
            counted=_counts_inferred(analysis))
    return fig


def _backbone(analysis: Analysis, index: OutletIndex, edges: Edges) -> Figure:
    fig = new_figure(13, 10)
    ax = fig.add_axes((0.02, 0.08, 0.74, 0.83))
    ax.set_axis_off()
    ranked = sorted(analysis.outlets, key=lambda o: (-o.articles, -o.citations, o.source.key))
    top = ranked[:BACKBONE_OUTLETS]
    backbone, total_links = cocitation_backbone(edges.counted(_counts_inferred(analysis)), top)
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
    for outlet in top:
        x, y = pos[outlet.source.key]
        share = edges.failing_share(outlet.source.key)
        size = _node_size(outlet.articles, biggest) * 1.3
        ax.scatter([x], [y], s=size, c=kind_colour(outlet.source.kind),
                   edgecolors=DEAD_COLOUR if share else "white",
                   linewidths=1.5 + 10 * share if share else 1.5, zorder=3)
        nodes.append((float(x), float(y), _radius(size) + 5 * share))
        labels.append(Label(x, y, shorten(outlet.source.name or outlet.source.key, 26),
                            priority=outlet.articles, size=9, radius=_radius(size) + 5 * share))
    hidden = place_labels(ax, labels, keep_out=node_boxes(ax, nodes))
    covered = sum(o.citations for o in top)
    external = sum(o.citations for o in analysis.outlets) or 1
    note = (
        f"Showing the {len(top)} outlets cited by the most articles, of {len(analysis.outlets):,}"
        f" (they receive {covered / external:.0%} of external citations). Lines: the"
        f" {backbone.number_of_edges()} strongest co-citation links of {total_links:,} (two"
        " outlets cited by the same articles; width = such articles). The"
        f" {len(analysis.articles):,} articles are not drawn one by one."
    ) + _hidden_note(hidden)
    _title(fig, "Who the corpus cites: top outlets and their co-citation backbone",
           f"{len(analysis.articles):,} articles, {external:,} external citations;"
           " node size = citing articles", note)
    extra = []
    if checked:
        extra.append(Line2D([], [], marker="o", ls="", ms=9, mfc="white", mec=DEAD_COLOUR, mew=2.5,
                            label="red ring: share of checked\nlinks dead (thicker = more)"))
    _legend(fig, sorted({str(o.source.kind) for o in top}), dead=False, extra=extra)
    return fig
