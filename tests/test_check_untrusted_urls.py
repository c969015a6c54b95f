"""URLs the checker gets from servers are untrusted input (issue 16 item 9): a redirect's
``Location`` and an archive's capture URL.  Against the real loopback server.

A ``Location`` of ``http:127.0.0.1:18080/x`` once gave ``error/internal``: httpx parsed it to
prepare a redirect we never follow and raised ``InvalidURL`` out of ``send``.  A capture URL
was stored as the archive answered it, so ``javascript:`` reached report.json.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from checkserver import CheckServer, fast_config

from linkgraph.check import HostLimits, StaticResolver, UrlToCheck, check_urls
from linkgraph.records import Verdict
from linkgraph.web import WebConfig
from linkgraph.web.fetch import Fetcher, FetchError, FetchResult

RESOLVER = StaticResolver({"agency.test": ["127.0.0.2"], "archive.test": ["127.0.0.6"],
                           "inside.test": ["127.0.0.1"], "xn--bcher-kva.test": ["127.0.0.2"]})


@pytest.fixture(scope="module")
def server() -> Iterator[CheckServer]:
    with CheckServer(("127.0.0.2", "127.0.0.6")) as srv:
        yield srv


def redirect_to(server: CheckServer, location: str) -> str:
    return server.url("agency.test", "/redirect?to=" + quote(location, safe=""))


# (Location, verdict, error, final URL or None): each resolved per WHATWG against the page
# that sent it, then requested (and vetted) like any link; an unusable one is an error result.
LOCATIONS = [
    # Same scheme, no slashes: WHATWG makes it a path on the current host.
    ("http:127.0.0.1:18080/x", Verdict.DEAD, "http_404", "/127.0.0.1:18080/x"),
    # Another scheme, no slashes: an absolute URL to 127.0.0.1, refused by the address guard.
    ("https:127.0.0.1:18080/x", Verdict.SKIPPED, "policy:loopback", None),
    ("http:\\\\inside.test\\x", Verdict.SKIPPED, "policy:loopback", None),
    ("http://[::1", Verdict.ERROR, "redirect_invalid", None),
    ("http://a b/", Verdict.ERROR, "redirect_invalid", None),
    ("http://%zz/", Verdict.ERROR, "redirect_invalid", None),
    ("http://127.0.0.1:99999/", Verdict.ERROR, "redirect_invalid", None),
    ("//", Verdict.ERROR, "redirect_invalid", None),
    ("ftp://agency.test/x", Verdict.ERROR, "redirect_scheme", None),
    ("javascript:alert(1)", Verdict.ERROR, "redirect_scheme", None),
    ("  /ok  ", Verdict.REDIRECTED, None, "/ok"),
    ("http://bücher.test:{port}/ok", Verdict.REDIRECTED, None, "http://xn--bcher-kva.test:"),
]


@pytest.mark.parametrize(("location", "verdict", "error", "final"), LOCATIONS)
def test_a_redirect_target_is_untrusted_input(
    server: CheckServer, location: str, verdict: Verdict, error: str | None, final: str | None
) -> None:
    config = fast_config(allow_private=False, allow=("127.0.0.2", "127.0.0.6"), archive=False)
    target = location.replace("{port}", str(server.port))
    [result] = check_urls([redirect_to(server, target)], config, resolver=RESOLVER)
    assert (result.verdict, result.error) == (verdict, error), result
    assert result.error != "internal"
    if final is not None:
        assert result.final_url is not None
        assert final in result.final_url


@pytest.mark.parametrize(
    ("capture", "kept"),
    [
        ("javascript:alert(document.domain)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("/web/2023/relative-only", None),
        ("http://", None),
        ("http://user:secret@web.archive.test/web/2023/x", "http://web.archive.test/web/2023/x"),
        ("https://web.archive.test/web/2023/x", "https://web.archive.test/web/2023/x"),
    ],
)
def test_only_http_archive_captures_are_kept(
    server: CheckServer, capture: str, kept: str | None
) -> None:
    base = server.url("archive.test", "/wayback/available?capture=" + quote(capture, safe=""))
    config = fast_config(archive_base=base)
    dead = UrlToCheck(server.url("agency.test", "/gone404"), None)
    [result] = check_urls([dead], config, resolver=RESOLVER)
    assert result.verdict is Verdict.DEAD
    assert result.archive_url == kept


# The collector's fetcher (linkgraph.web) follows redirects the same way: (Location, the
# status of the last answer, its error).
FETCH_LOCATIONS = [
    ("http:127.0.0.1:18080/x", 404, None),  # a path on the current host, per WHATWG
    ("https:127.0.0.1:18080/x", None, FetchError.POLICY_LOOPBACK),  # 127.0.0.1 is not allowed
    ("http://[::1", 302, FetchError.REDIRECT_INVALID),  # does not resolve: the redirect is refused
    ("/ok", 200, None),
]


@pytest.mark.parametrize(("location", "status", "error"), FETCH_LOCATIONS)
def test_the_collector_treats_a_redirect_target_as_untrusted(
    server: CheckServer, location: str, status: int | None, error: FetchError | None
) -> None:
    config = WebConfig(per_host=HostLimits(1, 0.0), allow=("127.0.0.2",), retries=0,
                       robots=False)

    async def go() -> FetchResult:
        async with Fetcher(config, resolver=RESOLVER) as fetcher:
            return await fetcher.fetch(redirect_to(server, location))

    result = asyncio.run(go())
    assert (result.status, result.error) == (status, error), result.describe()
