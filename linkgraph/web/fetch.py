"""Fetching one URL politely and safely: ``Fetcher.fetch(url) -> FetchResult``.

Every request goes through the same steps: the host is resolved once per run and vetted by the
address policy (no loopback, private, link-local or reserved address unless allowed), the
connection goes to the vetted address only (``PinnedTransport``), robots.txt of the origin is
obeyed (``WebConfig.robots``), the host's gate spaces the requests, a body over the cap or a
decompression bomb is refused, and each redirect hop goes through all of it again.  Timeouts,
resets, 429 and 5xx answers are retried with back-off; ``Retry-After`` holds the whole host.

A failure is a value (``FetchResult.error``), never an exception.

>>> import asyncio
>>> async def demo() -> FetchResult:
...     async with Fetcher(WebConfig()) as fetcher:
...         return await fetcher.fetch("ftp://example.org/")
>>> asyncio.run(demo()).error
<FetchError.SCHEME: 'scheme'>
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import http.cookiejar
import logging
import random
import ssl
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

import httpx

from linkgraph.urls import (
    HTTP_SCHEMES,
    resolve_href,
    scheme_of,
    split_userinfo,
    strip_credentials,
)
from linkgraph.web.body import ACCEPTED_ENCODINGS, BodyProblem, BodyRefused, read_capped
from linkgraph.web.config import WebConfig
from linkgraph.web.policy import IPAddress
from linkgraph.web.politeness import HostGates, HostLimits
from linkgraph.web.resolver import ResolutionError, Resolver, SystemResolver
from linkgraph.web.robots import RobotsRules
from linkgraph.web.transport import PinnedTransport, Pins, UnvettedHost

log = logging.getLogger("linkgraph.web")

ACCEPT_HTML: Final = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
ACCEPT_JSON: Final = "application/json;q=1.0,*/*;q=0.5"
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_THROTTLES: Final = frozenset({429, 503})
_ROBOTS_CAP: Final = 512 * 1024  # RFC 9309: parse at least 500 KiB
# Headers that carry credentials: sent only to the origin of the first URL asked (as curl and
# httpx drop them on a redirect to another origin), never to another origin's robots.txt.
_SECRET_HEADERS: Final = frozenset({"authorization", "cookie", "proxy-authorization"})
# Errors of the network (no answer at all), as opposed to an answer or a refusal.
_NETWORK_ERRORS: Final = frozenset({
    "dns", "refused", "reset", "timeout", "deadline", "tls", "connect", "protocol", "transport",
})
_Origin = tuple[str, str, int | None]


def _origin_of(parsed: httpx.URL) -> _Origin:
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), port


def _trusted(home: _Origin | None, target: _Origin) -> bool:
    """*target* may get the credentials meant for *home*: the same origin, or its upgrade from
    http to https on the default ports (httpx's rule)."""
    if home is None:
        return False
    return target == home or (
        home[1] == target[1] and home[0] == "http" and home[2] == 80
        and target[0] == "https" and target[2] == 443
    )


class FetchError(StrEnum):
    """Why a fetch produced no usable answer (a closed set; never matched on text)."""

    INVALID_URL = "invalid_url"
    SCHEME = "scheme"  # not http(s), at the start or on a redirect
    DNS = "dns"
    POLICY = "policy"  # a refused address (loopback, private, ...): see ``detail``
    ROBOTS = "robots"  # robots.txt disallows it
    REFUSED = "refused"
    RESET = "reset"
    TIMEOUT = "timeout"
    DEADLINE = "deadline"  # the whole fetch, retries included, took too long
    TLS = "tls"
    CONNECT = "connect"
    PROTOCOL = "protocol"
    TOO_LARGE = "too_large"
    BOMB = "decompression_bomb"
    ENCODING = "encoding"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TRANSPORT = "transport"


_BODY_ERRORS: Final = {
    BodyProblem.TOO_LARGE: FetchError.TOO_LARGE,
    BodyProblem.BOMB: FetchError.BOMB,
    BodyProblem.ENCODING: FetchError.ENCODING,
}


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What fetching one URL produced: the final answer, or why there is none."""

    url: str  # as asked
    fetched_at: datetime  # when the fetch started (UTC)
    status: int | None = None
    final_url: str | None = None  # after redirects
    headers: tuple[tuple[str, str], ...] = ()  # names in lower case
    body: bytes = b""  # decoded (Content-Encoding removed)
    error: FetchError | None = None
    detail: str = ""  # a human sentence for ``error`` (or a throttle)
    redirects: tuple[str, ...] = ()
    attempts: int = 1

    @property
    def ok(self) -> bool:
        """A 2xx answer whose body was read whole."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        """The first value of header *name* (case-insensitive), or ``None``."""
        key = name.lower()
        return next((value for hname, value in self.headers if hname == key), None)

    def header_list(self, name: str) -> list[str]:
        """Every value of header *name*."""
        key = name.lower()
        return [value for hname, value in self.headers if hname == key]

    @property
    def content_type(self) -> str:
        """The media type, lower case, without parameters ('' when absent)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def describe(self) -> str:
        """A short sentence: '404', 'policy: loopback address', ..."""
        if self.error is not None:
            return f"{self.error.value}: {self.detail}" if self.detail else self.error.value
        return f"HTTP {self.status}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` value (delta-seconds or an HTTP date, counted from *now*),
    or ``None``.  The one parser: the checker reads it from here.

    >>> parse_retry_after("120"), parse_retry_after("soon")
    (120.0, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _error_of(exc: Exception) -> FetchError:
    if isinstance(exc, httpx.TimeoutException):
        return FetchError.TIMEOUT
    cause = exc.__cause__
    if isinstance(cause, UnvettedHost):
        return FetchError.POLICY
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if isinstance(cause, ssl.SSLError) or "ssl" in text or "certificate" in text:
            return FetchError.TLS
        if "refused" in text:
            return FetchError.REFUSED
        return FetchError.RESET if "reset" in text else FetchError.CONNECT
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return FetchError.RESET
    if isinstance(exc, httpx.RemoteProtocolError) and "disconnected" in str(exc).lower():
        return FetchError.RESET
    if isinstance(exc, httpx.ProtocolError | httpx.DecodingError):
        return FetchError.PROTOCOL
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return FetchError.INVALID_URL
    return FetchError.TRANSPORT


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
    ):
        self.config = config or WebConfig()
        self.on_result = on_result  # sees every ``fetch`` result (``collect --warc`` keeps them)
        self.policy = self.config.policy()
        self.resolver = resolver or SystemResolver()
        self.pins = Pins()
        self.gates = HostGates(self.config.limits_for, self.config.max_backoff_factor)
        self.requests = 0
        self._vetted: dict[str, asyncio.Task[tuple[IPAddress | None, str]]] = {}
        self._robots: dict[str, asyncio.Task[RobotsRules]] = {}
        # Why an origin's robots.txt got no answer at all (a network error, not a refusal).
        self._robots_down: dict[str, FetchResult] = {}
        user = dict(self.config.headers)
        self._public_headers = {k: v for k, v in user.items() if k.lower() not in _SECRET_HEADERS}
        self._secret_headers = {k: v for k, v in user.items() if k.lower() in _SECRET_HEADERS}
        self._home: _Origin | None = None  # the first URL's origin: the one -H secrets are for
        self._transport = PinnedTransport(
            self.pins,
            connections_per_origin=lambda host: self.config.limits_for(host).concurrency + 1,
        )
        jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self.client = httpx.AsyncClient(
            transport=self._transport,
            follow_redirects=False,
            trust_env=False,
            cookies=httpx.Cookies(jar),
            headers={"User-Agent": self.config.user_agent, **self._public_headers},
            timeout=httpx.Timeout(
                connect=self.config.connect_timeout,
                read=self.config.read_timeout,
                write=self.config.read_timeout,
                pool=self.config.deadline,
            ),
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    # -- vetting and robots.txt ------------------------------------------------------------

    async def _vet_now(self, host: str) -> tuple[IPAddress | None, str]:
        try:
            addresses = await self.resolver.resolve(host)
        except ResolutionError as exc:
            return None, str(exc)
        address, kind = self.policy.vet(host, addresses)
        if address is not None:
            self.pins.pin(host, address)
        return address, kind.value if kind is not None else ""

    async def vet(self, host: str) -> tuple[IPAddress | None, str]:
        """Resolve *host* once per run and vet it; ``(None, reason)`` when it must not be used."""
        key = Pins.key(host)
        task = self._vetted.get(key)
        if task is None:
            task = self._vetted[key] = asyncio.ensure_future(self._vet_now(key))
        return await asyncio.shield(task)

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
            if answer.error.value in _NETWORK_ERRORS:
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

    # -- fetching ----------------------------------------------------------------------------

    async def fetch(self, url: str, *, accept: str = ACCEPT_HTML) -> FetchResult:
        """Fetch *url* following redirects, with retries; never raises for network trouble.

        Credentials in *url* (``user:password@``) are dropped, never sent as Basic auth; the
        result's ``url`` is the URL without them."""
        started = datetime.now(UTC)
        url = split_userinfo(url)[0]  # whether or not it parses
        if self._home is None:
            with contextlib.suppress(httpx.InvalidURL, ValueError):
                self._home = _origin_of(httpx.URL(url))
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
        tries = 0
        while True:
            tries += 1
            result = replace(await self._follow(url, accept, robots, cap), attempts=tries)
            retry = result.error in {FetchError.TIMEOUT, FetchError.RESET} or (
                result.error is None and result.status in self.config.retry_statuses
            )
            if not retry or tries > self.config.retries:
                return result
            wait = parse_retry_after(result.header("retry-after"))
            if wait is not None and wait > self.config.retry_after_cap:
                return replace(result, detail=f"the server asks to wait {wait:.0f} s")
            # A throttle's Retry-After already holds the host's gate; otherwise back off.
            delay = 0.0 if wait is not None else self._backoff(tries)
            log.info("retrying %s in %.1f s (%s)", url, delay, result.describe())
            await asyncio.sleep(delay)

    async def _follow(self, url: str, accept: str, robots: bool, cap: int) -> FetchResult:
        current = url
        hops: list[str] = []
        seen = {url}
        while True:
            result = await self._hop(current, accept, robots, cap)
            location = result.header("location")
            if result.error or result.status not in _REDIRECTS or not location:
                return replace(result, url=url, final_url=current, redirects=tuple(hops))
            target = resolve_href(location, current)
            if target is None or scheme_of(target) not in HTTP_SCHEMES:
                return replace(result, url=url, error=FetchError.SCHEME,
                               detail=f"redirect to {location!r}", redirects=tuple(hops))
            target = strip_credentials(target)
            if target in seen:
                return replace(result, url=url, error=FetchError.REDIRECT_LOOP,
                               detail=f"back to {target}", redirects=tuple(hops))
            if len(hops) >= self.config.max_redirects:
                return replace(result, url=url, error=FetchError.TOO_MANY_REDIRECTS,
                               detail=f"more than {self.config.max_redirects}",
                               redirects=tuple(hops))
            seen.add(target)
            hops.append(target)
            current = target

    async def _hop(self, url: str, accept: str, robots: bool, cap: int) -> FetchResult:
        now = datetime.now(UTC)
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:  # idna's errors are ValueErrors
            return FetchResult(url, now, error=FetchError.INVALID_URL, detail=str(exc))
        host = Pins.key(parsed.raw_host.decode("ascii"))
        if parsed.scheme not in HTTP_SCHEMES or not host:
            return FetchResult(url, now, error=FetchError.SCHEME, detail=parsed.scheme)
        address, reason = await self.vet(host)
        if address is None:
            if reason.startswith("policy:"):
                why = reason.removeprefix("policy:")
                return FetchResult(url, now, error=FetchError.POLICY,
                                   detail=f"{host} is a {why} address (refused; see --allow)")
            return FetchResult(url, now, error=FetchError.DNS, detail=reason or host)
        if robots:
            rules = await self.robots(url)
            if not rules.allows(url, self.config.user_agent):
                down = self._robots_down.get(rules.origin)
                if down is not None and down.error is not None:
                    # No answer from the host at all: say so, not "robots: disallowed".
                    return FetchResult(url, now, error=down.error, attempts=down.attempts,
                                       detail=f"{down.detail} (at {rules.origin}/robots.txt)")
                return FetchResult(url, now, error=FetchError.ROBOTS,
                                   detail=f"disallowed by {rules.origin}/robots.txt ({rules.note})")
        headers = {"Accept": accept, "Accept-Encoding": ACCEPTED_ENCODINGS}
        if self._secret_headers and _trusted(self._home, _origin_of(parsed)):
            headers.update(self._secret_headers)
        gate = self.gates[host]
        async with gate.slot():
            self.requests += 1
            try:
                result = await self._send(url, parsed, headers, cap)
            except httpx.HTTPError as exc:
                log.debug("GET %s failed: %r", url, exc)
                return FetchResult(url, now, error=_error_of(exc), detail=str(exc))
        if result.status in _THROTTLES:
            wait = parse_retry_after(result.header("retry-after"))
            gate.throttled(min(wait, self.config.retry_after_cap) if wait is not None else None)
        else:
            gate.succeeded()
        return result

    async def _send(
        self, url: str, parsed: httpx.URL, headers: dict[str, str], cap: int
    ) -> FetchResult:
        now = datetime.now(UTC)
        request = self.client.build_request("GET", parsed, headers=headers)
        # Straight to the transport, as the checker does: the client's send prepares the next
        # request of a redirect with httpx's own URL parser, which raised InvalidURL out of
        # send for a Location such as "http:127.0.0.1:18080/x" (a traceback).  The Location is
        # untrusted text for _follow to resolve per WHATWG and vet; timeouts travel in the
        # request, as the client puts them.
        response = await self._transport.handle_async_request(request)
        try:
            names = tuple((k.lower(), v) for k, v in response.headers.multi_items())
            if response.status_code in _REDIRECTS:
                return FetchResult(url, now, response.status_code, headers=names)
            length = response.headers.get("content-length", "")
            try:
                body = await read_capped(
                    response.aiter_raw(),
                    encoding=response.headers.get("content-encoding", ""),
                    length=int(length) if length.isdigit() else None,
                    cap=cap,
                )
            except BodyRefused as exc:
                return FetchResult(url, now, response.status_code, headers=names,
                                   error=_BODY_ERRORS[exc.problem], detail=str(exc))
        finally:
            await response.aclose()
        return FetchResult(url, now, response.status_code, headers=names, body=body)


async def fetch(
    url: str, config: WebConfig | None = None, *, resolver: Resolver | None = None
) -> FetchResult:
    """Fetch one URL with a fresh ``Fetcher`` (for many URLs, keep one ``Fetcher``)."""
    async with Fetcher(config, resolver=resolver) as fetcher:
        return await fetcher.fetch(url)
