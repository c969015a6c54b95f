"""Resolving and serialising URLs: WHATWG resolution of an href (``ada-url``), the lossless
canonical form, a URL's scheme and host, and the fast path that reads an already serialised
http(s) URL from the string (the extraction hot path)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from ada_url import URL, join_url, normalize_url

from linkgraph.urls.credentials import strip_credentials

HTTP_SCHEMES: Final = frozenset({"http", "https"})
# A host named after a scheme is a scheme typed twice: "http://http://site/x" parses as the
# host "http" (port empty, path "//site/x").  Such a URL is malformed, never a site.
SCHEME_HOSTS: Final = HTTP_SCHEMES


def is_scheme_host(host: str | None) -> bool:
    """True when *host* is a scheme name, the sign of a doubled scheme ("http://http://...").

    >>> is_scheme_host(hostname("http://http://news.example/a")), is_scheme_host("http.cat")
    (True, False)
    """
    return host is not None and host.rstrip(".").lower() in SCHEME_HOSTS


def resolve_href(href: str, base: str | None) -> str | None:
    """Resolve *href* against *base* the way a browser does; ``None`` if that fails.

    >>> resolve_href("../d?x#y", "http://a/b/c")
    'http://a/d?x#y'
    >>> resolve_href("/relative", None) is None
    True
    """
    if plain_http_parts(href) is not None:
        return href  # already an absolute serialised URL: resolving gives it back unchanged
    if base:
        joined = join_plain(href, base)
        if joined is not None:
            return joined[0]
    try:
        # join_url/normalize_url serialise in one call, without building a URL object.
        return join_url(base, href) if base else normalize_url(href)
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _base_parts(base: str) -> tuple[str, str, str, str] | None:
    return plain_http_parts(base)  # a page's links share one base: split it once


def join_plain(href: str, base: str) -> tuple[str, tuple[str, str, str, str]] | None:
    """A path-absolute (``/a?b#c``) or fragment-only (``#c``) reference joined to a plain
    serialised http(s) *base* by string operations, when nothing in it needs serialising:
    the joined URL with its ``plain_http_parts``; else ``None`` (a test checks this agrees
    with a full join on every WHATWG case)."""
    if not href.startswith(("/", "#")) or href.startswith("//"):
        return None
    parts = _base_parts(base)
    if parts is None or _UNPLAIN_REST.search(href):
        return None
    scheme, host, port, rest = parts
    if href[0] == "#":
        rest = rest.split("#", 1)[0] + href
        return base.split("#", 1)[0] + href, (scheme, host, port, rest)
    url = f"{scheme}://{host}:{port}{href}" if port else f"{scheme}://{host}{href}"
    return url, (scheme, host, port, href)


def scheme_of(url: str) -> str:
    """The scheme of an absolute URL, lower case, without the colon."""
    head, sep, _ = url.partition(":")
    return head.lower() if sep else ""


def canonical_url(url: str) -> str:
    """Lossless canonical form: WHATWG serialisation with credentials removed."""
    return strip_credentials(resolve_href(url, None) or url)


# An authority that a WHATWG serialiser leaves as it is: lower-case ASCII name labels and an
# optional port.  ``_plain_http`` also turns away numeric last labels (IPv4 forms to normalise),
# "xn--" labels (punycode to validate) and default or malformed ports.
_PLAIN_START: Final = re.compile(r"(https?)://([a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?)(?::(\d{1,5}))?(?=/)")
DEFAULT_PORTS: Final = {"http": "80", "https": "443"}
# What a serialiser would still change in a path, query or fragment: characters it escapes or
# maps ("\\" to "/"), non-ASCII, and dot segments (also as "%2e").  Searching for these is
# cheaper than matching everything that may stay.
_UNPLAIN_REST: Final = re.compile(r"[^!$%&()*+,\-./0-9:;=?@A-Z\[\]_a-z~#]|%2[eE]|/\.\.?(?:[/?#]|$)")


def _plain_http(url: str) -> tuple[str, str, str, str] | None:
    """(scheme, host, port, rest after the authority) of a plain serialised http(s) URL."""
    match = _PLAIN_START.match(url)
    if match is None:
        return None
    scheme, host, port = match.groups("")
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if last.isdigit() or last.startswith("0x") or "xn--" in host:
        return None
    if port and (int(port) > 65535 or port == DEFAULT_PORTS[scheme] or port.startswith("0")):
        return None
    return scheme, host, port, url[match.end() :]


def plain_http_parts(url: str) -> tuple[str, str, str, str] | None:
    """``(scheme, host, port, rest)`` when *url* is an absolute http(s) URL that a WHATWG
    serialiser gives back unchanged (so resolving it against any base is the identity), else
    ``None``.  The extraction hot path reads such URLs from the string (a test checks this
    agrees with a full parse on every WHATWG case)."""
    plain = _plain_http(url)
    if plain is None or _UNPLAIN_REST.search(plain[3]):
        return None
    return plain


def hostname(url: str) -> str | None:
    """Host name of an absolute URL (IPv6 without brackets), or ``None``.

    A plain serialised http(s) URL (as every ``Citation.url`` is) is read from the string,
    which is what the extraction hot path needs; anything else is parsed.
    """
    plain = _plain_http(url)
    if plain is not None:
        return plain[1]
    try:
        host = str(URL(url).hostname)
    except ValueError:
        return None
    return host.strip("[]") or None
