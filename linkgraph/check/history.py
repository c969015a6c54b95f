"""A link's standing over its check history: "failing" until repeated failures confirm it dead.

One bad answer is not a dead link: servers fail for an hour, DNS flaps, a deploy returns 404s for
a minute.  A link is ``confirmed_dead`` only when its latest conclusive checks are failures
(``dead`` or ``soft_404``), at least ``min_failures`` of them in a row, spread over at least
``min_days`` days.  Inconclusive checks (``timeout``, ``error``, ``blocked``, ``rate_limited``,
``skipped``) neither count nor break the run; any ``alive`` or ``redirected`` check resets it.
A failure of our side (the network, the resolver, the checker: ``ErrorKind.is_local``) is never
evidence, whatever its verdict: a ``dead`` stored with the old ``dns`` kind (before a dead
resolver was told from a missing name) does not count either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from linkgraph.records import FAILING_VERDICTS, CheckResult, LinkStatus, Verdict

_HEALTHY = frozenset({Verdict.ALIVE, Verdict.REDIRECTED})


# A link is confirmed dead after this many failing checks in a row over this many days.
MIN_FAILURES: Final = 3
MIN_DAYS: Final = 3.0

def link_status(
    history: Sequence[CheckResult], *, min_failures: int = MIN_FAILURES, min_days: float = MIN_DAYS
) -> LinkStatus:
    """The standing of one URL from its checks, oldest first (see the module doc).

    >>> from datetime import datetime, timedelta, UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> dead = [CheckResult("http://a.test/x", t + timedelta(days=d), Verdict.DEAD)
    ...         for d in (0, 2, 4)]
    >>> link_status(dead).confirmed_dead
    True
    """
    if not history:
        raise ValueError("link_status needs at least one check")
    ordered = sorted(history, key=lambda r: r.checked_at)
    latest = ordered[-1]
    run: list[datetime] = []  # times of the latest run of failures, newest first
    for result in reversed(ordered):
        if result.verdict in _HEALTHY:
            break
        if result.verdict in FAILING_VERDICTS and not (result.error and result.error.is_local):
            run.append(result.checked_at)
    failures = len(run)
    spread_days = (run[0] - run[-1]).total_seconds() / 86_400 if run else 0.0
    confirmed = failures >= min_failures and failures > 0 and spread_days >= min_days
    return LinkStatus(
        url=latest.url,
        latest=latest,
        checks=len(ordered),
        failures=failures,
        first_failure=run[-1] if run else None,
        confirmed_dead=confirmed,
    )


def link_statuses(
    histories: Mapping[str, Sequence[CheckResult]],
    *,
    min_failures: int = MIN_FAILURES,
    min_days: float = MIN_DAYS,
) -> dict[str, LinkStatus]:
    """``link_status`` of every URL in *histories* (by URL); URLs with no check are left out."""
    return {
        url: link_status(history, min_failures=min_failures, min_days=min_days)
        for url, history in histories.items()
        if history
    }
