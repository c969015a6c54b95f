"""Dead-link checks that are right, polite, fast and safe.

>>> from linkgraph.check import CheckConfig, check_urls
>>> # results = check_urls(["https://example.org/a"], CheckConfig())

* ``check_urls`` / ``check_urls_async``: check unique URLs, one ``CheckResult`` each;
  ``run_checks`` is the memory-flat streaming form.
* ``link_status``: "failing" versus "confirmed dead" over a URL's check history;
  ``link_statuses`` for every URL of a store's histories.
* ``AddressPolicy``: which addresses may be contacted (public only, unless allowed).
* ``Resolver`` / ``SystemResolver`` / ``StaticResolver``: injectable name resolution.

Verdict rules are tabled in ``linkgraph.check.verdicts``.
"""

from __future__ import annotations

from linkgraph.check.config import (
    CheckConfig,
    UrlToCheck,
    cited_urls,
)
from linkgraph.check.history import link_status, link_statuses
from linkgraph.check.runner import RunStats, check_urls, check_urls_async, run_checks
from linkgraph.web.identity import DEFAULT_USER_AGENT
from linkgraph.web.policy import AddressPolicy, address_class
from linkgraph.web.politeness import HostLimits
from linkgraph.web.resolver import ResolutionError, Resolver, StaticResolver, SystemResolver
from linkgraph.web.wayback import DEFAULT_ARCHIVE_BASE

__all__ = [
    "DEFAULT_ARCHIVE_BASE",
    "DEFAULT_USER_AGENT",
    "AddressPolicy",
    "CheckConfig",
    "HostLimits",
    "ResolutionError",
    "Resolver",
    "RunStats",
    "StaticResolver",
    "SystemResolver",
    "UrlToCheck",
    "address_class",
    "check_urls",
    "check_urls_async",
    "cited_urls",
    "link_status",
    "link_statuses",
    "run_checks",
]
