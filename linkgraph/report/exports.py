"""Graph exports for Gephi, networkx and spreadsheets: GEXF, GraphML, JSON node-link, CSV.

GEXF and GraphML accept only scalar attributes, so every attribute is sanitised first
(``linkgraph.report.graph_attributes``): ``None`` becomes ``""``, lists and tuples are joined
with `` | ``, numpy scalars become Python numbers, dates become ISO strings, anything else its
``str``; one attribute keeps one type.  The JSON node-link export holds the same sanitised
graph (so all four formats say the same thing).  GEXF, GraphML and JSON are written node by
node and edge by edge (``linkgraph.report.graph_xml``, ``write_node_link``), never as a whole
document in memory.  The CSV export is the edge list: ``source,target,weight,urls,anchors``
plus the names and kinds of both ends and each edge's provenance: ``linked``, ``recovered``
and ``inferred`` counts, ``provenance`` (the kinds present, ``linked+inferred``) and
``evidence`` (the words an inferred source was inferred from); projections, whose edges carry
no provenance, leave those columns empty.

>>> import networkx as nx
>>> g = nx.DiGraph(); g.add_edge("a:1", "s:x", weight=2, urls=["u1", "u2"], anchors=[])
>>> sanitise_graph(g).edges["a:1", "s:x"]["urls"]
'u1 | u2'
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any, Final, TextIO

import networkx as nx

from linkgraph.errors import ConfigError
from linkgraph.report.graph_attributes import (
    LIST_SEPARATOR,
    CleanGraph,
    Scalar,
    sanitise_value,
)
from linkgraph.report.graph_xml import write_gexf, write_graphml

__all__ = [
    "CSV_COLUMNS", "FORMATS", "LIST_SEPARATOR", "EdgeRow", "export_format", "export_graph",
    "sanitise_graph", "sanitise_value", "write_edge_csv", "write_node_link",
]

FORMATS: Final = {".gexf": "gexf", ".graphml": "graphml", ".json": "json", ".csv": "csv"}


@dataclass(frozen=True, slots=True)
class EdgeRow:
    """One row of the CSV edge list: its fields are the columns, in order."""

    source: str
    target: str
    weight: str | int | float | bool
    source_label: str | int | float | bool
    target_label: str | int | float | bool
    target_kind: str | int | float | bool
    target_country: str | int | float | bool
    urls: str | int | float | bool
    anchors: str | int | float | bool
    linked: str | int | float | bool
    recovered: str | int | float | bool
    inferred: str | int | float | bool
    provenance: str | int | float | bool
    evidence: str | int | float | bool

    @classmethod
    def of(cls, graph: Any, a: Any, b: Any, data: Mapping[str, Any]) -> EdgeRow:
        """The row of the edge *a* -> *b* of *graph* (attributes sanitised)."""
        return cls.between(a, b, graph.nodes[a], graph.nodes[b], data)

    @classmethod
    def between(cls, a: Any, b: Any, source: Mapping[str, Any], target: Mapping[str, Any],
                data: Mapping[str, Any]) -> EdgeRow:
        """The row of the edge *a* -> *b* from the attributes of its two nodes and its own
        (what a streamed writer has without a graph)."""
        return cls(
            source=a, target=b, weight=sanitise_value(data.get("weight", 1)),
            source_label=sanitise_value(source.get("label", "")),
            target_label=sanitise_value(target.get("label", "")),
            target_kind=sanitise_value(target.get("source_kind", target.get("kind", ""))),
            target_country=sanitise_value(target.get("country", "")),
            urls=sanitise_value(data.get("urls", [])),
            anchors=sanitise_value(data.get("anchors", [])),
            linked=sanitise_value(data.get("linked", "")),
            recovered=sanitise_value(data.get("recovered", "")),
            inferred=sanitise_value(data.get("inferred", "")),
            provenance=sanitise_value(data.get("provenance", "")),
            evidence=sanitise_value(data.get("evidence", [])),
        )


CSV_COLUMNS: Final = tuple(f.name for f in fields(EdgeRow))


def sanitise_graph(graph: Any) -> Any:
    """A copy of *graph* whose node, edge and graph attributes are all scalars.

    One attribute keeps one type across nodes (GraphML declares a type per key): an attribute
    that is numeric on some nodes and text on others is written as text everywhere.
    """
    view = CleanGraph(graph)
    clean = graph.__class__()
    clean.graph.update(view.attributes)
    clean.add_nodes_from(view.nodes())
    clean.add_edges_from(view.edges())
    return clean


def export_format(path: Path) -> str:
    """The export format named by a file's suffix; ``ConfigError`` for an unknown one."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(
            f"{path}: unknown export format {suffix or '(none)'}; use one of "
            + ", ".join(FORMATS)
        )
    return FORMATS[suffix]


def export_graph(graph: Any, path: Path) -> Path:
    """Write *graph* to *path* in the format its suffix names (.gexf .graphml .json .csv),
    streamed: one node or edge at a time, whatever the graph's size (a multigraph, which no
    linkgraph graph is, goes through networkx's writers)."""
    fmt = export_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        write_edge_csv(graph, path)
        return path
    if graph.is_multigraph():
        export_with_networkx(graph, path, fmt)
        return path
    writer = {"gexf": write_gexf, "graphml": write_graphml, "json": write_node_link}[fmt]
    # A lone surrogate (a page's broken text) can be no UTF-8: in JSON it is written as the
    # \uXXXX escape that reads back as itself; the XML writers replace it.
    errors = "backslashreplace" if fmt == "json" else "strict"
    # Into a temporary sibling, then renamed: an error or Ctrl-C midway leaves the earlier
    # export whole, never a truncated file under its name.
    part = path.with_name(f".{path.name}.{os.getpid()}.part")  # the usual file mode
    try:
        with part.open("w", encoding="utf-8", errors=errors, newline="\n") as handle:
            writer(graph, handle)
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return path


def export_with_networkx(graph: Any, path: Path, fmt: str) -> None:
    """*graph* sanitised and written by networkx's own writers (whole document in memory):
    multigraphs, and the baseline ``benchmarks/graph_export.py`` measures against."""
    clean = sanitise_graph(graph)
    if fmt == "gexf":
        nx.write_gexf(clean, path)
    elif fmt == "graphml":
        nx.write_graphml(clean, path)
    else:
        data = nx.node_link_data(clean, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def write_node_link(graph: Any, stream: TextIO) -> None:
    """*graph* sanitised as networkx node-link JSON (``edges="edges"``), one node or edge at a
    time: the bytes of ``json.dumps(node_link_data(sanitise_graph(graph), edges="edges"),
    ensure_ascii=False, indent=1)``."""
    clean = CleanGraph(graph)
    stream.write(f'{{\n "directed": {_json(clean.directed)},\n "multigraph": false,\n'
                 f' "graph": {_json_object(clean.attributes, " ")},\n')
    for name, records in (
        ("nodes", ({**data, "id": node} for node, data in clean.nodes())),
        ("edges", ({**data, "source": a, "target": b} for a, b, data in clean.edges())),
    ):
        first = next(records, None)
        if first is None:
            stream.write(f' "{name}": []')
        else:
            stream.write(f' "{name}": [\n  {_json_object(first, "  ")}')
            for record in records:
                stream.write(f",\n  {_json_object(record, '  ')}")
            stream.write("\n ]")
        stream.write(",\n" if name == "nodes" else "\n}")


# One scalar at a time through the C encoder: json.dumps(indent=...) is pure Python, slow,
# and leaves its closures for the garbage collector.
_json = json.JSONEncoder(ensure_ascii=False).encode


def _json_object(record: Mapping[str, Scalar], indent: str) -> str:
    """A flat object as ``json.dumps(record, indent=1)`` writes it at depth ``len(indent)``."""
    if not record:
        return "{}"
    inner = ",\n".join(f"{indent} {_json(k)}: {_json(v)}" for k, v in record.items())
    return f"{{\n{inner}\n{indent}}}"


def write_edge_csv(graph: Any, path: Path) -> None:
    """The edge list as CSV (UTF-8, header row, lists joined with `` | ``)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for a, b, data in graph.edges(data=True):
            writer.writerow(astuple(EdgeRow.of(graph, a, b, data)))
