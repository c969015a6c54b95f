"""The rows every report format shares: headline numbers, problems, citations, outlets.

Pure functions over an ``Analysis``; the writers (HTML, Markdown, JSON, charts) only format.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from linkgraph.analysis.records import Analysis, Finding, FindingKind, OutletStats
from linkgraph.records import (
    FAILING_VERDICTS,
    NOT_CITATIONS,
    Citation,
    CitationKind,
    LinkStatus,
    ProvenanceKind,
    Source,
    Verdict,
)
from linkgraph.urls import without_www

# Order of problems within an article's list when they share a position: worst first.
SEVERITY: Final = (
    FindingKind.DEAD,
    FindingKind.LOST,
    FindingKind.SOFT_404,
    FindingKind.INVALID,
    FindingKind.JAVASCRIPT,
    FindingKind.UNRESOLVABLE,
    FindingKind.CREDENTIALS,
    FindingKind.BLOCKED,
    FindingKind.REDIRECTED,
    FindingKind.UNLINKED_ATTRIBUTION,
    FindingKind.SECOND_HAND,
    FindingKind.HOMEPAGE,
    FindingKind.SHORTENED,
    FindingKind.TRACKING,
    FindingKind.INSECURE,
    FindingKind.SELF_CITATION,
)
_RANK: Final = {kind: i for i, kind in enumerate(SEVERITY)}

FINDING_LABELS: Final = {
    FindingKind.LOST: "lost link (anchor text without href)",
    FindingKind.INVALID: "invalid URL",
    FindingKind.JAVASCRIPT: "javascript: link",
    FindingKind.UNRESOLVABLE: "relative link, no base URL",
    FindingKind.DEAD: "dead",
    FindingKind.SOFT_404: "soft 404 (page says not found)",
    FindingKind.BLOCKED: "blocked (bot wall or 403)",
    FindingKind.REDIRECTED: "redirected",
    FindingKind.UNLINKED_ATTRIBUTION: "attribution without a link",
    FindingKind.SECOND_HAND: "second-hand citation",
    FindingKind.HOMEPAGE: "links a homepage, not the page",
    FindingKind.SHORTENED: "shortened URL",
    FindingKind.TRACKING: "tracking parameters",
    FindingKind.INSECURE: "http: where https works",
    FindingKind.SELF_CITATION: "self-citation",
    FindingKind.CREDENTIALS: "link embeds a user name or password",
}


def finding_label(kind: FindingKind | str) -> str:
    """Human words for a finding kind."""
    try:
        return FINDING_LABELS[FindingKind(kind)]
    except ValueError:
        return str(kind).replace("_", " ")


@dataclass(frozen=True, slots=True)
class Headline:
    """The numbers at the top of every report."""

    articles: int
    citations: int
    external: int
    internal: int
    outlets: int
    problems: int
    lost: int
    checked_urls: int
    failing_urls: int  # latest check dead or soft-404
    confirmed_dead: int
    median_effective_sources: float | None
    recovered: int = 0  # links restored from an original copy (counted like linked ones)
    inferred: int = 0  # sources inferred from the text (lost links and unlinked attributions)
    counted: str = "linked + recovered"  # what the metrics count
    pictures: int = 0  # pictures linked to their image files: set apart, not sources


class OutletIndex:
    """Finds the outlet of a citation: URL-prefix keys (``x.com/ukrinform``) before domains."""

    def __init__(
        self, outlets: Iterable[OutletStats], sources_by_url: Mapping[str, Source] | None = None,
        inferred: Iterable[OutletStats] = (),
    ) -> None:
        self.sources_by_url: Mapping[str, Source] = sources_by_url or {}
        self.by_key: dict[str, OutletStats] = {}
        # Outlets named only by inferred citations the metrics do not count.
        self.inferred: dict[str, OutletStats] = {o.source.key: o for o in inferred}
        prefixes: list[tuple[str, OutletStats]] = []
        for outlet in outlets:
            self.by_key[outlet.source.key] = outlet
            if "/" in outlet.source.key:
                prefixes.append((outlet.source.key.rstrip("/"), outlet))
        self._prefixes = sorted(prefixes, key=lambda p: -len(p[0]))

    def get(self, key: str) -> OutletStats | None:
        """The outlet with this key, counted or inferred only."""
        return self.by_key.get(key) or self.inferred.get(key)

    def of(self, citation: Citation) -> OutletStats | None:
        """The outlet *citation* points at (or, inferred, names), or ``None`` (internal, lost
        with nothing inferred, unknown)."""
        if citation.provenance.kind is ProvenanceKind.INFERRED:
            key = citation.provenance.source_key or ""
            return self.by_key.get(key) or self.inferred.get(key)
        if citation.kind is not CitationKind.EXTERNAL or not citation.domain:
            return None
        source = self.sources_by_url.get(citation.url) if citation.url else None
        if source is not None:  # the analysis classified this URL: trust it
            return self.by_key.get(source.key)
        if self._prefixes and citation.url:
            rest = citation.url.split("://", 1)[-1].lower()
            rest = without_www(rest)
            for prefix, outlet in self._prefixes:
                if rest == prefix or rest.startswith(prefix + "/"):
                    return outlet
        return self.by_key.get(citation.domain)


def outlet_index(analysis: Analysis) -> OutletIndex:
    """The :class:`OutletIndex` of *analysis* (using its URL classification when present)."""
    return OutletIndex(analysis.outlets, analysis.sources_by_url, analysis.inferred_outlets)


def problems(analysis: Analysis) -> tuple[Finding, ...]:
    """The findings of *analysis* (``analyse`` owns them), in reading order.

    Sorted by article (input order), then position, then severity.
    """
    order = {article.id: i for i, article in enumerate(analysis.articles)}
    return tuple(sorted(
        analysis.findings,
        key=lambda f: (
            order.get(f.article_id, len(order)),
            f.position if f.position is not None else 1 << 30,
            _RANK.get(f.kind, len(_RANK)),
        ),
    ))


def status_detail(status: LinkStatus) -> str:
    """One line on a check result: ``dead (404), confirmed``, ``redirected -> URL``."""
    latest = status.latest
    words = str(latest.verdict).replace("_", " ")
    if latest.status is not None:
        words += f" ({latest.status})"
    elif latest.error:
        words += f" ({latest.error})"
    if latest.verdict is Verdict.REDIRECTED and latest.final_url:
        words += f" -> {latest.final_url}"
    if status.confirmed_dead:
        words += ", confirmed over repeated checks"
    return words


def citation_status(citation: Citation, link_status: Mapping[str, LinkStatus]) -> str:
    """The check verdict of a citation's URL, or ``""`` when it was not checked."""
    if citation.url is None:
        return ""
    status = link_status.get(citation.url)
    return "" if status is None else status_detail(status)


def is_failing(status: LinkStatus) -> bool:
    """Latest check dead or soft-404."""
    return status.latest.verdict in FAILING_VERDICTS


def cited_links(analysis: Analysis) -> int:
    """The citations the headline and the console count: links, lost ones included; not the
    sentences that credit an outlet with no link at all (those are attribution findings), nor
    pictures linked to their image files (``Headline.pictures``)."""
    return sum(1 for c in analysis.citations if c.kind not in NOT_CITATIONS)


def headline(analysis: Analysis, found: tuple[Finding, ...]) -> Headline:
    """The headline numbers of *analysis* (``found`` from :func:`problems`)."""
    kinds = Counter(c.kind for c in analysis.citations)
    cited = cited_links(analysis)
    # The summary counts links to a sister domain of the article's own outlet as internal.
    external, internal = analysis.summary.external, analysis.summary.internal
    statuses = analysis.link_status.values()
    effective = [s.effective_sources for s in analysis.article_stats if s.external]
    return Headline(
        articles=len(analysis.articles),
        citations=cited,
        external=external,
        internal=internal,
        outlets=len(analysis.outlets),
        problems=len(found),
        lost=kinds[CitationKind.LOST],
        checked_urls=len(analysis.link_status),
        failing_urls=sum(1 for s in statuses if is_failing(s)),
        confirmed_dead=sum(1 for s in statuses if s.confirmed_dead),
        median_effective_sources=round(statistics.median(effective), 2) if effective else None,
        recovered=analysis.summary.recovered,
        inferred=analysis.summary.inferred,
        counted=analysis.summary.counted,
        pictures=analysis.summary.pictures,
    )


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """Findings that say the same thing (kind, URL or anchor text, detail): one table row."""

    first: Finding  # the first of them, in reading order
    count: int
    articles: int  # distinct articles among them


def grouped_problems(found: Sequence[Finding]) -> list[ProblemGroup]:
    """*found* (in reading order) with repeated findings folded into one group each, in the
    order of their first occurrence: a tracking parameter on the same link in 40 articles is
    one row with a count, not 40 rows."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in found:
        key = (str(finding.kind), finding.url or finding.text, finding.detail)
        groups.setdefault(key, []).append(finding)
    return [
        ProblemGroup(members[0], len(members), len({f.article_id for f in members}))
        for members in groups.values()
    ]


def unchecked_http_links(analysis: Analysis) -> int:
    """External ``http:`` citations whose URL was never checked: whether https works for them
    is unknown, so they are counted apart instead of being called problems."""
    return sum(
        1 for c in analysis.citations
        if c.kind is CitationKind.EXTERNAL and c.url is not None and c.url.startswith("http:")
        and c.url not in analysis.link_status
    )


def problem_counts(found: Iterable[Finding]) -> list[tuple[FindingKind, int]]:
    """(kind, count) by severity."""
    counts = Counter(f.kind for f in found)
    return sorted(counts.items(), key=lambda kv: _RANK.get(kv[0], len(_RANK)))


def findings_by_position(
    found: Iterable[Finding], article_id: str
) -> dict[int, list[Finding]]:
    """One article's citation findings by citation position, in the order of *found*."""
    by_position: dict[int, list[Finding]] = {}
    for f in found:
        if f.article_id == article_id and f.position is not None:
            by_position.setdefault(f.position, []).append(f)
    return by_position


def citations_of(analysis: Analysis, article_id: str) -> list[Citation]:
    """One article's citations in document order."""
    return sorted(
        (c for c in analysis.citations if c.article_id == article_id), key=lambda c: c.position
    )


def listed_citations(
    analysis: Analysis, article_id: str, found: tuple[Finding, ...]
) -> tuple[list[Citation], int]:
    """The citations a reader of the report wants listed, and how many in-page links were left
    out: footnote marks and contents entries (kind ``fragment``) name no source, and on a
    Wikipedia-like page they would bury the sources; those with a problem stay listed."""
    flagged = {f.position for f in found if f.article_id == article_id}
    listed: list[Citation] = []
    skipped = 0
    for c in citations_of(analysis, article_id):
        if c.kind is CitationKind.FRAGMENT and c.position not in flagged:
            skipped += 1
        else:
            listed.append(c)
    return listed, skipped


def in_page_note(skipped: int) -> str:
    """The line said under the citation table when in-page links were left out."""
    return (f"{skipped:,} in-page link(s) (footnote marks, contents entries) are not listed;"
            " report.json has every citation.")


def shorten(text: str, limit: int) -> str:
    """*text* cut to *limit* characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


PROVENANCE_LABELS: Final = {
    ProvenanceKind.LINKED: "linked",
    ProvenanceKind.RECOVERED: "recovered",
    ProvenanceKind.INFERRED: "inferred",
    ProvenanceKind.MISSING: "missing",
}


def provenance_detail(citation: Citation) -> str:
    """How a citation's target is known, in words: ``inferred (outlet-attributed, 0.75):
    according to ... Ukrinform``, ``recovered from URL at TIME``, ``missing: why``."""
    p = citation.provenance
    if p.kind is ProvenanceKind.INFERRED:
        conf = f", {p.confidence:.2f}" if p.confidence is not None else ""
        note = f"; {p.note}" if p.note else ""
        return f"inferred ({p.rule}{conf}): {p.evidence}{note}"
    if p.kind is ProvenanceKind.RECOVERED:
        when = f" at {p.recovered_at:%Y-%m-%d %H:%M}" if p.recovered_at else ""
        return f"recovered from {p.recovered_from or 'an original copy'}{when}"
    if p.kind is ProvenanceKind.MISSING:
        return f"missing: {p.note}" if p.note else "missing"
    return "linked"


@dataclass(frozen=True, slots=True)
class LostLink:
    """What became of one lost link, and why (the single-article report lists them)."""

    article_id: str
    position: int
    text: str
    context: str
    outcome: str  # recovered, inferred or missing
    source: str  # the outlet's name (and key) when recovered or inferred
    detail: str  # provenance_detail


def lost_links(analysis: Analysis, index: OutletIndex) -> list[LostLink]:
    """Every lost link of *analysis* with its outcome, in reading order."""
    rows: list[LostLink] = []
    for c in analysis.citations:
        if c.kind is not CitationKind.LOST and c.provenance.kind is not ProvenanceKind.RECOVERED:
            continue
        outlet = index.of(c)
        source = f"{outlet.source.name} ({outlet.source.key})" if outlet else ""
        if not source and c.provenance.source_key:
            source = c.provenance.source_key
        rows.append(LostLink(c.article_id, c.position, c.text, c.context,
                             c.provenance.kind.value, source, provenance_detail(c)))
    return rows


def counted_note(head: Headline) -> str:
    """The sentence that says what the metrics count."""
    if "inferred" in head.counted:
        return ("Metrics (diversity, PageRank, top sources) count linked, recovered and inferred"
                " sources (--count-inferred).")
    note = "Metrics (diversity, PageRank, top sources) count linked and recovered links"
    if head.inferred:
        note += (f"; the {head.inferred:,} inferred source(s) are drawn dashed and listed apart,"
                 " not counted (--count-inferred counts them)")
    return note + "."


def provenance_counts(outlet: OutletStats) -> str:
    """``3 / 0 / 1``: an outlet's linked, recovered and inferred citations."""
    return f"{outlet.linked:,} / {outlet.recovered:,} / {outlet.inferred:,}"
