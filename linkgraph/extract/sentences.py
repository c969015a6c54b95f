"""Sentence segmentation, just enough to give each link the sentence it sits in.

Rule-based and table-driven: a ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets after it) followed by white space ends a sentence unless the word before it is a known
abbreviation ("Dr.", "Jan.", "No. 5"), an initial ("J. Smith"), a dotted acronym ("U.S."), or the
next word starts in lower case.  CJK full stops (``。！？``) end a sentence with no space after
them.  Decimals ("3.5") never split because no space follows the dot.  Korean sentences end with
ASCII punctuation and a space ("...했다. 그는"), which the general rule covers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Final

# Words that, followed by ".", do not end a sentence (compared lower case, without the dot).
ABBREVIATIONS: Final = frozenset(
    {
        "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "ft", "rev", "hon",
        "gen", "col", "lt", "maj", "capt", "cpt", "sgt", "cmdr", "adm", "gov", "sen", "rep",
        "pres", "amb", "supt", "insp", "det", "messrs", "mme", "mlle",
        "no", "nos", "nr", "vol", "vols", "p", "pp", "ch", "chap", "sec", "art", "para", "fig",
        "figs", "eq", "ed", "eds", "est", "approx", "ca", "cf", "vs", "etc", "al", "ibid", "viz",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "inc", "corp", "ltd", "co", "bros", "dept", "univ", "assn", "ave", "blvd", "rd",
        "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "d.c", "ph.d", "b.a", "m.a",
        "s.a", "n.y", "l.a",
    }
)
# Abbreviations that usually precede a number ("No. 5", "p. 12"): never a boundary before a digit.
NUMBER_PREFIXES: Final = frozenset({"no", "nos", "nr", "vol", "p", "pp", "ch", "art", "fig", "sec"})

CJK_TERMINATORS: Final = "。！？｡"
_CLOSERS: Final = "\"'”’»」』）)]"

# A candidate boundary: terminators, closing quotes/brackets, then space (or a CJK terminator).
# A stop followed by a lower-case (ASCII) word never ends a sentence: the look-ahead drops
# those candidates in the regex engine ("e.g. the", "U.S. officials").
# The pattern starts with one character class so that the engine scans for it in C.
_BOUNDARY = re.compile(
    rf"[.!?…{CJK_TERMINATORS}]"
    rf"(?:(?<=[.!?…])[.!?…]*[{re.escape(_CLOSERS)}]*(?:\[\d+\])*(?=\s++(?![a-z]))"
    rf"|(?<=[{CJK_TERMINATORS}])[{CJK_TERMINATORS}]*[{re.escape(_CLOSERS)}]*)"
)
_WORD_BEFORE = re.compile(r"(?<![\w.])([\w.]+)\Z")  # look-behind: linear, not quadratic
_LOOKBEHIND: Final = 40  # characters before a dot searched for the word it ends
_LEADING_SPACE = re.compile(r"\s*")
_FAR: Final = 1 << 62  # sorts after every span end


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    mark = match.group()
    if mark[0] in CJK_TERMINATORS:
        return True
    after = _LEADING_SPACE.match(text, match.end())
    nxt = text[after.end()] if after and after.end() < len(text) else ""
    if not nxt:
        return True
    if nxt.islower():
        return False  # "Dr. smith" never happens, "etc. and" continues the sentence
    mark = mark.split("[", 1)[0]  # reference markers after the stop: "1616.[12] In"
    if mark[0] != "." or len(mark.rstrip(_CLOSERS)) > 1:
        return True  # "!", "?", "…" or "..." followed by a capital
    if len(mark) > 1:
        return True  # 'said." The' : a closing quote after the dot ends the sentence
    word_match = _WORD_BEFORE.search(text[max(0, match.start() - _LOOKBEHIND) : match.start()])
    word = word_match.group(1).lower() if word_match else ""
    if not word:
        return True
    if word in NUMBER_PREFIXES and nxt.isdigit():
        return False
    if word in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. R. R. Tolkien"
    # A dotted acronym ("U.S", "N.Y.C") is not a boundary.
    return not ("." in word and all(len(part) <= 2 for part in word.split(".")))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each sentence of *text*, white space trimmed.

    >>> t = "Dr. Kim met U.S. officials. They left."
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Dr. Kim met U.S. officials.', 'They left.']
    """
    # A boundary ends with a stop, a closing quote or "]": never white space, so only the start
    # of each sentence (after the previous boundary) and the end of the last need trimming.
    spans: list[tuple[int, int]] = []
    start = 0
    space = _LEADING_SPACE.match
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match):
            end = match.end()
            first = space(text, start).end()  # type: ignore[union-attr]
            if first < end:
                spans.append((first, end))
            start = end
    first = space(text, start).end()  # type: ignore[union-attr]
    if first < len(text):
        spans.append((first, len(text.rstrip())))
    return spans


class BlockSentences:
    """The sentences of one block, segmented lazily around each anchor asked for.

    ``spans_around(start, end)`` gives the same spans as ``sentence_spans`` restricted to those
    that can touch ``text[start:end]``, but only judges the candidate boundaries near it (each
    judged once per block): a block with one link no longer has every stop in it examined.
    """

    __slots__ = ("_ends", "_matches", "_stripped", "_verdicts", "_whole", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._matches = list(_BOUNDARY.finditer(text))
        self._ends = [m.end() for m in self._matches]
        self._verdicts: dict[int, bool] = {}
        self._stripped = -1
        self._whole: str | None = None

    def sentence_at(self, start: int, end: int, cap: int = 300) -> str:
        """``sentence_at(text, start, end, cap)``, segmenting only around the anchor.

        A block with no candidate boundary is one sentence: when it fits in *cap* its
        collapsed text is computed once for all of its links.
        """
        end = max(start, end)
        if not self._ends:
            text = self.text
            first = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]
            if self._stripped < 0:
                self._stripped = len(text.rstrip())
            if first <= start and end <= self._stripped and self._stripped - first <= cap:
                if self._whole is None:
                    self._whole = " ".join(text.split())
                return self._whole
        return sentence_at(self.text, start, end, cap, spans=self.spans_around(start, end))

    def _is_true(self, index: int) -> bool:
        verdict = self._verdicts.get(index)
        if verdict is None:
            verdict = self._verdicts[index] = _is_boundary(self.text, self._matches[index])
        return verdict

    def spans_around(self, start: int, end: int) -> list[tuple[int, int]]:
        """The ``sentence_spans`` of the text from the last boundary before *start* to the
        first one after *end* (every span ``sentence_at`` can join for that anchor)."""
        text = self.text
        ends = self._ends
        space = _LEADING_SPACE.match
        before = bisect_left(ends, start) - 1  # the last candidate ending before start
        while before >= 0 and not self._is_true(before):
            before -= 1
        current = ends[before] if before >= 0 else 0
        spans: list[tuple[int, int]] = []
        for index in range(before + 1, len(ends)):
            if not self._is_true(index):
                continue
            stop = ends[index]
            first = space(text, current).end()  # type: ignore[union-attr]
            if first < stop:
                spans.append((first, stop))
            current = stop
            if stop > end:
                return spans
        first = space(text, current).end()  # type: ignore[union-attr]
        if first < len(text):
            if self._stripped < 0:
                self._stripped = len(text.rstrip())
            spans.append((first, self._stripped))
        return spans


def sentence_at(
    text: str, start: int, end: int, cap: int = 300, spans: list[tuple[int, int]] | None = None
) -> str:
    """The sentence(s) of *text* covering ``text[start:end]`` (an anchor), at most ~*cap* chars.

    When the sentence is longer than *cap*, a window of about *cap* characters around the anchor
    is returned, cut at word boundaries and marked with "…".

    >>> sentence_at("One. Two three. Four.", 5, 8)
    'Two three.'
    """
    end = max(end, start)
    a, b = start, end
    if spans is None:
        # Only the neighbourhood matters: a sentence reaching past it is capped anyway.
        lo = max(0, start - 2 * cap)
        spans = [(s + lo, e + lo) for s, e in sentence_spans(text[lo : end + 2 * cap])]
    # Spans are sorted: start from the one before the last span beginning at or before start.
    first = max(bisect_right(spans, (start, _FAR)) - 2, 0)
    for s, e in spans[first:]:
        if s > start and s >= end:
            break
        if s <= start < e or (s < end <= e) or (start <= s and e <= end):
            a, b = min(a, s), max(b, e)
    if b - a <= cap:
        return " ".join(text[a:b].split())
    anchor = end - start
    spare = max(cap - anchor, 0)
    lo = max(a, start - spare // 2)
    hi = min(b, end + (spare - (start - lo)))
    lo = max(a, min(lo, hi - cap))
    if lo > a:
        cut = text.find(" ", lo, start)
        lo = cut + 1 if cut != -1 else lo
    if hi < b:
        cut = text.rfind(" ", end, hi)
        hi = cut if cut != -1 else hi
    snippet = " ".join(text[lo:hi].split())
    return ("…" if lo > a else "") + snippet + ("…" if hi < b else "")
