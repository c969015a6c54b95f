"""Find and fetch the original of a damaged article: its REST endpoint, its page, or the
capture in a Wayback-style archive closest to the version the damaged copy had.

The article names where it came from: a WordPress post's REST self link (``_links.self``), or
its site's API root plus the post id (``/wp-json/wp/v2/posts/<id>``), its ``link`` page and
its ``guid``.  Every request goes through the one HTTP layer (``linkgraph.web``: address guard,
robots.txt, politeness, size caps).  When the live post was modified after the damaged copy,
the archive's capture of the damaged copy's version comes first: the links it restores are the
ones the damaged copy had.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final
from urllib.parse import urlsplit

from linkgraph.extract.extractor import prepare_page
from linkgraph.readers.html import parse_html_page
from linkgraph.readers.wordpress import post_to_article
from linkgraph.records import Article, BodyKind, Origin, ReadFailure
from linkgraph.urls import HTTP_SCHEMES, scheme_of
from linkgraph.web.fetch import ACCEPT_JSON, Fetcher, FetchResult
from linkgraph.web.wayback import DEFAULT_ARCHIVE_BASE, availability_query

log = logging.getLogger("linkgraph.repair")

# A capture URL ".../web/<14 digits><modifier>/<original URL>"; "id_" asks for the page as
# archived, without the archive's own markup and link rewriting.
_CAPTURE: Final = re.compile(r"^(?P<base>https?://[^/]+(?:/[^/]+)*?/web/)(?P<ts>\d{14})"
                             r"(?P<mod>[a-z_]*)/(?P<url>.+)$")
_POST_ID: Final = re.compile(r"^wp:[^:]+:(\d+)$")
_EDITED_AFTER: Final = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Original:
    """The original of an article: where it came from, when, how (``rest``, ``page`` or
    ``archive``), and its body's markup as the usual extraction rules select it."""

    url: str
    fetched_at: datetime
    how: str
    body: str
    modified: datetime | None = None


def rest_candidates(article: Article) -> list[str]:
    """The REST endpoints of *article*'s post: its self link, else its site's API root plus
    the post id (from the ``link`` page's and the ``guid``'s origins)."""
    out: list[str] = []
    if article.rest_url:
        out.append(article.rest_url)
    post = _POST_ID.match(article.id)
    if post is not None:
        for page in (article.url, article.guid):
            origin = _origin(page)
            if origin:
                endpoint = f"{origin}/wp-json/wp/v2/posts/{post.group(1)}"
                if endpoint not in out:
                    out.append(endpoint)
    return out


def page_candidates(article: Article) -> list[str]:
    """The pages of *article*: its ``link`` (or page URL), then its ``guid``."""
    return [u for u in dict.fromkeys((article.url, article.guid)) if u and _origin(u)]


def _origin(url: str | None) -> str | None:
    if not url or scheme_of(url) not in HTTP_SCHEMES:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


def capture_of(payload: bytes, since: datetime | None) -> str | None:
    """The capture URL (as archived: ``id_``) in an availability answer, when there is one
    taken at or after *since* (the publication; a capture before it is another page)."""
    try:
        closest = json.loads(payload)["archived_snapshots"]["closest"]
        url, stamp = str(closest["url"]), str(closest.get("timestamp", ""))
    except (ValueError, KeyError, TypeError):
        return None
    if not closest.get("available", True) or str(closest.get("status", "200")) != "200":
        return None
    if since is not None:
        try:
            taken = datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            return None
        if taken < since.astimezone(UTC).replace(microsecond=0) - _EDITED_AFTER:
            return None
    match = _CAPTURE.match(url)
    if match is None:
        return url
    return f"{match['base']}{match['ts']}id_/{match['url']}"


def unwrap_capture_href(href: str) -> str:
    """An archive-rewritten link (``.../web/<ts>/<url>``) as the URL it stands for."""
    match = _CAPTURE.match(href)
    return match["url"] if match is not None else href


def _body_of(article: Article) -> str:
    """The body markup of *article* as extraction selects it (the whole fragment of a post)."""
    if article.body_kind is BodyKind.FRAGMENT:
        return article.html
    prepared = prepare_page(article)
    root = prepared.root
    return root.html or "" if root is not None else ""


def _from_rest(result: FetchResult) -> tuple[Article, str] | None:
    try:
        post = json.loads(result.body)
    except ValueError:
        return None
    article = post_to_article(post, Origin(result.url, None, result.fetched_at), [])
    if isinstance(article, ReadFailure) or not article.html.strip():
        return None
    return article, article.html


def _from_page(result: FetchResult, url: str) -> tuple[Article, str] | None:
    page = parse_html_page(result.body, result.url, base=url)
    if isinstance(page, ReadFailure):
        return None
    body = _body_of(page)
    return (page, body) if body.strip() else None


class OriginalFinder:
    """Fetches the original of damaged articles through one ``Fetcher``."""

    def __init__(self, fetcher: Fetcher, archive_base: str | None = DEFAULT_ARCHIVE_BASE):
        self.fetcher = fetcher
        self.archive_base = archive_base
        self.tried: list[str] = []  # what was asked, and why each failed (for the note)

    async def find(self, article: Article) -> Original | None:
        """The best original of *article*, or ``None`` (``self.tried`` says what failed)."""
        self.tried = []
        live: Original | None = None
        async for original in self._live(article):
            live = original
            break
        # The version the damaged copy had (a post scheduled ahead was modified before it was
        # published: its version is its publication).
        version = max((t for t in (article.modified, article.published) if t is not None),
                      default=None)
        edited = (live is not None and live.modified is not None and version is not None
                  and live.modified - version > _EDITED_AFTER)
        if live is not None and not edited:
            return live
        captured = await self._archived(article, version)
        if captured is not None:
            return captured
        if live is not None:
            self.tried.append(f"{live.url}: modified since the damaged copy; used as it is now")
        return live

    async def _live(self, article: Article) -> AsyncIterator[Original]:
        for url in rest_candidates(article):
            result = await self.fetcher.fetch(url, accept=ACCEPT_JSON)
            got = _from_rest(result) if result.ok else None
            if got is None:
                self.tried.append(f"{url}: {result.describe() if not result.ok else 'no post'}")
                continue
            yield Original(url, result.fetched_at, "rest", got[1], got[0].modified)
            return
        for url in page_candidates(article):
            result = await self.fetcher.fetch(url)
            got = _from_page(result, result.final_url or url) if result.ok else None
            if got is None:
                self.tried.append(f"{url}: {result.describe() if not result.ok else 'no body'}")
                continue
            yield Original(url, result.fetched_at, "page", got[1], got[0].modified)
            return

    async def _archived(self, article: Article, version: datetime | None) -> Original | None:
        if not self.archive_base:
            return None
        for page in page_candidates(article):
            query = availability_query(self.archive_base, page, version, to_second=True)
            answer = await self.fetcher.fetch(query, accept=ACCEPT_JSON)
            capture = capture_of(answer.body, article.published) if answer.ok else None
            if capture is None:
                self.tried.append(f"{query}: "
                                  f"{answer.describe() if not answer.ok else 'no capture'}")
                continue
            result = await self.fetcher.fetch(capture)
            got = _from_page(result, page) if result.ok else None
            if got is None:
                self.tried.append(f"{capture}: {result.describe() if not result.ok else 'no body'}")
                continue
            return Original(capture, result.fetched_at, "archive", got[1], got[0].modified)
        return None
