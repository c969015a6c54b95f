"""``linkgraph graph``: the article-outlet graph as GEXF, GraphML, JSON node-link or CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

import click

from linkgraph.analysis.streaming import STREAM_ABOVE, stream_threshold
from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    ExitCode,
    InputTally,
    config_option,
    count_inferred_option,
    db_option,
    extraction_options,
    infer_option,
    inputs_argument,
    library_errors,
    read_options,
    say,
)
from linkgraph.errors import ConfigError
from linkgraph.report.exports import export_format
from linkgraph.workflow.graph import GraphKind, GraphRequest, export_corpus_graph
from linkgraph.workflow.scale import StreamedGraph, export_streamed_graph, streams


def _streamed(done: StreamedGraph) -> None:
    s = done.summary
    if export_format(done.export) == "csv":
        say(f"wrote {done.export}: {done.edges:,} article -> outlet edge(s) of"
            f" {s.articles:,} article(s), streamed")
        return
    graph = done.graph
    sites = sum(1 for _, kind in graph.nodes(data="kind") if kind == "site")
    say(
        f"wrote {done.export}: the outlet-level graph ({sites:,} site(s) -> {s.outlets:,}"
        f" outlet(s), {graph.number_of_edges():,} edge(s)): the store holds {s.articles:,}"
        f" articles, more than {stream_threshold():,}, too many for Gephi as article nodes."
        " Article-level edges: --export edges.csv (streamed); the article graph in this format:"
        f" --full (about {memory_estimate(s.articles * FULL_BYTES_PER_ARTICLE)} of memory)",
        err=True)


FULL_BYTES_PER_ARTICLE: Final = 25_000  # the article-level graph in memory (--full)


def memory_estimate(size: int) -> str:
    """A memory figure a person reads at a glance: MB below a gigabyte, else GB.

    >>> memory_estimate(120 * 25_000), memory_estimate(100_000 * 25_000)
    ('3 MB', '2.5 GB')
    """
    if size < 1e9:
        return f"{max(1, round(size / 1e6)):,} MB"
    return f"{size / 1e9:,.1f} GB"


def _export_path(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """--export names a known format by its suffix (a usage error otherwise)."""
    try:
        export_format(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
    return value


@click.command("graph", epilog=EXIT_CODES_HELP)
@inputs_argument
@db_option
@extraction_options
@click.option(
    "--export", "export", required=True, type=click.Path(dir_okay=False, path_type=Path),
    callback=_export_path,
    help="Output file; its suffix picks the format: .gexf, .graphml, .json (node-link), .csv "
         "(edge list).",
)
@click.option(
    "--graph", "which", type=click.Choice([kind.value for kind in GraphKind]),
    default="citations", show_default=True,
    help="citations: articles -> outlets; cocitation: outlets linked by the articles citing "
         "both (association strength); coupling: articles linked by shared outlets (Jaccard).",
)
@click.option(
    "--backbone", is_flag=True,
    help="For --graph cocitation/coupling: only the disparity-filter backbone (for drawing).",
)
@click.option(
    "--full", is_flag=True,
    help=f"With --db above {STREAM_ABOVE:,} stored articles: build the article-level graph in"
         " memory for GEXF/GraphML/JSON anyway (about 25 KB per article: 2.5 GB for 100,000)."
         " Without it such a store gives the outlet-level graph (sites -> outlets) in those"
         " formats, and streams the article-level edges to .csv.",
)
@infer_option
@count_inferred_option
@config_option
def command(
    *,
    inputs: tuple[str, ...], db: str | None, base: str | None, manifest: str | None,
    all_links: bool, jobs: int, export: Path, which: str, backbone: bool, full: bool,
    config: Path | None, no_infer: bool, count_inferred: bool,
) -> None:
    """Export the graph of articles and the outlets they cite.

    Reads INPUT... (files or folders), or the store with --db when no INPUT is given.
    Article nodes (kind=article) link to outlet nodes (kind=source: name, source_kind,
    country, citations, articles, pagerank); edge weight is the number of citations, with the
    URLs and anchor texts behind it, and its provenance (linked / recovered / inferred
    counts; inferred sources are edges only with --count-inferred).  Opens in Gephi and
    networkx.  With --graph cocitation
    or coupling, the one-mode projection is written instead, with a `community` attribute
    (Louvain, fixed seed).

    \b
    Examples:
      linkgraph graph examples/ukraine-arms.json --export graph.gexf
      linkgraph graph --db news.db --export edges.csv
      linkgraph graph seed.json --count-inferred --export graph.gexf
      linkgraph graph --db news.db --graph cocitation --backbone --export outlets.gexf
      linkgraph graph --db archive.db --export edges.csv   # streamed at any size
    """
    if which == GraphKind.CITATIONS.value and not full:
        with library_errors():
            store = streams(inputs, db)
            if store is not None:
                _streamed(export_streamed_graph(store, export, config=config,
                                                 count_inferred=count_inferred,
                                                 infer=not no_infer))
                sys.exit(ExitCode.OK)
    tally = InputTally()
    request = GraphRequest(
        export=export, inputs=inputs, db=db, kind=GraphKind(which), backbone=backbone,
        read=read_options(
            base=base, all_links=all_links, jobs=jobs, manifest=manifest, infer=not no_infer
        ),
        config=config, count_inferred=count_inferred,
    )
    with library_errors():
        graph = export_corpus_graph(request, counts=tally)
    if request.kind is GraphKind.CITATIONS:
        articles = sum(1 for _, kind in graph.nodes(data="kind") if kind == "article")
        say(f"wrote {export}: {articles} article(s), {graph.number_of_nodes() - articles} "
            f"outlet(s), {graph.number_of_edges()} edge(s)")
    else:
        say(f"wrote {export}: {which} projection, {graph.number_of_nodes()} node(s), "
            f"{graph.number_of_edges()} edge(s)")
    sys.exit(tally.exit_code)
