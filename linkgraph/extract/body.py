"""Body versus boilerplate on a full HTML page.

The article body is chosen in three steps.  The only tree-wide work is one CSS query for
paragraphs (run in C); everything else walks up from paragraphs and links, and each element's
class, id, role and tag are classified once (cached by element).

1. **Paragraph weight.**  Every ``<p>``/``<pre>`` with at least ``MIN_PARAGRAPH`` characters
   (and, on pages without paragraphs, every ``<div>`` with direct text) adds its length to each
   of its ancestors (the numbers are named in :mod:`linkgraph.extract.settings`).  When the
   page has JSON-LD ``articleBody`` text, paragraphs whose text is not in it weigh nothing.
   Paragraphs inside page furniture (``nav``, ``footer``, comments, sidebars, related lists)
   weigh nothing either.
2. **Descent.**  From ``<body>``, step into the child holding most of the weight while it holds
   at least ``DOMINANT`` of it and leaves at most ``MAX_LEFT_BEHIND`` characters outside.
   When no child holds the text outright, one child still wins if its text sits directly in
   paragraphs while every other sizeable child is teaser-like (text spread over one container
   per teaser).  Where the descent stops is the body.  An explicit body marker
   (``itemprop=articleBody`` or a common CMS content class) that is an ancestor of that
   element, or a descendant holding most of its weight, wins: the CMS knows its own body.
3. **Exclusion.**  A link inside the body is dropped when an element between it and the body
   root is boilerplate by tag, role, class or id (share buttons, bylines and author boxes, tag
   lists, related / most-read lists, comments, pagination, ads), unless that element holds a
   large share of the body's paragraph weight (a class name that only looks like boilerplate).
"""

from __future__ import annotations

from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkgraph.extract.body_selection import BodySelection, mark_link_sections
from linkgraph.extract.body_weights import PageWeights
from linkgraph.extract.boilerplate import EXPLICIT, PARAGRAPH_TAGS
from linkgraph.extract.settings import (
    DOMINANT,
    EXPLICIT_MIN_SHARE,
    JSONLD_PREFIX,
    LEFT_BEHIND_DIRECTNESS,
    LEFT_BEHIND_SHARE,
    MAX_DEPTH,
    MAX_LEFT_BEHIND,
    MIN_BODY_WEIGHT,
    MIN_DIRECT_SHARE,
    MIN_DIRECTNESS,
    MIN_JSONLD,
    MIN_PARAGRAPH,
)
from linkgraph.readers.metadata import PARAGRAPH_SELECTOR

__all__ = ["BodySelection", "find_body"]

def _collapse(text: str) -> str:
    return " ".join(text.split())


def _weigh(
    body: LexborNode,
    article_text: str | None,
    paragraphs: Sequence[LexborNode],
    furniture: bool = True,
) -> PageWeights:
    classifier = PageWeights()
    stop = body.mem_id
    seen: set[int] = set()
    for node in paragraphs:
        if node.tag != "br":
            text = node.text()
        else:
            # Text split by <br> directly inside a <div> (no <p>) is paragraphs too.
            parent = node.parent
            if parent is None or parent.tag in {"p", "pre"} or parent.mem_id in seen:
                continue
            seen.add(parent.mem_id)
            node = parent  # noqa: PLW2901 - the paragraph is the <br>'s parent
            text = node.text(deep=False)
        size = len(text.strip())
        if size < MIN_PARAGRAPH:
            continue
        if article_text is not None and _collapse(text)[:JSONLD_PREFIX] not in article_text:
            continue
        classifier.add_paragraph(node, size, stop, furniture)
    classifier.settle(stop, furniture)
    if classifier.of(body) < MIN_BODY_WEIGHT:
        # Pages without <p>: text directly inside <div>s is the body.
        for div in body.css("div, td"):
            size = len(div.text(deep=False).strip())
            if size >= MIN_PARAGRAPH and div.mem_id not in seen:
                classifier.add_paragraph(div, size, stop, furniture)
        classifier.settle(stop, furniture)
    return classifier


def _children(node: LexborNode, classifier: PageWeights) -> list[tuple[int, LexborNode]]:
    """The weighed children of *node* with their weights (memoised: the descent asks often)."""
    key = node.mem_id
    known = classifier.kids.get(key)
    if known is not None:
        return known
    weight = classifier.weight
    out: list[tuple[int, LexborNode]] = []
    child = node.first_child
    while child is not None:
        w = weight.get(child.mem_id, 0)
        if w:
            out.append((w, child))
        child = child.next
    classifier.kids[key] = out
    return out


def _dominant_path(node: LexborNode, classifier: PageWeights) -> LexborNode:
    """Step into the child holding the text outright while there is one."""
    total = classifier.of(node)
    for _ in range(MAX_DEPTH):
        children = _children(node, classifier)
        if not children:
            return node
        best_weight, best = max(children, key=lambda item: item[0])
        if best_weight < DOMINANT * total or total - best_weight > MAX_LEFT_BEHIND:
            return node
        node, total = best, best_weight
    return node


def _directness(node: LexborNode, classifier: PageWeights) -> float:
    """Share of *node*'s weight held by paragraph-like children (or its own text).

    An article body holds its paragraphs directly; a list of teasers holds containers (one
    per teaser) that each hold a paragraph.
    """
    total = classifier.of(node)
    if not total:
        return 0.0
    nested = sum(w for w, c in _children(node, classifier) if c.tag not in PARAGRAPH_TAGS)
    return (total - nested) / total


def _descend(body: LexborNode, classifier: PageWeights) -> LexborNode:
    node = body
    for _ in range(MAX_DEPTH):
        node = _dominant_path(node, classifier)
        children = _children(node, classifier)
        if len(children) < 2:
            return node
        # No child holds the text outright.  Teaser lists hold text too, but spread over one
        # container per teaser, not directly in paragraphs.  Step into the one child whose
        # text sits directly in paragraphs when every other sizeable child is teaser-like.
        scored = sorted(
            ((_directness(_dominant_path(c, classifier), classifier), w, c) for w, c in children),
            key=lambda item: item[0] * item[1],
            reverse=True,
        )
        top_direct, top_weight, top = scored[0]
        if (
            top_direct < MIN_DIRECTNESS
            or top_weight < MIN_DIRECT_SHARE * classifier.of(node)
            or top.tag in PARAGRAPH_TAGS
        ):
            return node
        left_behind = sum(w for d, w, _ in scored[1:] if d >= LEFT_BEHIND_DIRECTNESS)
        if left_behind > min(MAX_LEFT_BEHIND, LEFT_BEHIND_SHARE * top_weight):
            return node
        node = top
    return node


def _ancestor_ids(node: LexborNode) -> set[int]:
    ids: set[int] = set()
    current: LexborNode | None = node
    for _ in range(MAX_DEPTH):
        if current is None:
            break
        ids.add(current.mem_id)
        current = current.parent
    return ids


def _explicit_root(core: LexborNode, classifier: PageWeights) -> LexborNode | None:
    """The best explicit body marker among the weighted elements, if one fits the core."""
    core_id = core.mem_id
    core_weight = classifier.of(core)
    above = _ancestor_ids(core)
    best: LexborNode | None = None
    best_weight = -1
    best_depth = -1
    for key, flags in classifier.flags.items():
        if not flags & EXPLICIT:
            continue
        w = classifier.weight.get(key, 0)
        if w <= 0:
            continue
        candidate = classifier.nodes[key]
        if key in above:
            ok = True
        else:
            ok = w >= EXPLICIT_MIN_SHARE * core_weight and core_id in _ancestor_ids(candidate)
        depth = len(_ancestor_ids(candidate)) if ok else 0
        if ok and (w > best_weight or (w == best_weight and depth > best_depth)):
            best, best_weight, best_depth = candidate, w, depth
    return _with_sibling_chunks(best, classifier) if best is not None else None


def _with_sibling_chunks(best: LexborNode, classifier: PageWeights) -> LexborNode:
    """*best*, or the closest common ancestor of it and the other weighted body markers with
    the same classes (numbered ones aside): a CMS that splits one article into several
    ``article__body`` chunks (each in its own wrapper) marks every chunk alike."""
    classes = _chunk_classes(best.attributes.get("class"))
    if not classes:
        return best
    chunks = [
        node
        for key, flags in classifier.flags.items()
        if flags & EXPLICIT
        and key != best.mem_id
        and classifier.weight.get(key, 0) > 0
        and _chunk_classes((node := classifier.nodes[key]).attributes.get("class")) == classes
    ]
    if not chunks:
        return best
    common = _ancestor_ids(best)
    for chunk in chunks:
        common &= _ancestor_ids(chunk)
    current: LexborNode | None = best
    for _ in range(MAX_DEPTH):
        if current is None or current.mem_id in common:
            break
        current = current.parent
    return current if current is not None else best


def _chunk_classes(classes: str | None) -> frozenset[str]:
    """A body chunk's classes without the numbered ones: "story-body story-body-2" and
    "story-body story-body-1" are chunks of one story."""
    if not classes:
        return frozenset()
    return frozenset(c for c in classes.split() if not any(ch.isdigit() for ch in c))


def find_body(
    tree: LexborHTMLParser,
    article_body: str | None = None,
    paragraphs: Sequence[LexborNode] | None = None,
) -> BodySelection | None:
    """Locate the article body of a full page; ``None`` when the page has no ``<body>``.

    *article_body* is the page's JSON-LD ``articleBody`` as the reader read it
    (``PageMetadata.ld_article_body``; ``None``: the page has none).  *paragraphs* are the
    ``<p>``, ``<pre>`` and ``<br>`` elements of *tree* in document order when the caller has
    collected them already (the HTML reader does, in its metadata query); by default they are
    queried.
    """
    body = tree.body
    if body is None:
        return None
    if article_body is not None and len(article_body) >= MIN_JSONLD:
        article_text = _collapse(article_body)
    else:
        article_text = None
    if paragraphs is None:
        paragraphs = body.css(PARAGRAPH_SELECTOR)  # one traversal for both kinds of paragraph
    classifier = _weigh(body, article_text, paragraphs)
    method = "density"
    if article_text is not None:
        if classifier.of(body) == 0:  # JSON-LD text that matches nothing: ignore it
            classifier = _weigh(body, None, paragraphs)
        else:
            method = "jsonld"
    if classifier.of(body) == 0:  # every paragraph looked like furniture: trust none of it
        classifier = _weigh(body, None, paragraphs, furniture=False)
    if classifier.of(body) == 0:
        return BodySelection(root=body, method="whole", warnings=("no body found, used all links",))
    core = _descend(body, classifier)
    explicit = _explicit_root(core, classifier)
    root = core
    if explicit is not None:
        root, method = explicit, f"{method}+explicit"
    mark_link_sections(root, classifier)
    return BodySelection(root=root, method=method, _classifier=classifier)
