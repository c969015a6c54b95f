"""Align the lost anchors of a damaged copy with the links of its original.

Both copies are read the same way (:func:`linear_text`): the markup's plain text as words, and
each anchor as a span of those words.  A lost anchor (an orphan ``</a>``) and an original
``<a href>`` match when their anchor texts agree and the words around them agree; the matching
keeps document order (a weighted longest common subsequence), so a sentence added or a word
changed between the versions shifts nothing, and no original link is matched twice (an original
that repeats a link offers it twice).

>>> lost = linear_text("Seoul </span>urged</a> Kyiv on Friday.", orphans=True)
>>> original = linear_text('Seoul <a href="https://x.example/">urged</a> Kyiv on Friday.')
>>> align(lost, original)
[Match(link=0, markup_start=13)]
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

from linkgraph.extract.lost import orphan_ends

# Tags, and the text between them; the capture of an <a> start tag is its attributes.
_TOKEN: Final = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<[^>]*>?|[^<]+",
    re.IGNORECASE | re.DOTALL,
)
_A_START: Final = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)
_A_END: Final = re.compile(r"</a\b[^>]*>", re.IGNORECASE)  # "</a href>" is seen in the wild
_HREF: Final = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
# Control characters (not white space) are dropped: damage puts them inside words.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Words: runs of letters, runs of digits ("Bioética1" is a word and a footnote mark), and each
# Chinese or Japanese character on its own (those scripts put no space between words).
_CJK: Final = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD: Final = re.compile(rf"[{_CJK}]|\d+|[^\W\d_{_CJK}]+", re.UNICODE)
_BLOCKS: Final = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|figure|table|tr|br)\b",
                            re.IGNORECASE)

CONTEXT_WORDS: Final = 12  # words each side of an anchor compared between the copies
MIN_TEXT: Final = 0.8  # anchor texts at least this similar
MIN_CONTEXT: Final = 0.5  # and the words around them at least this similar
MIN_CONTEXT_UNIQUE: Final = 0.3  # ... or this, for the same text that the original links once


@dataclass(frozen=True, slots=True)
class Anchor:
    """One anchor of a copy: its text, its href (``None`` for a lost one), its words' span in
    the copy's word list, and where it sits in the markup."""

    text: str
    href: str | None
    first: int  # index of its first word
    last: int  # index after its last word
    markup_start: int  # where its text starts in the markup
    markup_end: int  # where its start tag (or, lost, its text) starts: insert <a> here


@dataclass(frozen=True, slots=True)
class Linear:
    """A copy read as words, with its anchors and the markup offset of each word."""

    words: tuple[str, ...]
    offsets: tuple[int, ...]  # markup offset where each word starts (-1: not known exactly)
    anchors: tuple[Anchor, ...]

    def context(self, anchor: Anchor) -> list[str]:
        """The words around *anchor* (and its own), lower case."""
        start = max(0, anchor.first - CONTEXT_WORDS)
        return [w.lower() for w in self.words[start : anchor.last + CONTEXT_WORDS]]


def _clean(text: str) -> str:
    return _CONTROL.sub("", html.unescape(text))


_ENTITY: Final = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);?")


def _clean_mapped(token: str) -> tuple[str, Callable[[int], int]]:
    """``_clean(token)`` and a map from its offsets to the token's."""
    if "&" not in token and _CONTROL.search(token) is None:
        return token, lambda i: i
    text: list[str] = []
    starts: list[int] = []  # token offset of each character of the clean text
    last = 0
    for m in re.finditer(rf"{_ENTITY.pattern}|{_CONTROL.pattern}", token):
        for k in range(last, m.start()):
            text.append(token[k])
            starts.append(k)
        piece = _CONTROL.sub("", html.unescape(m.group(0)))
        text.append(piece)
        starts.extend([m.start()] * len(piece))
        last = m.end()
    for k in range(last, len(token)):
        text.append(token[k])
        starts.append(k)
    clean = "".join(text)
    return clean, lambda i: starts[i] if i < len(starts) else len(token)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(_clean(text).casefold()))


def linear_text(markup: str, *, orphans: bool = False) -> Linear:
    """*markup* as words and anchors: its ``<a href>`` anchors, or with *orphans* its lost
    anchors (orphan ``</a>`` end tags, as the damaged copy has them)."""
    words: list[str] = []
    offsets: list[int] = []
    spans: list[tuple[int, int]] = []  # (markup offset, words before it) at each text token
    open_a: tuple[int, str | None, int, int] | None = None  # words, href, text start, tag start
    found: list[Anchor] = []
    for match in _TOKEN.finditer(markup):
        token = match.group(0)
        if not token.startswith("<"):
            spans.append((match.start(), len(words)))
            text, where = _clean_mapped(token)
            for word in _WORD.finditer(text):
                words.append(word.group(0))
                offsets.append(match.start() + where(word.start()))
            continue
        if orphans:
            continue
        start = _A_START.match(token)
        if start is not None:
            href_match = _HREF.search(start.group(1))
            href = next((g for g in href_match.groups() if g is not None), "") \
                if href_match else None
            open_a = (len(words), html.unescape(href) if href is not None else None,
                      match.end(), match.start())
        elif _A_END.match(token) and open_a is not None:
            first, href, text_start, tag_start = open_a
            open_a = None
            if href is not None:
                text = " ".join(_clean(markup[text_start : match.start()]).split())
                found.append(Anchor(_strip_tags(text), href, first, len(words), text_start,
                                    tag_start))
    if orphans:
        starts = [s for s, _ in spans]
        for text_start, text_end, _, text in orphan_ends(markup):
            first = _words_before(spans, starts, text_start, markup)
            last = _words_before(spans, starts, text_end, markup)
            found.append(Anchor(text, None, first, last, text_start, text_start))
    return Linear(tuple(words), tuple(offsets), tuple(found))


def href_in(start_tag: str) -> str | None:
    """The href of an ``<a ...>`` start tag (unescaped), or ``None``."""
    match = _A_START.match(start_tag)
    found = _HREF.search(match.group(1)) if match else None
    if found is None:
        return None
    return html.unescape(next(g for g in found.groups() if g is not None))


def _strip_tags(text: str) -> str:
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())


def _words_before(spans: list[tuple[int, int]], starts: list[int], offset: int,
                  markup: str) -> int:
    """How many words of the copy come before markup *offset*."""
    index = bisect_right(starts, offset) - 1
    if index < 0:
        return 0
    token_start, before = spans[index]
    return before + len(_WORD.findall(_clean(markup[token_start:offset])))


def _similar(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True, slots=True)
class Match:
    """A lost anchor's link in the original, and where its text starts in the damaged copy
    (the copy lost its opening tags, so the text before the anchor runs into it: the anchor
    starts where the original's anchor text does)."""

    link: int  # index in ``original.anchors``
    markup_start: int


def _words(linear: Linear, first: int, last: int) -> list[str]:
    return [w.casefold() for w in linear.words[max(0, first) : last]]


def _text_score(mine: list[str], theirs: list[str]) -> float:
    """How alike the end of a lost anchor's text and a link's text are (characters)."""
    if not theirs:
        return 1.0  # a link without text (a picture): the words around it decide
    size = min(len(mine), len(theirs))
    if size == 0:
        return 0.0
    a, b = " ".join(mine[-size:]), " ".join(theirs[-size:])
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def align(damaged: Linear, original: Linear) -> list[Match | None]:
    """For each lost anchor of *damaged*, its link in *original* (and where to put it back),
    or ``None`` when no link matches well enough (nothing is guessed)."""
    lost = damaged.anchors
    index = [i for i, a in enumerate(original.anchors) if a.href is not None]
    links = [original.anchors[i] for i in index]
    link_words = [_words(original, a.first, a.last) for a in links]
    counts: Counter[tuple[str, ...]] = Counter(tuple(w) for w in link_words)
    # Candidates by the anchor text's last word (a link without text, a picture, is a
    # candidate everywhere: the words around it decide).
    by_last: dict[str, list[int]] = {}
    for j, words in enumerate(link_words):
        by_last.setdefault(words[-1] if words else "", []).append(j)
    pictures = by_last.get("", [])
    link_around: dict[int, list[str]] = {}
    pairs: list[tuple[int, int, float, int]] = []  # lost, link, score, first word of anchor
    for i, anchor in enumerate(lost):
        mine = _words(damaged, anchor.first, anchor.last)
        after = _words(damaged, anchor.last, anchor.last + CONTEXT_WORDS)
        arounds: dict[int, list[str]] = {}
        candidates = sorted(set(by_last.get(mine[-1], []) if mine else []) | set(pictures))
        for j in candidates:
            t = _text_score(mine, link_words[j])
            if t < MIN_TEXT:
                continue
            first = anchor.last - min(len(mine), len(link_words[j]))
            around = arounds.get(first)
            if around is None:
                around = arounds[first] = (
                    _words(damaged, first - CONTEXT_WORDS, first) + after)
            theirs = link_around.get(j)
            if theirs is None:
                a = links[j]
                theirs = link_around[j] = (_words(original, a.first - CONTEXT_WORDS, a.first)
                                           + _words(original, a.last, a.last + CONTEXT_WORDS))
            c = _similar(around, theirs)
            unique = t == 1.0 and link_words[j] and counts[tuple(link_words[j])] == 1
            if c >= MIN_CONTEXT or (unique and c >= MIN_CONTEXT_UNIQUE):
                pairs.append((i, j, t + c, first))
    chosen = _heaviest_chain(pairs, len(links))
    out: list[Match | None] = [None] * len(lost)
    for i, j, _, first in chosen:
        out[i] = Match(index[j], _offset(damaged, lost[i], first))
    return out


def _heaviest_chain(
    pairs: list[tuple[int, int, float, int]], width: int
) -> list[tuple[int, int, float, int]]:
    """The pairs, increasing in both the lost anchor and the link, of the greatest total
    score (a weighted longest common subsequence over the candidate pairs only, with a
    prefix-maximum tree over the links: memory and time grow with the pairs, not with lost
    anchors times links)."""
    tree: list[tuple[float, int]] = [(0.0, -1)] * (width + 1)  # Fenwick: (best, pair index)

    def best_before(j: int) -> tuple[float, int]:
        found = (0.0, -1)
        k = j  # links 0..j-1 are tree slots 1..j
        while k > 0:
            if tree[k][0] > found[0]:
                found = tree[k]
            k -= k & -k
        return found

    def offer(j: int, value: tuple[float, int]) -> None:
        k = j + 1
        while k <= width:
            if value[0] > tree[k][0]:
                tree[k] = value
            k += k & -k

    back: list[int] = [-1] * len(pairs)
    total: list[float] = [0.0] * len(pairs)
    row: list[int] = []
    for p, (i, j, score, _) in enumerate(pairs):
        if row and pairs[row[0]][0] != i:
            for q in row:  # a row's pairs never chain with each other
                offer(pairs[q][1], (total[q], q))
            row = []
        value, previous = best_before(j)
        total[p], back[p] = value + score, previous
        row.append(p)
    for q in row:
        offer(pairs[q][1], (total[q], q))
    value, p = best_before(width)
    chain: list[tuple[int, int, float, int]] = []
    while p >= 0:
        chain.append(pairs[p])
        p = back[p]
    return chain[::-1]


def _offset(damaged: Linear, anchor: Anchor, first: int) -> int:
    """The markup offset of word *first* inside *anchor*'s text (its start when unknown)."""
    if first <= anchor.first or first >= len(damaged.offsets):
        return anchor.markup_start
    offset = damaged.offsets[first]
    return offset if offset >= anchor.markup_start else anchor.markup_start


def tail_start(damaged: Linear, original: Linear, *, probe: int = 8) -> int | None:
    """The markup offset in *original* right after the text *damaged* ends with (inside a
    word the cut split), when the damaged copy's last *probe* words before its last one are
    found there once and its last word starts the original's next one; ``None`` otherwise."""
    words = [w.lower() for w in damaged.words]
    if len(words) < 2:
        return None
    # The last word may have been cut in the middle: probe with the words before it.
    tail = words[-probe - 1 : -1]
    if len(tail) < min(probe, len(words) - 1) or not tail:
        return None
    theirs = [w.lower() for w in original.words]
    hits = [k for k in range(len(theirs) - len(tail) + 1) if theirs[k : k + len(tail)] == tail]
    if len(hits) != 1:
        return None
    after = hits[0] + len(tail)  # the index of the (maybe cut) last word in the original
    if after >= len(theirs) or original.offsets[after] < 0:
        return None
    mine, full = words[-1], theirs[after]
    if not full.startswith(mine):
        return None
    return original.offsets[after] + len(mine)


_LAST_TAG: Final = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)[^>]*>\s*\Z")
_BLOCK_ENDS: Final = frozenset({"p", "div", "ul", "ol", "li", "blockquote", "figure", "table",
                                "pre", "h1", "h2", "h3", "h4", "h5", "h6", "section", "iframe",
                                "hr", "br", "img", "dl", "article", "body", "html"})


def ends_cut(markup: str) -> bool:
    """True when *markup* stops inside its text, or after an inline tag (``</a>``,
    ``</span>``): a whole post ends with a block."""
    stripped = markup.rstrip()
    if not stripped:
        return False
    if not stripped.endswith(">"):
        return True
    last = _LAST_TAG.search(stripped)
    return last is not None and last.group(1).lower() not in _BLOCK_ENDS


def block_boundary(markup: str) -> bool:
    """True when *markup* holds block-level tags (paragraph structure)."""
    return _BLOCKS.search(markup) is not None
