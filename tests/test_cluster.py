"""linkgraph on a Dask cluster: a real LocalCluster of 2 worker processes, the real CLI.

On the same corpus inputs, every number of the cluster report's report.json equals the
single-machine report's (floats to 9 significant digits, as benchmarks/snapshot.py compares:
sums in another order differ in the last bits), and the per-article rows in Parquet equal the
single-machine article stats.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

REPO = Path(__file__).resolve().parents[1]
INPUTS = ("wp", "seed", "scrapinghub-aeb/html")


def _figures(prefix: str, value: Any) -> Iterator[str]:
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


def _report(out: Path, inputs: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "-q", "report", *inputs, "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=900, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.corpus
@pytest.mark.slow
def test_cluster_report_equals_single_machine(corpus: Path, tmp_path: Path) -> None:
    inputs = [str(corpus / item) for item in INPUTS]
    env = {k: v for k, v in os.environ.items() if k != "LINKGRAPH_SCHEDULER"}
    single = _report(tmp_path / "single", inputs, env)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        assert len(cluster.workers) == 2
        # The environment variable picks the cluster, as --scheduler would.
        on_cluster = _report(tmp_path / "cluster", inputs,
                             {**env, "LINKGRAPH_SCHEDULER": cluster.scheduler_address})
    assert on_cluster["streamed"] is True and "streamed" not in single
    assert single["summary"]["articles"] > 500
    assert single["inferred_outlets"]  # the seed's sources inferred from its text, kept apart
    for field in ("summary", "outlets", "inferred_outlets", "periods", "cocitation", "coupling",
                  "link_status"):
        assert list(_figures(field, on_cluster[field])) == list(_figures(field, single[field]))
    assert sum(on_cluster["problem_counts"].values()) == single["summary"]["findings"] > 0
    # Per-article rows: one per article (copies read twice count once), the same numbers.
    articles = pq.read_table(tmp_path / "cluster" / "parquet" / "articles").to_pylist()
    assert len(articles) > single["summary"]["articles"]  # the wp lists repeat some posts
    by_id = {row["id"]: row for row in sorted(articles, key=lambda r: r["order"])}
    assert len(by_id) == single["summary"]["articles"]
    for stats in single["article_stats"]:
        row = by_id[stats["article_id"]]
        for name in ("citations", "external", "sources", "entropy", "hhi", "effective_sources",
                     "top_source_share", "internal_share"):
            assert row[name] == stats[name], (stats["article_id"], name)
        assert json.loads(row["kind_mix"]) == stats["kind_mix"]
