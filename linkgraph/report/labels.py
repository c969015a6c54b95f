"""Label placement that never overlaps: greedy, most important label first.

Each label tries a few positions around its anchor point; the first one whose box overlaps
no label already placed (and stays inside the axes) wins; a label with no free position is
left out.  That is the whole trick, and it keeps graphs of any size readable.

In dense drawings a label next to two nodes could name either: a label is placed only where
its own node is the nearest to it, and a label with ``leader=True`` is also tied to its node
by a thin line (and may sit farther out, its line leading back), so that every label names
one node unmistakably.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from linkgraph.report.style import TEXT_COLOUR, font_families

# Directions around the anchor: (dx, dy, horizontal alignment, vertical alignment).
_RIGHT = (1.0, 0.0, "left", "center")
_LEFT = (-1.0, 0.0, "right", "center")
_ABOVE = (0.0, 1.0, "center", "bottom")
_BELOW = (0.0, -1.0, "center", "top")
_DIAGONALS = (
    (1.0, 1.0, "left", "bottom"),
    (1.0, -1.0, "left", "top"),
    (-1.0, 1.0, "right", "bottom"),
    (-1.0, -1.0, "right", "top"),
)
_GAP = 4.0  # points between a node's edge and its label
_LEADER_GAP = 5.0  # points more with a leader line, so that the line shows
_LEADER_COLOUR = "#555555"
_FAR = (2.6, 3.8, 5.2, 7.0)  # farther positions (times the near offset) for labels with a leader


@dataclass(frozen=True, slots=True)
class Label:
    """A label to place: text at data point (x, y), bigger ``priority`` placed first."""

    x: float
    y: float
    text: str
    priority: float
    size: float = 9.0
    prefer: str = "right"  # right, left, above, below: the first position tried
    weight: str = "normal"
    radius: float = 3.0  # radius in points of the node the label belongs to
    leader: bool = False  # a line from the label to its node (and farther positions allowed)


def node_boxes(ax: Axes, nodes: Sequence[tuple[float, float, float]]) -> list[Bbox]:
    """Pixel boxes of round nodes given as (x, y, radius in points): labels keep out of them."""
    to_pixels = ax.figure.dpi / 72.0
    boxes = []
    for x, y, radius in nodes:
        px, py = ax.transData.transform((x, y))
        r = radius * to_pixels
        boxes.append(Bbox.from_extents(px - r, py - r, px + r, py + r))
    return boxes


def place_labels(ax: Axes, labels: Sequence[Label], *, keep_out: Sequence[Bbox] = ()) -> int:
    """Draw as many *labels* on *ax* as fit without overlap; return how many were left out.

    Labels avoid each other and the boxes in *keep_out* (see :func:`node_boxes`).  The axes
    limits must be final before this is called (boxes are measured in pixels).
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    area = ax.get_window_extent(renderer)
    obstacles: list[Bbox] = list(keep_out)
    placed: list[Bbox] = []
    order = {"right": 0, "left": 1, "above": 2, "below": 3}
    waiting: list[tuple[Label, list[tuple[tuple[float, float, str, str], float]]]] = []
    # Every label first tries the places beside its node; only then do the labels left over
    # go out on their leader lines, so that a long line never takes a neighbour's place.
    for label in sorted(labels, key=lambda item: -item.priority):
        options = [_RIGHT, _LEFT, _ABOVE, _BELOW]
        first = options.pop(order.get(label.prefer, 0))
        near = [(first, 1.0)] + [(o, 1.0) for o in options] + [(o, 1.0) for o in _DIAGONALS]
        # Then a little farther out: a crowded hub still gets its label, close by.
        if not _place(ax, label, near + [(o, 1.6 * d) for o, d in near], renderer=renderer,
                      area=area, obstacles=obstacles, placed=placed):
            waiting.append((label, near))
    left_out = 0
    for label, near in waiting:
        far = [(o, distance) for distance in _FAR for o, _ in near] if label.leader else []
        if not _place(ax, label, far, renderer=renderer, area=area, obstacles=obstacles,
                      placed=placed):
            left_out += 1
    return left_out


def _place(ax: Axes, label: Label,
           candidates: Sequence[tuple[tuple[float, float, str, str], float]], *,
           renderer: Any, area: Bbox, obstacles: Sequence[Bbox], placed: list[Bbox]) -> bool:
    """Draw *label* at the first of *candidates* (direction, distance) that is free; record
    its box in *placed*.  False when none is."""
    (own,) = node_boxes(ax, [(label.x, label.y, label.radius)])
    others = [box for box in obstacles if not _same_box(box, own)]
    for (dx, dy, ha, va), distance in candidates:
        offset = (label.radius + _GAP) * distance + (_LEADER_GAP if label.leader else 0.0)
        leader = (
            {"arrowstyle": "-", "color": _LEADER_COLOUR, "lw": 0.7, "shrinkA": 0.5,
             "shrinkB": label.radius + 0.5}
            if label.leader else None
        )
        text = ax.annotate(
            label.text,
            (label.x, label.y),
            xytext=(dx * offset, dy * offset),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=label.size,
            fontweight=label.weight,
            family=list(font_families()),
            color=TEXT_COLOUR,
            parse_math=False,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            arrowprops=leader,
        )
        # The text keeps out of the nodes; the text with its leader line keeps out of the
        # labels already placed (a leader never crosses another label).
        text.update_positions(renderer)
        box = Text.get_window_extent(text, renderer).expanded(1.02, 1.08)
        far = distance in _FAR
        whole = text.get_window_extent(renderer).expanded(1.02, 1.08) \
            if label.leader and not far else box
        inside = (
            box.x0 >= area.x0 and box.x1 <= area.x1 and box.y0 >= area.y0 and box.y1 <= area.y1
        )
        if (inside and not any(box.overlaps(other) for other in obstacles)
                and not any(whole.overlaps(other) for other in placed)
                and (_leads_clear(box, own, [*others, *placed]) if far
                     else _names_its_node(box, own, others))):
            placed.append(whole)
            return True
        text.remove()
    return False


def _same_box(a: Bbox, b: Bbox) -> bool:
    return bool(abs(a.x0 - b.x0) < 0.5 and abs(a.y0 - b.y0) < 0.5 and abs(a.x1 - b.x1) < 0.5)


def _gap(a: Bbox, b: Bbox) -> float:
    """Pixels between two boxes (0 when they touch or overlap)."""
    dx = max(0.0, a.x0 - b.x1, b.x0 - a.x1)
    dy = max(0.0, a.y0 - b.y1, b.y0 - a.y1)
    return float((dx * dx + dy * dy) ** 0.5)


def _names_its_node(box: Bbox, own: Bbox, others: Sequence[Bbox]) -> bool:
    """True when no other node is nearer the label's text than its own node: a label between
    two nodes, nearer the wrong one, would be read as that one's (a "YouTube" label beside
    Nature), whatever line leads from it."""
    mine = _gap(box, own)
    return all(_gap(box, other) > mine for other in others)


_CLEARANCE = 8.0  # pixels between a label far out on its leader and any other node


def _leads_clear(box: Bbox, own: Bbox, others: Sequence[Bbox]) -> bool:
    """For a label far out on its leader line: the line from its node to the text passes no
    other node, and the text keeps clear of every other node, so the line alone says whose
    label it is."""
    if any(_gap(box, other) < _CLEARANCE for other in others):
        return False
    (x0, y0), (x1, y1) = own.bounds[:2], (box.x0 + box.width / 2, box.y0 + box.height / 2)
    x0, y0 = x0 + own.width / 2, y0 + own.height / 2
    steps = 24
    for step in range(1, steps):
        t = step / steps
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        if any(other.x0 <= x <= other.x1 and other.y0 <= y <= other.y1 for other in others):
            return False
    return True
