"""The typed records that flow between linkgraph's rooms.

Every record is a frozen, slotted dataclass; closed sets are ``StrEnum`` so they serialise as
plain strings.  Records carry their provenance (``Origin``) so that any warning can name the
file and the record it came from.

A package by concern, every name importable from ``linkgraph.records``: ``articles`` (inputs,
articles, extractions, citations and their provenance), ``sources`` (outlets), ``checks``
(link checks: verdicts, error kinds, results, a link's standing over its history).
"""

from __future__ import annotations

from linkgraph.records.articles import (
    CHECKED_KINDS,
    LINKED,
    MISSING,
    NOT_CITATIONS,
    PROBLEM_KINDS,
    Article,
    BodyKind,
    BodySentence,
    Citation,
    CitationKind,
    Extraction,
    FetchedBody,
    Origin,
    Provenance,
    ProvenanceKind,
    ReadFailure,
    RepeatedArticle,
)
from linkgraph.records.checks import (
    FAILING_VERDICTS,
    LOCAL_FAILURES,
    CheckResult,
    ErrorKind,
    LinkStatus,
    Verdict,
)
from linkgraph.records.sources import (
    Source,
    SourceKind,
)

__all__ = [
    "CHECKED_KINDS",
    "FAILING_VERDICTS",
    "LINKED",
    "LOCAL_FAILURES",
    "MISSING",
    "NOT_CITATIONS",
    "PROBLEM_KINDS",
    "Article",
    "BodyKind",
    "BodySentence",
    "CheckResult",
    "Citation",
    "CitationKind",
    "ErrorKind",
    "Extraction",
    "FetchedBody",
    "LinkStatus",
    "Origin",
    "Provenance",
    "ProvenanceKind",
    "ReadFailure",
    "RepeatedArticle",
    "Source",
    "SourceKind",
    "Verdict",
]
