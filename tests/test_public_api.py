"""The public surface: what `import linkgraph` offers is deliberate and importable."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

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


def _defined(path: Path) -> set[str]:
    """The public names a module defines at its top level."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize("package", ["linkgraph.urls", "linkgraph.records"])
def test_a_split_leaf_keeps_one_import_path(package: str) -> None:
    # linkgraph.urls and linkgraph.records are packages by concern; every public name their
    # modules define is importable from the package, as it was from the single module before.
    top = importlib.import_module(package)
    found: set[str] = set()
    for info in pkgutil.iter_modules(top.__path__):
        module = importlib.import_module(f"{package}.{info.name}")
        assert module.__file__ is not None
        for name in _defined(Path(module.__file__)):
            assert getattr(top, name) is getattr(module, name), (package, name)
            found.add(name)
    assert found == set(top.__all__)
