"""The body a page's links are judged against: ``BodySelection`` (made by
:func:`linkgraph.extract.body.find_body`) answers the questions the rules of
:mod:`linkgraph.extract.rules` ask about where a link sits: inside boilerplate, in a list of
headlines, in a run of tag links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from selectolax.lexbor import LexborNode

from linkgraph.extract.body_weights import PageWeights, clear_path, is_tag_link, mostly_link_text
from linkgraph.extract.boilerplate import BOILER, LINK_SECTION_HEADING
from linkgraph.extract.settings import (
    BOILERPLATE_MAX_SHARE,
    HEADING_DEPTH,
    HEADING_WRAPPER_SLACK,
    HEADLINE_LIST_DEPTH,
    INLINE_DEPTH,
    KICKER_MAX,
    MAX_DEPTH,
    PROSE_MAX_LINK_SHARE,
    PROSE_MIN,
    SECTION_HEADING_MAX,
    TAG_RUN_DEPTH,
)

__all__ = ["BodySelection", "in_running_text", "is_card", "mark_link_sections"]

_HEADINGS: Final = frozenset({"h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True, slots=True)
class BodySelection:
    """Where the article body is, and which links inside it are boilerplate."""

    root: LexborNode
    method: str = "whole"  # whole / density / jsonld, "+explicit" when a CMS marker decided
    warnings: tuple[str, ...] = ()
    _classifier: PageWeights | None = field(default=None, repr=False, compare=False)

    @property
    def weighed(self) -> bool:
        """True when the body was found by paragraph weight (not "whole": every link of the
        page's ``<body>``); the rules about boilerplate elements need those weights."""
        return self._classifier is not None

    def inside_boilerplate(self, link: LexborNode) -> bool:
        """True when an element between *link* (inside ``root``) and ``root`` is boilerplate
        (memoised by element: the links of one list walk up once)."""
        classifier = self._classifier
        return classifier is not None and not clear_path(classifier, link.parent, self.root)

    def boilerplate_ancestor(self, link: LexborNode) -> LexborNode | None:
        """The element between *link* and ``root`` that makes it boilerplate (for
        explanations: walks up without the memoised verdicts)."""
        classifier = self._classifier
        if classifier is None:
            return None
        limit = BOILERPLATE_MAX_SHARE * max(classifier.of(self.root), 1)
        root_id = self.root.mem_id
        current = link.parent
        for _ in range(MAX_DEPTH):
            if current is None or current.mem_id == root_id:
                return None
            if classifier.flags_of(current) & BOILER and classifier.of(current) <= limit:
                return current
            current = current.parent
        return None

    def in_tag_run(self, link: LexborNode, url: str) -> bool:
        """True when *link* (to *url*, a tag or category page) sits in a row of such links (its
        nearest container with other links is mostly tag links and holds little else): a tag
        list not written as one."""
        classifier = self._classifier
        if classifier is None or not is_tag_link(url):
            return False
        root_id = self.root.mem_id
        container = link.parent
        # strong > a, span > a: up to the element holding the other links
        for _ in range(TAG_RUN_DEPTH):
            if container is None or container.mem_id == root_id:
                return False
            if container.tag not in _INLINE_TAGS or len(container.css("a[href]")) > 1:
                break
            container = container.parent
        if container is None or container.mem_id == root_id:
            return False
        return classifier.tag_run(container)

    def in_headline_list(self, link: LexborNode) -> bool:
        """True when *link* sits in a list of headlines (each item one link, nothing else).

        Such a list of links to the site's own articles is "related" or "read more"; the caller
        drops it for internal links only, since a list of outside links is often the sources.
        """
        classifier = self._classifier
        if classifier is None:
            return False
        root_id = self.root.mem_id
        heading = link.parent
        for _ in range(HEADING_DEPTH):  # h3 > a, h3 > span > a, ...
            if heading is None or heading.tag not in _INLINE_TAGS:
                break
            heading = heading.parent
        if (
            heading is not None
            and (heading.tag in _HEADINGS or _is_title_block(heading))
            and heading.mem_id != root_id
            and _is_headline(_collapse(heading.text()), _collapse(link.text()), heading)
        ):
            # A heading (or a div named a title) that is all one link to the site's own
            # page: a teaser's or another article's headline ("li > h4 > a" cards,
            # "div.storyelement__title > a", several stories on one page).
            return True
        current = link.parent
        for _ in range(HEADLINE_LIST_DEPTH):  # the list is close: li > a, li > h3 > a, ...
            if current is None or current.mem_id == root_id:
                return False
            if current.tag in {"ul", "ol"}:
                return classifier.headline_list(current)
            current = current.parent
        return False


_SECTION_HEADINGS: Final = "h2, h3, h4"


def mark_link_sections(root: LexborNode, weights: PageWeights) -> None:
    """Mark as boilerplate what follows each link-section heading inside *root* ("See also",
    "External links", "You may also like:"), up to the next heading of the same or a higher
    level.  A heading in a wrapper of its own (MediaWiki's ``div.mw-heading``) is followed
    by the wrapper's next siblings.  The marks go into *weights*, which the link verdicts
    (the ``inside_boilerplate`` rule) read: call it before judging any link."""
    for heading in root.css(_SECTION_HEADINGS):
        text = heading.text().strip()
        if len(text) > SECTION_HEADING_MAX or not LINK_SECTION_HEADING.fullmatch(text):
            continue
        level = int((heading.tag or "h4")[1])
        stops = frozenset(f"h{n}" for n in range(1, level + 1))
        stop_query = ", ".join(sorted(stops))
        anchor = heading
        parent = heading.parent
        while parent is not None and parent.mem_id != root.mem_id and _heading_wrapper(parent):
            anchor, parent = parent, parent.parent  # the heading's own wrapper
        sibling = anchor.next
        while sibling is not None:
            tag = sibling.tag
            if tag in ("-text", "-comment"):
                sibling = sibling.next
                continue
            if tag in stops or sibling.css_first(stop_query) or _is_prose(sibling):
                break  # the next section, or text again after a short list
            weights.mark_boilerplate(sibling)
            sibling = sibling.next


def _heading_wrapper(node: LexborNode) -> bool:
    """True when *node* holds a heading and nothing else a reader follows: no link but the
    heading's own and MediaWiki's "[edit]" (``div.mw-heading``), little text besides."""
    headings = node.css(_SECTION_HEADINGS)
    if len(headings) != 1:
        return False
    heading = headings[0]
    links = len(node.css("a[href]"))
    own = len(heading.css("a[href]")) + len(node.css('[class*="editsection"] a[href]'))
    return links == own and len(node.text()) <= len(heading.text()) + HEADING_WRAPPER_SLACK


def _is_prose(node: LexborNode) -> bool:
    """A paragraph of running text (long, and mostly not link text): never part of a list
    of links, so a link section ends before it."""
    if node.tag != "p":
        return False
    text = node.text()
    if len(text) < PROSE_MIN:
        return False
    return sum(len(a.text()) for a in node.css("a")) < len(text) * PROSE_MAX_LINK_SHARE


def is_card(link: LexborNode) -> bool:
    """True when *link* wraps a headline block (``a > div.title``, ``a > h3``) or a block and
    a ``<time>``: a teaser card of another story (image, kicker, headline, date), never a link
    in a sentence.  A photo whose link wraps its caption (a lightbox) is not a card."""
    child = link.first_child
    if child is None or (child.next is None and child.tag == "-text"):
        return False  # a link around its words only, as nearly every link is: no block inside
    blocks = link.css(_CARD_BLOCKS)
    for block in blocks:
        headline = block.tag in _HEADINGS or block.tag == "h1"
        if (headline or _TITLE_CLASS.search(block.attributes.get("class") or "")) and (
            block.text().strip()
        ):
            return True
    # A block of words and a date: a teaser's headline and its time ("div + <time>").
    return bool(blocks) and link.css_first("time") is not None


_CARD_BLOCKS: Final = "div, p, h1, h2, h3, h4, h5, h6, section, header"
_TITLE_CLASS: Final = re.compile(r"title|headline|heading|(?:^|[-_\s])hed\b", re.IGNORECASE)


def _is_title_block(node: LexborNode) -> bool:
    """A ``div`` whose class names it a title or headline."""
    return node.tag == "div" and bool(_TITLE_CLASS.search(node.attributes.get("class") or ""))


# Inline elements a link may sit in inside a sentence.
_INLINE_TAGS: Final = frozenset(
    {"span", "b", "i", "em", "strong", "font", "u", "small", "mark", "cite", "q", "sup", "sub"}
)


# A kicker beside a headline link in one heading ("Updated", "Watch", "Live").
_KICKER: Final = re.compile(r"[^\W\d_]{2,}(?:[\s:|\-]+[^\W\d_]*)*[:|\-]?")


def _is_headline(heading_text: str, link_text: str, heading: LexborNode) -> bool:
    """True when a heading is all one link, or one link and a short kicker label."""
    if heading_text == link_text:
        return True
    if not link_text or len(heading_text) - len(link_text) > KICKER_MAX:
        return False
    if heading_text.endswith(link_text):
        kicker = heading_text[: -len(link_text)]
    elif heading_text.startswith(link_text):
        kicker = heading_text[len(link_text) :]
    else:
        return False
    # A word, not a number: "21) <a>Film</a>" is an entry of a ranked list in the text.
    return _KICKER.fullmatch(kicker.strip()) is not None and len(heading.css("a")) == 1


def in_running_text(link: LexborNode) -> bool:
    """True when *link* sits in a paragraph of prose much longer than itself: a ``rel=tag``
    link inside a sentence is a link in the text, not an entry of a tag list."""
    block = link.parent
    for _ in range(INLINE_DEPTH):
        if block is None or block.tag not in _INLINE_TAGS:
            break
        block = block.parent
    if block is None or block.tag != "p":
        return False
    return not mostly_link_text(len(block.text()), len(link.text()))


def _collapse(text: str) -> str:
    return " ".join(text.split())
