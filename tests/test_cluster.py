"""linkgraph on a Dask cluster: a real LocalCluster of 2 worker processes, the real CLI.

On the same corpus inputs, every number of the cluster report's report.json equals the
single-machine report's (floats to 9 significant digits, as benchmarks/snapshot.py compares:
sums in another order differ in the last bits), and the per-article rows in Parquet equal the
single-machine article stats.  The inputs are planned alike: a folder's manifest gives its
pages their URLs on both paths, and a folder holding malformed files gives the same errors and
warnings on stderr, the same exit code and the same figures.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linkgraph.cluster.partitions import extract_partition
from linkgraph.readers import InputFile
from linkgraph.workflow.folders import inputs_key, mark_folder

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


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A LocalCluster of 2 worker processes, stopped after the module's tests."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        assert len(local.workers) == 2
        yield local


def _both(inputs: list[str], tmp_path: Path, cluster: Any
          ) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """The single-machine and the cluster run of ``report`` on *inputs*."""
    env = {k: v for k, v in os.environ.items() if k != "LINKGRAPH_SCHEDULER"}
    runs = []
    for name, extra in (("single", []), ("cluster", ["--scheduler", cluster.scheduler_address])):
        runs.append(subprocess.run(
            [sys.executable, str(REPO / "cli.py"), "report", *inputs, "--out",
             str(tmp_path / name), *extra],
            capture_output=True, text=True, check=False, timeout=900, env=env,
        ))
    return runs[0], runs[1]


def _told(stderr: str) -> list[str]:
    """The read errors, warnings and notes (articles read twice) on stderr, in order."""
    return [line for line in stderr.splitlines()
            if line.startswith(("error:", "warning:", "note:"))]


def _assert_same_figures(tmp_path: Path) -> dict[str, Any]:
    """Every figure of the cluster's report.json equals the single machine's (the fields
    both hold: the cluster's has no per-article lists); returns the single one."""
    single = json.loads((tmp_path / "single" / "report.json").read_text(encoding="utf-8"))
    on_cluster = json.loads((tmp_path / "cluster" / "report.json").read_text(encoding="utf-8"))
    shared = sorted(set(single) & set(on_cluster) - {"inputs"})
    assert {"summary", "outlets", "periods", "problem_counts", "cocitation", "coupling",
            "link_status"} <= set(shared)
    for field in shared:
        assert list(_figures(field, on_cluster[field])) == list(_figures(field, single[field]))
    data: dict[str, Any] = single
    return data


@pytest.mark.corpus
@pytest.mark.slow
def test_cluster_applies_a_folders_manifest(corpus: Path, tmp_path: Path, cluster: Any) -> None:
    # An earlier cluster run into the same folder left a partition of other articles: it
    # must not be counted with this run's.  (Its marker says linkgraph wrote parquet/: in a
    # folder of the user's, a parquet/ folder stops the run instead.)
    inputs = [str(corpus / "scrapinghub-aeb")]
    left = extract_partition(999, [InputFile(str(corpus / "seed" / "koreapro-2200266.json"))],
                             str(tmp_path / "cluster" / "parquet"))
    assert left.articles == 1
    mark_folder(tmp_path / "cluster", inputs_key(inputs, None), inputs, None)
    # scrapinghub-aeb holds urls.json (file -> URL) beside html/: it is a manifest on both
    # paths, not an article, and each page resolves against its URL.
    single, on_cluster = _both(inputs, tmp_path, cluster)
    assert single.returncode == on_cluster.returncode == 0, on_cluster.stderr[-3000:]
    assert _told(on_cluster.stderr) == _told(single.stderr)
    report = _assert_same_figures(tmp_path)
    urls = json.loads((corpus / "scrapinghub-aeb" / "urls.json").read_text(encoding="utf-8"))
    assert report["summary"]["articles"] == len(urls)  # urls.json is not read as an article
    stored = pq.read_table(tmp_path / "cluster" / "parquet" / "articles",
                           columns=["id"]).column("id").to_pylist()
    assert len(stored) == len(urls)
    # The pages' own URLs from the manifest: their internal links are told apart.
    assert report["summary"]["internal"] > 0
    assert not any("unresolvable" in kind for kind in report["problem_counts"])


def _malformed_folder(corpus: Path, folder: Path) -> None:
    """Real corpus articles (ten of them twice) beside malformed files, a skipped file and a
    manifest with an entry naming no file."""
    site = corpus / "wp" / "design-lab.tuqulore.com"
    shutil.copytree(site / "posts", folder / "posts")
    shutil.copy(site / "posts.json", folder / "posts.json")  # the same 10 posts as a list
    (folder / "sub").mkdir()
    shutil.copy(corpus / "seed" / "koreapro-2200266.json", folder / "sub")  # truncated JSON
    for name in ("ars-1", "bbc-1", "nytimes-1"):
        shutil.copy(corpus / "readability" / f"{name}.html", folder / "sub")
    pages = sorted((corpus / "scrapinghub-aeb" / "html").iterdir())[:2]
    for page in pages:
        (folder / "sub" / page.name.removesuffix(".gz")).write_bytes(
            gzip.decompress(page.read_bytes()))
    (folder / "broken.json").write_text('{"id": 5, "title": {"rendered": "x"}, "content": [1,',
                                        encoding="utf-8")
    (folder / "sub" / "page.html.gz").write_bytes(b"not gzip-compressed at all")
    (folder / "notes.txt").write_text("not an input\n", encoding="utf-8")
    (folder / "pages.csv").write_text(
        "file,url\n"
        f"sub/{pages[0].name.removesuffix('.gz')},https://news.example/one\n"
        "missing.html,https://news.example/missing\n", encoding="utf-8")


@pytest.mark.corpus
@pytest.mark.slow
def test_cluster_tells_malformed_inputs_as_one_machine(corpus: Path, tmp_path: Path,
                                                       cluster: Any) -> None:
    folder = tmp_path / "inputs"
    _malformed_folder(corpus, folder)
    inputs = [str(folder), str(tmp_path / "no-such-input")]
    single, on_cluster = _both(inputs, tmp_path, cluster)
    assert single.returncode == on_cluster.returncode == 4  # some inputs could not be read
    told = _told(single.stderr)
    assert _told(on_cluster.stderr) == told
    assert any(line.startswith("error:") and "broken.json" in line for line in told)
    assert any(line.startswith("error:") and "no-such-input" in line for line in told)
    assert any(line.startswith("warning:") and "pages.csv" in line and "missing.html" in line
               for line in told)
    assert any(line.startswith("warning:") and "koreapro" in line for line in told)
    notes = [line for line in told if line.startswith("note:") and "same article" in line]
    assert len(notes) == 10  # the list's posts read again as single posts
    report = _assert_same_figures(tmp_path)
    assert report["summary"]["articles"] == 10 + 1 + 3 + 2 + 1  # broken.json is none
