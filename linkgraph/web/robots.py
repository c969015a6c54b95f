"""robots.txt rules of one origin, read with Protego (a maintained parser; RFC 9309).

What an answer to ``/robots.txt`` means follows RFC 9309 section 2.3.1: a 4xx status (or no
file) allows everything; a 5xx status or an unreachable server disallows everything for now
(the site may be overloaded); a 2xx body is parsed.  ``Crawl-delay`` and ``Request-rate``
become the minimum spacing of requests to the host, and ``Sitemap:`` lines are kept for the
sitemap reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from protego import Protego


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules one origin publishes (see module doc).  ``note`` says how they were obtained.

    >>> rules = RobotsRules.parse("https://a.example", "User-agent: *\\nDisallow: /private")
    >>> rules.allows("https://a.example/private/x", "linkgraph")
    False
    """

    origin: str
    note: str = "no robots.txt"
    disallow_all: bool = False
    parser: Any = field(default=None, compare=False, repr=False)  # a protego.Protego

    @classmethod
    def parse(cls, origin: str, text: str) -> RobotsRules:
        """The rules of a robots.txt body."""
        return cls(origin, "robots.txt", False, Protego.parse(text))

    @classmethod
    def closed(cls, origin: str, why: str) -> RobotsRules:
        """Everything disallowed (a 5xx answer or an unreachable robots.txt)."""
        return cls(origin, why, True)

    def allows(self, url: str, user_agent: str) -> bool:
        """May *url* be fetched by *user_agent*?"""
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, user_agent))

    def delay(self, user_agent: str) -> float | None:
        """Seconds between requests the site asks for (Crawl-delay or Request-rate), if any."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        rate = self.parser.request_rate(user_agent)
        seconds = float(delay) if delay is not None else None
        if rate is not None and rate.requests:
            per_request = rate.seconds / rate.requests
            seconds = max(seconds or 0.0, per_request)
        return seconds

    @property
    def sitemaps(self) -> tuple[str, ...]:
        """The ``Sitemap:`` URLs of the file."""
        if self.parser is None:
            return ()
        return tuple(self.parser.sitemaps)
