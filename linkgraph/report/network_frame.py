"""What every view of the network drawing draws alike: node marker sizes, the title with its
subtitle and note, and the legend (with the colours of inferred and recovered edges)."""

from __future__ import annotations

import math
from typing import Final

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from linkgraph.analysis.records import Analysis
from linkgraph.report.colouring import OutletColours
from linkgraph.report.style import (
    DEAD_COLOUR,
    MUTED_COLOUR,
    font_families,
    kind_colour,
    kind_label,
)

INFERRED_COLOUR: Final = "#3f51b5"  # dashed edges of inferred sources
RECOVERED_COLOUR: Final = "#00897b"  # the diamond on recovered links


def node_size(count: int, biggest: int) -> float:
    """Marker area in points^2, by square root so that one giant does not dwarf the rest."""
    return 80.0 + 900.0 * math.sqrt(count / max(biggest, 1))


def marker_radius(size: float) -> float:
    """Radius in points of a scatter marker of area *size* (points^2)."""
    return math.sqrt(size) / 2


def counts_inferred(analysis: Analysis) -> bool:
    """Whether the metrics count inferred sources (``--count-inferred``): the legend says so,
    and the backbone draws their co-citations."""
    return "inferred" in analysis.summary.counted


def draw_legend(
    fig: Figure, kinds: list[str] | OutletColours, *, dead: bool, extra: list[Line2D],
    inferred: bool = False, recovered: bool = False, counted: bool = False,
) -> None:
    """The legend: the source kinds' colours (or what the colours say, ``OutletColours``), the
    kinds' shapes when colours show groups, then *extra* and the kinds of edges drawn."""
    colours = kinds if isinstance(kinds, OutletColours) else None
    if colours is None:
        entries = [(kind_label(k), kind_colour(k)) for k in kinds]  # type: ignore[union-attr]
    else:
        entries = list(colours.entries)
    handles = [
        Line2D([], [], marker="o", ls="", ms=9, mfc=colour, mec="white", label=label)
        for label, colour in entries
    ]
    if colours is not None and colours.shapes:
        handles += [Line2D([], [], marker=marker, ls="", ms=8, mfc="white", mec="#555555",
                           mew=1.2, label=f"shape: {label}") for marker, label in colours.shapes]
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
        title=colours.title if colours is not None else "source kind",
        prop={"family": list(font_families()), "size": 9},
    )


def draw_title(fig: Figure, title: str, subtitle: str, note: str) -> None:
    """The title and subtitle at the top left, the note (what was left out) at the foot."""
    family = list(font_families())
    fig.text(0.02, 0.975, title, ha="left", va="top", fontsize=14, fontweight="bold",
             family=family, parse_math=False)
    fig.text(0.02, 0.94, subtitle, ha="left", va="top", fontsize=10.5, color=MUTED_COLOUR,
             family=family, parse_math=False)
    if note:
        fig.text(0.02, 0.015, note, fontsize=8.5, color=MUTED_COLOUR, ha="left", va="bottom",
                 family=family, parse_math=False, wrap=True)


def hidden_note(hidden: int) -> str:
    """The footnote's words for labels that ``place_labels`` could not place."""
    return f" {hidden} labels hidden to avoid overlap (see the tables)." if hidden else ""
