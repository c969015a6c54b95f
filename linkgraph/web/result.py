"""What fetching one URL produced (``FetchResult``), and the names the fetcher's callers use.

The error is an ``ErrorKind``, the one error enum of the HTTP layer and the checker alike;
``FetchError`` is the same enum under the name collecting code has always used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from linkgraph.records import ErrorKind

FetchError = ErrorKind  # one enum: ``FetchError.TIMEOUT is ErrorKind.TIMEOUT``

ACCEPT_HTML: Final = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
ACCEPT_JSON: Final = "application/json;q=1.0,*/*;q=0.5"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What fetching one URL produced: the final answer, or why there is none."""

    url: str  # as asked
    fetched_at: datetime  # when the fetch started (UTC)
    status: int | None = None
    final_url: str | None = None  # after redirects
    headers: tuple[tuple[str, str], ...] = ()  # names in lower case
    body: bytes = b""  # decoded (Content-Encoding removed)
    error: ErrorKind | None = None
    detail: str = ""  # a human sentence for ``error`` (or a throttle)
    redirects: tuple[str, ...] = ()
    attempts: int = 1

    @property
    def ok(self) -> bool:
        """A 2xx answer whose body was read whole."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        """The first value of header *name* (case-insensitive), or ``None``."""
        key = name.lower()
        return next((value for hname, value in self.headers if hname == key), None)

    def header_list(self, name: str) -> list[str]:
        """Every value of header *name*."""
        key = name.lower()
        return [value for hname, value in self.headers if hname == key]

    @property
    def content_type(self) -> str:
        """The media type, lower case, without parameters ('' when absent)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def describe(self) -> str:
        """A short sentence: '404', 'policy:loopback: ...', ..."""
        if self.error is not None:
            return f"{self.error.value}: {self.detail}" if self.detail else self.error.value
        return f"HTTP {self.status}"
