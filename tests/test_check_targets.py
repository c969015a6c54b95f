"""Which URLs a check run takes from extractions: external ones, once, with the earliest date."""

from __future__ import annotations

from datetime import UTC, datetime

from linkgraph.check import cited_urls
from linkgraph.records import Article, BodyKind, Citation, CitationKind, Extraction, Origin


def _extraction(article_id: str, published: datetime | None, links: list[tuple[str, CitationKind]]
                ) -> Extraction:
    article = Article(id=article_id, url=None, site=None, title="", published=published,
                      modified=None, origin=Origin("x.json"), html="", body_kind=BodyKind.FRAGMENT)
    citations = tuple(
        Citation(article_id=article_id, position=i, paragraph=0, href=url, url=url, key=None,
                 domain=None, text="t", context="c", kind=kind)
        for i, (url, kind) in enumerate(links)
    )
    return Extraction(article=article, citations=citations)


A, B = "https://a.test/1", "https://b.test/"


def test_cited_urls_keeps_the_earliest_publication_date() -> None:
    early, late = datetime(2020, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)
    external, internal = CitationKind.EXTERNAL, CitationKind.INTERNAL
    urls = cited_urls([
        _extraction("late", late, [(A, external), ("https://own.test/", internal)]),
        _extraction("undated", None, [(A, external), (B, external)]),
        _extraction("early", early, [(A, external), (B, external)]),
    ])
    assert urls == {A: early, B: early}
