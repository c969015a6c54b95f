"""User names and passwords in URLs (``https://user:secret@host/``): removed from a URL, from
any href (parsable or not), from running text, and wherever a page shows the ones its hrefs
carried, so that a secret never leaves the process."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Final

from ada_url import URL


def strip_credentials(url: str) -> str:
    """Remove ``user:password@`` from an absolute URL; other URLs are returned as they are."""
    try:
        parsed = URL(url)
    except ValueError:
        return url
    if not parsed.username and not parsed.password:
        return url
    parsed.username = ""
    parsed.password = ""
    return str(parsed.href)


# The authority of a URL-like string, read as a browser would whatever else is wrong with it:
# a scheme and colon, the slashes (a special scheme's may be missing or backslashes), then up
# to the first "/", "\\", "?" or "#".  A "//" href borrows its base's scheme.
_SPECIAL_SCHEMES: Final = frozenset({"http", "https", "ftp", "ws", "wss", "file"})
_AUTHORITY = re.compile(
    r"^(?P<lead>[\x00-\x20]*(?:(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*):)?(?P<slashes>[/\\]*))"
    r"(?P<authority>[^/\\?#]*)"
)


def split_userinfo(href: str) -> tuple[str, str | None]:
    """*href* without its ``user:password@`` part, and that part (``None`` when it has none).

    Works on any href, parsable or not, so that credentials never leave the process in a raw
    href either (``Citation.href``, an explain row).  Tabs and newlines, which browsers drop
    from URLs, are dropped first when the href carries credentials.

    >>> split_userinfo("https://user:secretpass@example.org/c")
    ('https://example.org/c', 'user:secretpass')
    >>> split_userinfo("//token@cdn.example/x"), split_userinfo("mailto:desk@example.org")
    (('//cdn.example/x', 'token'), ('mailto:desk@example.org', None))
    """
    if "@" not in href:
        return href, None
    cleaned = href.replace("\t", "").replace("\n", "").replace("\r", "")
    match = _AUTHORITY.match(cleaned)
    if match is None:  # pragma: no cover - the pattern matches every string
        return href, None
    scheme = (match.group("scheme") or "").lower()
    slashes = match.group("slashes")
    has_authority = (scheme in _SPECIAL_SCHEMES or len(slashes) >= 2) if scheme else (
        slashes in ("//", "\\\\", "/\\", "\\/")
    )
    authority = match.group("authority")
    if not has_authority or "@" not in authority:
        return href, None
    userinfo, _, host = authority.rpartition("@")
    return cleaned[: match.start("authority")] + host + cleaned[match.end():], userinfo


# A URL's user name and password anywhere in a text (a page's markup): scheme, "//", then
# the userinfo up to the "@" that ends it inside the authority.
_USERINFO_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[/\\]{2}([^/\\?#\s\"'<>]*)@")


def userinfo_in(text: str) -> set[str]:
    """The ``user:password`` parts of the URLs written in *text* (a page's markup).

    >>> sorted(userinfo_in('<img src="https://u:p@x.example/a"> https://x.example/@me'))
    ['u:p']
    """
    if "@" not in text:
        return set()
    return {m.group(1) for m in _USERINFO_IN_TEXT.finditer(text) if m.group(1)}


# A URL written in running text with a user name or password: scheme, "//", the userinfo
# (no slash, space or quote) and the "@" that ends it.
_URL_USERINFO_IN_TEXT = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*:[/\\]{2})[^/\\?#\s\"'<>]*@")


def strip_userinfo_in_text(text: str) -> str:
    """*text* with the ``user:password@`` of every URL written in it removed (a sentence that
    shows ``https://joe:pw@example.net/raw`` keeps ``https://example.net/raw``).

    >>> strip_userinfo_in_text("see https://joe:pw123@example.net/raw and mail@example.org")
    'see https://example.net/raw and mail@example.org'
    """
    if "@" not in text:
        return text
    return _URL_USERINFO_IN_TEXT.sub(r"\1", text)


def scrub_userinfo(text: str, secrets: Iterable[str]) -> str:
    """*text* without any ``<secret>@`` of *secrets* (raw or HTML-escaped): the user names and
    passwords found in a page's hrefs, wherever else the page shows them.

    >>> scrub_userinfo('<a href="https://u:p@x.org/">https://u:p@x.org/</a>', ["u:p"])
    '<a href="https://x.org/">https://x.org/</a>'
    """
    for secret in sorted(secrets, key=len, reverse=True):
        for form in {secret, html.escape(secret)}:
            if form in text:
                text = text.replace(form + "@", "")
    return text
