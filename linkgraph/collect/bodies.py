"""Articles from kept response bodies: the one path from what was fetched to what is stored.

The crawl reads each response through here as it arrives, and ``reextract`` reads the kept
bodies again after a rule change: the same code, no network.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from linkgraph.collect.feeds import Feed, FeedEntry, entry_article, parse_feed
from linkgraph.errors import InputError
from linkgraph.pipeline import extract_page
from linkgraph.readers.html import parse_html_page
from linkgraph.readers.wordpress import post_to_article
from linkgraph.records import Extraction, FetchedBody, Origin, ReadFailure
from linkgraph.sources import Registry
from linkgraph.store import Store


def posts_of_body(
    fetched: FetchedBody, posts: Iterable[tuple[int, Any]], *, all_links: bool = False,
    infer: bool = True, registry: Registry | None = None,
) -> tuple[list[Extraction], list[ReadFailure]]:
    """Extractions of WordPress post objects (with their index in the response); with
    *infer*, lost links and unlinked attributions get inferred sources (as ``report``)."""
    extractions: list[Extraction] = []
    failures: list[ReadFailure] = []
    for index, post in posts:
        origin = Origin(fetched.url, index, fetched.fetched_at)
        article = post_to_article(post, origin, [])
        if isinstance(article, ReadFailure):
            failures.append(article)
        else:
            extractions.append(extract_page(article, all_links=all_links, infer=infer,
                                            registry=registry))
    return extractions, failures


def page_of_body(
    fetched: FetchedBody, *, all_links: bool = False, infer: bool = True,
    registry: Registry | None = None,
) -> Extraction | ReadFailure:
    """The extraction of one fetched HTML page, read at its final URL."""
    page = parse_html_page(fetched.body, fetched.url, base=fetched.final_url or fetched.url)
    if isinstance(page, ReadFailure):
        return page
    page = replace(page, origin=Origin(fetched.url, None, fetched.fetched_at))
    return extract_page(page, all_links=all_links, infer=infer, registry=registry)


def feed_of_body(
    fetched: FetchedBody, feed: Feed, *, all_links: bool = False, since: datetime | None = None,
    infer: bool = True, registry: Registry | None = None,
) -> tuple[list[Extraction], list[FeedEntry]]:
    """The articles a feed carries whole, and the entries that must be fetched (no content);
    entries dated before *since* are neither."""
    extractions: list[Extraction] = []
    rest: list[FeedEntry] = []
    for entry in feed.entries:
        if since is not None and entry.date is not None and entry.date < since:
            continue
        article = entry_article(entry, feed, fetched.fetched_at)
        if article is None:
            rest.append(entry)
        else:
            extractions.append(extract_page(article, all_links=all_links, infer=infer,
                                            registry=registry))
    return extractions, rest


def _feed_articles(
    fetched: FetchedBody, all_links: bool, infer: bool, registry: Registry | None
) -> list[Extraction]:
    try:
        feed = parse_feed(fetched.body, fetched.url)
    except InputError:
        return []  # a sitemap, or another XML document
    return feed_of_body(fetched, feed, all_links=all_links, infer=infer, registry=registry)[0]


def reextract(
    store: Store, *, url_prefix: str = "", all_links: bool = False, infer: bool = True,
    registry: Registry | None = None,
) -> int:
    """Read every kept 2xx body (under *url_prefix*) again and store its articles as today's
    rules extract them; nothing is fetched.  Returns how many articles were stored."""
    stored = 0
    for fetched in list(store.fetched_bodies(url_prefix)):
        if fetched.status is None or not 200 <= fetched.status < 300:
            continue
        if "json" in fetched.content_type:
            try:
                value = json.loads(fetched.body)
            except ValueError:
                continue
            if not isinstance(value, list):
                continue
            extractions, _ = posts_of_body(fetched, enumerate(value), all_links=all_links,
                                           infer=infer, registry=registry)
        elif "html" in fetched.content_type:
            page = page_of_body(fetched, all_links=all_links, infer=infer, registry=registry)
            extractions = [page] if isinstance(page, Extraction) else []
        elif "xml" in fetched.content_type or "rss" in fetched.content_type:
            extractions = _feed_articles(fetched, all_links, infer, registry)
        else:
            continue
        stored += store.put_extractions(extractions)
    return stored
