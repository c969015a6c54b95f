"""Fetching one URL politely and safely: ``Fetcher.fetch(url) -> FetchResult``.

Every request is one exchange of ``linkgraph.web.exchange`` (the host resolved once per run and
vetted by the address policy, the connection pinned to the vetted address, the host's gate
spacing the requests, a body over the cap or a decompression bomb refused), and every redirect
hop goes through all of it again (``linkgraph.web.redirects``).  On top of that the fetcher
obeys robots.txt of each origin (``WebConfig.robots``), keeps the user's secret headers for
the first URL's origin, and retries timeouts, resets, 429 and 5xx answers with back-off;
``Retry-After`` holds the whole host.

A failure is a value (``FetchResult.error``, an ``ErrorKind``), never an exception.

>>> import asyncio
>>> async def demo() -> FetchResult:
...     async with Fetcher(WebConfig()) as fetcher:
...         return await fetcher.fetch("ftp://example.org/")
>>> asyncio.run(demo()).error
<ErrorKind.SCHEME: 'scheme'>
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Final

import httpx

from linkgraph.records import ErrorKind
from linkgraph.urls import split_userinfo
from linkgraph.web.config import WebConfig
from linkgraph.web.exchange import THROTTLE_STATUSES, Exchanger, Hop, parse_retry_after
from linkgraph.web.headers import Origin, UserHeaders, origin_of
from linkgraph.web.politeness import HostGates, HostLimits
from linkgraph.web.redirects import follow
from linkgraph.web.resolver import Resolver, SystemResolver
from linkgraph.web.result import ACCEPT_HTML, ACCEPT_JSON, FetchError, FetchResult
from linkgraph.web.robots import RobotsRules
from linkgraph.web.transport import PinnedTransport, Pins

__all__ = [
    "ACCEPT_HTML", "ACCEPT_JSON", "FetchError", "FetchResult", "Fetcher", "fetch",
    "parse_retry_after",
]

log = logging.getLogger("linkgraph.web")

_ROBOTS_CAP: Final = 512 * 1024  # RFC 9309: parse at least 500 KiB
# Errors of the network (no answer at all), as opposed to an answer or a refusal.
_NETWORK_ERRORS: Final = frozenset({
    ErrorKind.DNS, ErrorKind.DNS_UNAVAILABLE, ErrorKind.REFUSED, ErrorKind.RESET,
    ErrorKind.TIMEOUT, ErrorKind.DEADLINE, ErrorKind.TLS, ErrorKind.CONNECT,
    ErrorKind.UNREACHABLE, ErrorKind.PROTOCOL, ErrorKind.TRANSPORT,
})
_RETRYABLE_ERRORS: Final = frozenset({ErrorKind.TIMEOUT, ErrorKind.RESET})


class Fetcher:
    """One run's HTTP client: DNS cache, vetting, pins, robots.txt, host gates, body caps.

    Use as an async context manager; ``requests`` counts the HTTP requests sent.
    """

    def __init__(
        self,
        config: WebConfig | None = None,
        *,
        resolver: Resolver | None = None,
        on_result: Callable[[FetchResult], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.config = config or WebConfig()
        self._sleep = sleep  # waits before a retry (tests record the delays asked for)
        self.on_result = on_result  # sees every ``fetch`` result (``collect --warc`` keeps them)
        self.gates = HostGates(self.config.limits_for, self.config.max_backoff_factor)
        self._robots: dict[str, asyncio.Task[RobotsRules]] = {}
        # Why an origin's robots.txt got no answer at all (a network error, not a refusal).
        self._robots_down: dict[str, FetchResult] = {}
        # Secret -H headers go to the first URL's origin only, never to another origin's
        # robots.txt nor across a redirect to another origin (``linkgraph.web.headers``).
        self._user = UserHeaders.of(self.config.headers)
        self._home: Origin | None = None  # the first URL's origin: the one -H secrets are for
        pins = Pins()
        transport = PinnedTransport(pins)
        self.exchanger = Exchanger(
            resolver=resolver or SystemResolver(),
            policy=self.config.policy(),
            gates=self.gates,
            transport=transport,
            pins=pins,
            headers={"User-Agent": self.config.user_agent, **dict(self._user.public)}.items(),
            timeout=httpx.Timeout(
                connect=self.config.connect_timeout,
                read=self.config.read_timeout,
                write=self.config.read_timeout,
                pool=self.config.deadline,
            ),
            retry_after_cap=self.config.retry_after_cap,
            max_raw_bytes=self.config.max_body_bytes,
        )

    @property
    def requests(self) -> int:
        """HTTP requests sent so far."""
        return self.exchanger.requests

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.exchanger.transport.aclose()

    # -- robots.txt --------------------------------------------------------------------------

    @staticmethod
    def _origin_text(url: str) -> str:
        parsed = httpx.URL(url)
        return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"

    async def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules of *url*'s origin (fetched once per run)."""
        origin = self._origin_text(url)
        task = self._robots.get(origin)
        if task is None:
            task = self._robots[origin] = asyncio.ensure_future(self._load_robots(origin))
        return await asyncio.shield(task)

    async def _load_robots(self, origin: str) -> RobotsRules:
        answer = await self._fetch(f"{origin}/robots.txt", "text/plain", robots=False,
                                   cap=_ROBOTS_CAP)
        if answer.error is not None:
            rules = RobotsRules.closed(origin, f"robots.txt unreachable ({answer.describe()})")
            if answer.error in _NETWORK_ERRORS:
                self._robots_down[origin] = answer
        elif answer.status is not None and answer.status >= 500:
            rules = RobotsRules.closed(origin, f"robots.txt answered {answer.status}")
        elif not answer.ok:
            rules = RobotsRules(origin, f"no robots.txt (HTTP {answer.status})")
        else:
            rules = RobotsRules.parse(origin, answer.body.decode("utf-8", "replace"))
        delay = rules.delay(self.config.user_agent)
        if delay:
            gate = self.gates[Pins.key(httpx.URL(origin).host)]
            wanted = min(delay, self.config.max_crawl_delay)
            if wanted > gate.limits.interval:
                log.info("%s asks for %.1f s between requests (robots.txt)", origin, wanted)
                gate.limits = HostLimits(gate.limits.concurrency, wanted)
        return rules

    async def _robots_refusal(self, url: str) -> Hop | None:
        """Why robots.txt keeps *url* from being fetched, or ``None`` when it may be."""
        rules = await self.robots(url)
        if rules.allows(url, self.config.user_agent):
            return None
        down = self._robots_down.get(rules.origin)
        if down is not None and down.error is not None:
            # No answer from the host at all: say so, not "robots: disallowed".
            return Hop(url, error=down.error,
                       detail=f"{down.detail} (at {rules.origin}/robots.txt)")
        return Hop(url, error=ErrorKind.ROBOTS,
                   detail=f"disallowed by {rules.origin}/robots.txt ({rules.note})")

    # -- fetching ----------------------------------------------------------------------------

    async def fetch(self, url: str, *, accept: str = ACCEPT_HTML) -> FetchResult:
        """Fetch *url* following redirects, with retries; never raises for network trouble.

        Credentials in *url* (``user:password@``) are dropped, never sent as Basic auth; the
        result's ``url`` is the URL without them."""
        started = datetime.now(UTC)
        url = split_userinfo(url)[0]  # whether or not it parses
        if self._home is None:
            self._home = origin_of(url)
        try:
            async with asyncio.timeout(self.config.deadline):
                result = await self._fetch(url, accept, robots=self.config.robots,
                                           cap=self.config.max_body_bytes)
        except TimeoutError:
            return FetchResult(url, started, error=FetchError.DEADLINE,
                               detail=f"no answer within {self.config.deadline:g} s")
        result = replace(result, fetched_at=started)
        if self.on_result is not None:
            self.on_result(result)
        return result

    def _backoff(self, tries: int) -> float:
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2.0 ** (tries - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    async def _fetch(self, url: str, accept: str, *, robots: bool, cap: int) -> FetchResult:
        """The whole chain, retried from its start (timeouts, resets, retry statuses)."""
        tries = 0
        while True:
            tries += 1
            result = replace(await self._follow(url, accept, robots, cap), attempts=tries)
            retry = result.error in _RETRYABLE_ERRORS or (
                result.error is None and result.status in self.config.retry_statuses
            )
            if not retry or tries > self.config.retries:
                return result
            # A throttle's Retry-After (429, 503) already holds the host's gate: try again at
            # once.  Anything else backs off, a 500, 502 or 504 with a Retry-After too.
            throttled = result.error is None and result.status in THROTTLE_STATUSES
            wait = parse_retry_after(result.header("retry-after")) if throttled else None
            if wait is not None and wait > self.config.retry_after_cap:
                return replace(result, detail=f"the server asks to wait {wait:.0f} s")
            delay = 0.0 if wait is not None else self._backoff(tries)
            log.info("retrying %s in %.1f s (%s)", url, delay, result.describe())
            await self._sleep(delay)

    async def _follow(self, url: str, accept: str, robots: bool, cap: int) -> FetchResult:
        started = datetime.now(UTC)

        async def send(method: str, target: str, _cookies: dict[str, str]) -> tuple[Hop, int]:
            headers = {"Accept": accept, **self._user.secrets_for(self._home, target)}
            check = self._robots_refusal if robots else None
            hop = await self.exchanger.exchange(method, target, headers, whole=cap,
                                                before_send=check)
            return hop, 1

        chain = await follow(url, send, max_redirects=self.config.max_redirects, cookies=False)
        final = chain.final
        return FetchResult(
            url, started, final.status,
            final_url=None if chain.error else (chain.hops[-1] if chain.hops else url),
            headers=final.headers, body=final.body,
            error=chain.error or final.error, detail=chain.detail or final.detail,
            redirects=tuple(chain.hops),
        )


async def fetch(
    url: str, config: WebConfig | None = None, *, resolver: Resolver | None = None
) -> FetchResult:
    """Fetch one URL with a fresh ``Fetcher`` (for many URLs, keep one ``Fetcher``)."""
    async with Fetcher(config, resolver=resolver) as fetcher:
        return await fetcher.fetch(url)
