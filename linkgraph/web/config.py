"""The knobs of the HTTP layer for collecting, with their documented defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from linkgraph.web.identity import DEFAULT_USER_AGENT
from linkgraph.web.policy import AddressPolicy
from linkgraph.web.politeness import HostLimits


@dataclass(frozen=True, slots=True)
class WebConfig:
    """How to fetch.  Politeness: one request at a time per host, starts at least 0.5 s apart
    (or the site's robots.txt ``Crawl-delay``, up to ``max_crawl_delay``); after a 429 or 503
    the host's gate slows down and waits for ``Retry-After`` (up to ``retry_after_cap``)."""

    user_agent: str = DEFAULT_USER_AGENT
    headers: tuple[tuple[str, str], ...] = ()  # extra request headers (-H NAME:VALUE)
    per_host: HostLimits = field(default_factory=lambda: HostLimits(concurrency=1, interval=0.5))
    host_overrides: Mapping[str, HostLimits] = field(default_factory=dict)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 300.0  # one fetch, retries and redirects included
    retries: int = 3  # extra tries after timeouts, resets, 429, 5xx
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    backoff_base: float = 2.0
    backoff_cap: float = 60.0
    retry_after_cap: float = 300.0
    max_backoff_factor: float = 16.0
    max_redirects: int = 10
    max_body_bytes: int = 64 * 1024 * 1024  # per response, on the wire and decoded
    robots: bool = True  # obey robots.txt (Disallow and Crawl-delay)
    max_crawl_delay: float = 60.0
    allow_private: bool = False
    allow: tuple[str, ...] = ()  # host names (".example.org" = sub-domains), IPs, networks

    def limits_for(self, host: str) -> HostLimits:
        """The politeness limits of *host* (an override or the default)."""
        return self.host_overrides.get(host.lower(), self.per_host)

    def policy(self) -> AddressPolicy:
        """The address policy these settings describe."""
        return AddressPolicy.from_allow(self.allow, allow_private=self.allow_private)
