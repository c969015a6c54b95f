"""A blog on a shared host (data/shared_hosts.csv) is its own site: a link from one
wordpress.com blog to another is external, a link to the blog itself internal (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkgraph.analysis import analyse
from linkgraph.analysis.build import own_outlets
from linkgraph.extract.extractor import extract
from linkgraph.extract.page_links import own_sites
from linkgraph.readers.html import parse_html_page
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article, BodyKind, CitationKind, Origin
from linkgraph.sources import default_registry
from linkgraph.sources.shared_hosts import site_of, url_site


@pytest.mark.parametrize(("host", "site"), [
    ("a.wordpress.com", "a.wordpress.com"),
    ("www.a.wordpress.com", "a.wordpress.com"),
    ("a.files.wordpress.com", "a.wordpress.com"),  # the blog's own media host
    ("wordpress.com", "wordpress.com"),  # the host itself is WordPress.com's site
    ("s0.wordpress.com", "wordpress.com"),  # one of the service's own hosts
    ("x.blogspot.com.es", "x.blogspot.com"),  # Blogger's country domains: one blog
    ("x.blogspot.co.uk", "x.blogspot.com"),
    ("x.blogspot.com", "x.blogspot.com"),
    ("1.bp.blogspot.com", "bp.blogspot.com"),  # Blogger's picture host is no blog
    ("mcupdate.tumblr.com", "mcupdate.tumblr.com"),
    ("www.bbc.co.uk", "bbc.co.uk"),  # everything else: the registered domain
    ("127.0.0.1", "127.0.0.1"),
    ("", None),
    (None, None),
])
def test_site_of(host: str | None, site: str | None) -> None:
    assert site_of(host) == site


def test_url_site() -> None:
    assert url_site("https://A.WordPress.com/2014/x/") == "a.wordpress.com"
    assert url_site(None) is None


def _article(url: str, site: str, html: str) -> Article:
    return Article(
        id="blog", url=url, site=site, title="", published=None, modified=None,
        origin=Origin("blog.html"), html=html, body_kind=BodyKind.FRAGMENT, site_domains=(site,),
    )


WORDPRESS = (
    "<p>As <a href='https://b.wordpress.com/2014/other/'>another blog argued</a>, and as"
    " <a href='https://a.wordpress.com/2014/other-post/'>I wrote last week</a>, the plan"
    " failed, according to <a href='https://www.reuters.com/world/x'>Reuters</a>.</p>"
)


def _kinds(article: Article) -> dict[str, CitationKind]:
    return {c.url or "": c.kind for c in extract(article).citations}


def test_another_blog_on_the_host_is_external() -> None:
    """Before, the article's site was wordpress.com: b.wordpress.com was internal."""
    article = _article("https://a.wordpress.com/2014/post/", "a.wordpress.com", WORDPRESS)
    assert _kinds(article) == {
        "https://b.wordpress.com/2014/other/": CitationKind.EXTERNAL,
        "https://a.wordpress.com/2014/other-post/": CitationKind.INTERNAL,
        "https://www.reuters.com/world/x": CitationKind.EXTERNAL,
    }
    analysis = analyse([extract(article)])
    assert analysis.summary is not None
    assert (analysis.summary.external, analysis.summary.internal) == (2, 1)
    assert sorted(o.source.key for o in analysis.outlets) == ["b.wordpress.com", "reuters.com"]


def test_a_stored_article_naming_the_host_as_its_site() -> None:
    """An article read before this change names wordpress.com as its site (a store keeps it):
    the blog of its URL is its own site, the rest of the host is not."""
    article = _article("https://a.wordpress.com/2014/post/", "wordpress.com", WORDPRESS)
    assert own_sites(article) == ("a.wordpress.com",)
    kinds = _kinds(article)
    assert kinds["https://b.wordpress.com/2014/other/"] is CitationKind.EXTERNAL
    assert kinds["https://a.wordpress.com/2014/other-post/"] is CitationKind.INTERNAL
    own = own_outlets(article, default_registry())
    assert "a.wordpress.com" in own and "wordpress.com" not in own
    outlets = sorted(o.source.key for o in analyse([extract(article)]).outlets)
    assert outlets == ["b.wordpress.com", "reuters.com"]


BLOGGER = (
    "<p>As <a href='https://otro.blogspot.com.es/2014/x.html'>otro blog</a> and"
    " <a href='https://tercero.blogspot.com/2014/y.html'>a third</a> said, and as"
    " <a href='https://x.blogspot.com/2014/own.html'>this blog</a> said in"
    " <a href='https://x.blogspot.com.es/2013/older.html'>an older post</a>.</p>"
)


def test_blogger_blogs_are_sites_and_country_domains_are_one_blog() -> None:
    """Blogger serves one blog on every country domain (x.blogspot.com.es is x.blogspot.com):
    a link between the two spellings is internal, a link to another blog external."""
    site = url_site("https://x.blogspot.com.es/2014/post.html")
    assert site == "x.blogspot.com"
    article = _article("https://x.blogspot.com.es/2014/post.html", site, BLOGGER)
    assert _kinds(article) == {
        "https://otro.blogspot.com.es/2014/x.html": CitationKind.EXTERNAL,
        "https://tercero.blogspot.com/2014/y.html": CitationKind.EXTERNAL,
        "https://x.blogspot.com/2014/own.html": CitationKind.INTERNAL,
        "https://x.blogspot.com.es/2013/older.html": CitationKind.INTERNAL,
    }
    outlets = {o.source.key for o in analyse([extract(article)]).outlets}
    assert outlets == {"otro.blogspot.com.es", "tercero.blogspot.com"}


def test_a_wordpress_post_on_a_blog_names_the_blog_as_its_site() -> None:
    post = {"id": 7, "link": "https://a.wordpress.com/2014/post/",
            "guid": {"rendered": "http://a.wordpress.com/?p=7"},
            "title": {"rendered": "T"}, "content": {"rendered": WORDPRESS}}
    [article] = parse_wordpress(json.dumps([post]).encode(), "posts.json")
    assert isinstance(article, Article)
    assert (article.site, article.site_domains) == ("a.wordpress.com", ("a.wordpress.com",))
    kinds = _kinds(article)
    assert kinds["https://b.wordpress.com/2014/other/"] is CitationKind.EXTERNAL
    assert kinds["https://a.wordpress.com/2014/other-post/"] is CitationKind.INTERNAL


def test_corpus_tumblr_page_is_its_blog(corpus: Path) -> None:
    """readability's tumblr.html, a post of mcupdate.tumblr.com, had the site tumblr.com."""
    article = parse_html_page((corpus / "readability" / "tumblr.html").read_bytes(),
                              "tumblr.html")
    assert isinstance(article, Article)
    assert article.site == "mcupdate.tumblr.com"


def test_corpus_blogger_page_read_from_a_country_domain(corpus: Path) -> None:
    """readability's blogger.html read as Blogger serves it in Spain: its site is the blog
    (it was blogspot.com.es, the whole country domain of Blogger, so every Spanish Blogger
    blog it links to would have been internal)."""
    path = corpus / "readability" / "blogger.html"
    article = parse_html_page(
        path.read_bytes(), "blogger.html",
        base="http://siliconexposed.blogspot.com.es/2016/05/open-verilog-flow-for-silego-greenpak4.html",
    )
    assert isinstance(article, Article)
    assert article.site_domains == ("siliconexposed.blogspot.com",)
    assert own_sites(article) == ("siliconexposed.blogspot.com",)
    kinds = {c.url: c.kind for c in extract(article).citations if c.url}
    assert kinds, "the page's links were found"
    for url, kind in kinds.items():
        if url_site(url) == "siliconexposed.blogspot.com":
            assert kind in (CitationKind.INTERNAL, CitationKind.FRAGMENT, CitationKind.PICTURE)
        elif kind is not CitationKind.PICTURE:
            assert kind is not CitationKind.INTERNAL, url
