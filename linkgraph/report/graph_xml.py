"""GEXF and GraphML written node by node and edge by edge, straight to the file.

networkx's ``write_gexf`` and ``write_graphml`` build the whole document as an ElementTree
first: for an outlet graph of 30,000 nodes and 170,000 edges that costs hundreds of MB more
than the graph itself.  These writers keep one node or edge at a time, plus one type per
attribute name (``CleanGraph``: a first pass over the attributes, nothing copied), and write
what ``networkx.read_gexf`` / ``read_graphml`` read back into the same graph networkx's own
writers give (tests compare the two):

* attribute types are declared as networkx declares them: ``long`` (int), ``double`` (float),
  ``boolean``, ``string``; GEXF in ``<attributes class="node|edge">`` with numeric ids, GraphML
  in ``<key id="dN" for="graph|node|edge">``.  An attribute mixing types is written as
  ``CleanGraph`` unifies it (text; ``double`` for int and float);
* GEXF follows the 1.2draft conventions Gephi reads: a node's ``label`` attribute is its
  label (else its id), an edge's ``weight`` its GEXF weight (read back as a float, as
  networkx reads every GEXF weight) when the weight is a number, an edge's ``label`` and
  ``id`` the edge's own; every other attribute is an ``<attvalue>``.  No viz data (the
  exports have none).  networkx also moves ``start``, ``end``, ``pid`` and ``type`` out of the
  attributes (dynamic graphs, hierarchy, edge direction): here they stay attributes, read
  back as written;
* multigraphs are not handled here (``linkgraph.report.exports`` leaves them to networkx).

Labels come from web pages: every string is escaped (``&<>"`` and, in attributes, tab and
line breaks, so they survive the parser's normalisation), and the characters XML 1.0 cannot
hold at all (C0 controls but tab, CR and LF; lone surrogates; U+FFFE, U+FFFF) are replaced by
U+FFFD, in ids too (so an edge still meets its nodes).

>>> import io, networkx as nx
>>> g = nx.DiGraph(); g.add_edge("a", "b", weight=2)
>>> out = io.StringIO(); write_graphml(g, out)
>>> '<edge source="a" target="b">' in out.getvalue()
True
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any, Final, TextIO
from xml.sax.saxutils import escape, quoteattr

from linkgraph import __version__
from linkgraph.report.graph_attributes import CleanGraph, Scalar

# What XML 1.0 cannot hold, even as a character reference.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT: Final = "\ufffd"
# A CR in text would come back as LF (line-end normalisation).
_TEXT_ENTITIES: Final = {"\r": "&#13;"}
# networkx's type names (read back to the same Python types by its readers).
XML_TYPES: Final[Mapping[type, str]] = {
    bool: "boolean", int: "long", float: "double", str: "string"}

GEXF_NS: Final = "http://www.gexf.net/1.2draft"
XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
GRAPHML_NS: Final = "http://graphml.graphdrawing.org/xmlns"
DECLARATION: Final = "<?xml version='1.0' encoding='utf-8'?>\n"
# Edge attributes GEXF holds as attributes of the <edge> element.
GEXF_EDGE_FIELDS: Final = frozenset({"id", "label", "weight"})


def xml_text(value: str) -> str:
    """*value* as XML character data.

    >>> xml_text("a < b & c\\x00")
    'a &lt; b &amp; c\\ufffd'
    """
    return escape(_NOT_XML.sub(REPLACEMENT, value), _TEXT_ENTITIES)


def xml_attr(value: str) -> str:
    """*value* as a quoted XML attribute value.

    >>> xml_attr('say "hi"\\n')
    '\\'say "hi"&#10;\\''
    """
    return quoteattr(_NOT_XML.sub(REPLACEMENT, value))


def _literal(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)  # float: repr, read back exactly


def _unmixed(graph: Any) -> CleanGraph:
    clean = CleanGraph(graph)
    if clean.multigraph:
        raise TypeError("multigraphs are not written by linkgraph.report.graph_xml")
    return clean


def write_gexf(graph: Any, stream: TextIO) -> None:
    """*graph* (a networkx ``Graph`` or ``DiGraph``) as GEXF 1.2draft to the text *stream*."""
    clean = _unmixed(graph)
    ids = itertools.count()
    node_ids = {name: str(next(ids)) for name in clean.node_types if name != "label"}
    weight_type = clean.edge_types.get("weight")
    in_element = {"id", "label"} | ({"weight"} if weight_type in (int, float) else set())
    edge_ids = {name: str(next(ids)) for name in clean.edge_types if name not in in_element}
    default = "directed" if clean.directed else "undirected"
    name = str(clean.attributes.get("name", ""))
    stream.write(
        f'{DECLARATION}<gexf xmlns="{GEXF_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation='
        f'"{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.2">\n'
        f'  <meta lastmodifieddate="{time.strftime("%Y-%m-%d")}">\n'
        f"    <creator>linkgraph {xml_text(__version__)}</creator>\n  </meta>\n"
        f'  <graph defaultedgetype="{default}" mode="static" name={xml_attr(name)}>\n')
    for kind, declared, types in (("node", node_ids, clean.node_types),
                                  ("edge", edge_ids, clean.edge_types)):
        if declared:
            stream.write(f'    <attributes class="{kind}" mode="static">\n')
            stream.writelines(
                f'      <attribute id="{attr_id}" title={xml_attr(title)}'
                f' type="{XML_TYPES[types[title]]}" />\n' for title, attr_id in declared.items())
            stream.write("    </attributes>\n")
    stream.write("    <nodes>\n")
    for node, data in clean.nodes():
        label = data.pop("label", node)
        stream.write(f"      <node id={xml_attr(node)} label={xml_attr(str(label))}"
                     + _attvalues(data, node_ids, "node"))
    stream.write("    </nodes>\n    <edges>\n")
    # Edges given an "id" keep it; the others are numbered around them (as networkx does).
    taken = {str(d["id"]) for _, _, d in clean.edges() if "id" in d} \
        if "id" in clean.edge_types else set()
    counter = (str(i) for i in itertools.count() if str(i) not in taken)
    for a, b, data in clean.edges():
        edge_id = str(data.pop("id")) if "id" in data else next(counter)
        head = f"      <edge source={xml_attr(a)} target={xml_attr(b)} id={xml_attr(edge_id)}"
        for field in ("label", "weight"):
            if field in in_element and field in data:
                head += f" {field}={xml_attr(str(data.pop(field)))}"
        stream.write(head + _attvalues(data, edge_ids, "edge"))
    stream.write("    </edges>\n  </graph>\n</gexf>\n")


def _attvalues(data: Mapping[str, Scalar], declared: Mapping[str, str], tag: str) -> str:
    if not data:
        return " />\n"
    values = "".join(f'          <attvalue for="{declared[k]}" value={xml_attr(_literal(v))} />\n'
                     for k, v in data.items())
    return f">\n        <attvalues>\n{values}        </attvalues>\n      </{tag}>\n"


def write_graphml(graph: Any, stream: TextIO) -> None:
    """*graph* (a networkx ``Graph`` or ``DiGraph``) as GraphML to the text *stream*."""
    clean = _unmixed(graph)
    ids = (f"d{i}" for i in itertools.count())
    keys: dict[str, dict[str, str]] = {}
    stream.write(
        f'{DECLARATION}<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation='
        f'"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n')
    for scope, types in (("graph", {k: type(v) for k, v in clean.attributes.items()}),
                         ("node", clean.node_types), ("edge", clean.edge_types)):
        keys[scope] = {name: next(ids) for name in types}
        stream.writelines(
            f'  <key id="{key}" for="{scope}" attr.name={xml_attr(name)}'
            f' attr.type="{XML_TYPES[types[name]]}" />\n' for name, key in keys[scope].items())
    default = "directed" if clean.directed else "undirected"
    stream.write(f'  <graph edgedefault="{default}">\n')
    stream.write(_data(clean.attributes.items(), keys["graph"], "    "))
    node_keys, edge_keys = keys["node"], keys["edge"]
    for node, data in clean.nodes():
        stream.write(f"    <node id={xml_attr(node)}" + _element(data, node_keys, "node"))
    for a, b, data in clean.edges():
        stream.write(f"    <edge source={xml_attr(a)} target={xml_attr(b)}"
                     + _element(data, edge_keys, "edge"))
    stream.write("  </graph>\n</graphml>\n")


def _element(data: Mapping[str, Scalar], keys: Mapping[str, str], tag: str) -> str:
    if not data:
        return " />\n"
    return f">\n{_data(data.items(), keys, '      ')}    </{tag}>\n"


def _data(items: Iterable[tuple[str, Scalar]], keys: Mapping[str, str], indent: str) -> str:
    return "".join(f'{indent}<data key="{keys[k]}">{xml_text(_literal(v))}</data>\n'
                   if v != "" else f'{indent}<data key="{keys[k]}" />\n' for k, v in items)
