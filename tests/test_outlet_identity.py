"""Outlets are real sites and accounts (issue 15 item 11): a doubled scheme is a malformed
URL, never an outlet called "http"; an old Facebook page URL is the page's account."""

from __future__ import annotations

import pytest

from linkgraph.analysis import analyse
from linkgraph.analysis.records import FindingKind
from linkgraph.extract.extractor import extract
from linkgraph.records import Article, BodyKind, CitationKind, Origin
from linkgraph.sources import default_registry


def _article(html: str) -> Article:
    return Article(
        id="t", url="https://news.example/2024/a", site="news.example", title="",
        published=None, modified=None, origin=Origin("t.html"), html=f"<p>{html}</p>",
        body_kind=BodyKind.FRAGMENT, site_domains=("news.example",),
    )


DOUBLED = ["http://http://site.example/report", "https://https://site.example/report",
           "http://https//site.example/report", "http://http/site.example/report",
           "HTTP://HTTP://site.example/report"]


@pytest.mark.parametrize("href", DOUBLED)
def test_doubled_scheme_is_an_invalid_link(href: str) -> None:
    (citation,) = extract(_article(f'The <a href="{href}">report</a> says so.')).citations
    assert (citation.kind, citation.url, citation.domain) == (CitationKind.INVALID, None, None)
    assert citation.href == href  # kept as written, for the editor to fix


def test_doubled_scheme_is_a_problem_not_an_outlet() -> None:
    html = ('The <a href="http://http://site.example/report">report</a> and '
            '<a href="https://gov.example/data">the data</a>.')
    analysis = analyse([extract(_article(html))])
    assert [o.source.key for o in analysis.outlets] == ["gov.example"]
    assert "http" not in analysis.graph
    invalid = [f for f in analysis.findings if f.kind is FindingKind.INVALID]
    assert [f.detail for f in invalid] == ["http://http://site.example/report"]


@pytest.mark.parametrize("url", ["http://http//site.example/x", "https://https/x"])
def test_registry_names_no_outlet_after_a_scheme(url: str) -> None:
    assert default_registry().classify(url).rule == "no-host"


def test_old_facebook_page_url_is_the_page_account_in_the_graph() -> None:
    html = ('Posted on <a href="http://www.facebook.com/pages/Spacecom/17610706465">its page</a>'
            ' and <a href="https://www.facebook.com/pages/Other-Page/42">another</a>.')
    analysis = analyse([extract(_article(html))])
    keys = sorted(o.source.key for o in analysis.outlets)
    assert keys == ["facebook.com/other-page", "facebook.com/spacecom"]
