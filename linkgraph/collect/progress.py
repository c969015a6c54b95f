"""What a collecting run reports while it runs (the CLI renders it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class CollectStats:
    """Counters of one source's collection, updated after each stored page."""

    source: str
    total: int | None = None  # articles the source announced (X-WP-Total), when known
    articles: int = 0
    failures: int = 0
    skipped: int = 0  # listed URLs not fetched: already kept, or dated before --since
    pages: int = 0
    requests: int = 0
    resumed: bool = False
    done: bool = False
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        """Articles per second so far."""
        elapsed = time.monotonic() - self.started
        return self.articles / elapsed if elapsed > 0 else 0.0


OnProgress = Callable[[CollectStats], None]
