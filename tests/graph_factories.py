"""Small hand-made articles for the sources/graph/analysis tests, extracted for real."""

from __future__ import annotations

from datetime import UTC, datetime

from linkgraph.extract.extractor import extract
from linkgraph.records import Article, BodyKind, Extraction, Origin


def article(
    ident: str,
    html: str,
    *,
    site: str = "koreapro.org",
    published: datetime | None = None,
    url: str | None = None,
    site_domains: tuple[str, ...] = (),
) -> Article:
    """A WordPress-like article fragment of *site*."""
    return Article(
        id=ident,
        url=url or f"https://{site}/2023/02/{ident}/",
        site=site,
        title=f"Article {ident}",
        published=published or datetime(2023, 2, 27, tzinfo=UTC),
        modified=None,
        origin=Origin(f"{ident}.json"),
        html=html,
        body_kind=BodyKind.FRAGMENT,
        site_domains=site_domains or (site,),
    )


def extracted(ident: str, html: str, **kwargs: object) -> Extraction:
    """``article(...)`` run through the real extractor."""
    return extract(article(ident, html, **kwargs))  # type: ignore[arg-type]


def links(*urls: str) -> str:
    """A paragraph linking each URL once, with anchor texts ``l0``, ``l1``, ..."""
    anchors = " ".join(f'<a href="{u}">l{i}</a>.' for i, u in enumerate(urls))
    return f"<p>Sources: {anchors}</p>"
