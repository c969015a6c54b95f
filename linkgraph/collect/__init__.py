"""Collecting articles from the web: sitemaps, feeds, URL lists (pure parsers, no network here).

Each parser takes the bytes or text a source gave and returns typed records plus a message per
entry it had to drop (``source:entry: ...``); a document that cannot be parsed at all raises
``linkgraph.errors.InputError`` naming it.
"""
