"""The streamed path of ``report --db`` and ``graph --db`` reads a store as the in-memory path
does: ``--no-infer`` leaves out the inferred sources the store holds, in both."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkgraph.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FIELDS = ("summary", "outlets", "inferred_outlets", "periods", "cocitation", "coupling")


@pytest.fixture(scope="module")
def inferred_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store of the damaged example: its lost links have sources inferred from its
    text, stored with the citations (provenance ``inferred``)."""
    db = tmp_path_factory.mktemp("inferred") / "news.db"
    result = CliRunner().invoke(main, ["ingest", str(EXAMPLES / "ukraine-arms-damaged.json"),
                                       "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def figures(value: Any) -> Any:
    """*value* with floats to 9 significant digits (sums in another order differ in the last
    bits), as benchmarks/snapshot.py compares."""
    if isinstance(value, dict):
        return {key: figures(item) for key, item in value.items()}
    if isinstance(value, list):
        return [figures(item) for item in value]
    return float(f"{value:.9g}") if isinstance(value, float) else value


def _report(db: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["-q", "report", "--db", str(db), "--out", str(out),
                                       *extra])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


def test_no_infer_leaves_the_stored_inferences_out_on_both_paths(
    inferred_store: Path, tmp_path: Path,
) -> None:
    kept = _report(inferred_store, tmp_path / "kept", "--streamed")
    assert kept["summary"]["inferred"] > 0 and kept["inferred_outlets"]  # the store holds some
    full = _report(inferred_store, tmp_path / "full", "--no-infer")
    streamed = _report(inferred_store, tmp_path / "streamed", "--streamed", "--no-infer")
    assert streamed["streamed"] is True and "streamed" not in full
    assert full["summary"]["inferred"] == 0 and full["inferred_outlets"] == []
    for field in FIELDS:
        assert figures(streamed[field]) == figures(full[field]), field
    # Counted as sources (--count-inferred), they are gone as well.
    counted = _report(inferred_store, tmp_path / "counted", "--streamed", "--count-inferred")
    assert sum(o["inferred"] for o in counted["outlets"]) > 0
    both = [_report(inferred_store, tmp_path / name, *extra, "--count-inferred", "--no-infer")
            for name, extra in (("c-full", ()), ("c-streamed", ("--streamed",)))]
    assert figures(both[0]["outlets"]) == figures(both[1]["outlets"])
    assert sum(o["inferred"] for o in both[1]["outlets"]) == 0


def _edges(path: Path) -> set[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["source"], row["target"], row["weight"]) for row in csv.DictReader(handle)}


def test_no_infer_leaves_inferred_edges_out_of_the_streamed_graph(
    inferred_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def graph(name: str, *extra: str) -> set[tuple[str, str, str]]:
        export = tmp_path / f"{name}.csv"
        result = CliRunner().invoke(main, ["graph", "--db", str(inferred_store), "--export",
                                           str(export), "--count-inferred", *extra])
        assert result.exit_code == 0, result.output
        return _edges(export)

    in_memory = graph("full", "--no-infer")
    with_inferred = graph("full-inferred")
    monkeypatch.setenv("LINKGRAPH_STREAM_ABOVE", "0")  # every store streams
    streamed = graph("streamed", "--no-infer")
    assert streamed == in_memory
    assert with_inferred - in_memory  # the edges --no-infer leaves out
    assert graph("streamed-inferred") == with_inferred
