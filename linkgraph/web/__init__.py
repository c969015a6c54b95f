"""The one HTTP layer of linkgraph: collecting, repairing and checking all go through it.

>>> from linkgraph.web import WebConfig, fetch
>>> # result = asyncio.run(fetch("https://news.example/", WebConfig()))

* ``fetch`` / ``Fetcher``: fetch URLs politely and safely; a ``FetchResult`` each, failures
  included (``FetchError``: the one error enum, ``linkgraph.records.ErrorKind``).
* ``linkgraph.web.exchange``: one request (vetting, pins, gates, body caps), shared by the
  fetcher and the link checker; ``linkgraph.web.redirects``: the one redirect loop (its cookie
  jar: ``linkgraph.web.cookies``); ``linkgraph.web.headers``: which extra headers can be sent,
  and the one rule for where the secret ones (Authorization, Cookie) may go.
* ``WebConfig``: timeouts, size cap, retries, robots.txt, User-Agent, extra headers, allow-list.
* ``AddressPolicy``: which addresses may be contacted (public only, unless allowed).
* ``Resolver`` / ``SystemResolver`` / ``StaticResolver``: injectable name resolution.
* ``HostLimits``: per-host politeness (spacing, concurrency); ``RobotsRules``: robots.txt.
* ``linkgraph.web.wayback``: a Wayback-style availability endpoint (its default address,
  its query), asked by the link checker and the repair.
* ``DEFAULT_USER_AGENT``: ``Mozilla/5.0 (compatible; linkgraph/VERSION; +URL)``.
"""

from __future__ import annotations

from linkgraph.web.config import WebConfig
from linkgraph.web.fetch import Fetcher, FetchError, FetchResult, fetch
from linkgraph.web.identity import DEFAULT_USER_AGENT
from linkgraph.web.policy import AddressPolicy, address_class
from linkgraph.web.politeness import HostLimits
from linkgraph.web.resolver import ResolutionError, Resolver, StaticResolver, SystemResolver
from linkgraph.web.robots import RobotsRules

__all__ = [
    "DEFAULT_USER_AGENT",
    "AddressPolicy",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "HostLimits",
    "ResolutionError",
    "Resolver",
    "RobotsRules",
    "StaticResolver",
    "SystemResolver",
    "WebConfig",
    "address_class",
    "fetch",
]
