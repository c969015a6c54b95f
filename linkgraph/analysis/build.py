"""``analyse``: one pass over the extractions, then numbers.

Internal citations (kind ``internal``: the site itself or a domain of its family, e.g.
nknews.org from a koreapro.org article; or an external link to another domain that the
registry gives the article's own outlet) count in ``internal_share`` but are not outlets of
the graph or the diversity numbers.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from linkgraph.analysis.attribution import lost_outlets, unlinked_attributions
from linkgraph.analysis.graph import CitedLink, build_graph, pagerank, source_node
from linkgraph.analysis.hygiene import citation_findings, status_finding
from linkgraph.analysis.metrics import ArticleTally, article_stats, period_stats
from linkgraph.analysis.projections import article_coupling, outlet_cocitation
from linkgraph.analysis.records import (
    Analysis,
    AnalysisOptions,
    ArticleStats,
    Finding,
    OutletStats,
    Summary,
)
from linkgraph.records import (
    NOT_CITATIONS,
    Article,
    Citation,
    CitationKind,
    Extraction,
    LinkStatus,
    ProvenanceKind,
    Source,
)
from linkgraph.repair import source_for_key
from linkgraph.sources import Registry, default_registry, own_outlets

log = logging.getLogger(__name__)

LINK_KINDS = frozenset({CitationKind.EXTERNAL, CitationKind.INTERNAL})


class _OutletTally:
    __slots__ = ("articles", "by_provenance", "citations", "first", "last", "source")

    def __init__(self, source: Source) -> None:
        self.source = source
        self.citations = 0
        self.articles = 0
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.by_provenance: Counter[str] = Counter()

    def cited_by(self, count: int, when: datetime | None) -> None:
        self.citations += count
        self.articles += 1
        if when is not None:
            if self.first is None or when < self.first:
                self.first = when
            if self.last is None or when > self.last:
                self.last = when


@dataclass(slots=True)
class ArticleScan:
    """What one article contributes to an analysis (``_Collector.scan``)."""

    own: frozenset[str]  # the article's own outlet keys
    counts: Counter[str] = field(default_factory=Counter)  # external outlet key -> citations
    kinds: Counter[str] = field(default_factory=Counter)  # source kind -> citations
    internal: list[int] = field(default_factory=list)  # positions of links to its own outlet
    links: list[CitedLink] = field(default_factory=list)  # counted external links, in order
    findings: list[Finding] = field(default_factory=list)
    citations: int = 0  # its citations but unlinked attributions (those are findings)
    pictures: int = 0  # pictures linked to their image files: body links, not citations
    # Inferred sources not counted (AnalysisOptions.count_inferred off): outlet key -> citations.
    apart: Counter[str] = field(default_factory=Counter)
    # Recovered and inferred citations (inferred: not of its own outlet), counted or apart.
    provenance: Counter[ProvenanceKind] = field(default_factory=Counter)

    def by_provenance(self) -> dict[str, Counter[str]]:
        """Counted citations per outlet key and provenance ("linked", "recovered", ...)."""
        found: dict[str, Counter[str]] = {}
        for link in self.links:
            found.setdefault(link.source.key, Counter())[link.provenance.value] += 1
        return found

    def tally(self, extraction: Extraction) -> ArticleTally:
        article = extraction.article
        return ArticleTally(
            article_id=article.id,
            site=article.site or "unknown",
            published=article.published,
            citations=self.citations,
            internal=len(self.internal),
            outlets=self.counts,
            kinds=self.kinds,
        )


class _Collector:
    """One pass over the extractions: outlets, internal links, tallies and findings."""

    def __init__(self, registry: Registry, status: Mapping[str, LinkStatus],
                 options: AnalysisOptions) -> None:
        self.registry = registry
        self.status = status
        self.options = options
        self.articles: list[Article] = []
        self.citations: list[Citation] = []
        self.findings: list[Finding] = []
        self.sources_by_url: dict[str, Source] = {}
        self.internal: set[tuple[str, int]] = set()
        self.links: list[CitedLink] = []
        self.tallies: list[ArticleTally] = []
        self.outlets: dict[str, _OutletTally] = {}
        self.article_outlets: dict[str, frozenset[str]] = {}
        # Inferred sources the metrics do not count (see AnalysisOptions.count_inferred).
        self.inferred_outlets: dict[str, _OutletTally] = {}
        self.inferred_sources: dict[str, Source] = {}
        self.provenance: Counter[ProvenanceKind] = Counter()
        self.pictures = 0

    def inferred_source(self, key: str) -> Source:
        """The Source an inferred citation names (a registry outlet or a law source)."""
        source = self.inferred_sources.get(key)
        if source is None:
            source = self.inferred_sources[key] = source_for_key(self.registry, key)
        return source

    def _inferred(self, article: Article, citation: Citation, scan: ArticleScan) -> None:
        """Scan one inferred citation: counted like a link, or kept apart."""
        source = self.inferred_source(citation.provenance.source_key or "")
        if source.key in scan.own:
            return
        scan.provenance[ProvenanceKind.INFERRED] += 1
        if self.options.count_inferred:
            scan.counts[source.key] += 1
            scan.kinds[source.kind.value] += 1
            scan.links.append(CitedLink(article.id, source, "", citation.text,
                                        ProvenanceKind.INFERRED, citation.provenance.evidence))
        else:
            scan.apart[source.key] += 1

    def source_of(self, url: str) -> Source:
        """The outlet of a URL; a shortened link is classified by its checked final URL."""
        source = self.sources_by_url.get(url)
        if source is None:
            source = self.registry.classify(url)
            checked = self.status.get(url)
            if source.rule == "shortener" and checked and checked.latest.final_url:
                source = self.registry.classify(checked.latest.final_url)
            self.sources_by_url[url] = source
        return source

    def scan(self, extraction: Extraction) -> ArticleScan:
        """What one article contributes: its outlets, internal links, links and findings."""
        article = extraction.article
        scan = ArticleScan(own_outlets(article, self.registry))
        own = scan.own
        checked: list[Finding] = []  # from the check history, after the text's own findings
        for citation in extraction.citations:
            if citation.provenance.kind is ProvenanceKind.INFERRED:
                self._inferred(article, citation, scan)
            if citation.kind is CitationKind.UNLINKED:
                continue  # the attribution's finding comes from the text, below
            if citation.kind is CitationKind.PICTURE:
                scan.pictures += 1  # no source: only what a check found and a credential
            else:
                scan.citations += 1
            if citation.provenance.kind is ProvenanceKind.RECOVERED:
                scan.provenance[ProvenanceKind.RECOVERED] += 1
            status = self.status.get(citation.url) if citation.url else None
            if status is not None:
                finding = status_finding(citation, status)
                if finding is not None:
                    checked.append(finding)
            source: Source | None = None
            self_citation = False
            if citation.url and citation.kind in LINK_KINDS:
                source = self.source_of(citation.url)
                if citation.kind is CitationKind.INTERNAL or source.key in own:
                    scan.internal.append(citation.position)
                    self_citation = citation.kind is CitationKind.EXTERNAL
                else:
                    scan.counts[source.key] += 1
                    scan.kinds[source.kind.value] += 1
                    scan.links.append(CitedLink(article.id, source, citation.url, citation.text,
                                                citation.provenance.kind))
            scan.findings.extend(citation_findings(
                citation, source, self_citation=self_citation, registry=self.registry,
                status=status))
        if self.options.attributions and extraction.sentences:
            scan.findings.extend(
                unlinked_attributions(article.id, extraction.sentences, self.registry, own,
                                      lost_outlets(extraction.citations, self.registry))
            )
        scan.findings.extend(checked)
        return scan

    def add(self, extraction: Extraction) -> None:
        article = extraction.article
        self.articles.append(article)
        self.citations.extend(extraction.citations)
        scan = self.scan(extraction)
        self.provenance.update(scan.provenance)
        self.pictures += scan.pictures
        self.internal.update((article.id, position) for position in scan.internal)
        self.links.extend(scan.links)
        self.findings.extend(scan.findings)
        for link in scan.links:
            if link.source.key not in self.outlets:  # no throwaway tally per citation
                self.outlets[link.source.key] = _OutletTally(link.source)
            self.outlets[link.source.key].by_provenance[link.provenance.value] += 1
        for key, count in scan.counts.items():
            self.outlets[key].cited_by(count, article.published)
        for key, count in scan.apart.items():
            if key not in self.inferred_outlets:
                self.inferred_outlets[key] = _OutletTally(self.inferred_source(key))
            self.inferred_outlets[key].by_provenance[ProvenanceKind.INFERRED.value] += count
            self.inferred_outlets[key].cited_by(count, article.published)
        self.article_outlets[article.id] = frozenset(scan.counts)
        self.tallies.append(scan.tally(extraction))


def analyse(
    extractions: Iterable[Extraction],
    *,
    link_status: Mapping[str, LinkStatus] | None = None,
    registry: Registry | None = None,
    options: AnalysisOptions | None = None,
) -> Analysis:
    """Compute the analysis of a set of extracted articles.

    Outlets come from *registry* (the packaged one by default); *link_status* (by URL, from the
    store's check history) turns dead, soft-404, blocked and redirected links into findings.

    >>> from linkgraph.records import Article, BodyKind, Origin
    >>> art = Article("a1", "https://example.org/1", "example.org", "T", None, None,
    ...               Origin("x.json"), "<p>Hi</p>", BodyKind.FRAGMENT)
    >>> analyse([Extraction(art, ())]).summary.articles
    1
    """
    registry = registry or default_registry()
    options = options or AnalysisOptions()
    status = dict(link_status or {})
    run = _Collector(registry, status, options)
    # The same article read twice (a list and its single-post copies) counts once: the last
    # copy wins, at the place of the first, as re-ingesting replaces an article in the store.
    unique: dict[str, Extraction] = {}
    for extraction in extractions:
        unique[extraction.article.id] = extraction
    for extraction in unique.values():
        run.add(extraction)
    articles, links, outlets, tallies = run.articles, run.links, run.outlets, run.tallies
    stats: dict[str, ArticleStats] = {t.article_id: article_stats(t) for t in tallies}
    graph = build_graph(articles, links,
                        outlet_articles={k: t.articles for k, t in outlets.items()})
    ranks = pagerank(graph)
    external_total = len(links)
    outlet_stats = _outlet_stats(outlets, ranks, external_total)
    inferred_stats = _outlet_stats(run.inferred_outlets, {}, 0)
    for node in graph.nodes:
        if node in ranks:
            graph.nodes[node]["pagerank"] = ranks[node]
    cocitation = coupling = None
    if options.projections:
        cocitation = outlet_cocitation(run.article_outlets, max_nodes=options.cocitation_limit,
                                       min_shared=options.min_shared, seed=options.seed)
        coupling = article_coupling(run.article_outlets, max_nodes=options.coupling_limit,
                                    min_shared=options.min_shared,
                                    neighbours=options.coupling_neighbours, seed=options.seed)
    summary = Summary(
        articles=len(articles),
        citations=sum(1 for c in run.citations if c.kind not in NOT_CITATIONS),
        external=external_total,
        internal=len(run.internal),
        outlets=len(outlets),
        findings=len(run.findings),
        registry_version=registry.version,
        recovered=run.provenance[ProvenanceKind.RECOVERED],
        inferred=run.provenance[ProvenanceKind.INFERRED],
        counted="linked + recovered + inferred" if options.count_inferred
        else "linked + recovered",
        pictures=run.pictures,
    )
    log.debug("analysed %d articles, %d citations, %d outlets", len(articles), len(run.citations),
              len(outlets))
    return Analysis(
        articles=tuple(articles),
        citations=tuple(run.citations),
        outlets=tuple(outlet_stats),
        article_stats=tuple(stats[t.article_id] for t in tallies),
        periods=period_stats(tallies, stats) if options.periods else (),
        findings=tuple(run.findings),
        link_status=status,
        graph=graph,
        sources_by_url=run.sources_by_url,
        internal_citations=frozenset(run.internal),
        cocitation=cocitation,
        coupling=coupling,
        summary=summary,
        inferred_outlets=tuple(inferred_stats),
        inferred_sources=run.inferred_sources,
    )


def _outlet_stats(outlets: Mapping[str, _OutletTally], ranks: Mapping[Hashable, float],
                  total: int) -> list[OutletStats]:
    """Outlet rows, most cited first (*total*: the citations a share is of; 0 for none)."""
    return sorted(
        (
            OutletStats(
                source=t.source,
                citations=t.citations,
                articles=t.articles,
                share=t.citations / total if total else 0.0,
                first_cited=t.first,
                last_cited=t.last,
                pagerank=ranks.get(source_node(key), 0.0),
                linked=t.by_provenance["linked"],
                recovered=t.by_provenance["recovered"],
                inferred=t.by_provenance["inferred"],
            )
            for key, t in outlets.items()
        ),
        key=lambda o: (-o.citations, -o.articles, o.source.key),
    )
