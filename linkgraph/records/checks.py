"""The records of checking links: one check's ``Verdict``, why it failed or what its answer
showed (``ErrorKind``, also the HTTP layer's error enum), the ``CheckResult``, and a URL's
``LinkStatus`` over its whole check history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Verdict(StrEnum):
    """The outcome of checking one URL once."""

    ALIVE = "alive"
    REDIRECTED = "redirected"
    DEAD = "dead"
    SOFT_404 = "soft_404"
    BLOCKED = "blocked"
    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    ERROR = "error"
    SKIPPED = "skipped"


class ErrorKind(StrEnum):
    """Why a check or a fetch failed, or what its answer showed: a closed set, like lychee's
    ``ErrorKind``, and the one error enum of the HTTP layer (``linkgraph.web``) too.

    The values are what the store and the exports hold.  Never match them as text: ask
    ``is_policy`` or ``is_local``.
    """

    # Name resolution.
    NXDOMAIN = "nxdomain"  # a resolver that answers other names says this one does not exist
    DNS_UNAVAILABLE = "dns_unavailable"  # the resolver did not answer (network or resolver down)
    DNS = "dns"  # stored before the two above were told apart: says nothing about the link
    # Connection and transfer.
    REFUSED = "refused"
    RESET = "reset"
    UNREACHABLE = "unreachable"  # no route to the host's network: our side
    CONNECT = "connect"
    TIMEOUT = "timeout"
    DEADLINE = "deadline"
    TLS = "tls"
    PROTOCOL = "protocol"
    TRANSPORT = "transport"
    # The request itself.
    INVALID_URL = "invalid_url"
    SCHEME = "scheme"
    LOOP = "loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECT_SCHEME = "redirect_scheme"
    REDIRECT_INVALID = "redirect_invalid"  # a Location that does not resolve to a URL
    INTERNAL = "internal"  # a bug of the checker, never evidence about the link
    EXCLUDED = "excluded"  # left out by an --exclude pattern or an ignore file
    ROBOTS = "robots"  # robots.txt disallows it (collecting only; the checker never asks)
    # A body refused by the fetcher (the checker reads a prefix and never refuses one).
    TOO_LARGE = "too_large"  # more bytes on the wire than the cap
    BOMB = "decompression_bomb"  # compressed much smaller, inflates past the cap
    ENCODING = "encoding"  # an encoding that was not asked for, or corrupt compressed data
    # Refused by the address policy (``linkgraph.web.policy``), by address class.
    POLICY_UNVETTED = "policy:unvetted"
    POLICY_UNSPECIFIED = "policy:unspecified"
    POLICY_LOOPBACK = "policy:loopback"
    POLICY_MULTICAST = "policy:multicast"
    POLICY_LINK_LOCAL = "policy:link-local"
    POLICY_RESERVED = "policy:reserved"
    POLICY_PRIVATE = "policy:private"
    POLICY_SHARED = "policy:shared"
    # What an answer showed (the status code itself is in ``CheckResult.status``).
    HTTP_401 = "http_401"
    HTTP_404 = "http_404"
    HTTP_407 = "http_407"
    HTTP_410 = "http_410"
    HTTP_429 = "http_429"
    HTTP_451 = "http_451"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    FORBIDDEN = "forbidden"
    BOT_WALL = "bot_wall"
    MISSING_PAGE = "missing_page"
    LIKE_MISSING_PAGE = "like_missing_page"
    HOMEPAGE_REDIRECT = "homepage_redirect"
    OTHER = "other"  # a stored value this version does not know

    @classmethod
    def _missing_(cls, value: object) -> ErrorKind:
        """A stored value this version does not spell so: older ``http_503`` is its class,
        anything unknown ``other`` (so a store written by another version still reads).

        >>> ErrorKind("http_503"), ErrorKind("dns"), ErrorKind("??")
        (<ErrorKind.HTTP_5XX: 'http_5xx'>, <ErrorKind.DNS: 'dns'>, <ErrorKind.OTHER: 'other'>)
        """
        status = str(value).removeprefix("http_")
        if status.isdigit() and len(status) == 3:
            return cls.HTTP_5XX if status[0] == "5" else cls.HTTP_4XX
        return cls.OTHER

    @classmethod
    def for_status(cls, status: int) -> ErrorKind:
        """The kind of a non-2xx final status.

        >>> ErrorKind.for_status(404), ErrorKind.for_status(502)
        (<ErrorKind.HTTP_404: 'http_404'>, <ErrorKind.HTTP_5XX: 'http_5xx'>)
        """
        return _STATUS_KINDS.get(status) or (cls.HTTP_5XX if status >= 500 else cls.HTTP_4XX)

    @classmethod
    def policy(cls, address_class: str) -> ErrorKind:
        """The policy refusal of an address class (``loopback``, ``private``, ...)."""
        return cls(f"policy:{address_class}")

    @property
    def is_policy(self) -> bool:
        """Refused by the address policy: never contacted."""
        return self in _POLICY_KINDS

    @property
    def is_local(self) -> bool:
        """A failure of our side (network, resolver, the checker): never evidence about a link."""
        return self in LOCAL_FAILURES


_STATUS_KINDS = {
    401: ErrorKind.HTTP_401, 404: ErrorKind.HTTP_404, 407: ErrorKind.HTTP_407,
    410: ErrorKind.HTTP_410, 429: ErrorKind.HTTP_429, 451: ErrorKind.HTTP_451,
}
_POLICY_KINDS = frozenset({
    ErrorKind.POLICY_UNVETTED, ErrorKind.POLICY_UNSPECIFIED, ErrorKind.POLICY_LOOPBACK,
    ErrorKind.POLICY_MULTICAST, ErrorKind.POLICY_LINK_LOCAL, ErrorKind.POLICY_RESERVED,
    ErrorKind.POLICY_PRIVATE, ErrorKind.POLICY_SHARED,
})
# Failures that say our network, our resolver or the checker failed, not the link: they never
# count toward "confirmed dead" (``linkgraph.check.history``).
LOCAL_FAILURES = frozenset({
    ErrorKind.DNS, ErrorKind.DNS_UNAVAILABLE, ErrorKind.UNREACHABLE, ErrorKind.CONNECT,
    ErrorKind.TIMEOUT, ErrorKind.DEADLINE, ErrorKind.INTERNAL, ErrorKind.OTHER,
})


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check of one URL.  Failures are results, not exceptions."""

    url: str
    checked_at: datetime  # timezone-aware, UTC
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()  # every hop after the first request, in order
    error: ErrorKind | None = None  # why it failed, or what the answer showed
    attempts: int = 1
    archive_url: str | None = None
    permanent_redirect: bool = False
    extras: tuple[tuple[str, str], ...] = field(default=())


FAILING_VERDICTS = frozenset({Verdict.DEAD, Verdict.SOFT_404})


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """A URL's standing over its whole check history (see ``linkgraph.check.history``).

    A link is ``confirmed_dead`` only after it failed (dead or soft-404) on at least N checks
    spread over at least D days; before that a failing link is merely "failing".
    """

    url: str
    latest: CheckResult
    checks: int
    failures: int  # consecutive failing checks up to the latest one
    first_failure: datetime | None
    confirmed_dead: bool
