"""Picture links: a picture alone linked to its image file is a body link, checked, but no source.

Whether a link belongs to the body and whether it cites a source are two questions (issue 15,
item 11).  The body labels count a picture linked to its image file as a body link, so
extraction keeps it, with the kind ``picture``; analysis counts it apart (no outlet, no edge, no
metric, no problem about sources) and the checker still checks it.  A picture linked to a web
page stays a citation (its anchor text is the picture's alt text); ``--explain`` marks it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from checkserver import CheckServer
from click.testing import CliRunner

import linkgraph.cli.check as check_cli
from linkgraph.analysis import analyse
from linkgraph.check import StaticResolver, cited_urls
from linkgraph.cli import main
from linkgraph.extract import extract
from linkgraph.extract.explain import explain_links
from linkgraph.extract.pictures import is_image_url, same_picture
from linkgraph.readers.html import parse_html_page
from linkgraph.records import Article, BodyKind, CitationKind, Origin
from linkgraph.store import Store

READABILITY_BASE = "http://fakehost/test/page.html"


@pytest.mark.parametrize(("url", "image"), [
    ("https://1.bp.blogspot.com/-YIPC/Vy7Y/AAAA/a7D6/s1600/block-diagram.png", True),
    ("https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEh/s1600", True),
    ("https://vignette.wikia.nocookie.net/e80dae8a-b955-43f6-8ada-f023385e622b", True),
    ("https://i0.wp.com/wptavern.com/wp-content/uploads/2016/07/stack-overflow.png?ssl=1", True),
    ("https://9to5mac.com/wp-content/uploads/sites/6/2019/11/HNG02.jpeg?quality=82", True),
    ("https://news.example/wp-content/uploads/2020/01/annual-report.pdf", False),
    ("https://www.youtube.com/watch?v=1R9_WdXwUsE", False),
    ("https://www.jpl.nasa.gov/spaceimages/details.php?id=PIA23174", False),
    ("http://stevenhgm.pixnet.net/album/photo/470389413", False),
    ("https://wp.com/about", False),  # the bare domain is not the image CDN
    ("https://news.example/img.JPG", True),
])
def test_image_urls(url: str, image: bool) -> None:
    assert is_image_url(url) is image


@pytest.mark.parametrize(("href", "src", "same"), [
    ("https://s.example/wp-content/uploads/a.jpg",
     "https://s.example/wp-content/uploads/a-300x200.jpg", True),
    ("https://2.bp.blogspot.com/-x/A/B/s1600/pic.gif",
     "https://2.bp.blogspot.com/-x/A/B/s640/pic.gif", True),
    ("https://v.example/e80d", "https://v.example/e80d/scale-to-width-down/640?cb=1", True),
    ("https://v.example/e80d", "https://v.example/e80dx", False),
    ("https://a.example/p/1", "https://b.example/p/1", False),
])
def test_same_picture(href: str, src: str, same: bool) -> None:
    assert same_picture(href, src) is same


# A WordPress post's content: three pictures alone in links (to the full size in the uploads,
# to an extensionless CDN address of the picture shown, and to a video page), a text link to a
# picture file, and a source.
_POST = (
    '<p>The minister <a href="https://agency.example/story">announced</a> it.</p>'
    '<p><a href="https://news.example/wp-content/uploads/2024/03/rally.jpg">'
    '<img src="https://news.example/wp-content/uploads/2024/03/rally-300x200.jpg" alt="Rally">'
    "</a></p>"
    '<p><a href="https://cdn.pics.example/e80dae8a">'
    '<img data-src="https://cdn.pics.example/e80dae8a/scale-to-width-down/640" alt=""></a></p>'
    '<p><a href="https://video.example/watch?v=1"><img src="/thumb.jpg" alt="The speech"></a></p>'
    '<p>See <a href="https://stats.example/chart.png">the chart</a>.</p>'
)


def _article(html: str = _POST) -> Article:
    return Article(id="wp:news.example:1", url="https://news.example/2024/03/rally",
                   site="news.example", title="Rally", published=None, modified=None,
                   origin=Origin("post.json"), html=html, body_kind=BodyKind.FRAGMENT,
                   site_domains=("news.example",))


def test_picture_links_are_kept_apart_from_sources() -> None:
    extraction = extract(_article())
    kinds = {c.href: c.kind for c in extraction.citations}
    assert kinds == {
        "https://agency.example/story": CitationKind.EXTERNAL,
        "https://news.example/wp-content/uploads/2024/03/rally.jpg": CitationKind.PICTURE,
        "https://cdn.pics.example/e80dae8a": CitationKind.PICTURE,
        "https://video.example/watch?v=1": CitationKind.EXTERNAL,  # a picture of a page: cited
        "https://stats.example/chart.png": CitationKind.EXTERNAL,  # text of its own: cited
    }
    video = next(c for c in extraction.citations if c.href == "https://video.example/watch?v=1")
    assert video.text == "The speech"  # the alt text, as before
    analysis = analyse([extraction])
    outlets = {o.source.key for o in analysis.outlets}
    assert outlets == {"agency.example", "video.example", "stats.example"}
    summary = analysis.summary
    assert (summary.citations, summary.external, summary.internal, summary.pictures) == (3, 3, 0, 2)
    sources = {n for n, data in analysis.graph.nodes(data=True) if data.get("kind") == "source"}
    assert not any("pics" in n for n in sources)
    stats = analysis.article_stats[0]
    assert (stats.citations, stats.sources) == (3, 3)
    # Still checked: a dead picture is worth fixing.
    assert set(cited_urls([extraction])) == {
        "https://agency.example/story", "https://video.example/watch?v=1",
        "https://stats.example/chart.png",
        "https://news.example/wp-content/uploads/2024/03/rally.jpg",
        "https://cdn.pics.example/e80dae8a",
    }


def test_explain_marks_picture_links() -> None:
    text = "A paragraph long enough to count as article text for the body detector. " * 3
    html = (f'<html><body><div id="story"><p>{text}</p>{_POST}<p>{text}</p></div></body></html>')
    article = Article(id="x", url="https://news.example/a", site="news.example", title="",
                      published=None, modified=None, origin=Origin("x.html"), html=html,
                      body_kind=BodyKind.PAGE, site_domains=("news.example",))
    marked = {d.href: (d.citation.kind.value if d.citation else None, d.picture)
              for d in explain_links(article).links}
    assert marked["https://video.example/watch?v=1"] == ("external", True)
    assert marked["https://cdn.pics.example/e80dae8a"] == ("picture", True)
    assert marked["https://stats.example/chart.png"] == ("external", False)
    assert marked["https://agency.example/story"] == ("external", False)


def _page(corpus: Path, rel: str) -> Article:
    path = corpus / rel
    if rel.startswith("scrapinghub-aeb/"):
        urls = json.loads((corpus / "scrapinghub-aeb" / "urls.json").read_text("utf-8"))
        article = parse_html_page(gzip.decompress(path.read_bytes()), rel, base=urls[path.name])
    else:
        article = parse_html_page(path.read_bytes(), rel, base=READABILITY_BASE)
    assert isinstance(article, Article)
    return article


# Real pages where a picture links to its own image file: (page, picture links, the outlets
# that were cited only by them and are no longer).
_CORPUS_PAGES = [
    ("readability/blogger.html", 3, {"blogspot.com"}),
    ("readability/links-in-tables.html", 2, set()),  # blogspot.com is cited in text too
    ("readability/wikia.html", 3, {"nocookie.net"}),
    ("readability/wordpress.html", 3, {"wp.com"}),
    ("readability/firefox-nightly-blog.html", 3, {"netdna-ssl.com"}),
    # The site's own uploads (internal before): out of the internal count too.
    ("scrapinghub-aeb/html/cc4aa22b8212aec7d289667c0a965569e6f06b9e9196ff8b02219bf2bc1b90d0"
     ".html.gz", 10, set()),
]


@pytest.mark.parametrize(("rel", "pictures", "gone"), _CORPUS_PAGES)
def test_corpus_picture_links(corpus: Path, rel: str, pictures: int, gone: set[str]) -> None:
    extraction = extract(_page(corpus, rel))
    found = [c for c in extraction.citations if c.kind is CitationKind.PICTURE]
    assert len(found) == pictures
    assert all(c.url and c.text == c.text.strip() for c in found)
    analysis = analyse([extraction])
    assert analysis.summary.pictures == pictures
    assert not {c.url for c in found} & set(analysis.sources_by_url)  # never classified
    assert sum(o.citations for o in analysis.outlets) == analysis.summary.external
    assert not gone & {o.source.key for o in analysis.outlets}
    assert all(c.url in cited_urls([extraction]) for c in found)


def test_corpus_picture_of_a_page_stays_a_citation(corpus: Path) -> None:
    """mozilla-2's screenshots link to their videos: citations of YouTube, alt text as anchor."""
    extraction = extract(_page(corpus, "readability/mozilla-2.html"))
    videos = [c for c in extraction.citations if c.domain == "youtube.com"]
    assert len(videos) == 8
    assert {(c.kind, c.text) for c in videos} == {(CitationKind.EXTERNAL, "Screenshot")}
    assert not [c for c in extraction.citations if c.kind is CitationKind.PICTURE]


def test_picture_kind_reads_back_from_the_store(tmp_path: Path) -> None:
    extraction = extract(_article())
    with Store(tmp_path / "news.db") as store:
        store.put_extractions([extraction])
    with Store(tmp_path / "news.db") as store:
        (back,) = list(store.extractions())
        urls = dict(store.external_urls())
    assert [c.kind for c in back.citations] == [c.kind for c in extraction.citations]
    assert "https://cdn.pics.example/e80dae8a" in urls  # the store's URLs to check say the same
    assert set(urls) == set(cited_urls([extraction]))


# --- the checker checks picture links, the report sets them apart ----------------------------

@pytest.fixture(scope="module")
def server() -> Iterator[CheckServer]:
    with CheckServer(("127.0.0.2",)) as srv:
        yield srv


def _post(tmp_path: Path, server: CheckServer) -> Path:
    alive, dead = server.url("pics.test", "/article/rally.jpg"), server.url("pics.test", "/gone404")
    body = (
        f'<p>As <a href="{server.url("agency.test", "/ok")}">the agency</a> said.</p>'
        f'<p><a href="{alive}"><img src="{alive}" alt="Rally"></a></p>'
        f'<p><a href="{dead}"><img src="{dead}"></a></p>'  # the very picture shown: its own file
    )
    post = {"id": 7, "link": "https://news.example/2024/03/story",
            "date_gmt": "2024-03-01T10:00:00", "title": {"rendered": "Story"},
            "content": {"rendered": body}}
    path = tmp_path / "post.json"
    path.write_text(json.dumps(post), encoding="utf-8")
    return path


def test_check_and_report_on_picture_links(tmp_path: Path, server: CheckServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_cli, "RESOLVER_HOOK", StaticResolver(
        {"agency.test": ["127.0.0.2"], "pics.test": ["127.0.0.2"]}))
    post = _post(tmp_path, server)
    result = CliRunner().invoke(main, [
        "check", str(post), "--format", "json", "--allow", "127.0.0.0/8", "--interval", "0",
        "--timeout", "0.5", "--no-archive"], catch_exceptions=False)
    rows = {r["url"]: r["verdict"] for r in json.loads(result.stdout)["results"]}
    assert rows == {server.url("agency.test", "/ok"): "alive",
                    server.url("pics.test", "/article/rally.jpg"): "alive",
                    server.url("pics.test", "/gone404"): "dead"}
    assert result.exit_code == 1  # a dead picture fails the check like any dead link
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["report", str(post), "--out", str(out)],
                                catch_exceptions=False)
    assert "2 links to pictures, not counted as sources" in result.stdout
    data = json.loads((out / "report.json").read_text("utf-8"))
    assert data["summary"]["pictures"] == 2
    assert data["summary"]["citations"] == 1
    assert [o["source"]["key"] for o in data["outlets"]] == ["agency.test"]
    assert "links to pictures, not counted as sources" in (out / "report.md").read_text("utf-8")
