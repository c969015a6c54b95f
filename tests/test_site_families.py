"""Site families (data/site_families.csv): a site's own family of domains is internal."""

from __future__ import annotations

from linkgraph.analysis import analyse
from linkgraph.analysis.build import own_outlets
from linkgraph.extract.extractor import extract
from linkgraph.records import Article, BodyKind, CitationKind, Origin
from linkgraph.sources import default_registry
from linkgraph.sources.site_families import is_sister_site, site_families, site_family


def _bbc_article(html: str) -> Article:
    return Article(
        id="bbc", url="https://www.bbc.com/news/world-1", site="bbc.com", title="",
        published=None, modified=None, origin=Origin("bbc.html"), html=html,
        body_kind=BodyKind.FRAGMENT, site_domains=("bbc.com",),
    )


PAGE = (
    "<p>As <a href='https://www.bbc.co.uk/news/uk-2'>our UK desk reported</a>, the minister"
    " resigned, according to <a href='https://www.reuters.com/world/x'>Reuters</a>.</p>"
)


def test_link_to_a_sister_domain_is_internal() -> None:
    """Issue 15: bbc.com's links to bbc.co.uk counted as external."""
    sister, outside = extract(_bbc_article(PAGE)).citations
    assert (sister.domain, sister.kind) == ("bbc.co.uk", CitationKind.INTERNAL)
    assert (outside.domain, outside.kind) == ("reuters.com", CitationKind.EXTERNAL)


def test_analysis_counts_the_family_as_the_own_outlet() -> None:
    analysis = analyse([extract(_bbc_article(PAGE))])
    assert analysis.summary is not None
    assert (analysis.summary.external, analysis.summary.internal) == (1, 1)
    assert [o.source.key for o in analysis.outlets] == ["reuters.com"]
    assert not [f for f in analysis.findings if f.kind.value == "self_citation"]


def test_own_outlets_cover_the_family() -> None:
    article = _bbc_article("")
    assert "bbc.co.uk" in own_outlets(article, default_registry())


def test_family_domains_are_one_outlet_of_the_registry() -> None:
    """The table and outlets.csv agree: each family is one outlet."""
    reg = default_registry()
    for domain, family in site_families().items():
        assert domain in family and len(family) >= 2
        keys = {reg.classify(f"https://{member}/").key for member in family}
        assert len(keys) == 1, f"{sorted(family)} are outlets {sorted(keys)}"


def test_sister_look_up() -> None:
    assert site_family("example.org") == frozenset({"example.org"})
    assert is_sister_site("koreapro.org", ("nknews.org",))
    assert not is_sister_site("koreapro.org", (None,))
    assert not is_sister_site("example.org", ("example.org",))  # the site itself: no family


def test_ap_story_linking_apnews_is_internal() -> None:
    """A story served on hosted.ap.org links AP's own apnews.com pages (seven self-citation
    "problems" on the corpus before the family was known)."""
    article = Article(
        id="ap", url="https://hosted.ap.org/paper/article/1/x", site="ap.org", title="",
        published=None, modified=None, origin=Origin("ap.html"), body_kind=BodyKind.FRAGMENT,
        html="<p>Read <a href='https://apnews.com/Brexit'>more on Brexit</a> here.</p>",
        site_domains=("ap.org",),
    )
    (citation,) = extract(article).citations
    assert citation.kind is CitationKind.INTERNAL
