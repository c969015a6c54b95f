"""``linkgraph graph``: the article-outlet graph as GEXF, GraphML, JSON node-link or CSV."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from linkgraph.analysis import Analysis, AnalysisOptions, analyse
from linkgraph.analysis.projections import projection_graph
from linkgraph.analysis.streaming import STREAM_ABOVE, analyse_streaming, stream_threshold
from linkgraph.check.history import link_statuses
from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    ExitCode,
    InputTally,
    config_option,
    db_option,
    existing_store,
    extraction_options,
    inputs_argument,
    read_extractions,
)
from linkgraph.errors import LinkgraphError
from linkgraph.records import Extraction
from linkgraph.report.exports import export_format, export_graph
from linkgraph.report.streamed import EdgeSink
from linkgraph.sources import Registry
from linkgraph.store import Store, stored_articles


@click.command("graph", epilog=EXIT_CODES_HELP)
@inputs_argument
@db_option
@extraction_options
@click.option(
    "--export", "export", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; its suffix picks the format: .gexf, .graphml, .json (node-link), .csv "
         "(edge list).",
)
@click.option(
    "--graph", "which", type=click.Choice(["citations", "cocitation", "coupling"]),
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
@config_option
def command(
    *,
    inputs: tuple[str, ...], db: str | None, base: str | None, all_links: bool, jobs: int,
    export: Path, which: str, backbone: bool, full: bool, config: Path | None,
) -> None:
    """Export the graph of articles and the outlets they cite.

    Reads INPUT... (files or folders), or the store with --db when no INPUT is given.
    Article nodes (kind=article) link to outlet nodes (kind=source: name, source_kind,
    country, citations, articles, pagerank); edge weight is the number of citations, with the
    URLs and anchor texts behind it.  Opens in Gephi and networkx.  With --graph cocitation
    or coupling, the one-mode projection is written instead, with a `community` attribute
    (Louvain, fixed seed).

    \b
    Examples:
      linkgraph graph examples/ukraine-arms.json --export graph.gexf
      linkgraph graph --db news.db --export edges.csv
      linkgraph graph --db news.db --graph cocitation --backbone --export outlets.gexf
      linkgraph graph --db archive.db --export edges.csv   # streamed at any size
    """
    try:
        export_format(export)
        registry = Registry.load(config)
    except LinkgraphError as exc:
        raise click.UsageError(str(exc)) from exc
    tally = InputTally()
    # The export needs neither the text findings nor, for the citation graph, the projections;
    # for one projection, the other is bounded to nothing.
    options = AnalysisOptions(attributions=False, projections=which != "citations")
    if which == "cocitation":
        options = replace(options, coupling_limit=0)
    elif which == "coupling":
        options = replace(options, cocitation_limit=0)
    if not inputs and which == "citations" and not full:
        path = existing_store(db)
        if stored_articles(path) > stream_threshold():
            _streamed_graph(path, export, registry)
            sys.exit(ExitCode.OK)
    try:
        if inputs:
            extractions: Iterable[Extraction] = read_extractions(
                inputs, base=base, all_links=all_links, jobs=jobs, tally=tally
            )
            analysis = analyse(extractions, registry=registry, options=options)
        else:
            path = existing_store(db)
            with Store(path) as store:
                statuses = link_statuses(store.check_histories())
                analysis = analyse(store.extractions(), link_status=statuses,
                                   registry=registry, options=options)
        graph = analysis.graph
        if which == "cocitation" and analysis.cocitation is not None:
            graph = projection_graph(analysis.cocitation, backbone_only=backbone)
            _label_outlets(graph, analysis)
        elif which == "coupling" and analysis.coupling is not None:
            graph = projection_graph(analysis.coupling, backbone_only=backbone)
            _label_articles(graph, analysis)
        export_graph(graph, export)
    except LinkgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    except OSError as exc:
        click.echo(f"error: cannot write {export}: {exc.strerror or exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    if which == "citations":
        articles = sum(1 for _, kind in graph.nodes(data="kind") if kind == "article")
        click.echo(
            f"wrote {export}: {articles} article(s), {graph.number_of_nodes() - articles} "
            f"outlet(s), {graph.number_of_edges()} edge(s)"
        )
    else:
        click.echo(f"wrote {export}: {which} projection, {graph.number_of_nodes()} node(s), "
                   f"{graph.number_of_edges()} edge(s)")
    sys.exit(tally.exit_code)


def _streamed_graph(path: str, export: Path, registry: Registry) -> None:
    """A large store: article-level edges streamed to CSV, or the outlet-level graph."""
    fmt = export_format(export)
    options = AnalysisOptions(attributions=False, projections=False)
    try:
        export.parent.mkdir(parents=True, exist_ok=True)
        with Store(path) as store, EdgeSink(export if fmt == "csv" else None) as sink:
            result = analyse_streaming(store.extractions(), registry=registry, options=options,
                                       sink=sink)
        if fmt != "csv":
            export_graph(result.graph, export)
    except LinkgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    except OSError as exc:
        click.echo(f"error: cannot write {export}: {exc.strerror or exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    s = result.summary
    if fmt == "csv":
        click.echo(f"wrote {export}: {sink.edges:,} article -> outlet edge(s) of {s.articles:,}"
                   " article(s), streamed")
        return
    graph = result.graph
    sites = sum(1 for _, kind in graph.nodes(data="kind") if kind == "site")
    click.echo(
        f"wrote {export}: the outlet-level graph ({sites:,} site(s) -> {s.outlets:,} outlet(s),"
        f" {graph.number_of_edges():,} edge(s)): the store holds {s.articles:,} articles, more"
        f" than {stream_threshold():,}, too many for Gephi as article nodes. Article-level edges:"
        " --export edges.csv (streamed); the article graph in this format: --full (about"
        f" {s.articles * 25 / 1e6:,.1f} GB of memory)", err=True)


def _label_outlets(graph: Any, analysis: Analysis) -> None:
    """Outlet names and kinds on the nodes of the co-citation projection."""
    by_key = {o.source.key: o for o in analysis.outlets}
    for node, data in graph.nodes(data=True):
        outlet = by_key.get(node)
        if outlet is not None:
            data.update(label=outlet.source.name, source_kind=outlet.source.kind.value,
                        country=outlet.source.country or "", citations=outlet.citations)


def _label_articles(graph: Any, analysis: Analysis) -> None:
    """Titles, URLs and sites on the nodes of the coupling projection."""
    by_id = {a.id: a for a in analysis.articles}
    for node, data in graph.nodes(data=True):
        article = by_id.get(node)
        if article is not None:
            data.update(label=article.title or article.id, url=article.url or "",
                        site=article.site or "")
