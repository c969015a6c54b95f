"""The user's extra request headers (``-H NAME:VALUE``): which can be sent at all, and where
the secret ones may go.

The one rule for secrets: a header that carries credentials (``SECRET_HEADERS``) goes only to
the origin it is meant for, its *home*, or to the https form of an http home on the default
ports; never across a redirect to another origin (as curl and httpx drop ``Authorization``).
Who names the home: the fetcher's is the first URL it fetches (a collect's first SOURCE); the
link checker's is the link being checked, when its host is in the user's scope
(``CheckConfig.header_hosts``, ``--header-host``), for a check names the URLs of articles,
not the user.

>>> headers = UserHeaders.of([("Accept-Language", "en"), ("Authorization", "Bearer t")])
>>> headers.public
(('Accept-Language', 'en'),)
>>> home = origin_of("http://desk.example/a")
>>> headers.secrets_for(home, "https://desk.example/b"), headers.secrets_for(home, "http://x.example/")
({'Authorization': 'Bearer t'}, {})
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import httpx

from linkgraph.errors import ConfigError
from linkgraph.web.policy import host_matches
from linkgraph.web.target import parse_target

# Headers that carry credentials: never sent beyond the origin they are meant for.
SECRET_HEADERS: Final = frozenset({"authorization", "cookie", "proxy-authorization"})
# A header-host scope entry meaning "every link's own host".
EVERY_HOST: Final = "*"
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_HEADER_NAME: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token

Origin = tuple[str, str, int | None]  # scheme, host (ASCII, lower case), port (default filled)


def origin_of(url: str) -> Origin | None:
    """*url*'s origin, or ``None`` when it does not parse."""
    try:
        target = parse_target(url)
    except (httpx.InvalidURL, ValueError):
        return None
    return target.scheme, target.host, target.port or _DEFAULT_PORTS.get(target.scheme)


def may_carry_secrets(home: Origin | None, target: Origin | None) -> bool:
    """*target* may get the credentials meant for *home*: the same origin, or its upgrade from
    http to https on the default ports (httpx's rule).

    >>> may_carry_secrets(("https", "a.test", 443), ("http", "a.test", 80))
    False
    """
    if home is None or target is None:
        return False
    return target == home or (
        home[1] == target[1] and home[0] == "http" and home[2] == 80
        and target[0] == "https" and target[2] == 443
    )


def in_scope(host: str, scope: Iterable[str]) -> bool:
    """*host* is one of the hosts of *scope* (``.example.org``: with sub-domains; ``*``: any).

    >>> in_scope("www.desk.example", [".desk.example"]), in_scope("x.example", ["desk.example"])
    (True, False)
    """
    entries = frozenset(_ascii(e.strip().lower().rstrip(".")) for e in scope)
    return EVERY_HOST in entries or host_matches(host, entries)


def _ascii(name: str) -> str:
    """*name* as links' hosts are compared: IDNA (``müller.de`` is ``xn--mller-kva.de``)."""
    if name.isascii():
        return name
    dot = "." if name.startswith(".") else ""  # ".müller.de": with its sub-domains
    try:
        return dot + name.removeprefix(".").encode("idna").decode("ascii")
    except UnicodeError:
        return name


def scope_problem(entry: str) -> str | None:
    """Why *entry* of a header scope can never match a link's host, or ``None``.

    >>> scope_problem("https://desk.example") is not None, scope_problem(".desk.example")
    (True, None)
    """
    name = entry.strip()
    if name == EVERY_HOST:
        return None
    if (not name or "/" in name or "*" in name or any(c.isspace() for c in name)
            or name.count(":") == 1):
        return (f"header host {entry!r} is not a host name: give one such as desk.example"
                " (.desk.example with its sub-domains, '*' for every link's own host), not a"
                " URL, a port or a pattern")
    return None


def header_problem(name: str, value: str) -> str | None:
    """Why the header *name*: *value* cannot be sent as it is, or ``None`` when it can.

    A name is an RFC 9110 token.  Values go on the wire as Latin-1 bytes; a control character
    (CR, LF, NUL...) would break the request or be refused by the HTTP library in the middle of
    a run.

    >>> header_problem("X-Note", "café ☕")
    "the value of header X-Note has a character that cannot be sent ('☕'): headers are Latin-1"
    """
    if not _HEADER_NAME.fullmatch(name):
        return f"{name!r} is not a header name (letters, digits and !#$%&'*+.^_`|~-)"
    try:
        value.encode("latin-1")
    except UnicodeEncodeError as exc:
        bad = value[exc.start:exc.end]
        return (f"the value of header {name} has a character that cannot be sent ({bad!r}): "
                "headers are Latin-1")
    control = next((c for c in value if (c < " " and c != "\t") or c == "\x7f"), None)
    if control is not None:
        return f"the value of header {name} has a control character ({control!r})"
    return None


@dataclass(frozen=True, slots=True)
class UserHeaders:
    """The user's extra headers, checked and split: ``public`` ones go with every request,
    ``secret`` ones (``SECRET_HEADERS``) only where ``secrets_for`` says."""

    public: tuple[tuple[str, str], ...] = ()
    secret: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, headers: Iterable[tuple[str, str]]) -> UserHeaders:
        """Split *headers*; ``ConfigError`` naming a header that cannot be sent."""
        public: list[tuple[str, str]] = []
        secret: list[tuple[str, str]] = []
        for name, value in headers:
            problem = header_problem(name, value)
            if problem is not None:
                raise ConfigError(problem)
            (secret if name.lower() in SECRET_HEADERS else public).append((name, value))
        return cls(tuple(public), tuple(secret))

    def secrets_for(self, home: Origin | None, url: str) -> dict[str, str]:
        """The secret headers a request to *url* carries, given the *home* they are meant for
        (``None``: nowhere)."""
        if not self.secret or not may_carry_secrets(home, origin_of(url)):
            return {}
        return dict(self.secret)
