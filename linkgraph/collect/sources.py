"""What a SOURCE argument of ``linkgraph collect`` is, and which collector takes it.

``classify_source`` decides from the text alone (no request): a local file or ``-`` (a URL
list on standard input, or an archive/export file), a sitemap or a feed URL (by their usual
paths), a site's root URL (a WordPress site: its REST API is discovered), or any other URL
(one article page).  ``COLLECTORS`` maps each kind to a function; modules that read sitemaps,
feeds, URL lists and web archives register theirs there.  A kind without a collector is
refused with a clear message, never guessed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Final
from urllib.parse import SplitResult, urlsplit

from linkgraph.collect.bodies import page_of_body
from linkgraph.collect.errors import SourceError
from linkgraph.collect.progress import CollectStats, OnProgress
from linkgraph.collect.wordpress import Cursor, WordPressCrawl
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Extraction, FetchedBody, Origin, ReadFailure
from linkgraph.sources import Registry
from linkgraph.store import Store
from linkgraph.urls import split_userinfo
from linkgraph.web.config import WebConfig
from linkgraph.web.fetch import Fetcher
from linkgraph.web.resolver import Resolver

log = logging.getLogger("linkgraph.collect")


class CollectKind(StrEnum):
    """The kinds of SOURCE ``collect`` understands."""

    WORDPRESS = "wordpress"  # a site's root URL
    SITEMAP = "sitemap"  # sitemap or sitemap index (XML, .xml.gz), robots.txt
    FEED = "feed"  # RSS or Atom
    ARTICLE = "article"  # one article page URL
    URL_LIST = "url_list"  # a file of URLs (one per line, or a CSV column), "-" for stdin
    ARCHIVE = "archive"  # WARC, .warc.gz, WACZ
    FILE = "file"  # any other local file or folder (WordPress JSON, saved pages)


_ARCHIVE_SUFFIXES: Final = (".warc", ".warc.gz", ".wacz", ".arc.gz")
_LIST_SUFFIXES: Final = (".txt", ".csv", ".tsv", ".urls")
_FEED_ENDINGS: Final = ("/feed", "/feed/", "/rss", "/rss/", ".rss", ".atom", "/atom",
                        "/atom/", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml")


def classify_source(source: str) -> CollectKind:
    """The kind of *source* (see the module doc).

    >>> [classify_source(s).value for s in ("https://a.example/wp-sitemap.xml",
    ...  "https://a.example/feed/", "https://a.example/2024/05/story/", "crawl.warc.gz", "-")]
    ['sitemap', 'feed', 'article', 'archive', 'url_list']
    """
    if source == "-":
        return CollectKind.URL_LIST
    parts = _split(source)
    if parts.scheme.lower() not in {"http", "https"}:
        lower = source.lower()
        if lower.endswith(_ARCHIVE_SUFFIXES):
            return CollectKind.ARCHIVE
        if lower.endswith(_LIST_SUFFIXES):
            return CollectKind.URL_LIST
        return CollectKind.FILE
    path = parts.path.lower()
    if path.endswith(_FEED_ENDINGS):
        return CollectKind.FEED
    name = path.rsplit("/", 1)[-1]
    if name == "robots.txt" or "sitemap" in name or name.endswith((".xml", ".xml.gz")):
        return CollectKind.SITEMAP
    if path in {"", "/"} and not parts.query:
        return CollectKind.WORDPRESS
    return CollectKind.ARTICLE


def _split(source: str) -> SplitResult:
    """*source* split, or ``SourceError`` for a malformed address (``http://[::1``)."""
    try:
        return urlsplit(source)
    except ValueError as exc:
        raise SourceError(f"{source}: not a usable address ({exc})") from None


def clean_source(source: str) -> str:
    """*source* without ``user:password@``: credentials in an address are never sent, shown or
    stored (give them with ``-H 'Authorization: …'``, which only the source's origin gets).

    >>> clean_source("https://admin:hunter2@news.example/feed/")
    'https://news.example/feed/'
    """
    return split_userinfo(source)[0] if is_web_source(source) else source


@dataclass(frozen=True, slots=True)
class CollectOptions:
    """Everything a collector needs besides the source and the store."""

    web: WebConfig = field(default_factory=WebConfig)
    since: datetime | None = None
    post_type: str = "posts"
    all_links: bool = False
    resolver: Resolver | None = None  # tests inject a StaticResolver
    infer: bool = True  # infer the sources of lost links and unlinked attributions
    registry: Registry | None = None  # the outlets for inference (the packaged ones: None)


Collector = Callable[[str, Store, CollectOptions, OnProgress | None], CollectStats]


def collect_wordpress(
    source: str, store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """A WordPress site through its REST API."""
    crawl = WordPressCrawl(
        source, store, options.web, post_type=options.post_type, since=options.since,
        resolver=options.resolver, all_links=options.all_links, infer=options.infer,
        registry=options.registry,
    )
    return crawl.run(on_progress)


def collect_article(
    source: str, store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """One article page: fetched, read as a full page at its final URL, extracted, stored."""
    return collect_article_urls([source], store, options, on_progress, label=source)


def collect_article_urls(
    urls: Iterable[str],
    store: Store,
    options: CollectOptions,
    on_progress: OnProgress | None,
    *,
    label: str,
) -> CollectStats:
    """Article pages, one after another through one ``Fetcher`` (per-host politeness)."""
    stats = CollectStats(label)

    async def run() -> None:
        async with Fetcher(options.web, resolver=options.resolver) as fetcher:
            for asked in urls:
                url = split_userinfo(asked)[0]
                result = await fetcher.fetch(url)
                stats.requests = fetcher.requests
                fetched = FetchedBody(url, result.fetched_at, result.status,
                                      result.content_type, result.body, result.final_url)
                if not result.ok:
                    failure = ReadFailure(Origin(url, None, result.fetched_at),
                                          f"{url}: not collected: {result.describe()}")
                    log.warning("%s", failure.message)
                    store.put_collected(fetched, [], [failure])
                    stats.failures += 1
                else:
                    page = page_of_body(fetched, all_links=options.all_links,
                                        infer=options.infer, registry=options.registry)
                    if isinstance(page, ReadFailure):
                        log.warning("%s", page.message)
                        store.put_collected(fetched, [], [page])
                        stats.failures += 1
                    else:
                        stats.articles += store.put_collected(fetched, [page])
                stats.pages += 1
                if on_progress is not None:
                    on_progress(stats)

    asyncio.run(run())
    stats.done = True
    return stats


def collect_files(
    source: str, store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """Files or folders already on disk (WordPress JSON, saved pages): read and stored."""
    stats = CollectStats(source)
    for item in extract_inputs([source], all_links=options.all_links):
        if isinstance(item, ReadFailure):
            log.warning("%s", item.message)
            store.put_failure(item)
            stats.failures += 1
        else:
            store.put_extraction(item)
            stats.articles += 1
        if on_progress is not None and (stats.articles + stats.failures) % 100 == 0:
            on_progress(stats)
    stats.done = True
    return stats


COLLECTORS: dict[CollectKind, Collector] = {
    CollectKind.WORDPRESS: collect_wordpress,
    CollectKind.ARTICLE: collect_article,
    CollectKind.FILE: collect_files,
}


def collect_sources(
    sources: Iterable[str],
    store: Store,
    options: CollectOptions,
    *,
    on_progress: OnProgress | None = None,
    on_error: Callable[[str, SourceError], None] | None = None,
) -> list[CollectStats]:
    """Collect every source in turn.  A source that fails (``SourceError``) is reported to
    *on_error* and the others go on; without *on_error* the error is raised."""
    done: list[CollectStats] = []
    for given in sources:
        source = clean_source(given)
        try:
            kind = classify_source(source)
            collector = COLLECTORS.get(kind)
            if collector is None:
                raise SourceError(f"{source}: a {kind.value} source; this linkgraph cannot"
                                  " collect that kind yet")
            if "://" not in source and source != "-" and not Path(source).exists():
                raise SourceError(f"{source}: no such file")
            done.append(collector(source, store, options, on_progress))
        except SourceError as exc:
            if on_error is None:
                raise
            on_error(source, exc)
    return done


def is_web_source(source: str) -> bool:
    """True for an http(s) address (a site, sitemap, feed or article), False for a file."""
    return source.strip().lower().startswith(("http://", "https://"))


def _under(url: str, prefix: str) -> bool:
    """*url* is *prefix* or below it: the text goes on with '/', '?' or '#' (or ends), so
    http://a.example:3427 is not under http://a.example:342."""
    prefix = prefix.rstrip("/")
    return url.startswith(prefix) and url[len(prefix):len(prefix) + 1] in {"", "/", "?", "#"}


def fetched_from(extraction: Extraction, sources: Iterable[str]) -> bool:
    """True when the article was fetched from under one of the web *sources* (its origin URL
    is the source's address or below it; see ``crawl_prefixes`` for a site that redirects)."""
    origin = extraction.article.origin
    return origin.fetched_at is not None and any(
        _under(origin.path, clean_source(source)) for source in sources)


def crawl_prefixes(store: Store, sources: Iterable[str]) -> tuple[str, ...]:
    """The addresses the crawls of *sources* fetched from: each source, and where a site's
    REST API answered (recorded with its crawl: ``https://www.news.example/wp-json/`` for a
    home page at http://news.example/ that redirects there)."""
    prefixes: list[str] = []
    for source in map(clean_source, sources):
        prefixes.append(source)
        for state in store.cursors(f"wordpress:{source}:"):
            cursor = Cursor.loads(state)
            if cursor is not None and cursor.base:
                prefixes.append(cursor.base.split("?", 1)[0])
    return tuple(dict.fromkeys(prefixes))


def collected_from(store: Store, sources: Iterable[str]) -> Iterator[Extraction]:
    """The stored articles fetched by the crawls of the web *sources*, in id order."""
    wanted = crawl_prefixes(store, sources)
    return (e for e in store.extractions() if fetched_from(e, wanted))
