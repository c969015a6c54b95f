"""Connecting to the vetted address, and only to it.

``PinnedTransport`` is an ``httpx`` transport over an ``httpcore`` connection pool whose network
backend never resolves names: ``connect_tcp(host, port)`` dials the address the runner vetted for
that host (``Pins``) and refuses any host that was not vetted.  The URL keeps the host name, so
the ``Host`` header, TLS SNI and certificate verification all use the name, while the TCP
connection goes to the checked IP: there is no second lookup that DNS rebinding could exploit.
Connections are pooled per name, so two virtual hosts on one IP never share a TLS session.
"""

from __future__ import annotations

import ssl
import typing
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import contextmanager

import httpcore
import httpx

from linkgraph.check.policy import IPAddress


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

    def __init__(self, pins: Pins, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._pins = pins
        self._inner = inner or httpcore.AnyIOBackend()
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


@contextmanager
def _mapped_errors() -> Iterator[None]:
    """Re-raise httpcore errors as the httpx error of the same name (they mirror each other)."""
    try:
        yield
    except httpcore.ConnectError as exc:  # includes UnvettedHost
        raise httpx.ConnectError(str(exc)) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("httpcore"):
            mapped = getattr(httpx, type(exc).__name__, httpx.TransportError)
            if isinstance(mapped, type) and issubclass(mapped, httpx.TransportError):
                raise mapped(str(exc)) from exc
        raise


class _Stream(httpx.AsyncByteStream):
    def __init__(self, inner: typing.AsyncIterable[bytes]) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _mapped_errors():
            async for part in self._inner:
                yield part

    async def aclose(self) -> None:
        close = getattr(self._inner, "aclose", None)
        if close is not None:
            await close()


class PinnedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that connects only to pinned, vetted addresses (see module doc)."""

    def __init__(
        self,
        pins: Pins,
        *,
        max_connections: int,
        max_keepalive: int,
        keepalive_expiry: float = 5.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.backend = PinnedBackend(pins)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive,
            keepalive_expiry=keepalive_expiry,
            network_backend=self.backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send *request* through the pinned pool."""
        assert isinstance(request.stream, typing.AsyncIterable)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _mapped_errors():
            response = await self._pool.handle_async_request(core_request)
        assert isinstance(response.stream, typing.AsyncIterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Stream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._pool.aclose()
