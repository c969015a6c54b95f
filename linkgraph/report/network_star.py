"""The network drawing of one article: the article in the centre, its outlets around it (plus
its internal links and its lost or broken links as grey nodes), every label readable.

A recovered link (its href restored from an original copy) is a solid spoke with a diamond
mark; a source inferred from the text is a dashed blue spoke labelled with the words it was
inferred from; a dead or soft-404 link is a red dashed spoke.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Final

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from linkgraph.analysis.records import Analysis, OutletStats
from linkgraph.records import PROBLEM_KINDS, CitationKind, ProvenanceKind
from linkgraph.report.labels import Label, node_boxes, place_labels
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
from linkgraph.report.style import (
    ARTICLE_COLOUR,
    DEAD_COLOUR,
    INTERNAL_COLOUR,
    kind_colour,
    new_figure,
)
from linkgraph.report.tables import OutletIndex, shorten

STAR_MAX_OUTLETS: Final = 36


def draw_star(analysis: Analysis, index: OutletIndex, edges: Edges) -> Figure:
    """The drawing of the one article of *analysis* and the sources it cites."""
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
            size = node_size(min(count, biggest), biggest)
            ax.plot([0, x], [0, y], color="#bbbbbb", ls=style, lw=1.5, zorder=1)
            ax.scatter([x], [y], s=size, c=INTERNAL_COLOUR, edgecolors="#888888", linewidths=1,
                       linestyle=style, zorder=3)
            labels.append(Label(x, y, words, priority=count, size=9.5, prefer=prefer,
                                radius=marker_radius(size)))
        nodes.append((x, y, marker_radius(size)))
    ax.scatter([0], [0], s=1000, marker="s", c=ARTICLE_COLOUR, zorder=4)
    hidden = place_labels(ax, labels, keep_out=node_boxes(ax, nodes))
    _star_caption(fig, analysis, outlets, grey, edges, left_out=left_out, hidden=hidden)
    return fig


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


def _spoke(ax: Axes, analysis: Analysis, edges: Edges, outlet: OutletStats, *,
           at: tuple[float, float], biggest: int) -> tuple[Label, float]:
    """Draw one outlet of the star and its edge: grey (linked), with a diamond (recovered),
    dashed blue (inferred) or red dashed (failing).  Returns its label and marker size."""
    x, y = at
    pair = (analysis.articles[0].id, outlet.source.key)
    count = edges.weight[pair]
    dead = pair in edges.failing
    style = edges.style(pair)
    size = node_size(count, biggest)
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
    return Label(x, y, text, priority=count + 10, size=10, radius=marker_radius(size)), size


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
    note = " ".join(notes) + hidden_note(hidden)
    draw_title(fig, shorten(article.title or article.id, 95), sub, note)
    extra = [Line2D([], [], marker="s", ls="", ms=9, mfc=ARTICLE_COLOUR, mec="white",
                    label="the article")]
    if grey:
        extra.append(Line2D([], [], marker="o", ls="", ms=9, mfc=INTERNAL_COLOUR, mec="#888888",
                            label="internal / lost / broken"))
    kinds_present = sorted({str(o.source.kind) for o in outlets})
    draw_legend(fig, kinds_present, dead=bool(edges.failing), extra=extra,
            inferred=bool(edges.inferred), recovered=bool(edges.recovered),
            counted=counts_inferred(analysis))
