"""Files of a streamed analysis (``linkgraph.analysis.streaming``): per-article results as
they come, corpus numbers at the end.

``FolderSink`` writes, as each article is analysed (nothing per article is kept in memory):

* ``article_stats.jsonl``: one line per article, the fields of ``ArticleStats``;
* ``edges.csv``: the article -> outlet edges (``source,target,weight,urls,anchors``, the
  columns of the graph CSV export's first three plus its lists), and ``edges.parquet`` with
  the same columns, one row group per ``ROW_GROUP`` edges, when pyarrow is installed;
* ``findings.jsonl``: one line per finding.

``write_streamed_report`` then writes ``report.json`` (summary, outlets, periods, finding
counts, link status, projections: the same fields and numbers as a full ``report.json``, whose
per-article lists are the files above) and a short ``report.md``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final, TextIO

from linkgraph.analysis.graph import MAX_EDGE_ITEMS, CitedLink, article_node, source_node
from linkgraph.analysis.records import ArticleStats, Finding
from linkgraph.analysis.streaming import StreamedAnalysis
from linkgraph.report.exports import LIST_SEPARATOR
from linkgraph.report.jsonout import plain, write_json

ROW_GROUP: Final = 100_000
EDGE_COLUMNS: Final = ("source", "target", "weight", "urls", "anchors")


class EdgeWriter:
    """Article -> outlet edges to CSV (and Parquet, one row group per ``ROW_GROUP`` edges,
    when *parquet* is a path and pyarrow is installed), as they come."""

    def __init__(self, csv_path: Path | None, parquet_path: Path | None = None) -> None:
        self.edges = 0
        self._file: TextIO | None = None
        self._csv: Any = None
        if csv_path is not None:
            self._file = csv_path.open("w", encoding="utf-8", newline="")
            self._csv = csv.writer(self._file)
            self._csv.writerow(EDGE_COLUMNS)
        self._pending: list[tuple[str, str, int, str, str]] = []
        self._parquet: Any = None
        if parquet_path is not None:
            try:
                import pyarrow as pa  # noqa: PLC0415 - optional dependency
                import pyarrow.parquet as pq  # noqa: PLC0415
            except ImportError:  # pragma: no cover - the test extras install pyarrow
                return
            self._pa = pa
            self._schema = pa.schema([("source", pa.string()), ("target", pa.string()),
                                      ("weight", pa.int64()), ("urls", pa.string()),
                                      ("anchors", pa.string())])
            self._parquet = pq.ParquetWriter(parquet_path, self._schema, compression="zstd")

    def add(self, article_id: str, links: Sequence[CitedLink]) -> None:
        edges: dict[str, tuple[list[int], list[str], list[str]]] = {}
        for link in links:
            weight, urls, anchors = edges.setdefault(link.source.key, ([0], [], []))
            weight[0] += 1
            if link.url not in urls and len(urls) < MAX_EDGE_ITEMS:
                urls.append(link.url)
            if link.anchor and link.anchor not in anchors and len(anchors) < MAX_EDGE_ITEMS:
                anchors.append(link.anchor)
        source = article_node(article_id)
        for key, (weight, urls, anchors) in edges.items():
            row = (source, source_node(key), weight[0], LIST_SEPARATOR.join(urls),
                   LIST_SEPARATOR.join(anchors))
            self.edges += 1
            if self._csv is not None:
                self._csv.writerow(row)
            if self._parquet is not None:
                self._pending.append(row)
        if len(self._pending) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._parquet is not None and self._pending:
            columns = {name: [row[i] for row in self._pending]
                       for i, name in enumerate(EDGE_COLUMNS)}
            self._parquet.write_table(self._pa.Table.from_pydict(columns, schema=self._schema))
        self._pending.clear()

    def close(self) -> None:
        self._flush()
        if self._parquet is not None:
            self._parquet.close()
        if self._file is not None:
            self._file.close()


class EdgeSink(EdgeWriter):
    """An ``ArticleSink`` that keeps only the edges (``linkgraph graph`` at scale)."""

    def add_article(self, stats: ArticleStats, links: Sequence[CitedLink],
                    findings: Sequence[Finding]) -> None:
        self.add(stats.article_id, links)

    def __enter__(self) -> EdgeSink:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class FolderSink:
    """An ``ArticleSink`` writing per-article files into a folder (a context manager)."""

    def __init__(self, folder: Path, *, parquet: bool = True) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._stats: TextIO = (folder / "article_stats.jsonl").open("w", encoding="utf-8")
        self._findings: TextIO = (folder / "findings.jsonl").open("w", encoding="utf-8")
        self._edges = EdgeWriter(folder / "edges.csv",
                                 folder / "edges.parquet" if parquet else None)

    def add_article(self, stats: ArticleStats, links: Sequence[CitedLink],
                    findings: Sequence[Finding]) -> None:
        self._stats.write(json.dumps(plain(stats), ensure_ascii=False) + "\n")
        for finding in findings:
            self._findings.write(json.dumps(plain(finding), ensure_ascii=False) + "\n")
        self._edges.add(stats.article_id, links)

    def close(self) -> None:
        self._edges.close()
        self._stats.close()
        self._findings.close()

    def __enter__(self) -> FolderSink:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


STREAMED_FILES: Final = ("article_stats.jsonl", "edges.csv", "edges.parquet", "findings.jsonl")
CLUSTER_FILES: Final = ("parquet/articles", "parquet/edges", "parquet/citations",
                        "parquet/findings")


def streamed_data(result: StreamedAnalysis, *, inputs: list[str],
                  per_article: Sequence[str] = STREAMED_FILES) -> dict[str, Any]:
    """The ``report.json`` document of a streamed analysis."""
    return {
        "inputs": inputs,
        "streamed": True,
        "per_article_files": list(per_article),
        "problem_counts": dict(result.finding_counts),
        "outlets": plain(result.outlets),
        "inferred_outlets": plain(result.inferred_outlets),
        "periods": plain(result.periods),
        "link_status": plain(result.link_status),
        "summary": plain(result.summary),
        "cocitation": plain(result.cocitation),
        "coupling": plain(result.coupling),
    }


def write_streamed_report(
    result: StreamedAnalysis, folder: Path, *, inputs: list[str], top: int = 50,
    per_article: Sequence[str] = STREAMED_FILES,
) -> list[Path]:
    """``report.json`` and ``report.md`` of a streamed analysis; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    data = streamed_data(result, inputs=inputs, per_article=per_article)
    paths = [write_json(folder / "report.json", data, compact=True)]
    s = result.summary
    lines = [
        "# linkgraph report (streamed)", "",
        f"{s.articles:,} articles, {s.citations:,} citations ({s.external:,} external, "
        f"{s.internal:,} internal), {s.outlets:,} outlets, {s.findings:,} findings."
        + (f" {s.pictures:,} links to pictures, not counted as sources." if s.pictures else ""),
        "",
        "Per-article numbers, edges and findings are beside this file: "
        + ", ".join(per_article) + ".", "",
        f"## Most cited outlets (top {top})", "",
        "| outlet | kind | citations | articles | share | PageRank |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for o in result.outlets[:top]:
        name = o.source.name.replace("|", "\\|")
        lines.append(f"| {name} | {o.source.kind.value} | {o.citations:,} | {o.articles:,} |"
                     f" {o.share:.1%} | {o.pagerank:.5f} |")
    lines += ["", "## Problems", "", "| kind | count |", "| --- | ---: |"]
    lines += [f"| {kind} | {n:,} |" for kind, n in result.finding_counts.items()]
    md = folder / "report.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths.append(md)
    return paths
