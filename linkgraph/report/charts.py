"""The report's charts: top sources, source kinds, link status, link rot, source diversity.

Each function returns a ``Figure`` (or ``None`` when it has nothing to show, e.g. no checks
yet); :func:`render_charts` returns them by file stem.  Labels are drawn as plain text (no
mathtext: a ``$`` in an outlet name stays a dollar sign).
"""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from typing import Final

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from linkgraph.analysis.records import Analysis
from linkgraph.records import CitationKind, Verdict
from linkgraph.report.style import (
    DEAD_COLOUR,
    MUTED_COLOUR,
    TEXT_COLOUR,
    font_families,
    kind_colour,
    kind_label,
    new_figure,
)
from linkgraph.report.tables import is_failing, shorten

TOP_SOURCES: Final = 20
VERDICT_COLOURS: Final = {
    Verdict.ALIVE: "#2ca02c",
    Verdict.REDIRECTED: "#98df8a",
    Verdict.DEAD: DEAD_COLOUR,
    Verdict.SOFT_404: "#ff9896",
    Verdict.BLOCKED: "#ff7f0e",
    Verdict.RATE_LIMITED: "#ffbb78",
    Verdict.TIMEOUT: "#9467bd",
    Verdict.ERROR: "#8c564b",
    Verdict.SKIPPED: "#c7c7c7",
}


def _width(text: str) -> float:
    """Rough width of *text* in ems (wide East Asian characters count double)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.58 for ch in text)


def _bars(
    title: str,
    subtitle: str,
    rows: list[tuple[str, float, str, str]],
    *,
    xlabel: str,
    kinds: list[str] | None = None,
) -> Figure:
    """Horizontal bars, largest on top: rows of (label, value, colour, text at the bar end)."""
    size = 9.5
    legend_in = 1.9 if kinds else 0.0  # the legend sits right of the bars, never over them
    width_in = 9.0 + legend_in
    label_in = min(max((_width(r[0]) for r in rows), default=4) * size / 72 + 0.25, 4.2)
    height_in = 1.5 + 0.32 * max(len(rows), 3)
    fig = new_figure(width_in, height_in)
    left = label_in / width_in
    right = 0.93 - legend_in / width_in
    ax = fig.add_axes((left, 0.9 / height_in, right - left, 1 - 1.55 / height_in))
    family = list(font_families())
    values = [r[1] for r in rows]
    positions = list(range(len(rows)))[::-1]
    ax.barh(positions, values, color=[r[2] for r in rows], height=0.72)
    peak = max(values, default=0) or 1
    ax.set_xlim(0, peak * 1.16)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_yticks([])
    to_left = blended_transform_factory(ax.transAxes, ax.transData)
    for y, (label, value, _, end) in zip(positions, rows, strict=True):
        ax.text(-0.01, y, label, transform=to_left, ha="right", va="center", fontsize=size,
                family=family, color=TEXT_COLOUR, parse_math=False)
        ax.text(value + peak * 0.01, y, end, ha="left", va="center", fontsize=size - 0.5,
                family=family, color=TEXT_COLOUR, parse_math=False)
    _frame(ax, xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if kinds:
        handles = [Patch(color=kind_colour(k), label=kind_label(k)) for k in kinds]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
                  title="source kind", alignment="left",
                  prop={"family": family, "size": 8.5}, title_fontsize=8.5)
    _titles(fig, title, subtitle, height_in)
    return fig


def _frame(ax: Axes, xlabel: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#999999")
    ax.spines["bottom"].set_color("#999999")
    ax.tick_params(colors=MUTED_COLOUR, labelsize=8.5)
    ax.set_xlabel(xlabel, color=MUTED_COLOUR, fontsize=9)
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    ax.set_axisbelow(True)


def _titles(fig: Figure, title: str, subtitle: str, height_in: float) -> None:
    family = list(font_families())
    fig.text(0.02, 1 - 0.12 / height_in, title, ha="left", va="top", fontsize=13,
             fontweight="bold", family=family, parse_math=False)
    if subtitle:
        fig.text(0.02, 1 - 0.42 / height_in, subtitle, ha="left", va="top", fontsize=9.5,
                 color=MUTED_COLOUR, family=family, parse_math=False)


def top_sources(analysis: Analysis) -> Figure | None:
    """Outlets by citing articles (by citations for a single article), top 20."""
    if not analysis.outlets:
        return None
    single = len(analysis.articles) == 1
    ranked = sorted(
        analysis.outlets,
        key=lambda o: (-o.citations, o.source.key) if single else (-o.articles, -o.citations),
    )
    top = ranked[:TOP_SOURCES]
    rows = []
    for outlet in top:
        name = outlet.source.name or outlet.source.key
        label = shorten(name, 30) if name == outlet.source.key else (
            f"{shorten(name, 26)} ({shorten(outlet.source.key, 22)})")
        value = outlet.citations if single else outlet.articles
        end = f"{value:,}" if single else f"{value:,}  ({value / len(analysis.articles):.0%})"
        rows.append((label, float(value), kind_colour(outlet.source.kind), end))
    more = len(analysis.outlets) - len(top)
    subtitle = "Colour = source kind." + (f" {more:,} more outlets not shown." if more else "")
    kinds = sorted({str(o.source.kind) for o in top})
    if single:
        return _bars("Sources by citations", subtitle, rows, xlabel="citations in the article",
                     kinds=kinds)
    return _bars("Top sources by citing articles", subtitle, rows,
                 xlabel="articles citing the outlet (share of all articles)", kinds=kinds)


def source_kinds(analysis: Analysis) -> Figure | None:
    """External citations by source kind."""
    counts: Counter[str] = Counter()
    for outlet in analysis.outlets:
        counts[str(outlet.source.kind)] += outlet.citations
    total = sum(counts.values())
    if not total:
        return None
    rows = [
        (kind_label(kind), float(n), kind_colour(kind), f"{n:,}  ({n / total:.0%})")
        for kind, n in counts.most_common()
    ]
    return _bars("Source kinds", f"{total:,} external citations by the kind of outlet cited.",
                 rows, xlabel="external citations")


def link_status(analysis: Analysis) -> Figure | None:
    """Checked URLs by latest verdict (only when checks exist)."""
    if not analysis.link_status:
        return None
    counts = Counter(s.latest.verdict for s in analysis.link_status.values())
    total = sum(counts.values())
    confirmed = sum(1 for s in analysis.link_status.values() if s.confirmed_dead)
    rows = [
        (str(v).replace("_", " "), float(n), VERDICT_COLOURS.get(v, "#999999"),
         f"{n:,}  ({n / total:.0%})")
        for v, n in counts.most_common()
    ]
    return _bars("Link status", f"Latest check of {total:,} distinct URLs;"
                 f" {confirmed:,} confirmed dead over repeated checks.", rows, xlabel="URLs")


def link_rot(analysis: Analysis) -> Figure | None:
    """Share of checked external links that are dead or soft-404, by publication year."""
    if not analysis.link_status or len(analysis.articles) < 2:
        return None
    years = {a.id: a.published.year for a in analysis.articles if a.published}
    checked: Counter[int] = Counter()
    failing: Counter[int] = Counter()
    for citation in analysis.citations:
        year = years.get(citation.article_id)
        status = analysis.link_status.get(citation.url) if citation.url else None
        if year is None or status is None or citation.kind is not CitationKind.EXTERNAL:
            continue
        checked[year] += 1
        failing[year] += is_failing(status)
    if not checked:
        return None
    span = list(range(min(checked), max(checked) + 1))
    shares = [failing[y] / checked[y] if checked[y] else 0.0 for y in span]
    width_in, height_in = 9.0, 4.6
    fig = new_figure(width_in, height_in)
    ax = fig.add_axes((0.08, 0.14, 0.9, 0.64))
    family = list(font_families())
    ax.bar(span, [s * 100 for s in shares], color=DEAD_COLOUR, width=0.7, zorder=2)
    top = max(shares, default=0) * 100 or 1
    ax.set_ylim(0, top * 1.25)
    for year, share in zip(span, shares, strict=True):
        if checked[year]:
            ax.text(year, share * 100 + top * 0.02, f"{share:.0%}\nn={checked[year]:,}",
                    ha="center", va="bottom", fontsize=7.5 if len(span) > 12 else 8.5,
                    family=family, color=TEXT_COLOUR, parse_math=False)
    ax.set_xticks(span)
    ax.set_xticklabels([str(y) for y in span], rotation=45 if len(span) > 14 else 0)
    ax.set_ylabel("% dead or soft-404", color=MUTED_COLOUR, fontsize=9)
    _frame(ax, "publication year of the citing article")
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    _titles(fig, "Link rot by publication year",
            "Share of checked external links whose latest check is dead or soft-404"
            " (n = checked links).", height_in)
    return fig


def diversity(analysis: Analysis) -> Figure | None:
    """Histogram of the effective number of sources per article (two articles or more)."""
    values = [s.effective_sources for s in analysis.article_stats if s.external]
    if len(analysis.article_stats) < 2 or not values:
        return None
    width_in, height_in = 9.0, 4.4
    fig = new_figure(width_in, height_in)
    ax = fig.add_axes((0.08, 0.14, 0.9, 0.66))
    high = max(values)
    bins = [b / 2 for b in range(2, int(high * 2) + 3)] if high <= 30 else 30
    ax.hist(values, bins=bins, color="#4e79a7", edgecolor="white", zorder=2)
    ax.set_ylabel("articles", color=MUTED_COLOUR, fontsize=9)
    _frame(ax, "effective number of sources (1 / HHI of citations over outlets)")
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    no_external = len(analysis.article_stats) - len(values)
    median = statistics.median(values)  # as the headline table takes it
    sub = f"{len(values):,} articles with external links; median {median:.1f}."
    if no_external:
        sub += f" {no_external:,} articles cite no outside source (not shown)."
    _titles(fig, "Source diversity across articles", sub, height_in)
    return fig


def render_charts(analysis: Analysis) -> dict[str, Figure]:
    """Every chart that has something to show, by file stem (``top_sources``, ...)."""
    charts = {
        "top_sources": top_sources(analysis),
        "source_kinds": source_kinds(analysis),
        "link_status": link_status(analysis),
        "link_rot": link_rot(analysis),
        "diversity": diversity(analysis),
    }
    return {name: fig for name, fig in charts.items() if fig is not None}
