"""``linkgraph collect`` end to end: a real process killed mid-crawl, then resumed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_collect_wordpress import rows
from test_streamed_paths import figures
from wpserver import CORPUS, FakeWordPress, corpus_posts

import linkgraph.cli.collect as collect_cli
from linkgraph.cli import main

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/wp is absent")


def articles(db: Path) -> int:
    try:
        with sqlite3.connect(db) as con:
            return int(con.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_loopback_is_refused_unless_allowed(tmp_path: Path) -> None:
    with FakeWordPress(corpus_posts()[:3]) as site:
        refused = CliRunner().invoke(main, ["collect", site.url, "--db", str(tmp_path / "a.db")])
        assert site.requests == []
        allowed = CliRunner().invoke(main, ["collect", site.url, "--db", str(tmp_path / "b.db"),
                                            "--allow", "127.0.0.1", "--interval", "0"])
    assert refused.exit_code == 4
    assert "loopback" in refused.output
    assert allowed.exit_code == 0, allowed.output
    assert "collected 3 article(s)" in allowed.output


def test_killed_crawl_resumes_to_the_same_rows(tmp_path: Path) -> None:
    whole, cut = tmp_path / "whole.db", tmp_path / "cut.db"
    with FakeWordPress(corpus_posts(), latency=0.3) as site:
        args = ["collect", site.url, "--allow", "127.0.0.1", "--interval", "0"]
        assert CliRunner().invoke(main, [*args, "--db", str(whole)]).exit_code == 0
        process = subprocess.Popen(
            [sys.executable, "-c", "from linkgraph.cli import main; main()", *args,
             "--db", str(cut)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
        )
        deadline = time.monotonic() + 60
        while articles(cut) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert 100 <= articles(cut) < 373  # killed midway, for real
        resumed = CliRunner().invoke(main, [*args, "--db", str(cut)])
    assert resumed.exit_code == 0, resumed.output
    assert rows(cut) == rows(whole)


def test_plain_progress_lines_when_stderr_is_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collect_cli, "PLAIN_EVERY", 0.0)
    with FakeWordPress(corpus_posts()) as site:
        result = CliRunner().invoke(main, ["collect", site.url, "--db", str(tmp_path / "a.db"),
                                           "--allow", "127.0.0.1", "--interval", "0"])
    assert result.exit_code == 0
    assert "collect: " + site.url + ": 100/373 article(s)" in result.output


def test_report_of_a_site_collects_then_reports(tmp_path: Path) -> None:
    db, out = tmp_path / "news.db", tmp_path / "out"
    with FakeWordPress(corpus_posts()) as site:
        result = CliRunner().invoke(main, [
            "report", site.url, "--since", "2015-06-01", "--allow", "127.0.0.1",
            "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = sum(1 for p in corpus_posts() if p["modified"] > "2015-06-01T00:00:00")
    assert f"collected {expected} article(s)" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["articles"] == expected
    origin = report["articles"][0]["origin"]  # provenance: where and when it was fetched
    assert origin["path"].startswith(site.url) and origin["fetched_at"].startswith("20")


def test_streamed_report_of_a_site_covers_the_site_only(tmp_path: Path) -> None:
    """``report SITE --streamed`` (or a store above the threshold) reports the articles
    collected from the site, as the in-memory report does, not the whole store."""
    db = tmp_path / "news.db"
    examples = Path(__file__).resolve().parents[1] / "examples" / "ukraine-arms.json"
    assert CliRunner().invoke(main, ["ingest", str(examples), "--db", str(db)]).exit_code == 0
    posts = corpus_posts()[:5]
    reports = {}
    with FakeWordPress(posts) as site:
        for name, extra in (("memory", []), ("streamed", ["--streamed"])):
            out = tmp_path / name
            result = CliRunner().invoke(main, [
                "-q", "report", site.url, "--allow", "127.0.0.1", "--interval", "0",
                "--db", str(db), "--out", str(out), *extra])
            assert result.exit_code == 0, result.output
            reports[name] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert reports["streamed"]["streamed"] is True
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1 + len(posts)
    for field in ("summary", "outlets", "periods"):
        assert figures(reports["streamed"][field]) == figures(reports["memory"][field]), field
    assert reports["streamed"]["summary"]["articles"] == len(posts)
