"""Collecting articles from the web into the store: WordPress sites (REST API), and the
sources other modules plug in (sitemaps, feeds, URL lists, web archives).

The parsers of sitemaps, feeds and URL lists (``sitemaps``, ``feeds``, ``urllists``) are pure:
each takes the bytes or text a source gave and returns typed records plus a message per entry
it had to drop (``source:entry: ...``); a document that cannot be parsed at all raises
``linkgraph.errors.InputError`` naming it.

>>> from linkgraph.collect import CollectKind, classify_source
>>> classify_source("https://site.example/")
<CollectKind.WORDPRESS: 'wordpress'>

* ``collect_sources``: collect every SOURCE into a store, one after another.
* ``WordPressCrawl``: one site's REST API crawl (resumable, safe against shifting pages).
* ``reextract``: read the kept response bodies again (after a rule change), no network.
* ``SourceError``: a source that cannot be collected, with what to do instead.
"""

from __future__ import annotations

from linkgraph.collect.bodies import reextract
from linkgraph.collect.errors import SourceError
from linkgraph.collect.progress import CollectStats
from linkgraph.collect.sources import (
    COLLECTORS,
    CollectKind,
    CollectOptions,
    classify_source,
    collect_sources,
    collected_from,
    fetched_from,
    is_web_source,
)
from linkgraph.collect.wordpress import WordPressCrawl

__all__ = [
    "COLLECTORS",
    "CollectKind",
    "CollectOptions",
    "CollectStats",
    "SourceError",
    "WordPressCrawl",
    "classify_source",
    "collect_sources",
    "collected_from",
    "fetched_from",
    "is_web_source",
    "reextract",
]
