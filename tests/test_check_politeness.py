"""Politeness and the address guard, proved from the server's own log."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator

import httpcore
import pytest
from checkserver import CheckServer, Entry, fast_config

from linkgraph.check import CheckConfig, HostLimits, StaticResolver, check_urls, run_checks
from linkgraph.records import CheckResult, Verdict
from linkgraph.web import politeness
from linkgraph.web.politeness import HostGate
from linkgraph.web.transport import PinnedBackend, Pins

HOSTS = {"agency.test": "127.0.0.2", "pollster.test": "127.0.0.3", "strict.test": "127.0.0.5",
         "limited.test": "127.0.0.7", "walled.test": "127.0.0.8"}
RESOLVER = StaticResolver({name: [address] for name, address in HOSTS.items()})
_REAL_SLEEP = asyncio.sleep


class GateClock:
    """A virtual clock for the host gates: time moves only when a gate sleeps, and each delay
    a gate asks its sleeper for is recorded (and not waited)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        await _REAL_SLEEP(0)  # others run meanwhile, as they would during a real sleep
        self.now += delay


class _VirtualLoop:
    """The running loop, telling the virtual clock's time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, clock: GateClock) -> None:
        self._loop = loop
        self._clock = clock

    def time(self) -> float:
        return self._clock.now

    def __getattr__(self, name: str) -> object:
        return getattr(self._loop, name)


class VirtualAsyncio:
    """``asyncio`` as ``linkgraph.web.politeness`` sees it, with the virtual clock and sleep."""

    def __init__(self, clock: GateClock) -> None:
        self._clock = clock

    def get_running_loop(self) -> _VirtualLoop:
        return _VirtualLoop(asyncio.get_running_loop(), self._clock)

    async def sleep(self, delay: float) -> None:
        await self._clock.sleep(delay)

    def __getattr__(self, name: str) -> object:
        return getattr(asyncio, name)


@pytest.fixture
def server() -> Iterator[CheckServer]:
    with CheckServer(HOSTS.values(), strict={"127.0.0.5"}, strict_rate=3,
                     limited={"127.0.0.7"}, limited_burst=8, ua_walled={"127.0.0.8"}) as srv:
        yield srv


def config(**changes: object) -> CheckConfig:
    return fast_config(**{"archive": False, **changes})


def max_overlap(entries: list[Entry]) -> int:
    events = sorted([(e.start, 1) for e in entries] + [(e.end, -1) for e in entries])
    best = current = 0
    for _, delta in events:
        current += delta
        best = max(best, current)
    return best


def test_per_host_concurrency(server: CheckServer) -> None:
    hosts = {"agency.test": "127.0.0.2", "pollster.test": "127.0.0.3"}
    urls = [server.url(host, f"/article/{i}") for i in range(8) for host in hosts]
    limits = HostLimits(concurrency=2, interval=0.05)
    results = check_urls(urls, config(per_host=limits), resolver=RESOLVER)
    assert {r.verdict for r in results} == {Verdict.ALIVE}
    for address in hosts.values():
        entries = server.entries(address)
        assert len(entries) == 9  # 8 articles + 1 probe of a missing path (cached per host)
        assert max_overlap(entries) <= 2
        assert server.max_active[address] <= 2


def test_gate_spaces_starts_and_holds_the_host_for_retry_after() -> None:
    # On the gate's own clock, without waiting: after a start the next one is an interval
    # away; after a 429 the whole host is held for Retry-After (the spacing stays: the server
    # named its pause); a 429 without Retry-After doubles the spacing.
    async def run() -> tuple[float, float, float]:
        gate = HostGate(HostLimits(concurrency=1, interval=60.0))
        async with gate.slot():
            spaced = gate.ready_in()
        gate.throttled(600.0)
        held = gate.ready_in()
        gate.throttled(None)
        return spaced, held, gate._spacing()

    spaced, held, spacing = asyncio.run(run())
    assert 50.0 < spaced <= 60.0
    assert 590.0 < held <= 600.0
    assert spacing == 60.0 * 2  # one throttle without Retry-After: doubled once


def test_per_host_override(server: CheckServer) -> None:
    urls = [server.url("agency.test", f"/article/{i}") for i in range(4)]
    overrides = {"agency.test": HostLimits(concurrency=1, interval=0.05)}
    check_urls(urls, config(host_overrides=overrides), resolver=RESOLVER)
    entries = server.entries("127.0.0.2")
    assert len(entries) == 5  # 4 articles + the missing-page probe
    assert max_overlap(entries) == 1  # one at a time: each request ended before the next
    assert server.max_active["127.0.0.2"] == 1


def test_host_spellings_share_one_gate(server: CheckServer) -> None:
    # One gate (hence one interval and one concurrency cap) for every spelling of a host: the
    # run counts one host, and the server saw the three requests one after another.
    port = server.port
    urls = [f"http://agency.test:{port}/article/1", f"http://AGENCY.test.:{port}/article/2",
            f"http://agency.test.:{port}/article/3"]
    overrides = {"agency.test": HostLimits(concurrency=1, interval=0.05)}
    results: list[CheckResult] = []
    stats = asyncio.run(run_checks(urls, config(host_overrides=overrides, soft404_probe=False),
                                   resolver=RESOLVER, on_result=results.append))
    assert {r.verdict for r in results} == {Verdict.ALIVE}
    assert stats.hosts == 1
    entries = server.entries("127.0.0.2")
    assert len(entries) == 3
    assert max_overlap(entries) == 1


def test_polite_settings_never_trip_a_rate_limiter(server: CheckServer) -> None:
    urls = [server.url("strict.test", f"/article/{i}") for i in range(7)]
    limits = HostLimits(concurrency=2, interval=0.4)  # 2.5/s, under the 3/s limit
    results = check_urls(urls, config(per_host=limits), resolver=RESOLVER)
    assert {r.verdict for r in results} == {Verdict.ALIVE}
    assert all(r.attempts == 1 for r in results)


def test_adaptive_backoff_on_429(server: CheckServer) -> None:
    urls = [server.url("strict.test", f"/article/{i}") for i in range(8)]
    limits = HostLimits(concurrency=4, interval=0.0)  # far too fast for the 3/s host
    results = check_urls(urls, config(per_host=limits, retries=5), resolver=RESOLVER)
    assert {r.verdict for r in results} == {Verdict.ALIVE}
    assert any(r.attempts > 1 for r in results)
    # After a 429 with Retry-After: 1 the checker paused the whole host, not just one URL:
    # no two request starts on the host after the first throttle are closer than the
    # slowed-down spacing, and the total number of requests stays small.
    entries = sorted(server.entries("127.0.0.5"), key=lambda e: e.start)
    assert len(entries) <= 8 + 1 + 8  # each URL needed at most one retry on average


def test_rate_limited_host_recovers_by_waiting_as_asked(server: CheckServer) -> None:
    # 20 URLs on a host that allows 8 requests a second and answers 429 + Retry-After: 1
    # beyond; the checker sends 4 at once, far too fast.  Waiting as asked is not a retry (the
    # retry budget is for failures): even with no retry at all, every URL ends alive within
    # its deadline.  (Before, each URL that met a 429 was left rate_limited.)
    urls = [server.url("limited.test", f"/article/{i}") for i in range(20)]
    limits = HostLimits(concurrency=4, interval=0.0)
    results = check_urls(
        urls, config(per_host=limits, deadline=30.0, retries=0, soft404_probe=False),
        resolver=RESOLVER,
    )
    assert [r.verdict for r in results] == [Verdict.ALIVE] * 20, [
        (r.url, r.verdict, r.attempts) for r in results if r.verdict is not Verdict.ALIVE]
    throttled = len(server.entries("127.0.0.7")) - 20
    assert throttled >= 1  # the limiter did answer 429
    assert throttled <= 20  # and each URL was throttled about once, not hammered


def test_waiting_for_a_rate_limit_stops_at_the_deadline() -> None:
    # A host that never lets anyone through: the URL waits as asked while its deadline leaves
    # room for another second, then it is rate_limited (not timed out, not dead).
    with CheckServer(("127.0.0.7",), limited={"127.0.0.7"}, limited_burst=0) as srv:
        url = srv.url("limited.test", "/article/1")
        [result] = check_urls([url], config(deadline=2.5, retries=0), resolver=RESOLVER)
        assert (result.verdict, result.error) == (Verdict.RATE_LIMITED, "http_429")
        assert 2 <= result.attempts <= 3
        assert len(srv.entries("127.0.0.7")) == result.attempts


def test_slow_host_does_not_stall_the_others(server: CheckServer) -> None:
    slow = [server.url("agency.test", f"/slow?{i}") for i in range(2)]
    fast = [server.url("pollster.test", f"/article/{i}") for i in range(12)]
    overrides = {"agency.test": HostLimits(concurrency=1, interval=0.0)}
    order: list[CheckResult] = []
    check_urls(
        slow + fast,  # the slow host's URLs come first in the input
        config(concurrency=3, host_overrides=overrides, read_timeout=1.0, retries=0),
        resolver=RESOLVER,
        on_result=order.append,
    )
    verdicts = [(r.url in slow, r.verdict) for r in order]
    assert verdicts.count((True, Verdict.TIMEOUT)) == 2
    assert verdicts.count((False, Verdict.ALIVE)) == 12
    # Order, not time: every fast URL was judged before the first slow one gave up.
    assert verdicts[:12] == [(False, Verdict.ALIVE)] * 12, verdicts
    # Each timed-out request closed its connection: the next one opened a new one.
    assert len([a for a, _ in server.connections if a == "127.0.0.2"]) == 2


def test_loopback_refused_without_a_connection(server: CheckServer) -> None:
    # Only 127.0.0.2 is allowed; 127.0.0.3 (pollster.test) is loopback and not allowed.
    strict = config(allow_private=False, allow=("127.0.0.2",))
    to_pollster = server.url("pollster.test", "/article/1")
    urls = [
        to_pollster,
        f"http://127.0.0.3:{server.port}/article/2",
        f"http://[::ffff:127.0.0.3]:{server.port}/article/3",
        server.url("agency.test", "/redirect?to=" + to_pollster),
        server.url("agency.test", "/article/ok"),
    ]
    results = {r.url: r for r in check_urls(urls, strict, resolver=RESOLVER)}
    for url in urls[:3]:
        assert (results[url].verdict, results[url].error) == (Verdict.SKIPPED, "policy:loopback")
    hop = results[urls[3]]
    assert (hop.verdict, hop.error) == (Verdict.SKIPPED, "policy:loopback")
    assert hop.redirects == (to_pollster,)
    assert results[urls[4]].verdict is Verdict.ALIVE
    # The server saw the allowed host, and never a connection on the refused one.
    assert [e.path for e in server.entries("127.0.0.2", "/redirect")] == ["/redirect"]
    assert server.entries("127.0.0.3") == []
    assert [a for a, _ in server.connections if a == "127.0.0.3"] == []


def test_default_policy_refuses_all_loopback(server: CheckServer) -> None:
    results = check_urls(
        [server.url("agency.test", "/ok"), f"http://127.0.0.1:{server.port}/ok"],
        config(allow_private=False),
        resolver=RESOLVER,
    )
    assert {(r.verdict, r.error) for r in results} == {(Verdict.SKIPPED, "policy:loopback")}
    assert server.connections == []


class RebindingResolver:
    """Answers an allowed address first and a forbidden one afterwards (DNS rebinding)."""

    def __init__(self) -> None:
        self.calls = 0

    async def resolve(self, host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        self.calls += 1
        return [ipaddress.ip_address("127.0.0.2" if self.calls == 1 else "127.0.0.3")]


def test_connects_to_the_vetted_address_only(server: CheckServer) -> None:
    resolver = RebindingResolver()
    urls = [server.url("rebind.test", f"/article/{i}") for i in range(4)]
    results = check_urls(urls, config(allow_private=False, allow=("127.0.0.2",)),
                         resolver=resolver)
    assert {r.verdict for r in results} == {Verdict.ALIVE}
    assert resolver.calls == 1  # one lookup per host and run, then the pinned address
    assert len(server.entries("127.0.0.2")) == 5  # 4 articles + the missing-page probe
    assert server.connections and all(a == "127.0.0.2" for a, _ in server.connections)


def test_transport_refuses_hosts_that_were_not_vetted() -> None:
    backend = PinnedBackend(Pins())
    with pytest.raises(httpcore.ConnectError, match="unvetted"):
        asyncio.run(backend.connect_tcp("agency.test", 80))
    assert backend.connections == 0


def test_retry_after_is_honoured_as_asked_without_compounding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 20 URLs on one host, each answered 429 + Retry-After: 1 once, then 200 (the trial's
    # rl.json), replayed on the gate with a virtual clock: every pause the gate schedules is
    # recorded instead of slept.  The host asked for 1 s per 429 and the interval is 0.5 s,
    # so the waits add up to at most 20 * (1 + 0.5) s.  (Before, each 429 also doubled the
    # spacing, which a 200 only shrank by a quarter: 8 s between URLs, 213 s for the 20.)
    clock = [1000.0]
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def virtual_sleep(delay: float) -> None:
        waits.append(delay)
        clock[0] += delay
        await real_sleep(0)

    async def run() -> list[float]:
        monkeypatch.setattr(asyncio.get_running_loop(), "time", lambda: clock[0])
        monkeypatch.setattr(asyncio, "sleep", virtual_sleep)
        gate = HostGate(HostLimits(concurrency=1, interval=0.5), max_factor=16.0)
        held: list[float] = []
        for _ in range(20):
            async with gate.slot():
                pass  # the first request: 429, Retry-After: 1
            gate.throttled(1.0)
            held.append(gate.ready_in())
            async with gate.slot():
                pass  # the retry: 200
            gate.succeeded()
        return held

    held = asyncio.run(run())
    assert held == [1.0] * 20  # every 429 held the host for exactly what it asked
    assert sum(waits) <= 20 * (1.0 + 0.5)
    assert sum(w >= 1.0 for w in waits) == 20  # and each pause was waited in full


def test_a_request_waiting_its_turn_also_waits_for_a_retry_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A request already waiting for the host's spacing when another request is answered 429 +
    # Retry-After must not start before that pause ends (it did: it woke at its old time).
    # On the gates' virtual clock: the delays the gate asks its sleeper for are the proof.
    clock = GateClock()
    monkeypatch.setattr(politeness, "asyncio", VirtualAsyncio(clock))

    async def run() -> tuple[float, float]:
        gate = HostGate(HostLimits(concurrency=2, interval=0.2))
        async with gate.slot():
            pass
        started: list[float] = []

        async def second() -> None:
            async with gate.slot():
                started.append(clock.now)

        task = asyncio.ensure_future(second())
        await asyncio.sleep(0)  # it is now waiting for its turn (0.2 s)
        asked = clock.now
        gate.throttled(1.0)
        await task
        return asked, started[0]

    asked, started = asyncio.run(run())
    # It slept for its turn, then for the rest of the host's pause, and started when it ended.
    assert clock.sleeps == pytest.approx([0.2, 0.8])
    assert started == pytest.approx(asked + 1.0)


def test_each_url_waits_once_as_asked_and_ends_alive(
    server: CheckServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On the loopback server: each URL is answered 429 + Retry-After: 1 once, then 200.  Every
    # URL is alive after exactly two requests, the server saw each retry right after its 429,
    # and before each retry the host's gate asked its sleeper for the whole second the server
    # named, and for nothing else (the gates' clock is virtual here: nothing is waited).
    clock = GateClock()
    monkeypatch.setattr(politeness, "asyncio", VirtualAsyncio(clock))
    urls = [server.url("agency.test", f"/rl/{i}") for i in range(3)]
    limits = HostLimits(concurrency=1, interval=0.0)
    results = check_urls(urls, config(per_host=limits, deadline=20.0, retries=0,
                                      soft404_probe=False), resolver=RESOLVER)
    assert [r.verdict for r in results] == [Verdict.ALIVE] * 3
    assert [r.attempts for r in results] == [2] * 3
    entries = sorted(server.entries("127.0.0.2"), key=lambda e: e.start)
    assert [e.path for e in entries] == [f"/rl/{i}" for i in range(3) for _ in range(2)]
    assert clock.sleeps == [1.0] * 3
