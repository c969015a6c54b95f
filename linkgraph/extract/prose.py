"""The body's prose as sentences, each marked linked or not (``Extraction.sentences``).

Extraction produces them from the body it found, in the same parse, so that analysis (unlinked
attributions) reads them instead of parsing the page again.  A sentence counts as linked when
a real link (``<a href>``) sits in it; a lost link (anchor text whose ``href`` was stripped) is
no link.  Sentences never run across block elements (``BLOCK_TAGS``); script, style and the
like are not prose (``SKIPPED_TAGS``).  Segmentation is :mod:`linkgraph.extract.sentences`'.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Final

from selectolax.lexbor import LexborNode

from linkgraph.extract.context import NOT_TEXT
from linkgraph.extract.sentences import sentence_spans
from linkgraph.records import BodySentence

__all__ = ["BLOCK_TAGS", "SKIPPED_TAGS", "body_sentences"]

# Elements whose text is a paragraph of its own: sentences never run across them.
BLOCK_TAGS: Final = frozenset(
    {"p", "li", "blockquote", "td", "th", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5",
     "h6", "dd", "dt", "pre", "div", "section", "article", "br", "tr", "ul", "ol", "table"}
)
SKIPPED_TAGS: Final = NOT_TEXT | {"iframe", "svg"}
_BREAK: Final = "\n\n"


def body_sentences(root: LexborNode) -> tuple[BodySentence, ...]:
    """The sentences of the body under *root*, paragraph by paragraph, in document order.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser('<p>Reuters said so. <a href="/r">More</a> here.</p><p>End.</p>')
    >>> [(s.text, s.linked) for s in body_sentences(tree.body)]
    [('Reuters said so.', False), ('More here.', True), ('End.', False)]
    """
    parts: list[str] = []
    linked: list[tuple[int, int]] = []
    size = 0
    # Text nodes come in document order, so "inside a link" (or a script) is tracked by how
    # many characters of that element's text are still to come: no walk up the tree.
    link_left = 0
    skip_left = 0
    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-text":
            piece = node.text_content or ""
            if skip_left > 0:
                skip_left -= len(piece)
                continue
            if link_left > 0:
                linked.append((size, size + len(piece)))
                link_left -= len(piece)
            parts.append(piece)
            size += len(piece)
        elif tag == "a":
            if (node.attributes.get("href") or "").strip():
                link_left = len(node.text())
        elif tag in SKIPPED_TAGS:
            skip_left = len(node.text())
        elif tag in BLOCK_TAGS:
            parts.append(_BREAK)
            size += len(_BREAK)
    text = "".join(parts)
    # Link text ranges come in document order and do not overlap: their ends are sorted.
    link_ends = [e for _, e in linked]
    sentences: list[BodySentence] = []
    offset = 0
    for block in text.split(_BREAK):
        if block.strip():
            for start, end in sentence_spans(block):
                a, b = offset + start, offset + end
                first = bisect_right(link_ends, a)  # the first link text ending after a
                has_link = first < len(linked) and linked[first][0] < b
                sentences.append(BodySentence(" ".join(block[start:end].split()), has_link))
        offset += len(block) + len(_BREAK)
    return tuple(sentences)
