"""Page metadata: table-driven over small pages, and checked on real corpus pages."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from linkgraph.readers.metadata import PageMetadata, page_metadata, parse_time

KST = timezone(timedelta(hours=9))
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
LATEST = datetime(2030, 1, 1, tzinfo=UTC)


def meta_of(html: str) -> PageMetadata:
    return page_metadata(LexborHTMLParser(html))


# (page, field, expected)
CASES = [
    # title: og:title beats <title>; <title> beats h1; h1 is the last resort
    ('<title>Site | T</title><meta property="og:title" content="T">', "title", "T"),
    ("<title> Only\n  title </title><h1>H</h1>", "title", "Only title"),
    ("<body><h1>Just <b>a</b> heading</h1></body>", "title", "Just a heading"),
    ('<meta name="og:title twitter:title" content="Both">', "title", "Both"),
    ("<body><svg><title>icon</title></svg><h1>Real</h1></body>", "title", "Real"),
    # canonical: link rel=canonical, else og:url, as declared
    ('<link rel="canonical" href="https://a.org/x"><meta property="og:url" content="https://b.org/">',
     "canonical_url", "https://a.org/x"),
    ('<meta property="og:url" content="https://b.org/y">', "canonical_url", "https://b.org/y"),
    ('<link rel="Canonical" href="/rel">', "canonical_url", "/rel"),
    ('<link rel="stylesheet" href="/s.css">', "canonical_url", None),
    # site name
    ('<meta property="og:site_name" content="The Paper">', "site_name", "The Paper"),
    ('<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":'
     '"Organization","name":"LD Paper"}}</script>', "site_name", "LD Paper"),
    # published: meta, JSON-LD (also in @graph), itemprop, <time>
    ('<meta property="article:published_time" content="2024-01-15T09:30:00+09:00">',
     "published", datetime(2024, 1, 15, 9, 30, tzinfo=KST)),
    ('<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"Article",'
     '"datePublished":"2020-05-01T12:00:00Z","dateModified":"2020-05-02"}]}</script>',
     "published", datetime(2020, 5, 1, 12, tzinfo=UTC)),
    ('<body><meta itemprop="datePublished" content="2016-05-08T10:11:51+01:00"></body>',
     "published", datetime(2016, 5, 8, 9, 11, 51, tzinfo=UTC)),
    ('<body><time datetime="2019-01-01">x</time><time pubdate datetime="2019-02-02T10:00">'
     "y</time></body>", "published", datetime(2019, 2, 2, 10, tzinfo=UTC)),
    ('<body><time datetime="2019-01-01T08:00:00-05:00">x</time></body>', "published",
     datetime(2019, 1, 1, 13, tzinfo=UTC)),
    ('<meta name="date" content="not a date">', "published", None),
    # modified
    ('<meta property="article:modified_time" content="2024-01-16T00:00:00Z">', "modified",
     datetime(2024, 1, 16, tzinfo=UTC)),
    ('<script type="application/ld+json">[{"@type":["NewsArticle"],"dateModified":'
     '"2021-03-04T05:06:07"}]</script>', "modified", datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)),
    # language
    ('<html lang="ko"><head></head></html>', "language", "ko"),
    ('<meta property="og:locale" content="ru_RU">', "language", "ru-RU"),
    ('<meta http-equiv="Content-Language" content="de, en">', "language", "de"),
    # JSON-LD article body and tolerance of broken JSON-LD
    ('<script type="application/ld+json">{"@type":"NewsArticle","articleBody":" Body text. "}'
     "</script>", "ld_article_body", "Body text."),
    ('<script type="application/ld+json">{"@type": "NewsArticle", oops</script>'
     '<title>Still</title>', "title", "Still"),
    ('<base href="https://example.com/dir/">', "base_href", "https://example.com/dir/"),
    # authors: names from meta tags (a URL is not a name), else JSON-LD (a Person or a list)
    ('<meta name="author" content="John C. Welch"><meta property="article:author" '
     'content="https://medium.com/@johncwelch">', "authors", ("John C. Welch",)),
    ('<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person",'
     '"name":"Ana Li"},"Bo Kim"]}</script>', "authors", ("Ana Li", "Bo Kim")),
    ("<title>No author</title>", "authors", ()),
]


@pytest.mark.parametrize(("page", "field", "expected"), CASES)
def test_metadata_fields(page: str, field: str, expected: object) -> None:
    assert getattr(meta_of(page), field) == expected


def test_times_are_always_timezone_aware() -> None:
    for raw in ("2024-01-01", "2024-01-01T10:00", "2024-01-01 10:00:00", "2024-01-01T10:00Z",
                "Mon, 01 Jan 2024 10:00:00 +0100", "2017-12-01T03:00:00-0800"):
        value = parse_time(raw)
        assert value is not None and value.tzinfo is not None, raw


@pytest.mark.parametrize("raw", ["", "   ", "PDT08:05:41-07:00", "17:00, 24 December 2015",
                                 "0000-00-00", "garbage"])
def test_unparseable_times_are_none(raw: str) -> None:
    assert parse_time(raw) is None


@pytest.mark.corpus
def test_corpus_pages_give_titles_and_sane_dates(corpus: Path) -> None:
    urls = json.loads((corpus / "scrapinghub-aeb" / "urls.json").read_text())
    pages = sorted((corpus / "scrapinghub-aeb" / "html").glob("*.html.gz"))
    dated = 0
    for path in pages:
        meta = meta_of(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        assert meta.title, path.name
        if meta.published is not None:
            dated += 1
            assert EARLIEST < meta.published < LATEST, path.name
    # most real news pages declare a publication time; the urls file covers every page
    assert dated > 0.75 * len(pages)
    assert {p.name for p in pages} <= set(urls)


@pytest.mark.corpus
def test_nytimes_metadata(corpus: Path) -> None:
    meta = meta_of((corpus / "readability" / "nytimes-4.html").read_text(encoding="utf-8"))
    assert meta.canonical_url is not None and meta.canonical_url.startswith("https://www.nytimes.com/2018/09/25/")
    assert meta.published == datetime(2018, 9, 25, 21, 28, 31, tzinfo=UTC)
    assert meta.language == "en"


def test_paragraph_nodes_are_the_body_paragraphs_in_order(corpus: Path) -> None:
    # The metadata query also collects <p>/<pre>/<br> for body detection: on every readability
    # page they must be exactly what a query over <body> gives, in the same order.
    pages = sorted((corpus / "readability").glob("*.html"))
    assert pages
    for page in pages:
        tree = LexborHTMLParser(page.read_bytes().decode("utf-8", "replace"))
        body = tree.body
        expected = [n.mem_id for n in body.css("p, pre, br")] if body is not None else []
        assert [n.mem_id for n in page_metadata(tree).paragraph_nodes] == expected, page.name
    tree = LexborHTMLParser("<head><title>T</title></head><body><p>a<br>b</p><pre>c</pre>")
    assert [n.tag for n in page_metadata(tree).paragraph_nodes] == ["p", "br", "pre"]
