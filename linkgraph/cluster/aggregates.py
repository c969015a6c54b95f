"""The reduce step on a cluster: the report's numbers from the partitions' Parquet files,
computed by ``dask.dataframe`` (and ``dask.delayed`` for the co-citation matrix).

Every number equals the single-machine analysis's on the same inputs (a test runs both on a
``LocalCluster``): an article read twice counts once, the last copy (in input order) winning;
each outlet's first and last citing dates and its displayed ``Source`` are the ones the
single pass would meet first.  What comes back to this process is small: one row per outlet,
per site-month-outlet, per duplicated article id, and the coupling projection's candidates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from linkgraph.analysis.metrics import diversity
from linkgraph.analysis.outlet_graph import OutletGraph
from linkgraph.analysis.projections import (
    article_coupling,
    cocitation_projection,
    cooccurrence,
)
from linkgraph.analysis.records import (
    AnalysisOptions,
    OutletStats,
    PeriodStats,
    Projection,
    Summary,
)
from linkgraph.analysis.streaming import StreamedAnalysis, outlet_pagerank
from linkgraph.cluster.partitions import date_of_key
from linkgraph.records import Source, SourceKind
from linkgraph.sources import Registry


def _winners(frame: Any, dropped: Mapping[str, int]) -> Any:
    """Rows of the winning copy of each article (*dropped*: id -> the order that wins)."""
    if not dropped:
        return frame

    def keep(part: Any) -> Any:
        winner = part["id"].map(dropped)
        return part[winner.isna() | (winner == part["order"])]

    return frame.map_partitions(keep, meta=frame._meta)


def _cooccurrence_part(part: Any, index: Mapping[str, int]) -> Any:
    """The co-citation counts of one partition's edges (articles with two top outlets+)."""
    size = len(index)
    top = part[part["outlet"].isin(index)]
    rows = [
        [index[k] for k in group]
        for group in top.groupby("id", sort=False)["outlet"]
        .agg(list).tolist() if len(group) > 1
    ]
    return cooccurrence(rows, size)


def _top_candidates(part: Any, limit: int, min_shared: int) -> Any:
    chosen = part[part["sources"] >= min_shared][["id", "sources"]]
    chosen = chosen.assign(neg=-chosen["sources"]).sort_values(["neg", "id"])
    return chosen.head(limit)


def aggregate(
    folder: Path,
    *,
    registry: Registry,
    options: AnalysisOptions | None = None,
    client: Any = None,
) -> StreamedAnalysis:
    """The corpus numbers of the partitions under *folder* (``extract_partition`` output)."""
    import dask  # noqa: PLC0415 - optional dependency
    import dask.dataframe as dd  # noqa: PLC0415

    options = options or AnalysisOptions()
    def now(*things: Any) -> Any:
        if client is not None:
            return client.gather(client.compute(list(things)))
        return list(dask.compute(*things))

    articles = dd.read_parquet(str(folder / "articles"))
    edges = dd.read_parquet(str(folder / "edges"))
    sources = dd.read_parquet(str(folder / "sources"))
    findings = dd.read_parquet(str(folder / "findings"))
    inferred = dd.read_parquet(str(folder / "inferred"))

    # An article read twice counts once: the last copy wins.
    copies = articles.groupby("id")["order"].agg(["count", "max"])
    (repeated,) = now(copies[copies["count"] > 1])
    dropped = {str(k): int(v) for k, v in repeated["max"].items()}
    articles, edges, sources, findings, inferred = (
        _winners(f, dropped) for f in (articles, edges, sources, findings, inferred))

    outlet_rows = edges.groupby("outlet").agg(
        citations=("weight", "sum"), articles=("id", "count"), share=("share", "sum"),
        first=("first_key", "min"), last=("last_key", "max"), linked=("linked", "sum"),
        recovered=("recovered", "sum"), inferred=("inferred", "sum"))
    first_source = sources.groupby("outlet")["first"].min()
    pooled = edges.groupby(["site", "month", "outlet"])["weight"].sum()
    sourced = articles[articles["sources"] > 0]
    period_rows = articles.groupby(["site", "month"])["id"].count()
    period_effective = sourced.groupby(["site", "month"])["effective_sources"].agg(
        ["sum", "count"])
    totals = articles[["citations", "external", "internal", "recovered", "inferred",
                       "pictures"]].sum()
    counts = articles["id"].count()
    unlinked = (articles["sources"] == 0).sum()
    by_kind = findings.groupby("kind")["id"].count()
    apart = inferred.groupby("outlet").agg(
        citations=("weight", "sum"), articles=("id", "count"), first=("first_key", "min"),
        last=("last_key", "max"), source=("source", "min"))
    (outlet_frame, first_frame, pooled_frame, period_frame, effective_frame, total,
     article_count, unlinked_count, kinds, apart_frame) = now(
        outlet_rows, first_source, pooled, period_rows, period_effective, totals, counts,
        unlinked, by_kind, apart)

    external = int(total["external"])
    described = {str(k): _source(v) for k, v in first_frame.items()}
    ranks = outlet_pagerank(
        {str(k): float(v) for k, v in outlet_frame["share"].items()},
        articles=int(article_count), unlinked=int(unlinked_count))
    outlets = sorted(
        (
            OutletStats(
                source=described[str(key)], citations=int(row["citations"]),
                articles=int(row["articles"]),
                share=int(row["citations"]) / external if external else 0.0,
                first_cited=date_of_key(row["first"]), last_cited=date_of_key(row["last"]),
                pagerank=ranks.get(str(key), 0.0), linked=int(row["linked"]),
                recovered=int(row["recovered"]), inferred=int(row["inferred"]),
            )
            for key, row in outlet_frame.iterrows()
        ),
        key=lambda o: (-o.citations, -o.articles, o.source.key),
    )
    periods = _periods(period_frame, effective_frame, pooled_frame)

    cocitation = coupling = None
    if options.projections:
        cocitation, coupling = _projections(
            outlets, edges, articles, now, options, article_count=int(article_count),
            unlinked=int(unlinked_count))

    finding_counts = {str(k): int(v) for k, v in sorted(kinds.items())}
    summary = Summary(
        articles=int(article_count), citations=int(total["citations"]), external=external,
        internal=int(total["internal"]), outlets=len(outlets),
        findings=sum(finding_counts.values()), registry_version=registry.version,
        recovered=int(total["recovered"]), inferred=int(total["inferred"]),
        counted="linked + recovered + inferred" if options.count_inferred
        else "linked + recovered", pictures=int(total["pictures"]),
    )
    site_edges: dict[str, dict[str, int]] = {}
    for (site, _, key), weight in pooled_frame.items():
        cited = site_edges.setdefault(str(site), {})
        cited[str(key)] = cited.get(str(key), 0) + int(weight)
    return StreamedAnalysis(
        outlets=tuple(outlets), periods=periods, summary=summary,
        finding_counts=finding_counts, link_status={},
        graph=OutletGraph(tuple(outlets), site_edges),
        cocitation=cocitation, coupling=coupling,
        inferred_outlets=_inferred_outlets(apart_frame),
    )


def _inferred_outlets(frame: Any) -> tuple[OutletStats, ...]:
    """Inferred sources kept apart (``StreamedAnalysis.inferred_outlets``), most cited first:
    no share of the external citations, no PageRank (they are not in the graph)."""
    return tuple(sorted(
        (
            OutletStats(
                source=_source(row["source"]), citations=int(row["citations"]),
                articles=int(row["articles"]), share=0.0,
                first_cited=date_of_key(row["first"]), last_cited=date_of_key(row["last"]),
                pagerank=0.0, linked=0, recovered=0, inferred=int(row["citations"]),
            )
            for _, row in frame.iterrows()
        ),
        key=lambda o: (-o.citations, -o.articles, o.source.key),
    ))


def _source(first: str) -> Source:
    key, name, kind, country, rule = json.loads(first.split("|", 1)[1])
    return Source(key=key, name=name, kind=SourceKind(kind), country=country, rule=rule)


def _periods(rows: Any, effective: Any, pooled: Any) -> tuple[PeriodStats, ...]:
    counts: dict[tuple[str, str], list[int]] = {}
    for (site, month, _), weight in sorted(pooled.items()):
        counts.setdefault((str(site), str(month)), []).append(int(weight))
    out = []
    for (site, month), articles in sorted(rows.items()):
        key = (str(site), str(month))
        div = diversity(counts.get(key, []))
        if key in effective.index:
            total, sourced = float(effective.loc[key, "sum"]), int(effective.loc[key, "count"])
        else:
            total, sourced = 0.0, 0
        out.append(PeriodStats(
            site=key[0], month=key[1], articles=int(articles), citations=div.total,
            sources=len(counts.get(key, [])),
            mean_effective_sources=total / sourced if sourced else 0.0,
            entropy=div.entropy, hhi=div.hhi, unsourced_articles=int(articles) - sourced,
        ))
    return tuple(out)


def _projections(
    outlets: list[OutletStats], edges: Any, articles: Any, now: Any, options: AnalysisOptions,
    *, article_count: int, unlinked: int,
) -> tuple[Projection, Projection]:
    import dask  # noqa: PLC0415 - optional dependency

    citing = {o.source.key: o.articles for o in outlets}
    nodes = sorted(citing, key=lambda k: (-citing[k], k))[:options.cocitation_limit]
    index = {key: i for i, key in enumerate(nodes)}
    parts = [dask.delayed(_cooccurrence_part)(p, index) for p in edges.to_delayed()]
    (matrix,) = now(dask.delayed(sum)(parts))
    cocitation = cocitation_projection(
        citing, article_count - unlinked, lambda: (), max_nodes=options.cocitation_limit,
        min_shared=options.min_shared, seed=options.seed, counts=matrix)
    limit = options.coupling_limit
    tops = articles.map_partitions(_top_candidates, limit, options.min_shared,
                                   meta={"id": "object", "sources": "int64", "neg": "int64"})
    (candidates,) = now(tops)
    chosen = candidates.sort_values(["neg", "id"]).head(limit)["id"].tolist()
    wanted = set(chosen)
    (chosen_edges,) = now(edges[edges["id"].isin(wanted)][["id", "outlet"]])
    sets: dict[str, set[str]] = {aid: set() for aid in chosen}
    for aid, key in zip(chosen_edges["id"], chosen_edges["outlet"], strict=True):
        sets[aid].add(key)
    coupling = article_coupling(
        {aid: frozenset(keys) for aid, keys in sets.items()}, max_nodes=limit,
        min_shared=options.min_shared, neighbours=options.coupling_neighbours,
        seed=options.seed, articles=article_count)
    return cocitation, coupling
