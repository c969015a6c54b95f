"""``report.md``: the report's tables in Markdown, images linked beside it.

Every string from an article is escaped: Markdown passes raw HTML through, so ``<`` and ``>``
become entities, and table and emphasis characters are backslash-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from linkgraph.analysis.records import Analysis, Finding
from linkgraph.records import ProvenanceKind
from linkgraph.report.meta import ReportMeta
from linkgraph.report.style import kind_label
from linkgraph.report.tables import (
    Headline,
    OutletIndex,
    citation_status,
    counted_note,
    finding_label,
    findings_by_position,
    grouped_problems,
    in_page_note,
    listed_citations,
    lost_links,
    problem_counts,
    provenance_counts,
    provenance_detail,
    shorten,
    unchecked_http_links,
)

MAX_PROBLEM_ROWS: Final = 2_000
MAX_CITATION_ROWS: Final = 1_000
MAX_SOURCE_ROWS: Final = 300
MAX_LOST_ROWS: Final = 500  # the lost-link table of a corpus report (a single article: all)
_SPECIAL: Final = str.maketrans({
    "\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]",
    "#": "\\#", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": " ", "\r": " ",
})
CHART_TITLES: Final = {
    "graph": "Article-to-source network",
    "top_sources": "Top sources",
    "source_kinds": "Source kinds",
    "link_status": "Link status",
    "link_rot": "Link rot by publication year",
    "diversity": "Source diversity across articles",
}


# One plain sentence per number a report shows (HTML and Markdown alike).
GLOSSARY: Final = (
    ("citations", "Links in the article text (menus, share buttons and the like are left "
     "out); internal ones point to the publication's own site or its sister sites."),
    ("outlet", "Who stands behind a link: a news agency, a newspaper, a ministry, a polling "
     "firm... Several web addresses can belong to one outlet."),
    ("share", "An outlet's part of all external citations."),
    ("effective sources", "How many outlets an article really leans on: 1 divided by HHI, the "
     "sum of each outlet's squared share of the article's links. Four links to four outlets "
     "give 4; four links to one outlet give 1."),
    ("entropy (bits)", "Another measure of spread across outlets: 0 when every link goes to one "
     "outlet, 2 bits for an even spread over four."),
    ("internal share", "The part of an article's links that stay on its own site."),
    ("PageRank", "An outlet's weight in the network: high when many articles cite it, and "
     "higher when those articles cite few other outlets."),
    ("co-citation backbone", "Two outlets are tied when the same articles cite both; the graph "
     "keeps only the strongest ties so that the picture stays readable."),
    ("coupling", "Two articles are coupled when they cite the same outlets."),
    ("communities", "Groups of outlets (or articles) more tied to each other than to the rest "
     "(Louvain method); modularity, from 0 to 1, says how clear-cut the groups are."),
    ("lost link", "Anchor text whose link was stripped (the <a href> is gone, the closing tag "
     "is left): the article names a source the reader can no longer open."),
    ("link embeds a user name or password", "The link's address carried a login "
     "(https://user:password@...): anyone reading the page can use it. linkgraph removed it "
     "from this report; remove it from the article and change the password."),
    ("dead, soft 404, blocked", "From a check: dead answers 404/410 or does not exist; soft 404 "
     "answers 200 with a 'not found' page; blocked means a bot wall answered, which says "
     "nothing about the link itself."),
    ("confirmed dead", "Failed on at least 3 checks spread over at least 3 days; a failure of "
     "the network never counts toward it."),
    ("×N", "A problem repeated on the same link or text is one row, with how often it occurs."),
)


def md(text: object) -> str:
    """*text* safe inside Markdown (and inside a table cell)."""
    return str(text).translate(_SPECIAL)


class Url(str):
    """A cell holding a URL: written as an autolink when that is safe, else as escaped text."""

    __slots__ = ()


def _cell(value: object) -> str:
    if isinstance(value, Url):
        text = str(value)
        if text.lower().startswith(("http://", "https://")) and not any(
            ch in text for ch in " \t\n<>|`\\"
        ):
            return f"<{text}>"  # no escapes are processed inside an autolink
    return md(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def headline_rows(head: Headline) -> list[tuple[str, str]]:
    """(label, value) of the headline numbers, shared with the HTML page."""
    rows = [
        ("articles", f"{head.articles:,}"),
        ("citations (links, lost ones included)", f"{head.citations:,}"),
        ("external / internal", f"{head.external:,} / {head.internal:,}"),
        ("outlets cited", f"{head.outlets:,}"),
        ("problems", f"{head.problems:,}"),
        ("lost links", f"{head.lost:,}"),
    ]
    if head.pictures:
        rows.append(("links to pictures, not counted as sources", f"{head.pictures:,}"))
    if head.recovered:
        rows.append(("recovered links", f"{head.recovered:,}"))
    if head.inferred:
        counted = "counted" if "inferred" in head.counted else "not counted"
        rows.append(("inferred sources", f"{head.inferred:,} ({counted})"))
    if head.checked_urls:
        rows += [
            ("URLs checked", f"{head.checked_urls:,}"),
            ("failing (dead or soft-404)", f"{head.failing_urls:,}"),
            ("confirmed dead", f"{head.confirmed_dead:,}"),
        ]
    if head.median_effective_sources is not None:
        rows.append(("median effective sources", f"{head.median_effective_sources:g}"))
    return rows


PERIOD_HEADER: Final = (
    "site", "month", "articles", "citations", "outlets", "mean effective sources",
    "entropy (bits)",
)


def period_rows(analysis: Analysis) -> list[tuple[str, ...]]:
    """Rows of the diversity-by-month table (latest months first, at most 240)."""
    periods = sorted(analysis.periods, key=lambda p: (p.month, p.site), reverse=True)[:240]
    return [
        (p.site, p.month, f"{p.articles:,}", f"{p.citations:,}", f"{p.sources:,}",
         f"{p.mean_effective_sources:.2f}", f"{p.entropy:.2f}")
        for p in periods
    ]


def render_markdown(
    analysis: Analysis,
    *,
    meta: ReportMeta,
    head: Headline,
    found: tuple[Finding, ...],
    images: Sequence[str],
    index: OutletIndex,
) -> str:
    """The whole ``report.md``; *images* are file names beside it (``graph.png``, ...)."""
    single = len(analysis.articles) == 1
    titles = {a.id: a.title or a.id for a in analysis.articles}
    out: list[str] = []
    if single:
        article = analysis.articles[0]
        out += [f"# Link report: {md(article.title or article.id)}", ""]
        out += [f"- URL: {md(article.url or 'unknown')}",
                f"- Published: {article.published.date() if article.published else 'unknown'}",
                f"- Input: {md(article.origin)}"]
        out += [f"- Warning: {md(w)}" for w in article.warnings]
        out.append("")
    else:
        out += [f"# Link report: {head.articles:,} articles", ""]
    out += ["## Headline", ""]
    out += _table(["", ""], headline_rows(head))
    out += [md(counted_note(head)), ""]
    for note in meta.notes:
        out += [f"**Note:** {md(note)}", ""]
    if single:
        out += ["## Citations in order, with problems", ""]
        out += _citation_table(analysis, analysis.articles[0].id, found, index)
    for image in images:
        stem = image.rsplit(".", 1)[0]
        out += [f"## {CHART_TITLES.get(stem, stem)}", "", f"![{md(CHART_TITLES.get(stem, stem))}]"
                f"({image})", ""]
    out += _lost_section(analysis, index, single=single)
    out += ["## Problems", ""]
    unchecked = unchecked_http_links(analysis)
    if unchecked:
        out += [f"{unchecked:,} external link(s) use http:. Whether their sites serve them over"
                " https is unverified: run the report with `--check` to find out.", ""]
    if found:
        out += _table(["problem", "count"], [(finding_label(k), f"{n:,}") for k, n in
                                             problem_counts(found)])
        groups = grouped_problems(found)
        rows = [
            (
                shorten(titles.get(g.first.article_id, g.first.article_id), 50)
                + (f" (and {g.articles - 1:,} more)" if g.articles > 1 else ""),
                "" if g.first.position is None else g.first.position + 1,
                finding_label(g.first.kind) + (f" ×{g.count:,}" if g.count > 1 else ""),
                g.first.text, g.first.context, Url(g.first.url or ""), g.first.detail,
            )
            for g in groups[:MAX_PROBLEM_ROWS]
        ]
        out += _table(["article", "#", "problem", "anchor text", "sentence", "URL", "detail"],
                      rows)
        if len(groups) > MAX_PROBLEM_ROWS:
            out += [f"{len(groups) - MAX_PROBLEM_ROWS:,} more rows in report.json.", ""]
    else:
        out += ["No problems found.", ""]
    out += _sources(analysis)
    if not single and analysis.periods:
        out += ["## Source diversity by site and month", ""]
        out += _table(PERIOD_HEADER, period_rows(analysis))
    if not single:
        out += ["## Citations", ""]
        rows_c = [
            (shorten(titles.get(c.article_id, c.article_id), 40), c.position + 1, c.kind, c.text,
             Url(c.url or c.href or ""), citation_status(c, analysis.link_status))
            for c in analysis.citations[:MAX_CITATION_ROWS]
        ]
        out += _table(["article", "#", "kind", "anchor text", "URL", "status"], rows_c)
        if len(analysis.citations) > MAX_CITATION_ROWS:
            out += [f"First {MAX_CITATION_ROWS:,} of {len(analysis.citations):,} citations;"
                    " all of them are in report.json.", ""]
    out += ["## What the numbers mean", ""]
    out += [f"- **{md(term)}**: {md(meaning)}" for term, meaning in GLOSSARY]
    out += ["", "## Reproducibility", ""]
    out += _table(["", ""], meta.rows())
    return "\n".join(out)


def _lost_section(analysis: Analysis, index: OutletIndex, *, single: bool) -> list[str]:
    """What became of each lost link (recovered, inferred, or missing and why)."""
    lost = lost_links(analysis, index)
    if not lost or (not single and len(lost) > MAX_LOST_ROWS):
        return []
    return ["## Lost links: what became of each", "", *_table(
        ["#", "anchor text", "outcome", "source", "how", "sentence"],
        [(x.position + 1, x.text, x.outcome, x.source, x.detail, x.context) for x in lost])]


def _sources(analysis: Analysis) -> list[str]:
    """The sources table (with each outlet's linked / recovered / inferred citations) and the
    inferred sources the metrics do not count."""
    out = ["## Sources", ""]
    rows_s = [
        (i + 1, o.source.name, o.source.key, kind_label(o.source.kind), o.source.country or "",
         f"{o.citations:,}", provenance_counts(o), f"{o.articles:,}", f"{o.share:.1%}",
         f"{o.pagerank:.4f}")
        for i, o in enumerate(analysis.outlets[:MAX_SOURCE_ROWS])
    ]
    out += _table(["#", "outlet", "key", "kind", "country", "citations",
                   "linked / recovered / inferred", "articles", "share", "pagerank"], rows_s)
    if len(analysis.outlets) > MAX_SOURCE_ROWS:
        out += [f"{len(analysis.outlets) - MAX_SOURCE_ROWS:,} more outlets in report.json.", ""]
    if analysis.inferred_outlets:
        out += ["## Inferred sources (not counted in the metrics)", "",
                "Named by the text of lost links and unlinked attributions; no link backs them.",
                ""]
        out += _table(["outlet", "key", "kind", "country", "inferred citations", "articles"],
                      [(o.source.name, o.source.key, kind_label(o.source.kind),
                        o.source.country or "", f"{o.citations:,}", f"{o.articles:,}")
                       for o in analysis.inferred_outlets[:MAX_SOURCE_ROWS]])
    return out


def _citation_table(
    analysis: Analysis, article_id: str, found: tuple[Finding, ...], index: OutletIndex
) -> list[str]:
    by_position = findings_by_position(found, article_id)
    listed, skipped = listed_citations(analysis, article_id, found)
    rows = []
    for c in listed:
        outlet = index.of(c)
        status = citation_status(c, analysis.link_status)
        labels = [
            finding_label(f.kind) + (f": {f.detail}" if f.detail and f.detail != status else "")
            for f in by_position.get(c.position, [])
        ]
        name = outlet.source.name if outlet else ""
        if name and c.provenance.kind is not ProvenanceKind.LINKED:
            name += f" ({c.provenance.kind.value})"
        rows.append((
            c.position + 1, c.paragraph + 1 if c.paragraph >= 0 else "", c.text,
            Url(c.url or c.href or ""), c.kind, name, status, "; ".join(labels),
            provenance_detail(c), c.context,
        ))
    table = _table(["#", "¶", "anchor text", "URL", "kind", "outlet", "check", "problems",
                    "how known", "sentence"], rows)
    return [*table, in_page_note(skipped), ""] if skipped else table
