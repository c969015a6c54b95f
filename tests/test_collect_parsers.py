"""Sitemaps, feeds and URL lists: real samples, real-shaped documents, hostile documents."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from linkgraph.collect.feeds import FeedKind, entry_article, parse_feed
from linkgraph.collect.sitemaps import (
    SitemapEntry,
    SitemapKind,
    SitemapProblem,
    parse_sitemap,
    robots_sitemaps,
    walk_sitemaps,
)
from linkgraph.collect.urllists import parse_url_csv, parse_url_lines, read_url_sources
from linkgraph.errors import InputError
from linkgraph.extract.extractor import extract
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article

SITE = "https://news.example"

# WordPress 5.5+ core sitemap index, as /wp-sitemap.xml serves it (its XSL line included).
WP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="https://news.example/wp-sitemap-index.xsl" ?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/wp-sitemap-posts-post-1.xml</loc></sitemap>
<sitemap><loc>https://news.example/wp-sitemap-posts-page-1.xml</loc></sitemap>
<sitemap><loc>https://news.example/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>
</sitemapindex>"""

# Google's News sitemap example (publication name, language, date, title).
NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>http://www.example.org/business/article55.html</loc>
    <news:news>
      <news:publication><news:name>The Example Times</news:name>
        <news:language>en</news:language></news:publication>
      <news:publication_date>2008-12-23</news:publication_date>
      <news:title>Companies A, B in Merger Talks</news:title>
    </news:news>
  </url>
  <url>
    <loc>/business/article56.html</loc>
    <lastmod>2024-02-03T04:05:06+01:00</lastmod>
    <news:news><news:publication_date>2024-02-01T08:00:00Z</news:publication_date></news:news>
  </url>
  <url><loc>mailto:desk@example.org</loc></url>
  <url><lastmod>2024-01-01</lastmod></url>
</urlset>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol2;</loc></url></urlset>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&secret;</loc></url></urlset>"""


def test_real_sitemaps(fixtures: Path) -> None:
    folder = fixtures / "collect"
    plain = parse_sitemap((folder / "sitemap.xml").read_bytes(), "https://www.sitemaps.org/s.xml")
    assert plain.kind is SitemapKind.URLSET and len(plain.entries) == 84 and not plain.problems
    assert plain.entries[0] == SitemapEntry("https://www.sitemaps.org/",
                                            datetime(2016, 11, 21, tzinfo=UTC),
                                            sitemap="https://www.sitemaps.org/s.xml")
    zipped = parse_sitemap((folder / "sitemap.xml.gz").read_bytes(), "https://www.sitemaps.org/s.xml")
    assert zipped.entries == plain.entries
    index = parse_sitemap((folder / "sitemap2.xml").read_bytes(), "http://www.example.com/i.xml")
    assert index.kind is SitemapKind.INDEX
    assert index.sitemaps == ("http://www.example.com/sitemap1.xml.gz",
                              "http://www.example.com/sitemap2.xml.gz")  # the CDATA one too
    hreflang = parse_sitemap((folder / "sitemap-hreflang.xml").read_bytes(), "http://x.example/")
    assert [e.url for e in hreflang.entries][:2] == ["http://www.example.com/english/page.html",
                                                     "http://www.example.com/deutsch/page.html"]


def test_news_sitemap_dates_relative_and_bad_locs() -> None:
    sitemap = parse_sitemap(NEWS, "http://www.example.org/news-sitemap.xml")
    first, second = sitemap.entries
    assert (first.published, first.title, first.lastmod) == (
        datetime(2008, 12, 23, tzinfo=UTC), "Companies A, B in Merger Talks", None)
    assert second.url == "http://www.example.org/business/article56.html"
    assert second.date == datetime(2024, 2, 1, 8, tzinfo=UTC)  # publication before lastmod
    assert second.lastmod is not None and second.lastmod.utcoffset() is not None
    assert sitemap.problems == (
        "http://www.example.org/news-sitemap.xml: entry 3: <loc> 'mailto:desk@example.org' is"
        " not an http(s) URL; dropped",
        "http://www.example.org/news-sitemap.xml: entry 4: no <loc>; dropped",
    )


@pytest.mark.parametrize(("data", "message"), [
    (LAUGHS, "refused: the XML declares a DTD"),
    (EXTERNAL, "refused: the XML declares a DTD"),
    (b"<html><body>Not found</body></html>", "not a sitemap: the root element is <html>"),
    (b"<urlset><url><loc>https://a.example/</loc>", "not well-formed XML"),
    (gzip.compress(b"<urlset>")[:-6], "gzip stream truncated"),
    (b'{"code": "rest_no_route"}', "not a sitemap (neither XML nor a list of URLs)"),
])
def test_hostile_or_wrong_documents_are_refused_by_name(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_sitemap(data, "https://a.example/sitemap.xml")
    assert str(caught.value).startswith("https://a.example/sitemap.xml: ")
    assert message in str(caught.value)


def test_text_sitemap() -> None:
    sitemap = parse_sitemap(b"https://a.example/1\n\nhttps://a.example/2\nftp://x/\n", "t.txt")
    assert sitemap.kind is SitemapKind.TEXT
    assert [e.url for e in sitemap.entries] == ["https://a.example/1", "https://a.example/2"]
    assert sitemap.problems == ("t.txt: line 4: 'ftp://x/' is not an http(s) URL",)


def test_robots_sitemap_lines() -> None:
    robots = ("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
              "Sitemap: https://news.example/wp-sitemap.xml\nSITEMAP:/news-sitemap.xml\n"
              "sitemap: https://news.example/wp-sitemap.xml\n# Sitemap: /commented.xml\n")
    assert robots_sitemaps(robots, "https://news.example/robots.txt") == [
        "https://news.example/wp-sitemap.xml", "https://news.example/news-sitemap.xml"]


def urlset(urls: list[str]) -> bytes:
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'.encode()


def index_of(urls: list[str]) -> bytes:
    body = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'.encode()


def test_walk_follows_indexes_once_and_goes_on_after_a_failure() -> None:
    docs = {
        f"{SITE}/wp-sitemap.xml": WP_INDEX,
        f"{SITE}/wp-sitemap-posts-post-1.xml": urlset([f"{SITE}/a", f"{SITE}/b"]),
        f"{SITE}/wp-sitemap-posts-page-1.xml": urlset([f"{SITE}/b", f"{SITE}/about"]),
    }
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        if url not in docs:
            raise OSError("HTTP 404")
        return docs[url]

    items = list(walk_sitemaps([f"{SITE}/wp-sitemap.xml", f"{SITE}/wp-sitemap.xml"], fetch))
    assert [i.url for i in items if isinstance(i, SitemapEntry)] == [
        f"{SITE}/a", f"{SITE}/b", f"{SITE}/about"]
    assert [i.message for i in items if isinstance(i, SitemapProblem)] == [
        f"{SITE}/wp-sitemap-taxonomies-category-1.xml: HTTP 404"]
    assert len(fetched) == 4  # the root named twice is fetched once


def test_an_endless_index_stops_at_the_caps() -> None:
    """Each index lists two new ones: without caps the walk would never end."""
    def deeper(url: str) -> bytes:
        return index_of([url + "/0", url + "/1"])

    items = list(walk_sitemaps([f"{SITE}/s"], deeper, max_depth=3, max_sitemaps=1000))
    assert all(isinstance(i, SitemapProblem) for i in items)
    assert len(items) == 8 and "nested deeper than 3 levels" in items[0].message
    fetched: list[str] = []

    def counted(url: str) -> bytes:
        fetched.append(url)
        return deeper(url)

    (capped,) = walk_sitemaps([f"{SITE}/s"], counted, max_depth=50, max_sitemaps=20)
    assert isinstance(capped, SitemapProblem) and len(fetched) == 20
    assert "sitemap cap of 20 documents reached; 21 more sitemaps not read" in capped.message

    def itself(url: str) -> bytes:  # an index that lists itself
        return index_of([url])

    assert list(walk_sitemaps([f"{SITE}/loop"], itself)) == []


WP_RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
 xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel><title>{title}</title>
<atom:link href="{site}/feed/" rel="self" type="application/rss+xml" />
<link>{site}</link><description>News</description><language>en-US</language>
<generator>https://wordpress.org/?v=6.4.2</generator>
{items}</channel></rss>"""

WP_ITEM = """<item><title>{title}</title><link>{link}</link>
<dc:creator><![CDATA[desk]]></dc:creator><pubDate>{date}</pubDate>
<category><![CDATA[World]]></category>
<guid isPermaLink="false">{site}/?p={id}</guid>
<description><![CDATA[{excerpt}]]></description>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wfw:commentRss>{link}feed/</wfw:commentRss><slash:comments>0</slash:comments></item>"""


@pytest.mark.corpus
def test_a_wordpress_feed_of_real_posts_cites_what_the_posts_cite(corpus: Path) -> None:
    raw = (corpus / "wp" / "design-lab.tuqulore.com" / "posts.json").read_bytes()
    posts = json.loads(raw)
    site = "https://design-lab.tuqulore.com"
    items = "".join(WP_ITEM.format(
        title=escape(p["title"]["rendered"]), link=escape(p["link"]), site=site, id=p["id"],
        date=datetime.fromisoformat(p["date_gmt"]).replace(tzinfo=UTC).strftime(
            "%a, %d %b %Y %H:%M:%S +0000"),
        excerpt=p["excerpt"]["rendered"], content=p["content"]["rendered"]) for p in posts)
    feed = parse_feed(WP_RSS.format(title="Design Lab", site=site, items=items).encode(),
                      f"{site}/feed/")
    assert feed.kind is FeedKind.RSS2 and not feed.problems
    assert [e.url for e in feed.entries] == [p["link"] for p in posts]
    assert [e.published for e in feed.entries] == [
        datetime.fromisoformat(p["date_gmt"]).replace(tzinfo=UTC) for p in posts]
    from_posts = [a for a in parse_wordpress(raw, "posts.json") if isinstance(a, Article)]
    for entry, post in zip(feed.entries, from_posts, strict=True):
        article = entry_article(entry, feed)
        assert article is not None and article.url == post.url
        assert [c.url for c in extract(article).citations] == [
            c.url for c in extract(post).citations]


ATOM_XHTML = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/">
  <title type="text">Blog</title>
  <entry>
    <title type="html">A &lt;em&gt;fine&lt;/em&gt; day</title>
    <link rel="alternate" type="text/html" href="2024/05/fine-day"/>
    <link rel="replies" href="2024/05/fine-day#comments"/>
    <published>2024-05-01T09:00:00+02:00</published><updated>2024-05-02T10:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Lead <p>As
      <a href="https://source.example/report">the report</a> says.</p></div></content>
  </entry>
  <entry><title>No link</title><id>urn:x</id></entry>
</feed>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel rdf:about="http://xml.com/xml/news.rss"><title>XML.com</title>
    <link>http://xml.com/pub</link></channel>
  <item rdf:about="http://xml.com/pub/2000/08/09/xslt/xslt.html">
    <title>Processing Inclusions with XSLT</title>
    <link>http://xml.com/pub/2000/08/09/xslt/xslt.html</link>
    <dc:date>2000-08-09T12:00:00-05:00</dc:date>
    <content:encoded>&lt;p&gt;See &lt;a href="/spec"&gt;the spec&lt;/a&gt;&lt;/p&gt;
    </content:encoded>
  </item>
</rdf:RDF>"""


def test_atom_and_rss1_feeds(fixtures: Path) -> None:
    atom = parse_feed(ATOM_XHTML, "https://blog.example/feed.atom")
    (entry,) = atom.entries
    assert (atom.kind, entry.url, entry.title) == (
        FeedKind.ATOM, "https://blog.example/2024/05/fine-day", "A fine day")
    assert entry.published == datetime.fromisoformat("2024-05-01T09:00:00+02:00")
    assert atom.problems == ("https://blog.example/feed.atom: entry 2: no link; dropped",)
    article = entry_article(entry, atom)
    assert article is not None
    assert [c.url for c in extract(article).citations] == ["https://source.example/report"]
    rdf = parse_feed(RSS1, "http://xml.com/xml/news.rss")
    (item,) = rdf.entries
    assert (rdf.kind, rdf.title, item.published) == (
        FeedKind.RSS1, "XML.com", datetime.fromisoformat("2000-08-09T12:00:00-05:00"))
    rdf_article = entry_article(item, rdf)
    assert rdf_article is not None
    assert [c.url for c in extract(rdf_article).citations] == ["http://xml.com/spec"]
    example = parse_feed((fixtures / "collect" / "feed1.atom").read_bytes(), "http://example.org/a")
    assert [e.url for e in example.entries] == ["http://example.org/2003/12/13/atom03"]
    assert len(example.problems) == 1  # the entry that links only rel="self"
    rss = parse_feed((fixtures / "collect" / "feed2.rss").read_bytes(), "http://www.example.com/r")
    assert [(e.url, e.content_html) for e in rss.entries] == [
        ("http://www.example.com/blog/post/1", None)]
    assert entry_article(rss.entries[0], rss) is None  # an excerpt is not the article


@pytest.mark.parametrize(("data", "message"), [
    (b"<html><head><title>Blocked</title></head></html>", "not an RSS or Atom feed"),
    (b'<rss version="2.0"></rss>', "RSS without a <channel>"),
    (LAUGHS.replace(b"urlset", b"rss"), "refused: the XML declares a DTD"),
])
def test_wrong_feeds_are_refused_by_name(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_feed(data, "https://a.example/feed")


# (text, URLs, problems)
URL_LINES = [
    ("https://a.example/1\n# comment\n\n  https://a.example/2  \n", ["1", "2"], []),
    ("\ufeffhttps://a.example/1\r\nhttp://a.example/3\r\n", ["1", "http:3"], []),
    ("https://a.example/1\nwww.a.example/2\njavascript:alert(1)\nhttps://a b/\n", ["1"],
     ["l.txt:2: 'www.a.example/2' is not an absolute http(s) URL",
      "l.txt:3: 'javascript:alert(1)' is not an absolute http(s) URL",
      "l.txt:4: 'https://a b/' is not an absolute http(s) URL"]),
    ("https://user:pw@a.example/1\n", ["1"], []),  # credentials are dropped
]


@pytest.mark.parametrize(("text", "expected", "problems"), URL_LINES)
def test_url_lines(text: str, expected: list[str], problems: list[str]) -> None:
    urls, found = parse_url_lines(text, "l.txt")
    wanted = [f"http://a.example/{e[5:]}" if e.startswith("http:") else f"https://a.example/{e}"
              for e in expected]
    assert [u.url for u in urls] == wanted
    assert found == problems


def test_url_csv_columns_and_problems() -> None:
    text = "title,URL,date\nA,https://a.example/1,2024\nB,,2024\nC,nope,2024\n,,\n"
    urls, problems = parse_url_csv(text, "l.csv")
    assert [(u.url, u.line) for u in urls] == [("https://a.example/1", 2)]
    assert problems == ["l.csv:3: no URL in column 'url'",
                        "l.csv:4: 'nope' is not an absolute http(s) URL"]
    semicolons, _ = parse_url_csv("id;link\n1;https://a.example/x\n", "l.csv")
    assert [u.url for u in semicolons] == ["https://a.example/x"]
    with pytest.raises(InputError, match="no url or link or href or loc column"):
        parse_url_csv("title,date\nA,2024\n", "l.csv")


def test_url_sources_arguments_files_and_stdin(tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("https://a.example/2\nhttps://a.example/1\n")
    table = tmp_path / "export"  # a CSV without the name: its header says so
    table.write_text("url,title\nhttps://a.example/3,T\n")
    urls, problems = read_url_sources(
        ["https://a.example/1", "-", "bad"], [str(listed), str(table)],
        stdin=io.StringIO("https://a.example/4\n"))
    assert [u.url for u in urls] == [f"https://a.example/{n}" for n in (1, 4, 2, 3)]
    assert [(u.source, u.line) for u in urls][:2] == [("<arguments>", 0), ("<stdin>", 1)]
    assert problems == ["<arguments>: 'bad' is not an absolute http(s) URL"]
    with pytest.raises(InputError, match="cannot read the URL list"):
        read_url_sources([], [str(tmp_path / "missing.txt")])
