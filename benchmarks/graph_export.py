"""Peak memory and time of the graph exports: networkx's writers against the streamed ones.

Usage: python benchmarks/graph_export.py [--outlets 30000] [--edges 170000] [--sites 6]
       [--formats gexf,graphml,json]

A synthetic outlet-level graph like the one ``graph --db`` exports for a large store (outlet
nodes with kind, label, name, source_kind, country, rule, citations, articles and pagerank;
site nodes; site -> outlet edges with a weight) is written, in its own Python process for each
writer and format so that each peak is that export's alone:

* networkx (the baseline): what ``export_graph`` did before, ``sanitise_graph`` (a sanitised
  copy of the graph) then ``networkx.write_gexf`` / ``write_graphml`` (an ElementTree of the
  whole document; the lxml GraphML writer when lxml is installed) / ``json.dumps`` of
  ``node_link_data``;
* streamed: ``linkgraph.report.exports.export_graph`` (``linkgraph.report.graph_xml``).

Each row prints the resident memory once the graph is built, the export's extra peak (the
peak resident set during the export less that: Linux's peak is reset through
``/proc/self/clear_refs`` before the export; elsewhere ru_maxrss, which also counts the
building), its seconds and CPU seconds, and the streamed writer's figures as ratios of the
baseline's.  The machine may be shared: times are noisy, memory is
not.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WRITERS = ("networkx", "streamed")


def synthetic_graph(outlets: int, edges: int, sites: int) -> Any:
    """Sites -> outlets, attributed as ``linkgraph.analysis.streaming.outlet_graph`` does."""
    import networkx as nx  # noqa: PLC0415

    rng = random.Random(1)
    graph = nx.DiGraph()
    for i in range(outlets):
        name = f"outlet{i}.example"
        graph.add_node(f"s:{name}", kind="source", label=f"Outlet {i}", name=f"Outlet {i}",
                       source_kind="newspaper", country="KR", rule="domain",
                       citations=rng.randint(1, 5000), articles=rng.randint(1, 900),
                       pagerank=rng.random() / outlets)
    names = [f"site:site{i}.example" for i in range(sites)]
    for site in names:
        graph.add_node(site, kind="site", label=site.removeprefix("site:"))
    if edges > sites * outlets:
        raise SystemExit(f"at most {sites * outlets:,} edges between {sites} sites and"
                         f" {outlets:,} outlets")
    # Each outlet cited by consecutive sites, in a shuffled outlet order (no large temporary
    # set: the memory of building the graph stays below what the export is measured against).
    order = list(range(outlets))
    rng.shuffle(order)
    for e in range(edges):
        graph.add_edge(names[e % sites], f"s:outlet{order[e // sites]}.example",
                       weight=rng.randint(1, 400))
    return graph


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak() -> int:
    """The resident set now, in kB, with the peak reset to it where Linux allows
    (``/proc/self/clear_refs``), so that the next ``peak_kb`` is what came after.  That resets
    ``ru_maxrss`` as well: read it first if the earlier peak matters."""
    gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    return _status_kb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_kb() -> int:
    """The peak resident set since ``reset_peak`` (else since the start), in kB."""
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_one(writer: str, fmt: str, args: argparse.Namespace) -> dict[str, Any]:
    """In this process: build the graph, export it once; the export's figures."""
    from linkgraph.report.exports import export_graph, export_with_networkx  # noqa: PLC0415

    graph = synthetic_graph(args.outlets, args.edges, args.sites)
    base_kb = reset_peak()
    base = resource.getrusage(resource.RUSAGE_SELF)
    with tempfile.TemporaryDirectory(prefix="linkgraph-graph-export-") as tmp:
        path = Path(tmp) / f"graph.{fmt}"
        start = time.perf_counter()
        if writer == "networkx":
            export_with_networkx(graph, path, fmt)
        else:
            export_graph(graph, path)
        seconds = time.perf_counter() - start
        size = path.stat().st_size
    end = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (end.ru_utime + end.ru_stime) - (base.ru_utime + base.ru_stime)
    return {"writer": writer, "format": fmt, "graph_mb": base_kb / 1024,
            "extra_mb": (peak_kb() - base_kb) / 1024, "seconds": seconds, "cpu_s": cpu,
            "file_mb": size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--outlets", type=int, default=30_000)
    parser.add_argument("--edges", type=int, default=170_000)
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--formats", default="gexf,graphml,json")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # writer:format, in a child process
    args = parser.parse_args()
    if args.one:
        writer, fmt = args.one.split(":")
        print(json.dumps(run_one(writer, fmt, args)))
        return
    print(f"graph: {args.outlets:,} outlets + {args.sites} sites, {args.edges:,} edges"
          " (each export in its own process)")
    print(f"{'format':<9}{'writer':<10}{'graph MB':>9}{'extra MB':>10}{'x':>9}{'seconds':>9}"
          f"{'x':>7}{'CPU s':>8}{'file MB':>9}")
    for fmt in args.formats.split(","):
        rows: dict[str, dict[str, Any]] = {}
        for writer in WRITERS:
            done = subprocess.run(
                [sys.executable, __file__, "--one", f"{writer}:{fmt}", "--outlets",
                 str(args.outlets), "--edges", str(args.edges), "--sites", str(args.sites)],
                capture_output=True, text=True, check=True)
            row = rows[writer] = json.loads(done.stdout.strip().splitlines()[-1])
            base = rows["networkx"]
            print(f"{fmt:<9}{writer:<10}{row['graph_mb']:9.0f}{row['extra_mb']:10.2f}"
                  f"{row['extra_mb'] / max(base['extra_mb'], 0.01):9.2g}{row['seconds']:9.2f}"
                  f"{row['seconds'] / base['seconds']:7.2f}{row['cpu_s']:8.2f}"
                  f"{row['file_mb']:9.1f}", flush=True)


if __name__ == "__main__":
    main()
