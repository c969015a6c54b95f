"""Collecting a WordPress site through its REST API, resumable and safe against shifting pages.

Paging.  WordPress lists posts newest first by default, so a post published during a crawl
shifts every page by one: page numbers give duplicates, and a deleted post gives gaps.  Here
the list is read in ascending id order (``orderby=id&order=asc``) by ``offset``, and each
request starts one item *before* the end of the previous page, so the first item must be the
last post already seen:

* it is: nothing moved; that item is dropped.
* it is an older id: a post appeared before the cursor (a draft published); ids up to the
  last seen are dropped (no duplicates) and the new post is picked up by the next run, whose
  ``modified_after`` covers it.
* it is a newer id: posts before the cursor were removed and the list moved left; the crawl
  steps back until the overlap is found again (no gaps).

New posts get new, higher ids: they come at the end and are collected in the same run.

Resume and re-runs.  After each page, its articles, the response as fetched and the cursor
(offset, last id) are committed in one transaction; a killed run continues from there.  A
finished crawl leaves a high-water mark (the server's clock at the start of the crawl, in site
time, less an hour for clock and time-zone changes); the next run asks only for posts
``modified_after`` it.  ``since`` asks for posts modified (hence also published) since a date.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Final

from linkgraph.collect.bodies import posts_of_body
from linkgraph.collect.errors import SourceError
from linkgraph.collect.progress import CollectStats, OnProgress
from linkgraph.collect.wp_api import ApiRoot, closed_message, discover, json_of, wp_error
from linkgraph.records import FetchedBody
from linkgraph.sources import Registry
from linkgraph.store import Store
from linkgraph.web.config import WebConfig
from linkgraph.web.fetch import ACCEPT_JSON, Fetcher, FetchResult
from linkgraph.web.resolver import Resolver

log = logging.getLogger("linkgraph.collect")

# Only what linkgraph's WordPress reader reads (linkgraph.readers.wordpress.post_to_article).
FIELDS: Final = "id,date,date_gmt,modified,modified_gmt,link,guid,title,content"
PER_PAGE: Final = 100  # the REST API's maximum
_HIGH_WATER_MARGIN: Final = timedelta(hours=1)
_QUEUE_PAGES: Final = 2  # pages fetched ahead of extraction
_STALE_PAGES: Final = 3
_AGAIN: Final = "what was collected is stored; run the same command later to continue from here"


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a crawl of one source stands (stored as JSON in the store's cursors table)."""

    offset: int = 0  # items of the listing consumed
    last_id: int = 0  # highest post id seen in this pass
    modified_after: str | None = None  # the filter of this pass (site-local ISO time)
    run_start: str | None = None  # this pass's high-water mark, once known
    done: bool = False
    base: str | None = None  # where the REST API answered (after the home page's redirects)

    def dumps(self) -> str:
        """As stored."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def loads(cls, text: str | None) -> Cursor | None:
        """From the stored text; ``None`` for none or an unreadable one."""
        if not text:
            return None
        try:
            return cls(**json.loads(text))
        except (TypeError, ValueError):
            log.warning("unreadable crawl cursor %r; starting over", text[:80])
            return None


@dataclass(frozen=True, slots=True)
class _Page:
    result: FetchResult
    posts: list[tuple[int, Any]]  # the new posts of the answer, with their index in it
    cursor: Cursor
    total: int | None


@dataclass(slots=True)
class _Shared:
    pages: queue.Queue[_Page | BaseException | None] = field(
        default_factory=lambda: queue.Queue(_QUEUE_PAGES)
    )
    stop: threading.Event = field(default_factory=threading.Event)
    requests: int = 0


def _local_high_water(result: FetchResult, api: ApiRoot) -> str | None:
    """The server's clock at *result* in site-local time, less the margin (ISO, no zone)."""
    raw = result.header("date")
    try:
        when = email.utils.parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError):
        when = None
    if when is None:
        return None
    local = when.replace(tzinfo=None) + timedelta(hours=api.gmt_offset) - _HIGH_WATER_MARGIN
    return local.isoformat(timespec="seconds")


def _int_header(result: FetchResult, name: str) -> int | None:
    value = (result.header(name) or "").strip()
    return int(value) if value.isdigit() else None


def _check_listing(api: ApiRoot, result: FetchResult) -> list[Any] | None:
    """The posts of a listing answer; ``None`` past the last page; ``SourceError`` otherwise."""
    if result.error is not None:
        raise SourceError(f"{result.url}: {result.describe()}; {_AGAIN}")
    if result.status in {401, 403, 404, 410}:
        raise SourceError(closed_message(api.site, result))
    if result.status is not None and (result.status >= 500 or result.status == 429):
        raise SourceError(
            f"{result.url}: the server answered {result.status} after {result.attempts}"
            f" tries; {_AGAIN}"
        )
    value = json_of(result) if result.body.strip() else []
    error = wp_error(value)
    if error is not None and error[0] == "rest_post_invalid_page_number":
        return None  # WordPress's way of saying "past the last page"
    if error is not None:
        code, message = error
        raise SourceError(f"{result.url}: WordPress answered {result.status} {code}: {message}")
    if not result.ok:
        raise SourceError(f"{result.url}: HTTP {result.status}")
    if not isinstance(value, list):
        keys = ", ".join(list(value)[:5]) if isinstance(value, dict) else type(value).__name__
        raise SourceError(
            f"{result.url}: the JSON has another shape than WordPress's post list (got {keys});"
            " a plugin may have changed the REST API's output"
        )
    for index, post in enumerate(value):
        if not isinstance(post, dict) or not isinstance(post.get("id"), int):
            what = ", ".join(list(post)[:5]) if isinstance(post, dict) else type(post).__name__
            raise SourceError(
                f"{result.url}#{index}: a post without a numeric id ({what}); a plugin may"
                " have changed the REST API's output"
            )
    return value


class WordPressCrawl:
    """One crawl of one post type of one site (see the module doc for paging and resume)."""

    def __init__(
        self,
        site: str,
        store: Store,
        web: WebConfig,
        *,
        post_type: str = "posts",
        since: datetime | None = None,
        resolver: Resolver | None = None,
        all_links: bool = False,
        per_page: int = PER_PAGE,
        infer: bool = True,
        registry: Registry | None = None,
        on_fetch: Callable[[FetchResult], None] | None = None,
    ) -> None:
        self.on_fetch = on_fetch
        self.site = site
        self.store = store
        self.web = web
        self.post_type = post_type.strip("/")
        self.since = since
        self.resolver = resolver
        self.all_links = all_links
        self.infer = infer
        self.registry = registry
        self.per_page = per_page
        self.stats = CollectStats(site)
        self._key = self._source_key()

    def _source_key(self) -> str:
        since = self.since.isoformat() if self.since else ""
        return f"wordpress:{self.site}:{self.post_type}:since={since}"

    def _start(self, stored: Cursor | None) -> Cursor:
        since = self.since
        floor = since.replace(tzinfo=None).isoformat(timespec="seconds") if since else None
        if stored is not None and not stored.done:
            self.stats.resumed = stored.offset > 0
            return stored
        after = stored.run_start if stored is not None else None
        if floor and (after is None or floor > after):
            after = floor
        return Cursor(modified_after=after)

    def _params(self, cursor: Cursor, offset: int) -> dict[str, str]:
        params = {
            "per_page": str(self.per_page),
            "orderby": "id",
            "order": "asc",
            "offset": str(offset),
            "_fields": FIELDS,
        }
        if cursor.modified_after:
            params["modified_after"] = cursor.modified_after
        return params

    async def _produce(self, shared: _Shared, stored: Cursor | None) -> None:
        async with Fetcher(self.web, resolver=self.resolver, on_result=self.on_fetch) as fetcher:
            try:
                api = await discover(fetcher, self.site)
                route = f"/wp/v2/{self.post_type}"
                if api.routes and route not in api.routes:
                    types = sorted(r.rsplit("/", 1)[1] for r in api.routes
                                   if r.startswith("/wp/v2/") and r.count("/") == 3)
                    raise SourceError(f"{self.site}: no post type {self.post_type!r} in the"
                                      f" REST API; it lists {', '.join(types)}")
                cursor = replace(self._start(stored), base=api.base)
                await self._pages(fetcher, api, route, cursor, shared)
            finally:
                shared.requests = fetcher.requests

    async def _pages(
        self, fetcher: Fetcher, api: ApiRoot, route: str, cursor: Cursor, shared: _Shared
    ) -> None:
        offset = cursor.offset
        stale = 0  # full answers in a row with nothing new: offset ignored (a cache, a plugin)
        while not shared.stop.is_set():
            start = max(0, offset - 1) if cursor.last_id else offset
            result = await fetcher.fetch(api.url(route, self._params(cursor, start)),
                                         accept=ACCEPT_JSON)
            shared.requests = fetcher.requests
            posts = _check_listing(api, result) or []
            if cursor.run_start is None:
                cursor = replace(cursor, run_start=_local_high_water(result, api))
            if posts and cursor.last_id and posts[0]["id"] > cursor.last_id and start > 0:
                # The list moved left (posts before the cursor were removed): step back.
                offset = max(0, start - (self.per_page - 1))
                log.info("%s: the post list moved; stepping back to offset %d", api.site, offset)
                cursor = replace(cursor, offset=offset)
                continue
            fresh = [(i, p) for i, p in enumerate(posts) if p["id"] > cursor.last_id]
            offset = start + len(posts)
            total = _int_header(result, "x-wp-total")
            # A short page ends the list, unless the site caps per_page lower (some plugins
            # and hosts do) and X-WP-Total says there is more.
            full = len(posts) >= self.per_page or (
                bool(posts) and total is not None and offset < total
            )
            stale = stale + 1 if full and not fresh else 0
            if stale >= _STALE_PAGES:
                raise SourceError(
                    f"{result.url}: the API answers the same posts whatever the offset (a cache"
                    " or a plugin ignores the query); collect the site's sitemap instead"
                )
            last_id = max([cursor.last_id, *(p["id"] for _, p in fresh)])
            cursor = replace(cursor, offset=offset, last_id=last_id, done=not full)
            page = _Page(result, fresh, cursor, total)
            while not shared.stop.is_set():
                try:
                    shared.pages.put(page, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if not full:
                return

    def _thread(self, shared: _Shared, stored: Cursor | None) -> None:
        try:
            asyncio.run(self._produce(shared, stored))
        except BaseException as exc:  # handed to the consumer, which raises it
            shared.pages.put(exc)
            return
        shared.pages.put(None)

    def run(self, on_progress: OnProgress | None = None) -> CollectStats:
        """Crawl until done (or ``SourceError``); every page is stored as it arrives."""
        shared = _Shared()
        stored = Cursor.loads(self.store.cursor(self._key))
        thread = threading.Thread(target=self._thread, args=(shared, stored), daemon=True)
        thread.start()
        try:
            for page in self._drain(shared):
                fetched = FetchedBody(page.result.url, page.result.fetched_at,
                                      page.result.status, page.result.content_type,
                                      page.result.body, page.result.final_url)
                extractions, failures = posts_of_body(fetched, page.posts,
                                                      all_links=self.all_links,
                                                      infer=self.infer, registry=self.registry)
                state = page.cursor
                if state.done:
                    state = Cursor(run_start=state.run_start, done=True,
                                   modified_after=state.modified_after, base=state.base)
                self.stats.articles += self.store.put_collected(
                    fetched, extractions, failures, cursor=(self._key, state.dumps())
                )
                self.stats.failures += len(failures)
                self.stats.pages += 1
                self.stats.requests = shared.requests
                if page.total is not None and self.stats.total is None:
                    self.stats.total = page.total
                if on_progress is not None:
                    on_progress(self.stats)
        except SourceError as exc:
            exc.requests = shared.requests  # sent before the source failed, counted all the same
            raise
        finally:
            shared.stop.set()
            thread.join(timeout=5)
        self.stats.requests = shared.requests
        self.stats.done = True
        return self.stats

    @staticmethod
    def _drain(shared: _Shared) -> Iterator[_Page]:
        while True:
            item = shared.pages.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
