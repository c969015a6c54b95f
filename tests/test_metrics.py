"""Diversity numbers on small hand-made examples with known values."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime

import pytest

from linkgraph.analysis.metrics import (
    ArticleTally,
    article_stats,
    diversity,
    month_of,
    period_stats,
)


@pytest.mark.parametrize(
    ("counts", "entropy", "hhi", "effective", "top"),
    [
        ([5], 0.0, 1.0, 1.0, 1.0),
        ([3, 3], 1.0, 0.5, 2.0, 0.5),
        ([1, 1, 1, 1], 2.0, 0.25, 4.0, 0.25),
        ([2, 1, 1], 1.5, 6 / 16, 16 / 6, 0.5),
        ([9, 1], -(0.9 * math.log2(0.9) + 0.1 * math.log2(0.1)), 0.82, 1 / 0.82, 0.9),
        ([], 0.0, 0.0, 0.0, 0.0),
        ([0, 4], 0.0, 1.0, 1.0, 1.0),
    ],
)
def test_diversity_known_values(
    counts: list[int], entropy: float, hhi: float, effective: float, top: float
) -> None:
    d = diversity(counts)
    assert d.entropy == pytest.approx(entropy)
    assert d.hhi == pytest.approx(hhi)
    assert d.effective == pytest.approx(effective)
    assert d.top_share == pytest.approx(top)
    assert d.total == sum(counts)


def _tally(ident: str, outlets: dict[str, int], internal: int = 0, site: str = "a.example",
           when: datetime | None = None) -> ArticleTally:
    return ArticleTally(ident, site, when, sum(outlets.values()) + internal, internal,
                        Counter(outlets), Counter({"news_agency": sum(outlets.values())}))


def test_article_stats() -> None:
    stats = article_stats(_tally("x", {"yna.co.kr": 2, "gallup.co.kr": 2}, internal=4))
    assert stats.sources == 2
    assert stats.external == 4
    assert stats.internal_share == 0.5
    assert stats.entropy == pytest.approx(1.0)
    assert stats.hhi == pytest.approx(0.5)
    assert stats.effective_sources == pytest.approx(2.0)
    assert stats.top_source_share == pytest.approx(0.5)
    assert stats.kind_mix == (("news_agency", 4),)


def test_unsourced_article_is_all_zero() -> None:
    stats = article_stats(_tally("x", {}, internal=0))
    assert (stats.entropy, stats.hhi, stats.effective_sources, stats.internal_share) == \
        (0.0, 0.0, 0.0, 0.0)


def test_period_stats_pool_outlets_per_site_and_month() -> None:
    jan = datetime(2023, 1, 5, tzinfo=UTC)
    feb = datetime(2023, 2, 5, tzinfo=UTC)
    tallies = [
        _tally("1", {"a": 1}, when=jan),
        _tally("2", {"b": 1}, when=jan),
        _tally("3", {}, when=jan),
        _tally("4", {"a": 2, "b": 2}, when=feb),
        _tally("5", {"a": 1}, site="b.example", when=None),
    ]
    stats = {t.article_id: article_stats(t) for t in tallies}
    periods = period_stats(tallies, stats)
    assert [(p.site, p.month) for p in periods] == [
        ("a.example", "2023-01"), ("a.example", "2023-02"), ("b.example", "undated")]
    jan_stats = periods[0]
    assert (jan_stats.articles, jan_stats.citations, jan_stats.sources) == (3, 2, 2)
    assert jan_stats.entropy == pytest.approx(1.0)  # a and b once each, pooled
    assert jan_stats.hhi == pytest.approx(0.5)
    assert jan_stats.mean_effective_sources == pytest.approx(1.0)  # each article cites one
    assert jan_stats.unsourced_articles == 1
    assert periods[1].mean_effective_sources == pytest.approx(2.0)


def test_month_of() -> None:
    assert month_of(datetime(2024, 12, 31, 23, tzinfo=UTC)) == "2024-12"
    assert month_of(None) == "undated"
