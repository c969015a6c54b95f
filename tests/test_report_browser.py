"""index.html in real headless Chromium: it loads, hostile anchor text stays text, nothing runs."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import report_samples as samples
from matplotlib.image import imread
from selectolax.lexbor import LexborHTMLParser

from linkgraph.report import ReportMeta, write_report

CHROMIUM = next((p for n in ("chromium", "chromium-browser", "google-chrome")
                 if (p := shutil.which(n))), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium); the HTML report"
    " cannot be rendered in a real browser here",
)
TIMEOUT = 60  # seconds per browser run; a hung browser fails the test instead of the suite


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--enable-logging=stderr", "--v=0",
        f"--user-data-dir={profile}", *extra, page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    analysis = samples.one_article()
    out = tmp_path_factory.mktemp("browser")
    meta = ReportMeta.collect(analysis, inputs=["seed.json"],
                              now=datetime(2026, 11, 28, tzinfo=UTC))
    write_report(analysis, out, meta=meta)
    return out / "index.html"


def test_hostile_anchor_text_is_text_and_runs_nothing(page: Path, tmp_path: Path) -> None:
    run = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    dom = LexborHTMLParser(run.stdout)
    title = dom.css_first("title")
    assert title is not None
    assert title.text() == samples.one_article().articles[0].title  # not 'pwned'
    assert "pwned" not in title.text()
    assert not dom.css('img[src="x"]'), "a hostile <img> became an element"
    assert not dom.css("script"), "a script element exists in the rendered page"
    text = dom.body.text() if dom.body else ""
    assert samples.HOSTILE_IMG in text and samples.HOSTILE_SCRIPT in text
    # Every image is an embedded PNG, and each one decoded (a broken image has no natural size
    # in the DOM, but its data URI would be missing or malformed here).
    sources = [img.attributes.get("src") or "" for img in dom.css("img")]
    assert len(sources) == 4 and all(s.startswith("data:image/png;base64,iVBOR") for s in sources)
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    assert not console, f"the page logged to the console: {console}"
    assert "Refused to" not in run.stderr  # no CSP violation: nothing tried to run or load


def test_screenshot_shows_a_page(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "page.png"
    run = _chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2400",
                    "--hide-scrollbars")
    assert run.returncode == 0, run.stderr[-2000:]
    pixels = imread(shot)
    assert pixels.shape[:2] == (2400, 1280)
    assert pixels.std() > 0.05  # text, tables and pictures, not a blank or error page


def test_a_corpus_report_stays_inside_a_1280_pixel_window(tmp_path: Path) -> None:
    """Long URLs wrap (they ran off the right edge of the problems table at 1,280 px)."""
    meta = ReportMeta.collect(samples.long_url_corpus(), inputs=["corpus/"],
                              now=datetime(2026, 11, 28, tzinfo=UTC))
    write_report(samples.long_url_corpus(), tmp_path / "out", meta=meta)
    shot = tmp_path / "page.png"
    run = _chromium(tmp_path / "out" / "index.html", tmp_path / "profile",
                    f"--screenshot={shot}", "--window-size=1280,6000", "--hide-scrollbars")
    assert run.returncode == 0, run.stderr[-2000:]
    pixels = imread(shot)[:, :, :3]
    right_margin = pixels[:, 1262:, :]  # the body is at most 1,200 px wide, centred
    assert right_margin.min() > 0.97, "something runs into the right margin"
