"""A dead network is not a dead link: offline runs stop, store nothing, and never count.

Offline, ``getaddrinfo`` answers every name in one of two shapes depending on the system:
"no such name" (EAI_NONAME, as a sandbox without a resolver does) or "temporary failure"
(EAI_AGAIN).  Both are simulated with resolvers that fail every name the same way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from checkserver import CheckServer, fast_config
from click.testing import CliRunner

import linkgraph.cli.check as check_cli
from linkgraph.check import (
    ResolutionError,
    StaticResolver,
    SystemResolver,
    check_urls,
    link_status,
    run_checks,
)
from linkgraph.cli import main
from linkgraph.errors import NetworkDown
from linkgraph.records import CheckResult, ErrorKind, Verdict
from linkgraph.store import Store

CANARIES = ("example.com", "example.org")


class OfflineResolver:
    """Every name fails alike: ``missing`` is EAI_NONAME's shape, else EAI_AGAIN's."""

    def __init__(self, *, missing: bool) -> None:
        self.missing = missing
        self.asked: list[str] = []

    async def resolve(self, host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        self.asked.append(host)
        raise ResolutionError(f"cannot resolve {host}", missing=self.missing)


def urls_on_many_hosts(hosts: int = 20, per_host: int = 3) -> list[str]:
    return [f"https://site{h}.example/story/{i}" for h in range(hosts) for i in range(per_host)]


@pytest.mark.parametrize("missing", [True, False], ids=["EAI_NONAME", "EAI_AGAIN"])
def test_offline_run_stops_and_reports_nothing(missing: bool) -> None:
    resolver = OfflineResolver(missing=missing)
    seen: list[CheckResult] = []
    config = fast_config(canary_hosts=CANARIES, archive=False)
    with pytest.raises(NetworkDown, match="network"):
        asyncio.run(run_checks(urls_on_many_hosts(100), config, resolver=resolver,
                               on_result=seen.append))
    assert seen == []  # nothing was judged, nothing reached the caller (or its store)
    assert set(CANARIES) & set(resolver.asked)  # the canaries were asked before giving up
    assert len(set(resolver.asked)) < 50  # it stopped early (of 100 hosts)


@pytest.mark.parametrize("missing", [True, False], ids=["EAI_NONAME", "EAI_AGAIN"])
def test_offline_single_url_is_not_dead(missing: bool) -> None:
    config = fast_config(canary_hosts=CANARIES, archive=False)
    with pytest.raises(NetworkDown):
        check_urls(["https://only.example/a"], config, resolver=OfflineResolver(missing=missing))


@pytest.fixture(scope="module")
def server() -> Iterator[CheckServer]:
    with CheckServer(("127.0.0.2",)) as srv:
        yield srv


def test_missing_name_is_dead_when_the_resolver_answers_a_canary(server: CheckServer) -> None:
    # example.com resolves (the resolver works), so "no such name" for gone.test is believed.
    resolver = StaticResolver({"agency.test": ["127.0.0.2"], "example.com": ["127.0.0.2"]})
    urls = [f"http://gone.test:{server.port}/a", server.url("agency.test", "/ok")]
    config = fast_config(canary_hosts=("example.com",), archive=False)
    results = {r.url: r for r in check_urls(urls, config, resolver=resolver)}
    assert (results[urls[0]].verdict, results[urls[0]].error) == (Verdict.DEAD, "nxdomain")
    assert results[urls[1]].verdict is Verdict.ALIVE
    assert {e.host.split(":")[0] for e in server.entries()} == {"agency.test"}  # never fetched


def test_a_name_missing_from_a_resolver_that_resolves_nothing_is_not_dead() -> None:
    # Only the link's host is asked and fails, and the canary fails too: the run stops.
    resolver = StaticResolver({})
    config = fast_config(canary_hosts=("example.com",), archive=False)
    with pytest.raises(NetworkDown, match=r"example\.com"):
        check_urls(["http://gone.test/a"], config, resolver=resolver)


def test_every_host_refusing_alike_stops_the_run() -> None:
    # Eight hosts on loopback addresses where nothing listens: all refused, none answered.
    table = {f"h{i}.test": [f"127.0.0.{60 + i}"] for i in range(8)} | {"example.com": ["127.0.0.1"]}
    urls = [f"http://h{i}.test:9/x" for i in range(8)]
    config = fast_config(canary_hosts=("example.com",), archive=False, network_threshold=8)
    seen: list[CheckResult] = []
    with pytest.raises(NetworkDown, match="refused"):
        asyncio.run(run_checks(urls, config, resolver=StaticResolver(table),
                               on_result=seen.append))
    assert seen == []


def test_a_few_refusing_hosts_are_judged_when_the_resolver_works() -> None:
    table = {"h1.test": ["127.0.0.61"], "h2.test": ["127.0.0.62"], "example.com": ["127.0.0.1"]}
    config = fast_config(canary_hosts=("example.com",), archive=False)
    results = check_urls(["http://h1.test:9/x", "http://h2.test:9/x"], config,
                         resolver=StaticResolver(table))
    assert {(r.verdict, r.error) for r in results} == {(Verdict.DEAD, ErrorKind.REFUSED)}


def test_network_failures_never_confirm_a_link_dead() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)

    def history(verdict: Verdict, error: ErrorKind) -> list[CheckResult]:
        return [CheckResult("http://a.test/x", t + timedelta(days=d), verdict, error=error)
                for d in (0, 2, 4, 6)]

    assert link_status(history(Verdict.DEAD, ErrorKind.NXDOMAIN)).confirmed_dead
    assert link_status(history(Verdict.DEAD, ErrorKind.HTTP_404)).confirmed_dead
    # "dns" was stored before a dead resolver was told apart from a missing name.
    assert not link_status(history(Verdict.DEAD, ErrorKind.DNS)).confirmed_dead
    assert link_status(history(Verdict.DEAD, ErrorKind.DNS)).failures == 0
    assert not link_status(history(Verdict.ERROR, ErrorKind.DNS_UNAVAILABLE)).confirmed_dead


@pytest.mark.parametrize(
    ("code", "missing"),
    [(socket.EAI_NONAME, True), (socket.EAI_AGAIN, False), (socket.EAI_FAIL, False)],
)
def test_system_resolver_tells_no_such_name_from_no_answer(
    monkeypatch: pytest.MonkeyPatch, code: int, missing: bool
) -> None:
    async def getaddrinfo(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(code, "simulated")

    async def resolve() -> bool:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
        try:
            await SystemResolver().resolve("news.example")
        except ResolutionError as exc:
            return exc.missing
        raise AssertionError("resolved")

    assert asyncio.run(resolve()) is missing


def test_cli_offline_exits_3_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.add_check(CheckResult("https://site1.example/story/0", datetime.now(UTC),
                                    Verdict.ALIVE, status=200))
    post = tmp_path / "post.html"
    links = "".join(f'<p>See <a href="{u}">this</a>.</p>' for u in urls_on_many_hosts(12, 1))
    post.write_text(f"<html><body><article>{links}</article></body></html>", encoding="utf-8")
    monkeypatch.setattr(check_cli, "RESOLVER_HOOK", OfflineResolver(missing=True))
    result = CliRunner().invoke(main, ["check", str(post), "--db", str(db), "--no-archive"])
    assert result.exit_code == 3, result.output
    assert "network" in result.stderr and "nothing was stored" in result.stderr
    with Store(db) as store:
        histories = store.check_histories()
    assert sum(len(h) for h in histories.values()) == 1  # only the check stored before


def test_dead_results_of_the_old_dns_kind_read_back_as_errors(tmp_path: Path) -> None:
    # An offline run of an older version stored every link "dead (dns)": read back, those are
    # unverified errors, so no report draws them dead; a real 404 stays dead.
    when = datetime.now(UTC)
    with Store(tmp_path / "old.db") as store:
        store.add_check(CheckResult("https://a.example/x", when, Verdict.DEAD, error=ErrorKind.DNS))
        store.add_check(CheckResult("https://b.example/y", when, Verdict.DEAD, status=404,
                                    error=ErrorKind.HTTP_404))
        histories = store.check_histories()
    assert histories["https://a.example/x"][-1].verdict is Verdict.ERROR
    assert histories["https://b.example/y"][-1].verdict is Verdict.DEAD


def test_error_kinds_stored_by_older_versions_still_read(tmp_path: Path) -> None:
    with Store(tmp_path / "old.db") as store:
        store.add_check(CheckResult("https://a.example/x", datetime.now(UTC), Verdict.DEAD,
                                    status=503, error=ErrorKind.HTTP_5XX))
    with sqlite3.connect(tmp_path / "old.db") as db:  # as an older version spelled them
        db.execute("UPDATE checks SET error = 'http_503'")
    with Store(tmp_path / "old.db") as store:
        [result] = store.check_history("https://a.example/x")
    assert (result.verdict, result.error, result.status) == (Verdict.DEAD, "http_5xx", 503)
    assert ErrorKind("http_418") is ErrorKind.HTTP_4XX
    assert ErrorKind("from the future") is ErrorKind.OTHER


# The resolver answers NXDOMAIN for every name, but one link is an IP literal that answers:
# the literal's answer proves nothing about the resolver (it was never asked), so the named
# links are unverified errors, never dead, and the run says why.
def _wolf_urls(server: CheckServer) -> list[str]:
    return [server.url("127.0.0.2", "/ok"), "https://www.example.org/report/2024",
            "https://www.reuters.com/world/story-2024/"]


def test_an_ip_literal_answering_does_not_make_nxdomain_believable(
    server: CheckServer, caplog: pytest.LogCaptureFixture
) -> None:
    urls = _wolf_urls(server)
    seen: list[CheckResult] = []
    config = fast_config(canary_hosts=CANARIES, archive=False)
    stats = asyncio.run(run_checks(urls, config, resolver=StaticResolver({}),
                                   on_result=seen.append))
    results = {r.url: r for r in seen}
    assert results[urls[0]].verdict is Verdict.ALIVE  # judged: it needs no resolver
    for url in urls[1:]:
        assert (results[url].verdict, results[url].error) == (
            Verdict.ERROR, ErrorKind.DNS_UNAVAILABLE), url
    assert stats.resolver_down is not None and "example.com" in stats.resolver_down
    assert "2 link(s)" in caplog.text and "unverified" in caplog.text


def test_a_loopback_name_answering_does_not_make_nxdomain_believable(
    server: CheckServer,
) -> None:
    # "localhost" as a hosts file answers it: resolved without the DNS the canaries test.
    urls = [server.url("localhost", "/ok"), "https://gone.example/a"]
    config = fast_config(canary_hosts=CANARIES, archive=False)
    results = {r.url: r for r in check_urls(
        urls, config, resolver=StaticResolver({"localhost": ["127.0.0.2"]}))}
    assert results[urls[0]].verdict is Verdict.ALIVE
    assert results[urls[1]].verdict is Verdict.ERROR
    assert results[urls[1]].error is ErrorKind.DNS_UNAVAILABLE


def test_nothing_judged_with_the_resolver_down_still_stops_the_run() -> None:
    # The literal does not answer either (nothing listens on port 9): no link could be judged.
    config = fast_config(canary_hosts=CANARIES, archive=False)
    seen: list[CheckResult] = []
    with pytest.raises(NetworkDown, match=r"example\.com"):
        asyncio.run(run_checks(["http://127.0.0.61:9/x", "https://gone.example/a"], config,
                               resolver=StaticResolver({}), on_result=seen.append))
    assert seen == []


def test_cli_resolver_down_with_an_ip_link_stores_no_dead_and_exits_3(
    server: CheckServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.db"
    Store(db).close()
    post = tmp_path / "wolf.html"
    links = "".join(f'<p>See <a href="{u}">this</a>.</p>' for u in _wolf_urls(server))
    post.write_text(f"<html><body><article>{links}</article></body></html>", encoding="utf-8")
    monkeypatch.setattr(check_cli, "RESOLVER_HOOK", StaticResolver({}))
    result = CliRunner().invoke(main, [
        "check", str(post), "--db", str(db), "--no-archive", "--allow", "127.0.0.2",
        "--format", "csv",
    ])
    assert result.exit_code == 3, result.output
    assert ",dead," not in result.stdout
    assert result.stdout.count("dns_unavailable") == 2
    assert "unverified" in result.stderr and "example.com" in result.stderr
    with Store(db) as store:
        histories = store.check_histories()
    # The judged link is stored; the unverified ones are not (a later --max-age run checks them).
    assert {url: [r.verdict for r in h] for url, h in histories.items()} == {
        _wolf_urls(server)[0]: [Verdict.ALIVE]}
