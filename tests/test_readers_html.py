"""Saved HTML pages: URL, id, metadata, one parse, and every corpus page read."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from linkgraph.readers import read_file, read_inputs
from linkgraph.readers.html import parse_html_page, read_html_page
from linkgraph.readers.parsed import ParsedPage
from linkgraph.records import Article, BodyKind, Origin, ReadFailure

FAKEHOST = "http://fakehost/test/page.html"


def page(head: str = "", body: str = "<p>Text</p>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def read(data: bytes, path: str = "p.html", base: str | None = None) -> Article:
    article = parse_html_page(data, path, base=base)
    assert isinstance(article, Article), article
    return article


def read_parsed(data: bytes, path: str = "p.html", base: str | None = None) -> ParsedPage:
    parsed = read_html_page(data, path, base=base)
    assert isinstance(parsed, ParsedPage), parsed
    assert parsed.metadata is not None
    return parsed


def test_base_wins_and_the_canonical_domain_is_also_the_site() -> None:
    article = read(page('<link rel="canonical" href="https://www.paper.co.uk/a">'),
                   base="https://mirror.example.org/saved/a.html")
    assert article.url == "https://mirror.example.org/saved/a.html"
    assert article.site == "example.org"
    assert article.site_domains == ("example.org", "paper.co.uk")
    assert article.warnings == ()


def test_canonical_then_og_url_then_no_url_with_a_warning() -> None:
    assert read(page('<link rel="canonical" href="https://a.org/x">')).url == "https://a.org/x"
    assert read(page('<meta property="og:url" content="https://b.org/y">')).url == "https://b.org/y"
    relative = read(page('<link rel="canonical" href="/only/relative">'), path="r.html")
    assert relative.url is None and relative.site is None
    (warning,) = relative.warnings
    assert warning.startswith("r.html: no page URL")
    assert "relative links cannot be resolved" in warning


def test_relative_canonical_is_resolved_against_the_base() -> None:
    article = read(page('<link rel="canonical" href="/story">'), base="https://news.example/x/y")
    assert article.site_domains == ("news.example",)
    expected = "url:" + hashlib.sha1(b"https://news.example/story").hexdigest()[:16]
    assert article.id == expected


def test_a_base_that_is_not_absolute_is_ignored_with_a_warning() -> None:
    article = read(page(), path="b.html", base="not a url")
    assert article.url is None
    assert any("base 'not a url' is not an absolute http(s) URL" in w for w in article.warnings)


def test_credentials_never_reach_the_url() -> None:
    article = read(page('<link rel="canonical" href="https://user:secret@a.org/x">'))
    assert article.url == "https://a.org/x"


def test_ids_come_from_the_declared_url_else_the_file_never_the_shared_base() -> None:
    with_canonical = read(page('<link rel="canonical" href="https://a.org/x">'), base=FAKEHOST)
    assert with_canonical.id == "url:" + hashlib.sha1(b"https://a.org/x").hexdigest()[:16]
    one = read(page(), path="one.html", base=FAKEHOST)
    two = read(page(), path="two.html", base=FAKEHOST)
    assert one.id == "file:" + hashlib.sha1(b"one.html").hexdigest()[:16]
    assert one.id != two.id


def test_the_parsed_tree_is_handed_over_with_the_article() -> None:
    parsed = read_parsed(page("<title>T</title>", '<p>See <a href="/x">this</a></p>'))
    article = parsed.article
    assert isinstance(parsed.tree, LexborHTMLParser)
    assert parsed.tree.css_first("a").attributes["href"] == "/x"
    assert parsed.metadata is not None and parsed.metadata.title == "T"
    assert article.body_kind is BodyKind.PAGE
    assert article.title == "T"
    assert article.html.startswith("<!DOCTYPE html>")


def test_metadata_reaches_the_article() -> None:
    head = ('<meta property="og:site_name" content="Paper"><meta property="og:title" content="OG">'
            '<meta property="article:published_time" content="2024-01-02T03:04:05Z">')
    article = read(b'<html lang="es">' + page(head)[len(b"<!DOCTYPE html><html>"):])
    assert (article.title, article.site_name, article.language) == ("OG", "Paper", "es")
    assert article.published is not None and article.published.year == 2024


def test_charset_warnings_name_the_file() -> None:
    data = '<meta charset="utf-8"><p>Привет, мир! Это проверка.</p>'.encode("cp1251")
    article = read(data, path="ru.html")
    assert "Привет" in article.html
    assert any(w.startswith("ru.html: declared charset 'utf-8'") for w in article.warnings)


@pytest.mark.parametrize(
    "body",
    [
        "<div>" * 100_000 + "deep" + "</div>" * 100_000,
        "".join(f'<a href="https://e{i}.org/">link {i}</a> ' for i in range(5000)),
        "<p>unterminated <a href='x'>tag <b attr='",
        "<p>before</p><!-- never closed <a href='/x'>x</a>",
        "<table><tr><td>cell<p>para</td></table></b></i></a>",
    ],
    ids=["nested-100k", "5000-links", "unterminated-tag", "unterminated-comment", "misnested"],
)
def test_hostile_pages_read_without_exception(body: str) -> None:
    parsed = read_parsed(page("<title>Hostile</title>", body), base="https://h.example/")
    assert parsed.tree.body is not None
    assert parsed.article.title == "Hostile"


def test_absurd_nesting_is_flattened_with_a_warning_and_text_kept() -> None:
    body = "<div>" * 100_000 + "deep text" + "</div>" * 100_000 + "<p>after</p>"
    parsed = read_parsed(page("<title>Deep</title>", body), path="deep.html",
                         base="https://h.example/")
    assert parsed.tree.body is not None
    assert "deep text" in parsed.tree.body.text() and "after" in parsed.tree.body.text()
    (warning,) = parsed.article.warnings
    # <html> and <body> hold two levels: 998 of the divs stay elements, 99,002 are unwrapped
    assert warning.startswith("deep.html: elements nested deeper than 1000 levels: 99002 elements")


@pytest.mark.corpus
def test_every_readability_page_reads(corpus: Path) -> None:
    items = list(read_inputs([str(corpus / "readability")], base=FAKEHOST))
    assert len(items) == 130
    for item in items:
        assert isinstance(item, Article), item
        assert item.url == FAKEHOST
        assert item.html
        assert item.origin == Origin(item.origin.path)
        assert all(w.startswith(item.origin.path) for w in item.warnings)
    # distinct pages get distinct ids unless they declare the same canonical URL (two saved
    # copies of one lifehacker article do)
    ids = [a.id for a in items if isinstance(a, Article)]
    shared = {i for i in ids if ids.count(i) > 1}
    assert all(i.startswith("url:") for i in shared)
    assert len(set(ids)) >= 125


@pytest.mark.corpus
def test_every_scrapinghub_page_reads_with_its_url(corpus: Path) -> None:
    urls = json.loads((corpus / "scrapinghub-aeb" / "urls.json").read_text())
    folder = corpus / "scrapinghub-aeb" / "html"
    count = 0
    for name, url in sorted(urls.items()):
        (item,) = read_file(str(folder / name), base=url)
        assert isinstance(item, Article), item
        assert item.url == url and item.site is not None
        assert item.warnings == ()
        raw = gzip.decompress((folder / name).read_bytes()).decode("utf-8")
        assert item.html == raw
        count += 1
    assert count == 181


def test_failures_for_non_pages() -> None:
    empty = parse_html_page(b"  \n", "e.html")
    assert isinstance(empty, ReadFailure) and empty.message.startswith("e.html: empty")
    png = parse_html_page(b"\x89PNG\r\n\x1a\n" + bytes(100), "img.html")
    assert isinstance(png, ReadFailure)
    assert png.message == "img.html: not HTML: the bytes are a PNG image"


def test_utf8_bytes_parse_to_the_same_tree_as_the_decoded_text(corpus: Path) -> None:
    # Valid UTF-8 bytes go to Lexbor as they are (no decode/encode round trip): the tree must be
    # the one the decoded text gives, on real pages with non-ASCII text, and on a legacy charset.
    pages = sorted((corpus / "readability").glob("*.html"))[:40]
    assert pages
    for page in pages:
        data = page.read_bytes()
        parsed = read_parsed(data, page.name)
        assert parsed.tree.html == LexborHTMLParser(data.decode("utf-8")).html, page.name
        assert parsed.article.html == data.decode("utf-8")
    korean = '<meta charset="euc-kr"><p>한국어 기사</p>'
    korean_page = read_parsed(korean.encode("euc-kr"), "k.html")
    assert korean_page.tree.css_first("p").text() == "한국어 기사"
