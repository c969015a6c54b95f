"""Caps that keep parsing linear in the input with a bounded constant: tags per page and
attributes per tag.  Applied before parsing by :func:`linkgraph.readers.parsed.guard_markup`,
with the nesting guard (:mod:`linkgraph.readers.nesting`), to every markup linkgraph parses.

- **Tags per page** (``MAX_TAGS``): Lexbor keeps about 290 bytes per element, so 50 MB of
  ``<p>`` (a 50 KB ``.html.gz``) once took 4.6 GB.  Markup with more tags than the cap is cut
  before the first tag over it (the corpus's largest page has 19,252 tags).
- **Attributes per tag** (``MAX_ATTRIBUTES``): Lexbor's attribute handling is quadratic in
  the attribute count of one element (25,000 attributes 1.4 s, 200,000 122 s).  A start or
  end tag keeps its first ``MAX_ATTRIBUTES`` attributes; the rest are dropped.
- **Attributes per page** (``MAX_PAGE_ATTRIBUTES``): Lexbor keeps about 240 bytes per
  attribute (8 MB of 200-attribute tags took 460 MB); markup is cut before the tag that
  would pass the budget.

Each is cheap to rule out: a count of ``<`` for the first, one regular-expression search in C
for the second (a tag with that many attribute-like tokens), a count of the characters an
attribute must follow (whitespace, ``/``, quotes) for the third; only markup that fails a
cheap test (pages of several MB of text) is scanned tag by tag.  The caller warns with what
was cut.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import Final

MAX_TAGS: Final = 500_000
MAX_ATTRIBUTES: Final = 200
MAX_PAGE_ATTRIBUTES: Final = 1_000_000

# The MAX_TAGS-th '<' (a count of '<' is an upper bound of the tags).
_NTH_TAG: Final = re.compile(rf"(?:[^<]*+<){{{MAX_TAGS}}}")
# The cheap test: a tag with MAX_ATTRIBUTES attribute-like tokens.  Token lengths are bounded
# so that one attempt costs at most MAX_ATTRIBUTES short tokens (a longer quoted value counts
# as several tokens: at worst a false alarm, which the exact scan settles).
_GATE_ATTRIBUTE: Final = (
    r"""[\s/]*+[^\s/>][^\s/>=]{0,256}+"""
    r"""(?:\s*+=\s*+(?:"[^"]{0,65536}+"|'[^']{0,65536}+'|[^\s>]{0,1024}+))?+"""
)
_MANY_ATTRIBUTES: Final = re.compile(
    rf"</?[A-Za-z][^\s/>]{{0,256}}+(?:{_GATE_ATTRIBUTE}){{{MAX_ATTRIBUTES + 1}}}"
)
# The exact scan: one tag as the HTML tokenizer reads it (an unterminated quoted value runs
# to the end of the markup, as it does there).
_ATTRIBUTE: Final = re.compile(
    r"""[\s/]*+[^\s/>][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"?+|'[^']*+'?+|[^\s>]*+))?+"""
)
_TAG: Final = re.compile(
    r"""<!--.*?(?:-->|\Z)"""
    r"""|<(/?)([A-Za-z][^\s/>]*+)((?:[\s/]*+[^\s/>][^\s/>=]*+"""
    r"""(?:\s*+=\s*+(?:"[^"]*+"?+|'[^']*+'?+|[^\s>]*+))?+)*+)""",
    re.DOTALL,
)
# Elements whose content is text up to their end tag: no tags are read inside them.
_RAW_TEXT: Final = frozenset(
    ["script", "style", "textarea", "title", "xmp", "plaintext", "iframe", "noembed",
     "noframes", "noscript"]
)


@dataclass(frozen=True, slots=True)
class Capped:
    """Markup after the caps, and what they cut (0: nothing)."""

    text: str
    dropped_tags: int = 0
    kept_chars: int = 0
    capped_tags: int = 0  # tags that lost attributes
    dropped_attributes: int = 0
    attributes_cut_at: int = 0  # characters kept when the page's attribute budget ran out

    def warnings(self, total_chars: int) -> tuple[str, ...]:
        """The warnings for the article (the reader prefixes the file)."""
        out = []
        if self.dropped_tags:
            out.append(
                f"markup cut after its first {MAX_TAGS:,} tags: about {self.dropped_tags:,} "
                f"more tags and the text among them dropped ({self.kept_chars:,} of "
                f"{total_chars:,} characters kept)"
            )
        if self.dropped_attributes:
            out.append(
                f"{self.capped_tags:,} tag(s) with more than {MAX_ATTRIBUTES} attributes: "
                f"{self.dropped_attributes:,} attributes after the first {MAX_ATTRIBUTES} "
                "dropped"
            )
        if self.attributes_cut_at:
            out.append(
                f"markup cut after its first {MAX_PAGE_ATTRIBUTES:,} attributes "
                f"({self.attributes_cut_at:,} of {total_chars:,} characters kept)"
            )
        return tuple(out)


@functools.cache
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile("</" + name, re.IGNORECASE)


def _separators(text: str) -> int:
    """An upper bound of the attributes in *text*: each follows whitespace, '/' or a quote."""
    return sum(text.count(c) for c in " \t\n\r\f/\"'")


def cap_tags(text: str, probe: str | bytes | None = None) -> Capped:
    """*text* cut before its tag number ``MAX_TAGS + 1`` (counting every ``<``).

    >>> capped = cap_tags("<p>" * (MAX_TAGS + 5))
    >>> capped.text.count("<"), capped.dropped_tags
    (500000, 5)
    """
    count = probe.count(b"<") if isinstance(probe, bytes) else (probe or text).count("<")
    if count <= MAX_TAGS:
        return Capped(text)
    total = text.count("<")
    if total <= MAX_TAGS:
        return Capped(text)
    found = _NTH_TAG.match(text)
    assert found is not None
    cut = found.end()  # just after the MAX_TAGS-th '<': the next '<' is the first dropped
    following = text.find("<", cut)
    kept = text[:following]
    return Capped(kept, dropped_tags=total - MAX_TAGS, kept_chars=len(kept))


def cap_attributes(text: str) -> Capped:
    """*text* with every tag's attributes after the first ``MAX_ATTRIBUTES`` dropped.

    >>> tag = "<p " + " ".join(f"a{i}" for i in range(MAX_ATTRIBUTES + 3)) + ">x</p>"
    >>> capped = cap_attributes(tag)
    >>> capped.text.endswith(f"a{MAX_ATTRIBUTES - 1}>x</p>"), capped.dropped_attributes
    (True, 3)
    """
    if _MANY_ATTRIBUTES.search(text) is None and _separators(text) <= MAX_PAGE_ATTRIBUTES:
        return Capped(text)
    out: list[str] = []
    last = 0
    capped = dropped = 0
    pos = 0
    budget = MAX_PAGE_ATTRIBUTES
    while (start := text.find("<", pos)) != -1:
        tag = _TAG.match(text, start)
        if tag is None:
            pos = start + 1
            continue
        pos = max(tag.end(), start + 1)
        name = tag.group(2)
        if name is None:
            continue  # a comment
        attributes_start, attributes_end = tag.span(3)
        if attributes_end > attributes_start:
            budget -= min(MAX_ATTRIBUTES,
                          len(_ATTRIBUTE.findall(text, attributes_start, attributes_end)))
            if budget < 0:  # the page's attribute budget is spent: cut before this tag
                out.append(text[last:start])
                head = "".join(out)
                return Capped(head, capped_tags=capped, dropped_attributes=dropped,
                              attributes_cut_at=len(head))
        if attributes_end - attributes_start > 2 * MAX_ATTRIBUTES:  # too short to be over
            found = _ATTRIBUTE.finditer(text, attributes_start, attributes_end)
            kept = [m.end() for m in itertools.islice(found, MAX_ATTRIBUTES)]
            more = sum(1 for _ in found)
            if more:
                out.append(text[last : kept[-1]])
                last = attributes_end
                capped += 1
                dropped += more
        if not tag.group(1) and name.lower() in _RAW_TEXT:
            close = _end_tag(name.lower()).search(text, pos)
            pos = len(text) if close is None else close.start()
    if not capped:
        return Capped(text)
    out.append(text[last:])
    return Capped("".join(out), capped_tags=capped, dropped_attributes=dropped)
