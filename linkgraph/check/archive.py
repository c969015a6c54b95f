"""Archive suggestions from a Wayback-style availability endpoint.

The endpoint answers ``GET <base>?url=<url>&timestamp=YYYYMMDD``
(``linkgraph.web.wayback.availability_query``) with::

    {"archived_snapshots": {"closest": {"available": true, "url": "...",
                                        "timestamp": "20240101123456", "status": "200"}}}

The capture must be from before the citing article's publication date (plus that whole day): a
later capture may already show the page dead or changed.  Without a date any capture will do.
The capture URL is the endpoint's text, shown to readers as a link: only an absolute http(s)
URL with a host is kept (serialised per WHATWG, without credentials); ``javascript:``,
``data:`` and anything unparsable are dropped.
The endpoint is configuration, not article input, so its host is trusted (resolved and pinned,
not refused by the address policy); it still goes through its own politeness gate.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from linkgraph.urls import HTTP_SCHEMES, hostname, resolve_href, scheme_of, strip_credentials
from linkgraph.web.wayback import availability_query

if TYPE_CHECKING:
    from linkgraph.check.config import CheckConfig
    from linkgraph.web.exchange import Exchanger

log = logging.getLogger("linkgraph.check")


def parse_capture(payload: bytes, published: datetime | None) -> str | None:
    """The capture URL in an availability answer, if one is available and early enough."""
    try:
        data = json.loads(payload)
        closest = data["archived_snapshots"]["closest"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(closest, dict) or not closest.get("available") or not closest.get("url"):
        return None
    if published is not None:
        try:
            taken = datetime.strptime(str(closest.get("timestamp", ""))[:14], "%Y%m%d%H%M%S")
        except ValueError:
            return None
        cutoff = published.astimezone(UTC).replace(tzinfo=None, hour=0, minute=0, second=0)
        if taken.replace(microsecond=0) >= cutoff + timedelta(days=1):
            return None
    return web_url(str(closest["url"]))


def web_url(text: str) -> str | None:
    """*text* as an absolute http(s) URL with a host (WHATWG-serialised, credentials
    removed), or ``None``.

    >>> web_url("http://web.archive.test/web/2023/https://a.test/x")
    'http://web.archive.test/web/2023/https://a.test/x'
    >>> [web_url(t) for t in ("javascript:alert(1)", "data:text/html,x", "/web/2023/x")]
    [None, None, None]
    """
    url = resolve_href(text.strip(), None)
    if url is None or scheme_of(url) not in HTTP_SCHEMES or not hostname(url):
        return None
    return strip_credentials(url)


async def closest_capture(
    exchanger: Exchanger, config: CheckConfig, url: str, published: datetime | None
) -> str | None:
    """Ask the configured archive for the capture of *url* closest before *published*."""
    query = availability_query(config.archive_base, url, published)
    hop = await exchanger.exchange(
        "GET", query, {"Accept": "application/json"}, prefix=config.soft404_prefix_bytes,
        any_type=True, trusted=True,
    )
    if hop.error or hop.status != 200:
        log.debug("archive lookup failed for %s: %s", url, hop.error or hop.status)
        return None
    return parse_capture(hop.body, published)
