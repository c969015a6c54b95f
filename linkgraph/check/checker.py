"""Checking one URL: retries, the redirect chain, soft-404 analysis, archive suggestion."""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import replace
from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlsplit

from linkgraph.check.archive import closest_capture
from linkgraph.check.config import CheckConfig, UrlToCheck
from linkgraph.check.verdicts import (
    PageFingerprint,
    fingerprint,
    resembles,
    says_missing,
    status_verdict,
)
from linkgraph.records import FAILING_VERDICTS, CheckResult, ErrorKind, Verdict
from linkgraph.urls import HTTP_SCHEMES, is_homepage, scheme_of
from linkgraph.web.exchange import THROTTLE_STATUSES, Exchanger, Hop
from linkgraph.web.headers import Origin, UserHeaders, in_scope, origin_of
from linkgraph.web.redirects import Chain, follow
from linkgraph.web.target import parse_target

log = logging.getLogger("linkgraph.check")

_RETRYABLE_ERRORS: Final = frozenset({ErrorKind.TIMEOUT, ErrorKind.RESET})
_ACCEPT: Final = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
_ERROR_VERDICTS = {
    ErrorKind.NXDOMAIN: Verdict.DEAD,
    ErrorKind.REFUSED: Verdict.DEAD,
    ErrorKind.RESET: Verdict.DEAD,
    ErrorKind.LOOP: Verdict.DEAD,
    ErrorKind.TIMEOUT: Verdict.TIMEOUT,
    ErrorKind.DEADLINE: Verdict.TIMEOUT,
    ErrorKind.SCHEME: Verdict.SKIPPED,
    ErrorKind.INVALID_URL: Verdict.SKIPPED,
    ErrorKind.EXCLUDED: Verdict.SKIPPED,
}


def _error_verdict(kind: ErrorKind) -> Verdict:
    """The verdict of a check that failed before a status: by the error table, a refused
    address skipped, anything else (our network, TLS, protocol) an inconclusive error."""
    if kind.is_policy:
        return Verdict.SKIPPED
    return _ERROR_VERDICTS.get(kind, Verdict.ERROR)


class Checker:
    """Checks URLs one at a time (many concurrently) over one run's ``Exchanger``.

    The exchanger sends the user's public headers with every request; the secret ones
    (``linkgraph.web.headers``) go only to the origin of a link whose host is in
    ``config.header_hosts``, never across a redirect to another origin.  *sleep* waits before
    a retry (tests record the delays asked for).
    """

    def __init__(
        self, exchanger: Exchanger, config: CheckConfig, *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.x = exchanger
        self.config = config
        self._user = UserHeaders.of(config.headers)
        self._sleep = sleep
        self._probes: dict[str, asyncio.Task[PageFingerprint | None]] = {}
        # The loop time by which the URL being checked (in this task) must be judged.
        self._deadline: ContextVar[float] = ContextVar("deadline")

    def _backoff(self, tries: int) -> float:
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2.0 ** (tries - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # "equal jitter"

    def _home_of(self, url: str) -> Origin | None:
        """The origin the user's secret headers go to on a chain from *url*, if any."""
        origin = origin_of(url) if self._user.secret else None
        if origin is None or not in_scope(origin[1], self.config.header_hosts):
            return None
        return origin

    async def _fetch(
        self, method: str, url: str, cookies: dict[str, str], want_body: bool,
        home: Origin | None = None,
    ) -> tuple[Hop, int]:
        """One hop with retries (timeouts, resets, retry statuses); returns it and its tries.

        A 429 or 503 with a ``Retry-After`` of at least a second is honoured for the whole host
        (the host's gate holds every request to it) and does not use up a retry: the URL waits
        as asked while its deadline leaves room for the wait, so a host that rate-limits and
        then answers is judged on its answer.  A shorter one is retried at once (the gate holds
        the host for it).  Any other retried answer backs off, ``Retry-After`` or not: a 500,
        502 or 504 asks nothing of the host's gate.
        """
        tries = waits = 0
        loop = asyncio.get_running_loop()
        while True:
            tries += 1
            hop = await self._exchange(method, url, cookies, want_body, home)
            retry = hop.error in _RETRYABLE_ERRORS or (
                hop.status in self.config.retry_statuses
                and hop.status not in self.config.accept
                and status_verdict(hop.status, hop.body)[0] is not Verdict.BLOCKED
            )
            if not retry:
                return hop, tries
            retry_after = hop.retry_after if hop.status in THROTTLE_STATUSES else None
            if retry_after is not None:
                if retry_after > self.config.retry_after_cap:
                    return hop, tries  # the host asks for longer than we wait for one link
                if retry_after >= 1:
                    # The host's gate already holds this host for Retry-After (and longer when
                    # other URLs were throttled too): wait if the deadline leaves room.
                    pause = max(retry_after, self.x.wait_for_host(url))
                    deadline = self._deadline.get(loop.time() + self.config.deadline)
                    if loop.time() + pause >= deadline:
                        return hop, tries
                    waits += 1
                    log.debug("%s %s: host asked for %.1fs", method, url, retry_after)
                    continue
            if tries - waits > self.config.retries:
                return hop, tries
            delay = 0.0 if retry_after is not None else self._backoff(tries - waits)
            log.debug("retrying %s %s in %.2fs (%s)", method, url, delay, hop.error or hop.status)
            await self._sleep(delay)

    async def _exchange(
        self, method: str, url: str, cookies: dict[str, str], want_body: bool,
        home: Origin | None,
    ) -> Hop:
        headers = {"Accept": _ACCEPT}
        sent = [f"{k}={v}" for k, v in cookies.items()]
        for name, value in self._user.secrets_for(home, url).items():
            if name.lower() == "cookie":
                sent.insert(0, value)  # the user's cookies, then those the chain was given
            else:
                headers[name] = value
        if sent:
            headers["Cookie"] = "; ".join(sent)
        prefix = self.config.soft404_prefix_bytes if want_body else 0
        return await self.x.exchange(method, url, headers, prefix=prefix)

    async def _follow(self, url: str, want_body: bool = True) -> Chain:
        """Follow redirects from *url* (at most ``max_redirects``), detecting loops."""
        home = self._home_of(url)

        async def send(method: str, target: str, cookies: dict[str, str]) -> tuple[Hop, int]:
            return await self._fetch(method, target, cookies, want_body, home)

        head_first = urlsplit(url).path.lower().endswith(self.config.head_first_suffixes)
        return await follow(url, send, max_redirects=self.config.max_redirects,
                            head_first=head_first)

    async def _probe_now(self, origin: str) -> PageFingerprint | None:
        probe = f"{origin}/{secrets.token_hex(12)}-{secrets.token_hex(4)}"
        chain = await self._follow(probe)
        final = chain.final
        if chain.error or final.error or final.status is None or not 200 <= final.status < 300:
            return None  # the host answers missing pages honestly (or not at all)
        return fingerprint(final.status, chain.hops[-1] if chain.hops else probe, final.body)

    async def probe(self, url: str) -> PageFingerprint | None:
        """How the host of *url* answers a path that cannot exist (once per origin per run)."""
        origin = parse_target(url).origin
        task = self._probes.get(origin)
        if task is None:
            task = self._probes[origin] = asyncio.ensure_future(self._probe_now(origin))
        return await asyncio.shield(task)

    async def _judge(self, url: str) -> CheckResult:
        now = datetime.now(UTC)
        chain = await self._follow(url)
        final = chain.final
        final_url = chain.hops[-1] if chain.hops else url
        redirects = tuple(chain.hops)
        base = CheckResult(
            url, now, Verdict.ERROR, status=final.status, final_url=final_url,
            redirects=redirects, attempts=chain.tries,
            permanent_redirect=bool(redirects) and chain.permanent,
        )
        kind = chain.error or final.error  # the chain's own failure (a loop) comes first
        if kind:
            return replace(base, verdict=_error_verdict(kind), error=kind)
        assert final.status is not None
        verdict, error = status_verdict(final.status, final.body)
        if final.status in self.config.accept and not 200 <= final.status < 300:
            return replace(base, verdict=Verdict.ALIVE)  # the user accepts this status
        if final.status == 503 and final.retry_after is not None and verdict is Verdict.DEAD:
            # "Come back later" (maintenance): unverifiable now, not dead.
            verdict = Verdict.RATE_LIMITED
        if verdict is Verdict.ALIVE:
            verdict, error = await self._soft404(url, final_url, final, bool(redirects))
        return replace(base, verdict=verdict, error=error)

    async def _soft404(
        self, url: str, final_url: str, final: Hop, redirected: bool
    ) -> tuple[Verdict, ErrorKind | None]:
        if redirected and not is_homepage(url) and is_homepage(final_url):
            return Verdict.SOFT_404, ErrorKind.HOMEPAGE_REDIRECT
        if final.body and says_missing(final.body):
            return Verdict.SOFT_404, ErrorKind.MISSING_PAGE
        if self.config.soft404_probe and final.body and not is_homepage(final_url):
            missing = await self.probe(final_url)
            if missing is not None and resembles(
                fingerprint(final.status or 200, final_url, final.body), missing
            ):
                return Verdict.SOFT_404, ErrorKind.LIKE_MISSING_PAGE
        if redirected and final_url != url:
            return Verdict.REDIRECTED, None
        return Verdict.ALIVE, None

    async def check(self, item: UrlToCheck) -> CheckResult:
        """Check one URL within the overall deadline; never raises (except cancellation)."""
        url = item.url
        if scheme_of(url) not in HTTP_SCHEMES:
            return CheckResult(url, datetime.now(UTC), Verdict.SKIPPED, error=ErrorKind.SCHEME)
        if self.config.excluded(url):
            return CheckResult(url, datetime.now(UTC), Verdict.SKIPPED, error=ErrorKind.EXCLUDED)
        loop = asyncio.get_running_loop()
        token = self._deadline.set(loop.time() + self.config.deadline)
        try:
            async with asyncio.timeout(self.config.deadline):
                result = await self._judge(url)
        except TimeoutError:
            result = CheckResult(url, datetime.now(UTC), Verdict.TIMEOUT, error=ErrorKind.DEADLINE)
        except Exception:  # a bug must not sink the run: it becomes an error result
            log.exception("internal error while checking %s", url)
            result = CheckResult(url, datetime.now(UTC), Verdict.ERROR, error=ErrorKind.INTERNAL)
        finally:
            self._deadline.reset(token)
        if self.config.archive and result.verdict in FAILING_VERDICTS:
            archived = None
            try:
                async with asyncio.timeout(self.config.archive_timeout):
                    archived = await closest_capture(self.x, self.config, url, item.published)
            except TimeoutError:
                log.debug("archive lookup timed out for %s", url)
            if archived is not None:
                result = replace(result, archive_url=archived)
        return result
