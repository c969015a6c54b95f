"""``linkgraph extract --explain``: every link of a page with the rule that kept or dropped it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.extract.boilerplate import DropReason
from linkgraph.extract.explain import explain_links
from linkgraph.extract.extractor import extract
from linkgraph.readers.html import parse_html_page
from linkgraph.records import Article

TEXT = "A paragraph long enough to be counted as article text by the body detector. " * 3
PAGE = f"""<html><head><link rel="canonical" href="https://news.example/2024/story"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div id="story"><h1>Title</h1>
<p>{TEXT} As <a href="https://gov.example/report">the report</a> said.<a href="#fn1">[1]</a></p>
<p>{TEXT} <a href="https://poll.example/2024">A poll</a> agreed.</p>
<div class="share-bar"><a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a></div>
<p>{TEXT} <a href="https://www.instagram.com/newsdesk/">Instagram</a></p>
</div><footer><a href="/about">About us</a></footer></body></html>"""


def _page(html: str = PAGE) -> Article:
    article = parse_html_page(html.encode(), "story.html")
    assert isinstance(article, Article)
    return article


def test_every_link_gets_a_decision() -> None:
    explanation = explain_links(_page())
    assert explanation.body == "div#story"
    decisions = {link.text: link for link in explanation.links}
    assert len(explanation.links) == 8
    assert decisions["Home"].reason is DropReason.OUTSIDE_BODY
    assert decisions["Home"].element == "nav"
    assert decisions["About us"].element == "footer"
    assert decisions["[1]"].citation is not None  # an in-page link in the text: kind fragment
    assert (decisions["Share"].reason, decisions["Share"].element) == (
        DropReason.BOILERPLATE, "div.share-bar"
    )
    assert decisions["Instagram"].reason is DropReason.FOLLOW
    cited = [link for link in explanation.links if link.citation is not None]
    assert [(c.text, c.citation.position) for c in cited if c.citation] == [
        ("the report", 0), ("[1]", 1), ("A poll", 2)
    ]
    assert all(link.reason is None for link in cited)


def _corpus_pages(corpus: Path) -> list[Article]:
    pages = []
    for path in sorted((corpus / "readability").glob("*.html"))[::6]:
        article = parse_html_page(path.read_bytes(), path.name, base="http://fakehost/test/")
        if isinstance(article, Article):
            pages.append(article)
    return pages


def test_teaser_parts_are_dropped_and_renumbered_as_extract_does() -> None:
    # A teaser card after the text: its picture is judged (and kept) before its headline is
    # dropped; explain must drop it afterwards too, and number the citations after it again.
    card = (
        "<div class='c'><a href='/2024/other'><img src='x.jpg' alt='pic'></a>"
        "<h3><a href='/2024/other'>The other story that the site wants you to read next</a></h3>"
        "</div>"
    )
    html = (
        f"<html><body><div id='story'><p>{TEXT} <a href='https://gov.example/r'>A report</a>."
        f"</p>{card}<p>{TEXT} <a href='https://poll.example/p'>A poll</a>.</p></div></body></html>"
    )
    article = parse_html_page(html.encode(), "t.html", base="https://news.example/2024/a")
    assert isinstance(article, Article)
    kept = [link.citation for link in explain_links(article).links if link.citation is not None]
    assert kept == list(extract(article).citations)
    assert [(c.text, c.position) for c in kept] == [("A report", 0), ("A poll", 1)]
    picture = next(link for link in explain_links(article).links if link.text == "pic")
    assert picture.reason is DropReason.HEADLINE_LIST


def test_explanations_agree_with_extraction_on_corpus_pages(corpus: Path) -> None:
    """The citations --explain reports are exactly what extract gives, position by position,
    and every other link has a reason (the two run the same checks)."""
    pages = _corpus_pages(corpus)
    assert len(pages) > 10
    for article in pages:
        explanation = explain_links(article)
        again = parse_html_page(article.html.encode(), str(article.origin), base=article.url)
        assert isinstance(again, Article)
        expected = [(c.position, c.href, c.text, c.context) for c in extract(again).citations]
        got = [
            (link.citation.position, link.citation.href, link.citation.text,
             link.citation.context)
            for link in explanation.links if link.citation is not None
        ]
        assert got == expected, article.origin
        assert all(
            (link.citation is None) != (link.reason is None) for link in explanation.links
        )


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_cli_explain(tmp_path: Path, fmt: str) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page), "--explain", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in result.output.splitlines()]
        assert len(rows) == 8
        share = next(r for r in rows if r["text"] == "Share")
        assert (share["reason"], share["element"], share["citation"]) == (
            "inside boilerplate", "div.share-bar", None
        )
        report = next(r for r in rows if r["text"] == "the report")
        assert (report["citation"], report["kind"], report["reason"]) == (0, "external", None)
    elif fmt == "csv":
        assert result.output.splitlines()[0] == (
            "origin,article_id,index,citation,kind,reason,element,text,href,picture"
        )
    else:
        assert "body div#story" in result.output
        assert "3 of 8 links are citations" in result.output
        assert "3 links outside the body" in result.output
        assert "follow button" in result.output


def test_cli_explain_refuses_all_links(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page), "--explain", "--all-links"])
    assert result.exit_code == 2
