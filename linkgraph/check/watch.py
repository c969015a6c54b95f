"""A dead network is not a dead link: the run-level watch that tells them apart.

Offline, every check fails, and each failure looks like a dead link on its own: some systems
answer "no such name" (EAI_NONAME) for every name when no resolver is reachable, others
"temporary failure" (EAI_AGAIN), and connections fail as unreachable or time out.  So:

* "No such name" is believed only after the canary names (``CheckConfig.canary_hosts``, names
  reserved to exist, asked once per run and only when needed) resolved through the same
  resolver.  A host of the run that resolved is no evidence: an IP literal never asks the
  resolver, and ``localhost`` or a hosts-file name answers without DNS.
* Until some host answers over HTTP, results are held back (nothing is reported or stored).
  When the first ``NetworkWatch.threshold`` hosts that failed all failed the same way without
  an answer (resolver not answering, unreachable, refused, timed out), or failed while the
  canaries do not resolve, or the run ends with nothing answering, the run stops with
  ``NetworkDown``: no link was judged.  Otherwise the held results are released and the watch
  steps aside.
* When the canaries do not resolve but some host answered without the resolver (an IP
  literal, ``localhost``), the run goes on: those links are judged, and every link whose host
  needs a name lookup is an unverified ``error`` (``dns_unavailable``), never ``dead``;
  ``resolver_down`` says why, for the caller to warn and exit accordingly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Final

from linkgraph.errors import NetworkDown
from linkgraph.records import ErrorKind
from linkgraph.web.resolver import ResolutionError, Resolver

log = logging.getLogger("linkgraph.check")

# Failures that happen before any answer, when nothing on the path answers.
NO_ANSWER: Final = frozenset({
    ErrorKind.DNS_UNAVAILABLE, ErrorKind.UNREACHABLE, ErrorKind.CONNECT, ErrorKind.TIMEOUT,
    ErrorKind.DEADLINE, ErrorKind.REFUSED, ErrorKind.RESET,
})
DEFAULT_THRESHOLD: Final = 8
# No result was handed on (``run_checks`` holds them back), so a caller stored none.
_NOTHING_JUDGED: Final = (
    "; no link was judged and nothing was stored: check the connection and run again"
)

__all__ = ["NO_ANSWER", "NetworkDown", "NetworkWatch"]


class NetworkWatch:
    """Watches one run until some host answers (see the module doc)."""

    def __init__(
        self, resolver: Resolver, canaries: Sequence[str], threshold: int = DEFAULT_THRESHOLD
    ) -> None:
        self._resolver = resolver
        self._canaries = tuple(canaries)
        self.threshold = max(1, threshold)
        self._resolved = False
        self._canary: asyncio.Task[bool] | None = None
        self._failed: dict[str, ErrorKind] = {}
        self.watching = True  # results are held back while True
        # Set when the canaries did not resolve: the resolver is down (names are unverified).
        self.resolver_down: str | None = None

    def resolved(self) -> None:
        """Some host of this run resolved.  Not evidence that the resolver answers (an IP
        literal or a hosts-file name resolves without it): only the canaries are."""
        self._resolved = True

    def answered(self) -> None:
        """Some host answered over HTTP: the network works; the watch steps aside."""
        self.watching = False

    async def _canaries_resolve(self) -> bool:
        for name in self._canaries:
            try:
                if await self._resolver.resolve(name):
                    return True
            except ResolutionError as exc:
                log.debug("canary %s did not resolve: %s", name, exc)
        return False

    async def canaries_resolve(self) -> bool:
        """True when a canary name resolves (asked once per run); True with no canaries."""
        if not self._canaries:
            return True
        if self._canary is None:
            self._canary = asyncio.ensure_future(self._canaries_resolve())
        works = await asyncio.shield(self._canary)
        if not works and self.resolver_down is None:
            names = ", ".join(self._canaries)
            self.resolver_down = (
                f"the resolver answers no name, not even {names}: the network or the resolver "
                "is down"
            )
        return works

    async def resolver_works(self) -> bool:
        """May a "no such name" answer be believed?  Only when the canaries resolve."""
        return await self.canaries_resolve()

    def failed(self, host: str, kind: ErrorKind | None) -> None:
        """A check of *host* ended with *kind*; remembered while no host has answered."""
        if self.watching and kind in NO_ANSWER and host:
            self._failed.setdefault(host, kind)

    async def assess(self, *, finished: bool = False) -> None:
        """Decide, when enough is known: raise ``NetworkDown``, or stop watching."""
        if not self.watching:
            return
        if len(self._failed) < self.threshold and not (finished and self._failed):
            if finished:
                self.watching = False
            return
        kinds = set(self._failed.values())
        if not await self.canaries_resolve():
            raise NetworkDown((self.resolver_down or "the network is down") + _NOTHING_JUDGED)
        if len(self._failed) >= self.threshold and len(kinds) == 1:
            raise NetworkDown(
                f"the first {len(self._failed)} hosts all failed with {kinds.pop().value} and "
                "none answered: the network is down or blocked" + _NOTHING_JUDGED
            )
        self.watching = False
