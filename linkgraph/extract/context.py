"""The text around each link: its block's text, the link's offset in it, and paragraph numbers.

A block (``BLOCK_TAGS``: a paragraph, list item, quote, cell...) is read once, in one traversal,
for all the links inside it; its sentences are segmented once
(:mod:`linkgraph.extract.sentences`) and each link gets the sentence its anchor sits in.
"""

from __future__ import annotations

from typing import Final

from selectolax.lexbor import LexborNode

from linkgraph.extract.lost import LOST_TAG
from linkgraph.extract.sentences import BlockSentences, sentence_at
from linkgraph.extract.settings import MAX_DEPTH

# Elements that make a paragraph: the context sentence is looked for in their text.
BLOCK_TAGS: Final = frozenset(
    {
        "p", "li", "blockquote", "td", "th", "figcaption", "caption", "h1", "h2", "h3", "h4",
        "h5", "h6", "dd", "dt", "pre", "div", "section", "article", "body", "address",
        "summary", "details", "main", "figure", "table", "ul", "ol", "dl",
    }
)
_PARAGRAPH_TAGS: Final = frozenset(
    {"p", "li", "blockquote", "td", "th", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5",
     "h6", "dd", "dt", "pre", "div"}
)  # elements numbered as paragraphs
_WHOLE_BLOCK_SPANS: Final = 3000  # blocks up to this size are segmented once for all links
NOT_TEXT: Final = frozenset({"script", "style", "noscript", "template"})  # source, not text
_LINK_TAGS: Final = frozenset({"a", LOST_TAG})
# Elements that start a new line of text (all but <br> also start a paragraph).
_LINE_TAGS: Final = frozenset({"br", "p", "li", "div", "td", "tr", "h1", "h2", "h3", "h4"})


def visible_text(node: LexborNode) -> tuple[str, bool]:
    """The text a reader sees in a link, and whether the link holds script or style source
    (left out of the text: a link wrapping only a script is a script hook, not a citation)."""
    child = node.first_child
    if child is None or (child.next is None and child.tag == "-text"):
        return (child.text_content or "") if child is not None else "", False  # text only
    parts: list[str] = []
    hidden = False
    for sub in node.traverse(include_text=True):
        if sub.tag == "-text":
            parent = sub.parent
            if parent is None or parent.tag not in NOT_TEXT:
                parts.append(sub.text_content or "")
            else:
                hidden = True
    return "".join(parts), hidden


def anchor_text(node: LexborNode, raw: str) -> str:
    text = " ".join(raw.split())
    if not text:
        img = node.css_first("img[alt]")
        if img is not None:
            text = " ".join((img.attributes.get("alt") or "").split())
    return text


def block_of(node: LexborNode, stop_id: int) -> LexborNode:
    current = node.parent
    depth = 0
    while current is not None and depth < MAX_DEPTH:
        if current.tag in BLOCK_TAGS or current.mem_id == stop_id:
            return current
        current = current.parent
        depth += 1
    return node.parent or node


class BlockText:
    """The text of one block and the offset of every link node inside it."""

    __slots__ = ("_spans", "breaks", "offsets", "text")

    def __init__(self, block: LexborNode) -> None:
        parts: list[str] = []
        size = 0
        breaks = 0
        self.offsets: dict[int, int] = {}
        # Paragraph breaks seen before each link: numbers paragraphs when the block is the
        # whole root (a fragment whose opening <p> tags were stripped, as in the seed).
        self.breaks: dict[int, int] = {}
        for node in block.traverse(include_text=True):
            tag = node.tag
            if tag == "-text":
                parent = node.parent
                if parent is not None and parent.tag in NOT_TEXT:
                    continue  # script or style source is not text a reader sees
                piece = node.text_content or ""
                parts.append(piece)
                size += len(piece)
            elif tag in _LINK_TAGS:
                self.offsets[node.mem_id] = size
                self.breaks[node.mem_id] = breaks
            elif tag in _LINE_TAGS:
                if tag != "br":
                    breaks += 1
                parts.append(" ")  # a new line of text: never glue two words
                size += 1
        self.text = "".join(parts)
        self._spans: BlockSentences | None = None

    def _sentence(self, start: int, end: int) -> str:
        if len(self.text) <= _WHOLE_BLOCK_SPANS:
            if self._spans is None:
                self._spans = BlockSentences(self.text)
            return self._spans.sentence_at(start, end)
        return sentence_at(self.text, start, end)  # a huge block: segment around the anchor

    def context(self, node: LexborNode, anchor: str, raw_len: int, lost: bool) -> str:
        offset = self.offsets.get(node.mem_id)
        if offset is None:
            at = self.text.find(anchor)
            start = max(at, 0)
            return self._sentence(start, start + len(anchor))
        if lost:
            at = self.text.rfind(anchor, max(0, offset - len(anchor) - 8), offset)
            start = at if at != -1 else max(0, offset - len(anchor))
            return self._sentence(start, offset)
        return self._sentence(offset, offset + raw_len)


class Paragraphs:
    """0-based paragraph index of a block inside the body, computed on first use."""

    __slots__ = ("index", "root")

    def __init__(self, root: LexborNode) -> None:
        self.root = root
        self.index: dict[int, int] | None = None

    def of(self, block: LexborNode) -> int:
        if self.index is None:
            self.index = {}
            count = 0
            # One walk (the root included, as a CSS query matches it) with a tag test: cheaper
            # than a CSS query with this many alternatives.
            for node in self.root.traverse():
                tag = node.tag
                if tag not in _PARAGRAPH_TAGS:
                    continue
                if tag == "div" and not node.text(deep=False).strip():
                    continue
                self.index[node.mem_id] = count
                count += 1
        return self.index.get(block.mem_id, 0)
