"""The typed records that flow between linkgraph's rooms.

Every record is a frozen, slotted dataclass; closed sets are ``StrEnum`` so they serialise as
plain strings.  Records carry their provenance (``Origin``) so that any warning can name the
file and the record it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: the input path as the user gave it, and the record index.

    ``record`` is ``None`` for single-record inputs (one post object, one HTML page), the
    0-based index inside a list, JSON Lines file or dump, and the record's byte offset in a
    web archive (what ``warcio extract FILE OFFSET`` takes).
    """

    path: str
    record: int | None = None
    # When the input was fetched from the web (``path`` is then the URL it came from), or the
    # capture time of a web archive record; ``None`` for files saved by someone else.
    fetched_at: datetime | None = None

    def __str__(self) -> str:
        return self.path if self.record is None else f"{self.path}#{self.record}"


class BodyKind(StrEnum):
    """What ``Article.html`` holds."""

    FRAGMENT = "fragment"  # an article body only (WordPress content.rendered)
    PAGE = "page"  # a full HTML page: boilerplate must be told apart from the body


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from an input.

    ``id`` is stable across runs: ``wp:<site>:<post id>`` for WordPress posts, else
    ``url:<sha1 of url>[:16]`` or ``file:<sha1 of path#record>[:16]``.
    """

    id: str
    url: str | None
    site: str | None  # the article's own site (``sources.shared_hosts.site_of``), when known
    title: str
    published: datetime | None  # timezone-aware
    modified: datetime | None  # timezone-aware
    origin: Origin
    # The body as read (large): compressed in the store, left out of reports (see
    # ``linkgraph.rows`` for what ``metadata`` says).
    html: str = field(metadata={"cell": "zlib", "report": False})
    body_kind: BodyKind
    language: str | None = None
    site_name: str | None = None
    # Every domain that counts as the article's own site (site first; a registered domain, or
    # a blog on a shared host such as ``a.wordpress.com``): a WordPress
    # post's ``link`` and ``guid`` may name different domains of one publisher.
    site_domains: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    # Where a WordPress post can be had again (``linkgraph.repair.recover`` fetches the original
    # of a damaged copy): its REST self link (``_links.self``) and its ``guid``.
    rest_url: str | None = field(default=None, metadata={"report": False})
    guid: str | None = field(default=None, metadata={"report": False})


@dataclass(frozen=True, slots=True)
class FetchedBody:
    """A response body as fetched, kept so that re-extracting never fetches again."""

    url: str  # the URL asked for
    fetched_at: datetime  # timezone-aware, UTC
    status: int | None
    content_type: str
    body: bytes
    final_url: str | None = None  # after redirects


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An input (or one record of it) that could not be read at all.  The batch goes on."""

    origin: Origin
    message: str


@dataclass(frozen=True, slots=True)
class BodySentence:
    """A sentence of an article's body text, in document order, and whether a real link
    (``<a href>``; a lost link is none) sits in it."""

    text: str  # white space collapsed
    linked: bool


@dataclass(frozen=True, slots=True)
class Extraction:
    """An article with the citations extracted from it, its body's sentences, and what
    extraction had to say.

    ``sentences`` is ``None`` when they are not known (an extraction stored by a linkgraph
    older than the store's schema 2); ``()`` when the body has none (or no body was found).
    """

    article: Article
    citations: tuple[Citation, ...]
    warnings: tuple[str, ...] = ()
    sentences: tuple[BodySentence, ...] | None = None


class CitationKind(StrEnum):
    """What kind of link a citation is."""

    EXTERNAL = "external"  # http(s) link to another site
    INTERNAL = "internal"  # http(s) link to the article's own site (or its family's)
    # A picture with no text of its own linked to an image file (itself, a larger size): a
    # body link, checked like any link, but no source citation (linkgraph.extract.pictures).
    PICTURE = "picture"
    FRAGMENT = "fragment"  # "#section" inside the same document
    MAILTO = "mailto"
    TEL = "tel"
    JAVASCRIPT = "javascript"
    OTHER = "other"  # another scheme: ftp:, data:, sms:, ...
    INVALID = "invalid"  # the href cannot be parsed as a URL
    UNRESOLVABLE = "unresolvable"  # a relative href and no base URL to resolve it against
    LOST = "lost"  # anchor text whose <a href> was stripped (a closing </a> survives)
    # A sentence that credits a source with no link at all ("according to Yonhap"): made by
    # linkgraph.repair only when it infers the source (provenance ``inferred``).
    UNLINKED = "unlinked"


class ProvenanceKind(StrEnum):
    """How linkgraph knows a citation's target."""

    LINKED = "linked"  # the article's own <a href>
    RECOVERED = "recovered"  # a lost href restored from an original copy of the article
    INFERRED = "inferred"  # no href: the source was inferred from the anchor text and sentence
    MISSING = "missing"  # a lost href that nothing could recover or infer (``note`` says why)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a citation's target comes from, with what it takes to trust it.

    ``recovered``: ``recovered_from`` is the URL of the copy that supplied the href, and
    ``recovered_at`` when it was fetched.  ``inferred``: ``source_key`` is the outlet the text
    names (an inferred citation has no URL), ``rule`` the rule that fired, ``evidence`` the
    words it read and ``confidence`` (0..1) how sure the rule is.  ``missing``: ``note`` says
    why nothing was inferred.
    """

    kind: ProvenanceKind = ProvenanceKind.LINKED
    source_key: str | None = None
    rule: str = ""
    evidence: str = ""
    confidence: float | None = None
    recovered_from: str | None = None
    recovered_at: datetime | None = None  # timezone-aware
    note: str = ""


LINKED: Final = Provenance()
MISSING: Final = Provenance(ProvenanceKind.MISSING, note="its href was stripped")


PROBLEM_KINDS = frozenset(
    {CitationKind.LOST, CitationKind.INVALID, CitationKind.JAVASCRIPT, CitationKind.UNRESOLVABLE}
)
# Kinds that reports and metrics do not count as citations: an attribution without a link (a
# finding of its own) and a picture linked to its image file (counted apart as pictures).
NOT_CITATIONS = frozenset({CitationKind.UNLINKED, CitationKind.PICTURE})
# The kinds of link the checker checks: citations of other sites, and pictures linked to their
# image files on any site (no sources, but a dead picture is worth fixing).
CHECKED_KINDS = frozenset({CitationKind.EXTERNAL, CitationKind.PICTURE})


@dataclass(frozen=True, slots=True)
class Citation:
    """One ``<a>`` occurrence (or one lost link) in an article body, in document order."""

    article_id: str
    position: int  # 0-based ordinal among the article's citations
    paragraph: int  # 0-based index of the block (p, li, blockquote, ...) it sits in
    href: str | None  # the attribute value, user name and password removed; None for lost links
    url: str | None  # absolute URL (WHATWG), credentials removed; None if unresolvable
    key: str | None  # grouping key (lossy normalisation); None when url is None
    domain: str | None  # registered domain of url (Public Suffix List)
    text: str  # anchor text, whitespace collapsed
    context: str  # the sentence the link sits in
    kind: CitationKind
    # rel tokens: nofollow, sponsored, ugc, noopener, ...; one cell of space-separated words
    rel: tuple[str, ...] = field(default=(), metadata={"cell": "words"})
    # linked, recovered, inferred or missing (see Provenance); one column per field
    # (provenance_kind, provenance_source_key, ...)
    provenance: Provenance = LINKED
    # The href carried a user name or password (removed from href, url, text and context, and
    # from the stored article): a hygiene finding, never the secret itself.
    credentials: bool = False

    def __post_init__(self) -> None:
        # A lost link is never "linked": until repair recovers or infers it, it is missing.
        if self.kind is CitationKind.LOST and self.provenance == LINKED:
            object.__setattr__(self, "provenance", MISSING)


class SourceKind(StrEnum):
    """The kind of outlet a source is."""

    NEWS_AGENCY = "news_agency"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    MAGAZINE = "magazine"
    DIGITAL_NEWS = "digital_news"
    POLLSTER = "pollster"
    GOVERNMENT = "government"
    LAW = "law"
    INTERNATIONAL_ORG = "international_org"
    ACADEMIC = "academic"
    THINK_TANK = "think_tank"
    SOCIAL = "social"
    WIKI = "wiki"
    BLOG = "blog"  # a blog, such as one on a shared host (name.wordpress.com)
    PLATFORM = "platform"  # a technology company's service: code hosting, search, shopping
    REFERENCE = "reference"  # a dictionary, database or directory looked things up in
    STANDARDS = "standards"  # a standards body and its specifications (W3C, WHATWG, IETF)
    ARCHIVE = "archive"  # a web archive (Internet Archive, archive.today)
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet behind one or more URLs.

    ``key`` is the registered domain by default, a URL prefix where one domain hosts many
    outlets (``x.com/ukrinform``), and ``rule`` says what decided the classification.
    """

    key: str
    name: str
    kind: SourceKind
    country: str | None
    rule: str


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
