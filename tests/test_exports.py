"""Graph exports read back with networkx and csv; the ``graph`` command on files and a store."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from graph_factories import extracted, links, read_graph

from linkgraph.analysis import analyse
from linkgraph.cli import main
from linkgraph.errors import ConfigError
from linkgraph.report.exports import export_graph, sanitise_graph, sanitise_value
from linkgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
FORMATS = ("gexf", "graphml", "json", "csv")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""), ([1, "a"], "1 | a"), (("x",), "x"), (np.int64(3), 3),
        (np.float32(0.5), 0.5), (float("nan"), 0.0), (True, True), ({"b", "a"}, "a | b"),
    ],
)
def test_sanitise_value(value: object, expected: object) -> None:
    got = sanitise_value(value)
    assert got == expected and type(got) is type(expected)


def test_sanitise_unifies_types_per_attribute() -> None:
    graph = nx.DiGraph()
    graph.add_node("a", score=1)
    graph.add_node("b", score="n/a")
    graph.add_node("c", weight=np.int64(2))
    graph.add_node("d", weight=2.5)
    clean = sanitise_graph(graph)
    assert clean.nodes["a"]["score"] == "1"
    assert clean.nodes["c"]["weight"] == 2.0 and isinstance(clean.nodes["c"]["weight"], float)


def _analysis_graph() -> object:
    return analyse([
        extracted("1", links("https://en.yna.co.kr/a", "https://www.gallup.co.kr/p",
                             "https://twitter.com/Ukrinform/status/1")),
        extracted("2", links("https://en.yna.co.kr/b", "https://en.yna.co.kr/b")),
    ]).graph


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trip(tmp_path: Path, fmt: str) -> None:
    graph = _analysis_graph()
    path = export_graph(graph, tmp_path / f"graph.{fmt}")
    back = read_graph(path)
    assert back.number_of_edges() == graph.number_of_edges()  # type: ignore[attr-defined]
    assert float(back.edges["a:2", "s:yna.co.kr"]["weight"]) == 2
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        row = next(r for r in rows if r["target"] == "s:x.com/ukrinform")
        assert row["target_kind"] == "social"
        return
    assert back.number_of_nodes() == graph.number_of_nodes()  # type: ignore[attr-defined]
    node = back.nodes["s:yna.co.kr"]
    assert node["source_kind"] == "news_agency" and node["country"] == "KR"
    assert int(node["citations"]) == 3 and int(node["articles"]) == 2
    assert float(node["pagerank"]) > 0
    assert back.nodes["a:1"]["kind"] == "article"
    edge = back.edges["a:1", "s:x.com/ukrinform"]
    assert edge["urls"] == "https://twitter.com/Ukrinform/status/1"


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown export format"):
        export_graph(nx.DiGraph(), tmp_path / "graph.png")


@pytest.mark.parametrize("fmt", FORMATS)
def test_graph_command_on_example(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"example.{fmt}"
    result = CliRunner().invoke(
        main, ["graph", str(REPO / "examples" / "ukraine-arms.json"), "--export", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    back = read_graph(out)
    assert any(str(n).startswith("s:ukrinform") for n in back.nodes)


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", FORMATS)
def test_wordpress_lists_export(corpus: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"wp.{fmt}"
    result = CliRunner().invoke(main, ["graph", str(corpus / "wp"), "--export", str(out),
                                       "--jobs", "1"])
    assert result.exit_code == 0, result.output
    back = read_graph(out)
    assert back.number_of_edges() > 100
    if fmt != "csv":
        kinds = {d.get("kind") for _, d in back.nodes(data=True)}
        assert kinds == {"article", "source"}
    if fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["directed"] is True


def test_graph_command_from_store(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.put_extractions([extracted("1", links("https://en.yna.co.kr/a"))])
    out = tmp_path / "store.graphml"
    result = CliRunner().invoke(main, ["graph", "--db", str(db), "--export", str(out)])
    assert result.exit_code == 0, result.output
    assert set(read_graph(out).nodes) == {"a:1", "s:yna.co.kr"}


def test_graph_command_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["graph", str(REPO / "examples"), "--export",
                               str(tmp_path / "x.png")])
    assert bad.exit_code == 2 and "unknown export format" in bad.output
    missing = runner.invoke(main, ["graph", "--db", str(tmp_path / "none.db"), "--export",
                                   str(tmp_path / "x.gexf")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert runner.invoke(main, ["graph", "--help"]).exit_code == 0


@pytest.mark.parametrize("which", ["cocitation", "coupling"])
def test_graph_command_projections(tmp_path: Path, which: str) -> None:
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.put_extractions([
            extracted(str(i), links("https://en.yna.co.kr/a", "https://www.gallup.co.kr/p",
                                    "https://www.reuters.com/x"))
            for i in range(3)
        ])
    out = tmp_path / f"{which}.gexf"
    result = CliRunner().invoke(main, ["graph", "--db", str(db), "--graph", which,
                                       "--backbone", "--export", str(out)])
    assert result.exit_code == 0, result.output
    back = read_graph(out)
    expected = {"yna.co.kr", "gallup.co.kr", "reuters.com"} if which == "cocitation" \
        else {"0", "1", "2"}
    assert set(back.nodes) == expected
    assert back.number_of_edges() >= 2
    assert all(int(d["community"]) >= 0 for _, d in back.nodes(data=True))
    if which == "cocitation":
        assert back.nodes["yna.co.kr"]["label"] == "Yonhap News Agency"
    else:
        assert back.nodes["1"]["label"] == "Article 1"


def test_csv_export_keeps_provenance(tmp_path: Path) -> None:
    """Inferred edges in the CSV say so (the columns used to stop at ``anchors``)."""
    out = tmp_path / "damaged.csv"
    damaged = REPO / "examples" / "ukraine-arms-damaged.json"
    result = CliRunner().invoke(main, ["graph", str(damaged), "--count-inferred", "--export",
                                       str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"linked", "recovered", "inferred", "provenance", "evidence"} <= set(rows[0])
    inferred = [r for r in rows if r["provenance"] == "inferred"]
    assert inferred and all(int(r["inferred"]) >= 1 and r["linked"] == "0" and r["evidence"]
                            and r["urls"] == "" for r in inferred)
    # The linked example's edges are all linked ones.
    linked = tmp_path / "linked.csv"
    result = CliRunner().invoke(main, ["graph", str(REPO / "examples" / "ukraine-arms.json"),
                                       "--export", str(linked)])
    with linked.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["provenance"] == "linked" and int(r["linked"]) >= 1
                        and r["inferred"] == "0" and r["evidence"] == "" for r in rows)
