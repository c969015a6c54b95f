"""HTML body to citations: every ``<a href>`` of the article body, and every lost link.

>>> from linkgraph.records import Article, BodyKind, Origin
>>> art = Article(id="x", url="https://news.example/a", site="news.example", title="",
...     published=None, modified=None, origin=Origin("x.html"),
...     html='<p>As <a href="https://gov.example/r">the report</a> said. Then.</p>',
...     body_kind=BodyKind.FRAGMENT)
>>> c = extract(art).citations[0]
>>> (c.kind.value, c.domain, c.text, c.context)
('external', 'gov.example', 'the report', 'As the report said.')

Hot path: one Lexbor parse (reused from ``Article.tree`` when the reader made one), a few CSS
queries run in C, and Python work only per link of the body (:mod:`linkgraph.extract.page_links`
runs the rule table of :mod:`linkgraph.extract.rules` on each).
Lost links (see :mod:`linkgraph.extract.lost`) need a second parse of marked-up HTML, which only
happens when the page has more ``</a>`` than ``<a`` openings.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkgraph.extract.body import BodySelection, find_body
from linkgraph.extract.lost import LOST_TAG, mark_lost_links, may_have_lost_links
from linkgraph.extract.page_links import PageLinks
from linkgraph.records import Article, BodyKind, Citation, Extraction
from linkgraph.urls import resolve_href

logger = logging.getLogger(__name__)

__all__ = [
    "LINK_SELECTOR", "MANY_LINKS", "MAX_NESTING", "PreparedPage", "extract", "nesting_too_deep",
    "prepare_page",
]

MANY_LINKS: Final = 5000  # a page with more anchors than this gets a warning
LINK_SELECTOR: Final = f"a[href], {LOST_TAG}"
# Lexbor's parse time grows with the square of the nesting depth (100,000 nested <div>s take
# about a minute), so such markup is refused before parsing.  A run of MAX_NESTING opening tags
# with no end tag between them is the cheap sign of it.
MAX_NESTING: Final = 5000
_DEEP_RUN = re.compile(rf"(?:<[a-zA-Z][^<>]*+>[^<]{{0,80}}+){{{MAX_NESTING}}}")


def nesting_too_deep(markup: str) -> bool:
    """True when *markup* holds a run of ``MAX_NESTING`` opening tags without an end tag."""
    if len(markup) < 3 * MAX_NESTING or markup.count("<") < MAX_NESTING:
        return False  # too few tags for such a run: skip the scan
    return _DEEP_RUN.search(markup) is not None


def _base_url(tree: LexborHTMLParser, article: Article) -> str | None:
    """The URL the page's relative links resolve against: its first ``<base href>`` (resolved
    against the page URL), else the page URL."""
    url = article.url
    if article.meta is not None:
        href = article.meta.base_href  # the reader's metadata pass found it already
    else:
        # <base> belongs in <head>: looking there spares a query over the whole document.
        head = tree.head
        if head is not None and head.first_child is None:
            return url  # an empty head (article content): no <base>
        base = (head if head is not None else tree).css_first("base[href]")
        href = base.attributes.get("href") if base is not None else None
    if href and href.strip():
        resolved = resolve_href(href.strip(), url)
        if resolved:
            return resolved
    return url


def _selection(
    tree: LexborHTMLParser, article: Article, all_links: bool
) -> tuple[LexborNode | None, BodySelection | None, list[str]]:
    """The root whose links count, the body selection that filters them, and warnings."""
    warnings: list[str] = []
    if article.body_kind is BodyKind.FRAGMENT or all_links:
        return tree.body, None, warnings
    meta = article.meta
    if meta is not None:
        # The reader read the page's JSON-LD and collected its paragraphs already; after a
        # re-parse (lost links) the collected nodes belong to the old tree: query again.
        paragraphs = meta.paragraph_nodes if tree is article.tree else None
        selection = find_body(tree, meta.ld_article_body, paragraphs)
    else:
        selection = find_body(tree)
    if selection is None:
        if tree.css_first("frameset, frame") is not None:
            warnings.append("page is a frameset: no body to extract links from")
        else:
            warnings.append("no body found")
        return None, None, warnings
    warnings.extend(selection.warnings)
    logger.debug("%s: body by %s", article.origin, selection.method)
    return selection.root, selection, warnings


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """One page parsed (lost links marked) with its base URL and body: what ``extract`` and
    ``linkgraph.extract.explain`` both start from.  ``root`` is ``None`` when there is no body (or
    the page could not be parsed); ``selection`` is ``None`` when every link counts."""

    tree: LexborHTMLParser | None
    base: str | None
    root: LexborNode | None
    selection: BodySelection | None
    warnings: tuple[str, ...]


def prepare_page(article: Article, *, all_links: bool = False) -> PreparedPage:
    """Parse *article* once (or reuse ``article.tree``), mark lost links, find the body."""
    warnings: list[str] = []
    markup = article.html
    if article.tree is not None:
        tree = article.tree
    elif nesting_too_deep(markup):
        warnings.append(
            f"too-deep nesting (a run of over {MAX_NESTING} unclosed elements): page not parsed"
        )
        return PreparedPage(None, None, None, None, tuple(warnings))
    else:
        tree = LexborHTMLParser(markup)
    if may_have_lost_links(markup):
        marked, lost_count = mark_lost_links(markup)
        if lost_count:
            tree = LexborHTMLParser(marked)
            warnings.append(f"{lost_count} lost link(s): anchor text whose <a href> was stripped")
    base = _base_url(tree, article)
    root, selection, body_warnings = _selection(tree, article, all_links)
    warnings.extend(body_warnings)
    return PreparedPage(tree, base, root, selection, tuple(warnings))


def extract(article: Article, *, all_links: bool = False) -> Extraction:
    """Extract the citations of *article*: links in its body (all links with *all_links*).

    Uses ``article.tree`` when the reader parsed the page already; the returned
    ``Extraction.article`` is ``detached()`` (no parse state) so that it pickles across
    processes.
    """
    page = prepare_page(article, all_links=all_links)
    warnings = list(page.warnings)
    citations: list[Citation] = []
    root, selection = page.root, page.selection
    if root is not None:
        nodes = root.css(LINK_SELECTOR)
        if len(nodes) > MANY_LINKS:
            warnings.append(f"page with {len(nodes)} links")
        links = PageLinks(article, root, page.base, selection)
        citations = [v for v in links.judge_all(nodes) if isinstance(v, Citation)]
    return Extraction(
        article=article.detached(), citations=tuple(citations), warnings=tuple(warnings)
    )


