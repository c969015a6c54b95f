"""Where a request goes: a URL parsed into the parts a request is built from (``Target``).

``parse_target`` answers exactly as ``httpx.URL`` does (same parts, same ``InvalidURL``), but
reads the common, already normalised URL (``http(s)://host[:port]/path?query#fragment`` in
characters httpx would leave as they are) with one regular expression, where httpx checks
every character in Python: that was a tenth of a link check's CPU.  Anything else goes to
httpx.  Results are remembered for the few requests that follow (the checker asks for a page's
origin right after fetching it).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from typing import Final

import httpx

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_MAX_URL_LENGTH: Final = 65_536  # httpx's limit
# Characters httpx's quoting leaves alone in a path and a query, and valid %XX escapes.
_SIMPLE: Final = re.compile(
    r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::([0-9]{1,5}))?"
    r"((?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*)"
    r"(\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?"
    r"(#[\x21-\x7e]*)?"
)
_IPV4_STYLE: Final = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")


@dataclass(frozen=True, slots=True)
class Target:
    """The parts of a URL that a request is built from (httpx's spelling of each)."""

    scheme: str  # lower case
    host: str  # ASCII (IDNA), lower case, IPv6 without brackets
    port: int | None  # None for the scheme's default port
    raw_path: bytes  # path and query, as sent in the request line
    netloc: bytes  # host[:port] as sent in the Host header

    @property
    def raw_scheme(self) -> bytes:
        """The scheme as bytes."""
        return self.scheme.encode("ascii")

    @property
    def raw_host(self) -> bytes:
        """The host as bytes."""
        return self.host.encode("ascii")

    @property
    def origin(self) -> str:
        """``scheme://netloc``."""
        return f"{self.scheme}://{self.netloc.decode('ascii')}"


def _simple(url: str) -> Target | None:
    match = _SIMPLE.fullmatch(url) if len(url) <= _MAX_URL_LENGTH else None
    if match is None:
        return None
    scheme, host, port_text, path, query = match.group(1, 2, 3, 4, 5)
    if _IPV4_STYLE.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return None  # httpx says why
    if "." in path and {".", ".."} & set(path.split("/")):
        return None  # dot segments: httpx removes them
    port = int(port_text) if port_text is not None else None
    if port is not None and port > 65_535:
        return None
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    netloc = host if port is None else f"{host}:{port}"
    return Target(scheme, host, port, ((path or "/") + (query or "")).encode("ascii"),
                  netloc.encode("ascii"))


@functools.lru_cache(maxsize=4096)
def parse_target(url: str) -> Target:
    """*url*'s parts as ``httpx.URL`` gives them; ``httpx.InvalidURL`` or ``ValueError`` (from
    IDNA) when httpx cannot parse it.

    >>> parse_target("http://Example.org:80/a?b#c")
    Target(scheme='http', host='example.org', port=None, raw_path=b'/a?b', netloc=b'example.org')
    """
    simple = _simple(url)
    if simple is not None:
        return simple
    parsed = httpx.URL(url)
    return Target(parsed.scheme, parsed.raw_host.decode("ascii"), parsed.port,
                  parsed.raw_path, parsed.netloc)
