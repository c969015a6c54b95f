"""Graph exports for Gephi, networkx and spreadsheets: GEXF, GraphML, JSON node-link, CSV.

GEXF and GraphML accept only scalar attributes, so every attribute is sanitised first:
``None`` becomes ``""``, lists and tuples are joined with `` | ``, numpy scalars become Python
numbers, dates become ISO strings, anything else its ``str``.  The JSON node-link export holds
the same sanitised graph (so all four formats say the same thing).  The CSV export is the edge
list: ``source,target,weight,urls,anchors`` plus the names and kinds of both ends and each
edge's provenance: ``linked``, ``recovered`` and ``inferred`` counts, ``provenance`` (the
kinds present, ``linked+inferred``) and ``evidence`` (the words an inferred source was
inferred from); projections, whose edges carry no provenance, leave those columns empty.

>>> import networkx as nx
>>> g = nx.DiGraph(); g.add_edge("a:1", "s:x", weight=2, urls=["u1", "u2"], anchors=[])
>>> sanitise_graph(g).edges["a:1", "s:x"]["urls"]
'u1 | u2'
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Final

import networkx as nx

from linkgraph.errors import ConfigError

LIST_SEPARATOR: Final = " | "
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


def sanitise_value(value: Any) -> str | int | float | bool:
    """A value GEXF/GraphML can hold: ``str``, ``int``, ``float`` or ``bool``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else 0.0
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return LIST_SEPARATOR.join(str(sanitise_value(v)) for v in items)
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return sanitise_value(item())
    return str(value)


def _clean(attrs: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    return {str(k): sanitise_value(v) for k, v in attrs.items()}


def sanitise_graph(graph: Any) -> Any:
    """A copy of *graph* whose node, edge and graph attributes are all scalars.

    One attribute keeps one type across nodes (GraphML declares a type per key): an attribute
    that is numeric on some nodes and text on others is written as text everywhere.
    """
    clean = graph.__class__()
    clean.graph.update(_clean(graph.graph))
    clean.add_nodes_from((str(n), _clean(d)) for n, d in graph.nodes(data=True))
    clean.add_edges_from((str(a), str(b), _clean(d)) for a, b, d in graph.edges(data=True))
    _unify_types(clean.nodes.values())
    _unify_types(d for _, _, d in clean.edges(data=True))
    return clean


def _unify_types(records: Any) -> None:
    rows = list(records)
    types: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            types.setdefault(key, set()).add(type(value))
    for key, seen in types.items():
        if len(seen) == 1:
            continue
        target: type = float if seen <= {int, float} else str
        for row in rows:
            if key in row:
                row[key] = target(row[key])


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
    """Write *graph* to *path* in the format its suffix names (.gexf .graphml .json .csv)."""
    fmt = export_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        write_edge_csv(graph, path)
        return path
    clean = sanitise_graph(graph)
    if fmt == "gexf":
        nx.write_gexf(clean, path)
    elif fmt == "graphml":
        nx.write_graphml(clean, path)
    else:
        data = nx.node_link_data(clean, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_edge_csv(graph: Any, path: Path) -> None:
    """The edge list as CSV (UTF-8, header row, lists joined with `` | ``)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for a, b, data in graph.edges(data=True):
            writer.writerow(astuple(EdgeRow.of(graph, a, b, data)))
