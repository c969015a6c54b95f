"""What the link checker and the fetcher send, proven on loopback servers that record every
request: -H values that cannot be sent are usage errors; secret headers (Authorization, Cookie)
stay with the origin they are for; a chain's cookies go back byte for byte and a Secure one
never over http; a 500, 502 or 504 with Retry-After backs off (only 429 and 503 are retried
at once, their host's gate holding the wait).

Two servers on two ports of 127.0.0.1 are two origins.  Delays are never timed: the checker and
the fetcher take a ``sleep`` that the tests replace with one recording the delays asked for.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx
import pytest
import trustme
from checkserver import fast_config
from click.testing import CliRunner

from linkgraph.check import CheckConfig, StaticResolver, check_urls_async
from linkgraph.check.checker import Checker
from linkgraph.check.config import UrlToCheck
from linkgraph.cli import main
from linkgraph.errors import ConfigError
from linkgraph.records import Verdict
from linkgraph.web.config import WebConfig
from linkgraph.web.cookies import CookieJar
from linkgraph.web.exchange import Exchanger
from linkgraph.web.fetch import Fetcher
from linkgraph.web.headers import UserHeaders, in_scope, may_carry_secrets, origin_of
from linkgraph.web.policy import AddressPolicy
from linkgraph.web.politeness import HostGates
from linkgraph.web.transport import PinnedTransport, Pins

PAGE = b"<html><head><title>A page</title></head><body><p>Plenty of text here.</p></body></html>"


@dataclass(frozen=True, slots=True)
class Seen:
    """One request as a server saw it: its path and raw header values by lower-case name."""

    path: str
    headers: dict[str, bytes]


def response(status: int, headers: Sequence[tuple[bytes, bytes]] = (), body: bytes = b"") -> bytes:
    head = [f"HTTP/1.1 {status} X".encode(), b"Content-Length: " + str(len(body)).encode()]
    head += [name + b": " + value for name, value in headers]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def page() -> bytes:
    return response(200, [(b"Content-Type", b"text/html")], PAGE)


@dataclass
class Loopback:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 in the test's event loop.  *answer* gets each
    path (and how many requests came before) and returns the raw response."""

    answer: Callable[[str, int], bytes]
    tls: ssl.SSLContext | None = None
    seen: list[Seen] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None

    async def __aenter__(self) -> Loopback:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *fields = head.split(b"\r\n")
                path = line.split(b" ")[1].decode("ascii")
                headers = {}
                for raw in fields:
                    name, _, value = raw.partition(b":")
                    if name:
                        headers[name.decode("ascii").lower()] = value.strip()
                count = len(self.seen)
                self.seen.append(Seen(path, headers))
                writer.write(self.answer(path, count))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    def at(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


def resolver() -> StaticResolver:
    return StaticResolver({"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"],
                           "site.test": ["127.0.0.1"]})


def config(**changes: object) -> CheckConfig:
    return fast_config(archive=False, soft404_probe=False, **changes)


def checker(cfg: CheckConfig, *, tls: ssl.SSLContext | None = None,
            sleep: Callable[[float], object] | None = None) -> Checker:
    """A checker on an exchanger built as ``linkgraph.check.runner`` builds it, with a client
    TLS context (trusting the test CA) and a recording sleep when given."""
    pins = Pins()
    exchanger = Exchanger(
        resolver=resolver(), policy=AddressPolicy.from_allow(["127.0.0.1"]),
        gates=HostGates(cfg.limits_for, cfg.max_backoff_factor),
        transport=PinnedTransport(pins, ssl_context=tls),
        pins=pins,
        headers=(("User-Agent", cfg.user_agent), *UserHeaders.of(cfg.headers).public),
        timeout=httpx.Timeout(5.0), retry_after_cap=cfg.retry_after_cap,
        max_raw_bytes=cfg.max_body_bytes,
    )
    if sleep is None:
        return Checker(exchanger, cfg)
    return Checker(exchanger, cfg, sleep=sleep)  # type: ignore[arg-type]


class Delays:
    """A ``sleep`` that records the delays asked for and does not wait."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)


# -- 1. header values that cannot be sent ------------------------------------------------------

@pytest.mark.parametrize("command", [["check"], ["report", "--check"], ["collect"]])
@pytest.mark.parametrize(("header", "said"), [
    ("X-Note: café ☕", "X-Note"),
    ("X-Bell: ring\x07", "X-Bell"),
])
def test_a_header_value_that_cannot_be_sent_is_a_usage_error(
    tmp_path: Path, command: list[str], header: str, said: str,
) -> None:
    post = tmp_path / "post.json"
    post.write_text(json.dumps({"id": 1, "link": "https://desk.example.org/p/",
                                "title": {"rendered": "T"},
                                "content": {"rendered": '<p><a href="https://x.example/">x</a></p>'}}),
                    encoding="utf-8")
    where = (["--out", str(tmp_path / "r")] if command[0] == "report"
             else ["--db", str(tmp_path / "c.db")] if command[0] == "collect" else [])
    result = CliRunner().invoke(main, [*command, str(post), "-H", header, *where])
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_library_refuses_a_header_that_cannot_be_sent_before_any_request() -> None:
    with pytest.raises(ConfigError, match="X-Note"):
        CheckConfig(headers=(("X-Note", "café ☕"),))
    with pytest.raises(ConfigError, match="X-Note"):
        Fetcher(WebConfig(headers=(("X-Note", "café ☕"),)))


@pytest.mark.parametrize("value", [b"caf\xe2\x98\x95", b"caf\xe9", b"plain"])
def test_a_cookie_of_any_bytes_goes_back_as_it_came(value: bytes) -> None:
    # The server sets a cookie whose value is not Latin-1 text (UTF-8 "☕"), then redirects to
    # itself: the check completes, and the next request carries the very bytes it was given.
    def answer(path: str, _count: int) -> bytes:
        if path == "/start":
            return response(302, [(b"Location", b"/next"), (b"Set-Cookie", b"note=" + value)])
        return page()

    async def run() -> tuple[Loopback, list[Verdict]]:
        async with Loopback(answer) as server:
            results = await check_urls_async([f"http://a.test:{server.port}/start"], config(),
                                             resolver=resolver())
        return server, [r.verdict for r in results]

    server, verdicts = asyncio.run(run())
    assert verdicts == [Verdict.REDIRECTED]
    assert [s.headers.get("cookie") for s in server.at("/next")] == [b"note=" + value]


# -- 2. Retry-After on 5xx -----------------------------------------------------------------------

def flaky(status: int) -> Callable[[str, int], bytes]:
    """*status* with ``Retry-After: 0`` twice, then a page."""
    def answer(_path: str, count: int) -> bytes:
        if count < 2:
            return response(status, [(b"Retry-After", b"0")], b"later")
        return page()
    return answer


@pytest.mark.parametrize(("status", "backs_off"), [
    (500, True), (502, True), (504, True), (429, False), (503, False),
])
def test_only_a_throttle_is_retried_at_once_after_retry_after(status: int,
                                                              backs_off: bool) -> None:
    delays = Delays()
    cfg = config(backoff_base=0.4, backoff_cap=0.4)  # a back-off asks for 0.2-0.4 s

    async def run() -> tuple[Loopback, Verdict]:
        async with Loopback(flaky(status)) as server:
            result = await checker(cfg, sleep=delays).check(
                UrlToCheck(f"http://a.test:{server.port}/x"))
        return server, result.verdict

    server, verdict = asyncio.run(run())
    assert verdict is Verdict.ALIVE
    assert len(server.seen) == 3
    assert len(delays.asked) == 2
    if backs_off:
        assert all(0.2 <= d <= 0.4 for d in delays.asked), delays.asked
    else:
        assert delays.asked == [0.0, 0.0]


@pytest.mark.parametrize(("status", "backs_off"), [(502, True), (429, False)])
def test_the_fetcher_backs_off_a_5xx_whatever_its_retry_after(status: int,
                                                              backs_off: bool) -> None:
    delays = Delays()
    web = WebConfig(robots=False, allow=("127.0.0.1",), backoff_base=0.4, backoff_cap=0.4,
                    per_host=fast_config().per_host)

    async def run() -> tuple[Loopback, int | None]:
        async with (Loopback(flaky(status)) as server,
                    Fetcher(web, resolver=resolver(), sleep=delays) as fetcher):
            result = await fetcher.fetch(f"http://a.test:{server.port}/x")
        return server, result.status

    server, final = asyncio.run(run())
    assert final == 200
    assert len(server.seen) == 3
    if backs_off:
        assert all(0.2 <= d <= 0.4 for d in delays.asked) and len(delays.asked) == 2
    else:
        assert delays.asked == [0.0, 0.0]


# -- 3. secret headers stay with their origin ----------------------------------------------------

SECRETS = (("Authorization", "Bearer SECRET"), ("Cookie", "session=SECRET"),
           ("X-Desk", "politics"))


def test_secret_headers_need_a_scope() -> None:
    with pytest.raises(ConfigError, match="header_hosts"):
        CheckConfig(headers=(("Authorization", "Bearer x"),))
    assert CheckConfig(headers=(("X-Desk", "politics"),)).headers  # public: no scope needed


def test_secret_headers_go_to_the_links_origin_in_scope_only() -> None:
    # a.test is in scope: its link gets the secrets; its redirect to b.test (another origin)
    # does not carry them; a link to b.test (not in scope) never gets them.  The public
    # header goes everywhere.
    async def run() -> tuple[Loopback, Loopback]:
        async with Loopback(lambda path, _n: page()) as b_server:
            def a_answer(path: str, _count: int) -> bytes:
                if path == "/away":
                    where = f"http://b.test:{b_server.port}/landing".encode()
                    return response(302, [(b"Location", where)])
                if path == "/home":
                    return response(302, [(b"Location", b"/landing")])
                return page()

            async with Loopback(a_answer) as a_server:
                await check_urls_async(
                    [f"http://a.test:{a_server.port}/away", f"http://a.test:{a_server.port}/home",
                     f"http://b.test:{b_server.port}/direct"],
                    config(headers=SECRETS, header_hosts=("a.test",)), resolver=resolver())
        return a_server, b_server

    a_server, b_server = asyncio.run(run())
    assert {s.path for s in a_server.seen} == {"/away", "/home", "/landing"}
    for seen in a_server.seen:  # the link's own origin, redirects to itself included
        assert seen.headers["authorization"] == b"Bearer SECRET", seen
        assert seen.headers["cookie"] == b"session=SECRET", seen
    assert {s.path for s in b_server.seen} == {"/landing", "/direct"}
    for seen in b_server.seen:
        assert "authorization" not in seen.headers, seen
        assert "cookie" not in seen.headers, seen
        assert seen.headers["x-desk"] == b"politics"


def test_check_cli_keeps_secret_headers_from_a_redirects_other_origin(tmp_path: Path) -> None:
    # Both servers are on 127.0.0.1, which is in scope, but on different ports: a redirect from
    # one to the other changes the origin, and the secrets stay behind.
    def b_answer(path: str, _count: int) -> bytes:
        return page() if path == "/landing" else response(404)

    async def run() -> tuple[Loopback, Loopback, int, str]:
        async with Loopback(b_answer) as b_server:
            def a_answer(path: str, _count: int) -> bytes:
                if path == "/start":
                    where = f"http://127.0.0.1:{b_server.port}/landing".encode()
                    return response(302, [(b"Location", where)])
                return page()

            async with Loopback(a_answer) as a_server:
                post = tmp_path / "post.json"
                link = f"http://127.0.0.1:{a_server.port}/start"
                post.write_text(json.dumps({
                    "id": 1, "link": "https://desk.example.org/p/", "title": {"rendered": "T"},
                    "content": {"rendered": f'<p>As <a href="{link}">the agency</a> said.</p>'},
                }), encoding="utf-8")
                args = ["check", str(post), "--allow", "127.0.0.1", "--no-archive",
                        "--interval", "0", "--format", "json", "--header-host", "127.0.0.1",
                        "-H", "Authorization: Bearer SECRET", "-H", "Cookie: session=SECRET"]
                result = await asyncio.to_thread(CliRunner().invoke, main, args)
        return a_server, b_server, result.exit_code, result.output

    a_server, b_server, code, output = asyncio.run(run())
    assert code == 0, output
    assert [s.headers.get("authorization") for s in a_server.at("/start")] == [b"Bearer SECRET"]
    assert b_server.at("/landing"), output
    for seen in b_server.at("/landing"):
        assert "authorization" not in seen.headers and "cookie" not in seen.headers, seen


@pytest.mark.parametrize("command", [["check"], ["report", "--check"]])
def test_a_secret_header_without_header_host_is_a_usage_error(tmp_path: Path,
                                                              command: list[str]) -> None:
    post = tmp_path / "post.json"
    post.write_text(json.dumps({"id": 1, "link": "https://desk.example.org/p/",
                                "title": {"rendered": "T"}, "content": {"rendered": "<p>x</p>"}}),
                    encoding="utf-8")
    where = ["--out", str(tmp_path / "r")] if command[0] == "report" else []
    result = CliRunner().invoke(main, [*command, str(post), "-H", "Authorization: Bearer x",
                                       *where])
    assert result.exit_code == 2, result.output
    assert "--header-host" in result.output


@pytest.mark.parametrize("entry", ["https://desk.example", "desk.example:8443",
                                   "*.desk.example", "desk.example/path", " "])
def test_a_header_host_that_can_never_match_is_refused(tmp_path: Path, entry: str) -> None:
    with pytest.raises(ConfigError, match="not a host name"):
        CheckConfig(headers=(("Authorization", "Bearer x"),), header_hosts=(entry, "ok.example"))
    post = tmp_path / "post.json"
    post.write_text(json.dumps({"id": 1, "link": "https://desk.example.org/p/",
                                "title": {"rendered": "T"}, "content": {"rendered": "<p>x</p>"}}),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(post), "-H", "Authorization: Bearer x",
                                       "--header-host", entry, "--header-host", "ok.example"])
    assert result.exit_code == 2, result.output
    assert "not a host name" in result.output


def test_header_hosts_in_unicode_match_the_links_ascii_hosts() -> None:
    assert in_scope("xn--mller-kva.de", ["Müller.de"])
    assert in_scope("www.xn--mller-kva.de", [".müller.de"])
    assert not in_scope("xn--mller-kva.de", ["mueller.de"])


@pytest.mark.parametrize(("home", "target", "carries"), [
    ("http://a.test/", "http://a.test/x", True),
    ("http://a.test/", "https://a.test/x", True),  # the upgrade to https, default ports
    ("https://a.test/", "http://a.test/x", False),  # never down to plain http
    ("http://a.test:8080/", "https://a.test/x", False),
    ("http://a.test/", "http://a.test:8080/x", False),
    ("http://a.test/", "http://b.test/x", False),
    ("http://a.test/", "http://sub.a.test/x", False),
])
def test_which_origin_may_carry_secrets(home: str, target: str, carries: bool) -> None:
    assert may_carry_secrets(origin_of(home), origin_of(target)) is carries


# -- 4. Secure cookies ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def test_a_secure_cookie_is_not_sent_on_a_later_http_hop(ca: trustme.CA) -> None:
    # https://site.test sets a Secure cookie and a plain one, then redirects to
    # http://site.test (the same host, so the jar is kept): only the plain one goes there.
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("site.test").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)

    async def run() -> tuple[Loopback, Loopback, Verdict]:
        async with Loopback(lambda path, _n: page()) as plain:
            def secure_answer(path: str, _count: int) -> bytes:
                where = f"http://site.test:{plain.port}/landing".encode()
                return response(302, [(b"Location", where),
                                      (b"Set-Cookie", b"a=1; Path=/; Secure; HttpOnly"),
                                      (b"Set-Cookie", b"b=2; Path=/")])

            async with Loopback(secure_answer, tls=server_tls) as secure:
                result = await checker(config(), tls=client_tls).check(
                    UrlToCheck(f"https://site.test:{secure.port}/start"))
        return secure, plain, result.verdict

    secure, plain, verdict = asyncio.run(run())
    assert verdict is Verdict.REDIRECTED
    assert [s.path for s in secure.seen] == ["/start"]
    assert [s.headers.get("cookie") for s in plain.at("/landing")] == [b"b=2"]


@pytest.mark.parametrize(("steps", "sent"), [
    # (url, Set-Cookie values) answered in order, then the cookies a request to the last url
    # carries.
    ([("https://a.test/", ["s=1; Secure"])], {"https://a.test/": {"s": "1"},
                                              "http://a.test/": {}}),
    ([("http://a.test/", ["s=1; Secure"])], {"https://a.test/": {}}),  # http cannot set one
    ([("https://a.test/", ["s=1; secure"]), ("http://a.test/", ["s=2"])],
     {"https://a.test/": {"s": "1"}}),  # nor overwrite one
    ([("http://a.test/", ["p=1", "=nameless"])], {"http://a.test/": {"p": "1"}}),
])
def test_cookie_jar(steps: list[tuple[str, list[str]]],
                    sent: dict[str, dict[str, str]]) -> None:
    jar = CookieJar()
    for url, set_cookies in steps:
        jar.store(url, set_cookies)
    assert {url: jar.for_url(url) for url in sent} == sent
