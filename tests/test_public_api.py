"""The public surface: what `import linkgraph` offers is deliberate and importable."""

from __future__ import annotations

import linkgraph

EXPECTED = {
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
}


def test_all_is_the_expected_sorted_surface() -> None:
    assert set(linkgraph.__all__) == EXPECTED
    assert list(linkgraph.__all__) == sorted(linkgraph.__all__)
    for name in linkgraph.__all__:
        assert hasattr(linkgraph, name), name


def test_every_error_derives_from_linkgraph_error() -> None:
    for name in ("ConfigError", "InputError", "InputTooLarge", "StoreError"):
        assert issubclass(getattr(linkgraph, name), linkgraph.LinkgraphError)
