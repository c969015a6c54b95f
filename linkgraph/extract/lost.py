"""Lost links: a closing ``</a>`` whose opening ``<a href>`` was stripped (as in the seed).

An HTML parser silently drops an end tag with no open element, so these are found in the raw
markup.  The cheap test (:func:`may_have_lost_links`) compares counts; only when there are more
``</a>`` than ``<a`` openings does :func:`mark_lost_links` scan the markup, and it replaces each
orphan ``</a>`` by an empty ``<lg-lost>`` marker element carrying the anchor text.  The marked
markup is parsed again, so the markers sit in document order among the real links and get a
paragraph and a sentence exactly like them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Final

LOST_TAG: Final = "lg-lost"
LOST_TEXT_ATTR: Final = "data-text"
# An <a href> put back by linkgraph.repair.recover carries where its href came from and when
# (ISO 8601); extraction gives its citation the provenance ``recovered``.
RECOVERED_FROM_ATTR: Final = "data-linkgraph-recovered-from"
RECOVERED_AT_ATTR: Final = "data-linkgraph-recovered-at"

# "<a" openings and "</a>" end tags (the capture is "/" for an end tag).
_A_TAGS = re.compile(r"<(/?)[aA](?=[\s/>])")
_TOKENS = re.compile(
    r"<!--.*?(?:-->|\Z)|<script\b.*?(?:</script\s*>|\Z)|<style\b.*?(?:</style\s*>|\Z)"
    r"|<(/?)a(?=[\s/>])[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
# Closing tags (and white space) right before the orphan </a>: "TEXT</span></a>".
_TRAILING_CLOSERS = re.compile(r"(?:</[a-zA-Z][^>]*>\s*)+\Z")
_LOOKBACK: Final = 2000


def may_have_lost_links(markup: str) -> bool:
    """Cheap test, one scan of the text: more ``</a>`` end tags than ``<a`` openings."""
    tags = _A_TAGS.findall(markup)
    closes = tags.count("/")
    return closes > 0 and closes > len(tags) - closes


def _orphan_end_tags(markup: str) -> Iterator[re.Match[str]]:
    """Each ``</a>`` of *markup* that closes no open ``<a``, in order; comments, scripts and
    styles are passed over.  An ``<a>`` opened inside another open ``<a>`` closes it (as HTML
    parsers do), so at most one anchor is open at a time."""
    is_open = False
    for match in _TOKENS.finditer(markup):
        closing = match.group(1)
        if closing is None:
            continue  # comment, script or style
        if not closing:
            is_open = True
        elif is_open:
            is_open = False
        else:
            yield match


def _anchor_span(markup: str, end: int) -> tuple[int, int]:
    """Where the former anchor text before offset *end* (where an orphan ``</a>`` starts)
    runs: from the end of the tag before it to any closing tags right before *end*."""
    start = max(0, end - _LOOKBACK)
    window = markup[start:end]
    trailing = _TRAILING_CLOSERS.search(window)
    text_end = start + (trailing.start() if trailing else len(window))
    return start + window[: text_end - start].rfind(">") + 1, text_end


def _words(markup: str, start: int, end: int) -> str:
    return " ".join(html.unescape(markup[start:end]).split())


def orphan_ends(markup: str) -> list[tuple[int, int, int, str]]:
    """Each orphan ``</a>`` of *markup*: ``(text_start, text_end, tag_end, anchor text)``,
    where the former anchor text runs from *text_start* to *text_end* (before any closing
    tags) and the orphan end tag ends at *tag_end*.

    >>> orphan_ends("a <span>x</span></a> b")
    [(8, 9, 20, 'x')]
    """
    found: list[tuple[int, int, int, str]] = []
    for match in _orphan_end_tags(markup):
        text_start, text_end = _anchor_span(markup, match.start())
        found.append((text_start, text_end, match.end(), _words(markup, text_start, text_end)))
    return found


def mark_lost_links(markup: str) -> tuple[str, int]:
    """Replace each orphan ``</a>`` with an ``<lg-lost data-text=...>`` marker.

    Returns the marked markup and the number of markers.  An ``<a>`` opened inside another open
    ``<a>`` closes it (as HTML parsers do), so at most one anchor is open at a time.

    >>> mark_lost_links("a <span>x</span></a> b")
    ('a <span>x</span><lg-lost data-text="x"></lg-lost> b', 1)
    """
    pieces: list[str] = []
    last = 0
    count = 0
    for match in _orphan_end_tags(markup):
        text = _words(markup, *_anchor_span(markup, match.start()))
        pieces.append(markup[last : match.start()])
        pieces.append(f'<{LOST_TAG} {LOST_TEXT_ATTR}="{html.escape(text)}"></{LOST_TAG}>')
        last = match.end()
        count += 1
    if not count:
        return markup, 0
    pieces.append(markup[last:])
    return "".join(pieces), count
