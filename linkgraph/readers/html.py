"""Saved HTML pages as ``Article`` records: decode, parse once (Lexbor), read the metadata.

:func:`read_html_page` hands extraction a ``ParsedPage`` (the article, its tree and its
metadata) so that extraction does not parse the page again; :func:`parse_html_page` gives the
article alone.

The page URL is *base* when given (the user says where the page lives), else the page's own
absolute ``<link rel=canonical>`` / ``og:url``, else ``None`` with a warning: relative links then
stay unresolved, never guessed.

``Article.id``: ``url:<sha1>`` of the page's own declared canonical URL when it has one, else
``file:<sha1 of path>``.  The *base* does not feed the id on purpose: one base is often given for
a whole folder of pages (a test harness address), and it must not make them one article.  When
the base is the page's own address (``own_url=True``: a web archive's target URI, a manifest
entry), it names the article in place of the path: ``url:<sha1 of base>``.
"""

from __future__ import annotations

import hashlib

from selectolax.lexbor import LexborHTMLParser

from linkgraph.readers.charset import CharsetSource, DecodedHTML, decode_html
from linkgraph.readers.metadata import page_metadata
from linkgraph.readers.parsed import ParsedPage, guard_markup
from linkgraph.readers.sniff import binary_kind
from linkgraph.records import Article, BodyKind, Origin, ReadFailure
from linkgraph.sources.shared_hosts import url_site
from linkgraph.urls import HTTP_SCHEMES, resolve_href, scheme_of, strip_credentials

__all__ = ["DecodedHTML", "decode_html", "parse_html_page", "read_html_page"]


def parse_html_page(
    data: bytes,
    path: str,
    *,
    base: str | None = None,
    record: int | None = None,
    own_url: bool = False,
) -> Article | ReadFailure:
    """Read one saved page (bytes of any charset) as an ``Article`` of kind ``PAGE``.

    >>> page = b'<html><head><link rel="canonical" href="https://ex.org/a"><title>Hi</title>'
    >>> a = parse_html_page(page + b"</head><body><p>Text</p></body></html>", "a.html")
    >>> a.url, a.title, a.site, a.warnings
    ('https://ex.org/a', 'Hi', 'ex.org', ())
    """
    read = read_html_page(data, path, base=base, record=record, own_url=own_url)
    return read if isinstance(read, ReadFailure) else read.article


def read_html_page(
    data: bytes,
    path: str,
    *,
    base: str | None = None,
    record: int | None = None,
    own_url: bool = False,
) -> ParsedPage | ReadFailure:
    """Read one saved page as a ``ParsedPage``: the ``Article`` of :func:`parse_html_page`
    with the tree it was read from and the page's metadata, for extraction."""
    origin = Origin(path, record)
    if not data or data.isspace():
        return ReadFailure(origin, f"{origin}: empty file, no HTML in it")
    kind = binary_kind(data)
    if kind is not None:
        return ReadFailure(origin, f"{origin}: not HTML: the bytes are {kind}")
    decoded = decode_html(data)
    warnings = [f"{origin}: {w}" for w in decoded.warnings]
    text = decoded.text
    # Bytes that were valid UTF-8 are handed to Lexbor as they are: given a str, selectolax
    # encodes it back to UTF-8 first, which costs about a quarter of the parse.
    markup: str | bytes = data if decoded.source is CharsetSource.UTF8 else text
    guarded, cut = guard_markup(text, data)
    if guarded is not text:
        markup = text = guarded
    warnings.extend(f"{origin}: {warning}" for warning in cut)
    tree = LexborHTMLParser(markup)
    meta = page_metadata(tree)
    page_base = _absolute(base)
    if base and page_base is None:
        warnings.append(f"{origin}: base {base!r} is not an absolute http(s) URL; ignored")
    declared = _absolute(meta.canonical_url, page_base)
    url = page_base or declared
    if url is None:
        warnings.append(
            f"{origin}: no page URL (no base given, no absolute canonical or og:url):"
            " relative links cannot be resolved"
        )
    domains: list[str] = []
    for candidate in (url, declared):
        domain = url_site(candidate)
        if domain and domain not in domains:
            domains.append(domain)
    named_by = declared or (page_base if own_url else None)
    if named_by:
        article_id = "url:" + hashlib.sha1(named_by.encode("utf-8")).hexdigest()[:16]
    else:
        article_id = "file:" + hashlib.sha1(str(origin).encode("utf-8")).hexdigest()[:16]
    article = Article(
        id=article_id,
        url=url,
        site=domains[0] if domains else None,
        title=meta.title or "",
        published=meta.published,
        modified=meta.modified,
        origin=origin,
        html=text,
        body_kind=BodyKind.PAGE,
        language=meta.language,
        site_name=meta.site_name,
        site_domains=tuple(domains),
        warnings=tuple(warnings),
    )
    return ParsedPage(article, tree, meta)


def _absolute(url: str | None, base: str | None = None) -> str | None:
    """*url* as an absolute http(s) URL (resolved against *base*), credentials removed."""
    if not url:
        return None
    resolved = resolve_href(url.strip(), base)
    if resolved is None or scheme_of(resolved) not in HTTP_SCHEMES:
        return None
    return strip_credentials(resolved)  # already serialised: only credentials left to drop
