"""linkgraph: citation and link-graph analysis of news articles.

>>> import linkgraph
>>> items = linkgraph.extract_inputs(["examples/ukraine-arms.json"])   # doctest: +SKIP
>>> analysis = linkgraph.analyse(x for x in items if isinstance(x, linkgraph.Extraction))
...                                                                      # doctest: +SKIP

The records and errors are imported eagerly; the entry points that pull in heavier
libraries (networkx, httpx, matplotlib) are imported on first use, so that ``import
linkgraph`` and the command line stay quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from linkgraph.analysis import Analysis, analyse
    from linkgraph.check import CheckConfig, check_urls
    from linkgraph.extract.explain import explain_links
    from linkgraph.extract.extractor import extract
    from linkgraph.pipeline import extract_inputs
    from linkgraph.readers import read_inputs
    from linkgraph.report import write_report
    from linkgraph.sources import Registry
    from linkgraph.store import Store

__version__ = "0.1.0"

_LAZY = {
    "Analysis": "linkgraph.analysis",
    "CheckConfig": "linkgraph.check",
    "Registry": "linkgraph.sources",
    "Store": "linkgraph.store",
    "analyse": "linkgraph.analysis",
    "check_urls": "linkgraph.check",
    "explain_links": "linkgraph.extract",
    "extract": "linkgraph.extract",
    "extract_inputs": "linkgraph.pipeline",
    "read_inputs": "linkgraph.readers",
    "write_report": "linkgraph.report",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'linkgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Analysis",
    "Article",
    "BodyKind",
    "CheckConfig",
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
    "Registry",
    "Source",
    "SourceKind",
    "Store",
    "StoreError",
    "Verdict",
    "__version__",
    "analyse",
    "check_urls",
    "explain_links",
    "extract",
    "extract_inputs",
    "read_inputs",
    "write_report",
]
