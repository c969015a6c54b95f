"""What a SOURCE argument of ``linkgraph collect`` is, and the options every collector reads.

``classify_source`` decides from the text alone (no request): a local file or ``-`` (a URL
list on standard input, or an archive/export file), a sitemap or a feed URL (by their usual
paths), a site's root URL (a WordPress site: its REST API is discovered), or any other URL
(one article page, unless its answer turns out to be a sitemap or a feed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final
from urllib.parse import SplitResult, urlsplit

from linkgraph.collect.errors import SourceError
from linkgraph.collect.sitemaps import MAX_DEPTH, MAX_SITEMAPS
from linkgraph.sources import Registry
from linkgraph.web.config import WebConfig
from linkgraph.web.fetch import FetchResult
from linkgraph.web.resolver import Resolver

__all__ = ["CollectKind", "CollectOptions", "classify_source"]


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


@dataclass(frozen=True, slots=True)
class CollectOptions:
    """Everything a collector needs besides the source and the store."""

    web: WebConfig = field(default_factory=WebConfig)
    since: datetime | None = None
    post_type: str = "posts"
    all_links: bool = False
    resolver: Resolver | None = None  # tests inject a StaticResolver
    sitemap: bool = False  # collect a site through its sitemaps, not its REST API
    max_sitemap_depth: int = MAX_DEPTH
    max_sitemaps: int = MAX_SITEMAPS
    on_fetch: Callable[[FetchResult], None] | None = None  # sees every fetch (--warc)
    infer: bool = True  # infer the sources of lost links and unlinked attributions
    registry: Registry | None = None  # the outlets for inference (the packaged ones: None)
