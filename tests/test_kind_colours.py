"""Every source kind has a colour of its own, and the kinds of news outlet stay apart."""

from __future__ import annotations

import itertools

from matplotlib.colors import to_rgb

from linkgraph.records import SourceKind
from linkgraph.report.style import KIND_COLOURS

NEWS = (SourceKind.NEWS_AGENCY, SourceKind.NEWSPAPER, SourceKind.BROADCASTER,
        SourceKind.MAGAZINE, SourceKind.DIGITAL_NEWS)


def _distance(a: str, b: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(to_rgb(a), to_rgb(b), strict=True)) ** 0.5


def test_every_kind_has_its_own_colour() -> None:
    assert set(KIND_COLOURS) == set(SourceKind)
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)


def test_news_kinds_are_told_apart() -> None:
    """"magazine" and "digital news" were two pale blues (0.10 apart in RGB): each pair of
    news kinds is now at least a quarter of the RGB cube's edge apart."""
    for a, b in itertools.combinations(NEWS, 2):
        assert _distance(KIND_COLOURS[a], KIND_COLOURS[b]) > 0.25, (a, b)
