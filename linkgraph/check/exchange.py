"""One HTTP exchange: vet the host, pass its politeness gate, send, read a capped prefix.

``Exchanger.exchange`` never raises for network trouble: it returns a ``Hop`` whose ``error``
names the failure kind (``dns``, ``policy:<class>``, ``refused``, ``reset``, ``timeout``, ``tls``,
``protocol``).  Bodies are read raw and decompressed here with an output cap, so a compression
bomb never inflates past ``limit`` bytes.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import httpx

from linkgraph.check.config import CheckConfig
from linkgraph.check.policy import AddressPolicy, IPAddress
from linkgraph.check.politeness import HostGates
from linkgraph.check.resolver import ResolutionError, Resolver
from linkgraph.check.transport import Pins, UnvettedHost
from linkgraph.check.verdicts import parse_retry_after
from linkgraph.urls import HTTP_SCHEMES

log = logging.getLogger("linkgraph.check")

# A small body is drained after the prefix we need, so that the connection can be reused.
_DRAIN_CAP = 65_536
_THROTTLE_STATUSES = frozenset({429, 503})
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
# Where keep_location puts a response's Location header (out of httpx's reach).
_LOCATION: Final = "linkgraph.location"


async def keep_location(response: httpx.Response) -> None:
    """A response hook that takes the ``Location`` header away from httpx.

    The checker follows redirects itself (WHATWG resolution, then the address guard on every
    hop).  httpx, even when not following, parses the target with its own URL parser to
    prepare ``next_request``, and raised ``InvalidURL`` (or ``IDNAError``) out of ``send`` for
    targets such as ``http:127.0.0.1:18080/x``, losing the answer: the target is untrusted
    text from the server, so it is kept for the checker to judge and httpx never sees it.
    """
    values = response.headers.get_list("location")
    if values:
        response.extensions = {**response.extensions, _LOCATION: values[0]}
        del response.headers["location"]


@dataclass(frozen=True, slots=True)
class Hop:
    """What one request to one URL produced."""

    url: str
    status: int | None = None
    location: str | None = None
    retry_after: float | None = None
    body: bytes = b""
    error: str | None = None
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


def _error_kind(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    cause = exc.__cause__
    if isinstance(cause, UnvettedHost):
        return "policy:unvetted"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if isinstance(cause, ssl.SSLError) or "ssl" in text or "certificate" in text:
            return "tls"
        if "refused" in text:
            return "refused"
        if "reset" in text:
            return "reset"
        return "connect"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "reset"
    if isinstance(exc, httpx.RemoteProtocolError):
        # "Server disconnected without sending a response" is a reset in all but name.
        return "reset" if "disconnected" in str(exc).lower() else "protocol"
    if isinstance(exc, httpx.ProtocolError | httpx.DecodingError):
        return "protocol"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "invalid_url"
    return "transport"


class Exchanger:
    """Sends single requests for a run: DNS cache, vetting, pins, gates, body caps."""

    def __init__(
        self,
        config: CheckConfig,
        client: httpx.AsyncClient,
        resolver: Resolver,
        pins: Pins,
        gates: HostGates,
    ) -> None:
        self.config = config
        self.client = client
        self.resolver = resolver
        self.pins = pins
        self.gates = gates
        self.policy: AddressPolicy = config.policy()
        self._vetted: dict[tuple[str, bool], asyncio.Task[tuple[IPAddress | None, str]]] = {}
        self.requests = 0

    async def _vet_now(self, host: str, trusted: bool) -> tuple[IPAddress | None, str]:
        try:
            addresses = await self.resolver.resolve(host)
        except ResolutionError as exc:
            log.debug("dns failure for %s: %s", host, exc)
            return None, "dns"
        if trusted:
            address: IPAddress | None = addresses[0] if addresses else None
            reason = "" if address is not None else "dns"
        else:
            address, reason = self.policy.vet(host, addresses)
        if address is not None:
            self.pins.pin(host, address)
        return address, reason

    async def vet(self, host: str, *, trusted: bool = False) -> tuple[IPAddress | None, str]:
        """Resolve *host* once per run and vet it; ``(None, reason)`` when it must not be used.

        *trusted* is for configured endpoints (the archive): resolved and pinned, not vetted.
        """
        key = (Pins.key(host), trusted)
        task = self._vetted.get(key)
        if task is None:
            task = self._vetted[key] = asyncio.ensure_future(self._vet_now(key[0], trusted))
        return await asyncio.shield(task)

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
            return Hop(url, error="invalid_url")
        # The ASCII (IDNA) form, normalised as pins are: what the resolver is asked, what the
        # transport dials, and the key of the host's gate ("a.test." shares the gate of "a.test").
        host = Pins.key(parsed.raw_host.decode("ascii"))
        if parsed.scheme not in HTTP_SCHEMES or not host:
            return Hop(url, error="scheme")
        address, reason = await self.vet(host, trusted=trusted)
        if address is None:
            return Hop(url, error=reason)
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
        response = await self.client.send(request, stream=True)
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
            location=response.extensions.get(_LOCATION),
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
