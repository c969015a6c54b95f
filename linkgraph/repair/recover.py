"""Recover what a damaged copy lost from its original: stripped hrefs and cut-off text.

``repair_markup`` puts each aligned href back as an ``<a href>`` marked with where it came from
and when (``data-linkgraph-recovered-from``/``-at``: extraction gives such a link the provenance
``recovered``), and appends the text that truncation cut off inside an element marked the same
way.  ``recover_articles`` fetches the originals (``linkgraph.repair.original``) and repairs a
batch of articles; offline, or when nothing matches, an article stays as it was and its lost
links stay lost, with the reason.

>>> fixed = repair_markup("Kyiv </span>urged</span></a> Seoul to act",
...     '<p>Kyiv <a href="https://agency.test/1">urged</a> Seoul to act now.</p>',
...     "https://site.test/wp-json/wp/v2/posts/1", datetime(2024, 1, 2, tzinfo=UTC),
...     truncated=True)
>>> fixed.restored, fixed.lost, fixed.tail
(1, 1, True)
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Final

from linkgraph.extract.lost import RECOVERED_AT_ATTR, RECOVERED_FROM_ATTR, may_have_lost_links
from linkgraph.records import Article
from linkgraph.repair.align import align, ends_cut, href_in, linear_text, tail_start
from linkgraph.repair.original import (
    Original,
    OriginalFinder,
    unwrap_capture_href,
)
from linkgraph.web.config import WebConfig
from linkgraph.web.fetch import Fetcher
from linkgraph.web.resolver import Resolver
from linkgraph.web.wayback import DEFAULT_ARCHIVE_BASE

log = logging.getLogger("linkgraph.repair")

RECOVERED_TEXT_ATTR: Final = "data-linkgraph-recovered"  # on the element holding text put back
_A_OPEN: Final = re.compile(r"<a\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Repair:
    """A repaired body: how many lost anchors there were, how many got their href back, and
    whether text cut off was filled in."""

    markup: str
    lost: int
    restored: int
    tail: bool
    hrefs: tuple[str | None, ...] = ()  # the href put back on each lost anchor, in order
    tail_hrefs: tuple[str, ...] = ()  # the hrefs of the links in the text filled in


@dataclass(frozen=True, slots=True)
class Recovery:
    """What recovery did for one article: the article (repaired, or as it was) and a note
    (where its links came from, or why nothing was recovered)."""

    article: Article
    lost: int
    restored: int
    tail: bool
    note: str
    source: str | None = None  # the URL of the original used
    hrefs: tuple[str | None, ...] = ()  # the href put back on each lost anchor (None: lost)
    tail_hrefs: tuple[str, ...] = ()  # the hrefs of the links in the text filled in


def needs_repair(article: Article) -> bool:
    """True when *article* lost links (orphan ``</a>``) or was cut off."""
    return may_have_lost_links(article.html) or is_truncated(article)


def is_truncated(article: Article) -> bool:
    """True when the reader saw the input cut off, or the body stops inside its text."""
    return any("truncated" in w for w in article.warnings) or ends_cut(article.html)


def _marks(source: str, at: datetime) -> str:
    return (f' {RECOVERED_FROM_ATTR}="{html.escape(source)}"'
            f' {RECOVERED_AT_ATTR}="{at.astimezone(UTC).isoformat()}"')


def repair_markup(
    damaged: str, original: str, source: str, at: datetime, *, truncated: bool,
    href_of: Callable[[str], str] = lambda h: h,
) -> Repair:
    """*damaged* with the hrefs of *original* put back on its lost anchors and, when
    *truncated*, the original's text after the cut appended; every piece put back is marked
    as recovered from *source* at *at*."""
    mine = linear_text(damaged, orphans=True)
    theirs = linear_text(original)
    matches = align(mine, theirs)
    marks = _marks(source, at)
    pieces: list[str] = []
    last = 0
    hrefs: list[str | None] = []
    for match in matches:
        if match is None:
            hrefs.append(None)
            continue
        href = href_of(theirs.anchors[match.link].href or "")
        hrefs.append(href)
        pieces.append(damaged[last : match.markup_start])
        pieces.append(f'<a href="{html.escape(href)}"{marks}>')
        last = match.markup_start
    pieces.append(damaged[last:])
    restored = sum(h is not None for h in hrefs)
    tail = False
    tail_hrefs: tuple[str, ...] = ()
    if truncated:
        cut = tail_start(mine, theirs)
        rest = original[cut:] if cut is not None else ""
        if cut is not None and linear_text(rest).words:
            reopen = _open_anchor(original, cut)
            closes = re.search(r"</a\b|<a\b", rest, re.IGNORECASE)
            # Cut inside an anchor's text: open it again (when its end follows, with words
            # before it), so that its words keep their link.
            if not (reopen and closes and closes.group(0).lower() == "</a"
                    and linear_text(rest[: closes.start()]).words):
                reopen = ""
            marked = _A_OPEN.sub(lambda m: m.group(0) + marks, reopen + rest)
            pieces.append(f'<span {RECOVERED_TEXT_ATTR}="text cut off"{marks}>{marked}</span>')
            tail = True
            tail_hrefs = tuple(href_of(a.href or "") for a in theirs.anchors
                               if a.href is not None and a.markup_end >= cut)
            reopened = href_in(reopen) if reopen else None
            if reopened is not None:
                tail_hrefs = (href_of(reopened), *tail_hrefs)
    return Repair("".join(pieces), len(mine.anchors), restored, tail, tuple(hrefs), tail_hrefs)


def _open_anchor(markup: str, offset: int) -> str:
    """The ``<a ...>`` start tag open at *offset* of *markup*, or ''."""
    before = markup[:offset]
    start = before.lower().rfind("<a ")
    if start < 0 or before.lower().rfind("</a", start) >= 0:
        return ""
    end = before.find(">", start)
    return before[start : end + 1] if end >= 0 else ""


def repair_article(article: Article, original: Original) -> Recovery:
    """*article* repaired from *original* (a new body; nothing else changes)."""
    href_of = unwrap_capture_href if original.how == "archive" else (lambda h: h)
    fixed = repair_markup(article.html, original.body, original.url, original.fetched_at,
                          truncated=is_truncated(article), href_of=href_of)
    if not fixed.restored and not fixed.tail:
        note = (f"nothing in {original.url} matched the {fixed.lost} lost link(s)"
                if fixed.lost else f"{original.url} holds no text after the cut")
        return Recovery(article, fixed.lost, 0, False, note, original.url)
    done = [f"{fixed.restored} of {fixed.lost} lost link(s) restored"] if fixed.lost else []
    if fixed.tail:
        done.append("text cut off filled in")
    note = f"{' and '.join(done)} from {original.url} ({original.how})"
    return Recovery(replace(article, html=fixed.markup), fixed.lost, fixed.restored,
                    fixed.tail, note, original.url, fixed.hrefs, fixed.tail_hrefs)


@dataclass(frozen=True, slots=True)
class RecoverOptions:
    """How originals are fetched: the HTTP layer's settings (its address policy refuses
    private and loopback addresses unless allowed), the resolver (tests inject one) and the
    Wayback-style availability endpoint (``None``: no archive)."""

    web: WebConfig = field(default_factory=WebConfig)
    resolver: Resolver | None = None
    archive_base: str | None = DEFAULT_ARCHIVE_BASE


async def _recover_all(articles: Sequence[Article], options: RecoverOptions) -> list[Recovery]:
    out: list[Recovery] = []
    async with Fetcher(options.web, resolver=options.resolver) as fetcher:
        finder = OriginalFinder(fetcher, options.archive_base)
        for article in articles:
            if not needs_repair(article):
                out.append(Recovery(article, 0, 0, False, "not damaged"))
                continue
            original = await finder.find(article)
            if original is None:
                why = "; ".join(finder.tried) or "it names no original (no REST link, page or guid)"
                out.append(Recovery(article, len(linear_text(article.html, orphans=True).anchors),
                                    0, False, f"no original could be had: {why}"))
                continue
            out.append(repair_article(article, original))
    return out


def recover_articles(articles: Sequence[Article], options: RecoverOptions) -> list[Recovery]:
    """Recover each damaged article of *articles* from its original (network, through the
    HTTP layer); an undamaged one comes back as it is."""
    if not any(needs_repair(a) for a in articles):
        return [Recovery(a, 0, 0, False, "not damaged") for a in articles]
    return asyncio.run(_recover_all(articles, options))
