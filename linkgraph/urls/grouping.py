"""Grouping URLs that name the same document (a lossy key: no scheme, no ``www.``, no
fragment, no tracking parameters, no trailing slash), and telling a site's front page."""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qsl, urlencode

from ada_url import URL

from linkgraph.urls.resolve import HTTP_SCHEMES, plain_http_parts

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


def _is_tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING_PARAMS or lower.startswith(TRACKING_PREFIXES)


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
