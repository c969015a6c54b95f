"""``linkgraph report`` run for real: from files, from a store, with its default folder."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.sources import default_registry
from linkgraph.store import Store
from linkgraph.workflow.report import default_out

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-arms.json"


def test_help_names_every_option() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--out", "--check", "--svg", "--base", "--all-links"):
        assert option in result.output


def test_default_folder_names() -> None:
    assert default_out(["examples/ukraine-arms.json"], None) == Path("reports/ukraine-arms")
    assert default_out(["saved/page.html.gz"], None) == Path("reports/page")
    assert default_out(["exports/"], None) == Path("reports/exports")
    assert default_out(["a.json", "b.json"], None) == Path("reports/corpus")
    assert default_out([], "news.db") == Path("reports/news")


def test_report_of_the_example(tmp_path: Path) -> None:
    out = tmp_path / "example"
    result = CliRunner().invoke(main, ["report", str(EXAMPLE), "--out", str(out), "--svg"])
    assert result.exit_code == 0, result.output
    assert "index.html" in result.output and "graph.png" in result.output
    assert "1 article(s)" in result.output
    names = {p.name for p in out.iterdir()}
    assert {"index.html", "graph.png", "graph.svg", "top_sources.png", "top_sources.svg",
            "report.md", "report.json"} <= names
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert ("svg", "true") in [tuple(o) for o in data["meta"]["options"]]
    assert data["meta"]["inputs"] == [str(EXAMPLE)]


def test_report_from_a_store_and_unreadable_inputs(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(EXAMPLE), "--db", str(db)]).exit_code == 0
    with Store(db) as store:
        assert store.counts()["articles"] == 1
    out = tmp_path / "from-db"
    result = runner.invoke(main, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["headline"]["articles"] == 1 and data["outlets"]
    broken = tmp_path / "broken.json"
    broken.write_text("this is not JSON at all", encoding="utf-8")
    result = runner.invoke(main, ["report", str(EXAMPLE), str(broken), "--out", str(out)])
    assert result.exit_code == 4  # some inputs unreadable; the report is still written
    assert "broken.json" in result.output
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["headline"][
        "articles"] == 1


def test_report_of_the_seed_leads_with_its_lost_links(corpus: Path, tmp_path: Path) -> None:
    seed = corpus / "seed" / "koreapro-2200266.json"
    out = tmp_path / "seed"
    result = CliRunner().invoke(main, ["report", str(seed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text(encoding="utf-8")
    lead = report[report.index("## Citations in order"):report.index("## Problems")]
    for word in ("urged", "made", "citing", "adding", "offering", "Gallup Korea",
                 "Foreign Trade Act", "Furthermore"):
        assert f"| {word} |" in lead


def test_needs_inputs_or_a_store() -> None:
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2
    assert "INPUT" in result.output


class _Pages(BaseHTTPRequestHandler):
    """/ok answers 200 with a page; everything else is a 404.  Request start times are kept
    on the server (``server.starts``)."""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, *, body: bool) -> None:
        self.server.starts.append(time.monotonic())  # type: ignore[attr-defined]
        found = self.path == "/ok"
        page = b"<html><head><title>Report</title></head><body>" + b"text " * 200 + b"</body>"
        if not found:
            page = b"<html><head><title>Not found</title></head><body>404</body></html>"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if body:
            self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback_site() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.starts = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_check_runs_the_checker_and_keeps_results_in_the_store(
    tmp_path: Path, loopback_site: ThreadingHTTPServer
) -> None:
    site = f"http://127.0.0.1:{loopback_site.server_address[1]}"
    post = {
        "id": 7, "date_gmt": "2024-03-01T10:00:00", "link": "https://desk.example.org/p/",
        "title": {"rendered": "Loopback post"},
        "content": {"rendered": f'<p>As <a href="{site}/ok">one report</a> and'
                                f' <a href="{site}/gone">another</a> said.</p>'},
    }
    source = tmp_path / "post.json"
    source.write_text(json.dumps(post), encoding="utf-8")
    db = tmp_path / "news.db"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(source), "--db", str(db)]).exit_code == 0
    out = tmp_path / "checked"
    # The checker refuses loopback addresses unless allowed: the test allows its own server
    # only, and turns off the archive lookup (it would go to the internet).  The politeness
    # options are the checker's own: one request at a time, 0.3 s apart, on this host.
    result = runner.invoke(main, ["report", "--db", str(db), "--check", "--out", str(out),
                                  "--allow", "127.0.0.1", "--no-archive", "--per-host", "1",
                                  "--interval", "0.3", "--timeout", "5"])
    assert result.exit_code == 1, result.output  # a dead link was found: CI can fail on it
    assert "2 URL(s) checked, 1 failing" in result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    verdicts = {url.rsplit("/", 1)[1]: s["latest"]["verdict"]
                for url, s in data["link_status"].items()}
    assert verdicts == {"ok": "alive", "gone": "dead"}
    assert data["problem_counts"]["dead"] == 1
    assert (out / "link_status.png").exists()
    with Store(db) as store:
        assert store.counts()["checks"] == 2
    starts = sorted(loopback_site.starts)  # type: ignore[attr-defined]
    assert len(starts) >= 2
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.25, gaps  # --interval reached the checker


def test_two_copies_of_one_article_count_once_with_a_note(tmp_path: Path) -> None:
    page = (
        '<html><head><link rel="canonical" href="https://news.example/2024/story"></head>'
        '<body><article><p>As <a href="https://gov.example/r">the report</a> said, a paragraph'
        " long enough to be the body of this article.</p></article></body></html>"
    )
    for name in ("saved-monday.html", "saved-tuesday.html"):
        (tmp_path / name).write_text(page, encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "saved-tuesday.html is the same article as" in result.output
    assert "1 article(s)" in result.output


def test_a_user_configs_registry_version_is_the_one_reported(tmp_path: Path) -> None:
    config = tmp_path / "linkgraph.toml"
    config.write_text(
        '[[outlets]]\nkey = "reuters.com"\nname = "Reuters (desk override)"\n'
        'kind = "news_agency"\nprefixes = ["reuters.com"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "report"
    result = CliRunner().invoke(
        main, ["report", str(EXAMPLE), "--out", str(out), "--config", str(config), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    version = json.loads((out / "report.json").read_text(encoding="utf-8"))["meta"][
        "registry_version"
    ]
    assert version.endswith("(with 1 from linkgraph.toml)")
    assert version != default_registry().version
    assert version in (out / "report.md").read_text(encoding="utf-8")
