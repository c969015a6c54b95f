"""Citation hygiene: what an editor should fix, as ``Finding`` records.

* per citation: a link that embeds a user name or password (removed at extraction: the
  finding says so, never what they were), problem kinds from extraction (lost, invalid,
  ``javascript:``, unresolvable),
  homepage links, shortened links, tracking parameters, ``http:`` links (only where
  a check saw the site serve the page over https), self-citations (a link to a sister domain of the
  article's own outlet), second-hand citations (the anchor names one registry outlet, the link
  goes to another);
* per checked URL (``LinkStatus``): dead (confirmed or still failing), soft 404, blocked,
  redirected (with the final URL);
* per sentence: unlinked attributions (``linkgraph.analysis.attribution``).
"""

from __future__ import annotations

from typing import Final

from linkgraph.analysis.records import Finding, FindingKind
from linkgraph.records import Citation, CitationKind, LinkStatus, Source, SourceKind, Verdict
from linkgraph.sources import SHORTENER_HOSTS, Registry
from linkgraph.sources.names import name_index, names_in
from linkgraph.urls import grouping_key, hostname, is_homepage, tracking_params, without_www

PROBLEM_FINDINGS: Final = {
    CitationKind.LOST: FindingKind.LOST,
    CitationKind.INVALID: FindingKind.INVALID,
    CitationKind.JAVASCRIPT: FindingKind.JAVASCRIPT,
    CitationKind.UNRESOLVABLE: FindingKind.UNRESOLVABLE,
}
MAX_NAMING_ANCHOR: Final = 80  # characters: a longer anchor text is a quotation


def citation_findings(
    citation: Citation,
    source: Source | None,
    *,
    self_citation: bool,
    registry: Registry,
    status: LinkStatus | None = None,
) -> list[Finding]:
    """Hygiene findings of one citation (*source* is its outlet, when it has a URL)."""
    found: list[Finding] = []

    def add(kind: FindingKind, detail: str = "") -> None:
        found.append(Finding(citation.article_id, kind, citation.text, citation.context,
                             citation.url, citation.position, detail))

    if citation.credentials:
        add(FindingKind.CREDENTIALS, "user name or password removed from this report")
    problem = PROBLEM_FINDINGS.get(citation.kind)
    if problem is not None:
        add(problem, citation.href or "")
        return found
    if citation.kind is not CitationKind.EXTERNAL or not citation.url or source is None:
        return found
    url = citation.url
    host = without_www(hostname(url) or "")
    if host in SHORTENER_HOSTS:
        add(FindingKind.SHORTENED, host)
    elif is_homepage(url) and not url.partition("#")[2]:
        # A fragment names a part of the page (a section of a one-page spec, a hashbang
        # account): a deep link, not a link to the front page.
        add(FindingKind.HOMEPAGE, source.name)
    params = tracking_params(url) if "?" in url else []
    if params:
        add(FindingKind.TRACKING, ", ".join(params))
    if url.startswith("http:"):
        # Claimed only when a check saw the site move the page to https: an unchecked http:
        # link is not evidence that https works (the report counts those apart, unverified).
        final = status.latest.final_url if status is not None else None
        if final and final.startswith("https:") and grouping_key(final) == grouping_key(url):
            add(FindingKind.INSECURE, f"confirmed: the site serves it over https ({final})")
    if self_citation:
        add(FindingKind.SELF_CITATION, source.name)
    # A long anchor is a quotation, not a name: "... said Deutsche Welle ..." in a quote that
    # links to the newspaper that printed it is not a second-hand citation.
    # A link to a wiki page about the outlet it names is an entity link, not a citation.
    named = (named_outlet(citation.text, registry)
             if len(citation.text) <= MAX_NAMING_ANCHOR and source.kind is not SourceKind.WIKI
             else None)
    if named is not None and named.key != source.key and host not in SHORTENER_HOSTS:
        add(FindingKind.SECOND_HAND, f"anchor names {named.name}; the link goes to {source.name}")
    return found


def named_outlet(text: str, registry: Registry) -> Source | None:
    """The registry outlet whose name (or alias) appears in *text*, longest name first."""
    found = names_in(text, registry)
    if not found:
        return None
    name = max(found, key=len)
    entry = registry.entry(name_index(registry)[name])
    if entry is None:  # pragma: no cover - the index is built from the registry
        return None
    return Source(entry.key, entry.name, entry.kind, entry.country, "named")


def status_finding(citation: Citation, status: LinkStatus) -> Finding | None:
    """The finding the check history *status* of a citation's URL gives, if any."""
    latest = status.latest
    kind: FindingKind | None = None
    detail = ""
    if latest.verdict is Verdict.DEAD or (status.confirmed_dead and
                                           latest.verdict is not Verdict.SOFT_404):
        kind = FindingKind.DEAD
        detail = (f"confirmed dead after {status.checks} checks" if status.confirmed_dead
                  else f"failing ({status.failures} failing check(s), not yet confirmed)")
        if latest.status:
            detail += f"; HTTP {latest.status}"
    elif latest.verdict is Verdict.SOFT_404:
        kind = FindingKind.SOFT_404
        detail = "the page answers 200 but reads as not found"
    elif latest.verdict is Verdict.BLOCKED:
        kind = FindingKind.BLOCKED
        detail = f"HTTP {latest.status}" if latest.status else "blocked"
    elif latest.verdict is Verdict.REDIRECTED and latest.final_url and \
            grouping_key(latest.final_url) != grouping_key(citation.url or ""):
        # (a redirect that only adds https, "www." or a slash is not worth an edit)
        kind = FindingKind.REDIRECTED
        detail = latest.final_url
        if is_homepage(latest.final_url) and not is_homepage(citation.url or ""):
            detail += " (a homepage)"
    if kind is None:
        return None
    return Finding(citation.article_id, kind, citation.text, citation.context, citation.url,
                   citation.position, detail)
