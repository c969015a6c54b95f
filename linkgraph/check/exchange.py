"""One HTTP exchange: vet the host, pass its politeness gate, send, read a capped prefix.

``Exchanger.exchange`` never raises for network trouble: it returns a ``Hop`` whose ``error``
names the failure kind (an ``ErrorKind``: ``nxdomain``, ``dns_unavailable``, ``policy:<class>``,
``refused``, ``unreachable``, ``reset``, ``timeout``, ``tls``, ``protocol``).  Bodies are
read raw and decompressed here with an output cap, so a compression bomb never inflates past
``limit`` bytes.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import ssl
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from linkgraph.check.config import CheckConfig
from linkgraph.check.watch import NetworkWatch
from linkgraph.records import ErrorKind
from linkgraph.urls import HTTP_SCHEMES
from linkgraph.web.fetch import parse_retry_after
from linkgraph.web.policy import AddressPolicy, IPAddress
from linkgraph.web.politeness import HostGates
from linkgraph.web.resolver import ResolutionError, Resolver
from linkgraph.web.transport import Pins, UnvettedHost

log = logging.getLogger("linkgraph.check")

# A small body is drained after the prefix we need, so that the connection can be reused.
_DRAIN_CAP = 65_536
_THROTTLE_STATUSES = frozenset({429, 503})
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


@dataclass(frozen=True, slots=True)
class Hop:
    """What one request to one URL produced."""

    url: str
    status: int | None = None
    location: str | None = None
    retry_after: float | None = None
    body: bytes = b""
    error: ErrorKind | None = None
    set_cookies: tuple[tuple[str, str], ...] = ()


def _decoder(encoding: str) -> Callable[[bytes, int], bytes]:
    encoding = encoding.strip().lower()
    if encoding in {"", "identity"}:
        return lambda chunk, room: chunk[:room]
    if encoding in {"gzip", "x-gzip", "deflate"}:
        inflater = zlib.decompressobj(47 if encoding != "deflate" else 15)

        def inflate(chunk: bytes, room: int) -> bytes:
            try:
                return inflater.decompress(chunk, room)
            except zlib.error:
                return b""

        return inflate
    return lambda chunk, room: b""  # an encoding we did not ask for: no readable body


_ERRNO_KINDS = {
    errno.ECONNREFUSED: ErrorKind.REFUSED,
    errno.ECONNRESET: ErrorKind.RESET,
    errno.ENETUNREACH: ErrorKind.UNREACHABLE,
    errno.EHOSTUNREACH: ErrorKind.UNREACHABLE,
    errno.ENETDOWN: ErrorKind.UNREACHABLE,
}


def _os_error_kind(exc: BaseException) -> ErrorKind | None:
    """The kind of the first ``OSError`` with a known errno in *exc*'s chain of causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _ERRNO_KINDS:
            return _ERRNO_KINDS[current.errno]
        current = current.__cause__ or current.__context__
    return None


def _error_kind(exc: Exception) -> ErrorKind:
    if isinstance(exc, httpx.TimeoutException):
        return ErrorKind.TIMEOUT
    cause = exc.__cause__
    if isinstance(cause, UnvettedHost):
        return ErrorKind.POLICY_UNVETTED
    if isinstance(exc, httpx.ConnectError):
        known = _os_error_kind(exc)
        if known is not None:
            return known
        text = str(exc).lower()
        if isinstance(cause, ssl.SSLError) or "ssl" in text or "certificate" in text:
            return ErrorKind.TLS
        # The OS's own words, where the errno was lost on the way up.
        if "refused" in text:
            return ErrorKind.REFUSED
        if "unreachable" in text or "no route" in text:
            return ErrorKind.UNREACHABLE
        if "reset" in text:
            return ErrorKind.RESET
        return ErrorKind.CONNECT
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return ErrorKind.RESET
    if isinstance(exc, httpx.RemoteProtocolError):
        # "Server disconnected without sending a response" is a reset in all but name.
        return ErrorKind.RESET if "disconnected" in str(exc).lower() else ErrorKind.PROTOCOL
    if isinstance(exc, httpx.ProtocolError | httpx.DecodingError):
        return ErrorKind.PROTOCOL
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ErrorKind.INVALID_URL
    return ErrorKind.TRANSPORT


class Exchanger:
    """Sends single requests for a run: DNS cache, vetting, pins, gates, body caps."""

    def __init__(
        self,
        config: CheckConfig,
        client: httpx.AsyncClient,
        resolver: Resolver,
        pins: Pins,
        gates: HostGates,
        *,
        transport: httpx.AsyncBaseTransport,
        watch: NetworkWatch | None = None,
    ) -> None:
        self.config = config
        self.client = client  # builds requests (default headers, timeouts); never sends
        self.transport = transport
        self.resolver = resolver
        self.pins = pins
        self.gates = gates
        self.watch = watch or NetworkWatch(resolver, ())
        self.policy: AddressPolicy = config.policy()
        self._vetted: dict[
            tuple[str, bool], asyncio.Task[tuple[IPAddress | None, ErrorKind | None]]
        ] = {}
        self.requests = 0

    async def _vet_now(self, host: str, trusted: bool) -> tuple[IPAddress | None, ErrorKind | None]:
        try:
            addresses = await self.resolver.resolve(host)
        except ResolutionError as exc:
            log.debug("dns failure for %s: %s", host, exc)
            # "No such name" counts only from a resolver that answers other names.
            if exc.missing and await self.watch.resolver_works():
                return None, ErrorKind.NXDOMAIN
            return None, ErrorKind.DNS_UNAVAILABLE
        if addresses:
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
        return address, reason

    async def vet(
        self, host: str, *, trusted: bool = False
    ) -> tuple[IPAddress | None, ErrorKind | None]:
        """Resolve *host* once per run and vet it; ``(None, reason)`` when it must not be used.

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
            host = Pins.key(httpx.URL(url).raw_host.decode("ascii"))
        except httpx.InvalidURL:
            return 0.0
        return self.gates[host].ready_in() if host else 0.0

    async def exchange(
        self,
        method: str,
        url: str,
        *,
        want_body: bool,
        cookies: dict[str, str] | None = None,
        trusted: bool = False,
        json_body: bool = False,
    ) -> Hop:
        """One request to *url* (never raises for network trouble; see the module doc)."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError):  # idna's errors are ValueErrors
            return Hop(url, error=ErrorKind.INVALID_URL)
        # The ASCII (IDNA) form, normalised as pins are: what the resolver is asked, what the
        # transport dials, and the key of the host's gate ("a.test." shares the gate of "a.test").
        host = Pins.key(parsed.raw_host.decode("ascii"))
        if parsed.scheme not in HTTP_SCHEMES or not host:
            return Hop(url, error=ErrorKind.SCHEME)
        address, reason = await self.vet(host, trusted=trusted)
        if address is None:
            return Hop(url, error=reason or ErrorKind.NXDOMAIN)
        headers = {
            "Accept": "application/json" if json_body else _ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        gate = self.gates[host]
        async with gate.slot():
            self.requests += 1
            try:
                hop = await self._send(method, parsed, headers, want_body, json_body)
            except httpx.HTTPError as exc:
                log.debug("%s %s failed: %r", method, url, exc)
                return Hop(url, error=_error_kind(exc))
        self.watch.answered()
        if hop.status in _THROTTLE_STATUSES:
            retry_after = hop.retry_after
            if retry_after is not None:
                retry_after = min(retry_after, self.config.retry_after_cap)
            gate.throttled(retry_after)
        else:
            gate.succeeded()
        return hop

    async def _send(
        self, method: str, url: httpx.URL, headers: dict[str, str], want_body: bool,
        json_body: bool,
    ) -> Hop:
        request = self.client.build_request(method, url, headers=headers)
        # Straight to the transport: the client's send adds cookie extraction, auth and
        # redirect machinery that the checker does itself per redirect chain (a quarter of
        # the CPU per URL).  The timeouts travel in the request, as the client puts them.
        response = await self.transport.handle_async_request(request)
        try:
            content_type = response.headers.get("content-type", "").lower()
            is_page = json_body or not content_type or "html" in content_type
            is_page = is_page or content_type.startswith("text/")
            limit = self.config.soft404_prefix_bytes if (want_body and is_page) else 0
            body = await self._read(response, limit) if method != "HEAD" else b""
        finally:
            await response.aclose()
        cookies = tuple(
            (name.strip(), value.strip())
            for raw in response.headers.get_list("set-cookie")
            for name, _, value in [raw.split(";", 1)[0].partition("=")]
            if name.strip()
        )
        return Hop(
            str(url),
            status=response.status_code,
            location=response.headers.get("location"),
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            body=body,
            set_cookies=cookies,
        )

    async def _read(self, response: httpx.Response, limit: int) -> bytes:
        """Up to *limit* decoded bytes of the body; small bodies are drained for keep-alive."""
        length_header = response.headers.get("content-length", "")
        length = int(length_header) if length_header.isdigit() else None
        drain = length is not None and length <= _DRAIN_CAP
        if limit <= 0 and not drain:
            return b""
        decode = _decoder(response.headers.get("content-encoding", ""))
        out = bytearray()
        raw = 0
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            if len(out) < limit:
                out += decode(chunk, limit - len(out))
            if (len(out) >= limit and not drain) or raw >= self.config.max_body_bytes:
                break
        return bytes(out)
