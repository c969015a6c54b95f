"""Finding a WordPress site's REST API and reading its answers (pure, apart from ``discover``).

Discovery follows the REST API handbook: the ``Link: <…/wp-json/>; rel="https://api.w.org/"``
header of the home page, or the same ``<link>`` element in its HTML; a site without pretty
permalinks answers at ``?rest_route=/``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from selectolax.lexbor import LexborHTMLParser

from linkgraph.collect.errors import SourceError
from linkgraph.urls import resolve_href
from linkgraph.web.fetch import ACCEPT_HTML, ACCEPT_JSON, Fetcher, FetchResult

API_REL: Final = "https://api.w.org/"
_LINK_PART: Final = re.compile(r'<([^>]*)>\s*;([^,]*(?:"[^"]*"[^,]*)*)')
_CLOSED: Final = frozenset({401, 403, 404, 410})


@dataclass(frozen=True, slots=True)
class ApiRoot:
    """Where a site's REST API answers, and what its index says."""

    site: str  # the site URL as given
    base: str  # ".../wp-json/" or ".../?rest_route=/"
    gmt_offset: float = 0.0  # hours, from the index (post_modified is site-local time)
    routes: frozenset[str] = frozenset()

    def url(self, route: str, params: dict[str, str]) -> str:
        """The URL of *route* (``/wp/v2/posts``) with query *params*, in the site's style.

        >>> ApiRoot("s", "https://s.example/?rest_route=/").url("/wp/v2/posts", {"page": "2"})
        'https://s.example/?rest_route=%2Fwp%2Fv2%2Fposts&page=2'
        """
        query = urlencode(params)
        if "rest_route=" in self.base:
            head = self.base.split("rest_route=", 1)[0]
            return head + urlencode({"rest_route": route}) + (f"&{query}" if query else "")
        return self.base.rstrip("/") + route + (f"?{query}" if query else "")


def link_header_targets(values: list[str], rel: str) -> list[str]:
    """URLs of the ``Link`` header entries whose rel is *rel*.

    >>> link_header_targets(['<https://a.example/wp-json/>; rel="https://api.w.org/"'], API_REL)
    ['https://a.example/wp-json/']
    """
    found = []
    for value in values:
        for target, params in _LINK_PART.findall(value):
            rels = re.findall(r'rel\s*=\s*"?([^";]+)"?', params)
            if any(rel in r.split() for r in rels):
                found.append(target.strip())
    return found


def announced_api(home: FetchResult) -> str | None:
    """The API root a home page announces (header first, then ``<link>``), absolute."""
    base = home.final_url or home.url
    for target in link_header_targets(home.header_list("link"), API_REL):
        return resolve_href(target, base)
    if home.ok and "html" in (home.content_type or "text/html"):
        tree = LexborHTMLParser(home.body)
        for node in tree.css("link[href]"):
            rel = (node.attributes.get("rel") or "").split()
            href = node.attributes.get("href")
            if API_REL in rel and href:
                return resolve_href(href, base)
    return None


def json_of(result: FetchResult) -> Any:
    """The decoded JSON of an answer, or ``SourceError`` saying what came instead."""
    text = result.body.decode("utf-8", "replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("<") or "html" in result.content_type:
        title = ""
        match = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
        if match:
            title = f", titled {' '.join(match.group(1).split())[:80]!r}"
        raise SourceError(
            f"{result.url}: answered with an HTML page instead of JSON (HTTP {result.status}"
            f"{title}): a security plugin, a cache or a maintenance page stands in front of the"
            " API; try again later or collect the site's sitemap"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{result.url}: the answer is not valid JSON ({exc.msg} at character {exc.pos});"
            " a plugin may be printing into the API's output"
        ) from exc


def wp_error(value: Any) -> tuple[str, str] | None:
    """``(code, message)`` of a WordPress error object (``{"code": …, "message": …}``)."""
    if isinstance(value, dict) and isinstance(value.get("code"), str):
        return value["code"], str(value.get("message", ""))
    return None


def closed_message(site: str, result: FetchResult) -> str:
    """Why the API is closed, and what to do instead."""
    detail = ""
    try:
        error = wp_error(json.loads(result.body.decode("utf-8", "replace")))
    except (json.JSONDecodeError, UnicodeDecodeError):
        error = None
    if error is not None:
        detail = f" ({error[0]}: {error[1]})"
    root = site.rstrip("/")
    return (
        f"{site}: the WordPress REST API is closed (HTTP {result.status}{detail} at "
        f"{result.url}); collect the site through its sitemaps instead: "
        f"linkgraph collect {root}/ --sitemap (or give the sitemap's URL)"
    )


async def discover(fetcher: Fetcher, site: str) -> ApiRoot:
    """Find and read the REST API index of *site*, or raise ``SourceError`` saying why not."""
    home = await fetcher.fetch(site, accept=ACCEPT_HTML)
    if home.error is not None:
        raise SourceError(f"{site}: cannot fetch the home page: {home.describe()}")
    base = announced_api(home)
    if base is None:
        parts = urlsplit(home.final_url or site)
        base = f"{parts.scheme}://{parts.netloc}/?rest_route=/"
    index = await fetcher.fetch(base, accept=ACCEPT_JSON)
    if index.error is not None:
        raise SourceError(f"{site}: cannot fetch the REST API index {base}: {index.describe()}")
    if index.status in _CLOSED:
        raise SourceError(closed_message(site, index))
    if not index.ok:
        raise SourceError(f"{site}: the REST API index {base} answered HTTP {index.status}")
    value = json_of(index)
    if not isinstance(value, dict) or "wp/v2" not in (value.get("namespaces") or []):
        announced = "announced" if base.endswith("/wp-json/") else "found"
        raise SourceError(
            f"{site}: no WordPress REST API (wp/v2) {announced} at {base}; if this is not a"
            " WordPress site, give its sitemap, feed or article URLs"
        )
    try:
        offset = float(value.get("gmt_offset") or 0)
    except (TypeError, ValueError):
        offset = 0.0
    routes = value.get("routes")
    return ApiRoot(
        site, base, offset, frozenset(routes) if isinstance(routes, dict) else frozenset()
    )
