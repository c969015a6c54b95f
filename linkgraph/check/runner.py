"""The async engine: de-duplicate, feed hosts round-robin, check, report each result at once."""

from __future__ import annotations

import asyncio
import heapq
import logging
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import httpx

from linkgraph.check.checker import Checker
from linkgraph.check.config import CheckConfig, UrlToCheck
from linkgraph.check.watch import NetworkWatch
from linkgraph.records import CheckResult, ErrorKind
from linkgraph.urls import hostname, strip_credentials
from linkgraph.web.exchange import Exchanger
from linkgraph.web.headers import UserHeaders
from linkgraph.web.politeness import HostGates, RoundRobinFeed
from linkgraph.web.resolver import Resolver, SystemResolver
from linkgraph.web.transport import PinnedTransport, Pins

log = logging.getLogger("linkgraph.check")


@dataclass(frozen=True, slots=True)
class RunStats:
    """What a run cost: URLs checked, HTTP requests sent, TCP connections opened, and hosts
    contacted (one politeness gate each, whatever the spelling of the host in the URLs).

    ``resolver_down`` says why, when the canary names did not resolve but some host answered
    without the resolver (an IP literal, ``localhost``): the links whose host needs a name
    lookup are then unverified errors (``dns_unavailable``), never dead.
    """

    urls: int
    requests: int
    connections: int
    hosts: int = 0
    resolver_down: str | None = None


class _SeenHashes:
    """A compact set of 64-bit hashes: a small set of recent ones plus sorted arrays of older.

    8 bytes per URL instead of ~70 for a set of ints, so de-duplication stays small on runs of
    hundreds of thousands of URLs.  Older hashes sit in a few sorted ``array("q")`` runs
    (binary search), compacted into one when there are too many.
    """

    _BATCH = 8192
    _MAX_RUNS = 8

    def __init__(self) -> None:
        self._recent: set[int] = set()
        self._runs: list[array[int]] = []

    def __contains__(self, key: int) -> bool:
        if key in self._recent:
            return True
        for run in self._runs:
            index = bisect_left(run, key)
            if index < len(run) and run[index] == key:
                return True
        return False

    def add(self, key: int) -> bool:
        """Add *key*; False when it was already there."""
        if key in self:
            return False
        self._recent.add(key)
        if len(self._recent) >= self._BATCH:
            self._runs.append(array("q", sorted(self._recent)))
            self._recent.clear()
            if len(self._runs) > self._MAX_RUNS:
                self._runs = [array("q", heapq.merge(*self._runs))]
        return True


def _unique(urls: Iterable[UrlToCheck | str]) -> Iterator[UrlToCheck]:
    """Items without credentials, first occurrence of each URL only (by 64-bit hash)."""
    seen = _SeenHashes()
    for raw in urls:
        item = raw if isinstance(raw, UrlToCheck) else UrlToCheck(raw)
        url = strip_credentials(item.url.strip())
        if not seen.add(hash(url)):
            continue
        yield item if url == item.url else UrlToCheck(url, item.published)


def _host_of(item: UrlToCheck) -> str:
    # The host as the exchanger keys its gates (IDNA, no trailing dot), so feed and gates agree.
    return Pins.key(hostname(item.url) or "")


def _exchanger(config: CheckConfig, resolver: Resolver, watch: NetworkWatch) -> Exchanger:
    """The run's one ``Exchanger`` of the web layer, with the checker's limits."""
    pins = Pins()
    transport = PinnedTransport(pins)  # the host gates cap requests (connections) per host
    return Exchanger(
        resolver=resolver,
        policy=config.policy(),
        gates=HostGates(config.limits_for, config.max_backoff_factor),
        transport=transport,
        pins=pins,
        # The secret ones go per request, to the origins they are for (``Checker``).
        headers=(("User-Agent", config.user_agent), *UserHeaders.of(config.headers).public),
        timeout=httpx.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.read_timeout,
            pool=config.deadline,
        ),
        retry_after_cap=config.retry_after_cap,
        max_raw_bytes=config.max_body_bytes,
        watch=watch,
    )


async def run_checks(
    urls: Iterable[UrlToCheck | str],
    config: CheckConfig,
    *,
    resolver: Resolver | None = None,
    on_result: Callable[[CheckResult], None],
) -> RunStats:
    """Check *urls*, calling *on_result* with each result as it arrives; keep nothing.

    This is the memory-flat form of ``check_urls_async``: input is read lazily (with a
    look-ahead of ``config.lookahead`` URLs) and results are not collected.  Until some host
    answers, results are held back; when the network or the resolver does not answer, the run
    stops with ``NetworkDown`` and *on_result* never saw a result (``linkgraph.check.watch``).
    """
    resolver = resolver or SystemResolver()
    watch = NetworkWatch(resolver, config.canary_hosts, config.network_threshold)
    exchanger = _exchanger(config, resolver, watch)
    checker = Checker(exchanger, config)
    feed: RoundRobinFeed[UrlToCheck] = RoundRobinFeed(
        _unique(urls),
        _host_of,
        lambda host: config.limits_for(host).concurrency if host else config.concurrency,
        config.lookahead,
    )
    count = unverified = 0
    held: list[CheckResult] = []

    def deliver(result: CheckResult) -> None:
        nonlocal count, unverified
        count += 1
        unverified += result.error is ErrorKind.DNS_UNAVAILABLE
        on_result(result)

    async def judged(result: CheckResult, host: str) -> None:
        watch.failed(host, result.error)
        await watch.assess()
        if watch.watching:
            held.append(result)
            return
        for earlier in held:
            deliver(earlier)
        held.clear()
        deliver(result)

    async def worker() -> None:
        while (picked := await feed.take()) is not None:
            item, host = picked
            try:
                result = await checker.check(item)
            finally:
                feed.done(host)
            await judged(result, host)

    try:
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(max(1, config.concurrency)):
                    group.create_task(worker())
        finally:
            await exchanger.transport.aclose()
        await watch.assess(finished=True)
    except ExceptionGroup as group:
        # Only on_result and the watch can raise (checks never do): surface the error as itself.
        raise group.exceptions[0] from None
    for result in held:
        deliver(result)
    if watch.resolver_down is not None:
        log.warning(
            "%s; %d link(s) whose host needs a name lookup are unverified (error "
            "dns_unavailable), not dead; only links to IP addresses or local names were judged: "
            "run again when the resolver answers", watch.resolver_down, unverified,
        )
    return RunStats(
        count, exchanger.requests, exchanger.transport.backend.connections,
        len(exchanger.gates), resolver_down=watch.resolver_down,
    )


async def check_urls_async(
    urls: Iterable[UrlToCheck | str],
    config: CheckConfig,
    *,
    resolver: Resolver | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Check every unique URL of *urls* and return the results in completion order.

    *on_result* is called with each result as soon as it is known (store it there, so that
    an interrupted run keeps what it obtained).  Failures are results, never exceptions.

    >>> import asyncio
    >>> from linkgraph.check import CheckConfig, StaticResolver
    >>> asyncio.run(check_urls_async(["ftp://a.test/x"], CheckConfig(),
    ...                              resolver=StaticResolver({})))[0].verdict
    <Verdict.SKIPPED: 'skipped'>
    """
    results: list[CheckResult] = []

    def collect(result: CheckResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    await run_checks(urls, config, resolver=resolver, on_result=collect)
    return results


def check_urls(
    urls: Iterable[UrlToCheck | str],
    config: CheckConfig,
    *,
    resolver: Resolver | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Synchronous wrapper of ``check_urls_async`` (runs its own event loop)."""
    return asyncio.run(
        check_urls_async(urls, config, resolver=resolver, on_result=on_result)
    )
