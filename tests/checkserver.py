"""A real HTTP/1.1 server on several loopback addresses, producing every behaviour the link
checker must judge.  A plain module: tests import it; the benchmark runs it as a script.

Each address (127.0.0.2, 127.0.0.3, ...) acts as a different host; all share one port.  The
server keeps its own log of connections and requests (address, method, path, start and end
time), so tests can prove what was and was not sent.

Routes (on every host unless noted):

    /                    200 home page            /ok, /article/<x>  200 distinct article pages
    /chain/<n>           301/302 chain of n hops ending at /landing (200)
    /loop-a, /loop-b     302 to each other        /gone404, /gone410  404, 410
    /retry-after         429 + Retry-After: 1 on the first request, then 200
    /always429           429 + Retry-After: 0 always
    /flaky503            503 twice, then 200      /broken500  500 always
    /bomb                200, gzip that inflates to 20 MB
    /maintenance         503 + Retry-After: 3600 (longer than anyone waits for one link)
    /slow                answers after 2 s        /reset      connection reset (RST)
    /file.pdf            HEAD 405, GET 200 pdf    /head405    HEAD 405, GET 200 html
    /soft404-title       200 "Page not found"     /moved-home 301 to /
    /botwall             403 Cloudflare challenge /status999  999
    /redirect?to=URL     302 to URL               other paths 404
    catch-all hosts:     200 "Oops" page for any unknown path (soft 404)
    strict hosts:        429 + Retry-After: 1 above ``strict_rate`` requests per second
    limited hosts:       a rate limiter: ``limited_burst`` requests per window, then 429 +
                         Retry-After: 1; every request before that second is over gets 429
                         too (a client that waits as asked always gets through)
    ua-walled hosts:     403 to any User-Agent without "compatible;" (a bot wall by User-Agent)
    /wayback/available   Wayback-style availability JSON (captures of /gone*, /soft404*, ...;
                         ?capture=URL: that URL as the capture, whatever it is)
    /__stats             JSON: requests per address, max concurrency per address
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import json
import math
import socket
import struct
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlsplit

from linkgraph.check import CheckConfig, HostLimits

PAGE = (
    "<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
    "<p>{text}</p></body></html>"
)
LOREM = (
    "The council approved the budget after a long debate about schools, roads and the new "
    "library; the vote was close and the opposition promised to raise it again next year."
)


def fast_config(**changes: object) -> CheckConfig:
    """Checker settings for tests against this server: loopback allowed, no politeness delay,
    short timeouts and back-off (``/slow`` times out, retries take milliseconds)."""
    config = CheckConfig(
        concurrency=16,
        per_host=HostLimits(concurrency=2, interval=0.0),
        connect_timeout=1.0,
        read_timeout=0.3,
        deadline=8.0,
        retries=2,
        backoff_base=0.05,
        backoff_cap=0.2,
        retry_after_cap=2.0,
        allow_private=True,
        # The tests' resolvers are static tables that work by construction: believe their "no
        # such name" without asking canary names (the network-down tests set canaries).
        canary_hosts=(),
    )
    return replace(config, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Entry:
    """One request as the server saw it."""

    address: str
    method: str
    path: str
    host: str
    start: float
    end: float
    connection: int


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    reset: bool = False


def _page(title: str, text: str = LOREM, status: int = 200) -> Reply:
    body = PAGE.format(title=title, text=text).encode()
    return Reply(status, body, [("Content-Type", "text/html; charset=utf-8")])


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"<html><title>x</title>" + b"\0" * 20_000_000, compresslevel=9)


def _redirect(status: int, location: str) -> Reply:
    return Reply(status, b"", [("Location", location)])


class CheckServer:
    """The server: start() in a background thread, stop() when done (or use ``with``)."""

    def __init__(
        self,
        addresses: Iterable[str] = ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"),
        *,
        catch_all: Iterable[str] = (),
        strict: Iterable[str] = (),
        strict_rate: int = 3,
        limited: Iterable[str] = (),
        limited_burst: int = 5,
        ua_walled: Iterable[str] = (),
        latency: float = 0.0,
        keep_log: bool = True,
    ) -> None:
        self.addresses = tuple(addresses)
        self.catch_all = frozenset(catch_all)
        self.strict = frozenset(strict)
        self.strict_rate = strict_rate
        self.limited = frozenset(limited)
        self.limited_burst = limited_burst
        self.ua_walled = frozenset(ua_walled)
        # per limited address: [window start, accepted in window, blocked until]
        self._limiter: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.headers_seen: list[dict[str, str]] = []
        self.latency = latency
        self.keep_log = keep_log
        self.port = 0
        self.log: list[Entry] = []
        self.connections: list[tuple[str, float]] = []
        self.requests: dict[str, int] = defaultdict(int)
        self._active: dict[str, int] = defaultdict(int)
        self.max_active: dict[str, int] = defaultdict(int)
        self._counters: dict[str, int] = defaultdict(int)
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._conn_ids = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._ready = threading.Event()
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> CheckServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("check server did not start")

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            done = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
            done.result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _shutdown(self) -> None:
        for server in self._servers:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._bind())
        self._ready.set()
        loop.run_forever()
        for server in self._servers:
            server.close()
        with contextlib.suppress(Exception):
            loop.run_until_complete(asyncio.sleep(0))
        loop.close()

    async def _bind(self) -> None:
        for _ in range(20):
            probe = socket.socket()
            probe.bind((self.addresses[0], 0))
            port = probe.getsockname()[1]
            probe.close()
            try:
                servers = [
                    await asyncio.start_server(self._serve, address, port, backlog=1024)
                    for address in self.addresses
                ]
            except OSError:
                for server in self._servers:
                    server.close()
                continue
            self._servers = servers
            self.port = port
            return
        raise RuntimeError("no common free port on the loopback addresses")

    # -- helpers for tests -------------------------------------------------------------------
    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"

    def entries(self, address: str | None = None, path: str | None = None) -> list[Entry]:
        return [
            e for e in list(self.log)
            if (address is None or e.address == address) and (path is None or e.path == path)
        ]

    # -- serving -----------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("sockname")[0]
        self._conn_ids += 1
        connection = self._conn_ids
        if self.keep_log:
            self.connections.append((address, time.monotonic()))
        self._writers.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = ([*lines[0].split(" "), "", ""])[:3]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                start = time.monotonic()
                self._active[address] += 1
                self.max_active[address] = max(self.max_active[address], self._active[address])
                self.requests[address] += 1
                logged = False
                try:
                    reply = self._route(address, method, target, headers)
                    if reply.delay or self.latency:
                        await asyncio.sleep(reply.delay or self.latency)
                    if reply.reset:
                        sock = writer.get_extra_info("socket")
                        linger = struct.pack("ii", 1, 0)  # close with RST, not FIN
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                        writer.transport.abort()
                        return
                    # Logged before the answer goes out: a client holding its answer must find
                    # the request in the log (after the write, a fast test could look first).
                    logged = self._log_entry(
                        address, method, target, headers, start=start, connection=connection
                    )
                    self._write(writer, method, reply)
                    await writer.drain()
                finally:
                    self._active[address] -= 1
                    if not logged:
                        self._log_entry(
                            address, method, target, headers, start=start, connection=connection
                        )
        except (ConnectionError, asyncio.CancelledError):
            return  # the client went away, or the server is shutting down
        finally:
            self._writers.discard(writer)
            if task is not None:
                self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    def _log_entry(
        self, address: str, method: str, target: str, headers: dict[str, str], *, start: float,
        connection: int,
    ) -> bool:
        if self.keep_log:
            self.log.append(
                Entry(address, method, urlsplit(target).path, headers.get("host", ""), start,
                      time.monotonic(), connection)
            )
        return True

    @staticmethod
    def _write(writer: asyncio.StreamWriter, method: str, reply: Reply) -> None:
        reason = "Unknown" if reply.status == 999 else "Status"
        head = [f"HTTP/1.1 {reply.status} {reason}", f"Content-Length: {len(reply.body)}"]
        head += [f"{k}: {v}" for k, v in reply.headers]
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        writer.write(data if method == "HEAD" else data + reply.body)

    def _count(self, key: str) -> int:
        self._counters[key] += 1
        return self._counters[key]

    def _route(self, address: str, method: str, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        host = headers.get("host", address)
        if self.keep_log:
            self.headers_seen.append(headers)
        if address in self.ua_walled and "compatible;" not in headers.get("user-agent", ""):
            return Reply(403, b"<html><title>Forbidden</title>no bots</html>",
                         [("Content-Type", "text/html")])
        if address in self.limited:
            throttled = self._limit(address)
            if throttled is not None:
                return throttled
        if address in self.strict:
            window = self._recent[address]
            now = time.monotonic()
            window.append(now)
            while window and window[0] < now - 1.0:
                window.popleft()
            if len(window) > self.strict_rate:
                return Reply(429, b"slow down", [("Retry-After", "1")])
        if path == "/__stats":
            stats = {"requests": dict(self.requests), "max_active": dict(self.max_active)}
            return Reply(200, json.dumps(stats).encode(), [("Content-Type", "application/json")])
        if path == "/":
            return _page("Home", "Welcome to the front page of " + host)
        if path == "/ok" or path.startswith(("/article/", "/landing", "/story/")):
            return _page("Article " + path, LOREM + " Reference " + path + ".")
        if path.startswith("/chain/"):
            hops = int(path.rsplit("/", 1)[1])
            if hops <= 0:
                return _redirect(301, "/landing")
            return _redirect(301 if hops % 2 else 302, f"/chain/{hops - 1}")
        if path in {"/loop-a", "/loop-b"}:
            return _redirect(302, "/loop-b" if path == "/loop-a" else "/loop-a")
        if path == "/redirect":
            return _redirect(302, query["to"][0])
        if path == "/gone404":
            return _page("Not Found", "No such page", 404)
        if path == "/gone410":
            return _page("Gone", "This page was removed", 410)
        if path == "/retry-after" or path.startswith("/rl/"):  # 429 + Retry-After once a path
            if self._count(address + path) == 1:
                return Reply(429, b"too many", [("Retry-After", "1")])
            return _page("Recovered after 429")
        if path == "/always429":
            return Reply(429, b"too many", [("Retry-After", "0")])
        if path == "/flaky503":
            if self._count(address + path) <= 2:
                return Reply(503, b"unavailable")
            return _page("Recovered after 503")
        if path == "/bomb":  # 20 MB of zeros in ~20 kB of gzip
            gzipped = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
            return Reply(200, _bomb(), gzipped)
        if path == "/maintenance":
            return Reply(503, b"back soon", [("Retry-After", "3600")])
        if path == "/broken500":
            return Reply(500, b"internal error")
        if path == "/slow":
            return Reply(200, b"late", delay=2.0)
        if path == "/reset":
            return Reply(0, reset=True)
        if path in {"/file.pdf", "/head405"}:
            if method == "HEAD":
                return Reply(405, b"", [("Allow", "GET")])
            if path == "/file.pdf":
                return Reply(200, b"%PDF-1.4 " + b"x" * 4000, [("Content-Type", "application/pdf")])
            return _page("Head not allowed here, GET is fine")
        if path == "/soft404-title":
            return _page("Page not found | Example News", "Sorry, we moved things around.")
        if path == "/moved-home":
            return _redirect(301, "/")
        if path == "/botwall":
            body = (
                "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
                "<div id='cf-browser-verification'>Checking your browser</div></body></html>"
            )
            return Reply(403, body.encode(), [("Content-Type", "text/html")])
        if path == "/status999":
            return Reply(999, b"request denied")
        if path == "/wayback/available":
            return self._wayback(query)
        if address in self.catch_all:
            sorry = "We could not find what you were looking for. "
            return _page("Oops | Catch-all", sorry + LOREM)
        return _page("Not Found", "No such page " + path, 404)

    def _limit(self, address: str) -> Reply | None:
        state = self._limiter[address]
        now = time.monotonic()
        if now < state[2]:
            wait = max(1, math.ceil(state[2] - now))
            return Reply(429, b"too many", [("Retry-After", str(wait))])
        if now - state[0] >= 1.0:
            state[0], state[1] = now, 0.0
        if state[1] >= self.limited_burst:
            state[2] = now + 1.0
            return Reply(429, b"too many", [("Retry-After", "1")])
        state[1] += 1
        return None

    def _wayback(self, query: dict[str, list[str]]) -> Reply:
        url = query.get("url", [""])[0]
        stamp = query.get("timestamp", ["20250101"])[0]
        closest: dict[str, object] = {}
        if any(word in url for word in ("gone", "soft404", "moved-home", "loop")):
            taken = f"{int(stamp[:4]) - 1}0601120000"  # about half a year before the date asked
            closest = {
                "closest": {
                    "available": True, "status": "200", "timestamp": taken,
                    # ?capture=X in the endpoint's address: answer X (a hostile archive).
                    "url": query.get("capture", [f"http://web.archive.test/web/{taken}/{url}"])[0],
                }
            }
        body = json.dumps({"url": url, "archived_snapshots": closest}).encode()
        return Reply(200, body, [("Content-Type", "application/json")])


def main(argv: list[str]) -> None:
    """Run the server until stdin closes: ``checkserver.py LATENCY ADDRESS...``."""
    latency = float(argv[0])
    server = CheckServer(argv[1:], latency=latency, keep_log=False)
    server.start()
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
