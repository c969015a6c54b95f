"""Body versus boilerplate on a full HTML page.

The article body is chosen in three steps, each cheap on a Lexbor tree (a handful of CSS
queries run in C, then Python work proportional to the number of paragraphs, not of nodes):

1. **Paragraph weight.**  Every ``<p>``/``<pre>`` with at least ``MIN_PARAGRAPH`` characters
   (and, on pages without paragraphs, every ``<div>`` with direct text) adds its length to each
   of its ancestors.  When the page has JSON-LD ``articleBody`` text, paragraphs whose text is
   not found in it weigh nothing.  Paragraphs inside obvious boilerplate (``nav``, ``footer``,
   comments, ...) weigh nothing either.
2. **Descent.**  From ``<body>``, step into the child holding most of the weight while it holds
   at least ``DOMINANT`` of it.  Where the descent stops is the body (a page split over
   sibling blocks stops above them).  An explicit body marker (``itemprop=articleBody`` or a
   common CMS content class) that is an ancestor of that node, or a descendant holding most
   of its weight, wins: the CMS knows its own body.
3. **Exclusion.**  Inside the body, subtrees that are boilerplate by tag, role, class or id
   (share buttons, author boxes, tag lists, related / most-read lists, comments, pagination)
   are dropped, unless one of them holds much of the body's paragraph weight (a class name
   that only looks like boilerplate).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

logger = logging.getLogger(__name__)

MIN_PARAGRAPH: Final = 30  # characters of text for a <p> to count as body text
DOMINANT: Final = 0.7  # share of the weight a child needs for the descent to step into it
MAX_LEFT_BEHIND: Final = 400  # characters of paragraph text the descent may leave outside
MAX_DEPTH: Final = 400  # ancestor walks stop here (pathologically nested pages)

# Explicit markers of the article body, most specific first.
BODY_SELECTORS: Final = (
    "[itemprop~=articleBody]",
    "[itemprop~=reviewBody]",
    "[data-testid=article-body]",
    ".entry-content",
    ".post-content",
    ".post-body",
    ".postBody",
    ".article-body",
    ".articleBody",
    ".article__body",
    ".article-body-text",
    ".article-content",
    ".article__content",
    ".article-text",
    ".articleText",
    ".story-body",
    ".story-content",
    ".story-text",
    ".StoryBodyCompanionColumn",
    ".content-body",
    ".body-content",
    ".body-text",
    ".c-entry-content",
    ".td-post-content",
    ".field-name-body",
    ".news-body",
    ".post-entry",
    ".entry-body",
    "#article-body",
    "#articleBody",
    "#story-body",
    "#storytext",
    "#content-body",
)
BODY_SELECTOR: Final = ", ".join(BODY_SELECTORS)

# Boilerplate containers, by tag, role, class or id fragments.
_BOILERPLATE_WORDS: Final = (
    "share", "sharing", "social", "related", "comment", "disqus", "byline", "author-bio",
    "author-box", "authorbox", "author-info", "about-author", "breadcrumb", "pagination", "pager",
    "newsletter", "subscribe", "signup", "promo", "advert", "sponsor", "sidebar", "recommend",
    "most-read", "mostread", "most-popular", "popular", "trending", "read-more", "readmore",
    "more-stories", "tag-list", "taglist", "post-tags", "entry-tags", "article-tags", "tags-",
    "-tags", "topics", "keywords", "footer", "masthead", "navbar", "menu", "outbrain", "taboola",
    "print-", "toolbar", "widget", "cookie", "paywall-prompt", "caas-share", "jp-relatedposts",
    "post-meta", "entry-meta", "article-meta", "meta-data", "nav-", "-nav", "next-prev",
    "prev-next", "see-also", "author", "sig-line", "follow", "credit", "story-ad", "ad-slot",
    "adslot", "ad-container", "ad-wrapper", "continue-reading",
)
_BOILERPLATE_ID_WORDS: Final = (
    "share", "social", "related", "comment", "disqus", "sidebar", "footer", "menu", "nav",
    "breadcrumb", "newsletter", "recommend", "most-", "author", "outbrain", "taboola",
)
BOILERPLATE_SELECTORS: Final = (
    "nav",
    "aside",
    "footer",
    "header",
    "form",
    "menu",
    "[role=navigation]",
    "[role=complementary]",
    "[role=contentinfo]",
    "[role=banner]",
    "[aria-hidden=true]",
    "[hidden]",
    "[rel~=author]",
    "[rel~=tag]",
    ".ad",
    ".ads",
    ".advertisement",
    *(f"[class*={w}]" for w in _BOILERPLATE_WORDS),
    # Ids name fewer kinds of boilerplate; a short list keeps this query cheap.
    *(f"[id*={w}]" for w in _BOILERPLATE_ID_WORDS),
)
BOILERPLATE_SELECTOR: Final = ", ".join(BOILERPLATE_SELECTORS)
# The cheap subset used on the whole page (paragraphs inside these weigh nothing); the full
# list above only runs inside the chosen body, where it costs less.
PAGE_BOILERPLATE_SELECTOR: Final = ", ".join(
    (
        "nav", "aside", "footer", "form", "[role=navigation]", "[role=complementary]",
        "[class*=comment]", "[id*=comment]", "[class*=related]", "[class*=sidebar]",
        "[id*=sidebar]", "[class*=footer]", "[id*=footer]",
    )
)
# A boilerplate match that holds this share of the body's paragraph weight is a false alarm.
BOILERPLATE_MAX_SHARE: Final = 0.25


@dataclass(frozen=True, slots=True)
class BodySelection:
    """Where the article body is: a root element and the subtrees inside it to drop."""

    root: LexborNode
    excluded: tuple[LexborNode, ...] = ()
    method: str = "whole"  # whole / density / explicit / jsonld+...
    warnings: tuple[str, ...] = field(default=())


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _find_article_body(data: Any, depth: int = 0) -> str | None:
    if depth > 8:
        return None
    if isinstance(data, dict):
        value = data.get("articleBody")
        if isinstance(value, str) and value.strip():
            return value
        items: Any = data.values()
    elif isinstance(data, list):
        items = data
    else:
        return None
    for item in items:
        if isinstance(item, dict | list):
            found = _find_article_body(item, depth + 1)
            if found:
                return found
    return None


def jsonld_article_body(tree: LexborHTMLParser) -> str | None:
    """The JSON-LD ``articleBody`` text of the page, whitespace collapsed, if any."""
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True)
        if "articleBody" not in raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        found = _find_article_body(data)
        if found and len(found) >= 200:
            return _collapse(found)
    return None


class _Weights:
    """Paragraph weight per element (mem_id), summed over descendants."""

    __slots__ = ("nodes", "weight")

    def __init__(self) -> None:
        self.weight: dict[int, int] = {}
        self.nodes: dict[int, LexborNode] = {}

    def add(self, node: LexborNode, amount: int, stop_id: int) -> None:
        current: LexborNode | None = node
        depth = 0
        while current is not None and depth < MAX_DEPTH:
            key = current.mem_id
            self.weight[key] = self.weight.get(key, 0) + amount
            if key not in self.nodes:
                self.nodes[key] = current
            if key == stop_id:
                return
            current = current.parent
            depth += 1

    def of(self, node: LexborNode) -> int:
        return self.weight.get(node.mem_id, 0)


def _inside(node: LexborNode, ids: set[int], stop_id: int) -> bool:
    current: LexborNode | None = node
    depth = 0
    while current is not None and depth < MAX_DEPTH:
        key = current.mem_id
        if key == stop_id:
            return False
        if key in ids:
            return True
        current = current.parent
        depth += 1
    return False


def _paragraph_weights(
    body: LexborNode, boiler_ids: set[int], article_text: str | None
) -> _Weights:
    weights = _Weights()
    stop = body.mem_id
    paragraphs = body.css("p, pre")
    for para in paragraphs:
        text = para.text()
        size = len(text.strip())
        if size < MIN_PARAGRAPH:
            continue
        if article_text is not None and _collapse(text)[:80] not in article_text:
            continue
        if _inside(para, boiler_ids, stop):
            continue
        weights.add(para, size, stop)
    if weights.of(body) < 200:
        # Pages without <p>: text directly inside <div>s (separated by <br>) is the body.
        for div in body.css("div, td"):
            size = len(div.text(deep=False).strip())
            if size >= MIN_PARAGRAPH and not _inside(div, boiler_ids, stop):
                weights.add(div, size, stop)
    return weights


def _descend(body: LexborNode, weights: _Weights) -> LexborNode:
    node = body
    total = weights.of(node)
    for _ in range(MAX_DEPTH):
        best: LexborNode | None = None
        best_weight = 0
        child = node.child
        while child is not None:
            w = weights.weight.get(child.mem_id, 0)
            if w > best_weight:
                best, best_weight = child, w
            child = child.next
        rest = total - best_weight
        if best is None or best_weight < DOMINANT * total or rest > MAX_LEFT_BEHIND:
            return node
        node, total = best, best_weight
    return node


def _is_ancestor(ancestor: LexborNode, node: LexborNode) -> bool:
    target = ancestor.mem_id
    current: LexborNode | None = node
    depth = 0
    while current is not None and depth < MAX_DEPTH:
        if current.mem_id == target:
            return True
        current = current.parent
        depth += 1
    return False


def _explicit_root(
    body: LexborNode, core: LexborNode, weights: _Weights
) -> LexborNode | None:
    core_weight = weights.of(core)
    best: LexborNode | None = None
    best_weight = -1
    for candidate in body.css(BODY_SELECTOR):
        w = weights.of(candidate)
        if _is_ancestor(candidate, core):
            ok = True
        else:
            ok = w >= 0.6 * core_weight and w > 0 and _is_ancestor(core, candidate)
        if ok and (best is None or w > best_weight or (w == best_weight)):
            # Equal weight: keep the later (deeper, since css() is in document order) match.
            best, best_weight = candidate, w
    return best


def find_body(tree: LexborHTMLParser) -> BodySelection | None:
    """Locate the article body of a full page; ``None`` when the page has no ``<body>``."""
    body = tree.body
    if body is None:
        return None
    article_text = jsonld_article_body(tree)
    boiler_nodes = body.css(PAGE_BOILERPLATE_SELECTOR)
    boiler_ids = {n.mem_id for n in boiler_nodes}
    weights = _paragraph_weights(body, boiler_ids, article_text)
    method = "density"
    if article_text is not None:
        if weights.of(body) == 0:  # JSON-LD text that matches nothing: ignore it
            weights = _paragraph_weights(body, boiler_ids, None)
        else:
            method = "jsonld"
    if weights.of(body) == 0:
        weights = _paragraph_weights(body, set(), None)
    if weights.of(body) == 0:
        return BodySelection(root=body, method="whole", warnings=("no body found, used all links",))
    core = _descend(body, weights)
    explicit = _explicit_root(body, core, weights)
    root = core
    if explicit is not None:
        root = explicit
        method = f"{method}+explicit"
    root_weight = max(weights.of(root), 1)
    root_id = root.mem_id
    excluded: list[LexborNode] = []
    for node in root.css(BOILERPLATE_SELECTOR):
        if node.mem_id == root_id:
            continue
        if weights.of(node) > BOILERPLATE_MAX_SHARE * root_weight:
            continue
        excluded.append(node)
    return BodySelection(root=root, excluded=tuple(excluded), method=method)
