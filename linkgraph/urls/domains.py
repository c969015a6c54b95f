"""Registered domains from the Public Suffix List, offline: the list that ships inside
``publicsuffixlist`` (never downloaded at run time)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from publicsuffixlist import PublicSuffixList

from linkgraph.urls.resolve import hostname


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


@lru_cache(maxsize=65536)
def registered_domain(host: str | None) -> str | None:
    """Registrable domain of *host* per the Public Suffix List; IPs and single labels as-is.

    >>> registered_domain("www.law.go.kr")
    'law.go.kr'
    """
    if not host:
        return None
    host = host.strip("[]").rstrip(".").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return host
    domain = _psl().privatesuffix(host)
    if domain is None:
        # A bare suffix ("co.uk") or a single label ("localhost"): the host is its own domain.
        return host
    return str(domain)


def is_public_suffix(domain: str) -> bool:
    """True when *domain* is itself a public suffix (``co.uk``, ``gov.uk``, ``github.io``)."""
    return bool(_psl().is_public(domain.strip(".").lower()))


def url_domain(url: str | None) -> str | None:
    """Registered domain of an absolute URL's host."""
    return registered_domain(hostname(url)) if url else None



def psl_snapshot() -> str:
    """Version of the packaged Public Suffix List (the distribution version carries its date)."""
    try:
        return version("publicsuffixlist")
    except PackageNotFoundError:  # pragma: no cover - always installed with linkgraph
        return "unknown"
