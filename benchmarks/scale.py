"""Ingest, analysis, report and export times and peak memory on a synthetic corpus, at sizes.

Usage: python benchmarks/scale.py [--articles 10000,100000] [--jobs N] [--no-dask]
       [--in-memory] [--results scale.jsonl] [--work DIR]

For each size a corpus is written by ``synthetic_corpus.py`` (1,000 posts a file), then each
step runs in its own Python process (so that each peak memory figure is that step's):

* baseline: ``json.loads`` of every corpus file (the least any reader must do);
* extract: read + extract every post (body sentences included, as ingest stores them),
  ``--jobs`` processes (default: every core), nothing kept;
* ingest: the same into a new SQLite store (``linkgraph.workflow.ingest``, what ``linkgraph
  ingest`` runs);
* report (streamed): ``analyse_streaming`` over the store with every analysis (findings,
  attributions, projections), per-article files and report.json/report.md: what
  ``linkgraph report --db`` runs above 50,000 articles;
* graph: the article-level edges streamed to CSV (``graph --db --export x.csv``), and the
  outlet-level graph (sites -> outlets) as .gexf and .graphml (each export's time and extra
  peak memory printed too; ``graph_export.py`` compares those writers with networkx's);
* export --parquet: every table of the store;
* in-memory analyse (``--in-memory``): the old path, ``analyse`` over every extraction held
  in memory, for comparison;
* dask: ``report --scheduler`` on a LocalCluster of 2 worker processes (extract + aggregate),
  beside the single-machine extract + ingest + report time.

Each row prints seconds and CPU seconds (user + system, the step's processes and workers:
steadier than the wall clock on a shared machine), each with its ratio to the baseline
measured in the same run, and the step's peak resident memory (the largest of the step's
process and its worker processes; for dask, the largest worker's).  The machine is shared:
every figure is noisy; ratios within one run are the figures to compare.  With ``--results
FILE`` each size's rows are appended as JSON lines, and the growth between sizes found in the
file (10k -> 100k -> 1M) is printed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def peak_mb() -> float:
    """Largest resident set of this process or any of its waited-for children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its waited-for children: on a shared
    machine far steadier than the wall clock, which counts the time other programs ran."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _baseline(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    return {"posts": sum(len(json.loads(f.read_text(encoding="utf-8")))
                         for f in sorted(corpus.glob("*.json")))}


def _extract(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    from linkgraph.pipeline import extract_inputs  # noqa: PLC0415

    return {"items": sum(1 for _ in extract_inputs([str(corpus)], jobs=jobs))}


def _ingest(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    from linkgraph.workflow.corpus import ReadOptions, ingest  # noqa: PLC0415

    db = work / "store.db"
    _fresh(db)
    done = ingest([str(corpus)], str(db), read=ReadOptions(jobs=jobs))
    return {"stored": done.stored, **done.totals}


def _report(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    from linkgraph.analysis.streaming import analyse_streaming  # noqa: PLC0415
    from linkgraph.check import link_statuses  # noqa: PLC0415
    from linkgraph.report.streamed import FolderSink, write_streamed_report  # noqa: PLC0415
    from linkgraph.store import Store  # noqa: PLC0415

    out = work / "report"
    with Store(work / "store.db") as store, FolderSink(out) as sink:
        result = analyse_streaming(store.extractions(),
                                   link_status=link_statuses(store.check_histories()),
                                   sink=sink)
    write_streamed_report(result, out, inputs=["store.db"])
    s = result.summary
    return {"articles": s.articles, "citations": s.citations, "external": s.external,
            "outlets": s.outlets, "findings": s.findings}


def _graph(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    """What `graph --db` does on a large store: edges.csv streamed, the outlet-level graph
    as GEXF and GraphML."""
    from graph_export import peak_kb, reset_peak  # noqa: PLC0415

    from linkgraph.analysis.records import AnalysisOptions  # noqa: PLC0415
    from linkgraph.analysis.streaming import analyse_streaming  # noqa: PLC0415
    from linkgraph.report.exports import export_graph  # noqa: PLC0415
    from linkgraph.report.streamed import EdgeSink  # noqa: PLC0415
    from linkgraph.store import Store  # noqa: PLC0415

    options = AnalysisOptions(attributions=False, projections=False, periods=False)
    info: dict[str, Any] = {}
    with Store(work / "store.db") as store, EdgeSink(work / "edges.csv") as sink:
        result = analyse_streaming(store.extractions(), options=options, sink=sink)
    info["edges"] = sink.edges
    for suffix in ("gexf", "graphml"):
        # The reset clears ru_maxrss too: the step's peak so far is kept aside.
        info["earlier_peak_mb"] = max(info.get("earlier_peak_mb", 0.0), peak_mb())
        before_kb = reset_peak()
        start = time.perf_counter()
        export_graph(result.graph, work / f"graph.{suffix}")
        info[f"{suffix}_s"] = round(time.perf_counter() - start, 2)
        info[f"{suffix}_mb"] = round((peak_kb() - before_kb) / 1024, 1)
    info["nodes"] = result.graph.number_of_nodes()
    return info


def _parquet(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    from linkgraph.report.parquet import export_parquet  # noqa: PLC0415
    from linkgraph.store import Store  # noqa: PLC0415

    with Store(work / "store.db") as store:
        written = export_parquet(store, work / "parquet")
    return {"mb": round(sum(p.stat().st_size for p in written.values()) / 1e6, 1)}


def _in_memory(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    from linkgraph.analysis import analyse  # noqa: PLC0415
    from linkgraph.store import Store  # noqa: PLC0415

    with Store(work / "store.db") as store:
        return {"outlets": len(analyse(store.extractions()).outlets)}


STEPS = {
    "baseline": _baseline, "extract": _extract, "ingest": _ingest, "report": _report,
    "graph": _graph, "parquet": _parquet, "in-memory analyse": _in_memory,
}


def step(name: str, corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    """Run one step in this process; returns its figures."""
    start = time.perf_counter()
    info = _dask(corpus, work) if name == "dask" else STEPS[name](corpus, work, jobs)
    info["seconds"] = time.perf_counter() - start
    info["cpu_s"] = cpu_seconds() + info.get("worker_cpu_s", 0.0)
    info["peak_mb"] = max(peak_mb(), info.get("worker_peak_mb", 0.0),
                          info.get("earlier_peak_mb", 0.0))
    return info


def _dask(corpus: Path, work: Path) -> dict[str, Any]:
    from distributed import Client, LocalCluster  # noqa: PLC0415

    from linkgraph.cluster import run_on_cluster  # noqa: PLC0415
    from linkgraph.readers import survey_inputs  # noqa: PLC0415
    from linkgraph.report.streamed import CLUSTER_FILES, write_streamed_report  # noqa: PLC0415
    from linkgraph.sources import default_registry  # noqa: PLC0415

    def worker_peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def worker_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    out = work / "cluster"
    shutil.rmtree(out, ignore_errors=True)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit="3GB") as cluster, \
            Client(cluster) as client:
        result, counts = run_on_cluster(survey_inputs([str(corpus)]), out / "parquet", client,
                                        registry=default_registry())
        write_streamed_report(result, out, inputs=[str(corpus)], per_article=CLUSTER_FILES)
        peaks = client.run(worker_peak)
        cpu = client.run(worker_cpu)
    return {"articles": result.summary.articles, "outlets": result.summary.outlets,
            "worker_peak_mb": max(peaks.values()), "worker_cpu_s": sum(cpu.values()),
            "partitions": counts.partitions}


def run_size(articles: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    from synthetic_corpus import write_corpus  # noqa: PLC0415

    work = args.work / f"scale-{articles}"
    corpus = work / "corpus"
    if not corpus.is_dir():
        start = time.perf_counter()
        count, size = write_corpus(corpus, articles, 1000, 7)
        print(f"generated {articles:,} posts in {count} files ({size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    steps = ["baseline", "extract", "ingest", "report", "graph", "parquet"]
    if args.in_memory:
        steps.append("in-memory analyse")
    if args.dask:
        steps.append("dask")
    if args.steps:
        steps = [s for s in steps if s in args.steps.split(",")]
    rows: list[dict[str, Any]] = []
    for name in steps:
        done = subprocess.run(
            [sys.executable, __file__, "--step", name, "--corpus", str(corpus),
             "--work", str(work), "--jobs", str(args.jobs)],
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            print(f"  {name}: failed\n{done.stderr[-2000:]}", flush=True)
            continue
        info = json.loads(done.stdout.strip().splitlines()[-1])
        info.update(step=name, size=articles)
        rows.append(info)
        print(f"  {name:<20} {info['seconds']:8.1f} s   cpu {info['cpu_s']:8.1f} s   peak"
              f" {info['peak_mb']:7.0f} MB", flush=True)
    _table(rows)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _table(rows: list[dict[str, Any]]) -> None:
    by = {r["step"]: r for r in rows}
    base = by["baseline"]["seconds"] if "baseline" in by else float("nan")
    cpu_base = by["baseline"].get("cpu_s", base) if "baseline" in by else float("nan")
    print(f"\n{'step':<22}{'seconds':>10}{'x baseline':>12}{'CPU s':>10}{'x baseline':>12}"
          f"{'peak MB':>10}")
    for r in rows:
        cpu = r.get("cpu_s", float("nan"))
        print(f"{r['step']:<22}{r['seconds']:10.1f}{r['seconds'] / base:12.1f}{cpu:10.1f}"
              f"{cpu / cpu_base:12.1f}{r['peak_mb']:10.0f}")
    if "extract" in by and "ingest" in by:
        e, i = by["extract"], by["ingest"]
        print(f"\ningest speed / extract speed: {e['seconds'] / i['seconds']:.2f} wall clock,"
              f" {e.get('cpu_s', 0) / max(i.get('cpu_s', 0), 1e-9):.2f} CPU (goal >= 0.8)")
    if "graph" in by:
        g = by["graph"]
        print(f"graph: {g['edges']:,} article -> outlet edges streamed to CSV; outlet-level"
              f" graph of {g['nodes']:,} nodes: .gexf {g['gexf_s']} s"
              f" (+{g.get('gexf_mb', '?')} MB peak), .graphml {g['graphml_s']} s"
              f" (+{g.get('graphml_mb', '?')} MB peak)")
    if "report" in by:
        r = by["report"]
        print(f"corpus: {r.get('articles', 0):,} articles, {r.get('citations', 0):,} citations,"
              f" {r.get('outlets', 0):,} outlets, {r.get('findings', 0):,} findings")
    if "dask" in by and all(s in by for s in ("ingest", "report")):
        single = by["ingest"]["seconds"] + by["report"]["seconds"]
        print(f"dask LocalCluster (2 workers, extract + aggregate): {by['dask']['seconds']:.1f}"
              f" s, largest worker {by['dask']['worker_peak_mb']:.0f} MB; one machine"
              f" (ingest + streamed report): {single:.1f} s")


def growth(results: Path) -> None:
    """Time and memory growth between the sizes recorded in *results* (latest run each)."""
    latest: dict[tuple[int, str], dict[str, Any]] = {}
    for line in results.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        latest[row["size"], row["step"]] = row
    sizes = sorted({size for size, _ in latest})
    if len(sizes) < 2:
        return
    print(f"\ngrowth ({' -> '.join(f'{s:,}' for s in sizes)} articles): time x, memory x")
    for name in sorted({step for _, step in latest}):
        cells = []
        for a, b in itertools.pairwise(sizes):
            if (a, name) in latest and (b, name) in latest:
                ra, rb = latest[a, name], latest[b, name]
                cells.append(f"{rb['seconds'] / ra['seconds']:6.1f}x time "
                             f"{rb['peak_mb'] / ra['peak_mb']:5.2f}x memory")
        if cells:
            print(f"  {name:<20} " + "   |   ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", default="100000",
                        help="one size or several, comma-separated (10000,100000,1000000)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--no-dask", dest="dask", action="store_false")
    parser.add_argument("--in-memory", action="store_true",
                        help="also time the old in-memory analyse (memory grows with input)")
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep corpus and store")
    parser.add_argument("--steps", default=None,
                        help="only these steps, comma-separated (e.g. baseline,ingest,report)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.corpus, args.work, args.jobs)))
        return
    import tempfile  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="linkgraph-scale-") as tmp:
        args.work = args.work or Path(tmp)
        for size in (int(s) for s in args.articles.split(",")):
            print(f"== {size:,} articles, --jobs {args.jobs}", flush=True)
            rows = run_size(size, args)
            if args.results:
                with args.results.open("a", encoding="utf-8") as handle:
                    for row in rows:
                        handle.write(json.dumps(row) + "\n")
        if args.results:
            growth(args.results)


if __name__ == "__main__":
    main()
