"""The one guard against absurdly deep nesting, which makes HTML tree building quadratic.

Lexbor (like the HTML standard's tree builder) scans the stack of open elements when a block
element opens or closes, so a page of 100,000 nested ``<div>`` takes tens of seconds to parse.
Browsers cap the depth (Chrome at 512).

The policy, for every markup linkgraph parses (a saved page, a WordPress post's content, the
re-parse of a page with lost links marked; all go through
:func:`linkgraph.readers.parsed.parse_markup`): markup that could nest that deep (cheap signs:
a large, tag-dense page, or a run of ``RUN_SIGN`` opening tags with no end tag between them) is
scanned once; tags that would open below ``MAX_NESTING`` levels are dropped with their matching
end tags, and their text is kept.  Nothing is refused: the caller warns with how many elements
were unwrapped.  Extraction, and analysis through what extraction produced, only ever see the
flattened tree.
"""

from __future__ import annotations

import re
from typing import Final

MAX_NESTING: Final = 1000
# Pages smaller than this, or with fewer '<', cannot nest deep enough to take more than about
# half a second (20,000 nested blocks); the corpus's largest page has 19,252 tags.
CHECK_BYTES: Final = 200_000
CHECK_TAGS: Final = 20_000
# The sign for smaller markup (up to CHECK_BYTES): a run of this many opening tags with at
# most 80 characters of text and no end tag between them.
RUN_SIGN: Final = 5000
_RUN: Final = rf"(?:<[a-zA-Z][^<>]*+>[^<]{{0,80}}+){{{RUN_SIGN}}}"
_DEEP_RUN: Final = re.compile(_RUN)
_DEEP_RUN_BYTES: Final = re.compile(_RUN.encode("ascii"))
_WINDOWS: Final = 16
_WINDOW: Final = 4096
# Elements whose start or end tag makes the tree builder scan the stack of open elements (they
# close a <p> in button scope): deep nesting of these is what is slow.  Inline elements are not.
_BLOCK_TAG: Final = re.compile(
    r"<(/?)(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset"
    r"|figcaption|figure|footer|header|hgroup|main|menu|nav|ol|section|summary|ul|h[1-6]|pre"
    r"|listing|form|li|dd|dt|table|search)[\s>/]",
    re.IGNORECASE,
)

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


def _block_depth(text: str) -> int:
    """Upper-bound-ish estimate of how deep block elements nest (start +1, end -1)."""
    depth = deepest = 0
    for slash in _BLOCK_TAG.findall(text):
        if slash:
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def may_be_deep(data: str | bytes) -> bool:
    """Cheap test: could this markup nest deeply enough to be slow to parse?

    Large pages are first sampled (16 windows of 4 KiB, counted in place) so that a normal
    large page costs microseconds; only a tag-dense sample leads to counting every ``<``.
    Smaller markup with enough ``<`` is searched for a run of ``RUN_SIGN`` unclosed tags.

    >>> may_be_deep("<div>" * 6000), may_be_deep("<p>short</p>")
    (True, False)
    """
    size = len(data)
    if size <= CHECK_BYTES:
        if size < 3 * RUN_SIGN or _count_lt(data) < RUN_SIGN:
            return False  # too few tags for such a run: skip the scan
        if isinstance(data, bytes):
            return _DEEP_RUN_BYTES.search(data) is not None
        return _DEEP_RUN.search(data) is not None
    step = size // _WINDOWS
    sampled = sum(_count_lt(data, i * step, i * step + _WINDOW) for i in range(_WINDOWS))
    if sampled * step / _WINDOW < CHECK_TAGS / 2:
        return False
    return _count_lt(data) > CHECK_TAGS


def _count_lt(data: str | bytes, start: int = 0, end: int | None = None) -> int:
    if isinstance(data, bytes):
        return data.count(b"<", start, end)
    return data.count("<", start, end)


def flatten_deep_nesting(text: str, limit: int = MAX_NESTING) -> tuple[str, int]:
    """*text* with every element opened deeper than *limit* unwrapped: its start and end tags
    dropped, its content kept.

    Returns the new text and how many elements were unwrapped (0: *text* is returned as it is).

    >>> flatten_deep_nesting("<div><div><div><b>x</b></div></div></div>", limit=2)
    ('<div><div>x</div></div>', 2)
    """
    if _block_depth(text) <= limit:
        return text, 0  # the quick estimate (block elements only) says there is nothing to do
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
        if name in VOID or m.group(4) or name in IMPLIED_END or name == "a":
            # An <a> is kept at any depth: it holds a link, and it cannot build depth (an <a>
            # opened inside another closes it).
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
