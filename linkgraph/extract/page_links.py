"""One link of a page's body as a citation, or the reason it is not one (``PageLinks``).

The link's kind and absolute URL come from the href alone (string fast paths for serialised
URLs, a WHATWG parse otherwise); a full page's links then pass the rules of
:mod:`linkgraph.extract.link_rules` and the body's boilerplate verdicts; the text around each kept
link comes from :mod:`linkgraph.extract.context`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from selectolax.lexbor import LexborNode

from linkgraph.extract.body import BodySelection
from linkgraph.extract.body_selection import is_card
from linkgraph.extract.body_weights import mostly_link_text
from linkgraph.extract.boilerplate import DropReason
from linkgraph.extract.context import BlockText, Paragraphs, anchor_text, block_of, visible_text
from linkgraph.extract.link_rules import (
    is_ad_link,
    is_boilerplate_line,
    is_follow_link,
    is_legal_link,
    is_promo_anchor,
    is_share_link,
    is_skip_link,
)
from linkgraph.extract.lost import LOST_TAG, LOST_TEXT_ATTR
from linkgraph.records import Article, Citation, CitationKind
from linkgraph.site_families import is_sister_site
from linkgraph.urls import (
    HTTP_SCHEMES,
    SCHEME_HOSTS,
    grouping_key,
    grouping_key_of_parts,
    hostname,
    is_homepage,
    join_plain,
    plain_http_parts,
    registered_domain,
    resolve_href,
    strip_credentials,
    url_domain,
)

__all__ = ["PageLinks"]

_SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SCHEME_KINDS: Final = {"mailto": CitationKind.MAILTO, "tel": CitationKind.TEL}  # others: OTHER


def _same_document(url: str, article: Article) -> bool:
    """A link to a place in the page itself: "#notes", or the page's own URL with a fragment
    (resolved against ``<base>``, "#notes" may name another document)."""
    return "#" in url and _is_self_url(url, article)


def _classify(
    href: str, base: str | None, article: Article
) -> tuple[CitationKind, str | None, str | None, str | None]:
    """The kind of a link, its absolute URL (credentials removed), its registered domain and
    its grouping key."""
    stripped = href.strip()
    url: str | None = stripped
    parts = plain_http_parts(stripped)
    if parts is None and base is not None and stripped[:1] in ("/", "#"):
        joined = join_plain(stripped, base)  # "/path" and "#id" join by string operations
        if joined is not None:
            url, parts = joined
        else:
            url = resolve_href(stripped, base)
            parts = plain_http_parts(url) if url is not None else None
    if parts is not None and url is not None:
        # The common case, a URL as a serialiser writes it: read from the string.
        domain = registered_domain(parts[1])
        if domain in SCHEME_HOSTS:
            return CitationKind.INVALID, None, None, None  # "http://http/..."
        return _http_kind(url, domain, article), url, domain, grouping_key_of_parts(parts)
    kind, url, domain = _classify_parsed(stripped, base, article)
    return kind, url, domain, grouping_key(url) if url else None


def _classify_parsed(
    stripped: str, base: str | None, article: Article
) -> tuple[CitationKind, str | None, str | None]:
    scheme_match = _SCHEME.match(stripped)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme == "javascript":
        return CitationKind.JAVASCRIPT, None, None
    if not scheme and base is None:
        return CitationKind.UNRESOLVABLE, None, None
    url = resolve_href(stripped, base if not scheme else None)
    if url is None:
        return CitationKind.INVALID, None, None
    real_scheme = url.split(":", 1)[0]
    if real_scheme not in HTTP_SCHEMES:
        url = strip_credentials(url)
        return _SCHEME_KINDS.get(real_scheme, CitationKind.OTHER), url, url_domain(url)
    if "@" in url[len(real_scheme) + 3 :].split("/", 1)[0]:
        url = strip_credentials(url)
    domain = registered_domain(hostname(url))
    if domain in SCHEME_HOSTS:
        return CitationKind.INVALID, None, None  # "http://http://site/": a doubled scheme
    return _http_kind(url, domain, article), url, domain


def _http_kind(url: str, domain: str | None, article: Article) -> CitationKind:
    """An http(s) link's kind: a place in the page itself, the article's own site, or out."""
    if _same_document(url, article):
        return CitationKind.FRAGMENT
    if domain is not None and (domain == article.site or domain in article.site_domains
                               or is_sister_site(domain, article.site_domains or (article.site,))):
        return CitationKind.INTERNAL  # the site itself, or a domain of its family (bbc.co.uk)
    return CitationKind.EXTERNAL


def _not_a_source(
    kind: CitationKind, url: str | None, node: LexborNode, selection: BodySelection,
    article: Article,
) -> DropReason | None:
    """A script hook, a share button or an ad, the page itself, the site's own front page (a
    logo, "More on Site.com!") or a "related" list of the site's headlines.  In-page links (a
    footnote mark, a table of contents) stay: a reader sees them in the text (kind
    ``fragment``, never a source in the graph)."""
    if kind is CitationKind.JAVASCRIPT:
        return DropReason.SCRIPT_HOOK  # "×", "Share"
    if url is not None and is_share_link(url):
        return DropReason.SHARE
    if kind is CitationKind.EXTERNAL and url is not None and is_ad_link(url):
        return DropReason.AD
    if kind is CitationKind.INTERNAL:
        if _is_self_url(url, article):
            return DropReason.OWN_PAGE
        if url is not None and "#" not in url and is_homepage(url):
            return DropReason.FRONT_PAGE
        if selection.in_headline_list(node) or is_card(node):
            return DropReason.HEADLINE_LIST
        if url is not None and selection.in_tag_run(node, url):
            return DropReason.TAG_RUN
    return None


def _is_self_url(url: str | None, article: Article) -> bool:
    """A link from the body to the page itself (a headline linking to its own article)."""
    if url is None or not article.url:
        return False
    return url.split("#", 1)[0] == article.url.split("#", 1)[0]


_FIGURE_DEPTH: Final = 4  # how far up from a link to look for its <figure>


def _whole_block(block: str, text: str) -> bool:
    """True when the link text *text* is all of its block's text *block* (white space aside):
    a teaser's summary line, never a link in a sentence."""
    return len(block) < 4 * len(text) + 40 and " ".join(block.split()) == text


def _outside_running_text(block: str, text: str) -> bool:
    """True when the link text *text* is most of its block's text *block* (white space
    aside): a byline, a teaser's line, not a link inside a paragraph."""
    if mostly_link_text(len(block), len(text)):
        return True
    # White space aside (indented markup); a block eight times too long is not worth joining.
    return mostly_link_text(len(block) // 8, len(text)) and mostly_link_text(
        len(" ".join(block.split())), len(text)
    )


class PageLinks:
    """Citations of one page's links, with the per-page caches they share."""

    __slots__ = (
        "article", "authors", "base", "blocks", "figures", "headline_urls", "kinds",
        "paragraphs", "root_id", "selection", "teaser_like",
    )

    def __init__(
        self,
        article: Article,
        root: LexborNode,
        base: str | None,
        selection: BodySelection | None,
        authors: Sequence[str] = (),
    ) -> None:
        self.article = article
        self.base = base
        self.selection = selection
        self.root_id = root.mem_id
        self.paragraphs = Paragraphs(root)
        self.blocks: dict[int, BlockText] = {}
        self.figures: dict[int, frozenset[str]] = {}  # per <figure>: hrefs of its promo links
        # Links repeat (a source cited twice, a page's own sections): classify each href once.
        self.kinds: dict[str, tuple[CitationKind, str | None, str | None, str | None]] = {}
        # The page's authors (lower case; from its metadata): a link named after one, outside
        # running text, is a byline inside the body.
        self.authors = frozenset(a.lower() for a in authors)
        self.headline_urls: set[str] = set()  # URLs of links dropped as other stories
        # Positions of internal citations that are a picture or a whole block's text: a
        # teaser's part when their URL is a dropped headline's (see without_teasers).
        self.teaser_like: set[int] = set()

    def without_teasers(self, citations: Sequence[Citation]) -> tuple[list[Citation], set[int]]:
        """*citations* without the parts of teasers whose headline link was dropped as another
        story's (a link to the same page of the site that is a picture or the whole text of its
        block, never a link in a sentence), numbered again; and the positions dropped.  Call it
        once every link of the page has been judged: a picture comes before its headline."""
        dropped = {
            c.position for c in citations
            if c.position in self.teaser_like and c.url in self.headline_urls
        }
        if not dropped:
            return list(citations), dropped
        kept = (c for c in citations if c.position not in dropped)
        return [replace(c, position=i) for i, c in enumerate(kept)], dropped

    def _kind(self, href: str) -> tuple[CitationKind, str | None, str | None, str | None]:
        """Kind, URL, registered domain and grouping key of *href* (cached per page)."""
        known = self.kinds.get(href)
        if known is None:
            known = self.kinds[href] = _classify(href, self.base, self.article)
        return known

    def _figure_promos(self, node: LexborNode) -> frozenset[str]:
        """The hrefs of the calls to action in the <figure> around *node* (none outside one):
        a magazine cover whose caption says "Subscribe to ..." is one promotion, image,
        caption and all."""
        figure = node.parent
        depth = 0
        while figure is not None and figure.tag != "figure":
            if depth == _FIGURE_DEPTH or figure.mem_id == self.root_id:
                return frozenset()
            figure, depth = figure.parent, depth + 1
        if figure is None:
            return frozenset()
        promos = self.figures.get(figure.mem_id)
        if promos is None:
            promos = self.figures[figure.mem_id] = frozenset(
                link.attributes.get("href") or ""
                for link in figure.css("a[href]")
                if is_promo_anchor(anchor_text(link, visible_text(link)[0]))
            )
        return promos

    def citation(
        self, node: LexborNode, position: int, attrs: dict[str, str | None]
    ) -> Citation | DropReason:
        """The citation of one link node with attributes *attrs*, or why it is not one."""
        article = self.article
        lost = node.tag == LOST_TAG
        raw_text = ""
        if lost:
            text = attrs.get(LOST_TEXT_ATTR) or ""
            href: str | None = None
            kind, url, domain, key = CitationKind.LOST, None, None, None
        else:
            href = attrs.get("href")
            if href is None:
                return DropReason.NO_HREF
            kind, url, domain, key = self._kind(href)
            if self.selection is not None:
                # On a full page, links that are not sources.
                reason = _not_a_source(kind, url, node, self.selection, article)
                if reason is not None:
                    if reason is DropReason.HEADLINE_LIST and url is not None:
                        self.headline_urls.add(url)
                    return reason
            raw_text, script = visible_text(node)
            text = anchor_text(node, raw_text)
            if script and not text:
                return DropReason.SCRIPT_ONLY  # nothing a reader sees
            if self.selection is not None:
                if node.first_child is None and kind is not CitationKind.FRAGMENT:
                    # "<a href=...></a>": nothing to see or click (IGN's heading anchors, a
                    # tweet embed's original-post anchor); a heading's in-page anchor stays.
                    return DropReason.EMPTY
                if is_promo_anchor(text):  # "Subscribe to our newsletter", "Get the app"
                    return DropReason.CALL_TO_ACTION
                if kind is CitationKind.FRAGMENT and is_skip_link(text):
                    return DropReason.SKIP_LINK  # "Continue reading the main story"
                if href in self._figure_promos(node):
                    return DropReason.CALL_TO_ACTION  # the cover and caption of a promo
                if url is not None and is_follow_link(text, url, domain):  # "Instagram"
                    return DropReason.FOLLOW
        root_id = self.root_id
        block = block_of(node, root_id)
        block_id = block.mem_id
        block_text = self.blocks.get(block_id)
        if block_text is None:
            block_text = self.blocks[block_id] = BlockText(block)
        context = block_text.context(node, text, len(raw_text), lost)
        if self.selection is not None:
            if is_boilerplate_line(context, text, internal=kind is CitationKind.INTERNAL):
                return DropReason.BOILERPLATE_LINE
            if kind is CitationKind.INTERNAL and _outside_running_text(block_text.text, text):
                # A line that is mostly this link, to the site itself: the author's page
                # ("By <a>Jane Doe</a>") or a legal page ("Disclaimer" closing a market story).
                if self.authors and text.lower().removeprefix("by ") in self.authors:
                    return DropReason.BYLINE
                if is_legal_link(text):
                    return DropReason.LEGAL
        if (
            kind is CitationKind.INTERNAL and self.selection is not None
            and (not raw_text.strip() or _whole_block(block_text.text, text))
        ):
            self.teaser_like.add(position)
        rel = tuple((attrs.get("rel") or "").lower().split()) if not lost else ()
        return Citation(
            article_id=article.id,
            position=position,
            paragraph=(
                block_text.breaks.get(node.mem_id, 0)
                if block_id == root_id
                else self.paragraphs.of(block)
            ),
            href=href,
            url=url,
            key=key,
            domain=domain,
            text=text,
            context=context,
            kind=kind,
            rel=rel,
        )
