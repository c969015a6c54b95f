"""Per-host politeness and the round-robin feed of URLs.

* ``HostGate``: every request to a host passes through its gate, which caps the requests in
  flight and spaces request starts by at least the host's interval.  After a 429 or 503 the gate
  slows down (the interval doubles, up to a cap, and decays back after successes) and honours
  ``Retry-After`` for the whole host, not just the one URL.
* ``RoundRobinFeed``: hands URLs to the workers host by host in turn, and never gives a host more
  URLs in flight than its concurrency, so a slow host holds at most that many workers while the
  others keep going.  It reads its input lazily with a bounded look-ahead, so memory stays flat.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# With a zero interval, adaptive back-off still needs a base to multiply.
_BACKOFF_FLOOR = 0.05


@dataclass(frozen=True, slots=True)
class HostLimits:
    """Politeness for one host: concurrent requests and minimum spacing of request starts."""

    concurrency: int = 2
    interval: float = 0.5


class HostGate:
    """Concurrency cap + minimum spacing + adaptive back-off for one host."""

    def __init__(self, limits: HostLimits, max_factor: float = 16.0) -> None:
        self.limits = limits
        self._slots = asyncio.Semaphore(max(1, limits.concurrency))
        self._order = asyncio.Lock()  # request starts are spaced in arrival order
        self._next_start = 0.0
        self._factor = 1.0
        self._max_factor = max_factor

    def _spacing(self) -> float:
        if self._factor <= 1.0:
            return self.limits.interval
        return max(self.limits.interval, _BACKOFF_FLOOR) * self._factor

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one request slot of this host, starting no earlier than the spacing allows."""
        async with self._slots:
            async with self._order:
                loop = asyncio.get_running_loop()
                wait = self._next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start = loop.time() + self._spacing()
            yield

    def throttled(self, retry_after: float | None) -> None:
        """The host said 429/503: slow down, and wait *retry_after* seconds if it said so."""
        self._factor = min(self._max_factor, self._factor * 2.0)
        loop = asyncio.get_running_loop()
        pause = retry_after if retry_after is not None else self._spacing()
        self._next_start = max(self._next_start, loop.time() + pause)

    def succeeded(self) -> None:
        """An answer that was not a throttle: decay the slow-down factor towards 1."""
        if self._factor > 1.0:
            self._factor = max(1.0, self._factor * 0.75)


class HostGates:
    """The gates of every host seen in a run, created on first use."""

    def __init__(self, limits_for: Callable[[str], HostLimits], max_factor: float) -> None:
        self._limits_for = limits_for
        self._max_factor = max_factor
        self._gates: dict[str, HostGate] = {}

    def __getitem__(self, host: str) -> HostGate:
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = HostGate(self._limits_for(host), self._max_factor)
        return gate


class RoundRobinFeed(Generic[T]):
    """Lazily groups items by host and hands them out round-robin (see module doc).

    ``take()`` returns the next item and its host, or ``None`` when everything was handed out;
    ``done(host)`` must be called when an item's work ends.
    """

    def __init__(
        self,
        items: Iterator[T],
        host_of: Callable[[T], str],
        cap_of: Callable[[str], int],
        lookahead: int,
    ) -> None:
        self._items = items
        self._host_of = host_of
        self._cap_of = cap_of
        self._lookahead = max(1, lookahead)
        self._queues: OrderedDict[str, deque[T]] = OrderedDict()
        self._in_flight: dict[str, int] = {}
        self._buffered = 0
        self._exhausted = False
        self._changed = asyncio.Event()

    def _fill(self) -> None:
        while not self._exhausted and self._buffered < self._lookahead:
            try:
                item = next(self._items)
            except StopIteration:
                self._exhausted = True
                return
            host = self._host_of(item)
            queue = self._queues.get(host)
            if queue is None:
                queue = self._queues[host] = deque()
            queue.append(item)
            self._buffered += 1

    def _pick(self) -> tuple[T, str] | None:
        # Iterating the dict itself is safe: the loop returns as soon as it changes it (a copy
        # of every host's name per pick cost seconds with thousands of hosts).
        for host, queue in self._queues.items():
            if self._in_flight.get(host, 0) >= self._cap_of(host):
                continue
            item = queue.popleft()
            self._buffered -= 1
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            if queue:
                self._queues.move_to_end(host)  # round-robin: this host goes to the back
            else:
                del self._queues[host]
            return item, host
        return None

    async def take(self) -> tuple[T, str] | None:
        """The next (item, host) to work on, waiting while every ready host is at its cap."""
        while True:
            self._fill()
            picked = self._pick()
            if picked is not None:
                return picked
            if not self._queues and self._exhausted:
                return None
            self._changed.clear()
            await self._changed.wait()

    def done(self, host: str) -> None:
        """One item of *host* finished: its slot is free again."""
        left = self._in_flight.get(host, 1) - 1
        if left <= 0:
            self._in_flight.pop(host, None)
        else:
            self._in_flight[host] = left
        self._changed.set()

