"""Sitemaps, feeds, article URLs and URL lists: what they list is fetched, read and stored.

A URL SOURCE is fetched once and read by what it turns out to be (the document's root
element first, then its content type): a sitemap or sitemap index (walked through
``SitemapWalk``, with its depth and document caps), an RSS or Atom feed (entries that carry the
whole article are stored from the feed itself, the others fetched), or an HTML page (one
article).  Every fetch goes through one ``Fetcher``: robots.txt, the address guard and the
per-host politeness apply to each one.

``--since`` drops sitemap entries whose publication date (Google News) or ``lastmod`` is older,
and feed entries dated before it; entries without a date are kept.  A re-run skips the URLs
whose answer is already kept, unless the sitemap or feed dates them after that fetch.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

from linkgraph.collect.bodies import feed_of_body, page_of_body
from linkgraph.collect.errors import SourceError
from linkgraph.collect.feeds import Feed, parse_feed
from linkgraph.collect.kinds import CollectKind, CollectOptions, classify_source
from linkgraph.collect.progress import CollectStats, OnProgress
from linkgraph.collect.sitemaps import (
    Sitemap,
    SitemapEntry,
    SitemapProblem,
    SitemapWalk,
    parse_sitemap,
    robots_sitemaps,
)
from linkgraph.collect.urllists import read_url_sources
from linkgraph.errors import InputError
from linkgraph.records import FetchedBody, Origin, ReadFailure
from linkgraph.sources import Registry
from linkgraph.store import Store
from linkgraph.web.fetch import ACCEPT_HTML, Fetcher, FetchResult

log = logging.getLogger("linkgraph.collect")

ACCEPT_XML: Final = ("application/xml,text/xml;q=0.9,application/rss+xml;q=0.9,"
                     "application/atom+xml;q=0.9,*/*;q=0.5")
ACCEPT_ANY: Final = ("text/html,application/xhtml+xml,application/xml;q=0.9,"
                     "application/rss+xml;q=0.9,application/atom+xml;q=0.9,*/*;q=0.8")
# Where a site without ``Sitemap:`` lines in robots.txt usually has one (WordPress core, Yoast).
SITEMAP_GUESSES: Final = ("wp-sitemap.xml", "sitemap_index.xml", "sitemap.xml")


@dataclass(slots=True)
class _Run:
    """One source's collection: the store, its options and counters, the fetcher."""

    store: Store
    fetcher: Fetcher
    stats: CollectStats
    since: datetime | None
    all_links: bool
    on_progress: OnProgress | None
    max_sitemap_depth: int
    max_sitemaps: int
    kept: dict[str, datetime] = field(default_factory=dict)  # URL -> last 2xx fetch
    infer: bool = True
    registry: Registry | None = None

    def progress(self) -> None:
        self.stats.requests = self.fetcher.requests
        if self.on_progress is not None:
            self.on_progress(self.stats)

    def fail(self, source: str, index: int | None, message: str) -> None:
        log.warning("%s", message)
        self.store.put_failure(ReadFailure(Origin(source, index), message))
        self.stats.failures += 1

    def keep(self, result: FetchResult) -> FetchedBody:
        """Store a fetched document (sitemap, feed) as it came, for provenance."""
        fetched = fetched_body(result)
        self.store.put_collected(fetched, [])
        return fetched

    def skip(self, url: str, changed: datetime | None) -> bool:
        """True when *url* was already fetched and nothing says it changed since."""
        if self.since is not None and changed is not None and changed < self.since:
            return True
        last = self.kept.get(url)
        return last is not None and (changed is None or changed <= last)


def fetched_body(result: FetchResult) -> FetchedBody:
    """The kept form of a fetch result."""
    return FetchedBody(result.url, result.fetched_at, result.status, result.content_type,
                       result.body, result.final_url)


def read_document(result: FetchResult) -> Sitemap | Feed | None:
    """A fetched document as a sitemap or a feed, or ``None`` for anything else (a page)."""
    head = result.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    xmlish = head.startswith((b"<?xml", b"\x1f\x8b")) or (
        "xml" in result.content_type and "html" not in result.content_type)
    if not xmlish and not (head.startswith(b"<") and b"<html" not in head[:300].lower()):
        return None
    try:
        return parse_sitemap(result.body, result.final_url or result.url)
    except InputError:
        pass
    try:
        return parse_feed(result.body, result.final_url or result.url)
    except InputError:
        return None


async def _article(run: _Run, url: str, changed: datetime | None = None) -> None:
    if run.skip(url, changed):
        run.stats.skipped += 1
        return
    result = await run.fetcher.fetch(url, accept=ACCEPT_HTML)
    _store_page(run, url, result)


def _store_page(run: _Run, url: str, result: FetchResult) -> None:
    fetched = fetched_body(result)
    if not result.ok:
        failure = ReadFailure(Origin(url, None, result.fetched_at),
                              f"{url}: not collected: {result.describe()}")
        log.warning("%s", failure.message)
        run.store.put_collected(fetched, [], [failure])
        run.stats.failures += 1
    else:
        page = page_of_body(fetched, all_links=run.all_links, infer=run.infer,
                            registry=run.registry)
        if isinstance(page, ReadFailure):
            log.warning("%s", page.message)
            run.store.put_collected(fetched, [], [page])
            run.stats.failures += 1
        else:
            run.stats.articles += run.store.put_collected(fetched, [page])
    run.stats.pages += 1
    run.progress()


async def _sitemaps(run: _Run, roots: list[str], first: FetchResult | None = None) -> None:
    walk = SitemapWalk(roots, max_depth=run.max_sitemap_depth, max_sitemaps=run.max_sitemaps)
    entries: list[SitemapEntry] = []
    while (url := walk.next_sitemap()) is not None:
        if first is not None and url == first.url:
            result, first = first, None
        else:
            result = await run.fetcher.fetch(url, accept=ACCEPT_XML)
        run.keep(result)
        data: bytes | Exception = (result.body if result.ok
                                   else OSError(f"not fetched: {result.describe()}"))
        for item in walk.add(url, data):
            if isinstance(item, SitemapProblem):
                run.fail(item.source, None, item.message)
            else:
                entries.append(item)
        run.progress()
    if walk.capped is not None:
        run.fail(walk.capped.source, None, walk.capped.message)
    run.stats.total = len(entries)
    for entry in entries:
        await _article(run, entry.url, entry.date)


async def _feed(run: _Run, result: FetchResult, feed: Feed) -> None:
    fetched = fetched_body(result)
    extractions, rest = feed_of_body(fetched, feed, all_links=run.all_links, since=run.since,
                                     infer=run.infer, registry=run.registry)
    failures = [ReadFailure(Origin(feed.source, None, result.fetched_at), problem)
                for problem in feed.problems]
    for failure in failures:
        log.warning("%s", failure.message)
    run.stats.articles += run.store.put_collected(fetched, extractions, failures)
    run.stats.failures += len(failures)
    run.stats.total = len(extractions) + len(rest)
    run.progress()
    for entry in rest:
        await _article(run, entry.url, entry.date)


def _run(
    source: str,
    store: Store,
    options: CollectOptions,
    on_progress: OnProgress | None,
    body: Callable[[_Run], Awaitable[None]],
) -> CollectStats:
    stats = CollectStats(source)

    async def go() -> None:
        async with Fetcher(options.web, resolver=options.resolver,
                           on_result=options.on_fetch) as fetcher:
            run = _Run(store, fetcher, stats, options.since, options.all_links, on_progress,
                       options.max_sitemap_depth, options.max_sitemaps, store.fetched_urls(),
                       infer=options.infer, registry=options.registry)
            try:
                await body(run)
            except SourceError as exc:
                exc.requests = fetcher.requests  # sent before it failed, counted all the same
                raise
            finally:
                stats.requests = fetcher.requests

    asyncio.run(go())
    stats.done = True
    return stats


async def _web_url(run: _Run, source: str) -> None:
    result = await run.fetcher.fetch(source, accept=ACCEPT_ANY)
    document = read_document(result) if result.ok else None
    if isinstance(document, Sitemap):
        await _sitemaps(run, [source], result)
    elif isinstance(document, Feed):
        await _feed(run, result, document)
    elif _looks_listed(source):
        run.keep(result)
        if not result.ok:
            raise SourceError(f"{source}: cannot fetch it: {result.describe()}")
        raise SourceError(f"{source}: the answer ({result.content_type or 'no type'}) is"
                          " neither a sitemap nor an RSS or Atom feed; nothing collected")
    else:
        _store_page(run, source, result)


def collect_web_url(
    source: str, store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """A sitemap, feed or article URL: fetched once, then read by what it is."""

    async def body(run: _Run) -> None:
        await _web_url(run, source)

    return _run(source, store, options, on_progress, body)


def collect_web_urls(
    urls: Sequence[str], store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """Several article URLs through one ``Fetcher``: one robots.txt per site, and the host's
    interval between all of them (each is still read by what it answers)."""

    async def body(run: _Run) -> None:
        run.stats.total = len(urls)
        for url in urls:
            await _web_url(run, url)

    return _run(f"{len(urls)} URLs", store, options, on_progress, body)


def collect_site_sitemaps(
    source: str, store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """A site through its sitemaps: the ``Sitemap:`` lines of its robots.txt, else the first
    of the usual places (``/wp-sitemap.xml``, ``/sitemap_index.xml``, ``/sitemap.xml``) that
    answers with a sitemap."""
    parts = urlsplit(source)
    origin = f"{parts.scheme}://{parts.netloc}"

    async def body(run: _Run) -> None:
        robots = await run.fetcher.fetch(f"{origin}/robots.txt", accept="text/plain")
        roots = (robots_sitemaps(robots.body.decode("utf-8", "replace"), robots.url)
                 if robots.ok else [])
        if roots:
            log.info("%s: sitemaps from robots.txt: %s", source, ", ".join(roots))
            await _sitemaps(run, roots)
            return
        tried = []
        for name in SITEMAP_GUESSES:
            result = await run.fetcher.fetch(f"{origin}/{name}", accept=ACCEPT_XML)
            if result.ok and isinstance(read_document(result), Sitemap):
                await _sitemaps(run, [result.url], result)
                return
            tried.append(f"/{name} ({result.describe()})")
        raise SourceError(f"{source}: no sitemap found: robots.txt lists none, and "
                          f"{', '.join(tried)} gave none; give the sitemap's URL")

    return _run(source, store, options, on_progress, body)


def collect_url_list(
    source: str, store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """A file of article URLs (one per line, or a CSV url column); ``-`` reads stdin."""
    try:
        listed, problems = read_url_sources(files=[source], stdin=sys.stdin)
    except InputError as exc:
        raise SourceError(str(exc)) from exc

    async def body(run: _Run) -> None:
        for problem in problems:
            where, _, _ = problem.partition(": ")
            run.fail(where, None, problem)
        run.stats.total = len(listed)
        for item in listed:
            await _article(run, item.url)

    return _run(source, store, options, on_progress, body)


def collect_urls(
    urls: Iterable[str],
    store: Store,
    options: CollectOptions,
    on_progress: OnProgress | None,
    *,
    label: str,
) -> CollectStats:
    """Article pages, one after another through one ``Fetcher`` (per-host politeness)."""

    async def body(run: _Run) -> None:
        for url in urls:
            await _article(run, url)

    return _run(label, store, options, on_progress, body)


def _looks_listed(source: str) -> bool:
    return classify_source(source) in {CollectKind.SITEMAP, CollectKind.FEED}
