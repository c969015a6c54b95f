"""Unlinked attribution: sentences that credit an outlet, a poll or a statement, with no link.

"According to Kyiv's state-run news agency Ukrinform", "a Gallup Korea poll", "Yonhap
reported", "said in a statement": the claim has a source, and the reader gets no way to check it.
A sentence counts as linked when a real link (``<a href>``) sits in it; a lost link (anchor text
whose ``href`` was stripped) is no link.

The text comes from the article body: the whole fragment for WordPress content, the body found
by ``linkgraph.extract.body.find_body`` for full pages.  Sentences come from
``linkgraph.extract.sentences``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkgraph.analysis.records import Finding, FindingKind
from linkgraph.extract.body import find_body
from linkgraph.extract.context import NOT_TEXT
from linkgraph.extract.sentences import sentence_spans
from linkgraph.records import Article, BodyKind
from linkgraph.repair.cues import GENERIC_CUES, may_attribute, named_cues
from linkgraph.source_names import name_index, names_in
from linkgraph.sources import Registry

# Elements whose text is a paragraph of its own: sentences never run across them.
BLOCK_TAGS: Final = frozenset(
    {"p", "li", "blockquote", "td", "th", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5",
     "h6", "dd", "dt", "pre", "div", "section", "article", "br", "tr", "ul", "ol", "table"}
)
SKIPPED_TAGS: Final = NOT_TEXT | {"iframe", "svg"}
_BREAK: Final = "\n\n"

@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article body and whether a real link sits in it."""

    text: str
    linked: bool
    paragraph: int = -1  # ordinal of its block of text among the body's non-empty blocks


def body_sentences(article: Article) -> list[Sentence]:
    """The sentences of the article body, paragraph by paragraph, in document order."""
    tree = LexborHTMLParser(article.html)
    root: LexborNode | None = tree.body
    if article.body_kind is BodyKind.PAGE:
        selection = find_body(tree)
        root = selection.root if selection is not None else None
    if root is None:
        return []
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
    sentences: list[Sentence] = []
    offset = 0
    paragraph = -1
    for block in text.split(_BREAK):
        if block.strip():
            paragraph += 1
            for start, end in sentence_spans(block):
                a, b = offset + start, offset + end
                first = bisect_right(link_ends, a)  # the first link text ending after a
                has_link = first < len(linked) and linked[first][0] < b
                sentences.append(Sentence(" ".join(block[start:end].split()), has_link,
                                          paragraph))
        offset += len(block) + len(_BREAK)
    return sentences


def unlinked_attributions(
    article: Article, registry: Registry, own: frozenset[str] = frozenset()
) -> list[Finding]:
    """One finding per unlinked sentence that attributes a claim (the first cue it shows).

    Names of the article's *own* outlets (source keys) do not count: "Mr Obama told the BBC"
    in a BBC article needs no link.
    """
    found: list[Finding] = []
    seen: set[str] = set()
    index = name_index(registry)
    for sentence in body_sentences(article):
        if sentence.linked or sentence.text in seen or not may_attribute(sentence.text):
            continue
        seen.add(sentence.text)
        finding = _attribution(article.id, sentence.text, registry, index, own)
        if finding is not None:
            found.append(finding)
    return found


def _attribution(
    article_id: str, text: str, registry: Registry, index: dict[str, str], own: frozenset[str]
) -> Finding | None:
    names = [n for n in names_in(text, registry) if index[n] not in own]
    for cue in named_cues(tuple(sorted(set(names)))) if names else ():
        match = cue.search(text)
        if match is not None:
            name = match.group("name")
            entry = registry.entry(index[name])
            detail = f"names {entry.name} ({entry.kind.value})" if entry else ""
            return Finding(article_id, FindingKind.UNLINKED_ATTRIBUTION, name, text,
                           detail=detail)
    generic = GENERIC_CUES.search(text)
    if generic is not None:
        return Finding(article_id, FindingKind.UNLINKED_ATTRIBUTION, generic.group(0), text,
                       detail="attribution without a named source")
    return None
