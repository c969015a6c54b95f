"""linkgraph: citation and link-graph analysis of news articles."""

from __future__ import annotations

from linkgraph.errors import ConfigError, InputError, InputTooLarge, LinkgraphError, StoreError
from linkgraph.records import (
    Article,
    BodyKind,
    CheckResult,
    Citation,
    CitationKind,
    Extraction,
    LinkStatus,
    Origin,
    ReadFailure,
    Source,
    SourceKind,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "BodyKind",
    "CheckResult",
    "Citation",
    "CitationKind",
    "ConfigError",
    "Extraction",
    "InputError",
    "InputTooLarge",
    "LinkStatus",
    "LinkgraphError",
    "Origin",
    "ReadFailure",
    "Source",
    "SourceKind",
    "StoreError",
    "Verdict",
    "__version__",
]
