"""The cookie jar of one redirect chain: what a host sets along the chain goes back to it.

Many sites redirect to themselves until a cookie is set; following such a chain needs just
enough of RFC 6265 to be safe, and no more (no domains, paths or expiry: the jar lives for one
chain):

* host-only: the jar is emptied when the chain moves to another host (``redirects.follow``);
* ``Secure``: a cookie set with it goes back over https only, never on a later http hop, and an
  http answer cannot set one (RFC 6265bis, section 5.7);
* a cookie is opaque bytes: ``Set-Cookie`` values are read as Latin-1 text, byte for byte
  (``exchange._text_headers``), so they go back as the very bytes the server sent, whatever
  they are, and never fail to encode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from linkgraph.urls import scheme_of


def parse_set_cookie(raw: str) -> tuple[str, str, bool] | None:
    """``(name, value, secure)`` of a ``Set-Cookie`` value, or ``None`` when it has no name.

    >>> parse_set_cookie("sid=abc; Path=/; Secure; HttpOnly")
    ('sid', 'abc', True)
    """
    pair, *attributes = raw.split(";")
    name, _, value = pair.partition("=")
    name = name.strip()
    if not name:
        return None
    secure = any(attribute.strip().lower() == "secure" for attribute in attributes)
    return name, value.strip(), secure


@dataclass(slots=True)
class CookieJar:
    """The cookies of one chain, by name: ``(value, secure)``."""

    cookies: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def store(self, url: str, set_cookies: Iterable[str]) -> None:
        """Keep the cookies of the ``Set-Cookie`` values an answer from *url* carried."""
        https = scheme_of(url) == "https"
        for raw in set_cookies:
            parsed = parse_set_cookie(raw)
            if parsed is None:
                continue
            name, value, secure = parsed
            if secure and not https:
                continue  # only a secure origin may set a Secure cookie
            known = self.cookies.get(name)
            if known is not None and known[1] and not https:
                continue  # nor overwrite one
            self.cookies[name] = (value, secure)

    def for_url(self, url: str) -> dict[str, str]:
        """The cookies a request to *url* carries: Secure ones over https only."""
        https = scheme_of(url) == "https"
        return {name: value for name, (value, secure) in self.cookies.items()
                if https or not secure}

    def names(self) -> str:
        """The names held, sorted and joined (a chain's state, for loop detection)."""
        return ";".join(sorted(self.cookies))

    def clear(self) -> None:
        """Forget every cookie (the chain moved to another host)."""
        self.cookies.clear()

    def __bool__(self) -> bool:
        return bool(self.cookies)
