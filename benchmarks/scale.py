"""Ingest, analysis, graph and export times and peak memory on a synthetic corpus.

Usage: python benchmarks/scale.py [CORPUS_DIR] [--articles 100000] [--jobs 1] [--keep]

Without CORPUS_DIR a corpus is written first by ``synthetic_corpus.py`` into a temporary
folder (100,000 posts, about 400,000 citations by default).  Steps, each timed once in this
process (the machine is shared, so every figure is also printed as a ratio to the baseline):

* baseline: ``json.loads`` of every corpus file (the least any reader must do);
* ingest: ``linkgraph.pipeline.extract_inputs`` (read + extract, ``--jobs`` processes);
* analyse (graph command): ``analyse`` as ``linkgraph graph`` runs it (no text findings, no
  projections);
* analyse (all): ``linkgraph.analysis.analyse`` (outlets, hygiene, unlinked attributions,
  metrics, graph, PageRank, projections, communities), and within it, timed again on their
  own: the graph build with PageRank, and the two projections;
* exports: GEXF, GraphML, JSON node-link and CSV of the article-outlet graph.

Peak memory is the process's maximum resident set size (``resource.getrusage``) after each
step; it only grows.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linkgraph.analysis import AnalysisOptions, analyse
from linkgraph.analysis.graph import CitedLink, build_graph, pagerank
from linkgraph.analysis.projections import article_coupling, outlet_cocitation
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Extraction
from linkgraph.report.exports import export_graph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpus import write_corpus


def peak_mb() -> float:
    """Maximum resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(rows: list[tuple[str, float, float]], name: str, step: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    rows.append((name, seconds, peak_mb()))
    print(f"  {name:<28} {seconds:8.2f} s   peak RSS {peak_mb():8.0f} MB", flush=True)
    return result


def run(corpus: Path, jobs: int, out: Path) -> None:
    files = sorted(corpus.glob("*.json"))
    rows: list[tuple[str, float, float]] = []
    print(f"corpus: {len(files)} files in {corpus}")

    def decode() -> int:
        return sum(len(json.loads(f.read_text(encoding="utf-8"))) for f in files)

    posts = timed(rows, "baseline: json decode", decode)
    extractions: list[Extraction] = timed(
        rows, "ingest: read + extract",
        lambda: [x for x in extract_inputs([str(corpus)], jobs=jobs)
                 if isinstance(x, Extraction)],
    )
    citations = sum(len(x.citations) for x in extractions)
    timed(rows, "analyse (graph command)",
          lambda: analyse(extractions,
                          options=AnalysisOptions(attributions=False, projections=False)))
    analysis = timed(rows, "analyse (all)", lambda: analyse(extractions))
    summary = analysis.summary
    links = [
        CitedLink(c.article_id, analysis.sources_by_url[c.url], c.url, c.text)
        for c in analysis.citations
        if c.url in analysis.sources_by_url
        and (c.article_id, c.position) not in analysis.internal_citations
    ]
    timed(rows, "  graph build + PageRank",
          lambda: pagerank(build_graph(analysis.articles, links)))
    outlets = {
        a: frozenset(n[2:] for n in analysis.graph.successors("a:" + a))
        for a in (x.article.id for x in extractions)
    }
    timed(rows, "  co-citation projection", lambda: outlet_cocitation(outlets))
    timed(rows, "  coupling projection", lambda: article_coupling(outlets))
    for suffix in ("gexf", "graphml", "json", "csv"):
        path = out / f"graph.{suffix}"
        timed(rows, f"export .{suffix}", lambda p=path: export_graph(analysis.graph, p))
        print(f"    {path.stat().st_size / 1e6:.0f} MB")
    baseline = rows[0][1]
    print()
    print(f"posts {posts}, articles {len(extractions)}, citations {citations}, "
          f"external {summary.external}, internal {summary.internal}, outlets {summary.outlets}, "
          f"findings {summary.findings}")
    print(f"graph: {analysis.graph.number_of_nodes()} nodes, "
          f"{analysis.graph.number_of_edges()} edges; co-citation: "
          f"{len(analysis.cocitation.edges)} edges, {len(analysis.cocitation.communities)} "
          f"communities; coupling: {len(analysis.coupling.edges)} edges")
    print()
    print(f"{'step':<30}{'seconds':>10}{'x baseline':>12}{'peak MB':>10}")
    for name, seconds, peak in rows:
        print(f"{name:<30}{seconds:10.2f}{seconds / baseline:12.1f}{peak:10.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="linkgraph-scale-") as tmp:
        work = Path(tmp)
        corpus = args.corpus
        if corpus is None:
            corpus = work / "corpus"
            start = time.perf_counter()
            count, size = write_corpus(corpus, args.articles, 1000, 7)
            print(f"generated {args.articles} posts in {count} files ({size / 1e6:.0f} MB) "
                  f"in {time.perf_counter() - start:.1f} s")
            if args.keep:
                print(f"(kept: {corpus})")
        run(corpus, args.jobs, work)
        if args.keep and args.corpus is None:
            kept = Path.cwd() / "synthetic-corpus"
            corpus.rename(kept)
            print(f"corpus kept in {kept}")


if __name__ == "__main__":
    main()
