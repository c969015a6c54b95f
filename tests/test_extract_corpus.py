"""Every full page of the shared corpus extracts without an exception, in both modes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from linkgraph.extract.extractor import extract
from linkgraph.readers.html import parse_html_page
from linkgraph.records import Article, CitationKind
from linkgraph.urls import grouping_key, grouping_key_reference

READABILITY_BASE = "http://fakehost/test/page.html"


def _pages(corpus: Path) -> list[tuple[str, bytes, str]]:
    pages = [
        (f"readability/{p.name}", p.read_bytes(), READABILITY_BASE)
        for p in sorted((corpus / "readability").glob("*.html"))
    ]
    urls = json.loads((corpus / "scrapinghub-aeb" / "urls.json").read_text("utf-8"))
    for p in sorted((corpus / "scrapinghub-aeb" / "html").glob("*.html.gz")):
        pages.append((f"scrapinghub-aeb/{p.name}", gzip.decompress(p.read_bytes()), urls[p.name]))
    return pages


@pytest.mark.slow
def test_all_corpus_pages_extract(corpus: Path) -> None:
    pages = _pages(corpus)
    assert len(pages) == 311
    body_total = every_total = 0
    for path, data, base in pages:
        article = parse_html_page(data, path, base=base)
        assert isinstance(article, Article), path
        every = extract(article, all_links=True)
        body = extract(article)
        assert len(body.citations) <= len(every.citations), path
        assert {c.href for c in body.citations} <= {c.href for c in every.citations}, path
        for citation in every.citations:
            assert citation.kind is not CitationKind.UNRESOLVABLE, (path, citation.href)
            if citation.url:
                # The fast grouping key agrees with the reference implementation.
                url = citation.url
                assert grouping_key(url) == grouping_key_reference(url), url
        body_total += len(body.citations)
        every_total += len(every.citations)
    # Most links on a news page are not citations.
    assert body_total < every_total / 2
