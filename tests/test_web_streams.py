"""The web layer's own asyncio network streams, over real loopback sockets: plain TCP, TLS with
a certificate the client trusts and one it does not, a server that closes a kept-alive
connection, and a peer that resets."""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
from collections.abc import Awaitable, Callable

import httpx
import pytest
import trustme

from linkgraph.records import ErrorKind
from linkgraph.web.exchange import Exchanger, Hop
from linkgraph.web.policy import AddressPolicy
from linkgraph.web.politeness import HostGates, HostLimits
from linkgraph.web.resolver import StaticResolver
from linkgraph.web.transport import PinnedTransport, Pins

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
BODY = b"<html><title>tls page</title>hello</html>"


async def answer_all(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A keep-alive HTTP/1.1 server: every request gets a 200 page."""
    try:
        while (head := await reader.readuntil(b"\r\n\r\n")):
            assert head.startswith(b"GET /")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                         + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers one request, then closes the connection without saying so in a header."""
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    await writer.drain()
    writer.close()


async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Reads the request, then resets the connection (RST, not FIN)."""
    await reader.readuntil(b"\r\n\r\n")
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def exchanger(client_ssl: ssl.SSLContext | None = None) -> Exchanger:
    pins = Pins()
    return Exchanger(
        resolver=StaticResolver({"tls.test": ["127.0.0.1"], "plain.test": ["127.0.0.1"]}),
        policy=AddressPolicy.from_allow(["127.0.0.1"]),
        gates=HostGates(lambda host: HostLimits(2, 0.0), 16.0),
        transport=PinnedTransport(pins, ssl_context=client_ssl),
        pins=pins,
        headers=[("User-Agent", "test")],
        timeout=httpx.Timeout(5.0),
        retry_after_cap=5.0,
        max_raw_bytes=1_000_000,
    )


async def serve(handler: Handler, server_ssl: ssl.SSLContext | None,
                urls: list[str], client: Exchanger) -> list[Hop]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=server_ssl)
    port = server.sockets[0].getsockname()[1]
    try:
        hops = []
        for url in urls:
            hops.append(await client.exchange("GET", url.format(port=port), {},
                                              prefix=65_536))
            await asyncio.sleep(0.05)  # lets the server's close reach the client
        return hops
    finally:
        await client.transport.aclose()
        server.close()
        await server.wait_closed()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("tls.test").configure_cert(context)
    return context


def test_tls_with_a_trusted_certificate_reads_the_page_over_one_connection(
    ca: trustme.CA,
) -> None:
    client_ssl = ssl.create_default_context()
    ca.configure_trust(client_ssl)
    client = exchanger(client_ssl)
    urls = ["https://tls.test:{port}/a", "https://tls.test:{port}/b"]
    hops = asyncio.run(serve(answer_all, server_context(ca), urls, client))
    assert [(h.status, h.error, h.body) for h in hops] == [(200, None, BODY)] * 2
    assert client.transport.backend.connections == 1  # kept alive over TLS


def test_tls_with_an_unknown_certificate_is_a_tls_error(ca: trustme.CA) -> None:
    hops = asyncio.run(serve(answer_all, server_context(ca), ["https://tls.test:{port}/"],
                             exchanger(ssl.create_default_context())))
    assert (hops[0].status, hops[0].error) == (None, ErrorKind.TLS)


def test_a_connection_the_server_closed_is_not_reused() -> None:
    client = exchanger()
    urls = ["http://plain.test:{port}/a", "http://plain.test:{port}/b"]
    hops = asyncio.run(serve(answer_once, None, urls, client))
    assert [(h.status, h.error, h.body) for h in hops] == [(200, None, b"ok")] * 2
    assert client.transport.backend.connections == 2


def test_a_reset_is_a_reset() -> None:
    hops = asyncio.run(serve(reset, None, ["http://plain.test:{port}/"], exchanger()))
    assert (hops[0].status, hops[0].error) == (None, ErrorKind.RESET)
