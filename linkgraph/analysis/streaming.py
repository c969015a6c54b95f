"""``analyse_streaming``: the report's numbers in one pass, in memory bounded by the outlets.

``analyse`` keeps every article, citation and finding, and the article-level graph, in
memory: fine for a desk's export, not for a million articles.  This pass reads the same
extractions one at a time (from ``Store.extractions()``, an ordered scan of the store) and
keeps only what grows with the number of outlets and site-months:

* per outlet: citations, citing articles, first/last citing date, and the sum over citing
  articles of (citations of the outlet / external citations of the article), which is all
  PageRank over the article -> outlet graph needs (every article holds the same rank: no
  edge points at an article);
* per site: citations of each outlet (the outlet-level graph, ``OutletGraph``);
* per site and month: articles, pooled outlet counts, effective numbers of sources (unless
  ``AnalysisOptions.periods`` is off: the graph export needs none);
* co-citation: each article's outlets as small integers (only articles citing two or more;
  only with ``AnalysisOptions.projections``, as the next);
* coupling: the candidates with the most distinct outlets (the projection's own bound);
* findings counted by kind.

What is per article (diversity numbers, article -> outlet edges, findings) goes to an
``ArticleSink`` as it is computed (``linkgraph.report.streamed`` writes them to files).
Each article is scanned by the same code as ``analyse`` (``_Collector.scan``), so on the same
articles every number equals the in-memory analysis's (a test checks it on the corpus).
"""

from __future__ import annotations

import functools
import logging
import os
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from linkgraph.analysis.build import _Collector, _OutletTally
from linkgraph.analysis.graph import CitedLink
from linkgraph.analysis.metrics import article_stats, diversity, month_of
from linkgraph.analysis.outlet_graph import OutletGraph
from linkgraph.analysis.projections import article_coupling, cocitation_projection
from linkgraph.analysis.records import (
    AnalysisOptions,
    ArticleStats,
    Finding,
    OutletStats,
    PeriodStats,
    Projection,
    Summary,
)
from linkgraph.records import Article, Extraction, LinkStatus, ProvenanceKind
from linkgraph.sources import Registry, default_registry

log = logging.getLogger(__name__)

# Above this many stored articles `report --db` and `graph --db` take the streamed path
# (the environment variable LINKGRAPH_STREAM_ABOVE sets another threshold).
STREAM_ABOVE: Final = 50_000
URL_CACHE: Final = 50_000  # classified URLs kept (the cache is emptied beyond)


def stream_threshold() -> int:
    """Stored articles above which the commands stream (``LINKGRAPH_STREAM_ABOVE``, or
    ``STREAM_ABOVE``); a value that is not a whole number is warned about, once."""
    return _threshold(os.environ.get("LINKGRAPH_STREAM_ABOVE", ""))


@functools.lru_cache(maxsize=8)
def _threshold(value: str) -> int:
    text = value.strip().replace("_", "").replace(",", "")
    if not value.strip():
        return STREAM_ABOVE
    if text.isdigit():
        return int(text)
    log.warning("LINKGRAPH_STREAM_ABOVE=%r is not a number of articles (such as 50000);"
                " using %s", value, f"{STREAM_ABOVE:,}")
    return STREAM_ABOVE


class ArticleSink(Protocol):
    """Receives what is per article, as the streamed analysis computes it."""

    def add_article(self, stats: ArticleStats, links: Sequence[CitedLink],
                    findings: Sequence[Finding], article: Article) -> None: ...


@dataclass(frozen=True, slots=True)
class StreamedAnalysis:
    """The corpus-level numbers of a streamed analysis (per-article ones went to the sink)."""

    outlets: tuple[OutletStats, ...]  # most cited first, as Analysis.outlets
    periods: tuple[PeriodStats, ...]  # empty without AnalysisOptions.periods
    summary: Summary
    finding_counts: Mapping[str, int]  # finding kind -> count
    link_status: Mapping[str, LinkStatus]
    graph: OutletGraph  # site -> outlet (.to_networkx() for a networkx DiGraph)
    cocitation: Projection | None = None
    coupling: Projection | None = None
    # Inferred sources the metrics do not count (as Analysis.inferred_outlets).
    inferred_outlets: tuple[OutletStats, ...] = ()


class _Period:
    __slots__ = ("articles", "effective", "pooled")

    def __init__(self) -> None:
        self.articles = 0
        self.pooled: Counter[str] = Counter()
        self.effective = array("d")


class _Stream:
    """The running totals of one streamed analysis."""

    def __init__(self, registry: Registry, status: Mapping[str, LinkStatus],
                 options: AnalysisOptions, sink: ArticleSink | None) -> None:
        self.scanner = _Collector(registry, status, options)
        self.options = options
        self.sink = sink
        self.articles = 0
        self.citations = 0
        self.pictures = 0
        self.external = 0
        self.internal = 0
        self.unlinked = 0  # articles without an outgoing edge (PageRank's dangling articles)
        self.cited_any = 0
        self.findings: Counter[str] = Counter()
        self.outlets: dict[str, _OutletTally] = {}
        self.inferred_outlets: dict[str, _OutletTally] = {}
        self.provenance: Counter[ProvenanceKind] = Counter()
        self.rank_share: dict[str, float] = {}
        self.periods: dict[tuple[str, str], _Period] = {}
        self.site_edges: dict[str, Counter[str]] = {}  # site -> outlet key -> citations
        self.outlet_ids: dict[str, int] = {}
        self.flat = array("i")  # outlet ids of articles citing two or more outlets
        self.ends = array("q")
        self.candidates: list[tuple[int, str, frozenset[str]]] = []

    def add(self, extraction: Extraction) -> None:
        scanner = self.scanner
        if len(scanner.sources_by_url) > URL_CACHE:
            scanner.sources_by_url.clear()
        scan = scanner.scan(extraction)
        article = extraction.article
        tally = scan.tally(extraction)
        stats = article_stats(tally)
        self.articles += 1
        self.citations += scan.citations
        self.pictures += scan.pictures
        self.provenance.update(scan.provenance)
        self.external += len(scan.links)
        self.internal += len(scan.internal)
        for finding in scan.findings:
            self.findings[finding.kind.value] += 1
        for link in scan.links:
            if link.source.key not in self.outlets:
                self.outlets[link.source.key] = _OutletTally(link.source)
            self.outlets[link.source.key].by_provenance[link.provenance.value] += 1
        for key, count in scan.apart.items():
            if key not in self.inferred_outlets:
                self.inferred_outlets[key] = _OutletTally(scanner.inferred_source(key))
            self.inferred_outlets[key].by_provenance[ProvenanceKind.INFERRED.value] += count
            self.inferred_outlets[key].cited_by(count, article.published)
        counts = scan.counts
        total = sum(counts.values())
        if not total:
            self.unlinked += 1
        else:
            self.cited_any += 1
        site = tally.site
        if counts:  # a site is in the outlet graph once it cites an outlet
            cited = self.site_edges.get(site)
            if cited is None:
                cited = self.site_edges[site] = Counter()
            cited.update(counts)
        for key, count in counts.items():
            self.outlets[key].cited_by(count, article.published)
            self.rank_share[key] = self.rank_share.get(key, 0.0) + count / total
        if self.options.periods:
            self._add_to_period(site, article, counts, stats.effective_sources)
        if self.options.projections:
            self._add_to_projections(article.id, counts)
        if self.sink is not None:
            self.sink.add_article(stats, scan.links, scan.findings, article)

    def _add_to_period(self, site: str, article: Article, counts: Counter[str],
                       effective: float) -> None:
        period = self.periods.get((site, month_of(article.published)))
        if period is None:
            period = self.periods[site, month_of(article.published)] = _Period()
        period.articles += 1
        period.pooled.update(counts)
        if counts:
            period.effective.append(effective)

    def _add_to_projections(self, article_id: str, counts: Counter[str]) -> None:
        if len(counts) > 1:
            ids = self.outlet_ids
            self.flat.extend(ids.setdefault(key, len(ids)) for key in counts)
            self.ends.append(len(self.flat))
        if len(counts) >= self.options.min_shared:
            self.candidates.append((-len(counts), article_id, frozenset(counts)))
            if len(self.candidates) >= 2 * self.options.coupling_limit + 1024:
                self._trim()

    def _trim(self) -> None:
        self.candidates.sort(key=lambda c: (c[0], c[1]))
        del self.candidates[self.options.coupling_limit:]

    def outlet_sets(self) -> Iterator[list[str]]:
        keys = list(self.outlet_ids)
        start = 0
        for end in self.ends:
            yield [keys[i] for i in self.flat[start:end]]
            start = end

    def result(self, registry: Registry, status: Mapping[str, LinkStatus]) -> StreamedAnalysis:
        self._trim()
        ranks = outlet_pagerank({key: self.rank_share.get(key, 0.0) for key in self.outlets},
                                articles=self.articles, unlinked=self.unlinked)
        outlets = tuple(_outlet_rows(self.outlets, ranks, self.external))
        periods = tuple(_period(site, month, p)
                        for (site, month), p in sorted(self.periods.items()))
        options = self.options
        cocitation = coupling = None
        if options.projections:
            citing = {key: t.articles for key, t in self.outlets.items()}
            cocitation = cocitation_projection(
                citing, self.cited_any, self.outlet_sets, max_nodes=options.cocitation_limit,
                min_shared=options.min_shared, seed=options.seed)
            coupling = article_coupling(
                {aid: keys for _, aid, keys in self.candidates},
                max_nodes=options.coupling_limit, min_shared=options.min_shared,
                neighbours=options.coupling_neighbours, seed=options.seed,
                articles=self.articles)
        summary = Summary(
            articles=self.articles, citations=self.citations, external=self.external,
            internal=self.internal, outlets=len(self.outlets),
            findings=sum(self.findings.values()), registry_version=registry.version,
            recovered=self.provenance[ProvenanceKind.RECOVERED],
            inferred=self.provenance[ProvenanceKind.INFERRED],
            counted="linked + recovered + inferred" if options.count_inferred
            else "linked + recovered",
            pictures=self.pictures,
        )
        return StreamedAnalysis(
            outlets=outlets, periods=periods, summary=summary,
            finding_counts=dict(sorted(self.findings.items())), link_status=status,
            graph=OutletGraph(outlets, self.site_edges), cocitation=cocitation,
            coupling=coupling,
            inferred_outlets=tuple(_outlet_rows(self.inferred_outlets, {}, 0)),
        )


def _outlet_rows(outlets: Mapping[str, _OutletTally], ranks: Mapping[str, float],
                 total: int) -> list[OutletStats]:
    """Outlet rows, most cited first (*total*: the citations a share is of; 0 for none)."""
    return sorted(
        (
            OutletStats(
                source=t.source, citations=t.citations, articles=t.articles,
                share=t.citations / total if total else 0.0,
                first_cited=t.first, last_cited=t.last, pagerank=ranks.get(key, 0.0),
                linked=t.by_provenance["linked"], recovered=t.by_provenance["recovered"],
                inferred=t.by_provenance["inferred"],
            )
            for key, t in outlets.items()
        ),
        key=lambda o: (-o.citations, -o.articles, o.source.key),
    )


def outlet_pagerank(
    shares: Mapping[str, float], *, articles: int, unlinked: int, alpha: float = 0.85,
    tol: float = 1.0e-6, max_iter: int = 200,
) -> dict[str, float]:
    """PageRank of each outlet in the article -> outlet graph, from aggregates.

    *shares*: per outlet, the sum over its citing articles of (the article's citations of it
    / the article's external citations); *articles*: all articles; *unlinked*: those citing no
    outlet.  The same power iteration as ``linkgraph.analysis.graph.pagerank``: articles have
    no incoming edge, so they all hold one value; outlets have no outgoing edge (dangling).
    """
    keys = list(shares)
    n = articles + len(keys)
    if n == 0:
        return {}
    share = [shares[k] for k in keys]
    x_article = 1.0 / n
    x = [1.0 / n] * len(keys)
    for _ in range(max_iter):
        dangling = x_article * unlinked + sum(x)
        base = (alpha * dangling + (1.0 - alpha)) / n
        new = [alpha * x_article * s + base for s in share]
        err = articles * abs(base - x_article) + sum(
            abs(a - b) for a, b in zip(new, x, strict=True))
        x_article, x = base, new
        if err < n * tol:
            break
    return dict(zip(keys, x, strict=True))


def _period(site: str, month: str, period: _Period) -> PeriodStats:
    div = diversity(period.pooled.values())
    effective = period.effective
    return PeriodStats(
        site=site, month=month, articles=period.articles, citations=div.total,
        sources=len(period.pooled),
        mean_effective_sources=sum(effective) / len(effective) if effective else 0.0,
        entropy=div.entropy, hhi=div.hhi, unsourced_articles=period.articles - len(effective),
    )


def analyse_streaming(
    extractions: Iterable[Extraction],
    *,
    link_status: Mapping[str, LinkStatus] | None = None,
    registry: Registry | None = None,
    options: AnalysisOptions | None = None,
    sink: ArticleSink | None = None,
) -> StreamedAnalysis:
    """The corpus numbers of ``analyse`` in one streamed pass (article ids must be unique, as
    in the store); per-article results go to *sink*.

    >>> from linkgraph.records import Article, BodyKind, Origin
    >>> art = Article("a1", "https://example.org/1", "example.org", "T", None, None,
    ...               Origin("x.json"), "<p>Hi</p>", BodyKind.FRAGMENT)
    >>> analyse_streaming([Extraction(art, ())]).summary.articles
    1
    """
    registry = registry or default_registry()
    status = dict(link_status or {})
    stream = _Stream(registry, status, options or AnalysisOptions(), sink)
    for extraction in extractions:
        stream.add(extraction)
    log.debug("streamed %d articles, %d citations, %d outlets", stream.articles,
              stream.citations, len(stream.outlets))
    return stream.result(registry, status)
