"""The streamed GEXF, GraphML and node-link JSON writers: networkx reads back what they write,
the same graph networkx's own writers give, and they never hold the document in memory."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from linkgraph.report.exports import export_graph, sanitise_graph
from linkgraph.report.graph_xml import write_gexf, write_graphml, xml_attr, xml_text

READERS: dict[str, Callable[[Path], Any]] = {"gexf": nx.read_gexf, "graphml": nx.read_graphml}
NX_WRITERS: dict[str, Callable[[Any, Path], None]] = {
    "gexf": nx.write_gexf, "graphml": nx.write_graphml}

# Strings a web page can put in a label, all of which XML can hold.
HOSTILE = [
    'say "hi" & \'bye\'', "<script>alert(1)</script>", "a]]>b", "Київ — 서울 — 東京 — القاهرة",
    "emoji 🔗🧵 ZWJ 👩‍💻", "tab\tnew\nline", "  spaced  ", "&amp; already escaped", "",
]
# What XML 1.0 cannot hold, and what it becomes.
FORBIDDEN = {"nul\x00": "nul\ufffd", "bell\x07 esc\x1b": "bell\ufffd esc\ufffd",
             "lone \ud800 surrogate": "lone \ufffd surrogate", "nonchar\ufffe": "nonchar\ufffd"}


def _typed(data: dict[str, Any]) -> dict[str, tuple[type, Any]]:
    return {key: (type(value), value) for key, value in data.items()}


def _shape(graph: Any, *, edge_id: bool = True) -> dict[str, Any]:
    """A graph as comparable data: class, graph attributes, nodes and edges with typed values."""
    def edge_key(a: Any, b: Any) -> Any:
        return (a, b) if graph.is_directed() else frozenset((a, b))

    return {
        "class": type(graph).__name__,
        "graph": graph.graph,
        "nodes": {n: _typed(d) for n, d in graph.nodes(data=True)},
        "edges": {edge_key(a, b): _typed({k: v for k, v in d.items() if edge_id or k != "id"})
                  for a, b, d in graph.edges(data=True)},
    }


def _write(writer: Callable[[Any, Any], None], graph: Any, path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        writer(graph, handle)
    return path


def _mixed(directed: bool) -> Any:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph["name"] = "outlets"
    graph.add_node("s:yna.co.kr", kind="source", label="Yonhap", citations=12, pagerank=0.125,
                   official=True, score=3, ratio=1, tags=["agency", "KR"], country=None)
    graph.add_node("s:x.com/ukrinform", kind="source", label="Ukrinform on X", citations=0,
                   pagerank=1e-7, official=False, score="n/a", ratio=2.5,
                   added=np.int64(7))
    graph.add_node("site:a.example", kind="site")  # no label: GEXF labels it with its id
    graph.add_edge("site:a.example", "s:yna.co.kr", weight=3, urls=["u1", "u2"], share=0.5)
    graph.add_edge("site:a.example", "s:x.com/ukrinform", weight=1, urls=[], share=1)
    graph.add_edge("s:yna.co.kr", "s:x.com/ukrinform", weight=2, verified=True)
    return graph


def _hostile(directed: bool, strings: list[str]) -> Any:
    graph = nx.DiGraph() if directed else nx.Graph()
    for i, text in enumerate(strings):
        node = f"n{i}:{text}"  # ids that need escaping too
        graph.add_node(node, label=text, note=text, **{f"key {text}": i})
        if i:
            graph.add_edge(f"n{i - 1}:{strings[i - 1]}", node, weight=i, anchors=text,
                           label=text)
    return graph


def _gexf_expected(graph: Any) -> dict[str, Any]:
    """What read_gexf gives for *graph* sanitised: every node labelled (its id by default),
    weights as floats (networkx reads every GEXF weight as a float), the reader's graph keys."""
    clean = sanitise_graph(graph)
    for node, data in clean.nodes(data=True):
        data["label"] = str(data.get("label", node))
    for _, _, data in clean.edges(data=True):
        if "weight" in data:
            data["weight"] = float(data["weight"])
    attributes: dict[str, Any] = {"mode": "static", "edge_default": {}}
    if any(set(d) - {"label"} for _, d in clean.nodes(data=True)):
        attributes["node_default"] = {}
    if "name" in clean.graph:
        attributes["name"] = clean.graph["name"]
    clean.graph.clear()
    clean.graph.update(attributes)
    return _shape(clean, edge_id=False)


def _graphml_expected(graph: Any) -> dict[str, Any]:
    clean = sanitise_graph(graph)
    clean.graph.update(node_default={}, edge_default={})
    return _shape(clean)


EXPECTED = {"gexf": _gexf_expected, "graphml": _graphml_expected}
WRITERS = {"gexf": write_gexf, "graphml": write_graphml}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("make", [_mixed, lambda d: _hostile(d, HOSTILE),
                                  lambda d: nx.DiGraph() if d else nx.Graph()],
                         ids=["mixed-types", "hostile-strings", "empty"])
def test_reads_back_as_networkx_writes_it(tmp_path: Path, fmt: str, directed: bool,
                                          make: Callable[[bool], Any]) -> None:
    graph = make(directed)
    ours = READERS[fmt](_write(WRITERS[fmt], graph, tmp_path / f"ours.{fmt}"))
    theirs_path = tmp_path / f"nx.{fmt}"
    NX_WRITERS[fmt](sanitise_graph(graph), theirs_path)
    assert _shape(ours) == _shape(READERS[fmt](theirs_path))
    assert _shape(ours, edge_id=fmt != "gexf") == EXPECTED[fmt](graph)


def test_types_as_declared(tmp_path: Path) -> None:
    back = {fmt: READERS[fmt](_write(WRITERS[fmt], _mixed(True), tmp_path / f"g.{fmt}"))
            for fmt in ("gexf", "graphml")}
    for graph in back.values():
        node = graph.nodes["s:yna.co.kr"]
        assert _typed(node) | _typed({"citations": 12, "pagerank": 0.125, "official": True,
                                      "score": "3", "ratio": 1.0, "tags": "agency | KR",
                                      "country": ""}) == _typed(node)
        assert graph.nodes["s:x.com/ukrinform"]["added"] == 7
    assert back["graphml"].edges["site:a.example", "s:yna.co.kr"]["weight"] == 3
    assert back["gexf"].edges["site:a.example", "s:yna.co.kr"]["weight"] == 3.0
    gexf = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert '<gexf xmlns="http://www.gexf.net/1.2draft"' in gexf and 'version="1.2"' in gexf
    assert '<attributes class="node" mode="static">' in gexf
    assert 'title="citations" type="long"' in gexf and 'title="ratio" type="double"' in gexf
    assert 'id="s:yna.co.kr" label="Yonhap"' in gexf and 'weight="3"' in gexf
    graphml = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert 'attr.name="official" attr.type="boolean"' in graphml
    assert 'for="edge" attr.name="weight" attr.type="long"' in graphml


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_characters_xml_cannot_hold_are_replaced(tmp_path: Path, fmt: str) -> None:
    """Labels and ids from web pages with control characters or lone surrogates: the file is
    still XML (networkx's writer wrote them raw, and its reader refused the file), each such
    character read back as U+FFFD, and every edge still meets its nodes."""
    graph = _hostile(True, list(FORBIDDEN))
    back = READERS[fmt](export_graph(graph, tmp_path / f"g.{fmt}"))
    cleaned = list(FORBIDDEN.values())
    assert set(back.nodes) == {f"n{i}:{text}" for i, text in enumerate(cleaned)}
    assert sorted(back.nodes[f"n{i}:{t}"]["note"] for i, t in enumerate(cleaned)) == \
        sorted(cleaned)
    assert back.number_of_edges() == graph.number_of_edges()


def test_carriage_returns_survive(tmp_path: Path) -> None:
    """A CR in element text would be read back as LF; in attributes, as a space."""
    graph = nx.DiGraph()
    graph.add_node("a\r\nb", label="x\ry", note="p\rq\r\n")
    for fmt in ("gexf", "graphml"):
        back = READERS[fmt](export_graph(graph, tmp_path / f"g.{fmt}"))
        assert dict(back.nodes["a\r\nb"]) == {"label": "x\ry", "note": "p\rq\r\n"}


def test_escaping_helpers() -> None:
    assert xml_text("<&>\r\x0b") == "&lt;&amp;&gt;&#13;\ufffd"
    assert xml_attr("\"'\n\t") == "\"&quot;'&#10;&#9;\""


def test_edge_ids_and_labels_as_networkx_writes_them(tmp_path: Path) -> None:
    graph = nx.DiGraph()
    graph.add_edge("a", "b", id="1", label="first")
    graph.add_edge("b", "c", weight="heavy")  # a weight that is no number stays an attribute
    graph.add_edge("c", "a")
    graph.add_edge("c", "d", id=None)  # sanitised to "", an id like any other
    back = nx.read_gexf(_write(write_gexf, graph, tmp_path / "g.gexf"))
    assert back.edges["a", "b"] == {"id": "1", "label": "first"}
    assert back.edges["b", "c"] == {"id": "0", "weight": "heavy"}
    assert back.edges["c", "a"] == {"id": "2"}
    assert back.edges["c", "d"] == {"id": ""}
    without_weight = sanitise_graph(graph)
    del without_weight.edges["b", "c"]["weight"]  # networkx's reader cannot read that one
    ours = nx.read_gexf(_write(write_gexf, without_weight, tmp_path / "w.gexf"))
    nx.write_gexf(without_weight, tmp_path / "nx.gexf")
    assert _shape(ours) == _shape(nx.read_gexf(tmp_path / "nx.gexf"))


def test_node_link_json_is_networkx_bytes(tmp_path: Path) -> None:
    for graph in (_mixed(True), _hostile(True, HOSTILE), nx.DiGraph()):
        path = export_graph(graph, tmp_path / "g.json")
        data = nx.node_link_data(sanitise_graph(graph), edges="edges")
        assert path.read_text(encoding="utf-8") == json.dumps(data, ensure_ascii=False,
                                                              indent=1)
    # Control characters are JSON escapes, a lone surrogate too (it has no UTF-8).
    hostile = _hostile(True, list(FORBIDDEN))
    path = export_graph(hostile, tmp_path / "h.json")
    assert json.loads(path.read_text(encoding="utf-8")) == \
        nx.node_link_data(sanitise_graph(hostile), edges="edges")
    undirected = _mixed(False)
    back = nx.node_link_graph(json.loads(export_graph(undirected, tmp_path / "u.json")
                                         .read_text(encoding="utf-8")), edges="edges")
    assert _shape(back) == _shape(sanitise_graph(undirected))


def test_multigraph_goes_through_networkx(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", weight=1)
    graph.add_edge("a", "b", weight=2)
    for fmt in ("gexf", "graphml"):
        assert READERS[fmt](export_graph(graph, tmp_path / f"m.{fmt}")).number_of_edges() == 2
    with pytest.raises(TypeError, match="multigraph"):
        write_gexf(graph, io.StringIO())


def _outlet_graph(outlets: int, edges: int) -> Any:
    graph = nx.DiGraph()
    for i in range(outlets):
        graph.add_node(f"s:o{i}.example", kind="source", label=f"Outlet {i} <news>",
                       source_kind="newspaper", country="KR", rule="domain", citations=i,
                       articles=i // 2, pagerank=1 / (i + 1))
    sites = [f"site:s{i}.example" for i in range(6)]
    for site in sites:
        graph.add_node(site, kind="site", label=site)
    for e in range(edges):
        graph.add_edge(sites[e % 6], f"s:o{(e * 7) // 6 % outlets}.example", weight=e % 97 + 1)
    return graph


def _traced_peak(write: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_the_document_is_never_held_in_memory(tmp_path: Path, fmt: str) -> None:
    """The memory a write takes stays a small fraction of the file it writes (networkx's
    ElementTree writers take several times the file's size, the graph copy they are given
    more again)."""
    graph = _outlet_graph(1_500, 6_000)
    path = tmp_path / f"g.{fmt}"
    peak = _traced_peak(lambda: export_graph(graph, path))
    size = path.stat().st_size
    assert size > 800_000
    assert peak < size / 10, (peak, size)
    if fmt != "json":
        before = _traced_peak(lambda: NX_WRITERS[fmt](sanitise_graph(graph), tmp_path / "nx"))
        assert before > size, (before, size)  # what the limit above rules out


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_a_failed_export_leaves_the_earlier_file_whole(tmp_path: Path, fmt: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.DiGraph()
    graph.add_edge("site:a.example", "source:b.example", weight=2)
    path = tmp_path / f"graph.{fmt}"
    export_graph(graph, path)
    before = path.read_bytes()

    def broken(_graph: Any, stream: Any) -> None:
        stream.write("<half")
        raise KeyboardInterrupt

    from linkgraph.report import exports  # noqa: PLC0415

    name = {"gexf": "write_gexf", "graphml": "write_graphml", "json": "write_node_link"}[fmt]
    monkeypatch.setattr(exports, name, broken)
    with pytest.raises(KeyboardInterrupt):
        export_graph(graph, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no part file left
