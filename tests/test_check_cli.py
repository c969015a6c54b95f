"""``linkgraph check`` end to end: real inputs, a real SQLite store, the loopback server."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from checkserver import CheckServer
from click.testing import CliRunner

import linkgraph.cli.check as check_cli
from linkgraph.check import StaticResolver
from linkgraph.check.export import article_location, sarif_text
from linkgraph.cli import main
from linkgraph.pipeline import extract_inputs
from linkgraph.records import CheckResult, Extraction, Verdict
from linkgraph.store import Store

FIELDS = {"url", "verdict", "status", "final_url", "redirects", "error", "attempts",
          "checked_at", "archive_url"}


@pytest.fixture(scope="module")
def server() -> Iterator[CheckServer]:
    with CheckServer(("127.0.0.2", "127.0.0.3", "127.0.0.6", "127.0.0.8"),
                     ua_walled={"127.0.0.8"}) as srv:
        yield srv


@pytest.fixture(autouse=True)
def resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {"agency.test": ["127.0.0.2"], "pollster.test": ["127.0.0.3"],
             "example.com": ["127.0.0.9"],  # the canary: resolved, never fetched
             "archive.test": ["127.0.0.6"], "walled.test": ["127.0.0.8"]}
    monkeypatch.setattr(check_cli, "RESOLVER_HOOK", StaticResolver(table))


def write_post(tmp_path: Path, server: CheckServer) -> Path:
    links = [
        server.url("agency.test", "/ok"),
        server.url("pollster.test", "/gone404"),
        f"http://127.0.0.2:{server.port}/chain/1",
        server.url("agency.test", "/ok"),  # cited twice: checked once
    ]
    body = "".join(f'<p>Claim {i} <a href="{u}">source {i}</a>.</p>' for i, u in enumerate(links))
    post = {"id": 7, "link": "https://news.example/2024/03/story",
            "date_gmt": "2024-03-01T10:00:00", "title": {"rendered": "Story"},
            "content": {"rendered": body}}
    path = tmp_path / "post.json"
    path.write_text(json.dumps(post), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def base_args(server: CheckServer) -> list[str]:
    return ["--allow", "127.0.0.0/8", "--interval", "0", "--timeout", "0.5",
            "--archive-base", server.url("archive.test", "/wayback/available")]


def test_inputs_checked_stored_and_reported(tmp_path: Path, server: CheckServer) -> None:
    post, db = write_post(tmp_path, server), tmp_path / "news.db"
    code, out = run(str(post), "--db", str(db), "--format", "json", *base_args(server))
    assert code == 1  # a dead link was found
    document = json.loads(out)
    rows = {row["url"]: row for row in document["results"]}
    assert len(rows) == 3
    assert all(set(row) >= FIELDS for row in rows.values())
    dead = rows[server.url("pollster.test", "/gone404")]
    assert (dead["verdict"], dead["status"], dead["error"]) == ("dead", 404, "http_404")
    assert dead["archive_url"].startswith("http://web.archive.test/web/2023")  # before 2024-03
    assert rows[f"http://127.0.0.2:{server.port}/chain/1"]["verdict"] == "redirected"
    assert rows[server.url("agency.test", "/ok")]["verdict"] == "alive"
    assert document["summary"]["by_verdict"]["dead"] == 1
    assert document["summary"]["confirmed_dead"] == 0
    with Store(db) as store:
        assert {r.url for h in store.check_histories().values() for r in h} == set(rows)


def test_store_only_run_max_age_and_confirmation(tmp_path: Path, server: CheckServer) -> None:
    post, db = write_post(tmp_path, server), tmp_path / "news.db"
    with Store(db) as store:
        for item in extract_inputs([str(post)]):
            assert isinstance(item, Extraction)
            store.put_extraction(item)
    code, out = run("--db", str(db), "--format", "jsonl", *base_args(server))
    assert code == 1
    assert len(out.splitlines()) == 3
    seen = len(server.log)
    # --max-age: nothing is checked again, the stored results are reported.
    code, out = run("--db", str(db), "--format", "csv", "--max-age", "7d", *base_args(server))
    assert code == 1
    assert len(server.log) == seen
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["verdict"] for r in rows} == {"alive", "dead", "redirected"}
    # One failure is "failing", not "confirmed dead".
    code, _ = run("--db", str(db), "--fail-when", "confirmed", "--no-archive", *base_args(server))
    assert code == 0
    # Two earlier failures, days apart: now it is confirmed dead.
    dead_url = server.url("pollster.test", "/gone404")
    with Store(db) as store:
        latest = store.check_history(dead_url)[-1]
        for days in (5, 3):
            when = datetime.now(UTC) - timedelta(days=days)
            store.add_check(replace(latest, checked_at=when))
    code, out = run("--db", str(db), "--fail-when", "confirmed", "--format", "json",
                    "--no-archive", *base_args(server))
    assert code == 1
    document = json.loads(out)
    assert document["summary"]["confirmed_dead"] == 1
    confirmed = [r for r in document["results"] if r["confirmed_dead"]]
    assert [r["url"] for r in confirmed] == [dead_url]


def test_fail_on_is_configurable_and_table_output(tmp_path: Path, server: CheckServer) -> None:
    post = write_post(tmp_path, server)
    code, out = run(str(post), "--fail-on", "timeout", "--no-archive", *base_args(server))
    assert code == 0
    assert "Summary" in out
    assert "gone404" in out


def test_private_addresses_refused_without_allow(tmp_path: Path, server: CheckServer) -> None:
    post = write_post(tmp_path, server)
    before = len(server.connections)
    code, out = run(str(post), "--format", "json", "--interval", "0", "--no-archive")
    assert code == 0
    verdicts = {r["verdict"] for r in json.loads(out)["results"]}
    assert verdicts == {Verdict.SKIPPED.value}
    assert len(server.connections) == before


def test_usage_and_runtime_errors(tmp_path: Path) -> None:
    post = tmp_path / "empty.json"
    post.write_text("[]", encoding="utf-8")
    assert run(str(post), "--fail-on", "deadish")[0] == 2
    assert run(str(post), "--max-age", "soon")[0] == 2
    assert run(str(post), "--allow", "10.0.0.0/99")[0] == 3
    # Reading a store never creates one: a missing store is a usage error ...
    assert run("--db", str(tmp_path / "no" / "such" / "dir" / "x.db"))[0] == 2
    # ... and a file that is not a store is a runtime error.
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not sqlite at all" * 64)
    assert run("--db", str(broken))[0] == 3


def run_full(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write_links(tmp_path: Path, links: list[str]) -> Path:
    body = "".join(f'<p>Claim {i} <a href="{u}">source {i}</a>.</p>' for i, u in enumerate(links))
    post = {"id": 8, "link": "https://news.example/2024/04/other",
            "date_gmt": "2024-04-01T10:00:00", "title": {"rendered": "Other"},
            "content": {"rendered": body}}
    path = tmp_path / "links.json"
    path.write_text(json.dumps(post), encoding="utf-8")
    return path


def test_user_agent_wall_and_headers(tmp_path: Path, server: CheckServer) -> None:
    # A site that answers 403 to any agent but a crawler-convention one: the default passes.
    post = write_links(tmp_path, [server.url("walled.test", "/article/ua")])
    seen = len(server.headers_seen)
    code, out, _ = run_full(str(post), "--format", "json", "--no-archive", "-H", "X-Desk: politics",
                            *base_args(server))
    assert code == 0
    [row] = json.loads(out)["results"]
    assert row["verdict"] == "alive"
    sent = server.headers_seen[seen]
    assert re.fullmatch(r"Mozilla/5\.0 \(compatible; linkgraph/\d+\.\d+\.\d+; \+https://\S+\)",
                        sent["user-agent"]), sent["user-agent"]
    assert sent["x-desk"] == "politics"
    # A browser-less agent meets the wall: blocked (unverifiable), never dead.
    code, out, _ = run_full(str(post), "--format", "json", "--no-archive",
                            "--user-agent", "curl/8.5", *base_args(server))
    [row] = json.loads(out)["results"]
    assert (row["verdict"], row["status"], row["error"]) == ("blocked", 403, "forbidden")
    assert run_full(str(post), "-H", "no colon here")[0] == 2


def test_exclude_include_ignore_file_and_accept(
    tmp_path: Path, server: CheckServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    excluded = server.url("pollster.test", "/article/never-fetched")
    links = [server.url("agency.test", "/ok"), server.url("pollster.test", "/gone404"), excluded]
    post = write_links(tmp_path, links)
    code, out, _ = run_full(str(post), "--format", "json", "--no-archive",
                            "--exclude", "pollster", "--include", "gone404", *base_args(server))
    rows = {r["url"]: r for r in json.loads(out)["results"]}
    assert (rows[excluded]["verdict"], rows[excluded]["error"]) == ("skipped", "excluded")
    assert rows[links[1]]["verdict"] == "dead"  # --include wins over --exclude
    assert code == 1
    assert server.entries("127.0.0.3", "/article/never-fetched") == []
    # The same through an ignore file (read from the current folder by default), and the
    # 404 accepted as alive.
    (tmp_path / ".linkgraphignore").write_text("# never\npollster\\.test\n", encoding="utf-8")
    with monkeypatch.context() as inside:
        inside.chdir(tmp_path)
        code, out, _ = run_full(str(post), "--format", "json", "--no-archive", "--accept", "404",
                                *base_args(server))
    rows = {r["url"]: r for r in json.loads(out)["results"]}
    assert {r["verdict"] for u, r in rows.items() if u != links[0]} == {"skipped"}
    assert code == 0
    code, out, _ = run_full(str(post), "--format", "json", "--no-archive", "--accept", "404",
                            *base_args(server))
    assert json.loads(out)["summary"]["by_verdict"]["alive"] == 3
    assert code == 0
    bad = tmp_path / "bad.ignore"
    bad.write_text("ok\n(unclosed\n", encoding="utf-8")
    code, _, err = run_full(str(post), "--ignore-file", str(bad))
    assert code == 3 and "bad.ignore:2" in err
    assert run_full(str(post), "--accept", "4O4")[0] == 2


def test_formats_for_pull_requests_and_ci(
    tmp_path: Path, server: CheckServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a repository's root, as in CI
    post = write_post(tmp_path, server)
    common = [str(post), "--no-archive", *base_args(server)]
    code, out, _ = run_full(*common, "--format", "markdown")
    assert code == 1
    assert out.startswith("## Link check: 1 failing of 3 links")
    assert f"| **dead** | 404 | <{server.url('pollster.test', '/gone404')}> |" in out
    code, out, _ = run_full(*common, "--format", "junit")
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("3", "1")
    [failure] = root.iter("failure")
    assert failure.get("type") == "dead"
    code, out, _ = run_full(*common, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    levels = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}
    assert levels == {"dead": "error", "redirected": "note"}
    # Each result is placed in the article where the link appears (its file, relative to the
    # repository's root); the checked URL is in the message and the properties.
    gone = server.url("pollster.test", "/gone404")
    [dead] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "dead"]
    for result in sarif["runs"][0]["results"]:
        [location] = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "post.json"
    assert gone in dead["message"]["text"] and dead["properties"]["url"] == gone
    # Without inputs the store says where: the article's file as ingested.
    db = tmp_path / "news.db"
    ingest = CliRunner().invoke(main, ["ingest", str(post), "--db", str(db)])
    assert ingest.exit_code == 0, ingest.output
    code, out, _ = run_full("--db", str(db), "--no-archive", *base_args(server),
                            "--format", "sarif")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]}
    assert uris == {"post.json"}


def test_sarif_places_a_web_article_at_its_url(tmp_path: Path) -> None:
    assert article_location("https://u:p@news.example/p") == "https://news.example/p"
    assert article_location("-", "https://news.example/p") == "https://news.example/p"
    assert article_location("sub/a.html", base=tmp_path) == "sub/a.html"
    assert article_location(str(tmp_path / "x.html"), base=tmp_path / "repo").startswith("file:")
    result = CheckResult("https://gone.test/a", datetime.now(UTC), Verdict.DEAD, status=404)
    sarif = json.loads(sarif_text([result], {}, cited_in={
        "https://gone.test/a": "https://news.example/p"}))
    [placed] = sarif["runs"][0]["results"]
    uri = placed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "https://news.example/p"
    assert placed["properties"]["url"] == "https://gone.test/a"


def test_progress_lines_in_logs(tmp_path: Path, server: CheckServer) -> None:
    post = write_post(tmp_path, server)
    common = [str(post), "--no-archive", "--format", "json", *base_args(server)]
    _, _, err = run_full(*common)
    assert "checked 3 of 3 links" in err  # stderr is not a terminal: plain lines
    _, _, err = run_full(*common, "--no-progress")
    assert "checked" not in err
