"""Small hand-made articles for the sources/graph/analysis tests, extracted for real, and
reading a graph export back."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from linkgraph.extract.extractor import extract
from linkgraph.records import Article, BodyKind, Extraction, Origin
from linkgraph.report.exports import export_format


def article(
    ident: str,
    html: str,
    *,
    site: str = "koreapro.org",
    published: datetime | None = None,
    url: str | None = None,
    site_domains: tuple[str, ...] = (),
) -> Article:
    """A WordPress-like article fragment of *site*."""
    return Article(
        id=ident,
        url=url or f"https://{site}/2023/02/{ident}/",
        site=site,
        title=f"Article {ident}",
        published=published or datetime(2023, 2, 27, tzinfo=UTC),
        modified=None,
        origin=Origin(f"{ident}.json"),
        html=html,
        body_kind=BodyKind.FRAGMENT,
        site_domains=site_domains or (site,),
    )


def extracted(ident: str, html: str, **kwargs: object) -> Extraction:
    """``article(...)`` run through the real extractor."""
    return extract(article(ident, html, **kwargs))  # type: ignore[arg-type]


def links(*urls: str) -> str:
    """A paragraph linking each URL once, with anchor texts ``l0``, ``l1``, ..."""
    anchors = " ".join(f'<a href="{u}">l{i}</a>.' for i, u in enumerate(urls))
    return f"<p>Sources: {anchors}</p>"


def read_graph(path: Path) -> Any:
    """Read a graph export back with networkx (GEXF, GraphML, JSON, CSV edge list)."""
    fmt = export_format(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return nx.node_link_graph(data, edges="edges")
    graph = nx.DiGraph()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            graph.add_edge(row["source"], row["target"], weight=float(row["weight"]))
    return graph
