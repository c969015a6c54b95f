"""Pure parts of the checker: history, verdict rules, soft-404 signals, archive answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from linkgraph import check
from linkgraph.check import link_status, link_statuses
from linkgraph.check.archive import parse_capture
from linkgraph.check.runner import _SeenHashes, _unique
from linkgraph.check.verdicts import (
    fingerprint,
    is_bot_wall,
    resembles,
    says_missing,
    status_verdict,
)
from linkgraph.records import CheckResult, Verdict
from linkgraph.web.fetch import parse_retry_after
from linkgraph.web.wayback import availability_query

T0 = datetime(2026, 1, 1, tzinfo=UTC)
URL = "http://agency.test/x"


def history(*checks: tuple[float, Verdict]) -> list[CheckResult]:
    return [CheckResult(URL, T0 + timedelta(days=d), v) for d, v in checks]


D, A, T = Verdict.DEAD, Verdict.ALIVE, Verdict.TIMEOUT

HISTORIES = [
    # (checks as (day, verdict), failures, confirmed)
    ([(0, D)], 1, False),
    ([(0, D), (1, D), (2, D)], 3, False),  # 3 failures but only 2 days apart
    ([(0, D), (2, D), (4, D)], 3, True),
    ([(0, D), (0.1, D), (3.5, D)], 3, True),
    ([(0, D), (2, D), (3, A), (4, D)], 1, False),  # alive in between resets the run
    ([(0, D), (1, T), (2, D), (4, D)], 3, True),  # a timeout neither counts nor resets
    ([(0, D), (2, D), (4, D), (5, A)], 0, False),
    ([(0, Verdict.SOFT_404), (3, Verdict.SOFT_404), (6, D)], 3, True),
    ([(0, Verdict.BLOCKED), (3, Verdict.BLOCKED), (6, Verdict.BLOCKED)], 0, False),
]


@pytest.mark.parametrize(("checks", "failures", "confirmed"), HISTORIES)
def test_link_status(checks: list[tuple[float, Verdict]], failures: int, confirmed: bool) -> None:
    status = link_status(history(*checks))
    assert (status.failures, status.confirmed_dead) == (failures, confirmed)
    assert status.checks == len(checks)
    assert status.latest.checked_at == max(T0 + timedelta(days=d) for d, _ in checks)


def test_link_status_thresholds_are_configurable() -> None:
    checks = history((0, D), (1, D))
    assert not link_status(checks).confirmed_dead
    assert link_status(checks, min_failures=2, min_days=1).confirmed_dead
    with pytest.raises(ValueError, match="at least one"):
        link_status([])



def test_link_statuses_maps_every_checked_url() -> None:
    dead = history((0, D), (1, D))
    other = [CheckResult("http://agency.test/y", T0, A)]
    statuses = link_statuses({URL: dead, "http://agency.test/y": other, "http://agency.test/z": []},
                             min_failures=2, min_days=1)
    assert set(statuses) == {URL, "http://agency.test/y"}  # no history, no status
    assert statuses[URL] == link_status(dead, min_failures=2, min_days=1)
    assert statuses[URL].confirmed_dead
    assert not link_statuses({URL: dead})[URL].confirmed_dead  # default thresholds

STATUS_RULES = [
    (200, b"<title>Budget vote</title>", Verdict.ALIVE, None),
    (404, b"", Verdict.DEAD, "http_404"),
    (410, b"", Verdict.DEAD, "http_410"),
    (500, b"oops", Verdict.DEAD, "http_5xx"),
    (503, b"<title>Just a moment...</title>", Verdict.BLOCKED, "bot_wall"),
    (403, b"<p>Please complete the captcha</p>", Verdict.BLOCKED, "bot_wall"),
    (403, b"Forbidden", Verdict.BLOCKED, "forbidden"),
    (401, b"", Verdict.BLOCKED, "http_401"),
    (999, b"", Verdict.BLOCKED, "bot_wall"),
    (429, b"", Verdict.RATE_LIMITED, "http_429"),
    (400, b"", Verdict.ERROR, "http_4xx"),
    # A normal page that embeds Cloudflare's bot-management script is not a wall.
    (200, b'<script src="/cdn-cgi/challenge-platform/scripts/x.js"></script>', Verdict.ALIVE, None),
    (200, b"<p>Comment form with reCAPTCHA</p>", Verdict.ALIVE, None),
]


@pytest.mark.parametrize(("status", "body", "verdict", "error"), STATUS_RULES)
def test_status_verdict(status: int, body: bytes, verdict: Verdict, error: str | None) -> None:
    assert status_verdict(status, body) == (verdict, error)


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        (b"<title>Page not found | Daily</title>", True),
        (b"<title>404</title>", True),
        (b"<title>404 | Daily</title>", True),
        (b"<title>Error 404 - Daily</title>", True),
        (b"<title>Daily: 404 error</title>", True),
        (b"<title>Article /article/404</title>", False),
        (b"<title>Flight 404 lands safely</title>", False),
        (b"<html><h1 class='x'>Sorry, this page doesn't exist</h1>", True),
        ("<title>Сторінку не знайдено</title>".encode(), True),
        (b"<title>Seite nicht gefunden</title>", True),
        (b"<title>Police found no evidence</title><h1>Police found no evidence</h1>", False),
        (b"<title>Budget</title><p>The file was not found in the archive.</p>", False),
        (b"<title>Missing climber not found after search</title>", False),
        (b"<title>Why the deal could not be found in time</title>", False),
        (b"<title>Not Found</title>", True),
        (b"<title>Oops! That page can\xe2\x80\x99t be found. - Daily</title>", True),
        (b"<title>Sorry, the article you requested does not exist</title>", True),
    ],
)
def test_says_missing(body: bytes, missing: bool) -> None:
    assert says_missing(body) is missing


def test_bot_wall_markers() -> None:
    assert is_bot_wall(403, b"<title>Attention Required! | Cloudflare</title>")
    assert is_bot_wall(200, b"<title>Just a moment...</title><script>window._cf_chl_opt={}")
    assert not is_bot_wall(404, b"captcha")


def test_resembles_the_missing_page() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    oops = b"<title>Oops</title><p>We looked everywhere. " + words.encode() + b"</p>"
    missing = fingerprint(200, "http://a.test/zzz", oops)
    assert resembles(fingerprint(200, "http://a.test/old", oops.replace(b"everywhere", b"hard")),
                     missing)
    article = b"<title>Budget</title><p>" + " ".join(f"news{i}" for i in range(200)).encode()
    assert not resembles(fingerprint(200, "http://a.test/budget", article), missing)
    assert resembles(fingerprint(200, "http://a.test/search", article),
                     fingerprint(200, "http://a.test/search", oops))  # same landing page
    assert not resembles(fingerprint(404, "http://a.test/x", oops), missing)


def test_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_archive_query_and_answer() -> None:
    published = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    base = "https://archive.test/wayback/available"
    query = availability_query(base, "http://a.test/x?y=1", published)  # as the checker asks
    assert query == (
        "https://archive.test/wayback/available?url=http%3A%2F%2Fa.test%2Fx%3Fy%3D1"
        "&timestamp=20240301"
    )

    def answer(stamp: str, available: bool = True) -> bytes:
        closest = {"available": available, "url": f"http://web.archive.test/web/{stamp}/x",
                   "timestamp": stamp, "status": "200"}
        return json.dumps({"archived_snapshots": {"closest": closest}}).encode()

    assert parse_capture(answer("20230601120000"), published) is not None
    assert parse_capture(answer("20240301235959"), published) is not None  # same day
    assert parse_capture(answer("20240302000001"), published) is None  # after publication
    assert parse_capture(answer("20250101000000"), None) is not None
    assert parse_capture(answer("20230601120000", available=False), published) is None
    assert parse_capture(b'{"archived_snapshots": {}}', published) is None
    assert parse_capture(b"not json", published) is None


def test_public_api_is_complete() -> None:
    assert len(set(check.__all__)) == len(check.__all__)
    assert {"CheckConfig", "UrlToCheck", "check_urls", "check_urls_async", "link_status",
            "Resolver", "StaticResolver", "AddressPolicy"} <= set(check.__all__)
    for name in check.__all__:
        assert getattr(check, name) is not None


def test_dedupe_is_exact_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_SeenHashes, "_BATCH", 16)  # many runs and compactions on small input
    urls = [f"http://h{i % 7}.test/a/{i}" for i in range(2000)]
    again = [*urls[::3], "http://user:pw@h1.test/a/1"]  # credentials stripped, then a duplicate
    out = [item.url for item in _unique(urls + again + ["http://new.test/x"])]
    assert out == [*urls, "http://new.test/x"]
