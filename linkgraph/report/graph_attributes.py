"""Graph attributes as graph files hold them: scalars, one type per attribute.

GEXF and GraphML accept only scalar attributes, so every attribute is sanitised first:
``None`` becomes ``""``, lists and tuples are joined with `` | ``, numpy scalars become Python
numbers, dates become ISO strings, anything else its ``str``.  GraphML and GEXF also declare
one type per attribute, so an attribute that is a number on some nodes and text on others is
written as text everywhere (``int`` and ``float`` mixed: ``float``), on nodes and on edges
separately.

``CleanGraph`` is that view of a graph, read lazily (two passes over its nodes and edges,
nothing copied), for the writers that stream a graph to a file.

>>> import networkx as nx
>>> g = nx.DiGraph(); g.add_node("a", score=1); g.add_node("b", score="n/a", tags=["x", "y"])
>>> list(CleanGraph(g).nodes())
[('a', {'score': '1'}), ('b', {'score': 'n/a', 'tags': 'x | y'})]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, TypeAlias

LIST_SEPARATOR: Final = " | "

Scalar: TypeAlias = str | int | float | bool


def sanitise_value(value: Any) -> Scalar:
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


def _sanitised_type(value: Any) -> type:
    # The type sanitise_value gives, without joining lists (the first pass only needs types).
    kind = type(value)
    if kind in (str, int, float, bool):
        return kind
    if value is None or isinstance(value, list | tuple | set | frozenset):
        return str
    return type(sanitise_value(value))


def unified_types(records: Iterable[Mapping[Any, Any]]) -> dict[str, type]:
    """Each attribute's one type across *records* once sanitised: its type where all agree,
    ``float`` for ``int`` and ``float`` mixed, else ``str``."""
    seen: dict[str, set[type]] = {}
    for record in records:
        for key, value in record.items():
            seen.setdefault(str(key), set()).add(_sanitised_type(value))
    return {key: next(iter(kinds)) if len(kinds) == 1
            else float if kinds <= {int, float} else str
            for key, kinds in seen.items()}


def clean_attributes(attrs: Mapping[Any, Any], types: Mapping[str, type]) -> dict[str, Scalar]:
    """*attrs* sanitised, each value of its attribute's type in *types*."""
    clean: dict[str, Scalar] = {}
    for key, value in attrs.items():
        name = str(key)
        scalar = sanitise_value(value)
        target = types[name]
        clean[name] = scalar if type(scalar) is target else target(scalar)
    return clean


class CleanGraph:
    """A networkx graph as its exports see it: node ids as ``str``, attributes sanitised with
    one type per attribute (``unified_types``), read from the graph as it is iterated.

    Constructing it reads every node's and edge's attributes once for their types (what is kept
    is one type per attribute name); ``nodes()`` and ``edges()`` then yield one cleaned record
    at a time.
    """

    __slots__ = ("attributes", "directed", "edge_types", "graph", "multigraph", "node_types")

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.directed = bool(graph.is_directed())
        self.multigraph = bool(graph.is_multigraph())
        self.node_types = unified_types(data for _, data in graph.nodes(data=True))
        self.edge_types = unified_types(data for _, _, data in graph.edges(data=True))
        self.attributes = clean_attributes(graph.graph, unified_types([graph.graph]))

    def nodes(self) -> Iterator[tuple[str, dict[str, Scalar]]]:
        """``(id, attributes)`` of each node, in the graph's order."""
        types = self.node_types
        for node, data in self.graph.nodes(data=True):
            yield str(node), clean_attributes(data, types)

    def edges(self) -> Iterator[tuple[str, str, dict[str, Scalar]]]:
        """``(source, target, attributes)`` of each edge, in the graph's order."""
        types = self.edge_types
        for a, b, data in self.graph.edges(data=True):
            yield str(a), str(b), clean_attributes(data, types)
