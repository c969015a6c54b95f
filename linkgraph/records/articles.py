"""The records of reading and extraction: where an input came from (``Origin``), an
``Article`` as read, a ``FetchedBody`` kept, a ``ReadFailure``, an input that is an article
read before (``RepeatedArticle``), and what extraction made of an article (``Extraction``: its
``Citation`` records, with their kind and ``Provenance``, and its body's sentences)."""

from __future__ import annotations

from collections.abc import Iterable
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
class RepeatedArticle:
    """An input that is the same article as an earlier one (same canonical URL or post): it
    counts once, as this later copy.  Found on one machine (``workflow.report``) and on a
    cluster (``cluster.run``) alike."""

    origin: str
    first: str  # origin of the earliest copy
    article_id: str

    @classmethod
    def among(cls, copies: Iterable[tuple[str, str]]) -> tuple[RepeatedArticle, ...]:
        """Each later copy among *copies* (article id, origin; in input order), with the
        origin of its first copy."""
        first: dict[str, str] = {}
        found: list[RepeatedArticle] = []
        for article_id, origin in copies:
            if article_id in first:
                found.append(cls(origin, first[article_id], article_id))
            else:
                first[article_id] = origin
        return tuple(found)


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
