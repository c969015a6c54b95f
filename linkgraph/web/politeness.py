"""Per-host politeness and the round-robin feed of URLs.

* ``HostGate``: every request to a host passes through its gate, which caps the requests in
  flight and spaces request starts by at least the host's interval.  After a 429 or 503 with
  ``Retry-After`` the gate holds the whole host (not just the one URL) for what the server
  asked, and no more: a request already waiting for its turn waits for the pause too, and the
  spacing does not grow on top.  Without ``Retry-After`` the gate slows down on its own (the
  interval doubles, up to a cap, and decays back after successes).
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

# URLs read from the input per look at it.
_FILL_BATCH = 256
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
                scheduled = max(loop.time(), self._next_start)
                while (wait := scheduled - loop.time()) > 0:
                    await asyncio.sleep(wait)
                    if self._next_start <= scheduled:
                        break
                    scheduled = self._next_start  # the host asked for a pause meanwhile
                # Starts are scheduled a spacing apart on the gate's clock: a wake-up that comes
                # late does not push every later start back (that drift cost a fifth of the
                # allowed rate); the lost time is made up a little at a time, two starts never
                # closer than three quarters of the spacing.
                spacing = self._spacing()
                self._next_start = max(scheduled + spacing, loop.time() + spacing * 0.75)
            yield

    def ready_in(self) -> float:
        """Seconds until this host's next request may start (0 when it may start now)."""
        return max(0.0, self._next_start - asyncio.get_running_loop().time())

    def throttled(self, retry_after: float | None) -> None:
        """The host said 429/503: wait *retry_after* seconds if it said so (exactly that: the
        server named its pause), else slow down on our own (the spacing doubles, capped)."""
        if retry_after is None:
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

    def __len__(self) -> int:
        return len(self._gates)

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
        self._caps: dict[str, int] = {}
        self._buffered = 0
        self._exhausted = False
        # Workers waiting for a free slot, woken one per freed slot (waking every worker on
        # every finished item cost more CPU than the checks themselves).
        self._waiting: deque[asyncio.Future[None]] = deque()

    def _fill(self) -> None:
        # A batch at a time, so the first requests start before the whole look-ahead is read
        # (10,000 URLs took a quarter of a second); take() reads on while nothing is ready.
        batch = _FILL_BATCH
        while not self._exhausted and self._buffered < self._lookahead and batch > 0:
            batch -= 1
            try:
                item = next(self._items)
            except StopIteration:
                self._exhausted = True
                return
            host = self._host_of(item)
            queue = self._queues.get(host)
            if queue is None:
                queue = self._queues[host] = deque()
                if host not in self._caps:
                    self._caps[host] = self._cap_of(host)
            queue.append(item)
            self._buffered += 1

    def _pick(self) -> tuple[T, str] | None:
        # Iterating the dict itself is safe: the loop returns as soon as it changes it (a copy
        # of every host's name per pick cost seconds with thousands of hosts).
        for host, queue in self._queues.items():
            if self._in_flight.get(host, 0) >= self._caps[host]:
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
            if not self._exhausted and self._buffered < self._lookahead:
                continue  # every host read so far is busy: read further before waiting
            if not self._queues and self._exhausted:
                self._wake(len(self._waiting))  # nothing left for anyone
                return None
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake(1)  # pass the wake-up on
                raise

    def _wake(self, count: int) -> None:
        while count > 0 and self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                count -= 1

    def done(self, host: str) -> None:
        """One item of *host* finished: its slot is free again."""
        left = self._in_flight.get(host, 1) - 1
        if left <= 0:
            self._in_flight.pop(host, None)
        else:
            self._in_flight[host] = left
        self._wake(1)

