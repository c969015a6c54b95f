"""Every verdict, against a real HTTP server on loopback addresses (tests/checkserver.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from checkserver import CheckServer, fast_config

from linkgraph.check import CheckConfig, StaticResolver, UrlToCheck, check_urls
from linkgraph.records import CheckResult, Verdict

HOSTS = {
    "agency.test": "127.0.0.2",
    "pollster.test": "127.0.0.3",
    "catchall.test": "127.0.0.4",
    "strict.test": "127.0.0.5",
    "archive.test": "127.0.0.6",
}
RESOLVER = StaticResolver(
    {name: [address] for name, address in HOSTS.items()} | {"xn--bcher-kva.test": ["127.0.0.2"]}
)


@pytest.fixture(scope="module")
def server() -> Iterator[CheckServer]:
    with CheckServer(HOSTS.values(), catch_all={"127.0.0.4"}, strict={"127.0.0.5"}) as srv:
        yield srv


def server_config(server: CheckServer, **changes: object) -> CheckConfig:
    archive = server.url("archive.test", "/wayback/available")
    return fast_config(**{"deadline": 6.0, "archive_base": archive, **changes})


# (host, path, verdict, error): the verdict table of the test server, category by category.
VERDICTS = [
    ("agency.test", "/ok", Verdict.ALIVE, None),
    ("agency.test", "/chain/3", Verdict.REDIRECTED, None),
    ("agency.test", "/loop-a", Verdict.DEAD, "loop"),
    ("agency.test", "/chain/12", Verdict.ERROR, "too_many_redirects"),
    ("agency.test", "/bomb", Verdict.ALIVE, None),  # read up to the cap, never inflated
    ("agency.test", "/gone404", Verdict.DEAD, "http_404"),
    ("agency.test", "/gone410", Verdict.DEAD, "http_410"),
    ("agency.test", "/retry-after", Verdict.ALIVE, None),
    ("agency.test", "/always429", Verdict.RATE_LIMITED, "http_429"),
    ("agency.test", "/flaky503", Verdict.ALIVE, None),
    ("agency.test", "/broken500", Verdict.DEAD, "http_5xx"),
    ("agency.test", "/maintenance", Verdict.RATE_LIMITED, "http_5xx"),
    ("bücher.test", "/article/idn", Verdict.ALIVE, None),  # IDN: resolved and dialled as ASCII
    ("agency.test", "/slow", Verdict.TIMEOUT, "timeout"),
    ("agency.test", "/file.pdf", Verdict.ALIVE, None),
    ("agency.test", "/head405", Verdict.ALIVE, None),
    ("agency.test", "/soft404-title", Verdict.SOFT_404, "missing_page"),
    ("agency.test", "/moved-home", Verdict.SOFT_404, "homepage_redirect"),
    ("agency.test", "/reset", Verdict.DEAD, "reset"),
    ("agency.test", "/botwall", Verdict.BLOCKED, "bot_wall"),
    ("agency.test", "/status999", Verdict.BLOCKED, "bot_wall"),
    ("catchall.test", "/2019/05/deleted-story", Verdict.SOFT_404, "like_missing_page"),
    ("catchall.test", "/story/still-here", Verdict.ALIVE, None),
    ("nxdomain.test", "/ok", Verdict.DEAD, "nxdomain"),
]


@pytest.fixture(scope="module")
def results(server: CheckServer) -> dict[str, CheckResult]:
    urls: list[UrlToCheck | str] = [
        UrlToCheck(server.url(host, path), datetime(2024, 3, 1, tzinfo=UTC))
        for host, path, _, _ in VERDICTS
    ]
    urls += [
        "ftp://agency.test/file",
        server.url("agency.test", "/redirect?to=" + server.url("pollster.test", "/article/x")),
        server.url("agency.test", "/ok"),  # a duplicate: checked once
    ]
    seen: list[CheckResult] = []
    out = check_urls(urls, server_config(server), resolver=RESOLVER, on_result=seen.append)
    assert [r.url for r in out] == [r.url for r in seen]  # on_result saw each, in order
    return {r.url: r for r in out}


@pytest.mark.parametrize(("host", "path", "verdict", "error"), VERDICTS)
def test_verdict(
    server: CheckServer,
    results: dict[str, CheckResult],
    *,
    host: str,
    path: str,
    verdict: Verdict,
    error: str | None,
) -> None:
    result = results[server.url(host, path)]
    assert (result.verdict, result.error) == (verdict, error)


def test_urls_are_checked_once(server: CheckServer, results: dict[str, CheckResult]) -> None:
    assert len(results) == len(VERDICTS) + 2
    assert len(server.entries("127.0.0.2", "/ok")) == 1


def test_redirect_chain_is_recorded(server: CheckServer, results: dict[str, CheckResult]) -> None:
    chain = results[server.url("agency.test", "/chain/3")]
    assert chain.redirects == tuple(
        server.url("agency.test", p) for p in ("/chain/2", "/chain/1", "/chain/0", "/landing")
    )
    assert chain.final_url == server.url("agency.test", "/landing")
    assert chain.status == 200
    assert not chain.permanent_redirect  # 302s in the chain
    loop = results[server.url("agency.test", "/loop-a")]
    assert loop.redirects == (
        server.url("agency.test", "/loop-b"),
        server.url("agency.test", "/loop-a"),
    )
    assert len(server.entries("127.0.0.2", "/loop-a")) == 1  # detected, not re-requested
    target = server.url("pollster.test", "/article/x")
    cross = results[server.url("agency.test", "/redirect?to=" + target)]
    assert cross.verdict is Verdict.REDIRECTED
    assert cross.final_url == server.url("pollster.test", "/article/x")


def test_retries_and_attempts(server: CheckServer, results: dict[str, CheckResult]) -> None:
    def attempts(path: str) -> int:
        return results[server.url("agency.test", path)].attempts

    assert attempts("/ok") == 1
    assert attempts("/flaky503") == 3
    assert attempts("/retry-after") == 2
    assert attempts("/always429") == 3
    assert attempts("/broken500") == 3
    assert attempts("/reset") == 3
    assert attempts("/slow") == 3
    assert attempts("/maintenance") == 1  # Retry-After beyond the cap: not waited for
    # No retries for 404/410.
    assert len(server.entries("127.0.0.2", "/gone404")) == 1
    assert len(server.entries("127.0.0.2", "/gone410")) == 1
    # Retry-After: 1 was honoured once, without a retry of its own (the host's gate held it;
    # the gate's hold is tested on its clock in test_check_politeness, without timings here).
    assert len(server.entries("127.0.0.2", "/retry-after")) == 2


def test_head_only_where_it_saves_work(
    server: CheckServer, results: dict[str, CheckResult]
) -> None:
    assert [e.method for e in server.entries("127.0.0.2", "/file.pdf")] == ["HEAD", "GET"]
    assert [e.method for e in server.entries("127.0.0.2", "/head405")] == ["GET"]
    assert [e.method for e in server.entries("127.0.0.2", "/ok")] == ["GET"]


def test_skipped_and_dns(server: CheckServer, results: dict[str, CheckResult]) -> None:
    assert results["ftp://agency.test/file"].verdict is Verdict.SKIPPED
    assert results["ftp://agency.test/file"].error == "scheme"


def test_archive_suggestions(server: CheckServer, results: dict[str, CheckResult]) -> None:
    gone = results[server.url("agency.test", "/gone404")]
    assert gone.archive_url is not None
    assert gone.archive_url.startswith("http://web.archive.test/web/2023")
    soft = results[server.url("agency.test", "/moved-home")]
    assert soft.archive_url is not None
    assert results[server.url("agency.test", "/ok")].archive_url is None
    assert results[server.url("agency.test", "/botwall")].archive_url is None  # not dead
    asked = server.entries("127.0.0.6", "/wayback/available")
    dead_or_soft = [r for r in results.values() if r.verdict in {Verdict.DEAD, Verdict.SOFT_404}]
    assert len(asked) == len(dead_or_soft)


def test_credentials_are_neither_sent_nor_logged(
    server: CheckServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="linkgraph.check")
    url = f"http://editor:hunter2@agency.test:{server.port}/gone404"
    [result] = check_urls([url], server_config(server, archive=False), resolver=RESOLVER)
    assert result.url == server.url("agency.test", "/gone404")
    assert "hunter2" not in repr(result)
    assert "hunter2" not in caplog.text


def test_deadline_bounds_a_url(server: CheckServer) -> None:
    config = server_config(server, read_timeout=5.0, deadline=0.5, archive=False)
    [result] = check_urls([server.url("agency.test", "/slow")], config, resolver=RESOLVER)
    assert (result.verdict, result.error) == (Verdict.TIMEOUT, "deadline")
