"""write_report on hand-built and real analyses: files, PNG content, escaping, JSON, Markdown."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import report_samples as samples
from graph_factories import extracted
from matplotlib.image import imread
from matplotlib.text import Text
from selectolax.lexbor import LexborHTMLParser

import linkgraph.report
from linkgraph.analysis import Analysis, analyse
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Extraction, Verdict
from linkgraph.report import (
    ReportMeta,
    charts,
    jsonout,
    labels,
    markdown,
    network_frame,
    style,
    write_report,
)
from linkgraph.report.network import draw_network
from linkgraph.report.style import quiet_glyphs

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _meta(analysis: Analysis) -> ReportMeta:
    return ReportMeta.collect(analysis, inputs=["seed.json"], options=[("check", "true")],
                              counts=[("read failures", 0)], now=NOW)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (and check that it is a PNG)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_MAGIC, f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def assert_real_picture(path: Path) -> None:
    width, height = png_size(path)
    assert width >= 600 and height >= 250, (path.name, width, height)
    pixels = imread(path)
    assert pixels.std() > 0.05, f"{path.name} is (nearly) blank"
    # Not just white and one colour: a drawing has many distinct colours (antialiasing).
    assert len(np.unique(pixels.reshape(-1, pixels.shape[-1])[::7], axis=0)) > 20


@pytest.fixture(scope="module")
def one_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, Path, list[Path]]:
    analysis = samples.one_article()
    out = tmp_path_factory.mktemp("one")
    return analysis, out, write_report(analysis, out, meta=_meta(analysis))


def test_one_article_report_has_every_file(one_report: tuple[Analysis, Path, list[Path]]) -> None:
    _, out, paths = one_report
    names = sorted(p.name for p in paths)
    assert names == sorted([
        "graph.png", "graph.svg", "top_sources.png", "source_kinds.png", "link_status.png",
        "report.md", "index.html", "report.json",
    ])
    for path in paths:
        assert path.parent == out and path.stat().st_size > 1000
    for png in out.glob("*.png"):
        assert_real_picture(png)
    assert (out / "graph.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    # One article, one year: no rot-by-year or diversity histogram of a single value.
    assert not (out / "link_rot.png").exists() and not (out / "diversity.png").exists()


def test_html_escapes_article_strings(one_report: tuple[Analysis, Path, list[Path]]) -> None:
    _, out, _ = one_report
    page = (out / "index.html").read_text(encoding="utf-8")
    assert samples.HOSTILE_IMG not in page and samples.HOSTILE_SCRIPT not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;document.title=&#x27;pwned&#x27;" in page
    assert "<script" not in page.lower()  # no script at all, from data or otherwise
    assert "http-equiv=\"Content-Security-Policy\"" in page
    assert "src=\"http" not in page  # every image is embedded
    assert page.count("data:image/png;base64,") == 4
    # The hostile URL is a link whose attribute stays quoted and escaped.
    assert 'href="https://www.ukrinform.net/x?&lt;b&gt;"' in page
    # javascript: URLs are shown, never linked.
    assert 'href="javascript' not in page and "<code>javascript:void(0)</code>" in page


def test_single_article_report_leads_with_its_citations(
    one_report: tuple[Analysis, Path, list[Path]],
) -> None:
    analysis, out, _ = one_report
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.index("Citations in order") < page.index("Article-to-source network")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert report.index("## Citations in order") < report.index("## Problems")
    table = report[report.index("## Citations in order"):report.index("## Article-to-source")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == len(analysis.citations)
    # Problems beside the citation: the dead Gallup link and the redirect with its new URL.
    gallup = next(r for r in rows if "gallup.co.kr" in r)
    assert "dead (404), confirmed" in gallup
    law = next(r for r in rows if "law.go.kr" in r)
    assert "https://www.law.go.kr/lsInfoP.do?lsiSeq=248331" in law


def test_markdown_problems_and_escaping(one_report: tuple[Analysis, Path, list[Path]]) -> None:
    _, out, _ = one_report
    report = (out / "report.md").read_text(encoding="utf-8")
    problems = report[report.index("## Problems"):report.index("## Sources")]
    for word in samples.SEED_LOST:
        assert f"| {word.replace('_', chr(92) + '_')} |" in problems
    assert "javascript: link" in problems and "attribution without a link" in problems
    assert "<img" not in report and "<script" not in report
    assert "&lt;img src=x onerror=alert(1)&gt;" in report
    for image in ("graph.png", "top_sources.png", "source_kinds.png", "link_status.png"):
        assert f"]({image})" in report
    assert "## Reproducibility" in report and "Public Suffix List snapshot" in report


def test_json_has_every_number(one_report: tuple[Analysis, Path, list[Path]]) -> None:
    analysis, out, _ = one_report
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["headline"]["articles"] == 1
    assert data["headline"]["lost"] == 9
    assert data["headline"]["citations"] == len(analysis.citations)
    assert data["headline"]["confirmed_dead"] == 1
    assert len(data["citations"]) == len(analysis.citations)
    assert [o["source"]["key"] for o in data["outlets"]] == [
        o.source.key for o in analysis.outlets]
    assert data["outlets"][0]["source"]["kind"] == "news_agency"
    assert data["problem_counts"]["lost"] == 9
    assert data["problem_counts"]["dead"] == 1
    assert "html" not in data["articles"][0] and "tree" not in data["articles"][0]
    assert data["articles"][0]["published"] == "2023-02-27T02:41:00+00:00"
    assert data["meta"]["generated_at"] == NOW.isoformat()
    assert data["meta"]["check_dates"][1] == "2026-11-20T09:00:00+00:00"
    assert sorted(data["files"]) == sorted(p.name for p in out.iterdir())
    status = data["link_status"]["https://www.gallup.co.kr/gallupdb/reportContent.asp?seqNo=1300"]
    assert status["latest"]["verdict"] == "dead" and status["confirmed_dead"] is True


def test_without_checks_no_status_charts_and_stale_files_go(tmp_path: Path) -> None:
    checked = samples.one_article()
    write_report(checked, tmp_path, meta=_meta(checked), svg_charts=True)
    assert (tmp_path / "link_status.png").exists() and (tmp_path / "link_status.svg").exists()
    unchecked = samples.one_article(checked=False)
    paths = write_report(unchecked, tmp_path, meta=_meta(unchecked))
    assert not (tmp_path / "link_status.png").exists()
    assert not (tmp_path / "top_sources.svg").exists()
    assert {p.name for p in paths} >= {"graph.png", "top_sources.png", "index.html"}
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["meta"]["check_dates"] is None and data["link_status"] == {}


def test_labels_never_overlap_and_large_graph_says_what_it_left_out() -> None:
    for analysis in (samples.one_article(), samples.large(1500, outlets=600)):
        with quiet_glyphs():
            fig = draw_network(analysis)
            renderer = fig.canvas.get_renderer()
            ax = fig.axes[0]
            boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
            # a leader line crosses no other label (far out, its line is long and slanted:
            # the line itself is checked, not the box around it)
            for index, text in enumerate(ax.texts):
                arrow = getattr(text, "arrow_patch", None)
                if arrow is None:
                    continue
                path = arrow.get_path().transformed(arrow.get_transform())
                points = path.interpolated(40).vertices
                for other, box in enumerate(boxes):
                    if other != index:
                        assert not any(box.contains(x, y) for x, y in points), text.get_text()
        assert len(boxes) >= 8
        for a, b in combinations(boxes, 2):
            assert not a.overlaps(b)
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "Showing the 40 outlets" in notes and f"of {len(analysis.outlets)} " in notes
    assert "1,500 articles are not drawn one by one" in notes


def test_dollar_signs_and_missing_glyphs_are_plain_text(tmp_path: Path) -> None:
    analysis = samples.one_article()
    first = analysis.outlets[0]
    source = replace(first.source, name="Cash $5 and $6 $$ \\frac{a}")  # mathtext bait
    odd = replace(analysis, outlets=(replace(first, source=source), *analysis.outlets[1:]))
    write_report(odd, tmp_path, meta=_meta(odd))
    assert_real_picture(tmp_path / "top_sources.png")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with quiet_glyphs():  # the one warning it drops
            warnings.warn("Glyph 54620 (\\N{HANGUL SYLLABLE HAN}) missing from font(s) DejaVu"
                          " Sans.", UserWarning, stacklevel=1)
        with pytest.raises(UserWarning), quiet_glyphs():  # and nothing else
            warnings.warn("something else", UserWarning, stacklevel=1)


def test_labels_render_without_a_cjk_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no CJK font is installed (CI), Korean labels draw as boxes, with no warning."""
    for module in (style, labels, network_frame, charts):
        monkeypatch.setattr(module, "font_families", lambda: ("DejaVu Sans",))
    analysis = samples.one_article()
    write_report(analysis, tmp_path, meta=_meta(analysis))
    assert_real_picture(tmp_path / "graph.png")


def test_real_analysis_of_the_example(tmp_path: Path) -> None:
    example = REPO / "examples" / "ukraine-arms.json"
    extractions = [e for e in extract_inputs([str(example)]) if isinstance(e, Extraction)]
    analysis = analyse(extractions)
    paths = write_report(analysis, tmp_path, meta=ReportMeta.collect(analysis,
                                                                       inputs=[str(example)]))
    assert {"graph.png", "top_sources.png", "index.html", "report.md"} <= {p.name for p in paths}
    assert_real_picture(tmp_path / "graph.png")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    keys = {o["source"]["key"] for o in data["outlets"]}
    assert {"ukrinform.net", "gallup.co.kr", "law.go.kr"} <= keys
    assert data["meta"]["registry_version"] not in {"", "none"}
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "Ukrinform" in report


@pytest.mark.slow
def test_ten_thousand_articles(tmp_path: Path) -> None:
    analysis = samples.large(10_000)
    paths = write_report(analysis, tmp_path, meta=_meta(analysis))
    assert {p.name for p in paths} >= {"link_rot.png", "diversity.png", "graph.png"}
    for png in tmp_path.glob("*.png"):
        assert_real_picture(png)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "more outlets in report.json" in page


def test_json_leaves_out_citations_of_huge_corpora(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonout, "MAX_JSON_CITATIONS", 5)
    analysis = samples.one_article()
    write_report(analysis, tmp_path, meta=_meta(analysis))
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["citations"] == [] and data["citations_omitted"] == len(analysis.citations)
    assert data["problem_counts"]["lost"] == 9  # the problems stay


def test_real_analysis_with_checks_links_the_new_url(tmp_path: Path) -> None:
    example = REPO / "examples" / "ukraine-arms.json"
    extractions = [e for e in extract_inputs([str(example)]) if isinstance(e, Extraction)]
    external = [c.url for c in extractions[0].citations if c.kind.value == "external" and c.url]
    dead, moved = external[0], external[1]
    status = {
        dead: samples.status(dead, Verdict.DEAD, code=404, confirmed=True),
        moved: samples.status(moved, Verdict.REDIRECTED, code=301,
                              final="https://new.example.org/moved"),
    }
    analysis = analyse(extractions, link_status=status)
    write_report(analysis, tmp_path, meta=_meta(analysis))
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    problems = page[page.index("<h2>Problems</h2>"):page.index("<h2>Sources</h2>")]
    assert 'now: <a href="https://new.example.org/moved"' in problems
    assert problems.count('class="tag dead"') == 3  # the summary, its kind's fold, the row
    assert (tmp_path / "link_status.png").exists()
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["problem_counts"]["dead"] == 1 and data["problem_counts"]["redirected"] == 1


def test_markdown_urls_are_autolinks_only_when_safe() -> None:
    rows = markdown._table(["URL"], [
        (markdown.Url("https://example.org/a_b?c=1"),),
        (markdown.Url("https://example.org/x?<b>|y"),),
        (markdown.Url("javascript:alert(1)"),),
    ])
    assert rows[2] == "| <https://example.org/a_b?c=1> |"
    assert rows[3] == "| https://example.org/x?&lt;b&gt;\\|y |"
    assert rows[4] == "| javascript:alert(1) |"


def test_public_surface() -> None:
    assert sorted(linkgraph.report.__all__) == ["ReportMeta", "write_report"]


def test_multi_article_report_has_diversity_by_month(tmp_path: Path) -> None:
    example = REPO / "examples" / "ukraine-arms.json"
    (first,) = [e for e in extract_inputs([str(example)]) if isinstance(e, Extraction)]
    copy_id = first.article.id + "-follow-up"
    second = replace(first, article=replace(first.article, id=copy_id),
                     citations=tuple(replace(c, article_id=copy_id) for c in first.citations))
    analysis = analyse([first, second])
    assert len(analysis.articles) == 2 and analysis.periods
    write_report(analysis, tmp_path, meta=_meta(analysis))
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Source diversity by site and month" in report
    assert f"| {analysis.periods[0].month} |" in report
    assert "## Citations\n" in report and "## Citations in order" not in report
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Source diversity by site and month" in page


def test_redirect_to_a_homepage_links_the_new_url_only(tmp_path: Path) -> None:
    example = REPO / "examples" / "ukraine-arms.json"
    extractions = [e for e in extract_inputs([str(example)]) if isinstance(e, Extraction)]
    moved = next(c.url for c in extractions[0].citations
                 if c.kind.value == "external" and c.url and c.url.count("/") > 3)
    status = {moved: samples.status(moved, Verdict.REDIRECTED, code=301,
                                    final="https://new.example.org/")}
    analysis = analyse(extractions, link_status=status)
    write_report(analysis, tmp_path, meta=_meta(analysis))
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'now: <a href="https://new.example.org/" rel=' in page
    assert "https://new.example.org/</a> (a homepage)" in page


def test_in_page_links_are_counted_not_listed_in_the_single_article_table(
    tmp_path: Path,
) -> None:
    html = ('<p>Reports <a href="https://gov.example/r">say so</a>.<sup><a href="#fn1">[1]</a>'
            '</sup> More <a href="#fn2">[2]</a>.</p>')
    analysis = analyse([extracted("a1", html)])
    assert {c.kind.value for c in analysis.citations} == {"external", "fragment"}
    write_report(analysis, tmp_path, meta=_meta(analysis))
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "say so" in markdown and "[1]" not in markdown.split("## Citations in order")[1]
    for text in (markdown, page):
        assert "2 in-page link(s) (footnote marks, contents entries) are not listed" in text
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert len(data["citations"]) == 3  # report.json keeps every citation


def test_diversity_chart_states_the_headline_median() -> None:
    # An even number of articles: the chart's median is the headline's (the mean of the
    # middle two), not the upper middle value.
    analysis = samples.large(40, outlets=30, seed=2)
    effective = sorted(s.effective_sources for s in analysis.article_stats if s.external)
    assert len(effective) == 40 and round(effective[19], 1) != round(effective[20], 1)
    figure = charts.diversity(analysis)
    assert figure is not None
    subtitle = " ".join(t.get_text() for t in figure.texts)
    expected = (effective[19] + effective[20]) / 2
    assert f"median {expected:.1f}." in subtitle


BIPARTITE_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
import report_samples
from linkgraph.report.network import draw_network
fig = draw_network(report_samples.large(30, outlets=25))
# The drawing order of the nodes (it decides which of two overlapping nodes is on top).
for collection in fig.axes[0].collections:
    print([tuple(round(float(v), 4) for v in xy) for xy in collection.get_offsets()])
"""


def test_bipartite_drawing_does_not_depend_on_the_hash_seed() -> None:
    drawn = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"}
        run = subprocess.run([sys.executable, "-c", BIPARTITE_SCRIPT, str(REPO / "tests")],
                             check=True, env=env, timeout=120, capture_output=True, text=True)
        drawn.append(run.stdout)
    assert drawn[0].count("\n") > 20  # the articles, then one scatter per outlet
    assert drawn[0] == drawn[1]


def test_contents_and_folded_sections(tmp_path: Path) -> None:
    """Contents link to every section; long tables fold (no script); a problem repeated in 12
    articles is one row with its count."""
    analysis = samples.long_url_corpus()
    meta = ReportMeta.collect(analysis, inputs=["corpus/"], now=datetime(2026, 11, 28, tzinfo=UTC))
    write_report(analysis, tmp_path, meta=meta)
    dom = LexborHTMLParser((tmp_path / "index.html").read_text(encoding="utf-8"))
    targets = [a.attributes["href"] for a in dom.css("nav.toc a")]
    assert targets and all(dom.css_first(str(t)) is not None for t in targets)
    assert "#glossary" in targets and "#problems" in targets
    assert dom.css_first("details#problems[open]") is not None
    assert dom.css_first("details#reproducibility:not([open])") is not None
    # the same tracking link in 12 articles is one row with its count
    rows = [r.text() for r in dom.css("details#problems tbody tr")]
    same = [r for r in rows if "same.example" in r]
    assert len(same) == 1 and "×12" in same[0] and "11 more article" in same[0]


def test_many_problems_fold_by_kind(tmp_path: Path) -> None:
    """489 problem rows opened on the corpus ran the page to 45,732 px: each kind of problem is
    one fold with its count, closed; opened, it shows its first rows, the rest behind a fold
    of their own.  No script."""
    analysis = samples.large(300, outlets=100)  # 82 dead links, 31 lost ones
    write_report(analysis, tmp_path, meta=_meta(analysis))
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    dom = LexborHTMLParser(page)
    assert "<script" not in page
    folds = dom.css("details#problems details.problem-kind")
    assert [f.attributes["id"] for f in folds] == ["problems-dead", "problems-lost"]
    assert all("open" not in f.attributes for f in folds)
    dead = folds[0]
    summary = dead.css_first("summary").text()
    assert "dead: 82" in summary and "row(s)" in summary
    shown = dead.css_first("div.scroll").css("tbody tr")
    assert len(shown) == 10
    rest = dead.css("details.more tbody tr")
    assert len(shown) + len(rest) == len({(f.url, f.detail) for f in analysis.findings
                                          if f.kind.value == "dead"})


def test_unchecked_http_links_are_counted_apart_not_called_problems(tmp_path: Path) -> None:
    """402 of 461 'problems' on one site were 'http: where https works' with nothing checked."""
    analysis = analyse([extracted("t", '<p>See <a href="http://www.reuters.com/world/x">it'
                                       '</a>.</p>')])
    assert not analysis.findings
    write_report(analysis, tmp_path, meta=_meta(analysis))
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    for text in (page, markdown):
        assert "1 external link(s) use http:" in text and "unverified" in text
