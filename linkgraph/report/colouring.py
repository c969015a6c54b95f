"""What the colours of the network's outlet nodes say: the kinds that exist in the data.

Outlets are coloured by source kind when the kinds tell them apart.  When most of the drawn
outlets are of kind "other" (blogs, small sites: a corpus the registry does not know), a
grey picture says nothing; the colours then show the groups of outlets that are cited
together (Louvain communities of the drawn graph, fixed seed), each group named in the legend
after its most-cited outlets, and the kinds that are known keep a marker shape of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx

from linkgraph.analysis.records import OutletStats
from linkgraph.records import SourceKind
from linkgraph.report.style import kind_colour, kind_label
from linkgraph.report.tables import shorten

# Colour by group when more than this share of the drawn outlets is of kind "other".
OTHER_MAJORITY: Final = 0.5
# Distinct group colours (colour-blind-safe Okabe-Ito order, then Tableau); groups past
# these, and outlets alone in their group, are grey.
GROUP_COLOURS: Final = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#9467bd",
)
LONE_COLOUR: Final = "#b8b8b8"
SEED: Final = 7
# Marker shapes of the kinds when colours show groups: one shape per family of kinds.
_SHAPES: Final = (
    ("s", "news outlet", frozenset({SourceKind.NEWS_AGENCY, SourceKind.NEWSPAPER,
                                    SourceKind.BROADCASTER, SourceKind.MAGAZINE,
                                    SourceKind.DIGITAL_NEWS})),
    ("D", "platform, wiki, reference or archive", frozenset({
        SourceKind.SOCIAL, SourceKind.WIKI, SourceKind.PLATFORM, SourceKind.REFERENCE,
        SourceKind.ARCHIVE})),
    ("^", "government, law, academic, standards or NGO", frozenset({
        SourceKind.GOVERNMENT, SourceKind.LAW, SourceKind.INTERNATIONAL_ORG,
        SourceKind.ACADEMIC, SourceKind.THINK_TANK, SourceKind.POLLSTER,
        SourceKind.STANDARDS})),
)
ROUND: Final = ("o", "other site")


@dataclass(frozen=True, slots=True)
class OutletColours:
    """Each outlet's fill colour and marker, and the legend that explains them."""

    colour: dict[str, str]  # outlet key -> fill colour
    marker: dict[str, str]  # outlet key -> matplotlib marker
    title: str  # legend title
    entries: tuple[tuple[str, str], ...]  # (label, colour), legend order
    shapes: tuple[tuple[str, str], ...] = ()  # (marker, label) when shapes carry the kinds

    @property
    def by_kind(self) -> bool:
        """True when the colours are the source kinds."""
        return not self.shapes


def _shape(kind: SourceKind) -> tuple[str, str]:
    for marker, label, kinds in _SHAPES:
        if kind in kinds:
            return marker, label
    return ROUND


def by_kind(outlets: Sequence[OutletStats]) -> OutletColours:
    """Colours of the source kinds (the default)."""
    kinds = sorted({str(o.source.kind) for o in outlets})
    return OutletColours(
        colour={o.source.key: kind_colour(o.source.kind) for o in outlets},
        marker={o.source.key: "o" for o in outlets},
        title="source kind",
        entries=tuple((kind_label(k), kind_colour(k)) for k in kinds),
    )


def outlet_colours(outlets: Sequence[OutletStats], graph: Any) -> OutletColours:
    """Kind colours, or group colours when most of *outlets* are "other" (see the module
    doc).  *graph* holds the outlets as nodes (by key) with weighted edges between them, or
    between them and articles; it is only read."""
    if not outlets:
        return by_kind(outlets)
    other = sum(1 for o in outlets if o.source.kind is SourceKind.OTHER)
    if other / len(outlets) <= OTHER_MAJORITY or graph.number_of_edges() == 0:
        return by_kind(outlets)
    keys = {o.source.key for o in outlets}
    stats = {o.source.key: o for o in outlets}
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    groups = [sorted((k for k in group if k in keys),
                     key=lambda k: (-stats[k].articles, -stats[k].citations, k))
              for group in found]
    groups = [g for g in groups if len(g) > 1]
    groups.sort(key=lambda g: (-sum(stats[k].articles for k in g), g[0]))
    colour = dict.fromkeys(keys, LONE_COLOUR)
    entries: list[tuple[str, str]] = []
    for number, group in enumerate(groups[: len(GROUP_COLOURS)]):
        for key in group:
            colour[key] = GROUP_COLOURS[number]
        names = [shorten(stats[k].source.name or k, 15) for k in group[:2]]
        more = f" +{len(group) - 2}" if len(group) > 2 else ""
        entries.append((f"{', '.join(names)}{more}", GROUP_COLOURS[number]))
    if any(c == LONE_COLOUR for c in colour.values()):
        entries.append(("no group drawn", LONE_COLOUR))
    marker: dict[str, str] = {}
    present: dict[str, str] = {}
    for outlet in outlets:
        shape, label = _shape(outlet.source.kind)
        marker[outlet.source.key] = shape
        present[shape] = label
    order = [m for m, _, _ in _SHAPES] + [ROUND[0]]
    shapes = tuple((m, present[m]) for m in order if m in present)
    return OutletColours(
        colour=colour, marker=marker,
        title=f"colour: outlets cited together\n({other} of {len(outlets)} are of no known"
              " kind)",
        entries=tuple(entries), shapes=shapes or (ROUND,),
    )
