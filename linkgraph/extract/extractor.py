"""HTML body to citations: every ``<a href>`` of the article body, and every lost link; and
the body's sentences.

>>> from linkgraph.records import Article, BodyKind, Origin
>>> art = Article(id="x", url="https://news.example/a", site="news.example", title="",
...     published=None, modified=None, origin=Origin("x.html"),
...     html='<p>As <a href="https://gov.example/r">the report</a> said. Then.</p>',
...     body_kind=BodyKind.FRAGMENT)
>>> result = extract(art)
>>> c = result.citations[0]
>>> (c.kind.value, c.domain, c.text, c.context)
('external', 'gov.example', 'the report', 'As the report said.')
>>> [(s.text, s.linked) for s in result.sentences]
[('As the report said.', True), ('Then.', False)]

Hot path: one Lexbor parse (the reader's, handed over as a ``ParsedPage``), a few CSS queries
run in C, and Python work only per link of the body (:mod:`linkgraph.extract.page_links` runs
the rule table of :mod:`linkgraph.extract.rules` on each).
Lost links (see :mod:`linkgraph.extract.lost`) need a second parse of marked-up HTML, which only
happens when the page has more ``</a>`` than ``<a`` openings.  Every parse, that one included,
is behind the readers' one nesting guard (:func:`linkgraph.readers.parsed.parse_markup`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkgraph.extract.body import BodySelection, find_body
from linkgraph.extract.lost import LOST_TAG, mark_lost_links, may_have_lost_links
from linkgraph.extract.page_links import PageLinks
from linkgraph.extract.prose import body_sentences
from linkgraph.readers.metadata import PageMetadata, ld_article_body
from linkgraph.readers.parsed import ParsedPage, parse_markup, parse_page
from linkgraph.records import Article, BodyKind, BodySentence, Citation, Extraction
from linkgraph.urls import resolve_href, scrub_userinfo, strip_userinfo_in_text, userinfo_in

logger = logging.getLogger(__name__)

__all__ = ["LINK_SELECTOR", "MANY_LINKS", "PreparedPage", "extract", "prepare_page"]

MANY_LINKS: Final = 5000  # a page with more anchors than this gets a warning
LINK_SELECTOR: Final = f"a[href], {LOST_TAG}"


def _base_url(
    tree: LexborHTMLParser, article: Article, metadata: PageMetadata | None
) -> str | None:
    """The URL the page's relative links resolve against: its first ``<base href>`` (resolved
    against the page URL), else the page URL."""
    url = article.url
    if metadata is not None:
        href = metadata.base_href  # the reader's metadata pass found it already
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


def _find_body(
    tree: LexborHTMLParser, metadata: PageMetadata | None, reparsed: bool
) -> BodySelection | None:
    """The body of a full page, with the reader's metadata when it has some: its JSON-LD
    ``articleBody``, and its paragraph nodes unless the page was parsed again since (they
    belong to the reader's tree)."""
    if metadata is None:
        return find_body(tree, ld_article_body(tree))
    paragraphs = None if reparsed else metadata.paragraph_nodes
    return find_body(tree, metadata.ld_article_body, paragraphs)


def _selection(
    tree: LexborHTMLParser, page: ParsedPage, reparsed: bool, all_links: bool
) -> tuple[LexborNode | None, BodySelection | None, list[str]]:
    """The root whose links count, the body selection that filters them, and warnings."""
    warnings: list[str] = []
    if page.article.body_kind is BodyKind.FRAGMENT or all_links:
        return tree.body, None, warnings
    selection = _find_body(tree, page.metadata, reparsed)
    if selection is None:
        if tree.css_first("frameset, frame") is not None:
            warnings.append("page is a frameset: no body to extract links from")
        else:
            warnings.append("no body found")
        return None, None, warnings
    warnings.extend(selection.warnings)
    logger.debug("%s: body by %s", page.article.origin, selection.method)
    return selection.root, selection, warnings


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """One page parsed (lost links marked) with its base URL and body: what ``extract`` and
    ``linkgraph.extract.explain`` both start from.  ``root`` is ``None`` when there is no body;
    ``selection`` is ``None`` when every link counts."""

    page: ParsedPage
    tree: LexborHTMLParser  # the page's tree, or its re-parse with lost links marked
    reparsed: bool
    base: str | None
    root: LexborNode | None
    selection: BodySelection | None
    warnings: tuple[str, ...]

    def sentences(self) -> tuple[BodySentence, ...]:
        """The sentences of the article body: of the body found (all links counting or not),
        the whole fragment for body fragments."""
        root = self.root
        if self.selection is None and self.page.article.body_kind is BodyKind.PAGE:
            # Every link counts (all_links): the prose is still the article body's.
            found = _find_body(self.tree, self.page.metadata, self.reparsed)
            root = found.root if found is not None else None
        return body_sentences(root) if root is not None else ()


def prepare_page(page: ParsedPage | Article, *, all_links: bool = False) -> PreparedPage:
    """Take the reader's parse (or parse a bare article), mark lost links, find the body."""
    if isinstance(page, Article):
        page = parse_page(page)
    warnings = list(page.warnings)
    tree = page.tree
    markup = page.article.html
    reparsed = False
    if may_have_lost_links(markup):
        marked, lost_count = mark_lost_links(markup)
        if lost_count:
            tree, _ = parse_markup(marked)  # the guard warned on the first parse already
            reparsed = True
            warnings.append(f"{lost_count} lost link(s): anchor text whose <a href> was stripped")
    base = _base_url(tree, page.article, page.metadata)
    root, selection, body_warnings = _selection(tree, page, reparsed, all_links)
    warnings.extend(body_warnings)
    return PreparedPage(page, tree, reparsed, base, root, selection, tuple(warnings))


def extract(
    page: ParsedPage | Article, *, all_links: bool = False, sentences: bool = True
) -> Extraction:
    """Extract the citations of an article (links in its body; all links with *all_links*) and
    its body's sentences (``None``, "not read", with ``sentences=False``: segmenting the prose
    is most of the cost of a WordPress post, and only analysis reads it).

    *page* is what a reader hands over (``linkgraph.readers.read_pages``), or a bare
    ``Article``, which is parsed here.
    """
    prepared = prepare_page(page, all_links=all_links)
    article = prepared.page.article
    warnings = list(prepared.warnings)
    citations: list[Citation] = []
    root, selection = prepared.root, prepared.selection
    prose = prepared.sentences() if sentences else None
    secrets = userinfo_in(article.html)  # the page's URLs with a user name or password
    if root is not None:
        nodes = root.css(LINK_SELECTOR)
        if len(nodes) > MANY_LINKS:
            warnings.append(f"page with {len(nodes)} links")
        links = PageLinks(article, root, prepared.base, selection, _authors(prepared.page))
        citations = [v for v in links.judge_all(nodes) if isinstance(v, Citation)]
        secrets |= links.secrets
    return without_credentials(
        Extraction(article=article, citations=tuple(citations), warnings=tuple(warnings),
                   sentences=prose),
        secrets,
    )


def without_credentials(extraction: Extraction, secrets: Iterable[str] = ()) -> Extraction:
    """*extraction* with every user name and password removed from the text it carries: the
    one door text leaves extraction by.  The article's HTML (it is stored) and title, the
    body's sentences, and each citation's anchor text and context lose the ``user:password@``
    of any URL written in them (``https://joe:pw@example.net`` in a sentence) and every
    *secret* of the page's hrefs, wherever else the page shows it.  A citation's
    ``credentials`` flag (its own href had some) is left as extraction set it.
    """
    secrets = tuple(secrets)

    def clean(text: str) -> str:
        if "@" not in text:
            return text
        return scrub_userinfo(strip_userinfo_in_text(text), secrets)

    article = extraction.article
    html, title = clean(article.html), clean(article.title)
    if html != article.html or title != article.title:
        article = replace(article, html=html, title=title)
    sentences = extraction.sentences
    if sentences is not None:
        sentences = tuple(replace(s, text=clean(s.text)) if "@" in s.text else s
                          for s in sentences)
    citations = tuple(
        replace(c, text=clean(c.text), context=clean(c.context))
        if "@" in c.text or "@" in c.context else c
        for c in extraction.citations
    )
    return replace(extraction, article=article, citations=citations, sentences=sentences)


def _authors(page: ParsedPage) -> tuple[str, ...]:
    """The page's authors by name (a link named after one, outside running text, is a byline)."""
    return page.metadata.authors if page.metadata is not None else ()
