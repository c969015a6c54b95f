"""Markup that costs far more than its size (issue 16 items 1 and 2), on real files.

A truncated ``.html.gz`` that inflates to a flood of ``<p>`` once kept every element (about
93 bytes of memory per input byte: 4.6 GB for 50 MB); one element with 200,000 attributes took
122 s (Lexbor is quadratic in the attributes of one element).  Both are capped before parsing,
for saved pages and WordPress posts alike, with a warning naming the file.  The tests count
elements and attributes in the parsed tree (never time or memory; benchmarks/linearity.py
measures those).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from linkgraph.pipeline import extract_inputs
from linkgraph.readers import read_input_pages
from linkgraph.readers.markup_caps import (
    MAX_ATTRIBUTES,
    MAX_PAGE_ATTRIBUTES,
    MAX_TAGS,
    cap_attributes,
)
from linkgraph.readers.parsed import ParsedPage, parse_markup
from linkgraph.records import Extraction

LINK = '<p>Officials said so, <a href="https://agency.example/report">the agency reported</a>.</p>'


def read_page(path: Path) -> ParsedPage:
    [page] = list(read_input_pages([str(path)]))
    assert isinstance(page, ParsedPage), page
    return page


def test_a_flood_of_p_in_a_truncated_gzip_is_cut_at_the_tag_cap(tmp_path: Path) -> None:
    flood = b"<html><head><title>Flood</title></head><body>" + LINK.encode() + b"<p>" * (
        MAX_TAGS + 60_000
    )
    packed = gzip.compress(flood, 9)
    path = tmp_path / "flood.html.gz"
    path.write_bytes(packed[:-12])  # truncated: the gzip trailer and a little data are gone
    page = read_page(path)
    paragraphs = len(page.tree.css("p"))
    assert paragraphs <= MAX_TAGS
    assert paragraphs > MAX_TAGS - 100
    cut = [w for w in page.article.warnings if "markup cut after its first" in w]
    assert len(cut) == 1
    assert cut[0].startswith(f"{path}: ")
    assert f"{MAX_TAGS:,} tags" in cut[0]
    # What came before the cut is read as usual.
    assert page.tree.css_first("a").attributes["href"] == "https://agency.example/report"


def test_a_wordpress_post_goes_through_the_same_cap(tmp_path: Path) -> None:
    body = LINK + "<p>x" * (MAX_TAGS + 10)
    post = {"id": 1, "link": "https://news.example/1", "title": {"rendered": "T"},
            "content": {"rendered": body}}
    path = tmp_path / "post.json"
    path.write_text(json.dumps(post), encoding="utf-8")
    [extraction] = list(extract_inputs([str(path)]))
    assert isinstance(extraction, Extraction)
    assert [c.url for c in extraction.citations] == ["https://agency.example/report"]
    assert any("markup cut after its first" in w for w in extraction.warnings)


def many_attributes(count: int, value: str = "") -> str:
    return "<div " + " ".join(f"a{i}{value}" for i in range(count)) + ">"


def test_one_element_keeps_its_first_attributes(tmp_path: Path) -> None:
    page_text = (
        "<html><head><title>Wide</title></head><body><article>"
        + many_attributes(30_000).replace("<div ", '<div id="wide" ')
        + LINK + "</div></article></body></html>"
    )
    path = tmp_path / "wide.html"
    path.write_text(page_text, encoding="utf-8")
    page = read_page(path)
    wide = page.tree.css_first("#wide")
    assert wide is not None
    assert len(wide.attributes) == MAX_ATTRIBUTES
    assert "a0" in wide.attributes
    assert f"a{MAX_ATTRIBUTES - 2}" in wide.attributes  # id is the first
    assert page.tree.css_first("a").attributes["href"] == "https://agency.example/report"
    warned = [w for w in page.article.warnings if "attributes" in w]
    assert warned == [
        f"{path}: 1 tag(s) with more than {MAX_ATTRIBUTES} attributes: "
        f"{30_001 - MAX_ATTRIBUTES:,} attributes after the first {MAX_ATTRIBUTES} dropped"
    ]


# (markup, attributes the capped element keeps): quoted '>' and '<' are part of a value, the
# tokenizer's own reading; an unterminated quote runs to the end.
SHAPES = [
    (many_attributes(1000, '=">"'), MAX_ATTRIBUTES),
    (many_attributes(1000, "='<p>'"), MAX_ATTRIBUTES),
    (many_attributes(1000, "=x"), MAX_ATTRIBUTES),
    ("<div " + "a='1'" * 1000 + ">", None),  # no space between: HTML still reads 1000
    (many_attributes(MAX_ATTRIBUTES), MAX_ATTRIBUTES),  # at the cap: untouched
]


def test_attribute_shapes() -> None:
    for markup, keeps in SHAPES:
        tree, _ = parse_markup(markup + "<p>after</p>")
        div = tree.css_first("div")
        assert div is not None
        if keeps is not None:
            assert len(div.attributes) == keeps, markup[:40]
        else:
            assert len(div.attributes) <= MAX_ATTRIBUTES
        assert tree.css_first("p") is not None, markup[:40]


def test_script_text_and_comments_are_not_tags() -> None:
    inside = many_attributes(1000)
    markup = f"<script>var s = '{inside}';</script><!-- {inside} -->" + many_attributes(500)
    capped = cap_attributes(markup)
    assert capped.capped_tags == 1  # only the real tag
    assert f"<script>var s = '{inside}';</script><!-- {inside} -->" in capped.text


def test_a_flood_of_attributes_is_cut_at_the_page_budget(tmp_path: Path) -> None:
    tag = many_attributes(MAX_ATTRIBUTES - 1)
    tags = MAX_PAGE_ATTRIBUTES // (MAX_ATTRIBUTES - 1) + 50
    path = tmp_path / "attributes.html"
    path.write_text("<html><body>" + LINK + tag * tags, encoding="utf-8")
    page = read_page(path)
    kept = sum(len(div.attributes) for div in page.tree.css("div"))
    assert MAX_PAGE_ATTRIBUTES - MAX_ATTRIBUTES < kept <= MAX_PAGE_ATTRIBUTES
    assert any(f"markup cut after its first {MAX_PAGE_ATTRIBUTES:,} attributes" in w
               for w in page.article.warnings)
