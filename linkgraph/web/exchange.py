"""One HTTP exchange: vet the host, pass its politeness gate, send, read the body within caps.

Collecting (``linkgraph.web.fetch``) and checking (``linkgraph.check``) both send every request
through ``Exchanger.exchange``.  It never raises for network trouble: it returns a ``Hop`` whose
``error`` names the failure (an ``ErrorKind``: ``nxdomain``/``dns_unavailable``/``dns``,
``policy:<class>``, ``refused``, ``unreachable``, ``reset``, ``timeout``, ``tls``, ``protocol``;
``too_large``, ``decompression_bomb`` and ``encoding`` for a body refused whole; the kinds of
the network's failures are read in ``linkgraph.web.failures``).

Each host is resolved once per run and vetted by the address policy; the connection goes to the
vetted address only (``PinnedTransport``); the host's gate caps and spaces the requests, and
slows down after a 429 or 503 (honouring ``Retry-After`` for the whole host).  Requests are
built as httpcore requests directly: the URL is parsed once, the constant headers encoded once
per run (never a secret one: those go per request, ``linkgraph.web.headers``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final, Protocol

import httpcore
import httpx

from linkgraph.errors import ConfigError
from linkgraph.records import ErrorKind
from linkgraph.urls import HTTP_SCHEMES
from linkgraph.web.body import (
    ACCEPTED_ENCODINGS,
    BodyProblem,
    BodyRefused,
    read_capped,
    read_prefix,
)
from linkgraph.web.failures import HTTP_ERRORS, error_kind
from linkgraph.web.headers import SECRET_HEADERS, header_problem
from linkgraph.web.policy import AddressPolicy, IPAddress
from linkgraph.web.politeness import HostGates
from linkgraph.web.resolver import ResolutionError, Resolver
from linkgraph.web.target import Target, parse_target
from linkgraph.web.transport import PinnedTransport, Pins

log = logging.getLogger("linkgraph.web")

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
THROTTLE_STATUSES: Final = frozenset({429, 503})
_BODY_ERRORS: Final = {
    BodyProblem.TOO_LARGE: ErrorKind.TOO_LARGE,
    BodyProblem.BOMB: ErrorKind.BOMB,
    BodyProblem.ENCODING: ErrorKind.ENCODING,
}


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` value (delta-seconds or an HTTP date, counted from *now*),
    or ``None``.  The one parser of the HTTP layer.

    >>> parse_retry_after("120"), parse_retry_after("soon")
    (120.0, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True, slots=True)
class Hop:
    """What one request to one URL produced: an answer (status, headers, body), or an error."""

    url: str
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()  # names in lower case, in the order received
    body: bytes = b""  # decoded (Content-Encoding removed)
    error: ErrorKind | None = None
    detail: str = ""  # a human sentence for ``error``

    def header(self, name: str) -> str | None:
        """The value of header *name* (case-insensitive; repeated headers joined by ", ", as
        httpx reads them), or ``None``."""
        key = name.lower()
        values = [value for hname, value in self.headers if hname == key]
        return ", ".join(values) if values else None

    @property
    def location(self) -> str | None:
        """The ``Location`` header."""
        return self.header("location")

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asks to wait (``Retry-After``), or ``None``."""
        return parse_retry_after(self.header("retry-after"))

    @property
    def set_cookies(self) -> list[str]:
        """The ``Set-Cookie`` values, each as it came (Latin-1 text: the server's bytes)."""
        return [value for hname, value in self.headers if hname == "set-cookie"]


class DnsWatch(Protocol):
    """Tells whether a resolver's "no such name" can be believed (``linkgraph.check.watch``)."""

    def resolved(self) -> None:
        """Some host of the run resolved."""

    def answered(self) -> None:
        """Some host answered over HTTP."""

    async def resolver_works(self) -> bool:
        """True when the resolver answers other names."""
        ...


def _text_headers(raw: list[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
    """Header names (lower case) and values as text, decoded as httpx does: UTF-8 when every
    header is, else Latin-1 (a raw UTF-8 ``Location`` keeps its characters).  A ``Set-Cookie``
    value is always Latin-1, byte for byte: opaque bytes to send back as they came."""
    try:
        names = [k.decode("utf-8").lower() for k, _ in raw]
        return tuple((name, v.decode("latin-1" if name == "set-cookie" else "utf-8"))
                     for name, (_, v) in zip(names, raw, strict=True))
    except UnicodeDecodeError:
        return tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw)


def _is_page(content_type: str) -> bool:
    return not content_type or "html" in content_type or content_type.startswith("text/")


class Exchanger:
    """Sends single requests for a run: DNS cache, vetting, pins, gates, body caps.

    *headers* are sent with every request (User-Agent and the user's extra headers); a
    request's own headers replace those of the same name.  ``requests`` counts the requests
    sent; ``transport.backend.connections`` the TCP connections opened.
    """

    def __init__(
        self,
        *,
        resolver: Resolver,
        policy: AddressPolicy,
        gates: HostGates,
        transport: PinnedTransport,
        pins: Pins,
        headers: Iterable[tuple[str, str]],
        timeout: httpx.Timeout,
        retry_after_cap: float,
        max_raw_bytes: int,
        watch: DnsWatch | None = None,
    ) -> None:
        self.resolver = resolver
        self.policy = policy
        self.gates = gates
        self.transport = transport
        self.pins = pins
        self.watch = watch
        self.retry_after_cap = retry_after_cap
        self.max_raw_bytes = max_raw_bytes
        # httpx's defaults, then ours: the same headers a client of httpx would send, encoded
        # once.  Secret headers never go with every request (``linkgraph.web.headers``).
        base = {"accept": (b"Accept", b"*/*"),
                "accept-encoding": (b"Accept-Encoding", ACCEPTED_ENCODINGS.encode()),
                "connection": (b"Connection", b"keep-alive")}
        for name, value in headers:
            problem = header_problem(name, value)
            if problem is None and name.lower() in SECRET_HEADERS:
                problem = f"{name} is a secret header: it goes with the requests meant for it"
            if problem is not None:
                raise ConfigError(problem)
            base[name.lower()] = (name.encode("ascii"), value.encode("latin-1"))
        self._headers = base
        self._extensions = {"timeout": timeout.as_dict()}
        self._vetted: dict[
            tuple[str, bool], asyncio.Task[tuple[IPAddress | None, ErrorKind | None, str]]
        ] = {}
        self.requests = 0

    async def _vet_now(
        self, host: str, trusted: bool
    ) -> tuple[IPAddress | None, ErrorKind | None, str]:
        try:
            addresses = await self.resolver.resolve(host)
        except ResolutionError as exc:
            log.debug("dns failure for %s: %s", host, exc)
            if self.watch is None:
                return None, ErrorKind.DNS, str(exc)
            # "No such name" counts only from a resolver that answers other names.
            if exc.missing and await self.watch.resolver_works():
                return None, ErrorKind.NXDOMAIN, str(exc)
            return None, ErrorKind.DNS_UNAVAILABLE, str(exc)
        if addresses and self.watch is not None:
            self.watch.resolved()
        address: IPAddress | None
        reason: ErrorKind | None
        if trusted:
            address = addresses[0] if addresses else None
            reason = None if address is not None else ErrorKind.NXDOMAIN
        else:
            address, reason = self.policy.vet(host, addresses)
        if address is not None:
            self.pins.pin(host, address)
        detail = ""
        if reason is not None and reason.is_policy:
            why = reason.value.removeprefix("policy:")
            detail = f"{host} is a {why} address (refused; see --allow)"
        elif reason is not None:
            detail = f"no address for {host}"
        return address, reason, detail

    async def vet(
        self, host: str, *, trusted: bool = False
    ) -> tuple[IPAddress | None, ErrorKind | None, str]:
        """Resolve *host* once per run and vet it: ``(address, None, "")``, or
        ``(None, reason, detail)`` when it must not be used.

        *trusted* is for configured endpoints (the archive): resolved and pinned, not vetted.
        """
        key = (Pins.key(host), trusted)
        task = self._vetted.get(key)
        if task is None:
            task = self._vetted[key] = asyncio.ensure_future(self._vet_now(key[0], trusted))
        return await asyncio.shield(task)

    def wait_for_host(self, url: str) -> float:
        """Seconds until the gate of *url*'s host lets the next request start (0 if unknown)."""
        try:
            host = Pins.key(parse_target(url).host)
        except (httpx.InvalidURL, ValueError):
            return 0.0
        return self.gates[host].ready_in() if host else 0.0

    async def exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        *,
        prefix: int = 0,
        whole: int | None = None,
        any_type: bool = False,
        trusted: bool = False,
        before_send: Callable[[str], Awaitable[Hop | None]] | None = None,
    ) -> Hop:
        """One request to *url*; never raises for network trouble (see the module doc).

        The body: with *whole*, all of it up to *whole* bytes, or an error past that (a redirect's
        body is not read); otherwise the first *prefix* decoded bytes of a page (an HTML or text
        body, any type with *any_type*), and nothing of a HEAD.  *before_send* may still refuse
        a vetted URL (robots.txt): the ``Hop`` it returns is the answer.
        """
        try:
            parsed = parse_target(url)
        except (httpx.InvalidURL, ValueError) as exc:  # idna's errors are ValueErrors
            return Hop(url, error=ErrorKind.INVALID_URL, detail=str(exc))
        # The ASCII (IDNA) form, normalised as pins are: what the resolver is asked, what the
        # transport dials, and the key of the host's gate ("a.test." shares the gate of "a.test").
        host = Pins.key(parsed.host)
        if parsed.scheme not in HTTP_SCHEMES or not host:
            return Hop(url, error=ErrorKind.SCHEME, detail=parsed.scheme)
        address, reason, detail = await self.vet(host, trusted=trusted)
        if address is None:
            return Hop(url, error=reason or ErrorKind.NXDOMAIN, detail=detail or host)
        if before_send is not None:
            refusal = await before_send(url)
            if refusal is not None:
                return refusal
        try:
            request = self._request(method, parsed, headers)
        except UnicodeEncodeError as exc:  # a header of the caller's Latin-1 cannot hold
            return Hop(url, error=ErrorKind.PROTOCOL, detail=f"a header cannot be sent: {exc}")
        gate = self.gates[host]
        async with gate.slot():
            self.requests += 1
            try:
                hop = await self._send(url, request, method, prefix=prefix, whole=whole,
                                       any_type=any_type)
            except HTTP_ERRORS as exc:
                log.debug("%s %s failed: %r", method, url, exc)
                return Hop(url, error=error_kind(exc), detail=str(exc))
        if self.watch is not None:
            self.watch.answered()
        if hop.status in THROTTLE_STATUSES:
            wait = hop.retry_after
            gate.throttled(min(wait, self.retry_after_cap) if wait is not None else None)
        else:
            gate.succeeded()
        return hop

    def _request(self, method: str, url: Target, extra: dict[str, str]) -> httpcore.Request:
        fields = dict(self._headers)
        for name, value in extra.items():
            fields[name.lower()] = (name.encode("ascii"), value.encode("latin-1"))
        raw = [(b"Host", url.netloc), *fields.values()]
        return httpcore.Request(
            method.encode("ascii"),
            httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port,
                         target=url.raw_path),
            headers=raw,
            extensions=self._extensions,
        )

    async def _send(
        self, url: str, request: httpcore.Request, method: str, *, prefix: int,
        whole: int | None, any_type: bool,
    ) -> Hop:
        async with self.transport.open(request) as response:
            headers = _text_headers(response.headers)
            hop = Hop(url, response.status, headers)
            length_text = hop.header("content-length") or ""
            length = int(length_text) if length_text.isdigit() else None
            encoding = hop.header("content-encoding") or ""
            chunks = response.aiter_stream()
            if whole is not None:
                if response.status in REDIRECT_STATUSES:
                    return hop
                try:
                    body = await read_capped(chunks, encoding=encoding, length=length, cap=whole)
                except BodyRefused as exc:
                    return Hop(url, response.status, headers, error=_BODY_ERRORS[exc.problem],
                               detail=str(exc))
            elif method == "HEAD":
                return hop
            else:
                content_type = (hop.header("content-type") or "").lower()
                limit = prefix if (any_type or _is_page(content_type)) else 0
                body = await read_prefix(chunks, encoding=encoding, length=length, limit=limit,
                                         max_raw=self.max_raw_bytes)
        return Hop(url, response.status, headers, body)
