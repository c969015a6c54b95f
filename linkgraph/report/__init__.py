"""Reports people want to look at: PNG/SVG graph and charts, HTML, Markdown and JSON.

>>> paths = write_report(analysis, Path("reports/seed"), meta=ReportMeta.collect(
...     analysis, inputs=["seed.json"]))  # doctest: +SKIP

writes ``index.html`` (self-contained), ``graph.png``, ``graph.svg``, one PNG per chart
(``top_sources``, ``source_kinds``, ``link_status``, ``link_rot``, ``diversity``; SVG too with
``svg_charts=True``; a chart with nothing to show is not written), ``report.md`` and
``report.json``.
"""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path
from typing import Final

from matplotlib.figure import Figure

from linkgraph.analysis.records import Analysis
from linkgraph.report.charts import render_charts
from linkgraph.report.html import render_html, write_html
from linkgraph.report.jsonout import report_data, write_json
from linkgraph.report.markdown import CHART_TITLES, render_markdown
from linkgraph.report.meta import ReportMeta
from linkgraph.report.network import draw_network
from linkgraph.report.style import quiet_glyphs
from linkgraph.report.tables import headline, outlet_index, problems

__all__ = ["ReportMeta", "write_report"]

log = logging.getLogger(__name__)

# Past this many articles report.json is written without indentation (the indenting JSON
# encoder is pure Python and ten times slower).
COMPACT_JSON_ARTICLES: Final = 500
# Every image a report may hold; stale ones from an earlier run in the same folder are removed.
IMAGE_STEMS: Final = tuple(CHART_TITLES)  # every picture a report can hold, by file stem


def _save(fig: Figure, path: Path, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=fig.dpi, metadata=_metadata(fmt))
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


def _metadata(fmt: str) -> dict[str, str | None]:
    # No creation date in the files: the same analysis gives the same bytes.
    if fmt == "svg":
        return {"Date": None}
    return {"Software": "linkgraph (matplotlib)"}


def write_report(
    analysis: Analysis, out_dir: Path, *, meta: ReportMeta, svg_charts: bool = False
) -> list[Path]:
    """Render *analysis* into *out_dir* (created if needed); return the files written."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    index = outlet_index(analysis)
    found = problems(analysis)
    head = headline(analysis, found)
    written: list[Path] = []
    pngs: dict[str, bytes] = {}
    with quiet_glyphs():
        graph = draw_network(analysis, index)
        pngs["graph"] = _save(graph, out_dir / "graph.png", "png")
        _save(graph, out_dir / "graph.svg", "svg")
        written += [out_dir / "graph.png", out_dir / "graph.svg"]
        for stem, fig in render_charts(analysis).items():
            pngs[stem] = _save(fig, out_dir / f"{stem}.png", "png")
            written.append(out_dir / f"{stem}.png")
            if svg_charts:
                _save(fig, out_dir / f"{stem}.svg", "svg")
                written.append(out_dir / f"{stem}.svg")
    for stem in IMAGE_STEMS:
        for suffix in (".png", ".svg"):
            stale = out_dir / f"{stem}{suffix}"
            if stale not in written and stale.exists():
                stale.unlink()
    images = [f"{stem}.png" for stem in pngs]
    markdown = render_markdown(analysis, meta=meta, head=head, found=found, images=images,
                               index=index)
    (out_dir / "report.md").write_text(markdown, encoding="utf-8")
    written.append(out_dir / "report.md")
    page = render_html(analysis, meta=meta, head=head, found=found, images=pngs, index=index)
    written.append(write_html(out_dir / "index.html", page))
    files = [*sorted(p.name for p in written), "report.json"]
    data = report_data(analysis, meta=meta, headline=head, found=found, files=files)
    compact = len(analysis.articles) > COMPACT_JSON_ARTICLES
    written.append(write_json(out_dir / "report.json", data, compact=compact))
    log.info("report of %d articles written to %s in %.2f s", len(analysis.articles), out_dir,
             time.perf_counter() - started)
    return written
