"""Extraction rules on small hand-written pages, the seed's lost links, and bad input."""

from __future__ import annotations

import html
import pickle
import re
import time
from pathlib import Path
from unittest.mock import patch

import pytest

from linkgraph.extract.extractor import extract
from linkgraph.extract.lost import mark_lost_links, orphan_ends
from linkgraph.readers.html import parse_html_page, read_html_page
from linkgraph.readers.parsed import ParsedPage, parse_page
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article, BodyKind, CitationKind, Extraction, Origin


def _article(html: str, *, url: str | None = "https://news.example/2024/a", page: bool = False
             ) -> Article:
    return Article(
        id="t", url=url, site="news.example" if url else None, title="", published=None,
        modified=None, origin=Origin("t.html"), html=html,
        body_kind=BodyKind.PAGE if page else BodyKind.FRAGMENT,
        site_domains=("news.example",) if url else (),
    )


KINDS = [
    ('<a href="https://gov.example/r">x</a>', CitationKind.EXTERNAL, "https://gov.example/r"),
    ('<a href="/other">x</a>', CitationKind.INTERNAL, "https://news.example/other"),
    ('<a href="https://www.news.example/b">x</a>', CitationKind.INTERNAL,
     "https://www.news.example/b"),
    ('<a href="#notes">x</a>', CitationKind.FRAGMENT, "https://news.example/2024/a#notes"),
    ('<a href="https://news.example/2024/a#n">x</a>', CitationKind.FRAGMENT, "https://news.example/2024/a#n"),
    ('<a href="mailto:ed@news.example">x</a>', CitationKind.MAILTO, "mailto:ed@news.example"),
    ('<a href="tel:+82-2-123">x</a>', CitationKind.TEL, "tel:+82-2-123"),
    ('<a href="javascript:void(0)">x</a>', CitationKind.JAVASCRIPT, None),
    ('<a href="ftp://files.example/f">x</a>', CitationKind.OTHER, "ftp://files.example/f"),
    ('<a href="http://exa mple.com:99999/">x</a>', CitationKind.INVALID, None),
    ('<a href="https://user:pw@gov.example/p">x</a>', CitationKind.EXTERNAL, "https://gov.example/p"),
]


@pytest.mark.parametrize(("html", "kind", "url"), KINDS)
def test_kind_and_url(html: str, kind: CitationKind, url: str | None) -> None:
    (citation,) = extract(_article(f"<p>{html}</p>")).citations
    assert (citation.kind, citation.url) == (kind, url)
    assert "pw" not in (citation.url or "")


def test_relative_links_without_base_are_unresolvable_absolute_still_resolve() -> None:
    html = '<p><a href="/rel">a</a> <a href="https://gov.example/x">b</a></p>'
    first, second = extract(_article(html, url=None)).citations
    assert (first.kind, first.url) == (CitationKind.UNRESOLVABLE, None)
    assert (second.kind, second.domain) == (CitationKind.EXTERNAL, "gov.example")


def test_base_element_is_honoured() -> None:
    html = '<html><head><base href="https://cdn.example/dir/"></head><body><p><a href="x">a</a></p>'
    (citation,) = extract(_article(html)).citations
    assert citation.url == "https://cdn.example/dir/x"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # The first <base href> is the document's base, even an empty one (the page URL).
        ('<base href=""><base href="https://cdn.example/dir/">', "https://news.example/2024/x"),
        ('<base target="_blank"><base href="https://cdn.example/dir/">', "https://cdn.example/dir/x"),
        ('<base href="/sub/">', "https://news.example/sub/x"),
    ],
)
def test_saved_page_base_comes_from_the_reader(head: str, expected: str) -> None:
    page = f'<html><head>{head}</head><body><article><p>Text <a href="x">a</a>.</p></article>'
    parsed = read_html_page(page.encode(), "b.html", base="https://news.example/2024/a")
    assert isinstance(parsed, ParsedPage) and parsed.metadata is not None
    (citation,) = extract(parsed).citations
    assert citation.url == expected


def test_fragment_link_names_the_base_document_not_always_the_page() -> None:
    # Resolved against <base>, "#foo" points into another document: not an in-page link.
    html = (
        '<html><head><base href="https://cdn.example/dir/"></head><body><p>'
        '<a href="#foo">a</a> <a href="https://news.example/2024/a#notes">b</a></p>'
    )
    first, second = extract(_article(html)).citations
    assert (first.kind, first.url) == (CitationKind.EXTERNAL, "https://cdn.example/dir/#foo")
    assert second.kind is CitationKind.FRAGMENT


def test_in_page_links_in_the_text_are_fragment_citations_on_a_full_page() -> None:
    text = "A paragraph long enough to be counted as article text by the body detector. " * 3
    html = (
        "<body><div id='post'><div id='toc'><a href='#history'>History</a></div>"
        f"<p>{text} It grew.<sup><a href='#cite-1'>[1]</a></sup></p><p>{text}</p>"
        "<ol><li id='cite-1'><a href='https://archive.example/report'>Report</a></li></ol>"
        "</div></body>"
    )
    # A footnote mark is a link a reader sees in the text (kind fragment, never a source).
    page = [(c.kind, c.text) for c in extract(_article(html, page=True)).citations]
    content = [(c.kind, c.text) for c in extract(_article(html)).citations]
    assert page == content == [
        (CitationKind.FRAGMENT, "History"), (CitationKind.FRAGMENT, "[1]"),
        (CitationKind.EXTERNAL, "Report"),
    ]


def test_fields_text_context_paragraph_position_rel() -> None:
    html = (
        "<p>Intro without links.</p>"
        '<p>The <a href="https://gov.example/r" rel="nofollow Noopener">  annual\n report </a>'
        " said so. Then more.</p>"
        '<ul><li>See <a href="https://b.example/"><img alt="the chart"></a>.</li></ul>'
    )
    first, second = extract(_article(html)).citations
    assert (first.text, first.context, first.paragraph, first.position) == (
        "annual report", "The annual report said so.", 1, 0)
    assert first.rel == ("nofollow", "noopener")
    assert first.key == "gov.example/r"
    assert (second.text, second.paragraph, second.position) == ("the chart", 2, 1)


def test_anchor_without_href_is_not_a_citation() -> None:
    assert extract(_article('<p><a name="x">n</a> <a id="y">m</a></p>')).citations == ()


def test_the_readers_parse_is_used_and_the_result_pickles() -> None:
    parsed = parse_page(_article('<p><a href="https://g.example/">g</a></p>'))
    with patch("linkgraph.readers.parsed.LexborHTMLParser", side_effect=AssertionError):
        result = extract(parsed)  # no second parse
    assert [c.url for c in result.citations] == ["https://g.example/"]
    again = pickle.loads(pickle.dumps(result))
    assert isinstance(again, Extraction)
    assert again.citations == result.citations


PAGE = """<html><body>
<header><nav><a href="/">Home</a><a href="/world">World</a></nav></header>
<article>
 <div class="share"><a href="https://facebook.com/sharer">Share</a></div>
 <div class="entry-content">
  <p>The ministry <a href="https://gov.example/statement">said on Monday</a> that the plan,
  first reported last year, would go ahead despite objections from the opposition.</p>
  <p>Critics pointed to <a href="https://poll.example/2024">a recent poll</a> showing that
  most voters oppose it, and to the cost estimates published in the spring.</p>
  <blockquote><p>"We will not back down," <a href="https://x.example/minister">the minister</a>
  wrote in a statement that was widely shared on social media that evening.</p></blockquote>
  <ul><li>Item with <a href="https://data.example/table">the data</a> behind the figures.
  </li></ul>
  <figure><img src="a.jpg"><figcaption>Photo: <a href="https://photos.example/1">archive</a>
  </figcaption></figure>
  <div class="related-posts"><a href="/related-1">Related one</a></div>
 </div>
 <div class="author-box"><a href="/author/kim">Kim</a></div>
</article>
<aside><a href="/most-read">Most read</a></aside>
<footer><a href="/about">About</a></footer>
</body></html>"""


def test_full_page_keeps_body_links_only() -> None:
    article = _article(PAGE, page=True)
    hrefs = [c.href for c in extract(article).citations]
    assert hrefs == [
        "https://gov.example/statement", "https://poll.example/2024",
        "https://x.example/minister", "https://data.example/table", "https://photos.example/1",
    ]
    every = [c.href for c in extract(article, all_links=True).citations]
    assert len(every) == 12
    assert every[0] == "/"


# The seed's shape: WordPress content with its opening tags stripped.
STRIPPED = (
    'He <span>urged</span></a> them. A <a href="https://real.example/">real link</a> here.'
    "</p>\n\n<p>Then the <span>Foreign Trade Act</span></a> applied.</p>"
)


def test_lost_links_interleave_with_real_links() -> None:
    result = extract(_article(STRIPPED))
    assert [(c.kind, c.text) for c in result.citations] == [
        (CitationKind.LOST, "urged"),
        (CitationKind.EXTERNAL, "real link"),
        (CitationKind.LOST, "Foreign Trade Act"),
    ]
    assert [c.position for c in result.citations] == [0, 1, 2]
    assert result.citations[0].context == "He urged them."
    assert result.citations[2].context == "Then the Foreign Trade Act applied."
    assert result.citations[0].href is None
    assert "2 lost link(s)" in result.warnings[0]


# Orphan </a> end tags and the words before each; lost.orphan_ends (repair) and
# lost.mark_lost_links (extraction) find them with one scan and one rule for the words.
ORPHANS = [
    ("a <span>x</span></a> b", ["x"]),
    ("<p>See <a href='/x'>this</a> and the <b>Reuters</b></a> report</p>", ["Reuters"]),
    # an <a> opened inside an open <a> closes it: the last two end tags are orphans
    ("<a href=1>one <a href=2>two</a> three</a> four</a>", ["three", "four"]),
    ("<!-- </a> --><script>if(a</a>b)</script><style>a</a></style>Ukrinform</a>",
     ["Ukrinform"]),
    ("<p>Gallup &amp; Korea</em>  </span>\n</a>tail", ["Gallup & Korea"]),
    ("</A>lead</a><A HREF=x>ok</A>", ["", "lead"]),
    ("no anchors here", []),
    ("<!-- unterminated </a>", []),
]


@pytest.mark.parametrize(("markup", "words"), ORPHANS)
def test_orphan_ends_and_lost_markers_agree(markup: str, words: list[str]) -> None:
    ends = orphan_ends(markup)
    assert [text for *_, text in ends] == words
    for text_start, text_end, tag_end, text in ends:
        assert markup[tag_end - 4 : tag_end].lower() == "</a>"
        assert " ".join(html.unescape(markup[text_start:text_end]).split()) == text
    marked, count = mark_lost_links(markup)
    assert count == len(words)
    assert re.findall(r'<lg-lost data-text="([^"]*)"></lg-lost>', marked) == [
        html.escape(w) for w in words
    ]
    assert marked.replace("</A>", "</a>").count("</a>") == (
        markup.replace("</A>", "</a>").count("</a>") - count
    )


def test_seed_gives_eight_lost_links(corpus: Path) -> None:
    path = corpus / "seed" / "koreapro-2200266.json"
    (article,) = parse_wordpress(path.read_bytes(), str(path))
    assert isinstance(article, Article)
    result = extract(article)
    lost = [c for c in result.citations if c.kind is CitationKind.LOST]
    assert [c.text for c in lost] == [
        "urged", "made", "citing", "adding", "offering", "Gallup Korea", "Foreign Trade Act",
        "Furthermore",
    ]
    assert all(c.text in c.context for c in lost)
    assert lost[5].context.startswith("According to a Gallup Korea poll last year")


# Bad input: a result or a clear warning, never an exception or a hang.


def _timed(article: Article, *, all_links: bool = False) -> Extraction:
    start = time.perf_counter()
    result = extract(article, all_links=all_links)
    assert time.perf_counter() - start < 10
    return result


def test_hundred_thousand_nested_elements_are_flattened_not_refused() -> None:
    inner = '<p>deep <a href="https://deep.example/">x</a>.</p>'
    html = "<div>" * 100_000 + inner + "</div>" * 100_000
    result = _timed(_article(html, page=True))
    assert [c.url for c in result.citations] == ["https://deep.example/"]
    assert any(w.startswith("elements nested deeper than 1000 levels") for w in result.warnings)


def test_moderately_deep_nesting_still_extracts() -> None:
    html = "<div>" * 2000 + '<p>deep <a href="https://deep.example/">x</a>.</p>' + "</div>" * 2000
    result = _timed(_article(html, page=True))
    assert [c.url for c in result.citations] == ["https://deep.example/"]


def test_thousands_of_links_warns() -> None:
    links = "".join(f'<li><a href="https://l{i}.example/">link {i}</a></li>' for i in range(6000))
    result = _timed(_article(f"<ul>{links}</ul>"))
    assert len(result.citations) == 6000
    assert any("6000 links" in w for w in result.warnings)


@pytest.mark.parametrize(
    "html",
    [
        '<p>Open <a href="https://a.example/">never closed <b>bold <div><p>more',
        "<p>Text <!-- a comment that never ends <a href='https://hidden.example/'>x</a>",
        "<html><body></body></html>",
        "",
        '<p><a href="https://a.example/">x</a></p></a></a><script>"</a>"</script>',
    ],
)
def test_broken_markup_gives_a_result(html: str) -> None:
    for page in (True, False):
        result = _timed(_article(html, page=page))
        assert all(c.url != "https://hidden.example/" for c in result.citations)


def test_empty_body_page_warns() -> None:
    result = _timed(_article("<html><body></body></html>", page=True))
    assert result.citations == ()
    assert result.warnings


def test_frameset_page_warns() -> None:
    html = '<html><frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset>'
    result = _timed(_article(html, page=True))
    assert result.citations == ()
    assert any("frameset" in w for w in result.warnings)


def test_list_of_own_headlines_is_dropped_but_a_list_of_sources_is_kept() -> None:
    text = "A paragraph long enough to be counted as article text by the body detector. " * 3
    own = "".join(
        f'<li><a href="/2024/story-{i}">Another story from this site, number {i}</a></li>'
        for i in range(4)
    )
    sources = "".join(
        f'<li><a href="https://src{i}.example/report">Report number {i} from the agency</a></li>'
        for i in range(4)
    )
    html = f"<body><div id='post'><p>{text}</p><ul>{sources}</ul><p>{text}</p><ul>{own}</ul></div>"
    urls = [c.url for c in extract(_article(html, page=True)).citations]
    assert urls == [f"https://src{i}.example/report" for i in range(4)]


def test_context_ignores_inline_scripts() -> None:
    html = (
        '<p>Officials <a href="https://gov.example/">confirmed</a> it.'
        "<script>var x = 'Not. A. Sentence.';</script> Later on.</p>"
    )
    (citation,) = extract(_article(html)).citations
    assert citation.context == "Officials confirmed it."


def test_link_around_a_script_is_not_a_citation_and_scripts_are_not_anchor_text() -> None:
    body = f"<p>{'Body text long enough to be the article. ' * 4}"
    html = (
        f'<html><body><div id="story">{body}<a href="https://a.example/">see <script>var x = 1;'
        '</script>this</a>.</p><p>Also <a href="/story"><script type="json/config">{"slots": 1}'
        "</script></a> here.</p></div></body></html>"
    )
    citations = extract(_article(html, page=True)).citations
    assert [(c.href, c.text) for c in citations] == [("https://a.example/", "see this")]


def test_hundred_thousand_nested_divs_through_the_reader_keep_their_link() -> None:
    inner = '<p>Deep text with <a href="https://deep.example/r">a source</a> in it.</p>'
    page = f"<html><head><title>Deep</title></head><body>{'<div>' * 100_000}{inner}"
    page += "</div>" * 100_000 + "</body></html>"
    start = time.perf_counter()
    article = parse_html_page(page.encode(), "deep.html", base="https://h.example/")
    assert isinstance(article, Article)
    result = extract(article)
    assert time.perf_counter() - start < 10  # a hang guard: about half a second here
    assert [c.url for c in result.citations] == ["https://deep.example/r"]
    assert any("nested deeper than" in w for w in article.warnings)


def test_teaser_headline_in_a_list_item_is_dropped_but_an_outside_one_kept() -> None:
    text = "Body text long enough to count as the article itself, sentence after sentence. " * 3
    html = (
        f'<html><body><div id="story"><p>{text}<a href="/2024/b">an earlier story</a>.</p>'
        f"<p>{text}</p><ul><li><h4><a href=\"/2024/c\">The New Space Race</a></h4></li></ul>"
        '<ul><li><h4><a href="https://nasa.example/r">NASA report</a></h4></li></ul>'
        "</div></body></html>"
    )
    hrefs = [c.href for c in extract(_article(html, page=True)).citations]
    assert hrefs == ["/2024/b", "https://nasa.example/r"]


def test_embedded_tweet_links_are_citations_and_newsletter_promos_are_not() -> None:
    text = "Body text long enough to count as the article itself, sentence after sentence. " * 3
    html = (
        f'<html><body><div class="entry-content"><p>{text}</p>'
        '<div class="social-media-embed"><blockquote class="twitter-tweet"><p>Yes this is real'
        ' <a href="https://t.co/x">https://t.co/x</a></p>— Kim (@kim) <a href='
        '"https://twitter.com/kim/status/1">November 18, 2019</a></blockquote></div>'
        f'<p>{text}</p><p><a href="http://subscription.news.example/">Subscribe to our'
        " newsletters</a>.</p></div></body></html>"
    )
    hrefs = [c.href for c in extract(_article(html, page=True)).citations]
    assert hrefs == ["https://t.co/x", "https://twitter.com/kim/status/1"]


def test_tag_list_in_the_body_is_dropped_but_a_topic_link_in_a_sentence_kept() -> None:
    text = "Body text long enough to count as the article itself, sentence after sentence. " * 3
    html = (
        f'<html><body><div id="story"><p>{text} More on <a href="/topic/hotels">hotels</a>.</p>'
        f'<p>{text}</p><ul><li>More about:</li><li><a href="/topic/hotels">Hotels</a></li>'
        '<li><a href="/topic/hygiene">Hygiene</a></li></ul></div></body></html>'
    )
    hrefs = [c.href for c in extract(_article(html, page=True)).citations]
    assert hrefs == ["/topic/hotels"]


def test_script_hooks_and_own_front_page_are_not_citations_on_a_full_page() -> None:
    text = "A paragraph long enough to be counted as article text by the body detector. " * 3
    html = (
        f"<body><div id='post'><p>{text} As <a href='https://gov.example/r'>the report</a>"
        " said. <a href='javascript:void(0)'>Close</a></p>"
        f"<p>{text} Originally published on <a href='https://www.news.example/'>News</a>.</p>"
        "</div></body>"
    )
    assert [c.url for c in extract(_article(html, page=True)).citations] == [
        "https://gov.example/r"
    ]
    # In article content (a WordPress fragment) both stay: hygiene reports them.
    kinds = [c.kind for c in extract(_article(html)).citations]
    assert kinds == [CitationKind.EXTERNAL, CitationKind.JAVASCRIPT, CitationKind.INTERNAL]


def test_headlines_of_the_sites_other_stories_are_not_citations() -> None:
    text = "A paragraph long enough to be counted as article text by the body detector. " * 3
    html = (
        f"<body><div id='post'><p>{text} As <a href='/2024/data'>our data</a> show.</p>"
        f"<h3><a href='/2024/other-story'>Another story from this site</a></h3><p>{text}</p>"
        f"<h3><span><a href='/2024/third'>A third story</a></span></h3><p>{text}</p>"
        "<h3>Sources: <a href='https://gov.example/r'>the report</a></h3></div></body>"
    )
    texts = [c.text for c in extract(_article(html, page=True)).citations]
    assert texts == ["our data", "the report"]


def test_link_to_a_place_on_the_front_page_is_not_a_logo() -> None:
    # <base href="/"> makes "#foo" a link into the front page: a link in the text, kept.
    text = "A paragraph long enough to be counted as article text by the body detector. " * 3
    html = (
        "<html><head><base href='/'></head><body><div id='post'>"
        f"<p>{text} See <a href='#foo'>this</a>.</p><p>{text} <a href='/'>Home</a></p></div>"
    )
    assert [(c.text, c.url) for c in extract(_article(html, page=True)).citations] == [
        ("this", "https://news.example/#foo")
    ]
