"""Connecting to the vetted address, and only to it.

``PinnedTransport`` sends httpcore requests over kept-alive httpcore connections whose network
backend never resolves names: ``connect_tcp(host, port)`` dials the address the runner vetted for
that host (``Pins``) and refuses any host that was not vetted.  The URL keeps the host name, so
the ``Host`` header, TLS SNI and certificate verification all use the name, while the TCP
connection goes to the checked IP: there is no second lookup that DNS rebinding could exploit.
Connections are pooled per origin (scheme, name, port), so two virtual hosts on one IP never
share a TLS session.
"""

from __future__ import annotations

import ssl
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import httpcore
import httpx

from linkgraph.web.policy import IPAddress
from linkgraph.web.streams import AsyncioBackend


class Pins:
    """Host name -> vetted address, filled by the runner before any request to that host."""

    def __init__(self) -> None:
        self._pins: dict[str, str] = {}

    @staticmethod
    def key(host: str) -> str:
        """The normalised key of a host as httpx/httpcore spell it."""
        return host.strip("[]").lower().rstrip(".")

    def pin(self, host: str, address: IPAddress) -> None:
        """Allow connections to *host*, at *address* only."""
        self._pins[self.key(host)] = str(address)

    def address(self, host: str) -> str | None:
        """The vetted address of *host*, or ``None`` when it was never vetted."""
        return self._pins.get(self.key(host))


class UnvettedHost(httpcore.ConnectError):
    """The transport was asked to connect to a host the runner did not vet (never silent)."""


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that maps each host name to its pinned address before dialling."""

    def __init__(self, pins: Pins) -> None:
        self._pins = pins
        self._inner = AsyncioBackend()
        self.connections = 0  # how many TCP connections were opened (benchmarks read it)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Dial the vetted address of *host*; refuse hosts that were not vetted."""
        address = self._pins.address(host)
        if address is None:
            raise UnvettedHost(f"refusing to connect to unvetted host {host!r}")
        self.connections += 1
        return await self._inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never a checked link's destination."""
        raise UnvettedHost("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        """Delegate to the inner backend."""
        await self._inner.sleep(seconds)


class _Pool:
    """The kept-alive HTTP/1.1 connections of one origin.

    httpcore's own pool scans every connection and takes two locks for each request and each
    response closed, and its connection wrapper one more (a fifth of the checker's CPU); the
    host's gate already caps the requests in flight, so a stack of idle connections is all
    that is needed here.  Connections are dialled here: TCP to the pinned address, then TLS
    with the host's name (SNI and certificate check) and ALPN ``http/1.1``.
    """

    def __init__(
        self, origin: httpcore.Origin, ssl_context: ssl.SSLContext | None,
        keepalive_expiry: float, backend: httpcore.AsyncNetworkBackend,
    ) -> None:
        self._origin = origin
        self._ssl = ssl_context
        self._expiry = keepalive_expiry
        self._backend = backend
        self._idle: list[httpcore.AsyncHTTP11Connection] = []
        self.active = 0

    async def connection(self, timeout: float | None) -> httpcore.AsyncHTTP11Connection:
        """An idle connection that is still good (the newest first), or a new one (dialled
        within *timeout* seconds, TLS included)."""
        while self._idle:
            connection = self._idle.pop()
            if connection.is_available() and not connection.has_expired():
                return connection
            await connection.aclose()
        origin = self._origin
        host = origin.host.decode("ascii")
        stream = await self._backend.connect_tcp(host, origin.port, timeout=timeout)
        if self._ssl is not None:
            try:
                stream = await stream.start_tls(self._ssl, server_hostname=host,
                                                timeout=timeout)
            except BaseException:
                await stream.aclose()
                raise
        return httpcore.AsyncHTTP11Connection(origin, stream, keepalive_expiry=self._expiry)

    async def release(self, connection: httpcore.AsyncHTTP11Connection) -> None:
        """Keep *connection* for the next request when it can carry one, else close it."""
        if connection.is_idle() and not connection.has_expired():
            self._idle.append(connection)
        elif not connection.is_closed():
            await connection.aclose()

    async def aclose(self) -> None:
        """Close the idle connections."""
        while self._idle:
            await self._idle.pop().aclose()


class PinnedTransport:
    """Sends requests only to pinned, vetted addresses (see module doc).

    One small pool per origin, so that one host's connections never crowd out another's.  Idle
    pools beyond ``max_pools`` are closed.  A pool has no size of its own: the host gates
    (``linkgraph.web.politeness``) cap the requests in flight, hence the connections in use.
    """

    def __init__(
        self,
        pins: Pins,
        *,
        keepalive_expiry: float = 5.0,
        max_pools: int = 256,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.backend = PinnedBackend(pins)
        self._expiry = keepalive_expiry
        self._max_pools = max_pools
        # Built on the first https origin: loading the CA bundle takes a tenth of a second,
        # which delayed every first request of a run.
        self._ssl = ssl_context
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], _Pool] = OrderedDict()

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        self._ssl.set_alpn_protocols(["http/1.1"])  # HTTP/1.1 only, as httpcore's pool asks
        return self._ssl

    async def _pool_for(self, key: tuple[bytes, bytes, int | None]) -> _Pool:
        entry = self._pools.get(key)
        if entry is not None:
            self._pools.move_to_end(key)
            return entry
        scheme, host, port = key
        origin = httpcore.Origin(scheme, host, port or (443 if scheme == b"https" else 80))
        entry = self._pools[key] = _Pool(
            origin, self._ssl_context() if scheme == b"https" else None, self._expiry,
            self.backend,
        )
        if len(self._pools) > self._max_pools:
            idle = [k for k, p in self._pools.items() if p.active == 0 and k != key]
            for old in idle[: len(self._pools) - self._max_pools]:
                await self._pools.pop(old).aclose()
        return entry

    @asynccontextmanager
    async def open(self, request: httpcore.Request) -> AsyncIterator[httpcore.Response]:
        """Send *request* through the pinned pool of its origin; the response is closed (and its
        connection handed back) on leaving the block.  Errors are httpcore's own.

        Requests and responses are httpcore's: building httpx's around them cost a fifth of
        the CPU of a link check."""
        url = request.url
        entry = await self._pool_for((url.scheme, url.host, url.port))
        entry.active += 1
        try:
            timeouts = request.extensions.get("timeout", {})
            connection = await entry.connection(timeouts.get("connect"))
        except BaseException:
            entry.active -= 1
            raise
        try:
            response = await connection.handle_async_request(request)
            try:
                yield response
            finally:
                await response.aclose()
        finally:
            entry.active -= 1
            await entry.release(connection)

    async def aclose(self) -> None:
        """Close every pooled connection."""
        while self._pools:
            _, entry = self._pools.popitem()
            await entry.aclose()
