"""Which collector takes a SOURCE of ``linkgraph collect``, and collecting them in turn.

``classify_source`` (in ``kinds``) names the kind of a SOURCE; ``COLLECTORS`` maps each kind to
a function: a WordPress site's REST API (or its sitemaps with ``CollectOptions.sitemap``), a
sitemap, feed or article URL (read by what its answer is: ``listed``), a URL list, a web
archive or any other file (read, not fetched).  A kind without a collector is refused with a
clear message, never guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from linkgraph.collect.errors import SourceError
from linkgraph.collect.kinds import CollectKind, CollectOptions, classify_source
from linkgraph.collect.listed import (
    collect_site_sitemaps,
    collect_url_list,
    collect_web_url,
    collect_web_urls,
)

# Article pages one after another (``listed.collect_urls``), under the name it has here.
from linkgraph.collect.listed import collect_urls as collect_article_urls
from linkgraph.collect.progress import CollectStats, OnProgress
from linkgraph.collect.wordpress import Cursor, WordPressCrawl
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Extraction, ReadFailure
from linkgraph.store import Store
from linkgraph.urls import split_userinfo

__all__ = [
    "COLLECTORS",
    "CollectKind",
    "CollectOptions",
    "classify_source",
    "clean_source",
    "collect_article_urls",
    "collect_sources",
    "collected_from",
    "crawl_prefixes",
    "fetched_from",
    "is_web_source",
]

log = logging.getLogger("linkgraph.collect")


Collector = Callable[[str, Store, CollectOptions, OnProgress | None], CollectStats]


def collect_wordpress(
    source: str, store: Store, options: CollectOptions, on_progress: OnProgress | None
) -> CollectStats:
    """A WordPress site through its REST API (through its sitemaps with ``options.sitemap``)."""
    if options.sitemap:
        return collect_site_sitemaps(source, store, options, on_progress)
    crawl = WordPressCrawl(
        source, store, options.web, post_type=options.post_type, since=options.since,
        resolver=options.resolver, all_links=options.all_links, on_fetch=options.on_fetch,
        infer=options.infer, registry=options.registry,
    )
    return crawl.run(on_progress)


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
    CollectKind.SITEMAP: collect_web_url,
    CollectKind.FEED: collect_web_url,
    CollectKind.ARTICLE: collect_web_url,
    CollectKind.URL_LIST: collect_url_list,
    CollectKind.ARCHIVE: collect_files,  # WARC, .warc.gz, WACZ: read, never fetched
    CollectKind.FILE: collect_files,
}


def collect_sources(
    sources: Iterable[str],
    store: Store,
    options: CollectOptions,
    *,
    on_progress: OnProgress | None = None,
    on_error: Callable[[str, SourceError], None] | None = None,
    url_lists: Sequence[str] = (),
) -> list[CollectStats]:
    """Collect every source in turn (first the *url_lists*: files of article URLs, ``-`` for
    standard input, whatever their names).  A source that fails (``SourceError``) is reported
    to *on_error* and the others go on; without *on_error* the error is raised."""
    done: list[CollectStats] = []
    items = [(CollectKind.URL_LIST, s) for s in url_lists]
    for given in sources:
        source = clean_source(given)  # user:password@ is never sent, shown or stored
        try:
            items.append((classify_source(source), source))
        except SourceError as exc:  # a malformed address ("http://[::1")
            if on_error is None:
                raise
            on_error(source, exc)
    # Article URLs share one fetcher (one robots.txt per site, the host's interval between
    # them all): collected together where the first one stands.
    articles = [s for kind, s in items if kind is CollectKind.ARTICLE]
    together = len(articles) > 1 and COLLECTORS.get(CollectKind.ARTICLE) is collect_web_url
    for kind, source in items:
        if together and kind is CollectKind.ARTICLE:
            if source == articles[0]:
                done.append(collect_web_urls(articles, store, options, on_progress))
            continue
        collector = COLLECTORS.get(kind)
        try:
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


def clean_source(source: str) -> str:
    """*source* without ``user:password@``: credentials in an address are never sent, shown or
    stored (give them with ``-H 'Authorization: …'``, which only the source's origin gets).

    >>> clean_source("https://admin:hunter2@news.example/feed/")
    'https://news.example/feed/'
    """
    return split_userinfo(source)[0] if is_web_source(source) else source


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
    """The addresses the crawls of *sources* fetched from: each source; for a sitemap or a
    feed, its site; for a WordPress site, also where its REST API answered (recorded with the
    crawl: ``https://www.news.example/wp-json/`` when http://news.example/ redirects there)."""
    prefixes: list[str] = []
    for source in map(clean_source, sources):
        prefixes.append(source)
        try:
            kind = classify_source(source)
        except SourceError:
            continue
        if kind in {CollectKind.SITEMAP, CollectKind.FEED}:
            parts = urlsplit(source)
            prefixes.append(f"{parts.scheme}://{parts.netloc}")
        for state in store.cursors(f"wordpress:{source}:"):
            cursor = Cursor.loads(state)
            if cursor is not None and cursor.base:
                prefixes.append(cursor.base.split("?", 1)[0])
    return tuple(dict.fromkeys(prefixes))


def collected_from(store: Store, sources: Iterable[str]) -> Iterator[Extraction]:
    """The stored articles fetched by the crawls of the web *sources*, in id order."""
    wanted = crawl_prefixes(store, sources)
    return (e for e in store.extractions() if fetched_from(e, wanted))
