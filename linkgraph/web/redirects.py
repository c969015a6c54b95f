"""The one redirect loop: follow ``Location`` from hop to hop, each hop vetted like a new link.

``follow`` is given how to send one hop (``send(method, url, cookies)``, with whatever retries
the caller wants) and returns the ``Chain``: the final hop, every URL after the first, whether
every redirect was permanent, and why the chain stopped early, if it did (``loop``,
``too_many_redirects``, ``redirect_scheme``, ``redirect_invalid``).  A ``Location`` is untrusted
text: it is resolved per WHATWG against the current URL (as a browser does), credentials are
dropped, and the next hop goes through the address guard again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final

from linkgraph.records import ErrorKind
from linkgraph.urls import HTTP_SCHEMES, hostname, resolve_href, scheme_of, strip_credentials
from linkgraph.web.cookies import CookieJar
from linkgraph.web.exchange import REDIRECT_STATUSES, Hop

PERMANENT_REDIRECTS: Final = frozenset({301, 308})
# A HEAD refused or mishandled by the server: ask again with GET.  Never for 404/410/5xx.
HEAD_FALLBACK_STATUSES: Final = frozenset({400, 403, 405, 406, 501})

# Sends one hop: (method, url, cookies) -> (the hop, how many tries it took).
SendHop = Callable[[str, str, dict[str, str]], Awaitable[tuple[Hop, int]]]


@dataclass(slots=True)
class Chain:
    """A followed redirect chain."""

    final: Hop
    hops: list[str] = field(default_factory=list)  # every URL after the first, in order
    permanent: bool = True  # every redirect was a 301 or 308
    tries: int = 1  # the most tries one hop took
    error: ErrorKind | None = None  # loop, too_many_redirects, redirect_scheme/_invalid
    detail: str = ""  # a human sentence for ``error``


async def follow(
    url: str,
    send: SendHop,
    *,
    max_redirects: int,
    head_first: bool = False,
    cookies: bool = True,
) -> Chain:
    """Follow redirects from *url* (at most *max_redirects*), detecting loops.

    *head_first* asks with HEAD (then GET when the server refuses HEAD).  With *cookies*, the
    cookies a host sets are sent back to it along the chain (many sites redirect to themselves
    until a cookie is set; ``linkgraph.web.cookies``); a loop is the same URL with the same
    cookie names.
    """
    method = "HEAD" if head_first else "GET"
    jar = CookieJar()
    chain = Chain(final=Hop(url))
    seen = {(url, "")}
    current = url
    while True:
        hop, tries = await send(method, current, jar.for_url(current))
        if method == "HEAD" and (hop.error or hop.status in HEAD_FALLBACK_STATUSES):
            method = "GET"
            hop, tries = await send(method, current, jar.for_url(current))
        chain.final, chain.tries = hop, max(chain.tries, tries)
        if cookies:
            jar.store(current, hop.set_cookies)
        location = hop.location
        if hop.status not in REDIRECT_STATUSES or not location:
            return chain
        target = resolve_href(location.strip(), current)
        if target is None:
            chain.error, chain.detail = ErrorKind.REDIRECT_INVALID, f"redirect to {location!r}"
            return chain
        if scheme_of(target) not in HTTP_SCHEMES:
            chain.error, chain.detail = ErrorKind.REDIRECT_SCHEME, f"redirect to {location!r}"
            return chain
        target = strip_credentials(target)
        chain.hops.append(target)
        chain.permanent = chain.permanent and hop.status in PERMANENT_REDIRECTS
        if hop.status == 303:
            method = "GET"
        state = (target, jar.names())
        if state in seen:
            chain.error, chain.detail = ErrorKind.LOOP, f"back to {target}"
            return chain
        if len(chain.hops) > max_redirects:
            chain.error, chain.detail = ErrorKind.TOO_MANY_REDIRECTS, f"more than {max_redirects}"
            return chain
        seen.add(state)
        if jar and hostname(target) != hostname(current):
            jar.clear()  # cookies belong to the host that set them
        current = target
