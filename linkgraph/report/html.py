"""``index.html``: one self-contained page, no script, no network.

Images are embedded as PNG data URIs; a Content-Security-Policy forbids scripts and any
fetch, as a second wall behind escaping: every string from an article goes through
:func:`esc` (``html.escape`` with quotes) and attributes are always double-quoted.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Final

from linkgraph.analysis.records import Analysis, Finding, FindingKind
from linkgraph.records import PROBLEM_KINDS, ProvenanceKind
from linkgraph.report.markdown import (
    CHART_TITLES,
    GLOSSARY,
    MAX_LOST_ROWS,
    PERIOD_HEADER,
    headline_rows,
    period_rows,
)
from linkgraph.report.meta import ReportMeta
from linkgraph.report.style import kind_colour, kind_label
from linkgraph.report.tables import (
    Headline,
    OutletIndex,
    ProblemGroup,
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

MAX_PROBLEM_ROWS: Final = 1_000  # rows per kind of problem (the rest are in report.json)
TOP_PROBLEM_ROWS: Final = 10  # rows of a kind shown when it is opened; the rest fold again
OPEN_PROBLEM_ROWS: Final = 20  # up to this many rows in all, every kind starts open
MAX_SOURCE_ROWS: Final = 300
OPEN_SOURCE_ROWS: Final = 40  # a longer sources table starts folded
CSP: Final = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"
CSS: Final = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK KR",sans-serif;
 margin:0 auto;max-width:1200px;padding:1.5rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
.sub{color:#666;margin:.1rem 0}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:8rem}
.card b{display:block;font-size:1.35rem}.card span{color:#666;font-size:.85rem}
.card.bad b{color:#c62828}
img{max-width:100%;height:auto;border:1px solid #eee}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1rem}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.6rem 0}
.scroll{overflow-x:auto;max-width:100%}
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .45rem;text-align:left;vertical-align:top;
 overflow-wrap:anywhere}
th{background:#f6f6f6;position:sticky;top:0}
td.num{text-align:right;white-space:nowrap}
td.url{word-break:break-all;min-width:10rem;max-width:26rem}
nav.toc{border:1px solid #ddd;border-radius:6px;padding:.4rem 1rem;margin:1rem 0;
 font-size:.9rem;display:inline-block}
nav.toc ol{margin:.2rem 0;padding-left:1.2rem;columns:2;column-gap:2.5rem}
details>summary{cursor:pointer;list-style-position:outside}
details>summary h2{display:inline-block;border:0;margin:2.2rem 0 .4rem}
details.problem-kind{border:0;margin:.25rem 0}details.problem-kind>summary{padding:.15rem 0}
details.more{border:0;margin:.2rem 0 .6rem 1rem}details.more>summary{color:#555}
details{border-bottom:1px solid #ddd}
dl.glossary dt{font-weight:600;margin-top:.5rem}dl.glossary dd{margin:.1rem 0 0 1rem}
.ctx{color:#555;font-size:.82rem;margin-top:.15rem}
.tag{display:inline-block;border-radius:3px;padding:0 .35rem;margin:0 .15rem .1rem 0;
 font-size:.8rem;background:#eee}
.tag.dead,.tag.lost,.tag.soft_404,.tag.invalid,.tag.javascript,.tag.unresolvable{
 background:#fde0dc;color:#b71c1c}
.tag.redirected,.tag.blocked,.tag.homepage,.tag.shortened{background:#fff3cd;color:#7a5a00}
.tag.inferred,.tag.unlinked{background:#e8eaf6;color:#283593;border:1px dashed #5c6bc0}
.tag.recovered{background:#e0f2f1;color:#00695c}
.dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.3rem;
 vertical-align:middle}
.note{color:#666;font-size:.85rem}
.warning{background:#fff4e5;border-left:4px solid #e69500;padding:.4rem .6rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.85rem}
dl.meta dt{color:#666}dl.meta dd{margin:0;word-break:break-all}
"""


def esc(value: object) -> str:
    """Text safe in HTML content and in double-quoted attributes."""
    return escape(str(value), quote=True)


def _link(url: str | None) -> str:
    """A clickable link for http(s) URLs only; anything else is shown as text."""
    if not url:
        return ""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(url)}</a>'
    return f"<code>{esc(url)}</code>"


def _img(data: bytes, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{encoded}">'


def _tag(kind: str, words: str) -> str:
    return f'<span class="tag {esc(kind)}">{esc(words)}</span>'


def render_html(
    analysis: Analysis,
    *,
    meta: ReportMeta,
    head: Headline,
    found: tuple[Finding, ...],
    images: Mapping[str, bytes],
    index: OutletIndex,
) -> str:
    """The whole page; *images* maps file stems (``graph``, ``top_sources``...) to PNG bytes."""
    single = len(analysis.articles) == 1
    parts: list[str] = []
    if single:
        article = analysis.articles[0]
        title = article.title or article.id
        parts.append(f"<h1>{esc(title)}</h1>")
        when = article.published.date().isoformat() if article.published else "date unknown"
        parts.append(f'<p class="sub">{esc(when)} · {_link(article.url) or "no URL"}'
                     f" · input {esc(article.origin)}</p>")
        parts += [f'<p class="note">warning: {esc(w)}</p>' for w in article.warnings]
    else:
        title = f"Link report: {head.articles:,} articles"
        parts.append(f"<h1>{esc(title)}</h1>")
    parts.append(_cards(head))
    parts.append(f'<p class="note">{esc(counted_note(head))}</p>')
    parts += [f'<p class="warning"><b>Note:</b> {esc(note)}</p>' for note in meta.notes]
    sections: list[tuple[str, str, str, bool | None]] = []  # (id, title, html, open?)
    if single:
        sections.append(("citations", "Citations in order, with problems",
                         _citation_table(analysis, analysis.articles[0].id, found, index), None))
    if "graph" in images:
        sections.append(("graph", CHART_TITLES["graph"],
                         _img(images["graph"], CHART_TITLES["graph"]), None))
    charts = [(stem, data) for stem, data in images.items() if stem != "graph"]
    if charts:
        sections.append(("charts", "Charts", '<div class="charts">' + "".join(
            _img(data, CHART_TITLES.get(stem, stem)) for stem, data in charts) + "</div>", None))
    lost = lost_links(analysis, index)
    if lost and (single or len(lost) <= MAX_LOST_ROWS):
        sections.append(("lost", "Lost links: what became of each", _table(
            ["#", "anchor text and sentence", "outcome", "source and how it is known"],
            [f'<tr><td class="num">{x.position + 1}</td><td><b>{esc(x.text)}</b>'
             f'<div class="ctx">{esc(x.context)}</div></td>'
             f"<td>{_tag(x.outcome, x.outcome)}</td><td>{esc(x.source)}"
             f'<div class="note">{esc(x.detail)}</div></td></tr>' for x in lost]),
            bool(single)))
    sections.append(("problems", "Problems", _problems(analysis, found), True))
    sections.append(("sources", "Sources", _sources(analysis),
                     len(analysis.outlets) <= OPEN_SOURCE_ROWS))
    if not single and analysis.periods:
        rows = ["<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>"
                for row in period_rows(analysis)]
        sections.append(("diversity", "Source diversity by site and month",
                         _table(PERIOD_HEADER, rows), False))
    sections.append(("glossary", "What the numbers mean", _glossary(), False))
    sections.append(("reproducibility", "Reproducibility", '<dl class="meta">' + "".join(
        f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta.rows()) + "</dl>", False))
    parts.append('<nav class="toc"><b>Contents</b><ol>' + "".join(
        f'<li><a href="#{anchor}">{esc(name)}</a></li>' for anchor, name, _, _ in sections
    ) + "</ol></nav>")
    for anchor, name, html, is_open in sections:
        if is_open is None:  # a picture or the article's own citations: always shown
            parts.append(f'<section id="{anchor}"><h2>{esc(name)}</h2>{html}</section>')
        else:  # long tables fold away (HTML's own <details>: no script needed)
            parts.append(f'<details id="{anchor}"{" open" if is_open else ""}><summary>'
                         f"<h2>{esc(name)}</h2></summary>{html}</details>")
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(shorten(title, 120))}</title>\n<style>{CSS}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def _cards(head: Headline) -> str:
    bad = {"problems", "lost links", "failing (dead or soft-404)", "confirmed dead"}
    cards = []
    for label, value in headline_rows(head):
        cls = "card bad" if label in bad and value not in {"0", "0 / 0"} else "card"
        cards.append(f'<div class="{cls}"><b>{esc(value)}</b><span>{esc(label)}</span></div>')
    return '<div class="cards">' + "".join(cards) + "</div>"


def _table(header: Sequence[str], rows: Sequence[str]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _citation_table(
    analysis: Analysis, article_id: str, found: tuple[Finding, ...], index: OutletIndex
) -> str:
    by_position = findings_by_position(found, article_id)
    listed, skipped = listed_citations(analysis, article_id, found)
    rows = []
    for c in listed:
        outlet = index.of(c)
        source = ""
        if outlet:
            colour = kind_colour(outlet.source.kind)
            known = "" if c.provenance.kind is ProvenanceKind.LINKED else \
                f" ({c.provenance.kind.value})"
            source = (f'<br><span class="dot" style="background:{esc(colour)}"></span>'
                      f"{esc(outlet.source.name)}{esc(known)} <span class=\"note\">"
                      f"{esc(kind_label(outlet.source.kind))}</span>")
        if c.provenance.kind is not ProvenanceKind.LINKED:
            source += f'<div class="note">{esc(provenance_detail(c))}</div>'
        status = citation_status(c, analysis.link_status)
        tags = [] if c.kind in PROBLEM_KINDS else [_tag(str(c.kind), str(c.kind))]
        for f in by_position.get(c.position, []):
            extra = f": {f.detail}" if f.detail and f.detail != status else ""
            tags.append(_tag(str(f.kind), finding_label(f.kind) + extra))
        check = f'<div class="note">{esc(status)}</div>' if status else ""
        rows.append(
            f'<tr><td class="num">{c.position + 1}</td>'
            f'<td><b>{esc(c.text)}</b><div class="ctx">{esc(c.context)}</div></td>'
            f'<td class="url">{_link(c.url or c.href)}{source}</td>'
            f"<td>{''.join(tags)}{check}</td></tr>"
        )
    note = f'<p class="note">{esc(in_page_note(skipped))}</p>' if skipped else ""
    return _table(["#", "anchor text and sentence", "link and source", "kind, check, problems"],
                  rows) + note


def _problems(analysis: Analysis, found: tuple[Finding, ...]) -> str:
    unchecked = unchecked_http_links(analysis)
    note_http = (
        f'<p class="note">{unchecked:,} external link(s) use http:. Whether their sites serve '
        "them over https is unverified: run the report with <code>--check</code> to find out."
        "</p>" if unchecked else "")
    if not found:
        return "<p>No problems found.</p>" + note_http
    single = len(analysis.articles) == 1
    titles = {a.id: a.title or a.id for a in analysis.articles}
    summary = " ".join(_tag(str(k), f"{finding_label(k)}: {n:,}") for k, n in
                       problem_counts(found))
    groups = grouped_problems(found)
    header = ([] if single else ["article"]) + [
        "#", "problem", "anchor text and sentence", "URL and detail"]
    by_kind: dict[FindingKind, list[ProblemGroup]] = {}
    for group in groups:
        by_kind.setdefault(group.first.kind, []).append(group)
    # One fold per kind of problem, its count in the summary: the page stays short however
    # many problems there are (489 rows opened on the corpus ran it to 45,000 px at 1,280 px).
    # A short list (one article's) shows its rows; a kind's first rows show when it is opened,
    # the rest behind a fold of their own.
    open_kinds = len(groups) <= OPEN_PROBLEM_ROWS
    folds = []
    for kind, count in problem_counts(found):
        members = by_kind[kind][:MAX_PROBLEM_ROWS]
        rows = [_problem_row(group, titles, single=single) for group in members]
        articles = len({f.article_id for f in found if f.kind is kind})
        where = "" if single else f" in {articles:,} article(s)"
        shown, rest = rows[:TOP_PROBLEM_ROWS], rows[TOP_PROBLEM_ROWS:]
        more = (f'<details class="more"><summary>{len(rest):,} more row(s)</summary>'
                f"{_table(header, rest)}</details>" if rest else "")
        cut = len(by_kind[kind]) - len(members)
        cut_note = f'<p class="note">{cut:,} more rows in report.json.</p>' if cut > 0 else ""
        folds.append(
            f'<details class="problem-kind" id="problems-{esc(kind)}"'
            f'{" open" if open_kinds else ""}><summary>'
            f"{_tag(str(kind), f'{finding_label(kind)}: {count:,}')}"
            f' <span class="note">{len(by_kind[kind]):,} row(s){where}</span></summary>'
            f"{_table(header, shown)}{more}{cut_note}</details>")
    folded = (f'<p class="note">{len(found):,} problems in {len(groups):,} rows: a problem '
              "repeated across links or articles is one row, with its count (×N).</p>"
              if len(groups) < len(found) else "")
    return f"<p>{summary}</p>" + note_http + folded + "".join(folds)


def _problem_row(group: ProblemGroup, titles: Mapping[str, str], *, single: bool) -> str:
    f = group.first
    article = "" if single else (
        f"<td>{esc(shorten(titles.get(f.article_id, f.article_id), 60))}"
        + (f'<div class="note">and {group.articles - 1:,} more article(s)</div>'
           if group.articles > 1 else "") + "</td>")
    detail = f'<div class="note">{esc(f.detail)}</div>' if f.detail else ""
    if f.kind is FindingKind.REDIRECTED and f.detail.startswith(("http://", "https://")):
        # analyse gives the new URL, maybe followed by a remark: "URL (a homepage)"
        target, _, remark = f.detail.partition(" ")
        remark = f" {esc(remark)}" if remark else ""
        detail = f'<div class="note">now: {_link(target)}{remark}</div>'
    times = f" ×{group.count:,}" if group.count > 1 else ""
    return (
        f"<tr>{article}"
        f'<td class="num">{"" if f.position is None else f.position + 1}</td>'
        f"<td>{_tag(str(f.kind), finding_label(f.kind) + times)}</td>"
        f'<td><b>{esc(f.text)}</b><div class="ctx">{esc(f.context)}</div></td>'
        f'<td class="url">{_link(f.url)}{detail}</td></tr>'
    )


def _glossary() -> str:
    return '<dl class="glossary">' + "".join(
        f"<dt>{esc(term)}</dt><dd>{esc(meaning)}</dd>" for term, meaning in GLOSSARY) + "</dl>"


def _sources(analysis: Analysis) -> str:
    inferred = ""
    if analysis.inferred_outlets:
        inferred = "<h3>Inferred sources (not counted in the metrics)</h3>" + _table(
            ["outlet", "key", "kind", "country", "inferred citations", "articles"],
            [f"<tr><td>{esc(o.source.name)}</td><td>{esc(o.source.key)}</td>"
             f"<td>{esc(kind_label(o.source.kind))}</td><td>{esc(o.source.country or '')}</td>"
             f'<td class="num">{o.citations:,}</td><td class="num">{o.articles:,}</td></tr>'
             for o in analysis.inferred_outlets[:MAX_SOURCE_ROWS]])
    if not analysis.outlets:
        return "<p>No external sources.</p>" + inferred
    rows = []
    for i, o in enumerate(analysis.outlets[:MAX_SOURCE_ROWS]):
        colour = kind_colour(o.source.kind)
        rows.append(
            f'<tr><td class="num">{i + 1}</td><td>{esc(o.source.name)}</td>'
            f"<td>{esc(o.source.key)}</td><td><span class=\"dot\" style=\"background:"
            f'{esc(colour)}"></span>{esc(kind_label(o.source.kind))}</td>'
            f"<td>{esc(o.source.country or '')}</td><td class=\"num\">{o.citations:,}</td>"
            f'<td class="num">{esc(provenance_counts(o))}</td>'
            f'<td class="num">{o.articles:,}</td><td class="num">{o.share:.1%}</td>'
            f'<td class="note">{esc(o.source.rule)}</td></tr>'
        )
    more = len(analysis.outlets) - MAX_SOURCE_ROWS
    note = f'<p class="note">{more:,} more outlets in report.json.</p>' if more > 0 else ""
    return _table(["#", "outlet", "key", "kind", "country", "citations",
                   "linked / recovered / inferred", "articles", "share", "classified by"],
                  rows) + note + inferred


def write_html(path: Path, page: str) -> Path:
    """Write *page* as UTF-8."""
    path.write_text(page, encoding="utf-8")
    return path
