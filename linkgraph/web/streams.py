"""An httpcore network backend on asyncio's own transports (plain TCP and TLS).

httpcore's default backend goes through anyio, which wraps every read and every write in a
cancel scope with its own timer (``fail_after``): for a link check that reads a small answer in
one or two reads, that machinery cost more CPU than the HTTP parsing.  Here a read that finds
data already buffered returns it at once, and a timer is armed only when a read or a write has
to wait.  Errors are httpcore's (``ConnectError``/``ReadError``/``WriteError`` and their
timeouts), each raised from the ``OSError`` or ``ssl.SSLError`` that caused it, so that the
error kinds of ``linkgraph.web.exchange`` can read the errno.
"""

from __future__ import annotations

import asyncio
import select
import socket
import ssl
import typing
from collections import deque
from collections.abc import Iterable

import httpcore

# Reading pauses while this much is buffered and not yet read (a fast server, a slow reader).
_READ_HIGH_WATER = 256 * 1024


class _Protocol(asyncio.Protocol):
    """Buffers what arrives; wakes the one reader (httpcore reads a connection from one task)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.eof = False
        self.error: BaseException | None = None
        self.reading_paused = False
        self._reader: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > _READ_HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()
            self.reading_paused = True
        self._wake()

    def eof_received(self) -> bool | None:
        self.eof = True
        self._wake()
        return None  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        if exc is not None and self.error is None:
            self.error = exc
        self._wake()
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        if self._writable is None or self._writable.done():
            self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def _wake(self) -> None:
        if self._reader is not None and not self._reader.done():
            self._reader.set_result(None)

    async def wait_readable(self, timeout: float | None) -> None:
        """Until data, EOF or an error is there; ``TimeoutError`` after *timeout* seconds."""
        loop = asyncio.get_running_loop()
        self._reader = waiter = loop.create_future()
        timer = loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        try:
            await waiter
        finally:
            self._reader = None
            if timer is not None:
                timer.cancel()

    async def wait_writable(self, timeout: float | None) -> None:
        """Until the transport's write buffer has room again."""
        waiter = self._writable
        if waiter is None or waiter.done():
            return
        loop = asyncio.get_running_loop()
        timer = loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        try:
            await asyncio.shield(waiter)
        finally:
            if timer is not None:
                timer.cancel()


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


def _socket_readable(sock: typing.Any) -> bool:
    if sock is None:
        return False
    if sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection (TCP, or TLS over it) read and written through a ``_Protocol``."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol
        protocol.transport = transport
        # The raw socket, looked up once: httpcore asks whether a pooled connection is readable
        # before each reuse.
        self._socket: typing.Any = transport.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        if not protocol.chunks and not protocol.eof:
            try:
                await protocol.wait_readable(timeout)
            except TimeoutError:
                raise httpcore.ReadTimeout("timed out reading") from None
        if protocol.chunks:
            data = protocol.chunks.popleft()
            if len(data) > max_bytes:
                protocol.chunks.appendleft(data[max_bytes:])
                data = data[:max_bytes]
            protocol.buffered -= len(data)
            if protocol.reading_paused and protocol.buffered <= _READ_HIGH_WATER // 4:
                protocol.reading_paused = False
                self._transport.resume_reading()
            return data
        if protocol.error is not None:
            raise httpcore.ReadError(str(protocol.error) or repr(protocol.error)) from (
                protocol.error
            )
        return b""  # the peer closed the connection

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if self._transport.is_closing():
            cause = protocol.error or ConnectionResetError("the connection is closed")
            raise httpcore.WriteError(str(cause)) from cause
        self._transport.write(buffer)
        try:
            await protocol.wait_writable(timeout)
        except TimeoutError:
            raise httpcore.WriteTimeout("timed out writing") from None

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context,
                    server_hostname=server_hostname,
                )
        except TimeoutError:
            self._transport.close()
            raise httpcore.ConnectTimeout("timed out in the TLS handshake") from None
        except (OSError, ssl.SSLError, ConnectionError) as exc:
            self._transport.close()
            raise httpcore.ConnectError(str(exc)) from exc
        if transport is None:
            self._transport.close()
            raise httpcore.ConnectError("the connection closed during the TLS handshake")
        assert isinstance(transport, asyncio.Transport)
        return AsyncioStream(transport, self._protocol)

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":
            # What the event loop already read counts: the peer may have closed (EOF) while the
            # connection sat in the pool.
            protocol = self._protocol
            return bool(protocol.chunks) or protocol.eof or _socket_readable(self._socket)
        if info == "socket":
            return self._socket
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Dials TCP with ``loop.create_connection`` (the address is already an IP: no lookup)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to *host* (an IP address) and *port*."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    _Protocol, host, port,
                    local_addr=(local_address, 0) if local_address else None,
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {host}:{port}") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        assert isinstance(transport, asyncio.Transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return AsyncioStream(transport, protocol)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Not used: the pinned backend refuses unix sockets before coming here."""
        raise httpcore.ConnectError("unix sockets are not supported")

    async def sleep(self, seconds: float) -> None:
        """Sleep on the event loop."""
        await asyncio.sleep(seconds)
