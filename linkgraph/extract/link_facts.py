"""What the link rules of :mod:`linkgraph.extract.rules` read: the stages a link's facts are
filled in (``Stage``), the pages a rule runs on (``Scope``), the facts of a page
(``PageFacts``) and of one link (``Link``).

:meth:`linkgraph.extract.page_links.PageLinks.judge` fills a ``Link`` stage by stage; the
rules of a stage read only the facts of that stage and the ones before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from selectolax.lexbor import LexborNode

from linkgraph.extract.body_selection import BodySelection
from linkgraph.extract.context import BlockText, anchor_text, visible_text
from linkgraph.extract.link_rules import is_promo_anchor
from linkgraph.extract.settings import FIGURE_DEPTH
from linkgraph.records import Article, CitationKind

__all__ = ["Link", "PageFacts", "Scope", "Stage", "is_self_url"]


class Stage(IntEnum):
    """When a rule runs: each stage reads facts the ones before it did not need."""

    ELEMENT = 0
    URL = 1
    TEXT = 2
    CONTEXT = 3
    PAGE = 4


class Scope(IntEnum):
    """On which pages a rule runs: a rule runs on pages of its scope or a wider one."""

    FRAGMENT = 0  # every link: an article's content alone, or --all-links
    PAGE = 1  # a full page (a body was looked for)
    BODY = 2  # a full page whose body was found by paragraph weight


class PageFacts:
    """What the rules read (and remember) about the page a link is on."""

    __slots__ = (
        "article", "authors", "body", "figures", "has_figures", "headline_urls", "root_id",
        "scope",
    )

    def __init__(
        self,
        article: Article,
        root: LexborNode,
        selection: BodySelection | None,
        authors: Sequence[str] = (),
    ) -> None:
        self.article = article
        self.root_id = root.mem_id
        # Rules of scope PAGE and BODY read the selection; on a fragment none of them runs.
        self.body = selection if selection is not None else BodySelection(root=root)
        if selection is None:
            self.scope = Scope.FRAGMENT
        else:
            self.scope = Scope.BODY if selection.weighed else Scope.PAGE
        # The page's authors (lower case; from its metadata): a link named after one, outside
        # running text, is a byline inside the body.
        self.authors = frozenset(a.lower() for a in authors)
        self.figures: dict[int, frozenset[str]] = {}  # per <figure>: hrefs of its promo links
        # Most bodies hold no <figure>: one query spares each link its walk up to look for one.
        self.has_figures = self.scope is not Scope.FRAGMENT and (
            root.tag == "figure" or root.css_first("figure") is not None
        )
        self.headline_urls: set[str] = set()  # URLs of links dropped as other stories

    def figure_promos(self, node: LexborNode) -> frozenset[str]:
        """The hrefs of the calls to action in the <figure> around *node* (none outside one):
        a magazine cover whose caption says "Subscribe to ..." is one promotion, image,
        caption and all."""
        if not self.has_figures:
            return frozenset()
        figure = node.parent
        depth = 0
        while figure is not None and figure.tag != "figure":
            if depth == FIGURE_DEPTH or figure.mem_id == self.root_id:
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


class Link:
    """One link being judged: its facts, filled in stage by stage by the caller
    (:meth:`linkgraph.extract.page_links.PageLinks.judge`) before the rules of that stage run.
    A fact of a later stage is not there yet: a rule that reads one fails loudly."""

    __slots__ = (
        "attrs", "block_text", "context", "domain", "href", "key", "kind", "node", "page",
        "raw_text", "script", "text", "url",
    )
    # URL stage: the link's kind, absolute URL, registered domain and grouping key.
    kind: CitationKind
    url: str | None
    domain: str | None
    key: str | None
    # TEXT stage: the text a reader sees, whether it wraps a script, the link's text.
    raw_text: str
    script: bool
    text: str
    # CONTEXT stage: the link's block and its sentence.
    block_text: BlockText
    context: str

    def __init__(
        self, page: PageFacts, node: LexborNode, attrs: dict[str, str | None], lost: bool
    ) -> None:
        self.page = page
        self.node = node
        self.attrs = attrs
        self.href = None if lost else attrs.get("href")


def is_self_url(url: str | None, article: Article) -> bool:
    """A link from the body to the page itself (a headline linking to its own article)."""
    if url is None or not article.url:
        return False
    return url.split("#", 1)[0] == article.url.split("#", 1)[0]
