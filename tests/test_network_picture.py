"""The corpus network picture says what it shows (issue 15 item 12, the graph): every label is
tied to its node by a leader line, so a label in a dense centre names one node only; and when
most outlets are of no known kind, the colours show the groups of outlets cited together
instead of a grey picture, with a legend that says so and the known kinds as shapes."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest
import report_samples as samples
from matplotlib.colors import to_hex
from matplotlib.text import Annotation, Text

from linkgraph.analysis import analyse
from linkgraph.analysis.records import Analysis
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Extraction, SourceKind
from linkgraph.report.colouring import GROUP_COLOURS, LONE_COLOUR
from linkgraph.report.network import draw_network
from linkgraph.report.style import kind_colour, quiet_glyphs

REPO = Path(__file__).resolve().parent.parent
CORPUS_WP = REPO.parent / "shared" / "corpus" / "wp"
GREY = kind_colour(SourceKind.OTHER)


def _mostly_other(analysis: Analysis, known: int = 6) -> Analysis:
    """*analysis* with every outlet but the *known* most cited of kind "other"."""
    ranked = sorted(analysis.outlets, key=lambda o: -o.articles)
    keep = {o.source.key for o in ranked[:known]}
    outlets = tuple(
        o if o.source.key in keep else replace(o, source=replace(o.source, kind=SourceKind.OTHER))
        for o in analysis.outlets
    )
    return replace(analysis, outlets=outlets)


def _node_colours(fig: object) -> list[str]:
    ax = fig.axes[0]  # type: ignore[attr-defined]
    return [to_hex(c.get_facecolor()[0]) for c in ax.collections if len(c.get_offsets()) == 1]


def _labels(fig: object) -> list[Annotation]:
    ax = fig.axes[0]  # type: ignore[attr-defined]
    return [t for t in ax.texts if isinstance(t, Annotation)]


@pytest.mark.parametrize("size", [(30, 25), (1500, 600)])  # bipartite view, backbone view
def test_every_label_has_a_leader_to_its_node(size: tuple[int, int]) -> None:
    analysis = samples.large(size[0], outlets=size[1])
    with quiet_glyphs():
        fig = draw_network(analysis)
        renderer = fig.canvas.get_renderer()
        outlet_labels = [t for t in _labels(fig) if t.get_fontsize() == 9]
        assert len(outlet_labels) >= 8
        for label in outlet_labels:
            assert label.arrow_patch is not None, label.get_text()
        boxes = [Text.get_window_extent(t, renderer) for t in _labels(fig)]
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b)


def test_mostly_other_outlets_are_coloured_by_group() -> None:
    analysis = _mostly_other(samples.large(1500, outlets=600))
    with quiet_glyphs():
        fig = draw_network(analysis)
    colours = _node_colours(fig)
    assert len(colours) == 40
    grey = sum(1 for c in colours if c in (GREY, LONE_COLOUR))
    assert grey < len(colours) / 2, f"{grey} of {len(colours)} nodes grey"
    assert len(set(colours) & set(GROUP_COLOURS)) >= 2
    legend = fig.legends[0]
    assert "cited together" in legend.get_title().get_text()
    assert any(t.get_text().startswith("shape: ") for t in legend.get_texts())


def test_known_kinds_keep_their_colours() -> None:
    analysis = samples.large(1500, outlets=600)  # kinds round robin: few "other"
    with quiet_glyphs():
        fig = draw_network(analysis)
    assert fig.legends[0].get_title().get_text() == "source kind"
    assert set(_node_colours(fig)) <= {kind_colour(k) for k in SourceKind}


@pytest.mark.skipif(not CORPUS_WP.is_dir(), reason="the shared corpus is not here")
def test_corpus_picture_is_not_grey() -> None:
    extractions = [e for e in extract_inputs([str(CORPUS_WP)]) if isinstance(e, Extraction)]
    analysis = analyse(extractions)
    with quiet_glyphs():
        fig = draw_network(analysis)
    colours = _node_colours(fig)
    grey = sum(1 for c in colours if c in (GREY, LONE_COLOUR))
    assert grey <= len(colours) / 4
    assert all(t.arrow_patch is not None for t in _labels(fig))


def _node_discs(fig: object) -> list[tuple[float, float, float]]:
    """Every drawn node as (x, y, radius) in pixels."""
    ax = fig.axes[0]  # type: ignore[attr-defined]
    discs = []
    for collection in ax.collections:
        offsets = collection.get_offsets()
        if len(offsets) != 1:
            continue
        x, y = ax.transData.transform(offsets[0])
        radius = (collection.get_sizes()[0] ** 0.5) / 2 * fig.dpi / 72  # type: ignore[attr-defined]
        discs.append((float(x), float(y), float(radius)))
    return discs


def _gap(box: object, disc: tuple[float, float, float]) -> float:
    x, y, r = disc
    dx = max(0.0, box.x0 - x, x - box.x1)  # type: ignore[attr-defined]
    dy = max(0.0, box.y0 - y, y - box.y1)  # type: ignore[attr-defined]
    return max(0.0, (dx * dx + dy * dy) ** 0.5 - r)


@pytest.mark.parametrize("size", [(30, 25), (1500, 600)])
def test_no_label_sits_nearer_another_node(size: tuple[int, int]) -> None:
    """A label beside two nodes is read as the nearer one's ("YouTube" beside Nature): each
    outlet label is nearer its own node than any other, or, far out on its leader line, keeps
    clear of every other node along the line and around the text."""
    analysis = samples.large(size[0], outlets=size[1])
    with quiet_glyphs():
        fig = draw_network(analysis)
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        discs = _node_discs(fig)
        checked = 0
        for label in (t for t in _labels(fig) if t.get_fontsize() == 9):
            box = Text.get_window_extent(label, renderer)
            nx, ny = ax.transData.transform(label.xy)
            own = min(discs, key=lambda d: (d[0] - nx) ** 2 + (d[1] - ny) ** 2)
            others = [d for d in discs if d is not own]
            if all(_gap(box, d) > _gap(box, own) for d in others):
                checked += 1
                continue
            assert all(_gap(box, d) >= 6 for d in others), label.get_text()
            cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
            for step in range(1, 20):
                t = step / 20
                px, py = own[0] + (cx - own[0]) * t, own[1] + (cy - own[1]) * t
                assert all((px - d[0]) ** 2 + (py - d[1]) ** 2 > d[2] ** 2 for d in others), \
                    f"{label.get_text()}: its leader crosses another node"
            checked += 1
    assert checked >= 8
