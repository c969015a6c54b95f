"""The streamed analysis and the Parquet export, on corpus articles in a real SQLite store.

The streamed path must give every number the in-memory ``analyse`` gives on the same store:
outlets (with PageRank), periods, summary, projections, findings by kind, per-article stats
and edges; ``report --db --streamed`` must write the same report.json figures as ``report
--db``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from linkgraph.analysis import AnalysisOptions, analyse
from linkgraph.analysis.graph import CitedLink
from linkgraph.analysis.records import ArticleStats, Finding
from linkgraph.analysis.streaming import analyse_streaming
from linkgraph.check import link_statuses
from linkgraph.extract import extract
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Article, BodyKind, CheckResult, Extraction, Origin, Verdict
from linkgraph.report.exports import export_graph
from linkgraph.store import Store

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

REPO = Path(__file__).resolve().parents[1]
INPUTS = ("wp", "seed", "scrapinghub-aeb/html")
VERDICTS = (Verdict.DEAD, Verdict.REDIRECTED, Verdict.SOFT_404, Verdict.ALIVE, Verdict.BLOCKED)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CORPUS  # noqa: PLC0415

    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    db = tmp_path_factory.mktemp("stream") / "corpus.db"
    paths = [str(CORPUS / item) for item in INPUTS]
    with Store(db) as store:
        store.put_extractions(x for x in extract_inputs(paths) if isinstance(x, Extraction))
        # A check history, so that link status and its findings take part.
        urls = [url for url, _ in store.external_urls()][::7][:60]
        start = datetime(2024, 1, 1, tzinfo=UTC)
        for i, url in enumerate(urls):
            verdict = VERDICTS[i % len(VERDICTS)]
            for day in (0, 20):
                store.add_check(CheckResult(
                    url=url, checked_at=start + timedelta(days=day + i), verdict=verdict,
                    status=404 if verdict is Verdict.DEAD else 200,
                    final_url="https://elsewhere.example/" if verdict is Verdict.REDIRECTED
                    else None,
                    redirects=("https://elsewhere.example/",)
                    if verdict is Verdict.REDIRECTED else (),
                ))
    return db


class ListSink:
    def __init__(self) -> None:
        self.stats: list[ArticleStats] = []
        self.links: list[CitedLink] = []
        self.findings: list[Finding] = []

    def add_article(self, stats: ArticleStats, links: Sequence[CitedLink],
                    findings: Sequence[Finding], article: Article) -> None:
        self.stats.append(stats)
        self.links.extend(links)
        self.findings.extend(findings)


@pytest.mark.corpus
def test_streamed_numbers_equal_in_memory(corpus_store: Path) -> None:
    with Store(corpus_store) as store:
        status = link_statuses(store.check_histories())
        full = analyse(store.extractions(), link_status=status)
        sink = ListSink()
        streamed = analyse_streaming(store.extractions(), link_status=status, sink=sink)
    assert full.summary is not None
    assert full.summary.articles > 500 and full.summary.external > 1000  # a real corpus
    assert streamed.summary == full.summary
    assert streamed.periods == full.periods
    assert len(streamed.outlets) == len(full.outlets)
    for got, want in zip(streamed.outlets, full.outlets, strict=True):
        assert (got.source, got.citations, got.articles, got.share, got.first_cited,
                got.last_cited) == (want.source, want.citations, want.articles, want.share,
                                    want.first_cited, want.last_cited)
        assert math.isclose(got.pagerank, want.pagerank, rel_tol=1e-9)
    assert streamed.cocitation == full.cocitation
    assert full.cocitation is not None and full.cocitation.edges
    assert streamed.coupling == full.coupling
    kinds = Counter(f.kind.value for f in full.findings)
    assert dict(streamed.finding_counts) == dict(kinds)
    assert {"dead", "redirected", "soft_404"} <= set(kinds)  # the check history took part
    assert tuple(sink.stats) == full.article_stats
    assert sink.findings == list(full.findings)
    weights = Counter((f"a:{link.article_id}", f"s:{link.source.key}") for link in sink.links)
    assert weights == {(a, b): w for a, b, w in full.graph.edges(data="weight")}
    # The outlet-level graph: every outlet, each site's citations.
    graph = streamed.graph
    assert {n for n, kind in graph.nodes(data="kind") if kind == "source"} == {
        f"s:{o.source.key}" for o in full.outlets}
    assert sum(w for _, _, w in graph.edges(data="weight")) == full.summary.external


def _figures(prefix: str, value: Any) -> Iterator[str]:
    """Flattened figures, floats to 9 significant digits (as benchmarks/snapshot.py)."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _figures(f"{prefix}.{key}", value[key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _figures(f"{prefix}[{i}]", item)
    else:
        if isinstance(value, float):
            value = float(f"{value:.9g}")
        yield f"{prefix} = {json.dumps(value, sort_keys=True)}"


def _report(db: Path, out: Path, *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "-q", "report", "--db", str(db), "--out",
         str(out), *extra], capture_output=True, text=True, check=False, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.corpus
@pytest.mark.parametrize("count_inferred", [False, True])
def test_streamed_provenance_equals_in_memory(corpus_store: Path, count_inferred: bool) -> None:
    """Inferred sources (counted, or kept apart) and recovered links, per outlet and in the
    summary, as ``analyse`` tallies them: both scan each article with ``_Collector.scan``."""
    options = AnalysisOptions(count_inferred=count_inferred)
    with Store(corpus_store) as store:
        full = analyse(store.extractions(), options=options)
        streamed = analyse_streaming(store.extractions(), options=options)
    assert full.summary is not None
    assert full.summary.inferred > 0  # the corpus has sources inferred from the text
    assert streamed.summary == full.summary
    provenance = [(o.source.key, o.citations, o.linked, o.recovered, o.inferred)
                  for o in full.outlets]
    assert [(o.source.key, o.citations, o.linked, o.recovered, o.inferred)
            for o in streamed.outlets] == provenance
    assert streamed.inferred_outlets == full.inferred_outlets
    assert bool(full.inferred_outlets) is not count_inferred  # apart only when not counted
    if count_inferred:
        assert sum(o.inferred for o in full.outlets) > 0


@pytest.mark.corpus
@pytest.mark.slow
def test_streamed_report_json_equals_full_report(corpus_store: Path, tmp_path: Path) -> None:
    full = _report(corpus_store, tmp_path / "full")
    streamed = _report(corpus_store, tmp_path / "streamed", "--streamed")
    assert streamed["streamed"] is True and "streamed" not in full
    assert full["inferred_outlets"]  # sources inferred from the text, kept apart
    for field in ("summary", "outlets", "inferred_outlets", "periods", "link_status",
                  "cocitation", "coupling"):
        assert list(_figures(field, streamed[field])) == list(_figures(field, full[field])), field
    stats = [json.loads(line) for line in
             (tmp_path / "streamed" / "article_stats.jsonl").read_text("utf-8").splitlines()]
    assert list(_figures("a", stats)) == list(_figures("a", full["article_stats"]))
    problems = sum(streamed["problem_counts"].values())
    assert problems == full["summary"]["findings"] > 0
    edges = pq.read_table(tmp_path / "streamed" / "edges.parquet")
    assert sum(edges.column("weight").to_pylist()) == full["summary"]["external"]


@pytest.mark.corpus
def test_export_parquet_streams_every_table(corpus_store: Path, tmp_path: Path) -> None:
    from linkgraph.report.parquet import export_parquet  # noqa: PLC0415

    with Store(corpus_store) as store:
        counts = store.counts()
        written = export_parquet(store, tmp_path, batch=100)
        full = analyse(store.extractions())
    articles = pq.ParquetFile(written["articles"])
    assert articles.metadata.num_rows == counts["articles"]
    assert articles.metadata.num_row_groups == math.ceil(counts["articles"] / 100)
    citations = pq.read_table(written["citations"])
    assert citations.num_rows == counts["citations"]
    assert pq.ParquetFile(written["citations"]).metadata.num_row_groups == math.ceil(
        counts["citations"] / 100)
    assert pq.read_table(written["checks"]).num_rows == counts["checks"] > 0
    sources = pq.read_table(written["sources"]).to_pylist()
    outlets = Counter(k for k in citations.column("outlet").to_pylist() if k is not None)
    assert {s["key"]: s["citations"] for s in sources} == outlets
    # Every outlet of the analysis is there, with its name.  (Not always its kind: the
    # registry gives bmj.com "academic" for a DOI link and "other" for the rest, and each side
    # keeps the first it met.)
    by_key = {s["key"]: s for s in sources}
    for o in full.outlets:
        assert by_key[o.source.key]["name"] == o.source.name
    published = pq.read_table(written["articles"], columns=["published"]).column(0)
    assert published.type == pa.timestamp("us", tz="UTC")


@pytest.mark.corpus
def test_documented_outlet_query_ranks_as_the_report(corpus_store: Path, tmp_path: Path) -> None:
    """The query that ``export --help`` and the README teach counts external links only:
    ``outlet`` is filled for internal links too (wikipedia.org counted 1,643 on the corpus,
    1,270 of them Wikipedia's own links, against the report's 373)."""
    from click.testing import CliRunner  # noqa: PLC0415

    from linkgraph.cli import main  # noqa: PLC0415
    from linkgraph.report.parquet import export_parquet  # noqa: PLC0415

    query = "SELECT outlet, count(*) FROM 'news-parquet/citations.parquet'\n" \
            "               WHERE kind = 'external' GROUP BY outlet ORDER BY 2 DESC LIMIT 10"
    assert query in CliRunner().invoke(main, ["export", "--help"]).output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "FROM 'dir/citations.parquet' WHERE kind = 'external' GROUP BY 1" in readme
    with Store(corpus_store) as store:
        written = export_parquet(store, tmp_path)
        full = analyse(store.extractions())
    rows = pq.read_table(written["citations"], columns=["outlet", "kind"]).to_pylist()
    counted = Counter(r["outlet"] for r in rows if r["kind"] == "external" and r["outlet"])
    assert counted == {o.source.key: o.citations for o in full.outlets}
    every = Counter(r["outlet"] for r in rows if r["outlet"])
    assert every != counted  # without the filter, internal links count too


def _graph(db: Path, export: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINKGRAPH_STREAM_ABOVE": "100"}  # the corpus store counts as large
    return subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "graph", "--db", str(db), "--export",
         str(export), *extra], capture_output=True, text=True, check=False, timeout=600, env=env,
    )


@pytest.mark.corpus
@pytest.mark.slow
def test_graph_of_a_large_store(corpus_store: Path, tmp_path: Path) -> None:
    with Store(corpus_store) as store:
        full = analyse(store.extractions(), options=AnalysisOptions(attributions=False,
                                                                    projections=False))
    assert full.summary is not None
    # CSV: the article-level edges, streamed, the same as the in-memory graph's.
    done = _graph(corpus_store, tmp_path / "edges.csv")
    assert done.returncode == 0, done.stderr
    with (tmp_path / "edges.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["source"], r["target"]): int(r["weight"]) for r in rows} == {
        (a, b): w for a, b, w in full.graph.edges(data="weight")}
    # GEXF: the outlet-level graph, said so.
    done = _graph(corpus_store, tmp_path / "g.gexf")
    assert done.returncode == 0, done.stderr
    assert "outlet-level graph" in done.stderr and "--full" in done.stderr
    graph = nx.read_gexf(tmp_path / "g.gexf")
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    assert kinds["source"] == full.summary.outlets and "article" not in kinds
    assert sum(w for _, _, w in graph.edges(data="weight")) == full.summary.external
    # --full: the article graph as before.
    done = _graph(corpus_store, tmp_path / "full.gexf", "--full")
    assert done.returncode == 0, done.stderr
    kinds = Counter(kind for _, kind in nx.read_gexf(tmp_path / "full.gexf").nodes(data="kind"))
    assert kinds["article"] == full.summary.articles


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, sorted(rows)


@pytest.mark.corpus
@pytest.mark.parametrize("count_inferred", [False, True])
def test_streamed_edge_files_equal_the_graph_csv_export(
    corpus_store: Path, tmp_path: Path, count_inferred: bool,
) -> None:
    from linkgraph.report.exports import CSV_COLUMNS, write_edge_csv  # noqa: PLC0415
    from linkgraph.report.streamed import FolderSink  # noqa: PLC0415

    options = AnalysisOptions(attributions=False, projections=False,
                              count_inferred=count_inferred)
    with Store(corpus_store) as store:
        full = analyse(store.extractions(), options=options)
        with FolderSink(tmp_path / "streamed") as sink:
            analyse_streaming(store.extractions(), options=options, sink=sink)
    write_edge_csv(full.graph, tmp_path / "full.csv")
    header, want = _csv_rows(tmp_path / "full.csv")
    assert header == list(CSV_COLUMNS) and len(header) == 14
    assert len(want) == full.graph.number_of_edges() > 500
    # Rows carry labels, kinds and provenance (not only ends and weight).
    by_name = [dict(zip(header, row, strict=True)) for row in want]
    assert all(row["target_label"] and row["target_kind"] for row in by_name)
    assert any(row["source_label"] != row["source"].removeprefix("a:") for row in by_name)
    assert any(row["inferred"] != "0" for row in by_name) is count_inferred
    got_header, got = _csv_rows(tmp_path / "streamed" / "edges.csv")
    assert got_header == header
    assert got == want
    table = pq.read_table(tmp_path / "streamed" / "edges.parquet")
    assert table.column_names == header
    assert table.schema.field("weight").type == pa.int64()
    parquet_rows = sorted([str(v) for v in row.values()] for row in table.to_pylist())
    assert parquet_rows == want


def test_outlet_graph_exports_are_its_networkx_graphs(corpus_store: Path,
                                                      tmp_path: Path) -> None:
    """What ``graph --db`` runs: no periods, no projections; the outlet-level graph is kept as
    aggregates and written from them, byte for byte as its networkx DiGraph is written."""
    options = AnalysisOptions(attributions=False, projections=False, periods=False)
    with Store(corpus_store) as store:
        lean = analyse_streaming(store.extractions(), options=options)
        every = analyse_streaming(store.extractions(),
                                  options=AnalysisOptions(attributions=False))
    assert lean.periods == () and every.periods
    assert lean.cocitation is None and lean.coupling is None
    assert (lean.summary, lean.outlets) == (every.summary, every.outlets)
    graph = lean.graph
    assert list(graph.edges(data=True)) == list(every.graph.edges(data=True))
    networkx_graph = graph.to_networkx()
    assert networkx_graph.number_of_nodes() == graph.number_of_nodes() > 100
    assert networkx_graph.number_of_edges() == graph.number_of_edges()
    assert networkx_graph.size(weight="weight") == lean.summary.external
    for suffix in ("gexf", "graphml", "json"):
        ours = export_graph(graph, tmp_path / f"aggregates.{suffix}")
        theirs = export_graph(networkx_graph, tmp_path / f"networkx.{suffix}")
        assert ours.read_bytes() == theirs.read_bytes(), suffix
    back = nx.read_graphml(tmp_path / "aggregates.graphml")
    assert sum(w for _, _, w in back.edges(data="weight")) == lean.summary.external


def _article(ident: str, site: str, html: str) -> Extraction:
    article = Article(ident, f"https://{site}/{ident}", site, ident, None, None,
                      Origin(f"{ident}.json"), html, BodyKind.FRAGMENT)
    return extract(article)


def test_a_site_citing_no_outlet_is_no_node_of_the_outlet_graph() -> None:
    """As on a cluster (its site edges come from pooled citations): a site enters the outlet
    graph with its first external citation, not with its first article."""
    quiet = _article("q1", "quiet.example", "<p>Nothing cited here at all, said officials.</p>")
    cited = _article("c1", "loud.example",
                     '<p>The ministry <a href="https://www.yna.co.kr/view/1">said</a> so.</p>')
    graph = analyse_streaming([quiet, cited]).graph
    assert list(graph.nodes(data="kind")) == [("s:yna.co.kr", "source"),
                                              ("site:loud.example", "site")]
    assert list(graph.edges(data="weight")) == [("site:loud.example", "s:yna.co.kr", 1)]
    assert set(graph.to_networkx()) == {"s:yna.co.kr", "site:loud.example"}
