"""Every knob of the link checker, with its documented default."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from linkgraph.errors import ConfigError
from linkgraph.records import CHECKED_KINDS, Extraction
from linkgraph.web.headers import UserHeaders, scope_problem
from linkgraph.web.identity import DEFAULT_USER_AGENT
from linkgraph.web.policy import AddressPolicy
from linkgraph.web.politeness import HostLimits
from linkgraph.web.wayback import DEFAULT_ARCHIVE_BASE

# Names reserved to exist (RFC 2606): when one of them resolves, the resolver is answering, and
# its "no such name" for a link's host can be believed (``linkgraph.check.watch``).
DEFAULT_CANARY_HOSTS: Final = ("example.com", "example.org")

# Paths whose body is large and never an HTML page: a HEAD answers them without starting a
# transfer (a GET follows only if the server refuses HEAD).
HEAD_FIRST_SUFFIXES: Final = (
    ".pdf", ".zip", ".gz", ".tgz", ".7z", ".rar", ".mp3", ".mp4", ".m4a", ".mov", ".avi",
    ".mkv", ".iso", ".dmg", ".exe", ".xlsx", ".xls", ".docx", ".doc", ".pptx", ".csv",
)


@dataclass(frozen=True, slots=True)
class UrlToCheck:
    """A URL and the earliest publication date of an article citing it.

    ``published`` picks the archive capture (the closest one *before* that date).
    """

    url: str
    published: datetime | None = None


def cited_urls(extractions: Iterable[Extraction]) -> dict[str, datetime | None]:
    """Each URL to check (external, or a picture's image file), once, with the earliest
    publication date of a citing article (the store's ``external_urls`` answers the same
    question in SQL)."""
    urls: dict[str, datetime | None] = {}
    for extraction in extractions:
        published = extraction.article.published
        for citation in extraction.citations:
            if citation.kind not in CHECKED_KINDS or citation.url is None:
                continue
            known = urls.get(citation.url, published)
            if known is None or (published is not None and published < known):
                known = published
            urls[citation.url] = known
    return urls


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """How to check links.  Every delay is configurable so tests can run fast.

    Politeness defaults: at most 2 requests in flight per host and request starts at least
    0.5 s apart (2 requests/s per host); ``host_overrides`` sets other limits for named hosts.
    The whole run has at most ``concurrency`` requests in flight.
    """

    concurrency: int = 32  # global cap on URLs being checked at once
    per_host: HostLimits = field(default_factory=HostLimits)
    host_overrides: Mapping[str, HostLimits] = field(default_factory=dict)
    connect_timeout: float = 10.0
    read_timeout: float = 15.0  # per read of the socket, and for the first byte
    deadline: float = 90.0  # overall cap for one URL: retries, redirects, probes, back-off
    retries: int = 2  # extra tries after the first, for retryable outcomes
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    backoff_base: float = 1.0  # first retry waits ~base s, then 2x, 4x ... with full jitter
    backoff_cap: float = 30.0
    retry_after_cap: float = 60.0  # Retry-After beyond this is clamped (the link is not waited on)
    max_backoff_factor: float = 16.0  # per-host slow-down cap after 429/503 without Retry-After
    max_redirects: int = 10
    max_body_bytes: int = 1_048_576  # hard cap on bytes read from any response
    soft404_prefix_bytes: int = 65_536  # body prefix inspected for soft-404 / bot-wall signals
    soft404_probe: bool = True  # compare with a random path on the same host (cached per host)
    head_first_suffixes: tuple[str, ...] = HEAD_FIRST_SUFFIXES
    allow_private: bool = False
    allow: tuple[str, ...] = ()  # host names (".example.org" = sub-domains too), IPs, networks
    user_agent: str = DEFAULT_USER_AGENT
    headers: tuple[tuple[str, str], ...] = ()  # extra request headers (name, value)
    # Hosts the secret headers among ``headers`` (Authorization, Cookie, Proxy-Authorization)
    # are for: a link on one of them gets them, at its own origin only (".example.org": with
    # sub-domains; "*": every link's own host).  Secret headers without it: ConfigError.
    header_hosts: tuple[str, ...] = ()
    accept: frozenset[int] = frozenset()  # statuses judged alive besides 2xx (e.g. 429, 403)
    exclude: tuple[str, ...] = ()  # URL regexes never checked (results: skipped, excluded)
    include: tuple[str, ...] = ()  # URL regexes checked even when an exclude pattern matches
    # Resolved (never fetched) to tell a dead name from a dead resolver; () trusts the resolver.
    canary_hosts: tuple[str, ...] = DEFAULT_CANARY_HOSTS
    network_threshold: int = 8  # hosts that fail alike, none answering, before a run stops
    archive: bool = True  # ask the archive for dead and soft-404 links
    archive_base: str = DEFAULT_ARCHIVE_BASE
    archive_timeout: float = 10.0
    lookahead: int = 10_000  # URLs read ahead of the workers (bounds memory; feeds round-robin)

    def __post_init__(self) -> None:
        for pattern in (*self.exclude, *self.include):
            _compiled(pattern)  # an invalid pattern is a configuration error, found at once
        secret = UserHeaders.of(self.headers).secret  # a header that cannot be sent, too
        for host in self.header_hosts:  # an entry that can never match sends secrets nowhere
            if (problem := scope_problem(host)) is not None:
                raise ConfigError(problem)
        if secret and not any(host.strip() for host in self.header_hosts):
            raise ConfigError(
                f"{secret[0][0]} is a secret header: name the host(s) it is for (header_hosts, "
                "--header-host HOST; '*' for every link's own host), so that it is not sent "
                "to every site the articles link to"
            )

    def excluded(self, url: str) -> bool:
        """True when an ``exclude`` pattern matches *url* and no ``include`` pattern does.

        >>> CheckConfig(exclude=(r"^https?://(www\\.)?x\\.com/",)).excluded("https://x.com/a")
        True
        """
        if not any(_compiled(p).search(url) for p in self.exclude):
            return False
        return not any(_compiled(p).search(url) for p in self.include)

    def limits_for(self, host: str) -> HostLimits:
        """The politeness limits of *host* (an override or the default)."""
        return self.host_overrides.get(host.lower(), self.per_host)

    def policy(self) -> AddressPolicy:
        """The address policy these settings describe."""
        return AddressPolicy.from_allow(self.allow, allow_private=self.allow_private)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        try:
            compiled = _PATTERNS[pattern] = re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"invalid URL pattern {pattern!r}: {exc}") from None
    return compiled
