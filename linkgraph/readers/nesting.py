"""A guard against absurdly deep nesting, which makes HTML tree building quadratic.

Lexbor (like the HTML standard's tree builder) scans the stack of open elements when a block
element opens or closes, so a page of 100,000 nested ``<div>`` takes tens of seconds to parse.
Browsers cap the depth (Chrome at 512).  Here a page that could be that deep (large, with many
tags: a cheap byte count, so normal pages pay almost nothing) is scanned once; tags that would
open below ``MAX_NESTING`` levels are dropped with their matching end tags, and their text is
kept.  The caller reports how many tags were dropped.
"""

from __future__ import annotations

import re
from typing import Final

MAX_NESTING: Final = 1000
CHECK_BYTES: Final = 200_000  # smaller pages cannot nest deep enough to be slow (< ~0.5 s)
CHECK_TAGS: Final = 10_000  # nor can pages with fewer '<' than this

_TOKEN: Final = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comments (an unterminated one runs to the end)
    r"|<(script|style|textarea|title|xmp|plaintext)\b[^>]*>.*?(?:</\1\s*>|\Z)"  # raw text
    r"|<(/?)([A-Za-z][^\s/>]*)[^>]*?(/?)>",
    re.IGNORECASE | re.DOTALL,
)
VOID: Final = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr", "keygen"]
)
# End tags a parser implies: these never build depth by themselves.
IMPLIED_END: Final = frozenset(
    ["p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
     "colgroup", "caption", "rb", "rp", "rt", "rtc"]
)


def may_be_deep(data: bytes) -> bool:
    """Cheap test: could this page nest deeply enough to be slow to parse?"""
    return len(data) > CHECK_BYTES and data.count(b"<") > CHECK_TAGS


def flatten_deep_nesting(text: str, limit: int = MAX_NESTING) -> tuple[str, int]:
    """*text* with every element opened deeper than *limit* unwrapped: its start and end tags
    dropped, its content kept.

    Returns the new text and how many elements were unwrapped (0: *text* is returned as it is).

    >>> flatten_deep_nesting("<div><div><div><b>x</b></div></div></div>", limit=2)
    ('<div><div>x</div></div>', 2)
    """
    stack: list[tuple[str, bool]] = []  # (tag name, dropped)
    depth = 0
    out: list[str] = []
    dropped = 0
    last = 0
    for m in _TOKEN.finditer(text):
        name = m.group(3)
        if name is None:
            continue  # a comment or a raw-text element: kept as it is
        name = name.lower()
        if name in VOID or m.group(4) or name in IMPLIED_END:
            continue
        drop = False
        if m.group(2):  # an end tag: close up to the matching start tag, if it is open
            for back in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
                if stack[back][0] == name:
                    drop = stack[back][1]
                    kept_closed = sum(1 for _, was_dropped in stack[back:] if not was_dropped)
                    depth -= kept_closed
                    del stack[back:]
                    break
        elif depth >= limit:
            drop = True
            stack.append((name, True))
        else:
            depth += 1
            stack.append((name, False))
        if drop:
            out.append(text[last : m.start()])
            last = m.end()
            dropped += not m.group(2)
    if not dropped:
        return text, 0
    out.append(text[last:])
    return "".join(out), dropped
