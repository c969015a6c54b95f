"""URL semantics, named precisely (after ural): resolve, canonicalize, group, and domain.

* ``resolve_href``: WHATWG resolution of an href against a base (``ada-url``).
* ``canonical_url``: lossless form for fetching: the WHATWG serialisation, credentials removed.
* ``grouping_key``: lossy form for grouping: no scheme, no ``www.``, no fragment, no tracking
  parameters, no trailing slash.  ``http://WWW.Example.com:80/a/?utm_source=x#top`` and
  ``https://example.com/a`` share the key ``example.com/a``.
* ``registered_domain``: the Public Suffix List's registrable domain, from the list that ships
  inside ``publicsuffixlist`` (never downloaded at run time).

Everything here is pure: no I/O beyond reading the packaged suffix list once.
"""

from __future__ import annotations

import html
import ipaddress
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Final
from urllib.parse import parse_qsl, urlencode

from ada_url import URL, join_url, normalize_url
from publicsuffixlist import PublicSuffixList

# Query parameters that only track the reader and never change the document.
TRACKING_PARAMS: Final = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "rb_clickid", "s_cid", "vero_conv", "vero_id", "wickedid", "ref_src",
        "cmpid", "ncid", "sr_share", "spm", "share", "ocid", "at_medium", "at_campaign",
    }
)
TRACKING_PREFIXES: Final = ("utm_", "pk_", "mtm_", "hsa_", "itm_")

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


def _is_tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING_PARAMS or lower.startswith(TRACKING_PREFIXES)


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


def strip_credentials(url: str) -> str:
    """Remove ``user:password@`` from an absolute URL; other URLs are returned as they are."""
    try:
        parsed = URL(url)
    except ValueError:
        return url
    if not parsed.username and not parsed.password:
        return url
    parsed.username = ""
    parsed.password = ""
    return str(parsed.href)


# The authority of a URL-like string, read as a browser would whatever else is wrong with it:
# a scheme and colon, the slashes (a special scheme's may be missing or backslashes), then up
# to the first "/", "\\", "?" or "#".  A "//" href borrows its base's scheme.
_SPECIAL_SCHEMES: Final = frozenset({"http", "https", "ftp", "ws", "wss", "file"})
_AUTHORITY = re.compile(
    r"^(?P<lead>[\x00-\x20]*(?:(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*):)?(?P<slashes>[/\\]*))"
    r"(?P<authority>[^/\\?#]*)"
)


def split_userinfo(href: str) -> tuple[str, str | None]:
    """*href* without its ``user:password@`` part, and that part (``None`` when it has none).

    Works on any href, parsable or not, so that credentials never leave the process in a raw
    href either (``Citation.href``, an explain row).  Tabs and newlines, which browsers drop
    from URLs, are dropped first when the href carries credentials.

    >>> split_userinfo("https://user:secretpass@example.org/c")
    ('https://example.org/c', 'user:secretpass')
    >>> split_userinfo("//token@cdn.example/x"), split_userinfo("mailto:desk@example.org")
    (('//cdn.example/x', 'token'), ('mailto:desk@example.org', None))
    """
    if "@" not in href:
        return href, None
    cleaned = href.replace("\t", "").replace("\n", "").replace("\r", "")
    match = _AUTHORITY.match(cleaned)
    if match is None:  # pragma: no cover - the pattern matches every string
        return href, None
    scheme = (match.group("scheme") or "").lower()
    slashes = match.group("slashes")
    has_authority = (scheme in _SPECIAL_SCHEMES or len(slashes) >= 2) if scheme else (
        slashes in ("//", "\\\\", "/\\", "\\/")
    )
    authority = match.group("authority")
    if not has_authority or "@" not in authority:
        return href, None
    userinfo, _, host = authority.rpartition("@")
    return cleaned[: match.start("authority")] + host + cleaned[match.end():], userinfo


# A URL's user name and password anywhere in a text (a page's markup): scheme, "//", then
# the userinfo up to the "@" that ends it inside the authority.
_USERINFO_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[/\\]{2}([^/\\?#\s\"'<>]*)@")


def userinfo_in(text: str) -> set[str]:
    """The ``user:password`` parts of the URLs written in *text* (a page's markup).

    >>> sorted(userinfo_in('<img src="https://u:p@x.example/a"> https://x.example/@me'))
    ['u:p']
    """
    if "@" not in text:
        return set()
    return {m.group(1) for m in _USERINFO_IN_TEXT.finditer(text) if m.group(1)}


# A URL written in running text with a user name or password: scheme, "//", the userinfo
# (no slash, space or quote) and the "@" that ends it.
_URL_USERINFO_IN_TEXT = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*:[/\\]{2})[^/\\?#\s\"'<>]*@")


def strip_userinfo_in_text(text: str) -> str:
    """*text* with the ``user:password@`` of every URL written in it removed (a sentence that
    shows ``https://joe:pw@example.net/raw`` keeps ``https://example.net/raw``).

    >>> strip_userinfo_in_text("see https://joe:pw123@example.net/raw and mail@example.org")
    'see https://example.net/raw and mail@example.org'
    """
    if "@" not in text:
        return text
    return _URL_USERINFO_IN_TEXT.sub(r"\1", text)


def scrub_userinfo(text: str, secrets: Iterable[str]) -> str:
    """*text* without any ``<secret>@`` of *secrets* (raw or HTML-escaped): the user names and
    passwords found in a page's hrefs, wherever else the page shows them.

    >>> scrub_userinfo('<a href="https://u:p@x.org/">https://u:p@x.org/</a>', ["u:p"])
    '<a href="https://x.org/">https://x.org/</a>'
    """
    for secret in sorted(secrets, key=len, reverse=True):
        for form in {secret, html.escape(secret)}:
            if form in text:
                text = text.replace(form + "@", "")
    return text


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


def drop_tracking(query: str) -> str:
    """A query string (without ``?``) with tracking parameters removed; order is kept."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
    if len(kept) == len(pairs):
        return query
    return urlencode(kept)


def tracking_params(url: str) -> list[str]:
    """Names of the tracking parameters present in *url*'s query."""
    try:
        search = str(URL(url).search)
    except ValueError:
        return []
    return [k for k, _ in parse_qsl(search.lstrip("?"), keep_blank_values=True) if _is_tracking(k)]


def grouping_key(url: str) -> str | None:
    """Lossy key under which URLs that name the same document are grouped.

    A URL that is already WHATWG-serialised (as every ``Citation.url`` is: host lower-cased,
    default port dropped, path normalised) is keyed by string operations, which is what the
    extraction hot path needs; anything else (credentials, IPv6 or percent-encoded hosts,
    other schemes, unserialised input) goes through ``grouping_key_reference``.

    >>> grouping_key("http://WWW.Example.com:80/a/?utm_source=x&id=3#top")
    'example.com/a?id=3'
    """
    plain = plain_http_parts(url)
    if plain is None:
        return grouping_key_reference(url)
    return grouping_key_of_parts(plain)


def grouping_key_of_parts(parts: tuple[str, str, str, str]) -> str:
    """``grouping_key`` of a URL from its ``plain_http_parts``."""
    _, host, port, rest = parts
    path, _, query = rest.split("#", 1)[0].partition("?")
    return _key(host, port, path, query)


def without_www(host: str) -> str:
    """*host* (or a URL without its scheme) without a leading ``www.``: the one place that
    says ``www.example.com`` and ``example.com`` are one site.

    >>> without_www("www.bbc.co.uk/news"), without_www("wwwhat.example")
    ('bbc.co.uk/news', 'wwwhat.example')
    """
    return host[4:] if host.startswith("www.") else host


def _key(host: str, port: str, path: str, query: str) -> str:
    """The grouping key of a URL's serialised parts: no "www.", no trailing slash, no
    tracking parameters."""
    host = without_www(host)
    authority = f"{host}:{port}" if port else host
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    if path == "/":
        path = ""
    query = drop_tracking(query)
    return f"{authority}{path}?{query}" if query else authority + path


def grouping_key_reference(url: str) -> str | None:
    """``grouping_key`` from a full WHATWG parse: the parse whose parts the fast path reads
    from the string (a corpus test checks both agree on every link)."""
    try:
        parsed = URL(url)
    except ValueError:
        return None
    scheme = str(parsed.protocol).rstrip(":")
    if scheme not in HTTP_SCHEMES:
        return str(parsed.href).split("#", 1)[0]
    return _key(str(parsed.hostname).lower(), str(parsed.port), str(parsed.pathname),
                str(parsed.search)[1:])


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


@lru_cache(maxsize=65536)
def registered_domain(host: str | None) -> str | None:
    """Registrable domain of *host* per the Public Suffix List; IPs and single labels as-is.

    >>> registered_domain("www.law.go.kr")
    'law.go.kr'
    """
    if not host:
        return None
    host = host.strip("[]").rstrip(".").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return host
    domain = _psl().privatesuffix(host)
    if domain is None:
        # A bare suffix ("co.uk") or a single label ("localhost"): the host is its own domain.
        return host
    return str(domain)


def is_public_suffix(domain: str) -> bool:
    """True when *domain* is itself a public suffix (``co.uk``, ``gov.uk``, ``github.io``)."""
    return bool(_psl().is_public(domain.strip(".").lower()))


def url_domain(url: str | None) -> str | None:
    """Registered domain of an absolute URL's host."""
    return registered_domain(hostname(url)) if url else None


def is_homepage(url: str) -> bool:
    """True when *url* points at a site's front page (empty path, no query)."""
    plain = plain_http_parts(url)
    if plain is not None:  # read from the string (a test checks this against a parse)
        rest = plain[3].split("#", 1)[0]
        return rest in {"/", "/?"}
    try:
        parsed = URL(url)
    except ValueError:
        return False
    return str(parsed.pathname) in {"", "/"} and not str(parsed.search)


def psl_snapshot() -> str:
    """Version of the packaged Public Suffix List (the distribution version carries its date)."""
    try:
        return version("publicsuffixlist")
    except PackageNotFoundError:  # pragma: no cover - always installed with linkgraph
        return "unknown"
