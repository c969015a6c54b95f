"""``report --check`` with the resolver down: unverified links are never dead nor stored.

The resolver answers "no such name" for every name (the canaries too), and one link is an IP
literal on a loopback server that answers: as with ``linkgraph check``, the named links are
unverified (nothing stored, shown as unchecked, a plain note in the report) and the exit code
is 3.  No test here reaches real DNS: the system resolver is replaced by one that fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from checkserver import CheckServer
from click.testing import CliRunner

import linkgraph.check.runner as runner_module
import linkgraph.cli.check as check_cli
from linkgraph.check import StaticResolver
from linkgraph.cli import main
from linkgraph.records import Verdict
from linkgraph.store import Store


class _NoRealDns:
    """Stands in for the system resolver: a test that reaches it fails instead of asking DNS."""

    def __init__(self) -> None:
        raise AssertionError("the report's checks asked the system resolver (real DNS)")


@pytest.fixture(scope="module")
def server() -> Iterator[CheckServer]:
    with CheckServer(("127.0.0.2",)) as srv:
        yield srv


def _post(tmp_path: Path, urls: list[str]) -> Path:
    post = tmp_path / "wolf.html"
    links = "".join(f'<p>See <a href="{u}">this</a>.</p>' for u in urls)
    post.write_text(f"<html><body><article>{links}</article></body></html>", encoding="utf-8")
    return post


def test_report_check_with_the_resolver_down_stores_no_error_and_exits_3(
    server: CheckServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "SystemResolver", _NoRealDns)
    # NXDOMAIN for every name, the canaries included: the same hook `check` tests use.
    monkeypatch.setattr(check_cli, "RESOLVER_HOOK", StaticResolver({}))
    alive = server.url("127.0.0.2", "/ok")
    named = ["https://www.example.org/report/2024", "https://www.reuters.com/world/story/"]
    post = _post(tmp_path, [alive, *named])
    db, out = tmp_path / "news.db", tmp_path / "report"
    result = CliRunner().invoke(main, [
        "report", str(post), "--db", str(db), "--check", "--out", str(out),
        "--allow", "127.0.0.2", "--no-archive", "--timeout", "5",
    ])
    assert result.exit_code == 3, result.output
    assert "could not be verified" in result.stderr and "2 link(s)" in result.stderr
    # The report is written; only the judged link has a status; no dead, no error.
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {url: s["latest"]["verdict"] for url, s in data["link_status"].items()} == {
        alive: "alive"}
    assert "dead" not in data["problem_counts"]
    [note] = data["meta"]["notes"]
    assert "2 link(s) could not be verified" in note and "example.com" in note
    assert "could not be verified" in (out / "index.html").read_text(encoding="utf-8")
    assert "could not be verified" in (out / "report.md").read_text(encoding="utf-8")
    with Store(db) as store:
        histories = store.check_histories()
    assert {url: [r.verdict for r in h] for url, h in histories.items()} == {
        alive: [Verdict.ALIVE]}


def test_report_check_with_nothing_answering_writes_nothing_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "SystemResolver", _NoRealDns)
    monkeypatch.setattr(check_cli, "RESOLVER_HOOK", StaticResolver({}))
    post = _post(tmp_path, ["https://www.example.org/a", "https://news.example/b"])
    db, out = tmp_path / "news.db", tmp_path / "report"
    result = CliRunner().invoke(main, [
        "report", str(post), "--db", str(db), "--check", "--out", str(out), "--no-archive",
    ])
    assert result.exit_code == 3, result.output
    assert "nothing was stored" in result.stderr
    assert not out.exists()
    with Store(db) as store:
        assert store.check_histories() == {}
