"""The article-outlet graph, PageRank, projections, Louvain determinism and the backbone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from graph_factories import article
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from linkgraph.analysis.graph import CitedLink, build_graph, pagerank
from linkgraph.analysis.projections import (
    article_coupling,
    cooccurrence,
    disparity_backbone,
    outlet_cocitation,
    projection_graph,
)
from linkgraph.records import Source, SourceKind

YNA = Source("yna.co.kr", "Yonhap News Agency", SourceKind.NEWS_AGENCY, "KR", "registry:yna.co.kr")
GALLUP = Source("gallup.co.kr", "Gallup Korea", SourceKind.POLLSTER, "KR", "registry:x")


def test_build_graph_nodes_and_edges() -> None:
    arts = [article("1", ""), article("2", "")]
    graph = build_graph(arts, [
        CitedLink("1", YNA, "https://en.yna.co.kr/a", "Yonhap"),
        CitedLink("1", YNA, "https://en.yna.co.kr/b", "reported"),
        CitedLink("1", YNA, "https://en.yna.co.kr/a", "Yonhap"),
        CitedLink("2", GALLUP, "https://gallup.co.kr/p", "poll"),
    ])
    assert set(graph.nodes) == {"a:1", "a:2", "s:yna.co.kr", "s:gallup.co.kr"}
    edge = graph.edges["a:1", "s:yna.co.kr"]
    assert edge["weight"] == 3
    assert edge["urls"] == ["https://en.yna.co.kr/a", "https://en.yna.co.kr/b"]
    assert edge["anchors"] == ["Yonhap", "reported"]
    node = graph.nodes["s:yna.co.kr"]
    assert (node["kind"], node["name"], node["source_kind"], node["country"]) == \
        ("source", "Yonhap News Agency", "news_agency", "KR")
    assert (node["citations"], node["articles"]) == (3, 1)
    art = graph.nodes["a:1"]
    assert art["kind"] == "article" and art["published"].startswith("2023-02-27")
    assert all(v is not None for _, d in graph.nodes(data=True) for v in d.values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pagerank_matches_networkx(seed: int) -> None:
    graph = nx.gnp_random_graph(40, 0.08, seed=seed, directed=True)
    for i, (a, b) in enumerate(graph.edges):
        graph.edges[a, b]["weight"] = 1 + (i * seed) % 4
    expected = _pagerank_python(graph, weight="weight")
    got = pagerank(graph)
    for node in graph:
        assert got[node] == pytest.approx(expected[node], abs=1e-5)
    assert sum(got.values()) == pytest.approx(1.0)


def test_pagerank_empty_graph() -> None:
    assert pagerank(nx.DiGraph()) == {}


def test_cooccurrence_counts_pairs() -> None:
    counts = cooccurrence([[0, 1], [0, 1, 2], [2]], 3)
    assert counts[0, 1] == 2 and counts[1, 2] == 1 and counts[0, 2] == 1
    assert counts[2, 2] == 2  # diagonal: rows holding the column


def _outlets() -> dict[str, frozenset[str]]:
    return {
        "1": frozenset({"a", "b"}),
        "2": frozenset({"a", "b"}),
        "3": frozenset({"a", "b", "c"}),
        "4": frozenset({"c", "d"}),
        "5": frozenset({"c", "d"}),
        "6": frozenset({"e"}),
    }


def test_cocitation_association_strength() -> None:
    proj = outlet_cocitation(_outlets(), min_shared=2)
    edges = {(e.a, e.b) if e.a < e.b else (e.b, e.a): e for e in proj.edges}
    assert set(edges) == {("a", "b"), ("c", "d")}
    ab = edges["a", "b"]
    # a and b: cited by 3 articles each, together by 3, N = 6 articles citing anything
    assert ab.shared == 3
    assert ab.weight == pytest.approx(3 * 6 / (3 * 3))
    cd = edges["c", "d"]
    assert cd.weight == pytest.approx(2 * 6 / (3 * 2))
    assert "association strength" in proj.weighting
    assert sorted(len(c.members) for c in proj.communities) == [2, 2]


def test_cocitation_bound_keeps_most_cited_outlets() -> None:
    proj = outlet_cocitation(_outlets(), max_nodes=2, min_shared=1)
    assert set(proj.nodes) == {"a", "b"}  # a, b and c are cited by 3 articles: ties by key
    assert "limit 2" in proj.bounds


def test_coupling_jaccard_and_bounds() -> None:
    proj = article_coupling(_outlets(), min_shared=2)
    edges = {frozenset((e.a, e.b)): e for e in proj.edges}
    assert edges[frozenset(("1", "2"))].weight == pytest.approx(1.0)
    assert edges[frozenset(("1", "3"))].weight == pytest.approx(2 / 3)
    assert edges[frozenset(("4", "5"))].shared == 2
    assert frozenset(("3", "4")) not in edges  # only "c" in common
    assert "6" not in proj.nodes  # one outlet: cannot share two
    bounded = article_coupling(_outlets(), max_nodes=2, min_shared=1)
    assert bounded.nodes == ("3", "1")  # most distinct outlets first, ties by id


def _two_cliques() -> dict[str, frozenset[str]]:
    left = [f"l{i}" for i in range(6)]
    right = [f"r{i}" for i in range(6)]
    out: dict[str, frozenset[str]] = {}
    n = 0
    for group in (left, right):
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                out[f"art{n}"] = frozenset({group[i], group[j]})
                out[f"art{n + 1}"] = frozenset({group[i], group[j]})
                n += 2
    out["bridge"] = frozenset({"l0", "r0"})
    return out


def test_louvain_is_deterministic_and_finds_the_cliques() -> None:
    runs = [outlet_cocitation(_two_cliques(), min_shared=1) for _ in range(3)]
    assert runs[0].communities == runs[1].communities == runs[2].communities
    groups = sorted(sorted(c.members) for c in runs[0].communities)
    assert groups == [[f"l{i}" for i in range(6)], [f"r{i}" for i in range(6)]]
    assert runs[0].modularity > 0.3
    assert runs[0].seed == 42


def test_disparity_backbone_keeps_dominant_edges() -> None:
    graph = nx.Graph()
    graph.add_edge("hub", "big", weight=100.0)
    for i in range(10):
        graph.add_edge("hub", f"small{i}", weight=1.0)
    graph.add_edge("x", "hub", weight=1.0)
    graph.add_edge("x", "big", weight=50.0)
    kept = disparity_backbone(graph, alpha=0.05)
    assert frozenset(("hub", "big")) in kept  # dominates the hub's strength
    assert frozenset(("x", "big")) in kept
    assert frozenset(("hub", "small5")) in kept  # small5's only edge: its heaviest
    assert frozenset(("x", "hub")) not in kept  # weak at both ends, not x's heaviest
    assert len(kept) == graph.number_of_edges() - 1


def test_projection_graph_backbone_only() -> None:
    proj = outlet_cocitation(_two_cliques(), min_shared=1)
    full = projection_graph(proj)
    backbone = projection_graph(proj, backbone_only=True)
    assert full.number_of_edges() == len(proj.edges)
    assert 0 < backbone.number_of_edges() <= full.number_of_edges()
    assert {d["community"] for _, d in backbone.nodes(data=True)} == {0, 1}


def test_coupling_keeps_each_articles_nearest_partners() -> None:
    # 30 articles all citing the same 3 wires plus one own outlet: every pair is coupled.
    outlets = {f"{i:02d}": frozenset({"wire1", "wire2", "wire3", f"own{i}"}) for i in range(30)}
    full = article_coupling(outlets, neighbours=100)
    assert len(full.edges) == 30 * 29 // 2
    sparse = article_coupling(outlets, neighbours=3)
    assert len(sparse.edges) <= 30 * 3
    degree: dict[str, int] = {}
    for edge in sparse.edges:
        degree[edge.a] = degree.get(edge.a, 0) + 1
        degree[edge.b] = degree.get(edge.b, 0) + 1
    assert min(degree.values()) >= 3  # every article keeps at least its own 3 partners
    assert all(edge.weight == pytest.approx(3 / 5) for edge in sparse.edges)
    assert "3 most similar partners" in sparse.bounds


def test_louvain_repeats_across_hash_seeds() -> None:
    """Communities do not depend on set iteration order (PYTHONHASHSEED)."""
    script = (
        "from test_graph import _two_cliques\n"
        "from linkgraph.analysis.projections import outlet_cocitation, article_coupling\n"
        "p = outlet_cocitation(_two_cliques(), min_shared=1)\n"
        "q = article_coupling(_two_cliques(), min_shared=1)\n"
        "print([c.members for c in p.communities], [c.members for c in q.communities])\n"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True,
            cwd=Path(__file__).resolve().parent, timeout=60, check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
