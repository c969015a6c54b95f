"""A Wayback-style availability endpoint: its default address and the query it answers,
``GET <base>?url=<url>&timestamp=<stamp>`` (the capture closest to the time stamped).

The link checker asks it for a capture of a dead link from before the citing article
(``linkgraph.check.archive``); the repair asks it for the damaged copy's version of an
article (``linkgraph.repair.original``).  Each reads the answer by its own rule.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlencode

DEFAULT_ARCHIVE_BASE: Final = "https://archive.org/wayback/available"


def availability_query(base: str, url: str, near: datetime | None, *,
                       to_second: bool = False) -> str:
    """The availability query URL for *url* near *near* (in UTC, to the day, or to the second
    with *to_second*); without *near*, any capture will do.

    >>> availability_query("https://archive.example/wayback/available", "http://a.test/x", None)
    'https://archive.example/wayback/available?url=http%3A%2F%2Fa.test%2Fx'
    >>> availability_query("https://archive.example/available?key=k", "http://a.test/x",
    ...                    datetime(2024, 3, 1, 9, 30, tzinfo=UTC), to_second=True)
    'https://archive.example/available?key=k&url=http%3A%2F%2Fa.test%2Fx&timestamp=20240301093000'
    """
    params = {"url": url}
    if near is not None:
        params["timestamp"] = near.astimezone(UTC).strftime(
            "%Y%m%d%H%M%S" if to_second else "%Y%m%d")
    return f"{base}{'&' if '?' in base else '?'}{urlencode(params)}"
