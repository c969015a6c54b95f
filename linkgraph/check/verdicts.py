"""Classification: from HTTP answers and errors to a ``Verdict``.  Pure functions, no I/O.

Rules (the runner applies them to the final answer of a redirect chain, after retries):

========================================  =============  ==========================
answer                                    verdict        error
========================================  =============  ==========================
2xx, same URL                             alive
2xx after redirects to another URL        redirected
2xx whose title/h1 says "not found"       soft_404       missing_page
2xx like the host's random-path page      soft_404       like_missing_page
deep link redirected to the homepage      soft_404       homepage_redirect
404, 410                                  dead           http_404 / http_410
5xx still after retries                   dead           http_5xx
403/401/407/451/999, challenge pages      blocked        bot_wall / forbidden / ...
429 still after retries                   rate_limited   http_429
other 4xx                                 error          http_4xx
no such name (resolver works), refused,   dead           nxdomain/refused/reset/loop
reset, redirect loop
timeout (read, connect, overall deadline) timeout        timeout/deadline
resolver or network not answering        error          dns_unavailable/unreachable
(a whole run of them stops the run)
TLS, protocol, too many redirects         error          tls/protocol/...
not http(s), refused by address policy    skipped        scheme/policy:<class>
========================================  =============  ==========================
"""

from __future__ import annotations

import html
import re
import zlib
from dataclasses import dataclass
from typing import Final

from linkgraph.records import ErrorKind, Verdict

# Challenge pages of bot walls (Cloudflare, Akamai, Imperva, PerimeterX, DataDome, ...).
# STRONG markers are specific enough to call even a 200 or a 503 a wall; WEAK ones only count on
# a 403, where the status already says "not for you".
STRONG_WALL_MARKERS: Final = (
    # Not "challenge-platform" or "_Incapsula_Resource": those scripts ride on normal pages too.
    b"<title>just a moment...", b"attention required! | cloudflare", b"cf_chl_opt",
    b"cf-browser-verification", b"px-captcha", b"captcha-delivery.com",
    b"checking your browser before accessing", b"ddos protection by",
)
WEAK_WALL_MARKERS: Final = (
    b"captcha", b"just a moment", b"attention required", b"access denied", b"are you a robot",
    b"are you human", b"unusual traffic", b"bot detection", b"verify you are human",
    b"security check", b"request blocked", b"_incapsula_resource", b"challenge-platform",
)
BLOCKED_STATUSES: Final = frozenset({401, 403, 407, 451, 999})
DEAD_STATUSES: Final = frozenset({404, 410})

# Phrases that, in a page's <title> or first <h1>, say the page is missing.  Only the title and
# heading are read: article bodies say "not found" for their own reasons.
MISSING_PAGE_PATTERNS: Final = re.compile(
    # Headlines say "not found" too ("Missing climber not found"): the phrase must lead the
    # title or name the page itself.  A bare number is not enough either ("Flight 404 lands").
    r"^\W*(?:error\W*)?(?:404|410)\b|\berror\W*(?:404|410)\b|\b(?:404|410)\W*(?:error|page)|"
    r"^\W*(?:oops\W*)?(?:not found|nothing (?:was )?found|page (?:is )?(?:missing|unavailable))|"
    r"\b(?:page|file|article|content|story|document|url|resource|post)s?\W+(?:was\s+|is\s+)?"
    r"not found|"
    r"\b(?:page|file|article|content|story|document|url|resource|post)s?\b[^.!?]{0,40}?"
    r"(?:(?:could not|cannot|can[’']t|couldn[’']t) be found|(?:does not|doesn[’']t) exist|"
    r"no longer (?:available|exists))|"
    r"seite nicht gefunden|página no encontrada|page introuvable|pagina non trovata|"
    r"pagina niet gevonden|strony nie znaleziono|"
    r"сторінк\w* не знайден\w*|страниц\w* не найден\w*",
    re.IGNORECASE,
)

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(rb"<h1[^>]*>(.*?)</h1", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(rb"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAGB = re.compile(rb"<[^>]*>")
_WORD = re.compile(r"\w+")


def _text(fragment: bytes) -> str:
    text = _TAG.sub(" ", fragment.decode("utf-8", "replace"))
    return " ".join(html.unescape(text).split())


def page_title(body: bytes) -> str:
    """The text of the page's ``<title>`` (first one), or ``""``."""
    match = _TITLE.search(body)
    return _text(match.group(1)) if match else ""


def says_missing(body: bytes) -> bool:
    """True when the page's title or first ``<h1>`` says the page is missing."""
    for pattern in (_TITLE, _H1):
        match = pattern.search(body)
        if match and MISSING_PAGE_PATTERNS.search(_text(match.group(1))):
            return True
    return False


def is_bot_wall(status: int, body: bytes) -> bool:
    """True for a challenge page: 999, strong markers on any status, weak markers on 403/429."""
    if status == 999:
        return True
    lower = body.lower()
    if any(marker in lower for marker in STRONG_WALL_MARKERS):
        return True
    return status in {403, 429} and any(marker in lower for marker in WEAK_WALL_MARKERS)


@dataclass(frozen=True, slots=True)
class PageFingerprint:
    """What a page looks like, to compare a URL's page with the host's "missing page"."""

    status: int
    final_url: str
    title: str
    length: int
    shingles: frozenset[int]


def fingerprint(status: int, final_url: str, body: bytes) -> PageFingerprint:
    """Title, length and the set of 4-word shingles (hashed) of a page's visible text."""
    stripped = _TAGB.sub(b" ", _SCRIPT.sub(b" ", body))
    words = _WORD.findall(html.unescape(stripped.decode("utf-8", "replace")).lower())
    shingles = frozenset(
        zlib.crc32(" ".join(words[i : i + 4]).encode()) for i in range(max(0, len(words) - 3))
    )
    return PageFingerprint(status, final_url, page_title(body), len(body), shingles)


def resembles(page: PageFingerprint, missing: PageFingerprint) -> bool:
    """True when *page* looks like the host's answer for a path that cannot exist.

    Both must be 2xx.  Same final URL after redirects counts (both sent to one landing page);
    else the titles must match and the visible text must be nearly the same (Jaccard >= 0.8),
    or, with no title at all, nearly identical (>= 0.95).
    """
    if not (200 <= page.status < 300 and 200 <= missing.status < 300):
        return False
    if page.final_url == missing.final_url:
        return True
    union = page.shingles | missing.shingles
    if not union:
        return page.title == missing.title and abs(page.length - missing.length) < 64
    jaccard = len(page.shingles & missing.shingles) / len(union)
    if page.title and page.title == missing.title:
        return jaccard >= 0.8
    return not page.title and not missing.title and jaccard >= 0.95


def status_verdict(status: int, body: bytes) -> tuple[Verdict, ErrorKind | None]:
    """The verdict of a final (non-redirect) answer before soft-404 analysis of 2xx pages."""
    if is_bot_wall(status, body):
        return Verdict.BLOCKED, ErrorKind.BOT_WALL
    if 200 <= status < 300:
        return Verdict.ALIVE, None
    kind = ErrorKind.for_status(status)
    if status in DEAD_STATUSES:
        return Verdict.DEAD, kind
    if status in BLOCKED_STATUSES:
        return Verdict.BLOCKED, ErrorKind.FORBIDDEN if status == 403 else kind
    if status == 429:
        return Verdict.RATE_LIMITED, kind
    if status >= 500:
        return Verdict.DEAD, kind
    return Verdict.ERROR, kind
