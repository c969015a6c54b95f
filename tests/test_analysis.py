"""``analyse`` end to end: the seed's world, the example, hand-made articles, WordPress lists."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from graph_factories import extracted, links, read_graph

from linkgraph.analysis import Analysis, AnalysisOptions, FindingKind, analyse
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Extraction, SourceKind
from linkgraph.report.exports import export_graph

REPO = Path(__file__).resolve().parent.parent


def _extractions(*paths: Path) -> list[Extraction]:
    return [x for x in extract_inputs([str(p) for p in paths]) if isinstance(x, Extraction)]


def test_seed_world_outlet_kinds() -> None:
    html = links(
        "https://www.ukrinform.net/rubric-polytics/3675312-zelensky.html",
        "https://www.ukrinform.ua/rubric-ato/1.html",
        "https://www.gallup.co.kr/gallupdb/reportContent.asp?seqNo=1341",
        "https://www.law.go.kr/lsInfoP.do?lsiSeq=243059",
        "https://www.nknews.org/2023/01/stoltenberg-seoul/",
        "https://koreapro.org/2023/01/earlier/",
    )
    result = analyse([extracted("seedworld", html, site="koreapro.org")])
    outlets = {o.source.key: o.source for o in result.outlets}
    assert outlets["ukrinform.net"].kind is SourceKind.NEWS_AGENCY
    assert outlets["ukrinform.net"].country == "UA"
    assert outlets["gallup.co.kr"].kind is SourceKind.POLLSTER
    assert outlets["law.go.kr"].kind is SourceKind.LAW
    assert "nknews.org" not in outlets  # the site itself: internal, not an outlet
    assert result.summary is not None
    assert (result.summary.external, result.summary.internal) == (4, 2)
    stats = result.article_stats[0]
    assert stats.sources == 3
    assert stats.internal_share == pytest.approx(2 / 6)
    assert stats.hhi == pytest.approx((2 / 4) ** 2 + 2 * (1 / 4) ** 2)
    assert stats.kind_mix == (("news_agency", 2), ("law", 1), ("pollster", 1))
    assert {("seedworld", 4), ("seedworld", 5)} == result.internal_citations
    assert "s:nknews.org" not in result.graph


def test_seed_article(corpus: Path) -> None:
    result = analyse(_extractions(corpus / "seed" / "koreapro-2200266.json"))
    kinds = [f.kind for f in result.findings]
    assert kinds.count(FindingKind.LOST) == 8
    # Ukrinform and Gallup Korea are named by the lost links of their sentences: the lost
    # links are the findings, not a second "attribution without a link" each.
    lost = {f.text for f in result.findings if f.kind is FindingKind.LOST}
    assert "Gallup Korea" in lost
    attributed = {f.text for f in result.findings if f.kind is FindingKind.UNLINKED_ATTRIBUTION}
    assert attributed == set()


def test_example_outlets() -> None:
    result = analyse(_extractions(REPO / "examples" / "ukraine-arms.json"))
    kinds = {o.source.key: o.source.kind for o in result.outlets}
    assert kinds["ukrinform.net"] is SourceKind.NEWS_AGENCY
    assert kinds["gallup.co.kr"] is SourceKind.POLLSTER
    assert kinds["law.go.kr"] is SourceKind.LAW
    assert result.summary is not None and result.summary.internal >= 1
    assert all(not k.startswith("koreadesk") for k in kinds)


def _three_articles() -> list[Extraction]:
    jan = datetime(2023, 1, 10, tzinfo=UTC)
    return [
        extracted("1", links("https://en.yna.co.kr/a", "https://en.yna.co.kr/b",
                             "https://www.gallup.co.kr/p"), published=jan),
        extracted("2", links("https://en.yna.co.kr/c", "https://www.gallup.co.kr/q"),
                  published=datetime(2023, 2, 1, tzinfo=UTC)),
        extracted("3", links("https://www.reuters.com/x"), site="other.example",
                  published=jan),
    ]


def test_outlet_stats() -> None:
    result = analyse(_three_articles())
    by_key = {o.source.key: o for o in result.outlets}
    yna = by_key["yna.co.kr"]
    assert (yna.citations, yna.articles) == (3, 2)
    assert yna.share == pytest.approx(3 / 6)
    assert yna.first_cited == datetime(2023, 1, 10, tzinfo=UTC)
    assert yna.last_cited == datetime(2023, 2, 1, tzinfo=UTC)
    assert [o.source.key for o in result.outlets] == ["yna.co.kr", "gallup.co.kr", "reuters.com"]
    assert yna.pagerank > by_key["reuters.com"].pagerank > 0
    assert sum(o.pagerank for o in result.outlets) < 1.0
    periods = {(p.site, p.month): p for p in result.periods}
    assert periods["koreapro.org", "2023-01"].citations == 3
    assert periods["other.example", "2023-01"].sources == 1


def test_projections_are_filled() -> None:
    result = analyse(_three_articles(), options=AnalysisOptions(min_shared=1))
    assert result.cocitation is not None and result.coupling is not None
    pairs = {frozenset((e.a, e.b)) for e in result.cocitation.edges}
    assert frozenset(("yna.co.kr", "gallup.co.kr")) in pairs
    coupled = {frozenset((e.a, e.b)) for e in result.coupling.edges}
    assert coupled == {frozenset(("1", "2"))}


def test_duplicate_article_counts_once() -> None:
    first = extracted("1", links("https://en.yna.co.kr/a"))
    second = extracted("1", links("https://www.reuters.com/a"))
    result = analyse([first, second])
    assert [a.id for a in result.articles] == ["1"]
    assert [o.source.key for o in result.outlets] == ["reuters.com"]


def test_empty_input() -> None:
    result = analyse([])
    assert result.summary is not None and result.summary.articles == 0
    assert result.graph.number_of_nodes() == 0
    assert result.cocitation is not None and result.cocitation.edges == ()


def _wp(corpus: Path) -> Analysis:
    return analyse(_extractions(corpus / "wp"))


@pytest.mark.corpus
def test_wordpress_lists(corpus: Path) -> None:
    result = _wp(corpus)
    assert result.summary is not None
    assert result.summary.articles == 383  # 373 + 10; the single-post copies count once
    sites = {a.site for a in result.articles}
    assert sites == {"izquierdahispanica.org", "tuqulore.com"}
    # links between izquierdahispanica.org and www.izquierdahispanica.org are internal
    assert "izquierdahispanica.org" not in {o.source.key for o in result.outlets}
    assert result.summary.internal > 100
    assert any(o.source.kind is SourceKind.NEWSPAPER for o in result.outlets)  # elpais.com
    assert result.graph.number_of_edges() > 100
    assert len(result.periods) > 20


@pytest.mark.corpus
@pytest.mark.slow
def test_saved_pages_analyse(corpus: Path, tmp_path: Path) -> None:
    """All 311 saved news pages go through analyse (full-page bodies, attributions)."""
    result = analyse(_extractions(corpus / "readability", corpus / "scrapinghub-aeb"))
    assert result.summary is not None and result.summary.articles >= 300
    assert all(o.source.rule for o in result.outlets)
    kinds = {f.kind for f in result.findings}
    assert {FindingKind.UNLINKED_ATTRIBUTION, FindingKind.HOMEPAGE,
            FindingKind.SHORTENED} <= kinds
    back = read_graph(export_graph(result.graph, tmp_path / "pages.graphml"))
    assert back.number_of_edges() == result.graph.number_of_edges()


def test_options_switch_off_attributions_and_projections() -> None:
    art = extracted("1", "<p>Yonhap reported it. " + links("https://en.yna.co.kr/a")[3:])
    full = analyse([art])
    assert any(f.kind is FindingKind.UNLINKED_ATTRIBUTION for f in full.findings)
    lean = analyse([art], options=AnalysisOptions(attributions=False, projections=False))
    assert not any(f.kind is FindingKind.UNLINKED_ATTRIBUTION for f in lean.findings)
    assert lean.cocitation is None and lean.coupling is None
    assert lean.graph.number_of_edges() == full.graph.number_of_edges() == 1
