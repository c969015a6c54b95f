"""The public surface: what `import linkgraph` offers is deliberate and importable."""

from __future__ import annotations

from pathlib import Path

import linkgraph

EXPECTED = {
    "Analysis",
    "CheckConfig",
    "Registry",
    "Store",
    "analyse",
    "check_urls",
    "explain_links",
    "extract",
    "extract_inputs",
    "read_inputs",
    "write_report",
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
    assert list(linkgraph.__all__) == sorted(linkgraph.__all__, key=lambda n: (n[0].islower(), n))
    for name in linkgraph.__all__:
        assert hasattr(linkgraph, name), name


def test_every_error_derives_from_linkgraph_error() -> None:
    for name in ("ConfigError", "InputError", "InputTooLarge", "StoreError"):
        assert issubclass(getattr(linkgraph, name), linkgraph.LinkgraphError)


def test_library_round_trip_on_the_example() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "ukraine-arms.json"
    items = linkgraph.extract_inputs([str(example)])
    analysis = linkgraph.analyse(x for x in items if isinstance(x, linkgraph.Extraction))
    kinds = {o.source.key: o.source.kind for o in analysis.outlets}
    assert kinds["ukrinform.net"] == linkgraph.SourceKind.NEWS_AGENCY
    assert kinds["gallup.co.kr"] == linkgraph.SourceKind.POLLSTER
    assert kinds["law.go.kr"] == linkgraph.SourceKind.LAW
