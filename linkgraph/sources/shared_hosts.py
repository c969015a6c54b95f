"""Shared hosts: domains where each subdomain is another person's site (a blog on
``wordpress.com``, a Blogger blog on ``blogspot.com`` or ``blogspot.com.es``), from the table
``data/shared_hosts.csv`` (its header explains the columns).  The registry makes the
subdomain the outlet, so that two blogs on one host are two outlets, and :func:`site_of`
makes it the site, so that a link from one blog to another is external.

>>> shared_site("izquierdahispanica.wordpress.com").site
'izquierdahispanica.wordpress.com'
>>> shared_site("requiemporiberia.blogspot.com.es").site
'requiemporiberia.blogspot.com.es'
>>> shared_site("kabarislam.files.wordpress.com").site, shared_site("wordpress.com")
('kabarislam.wordpress.com', None)
>>> site_of("b.wordpress.com"), site_of("www.bbc.co.uk"), site_of("x.blogspot.com.es")
('b.wordpress.com', 'bbc.co.uk', 'x.blogspot.com')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from linkgraph.errors import ConfigError
from linkgraph.records import SourceKind
from linkgraph.sources.datafiles import read_rows
from linkgraph.urls import hostname, is_public_suffix, registered_domain

DATA_FILE: Final = "shared_hosts.csv"
ANY_SUFFIX: Final = ".*"  # "blogspot.*": blogspot followed by any public suffix


@dataclass(frozen=True, slots=True)
class SharedHost:
    """One row of the table."""

    host: str  # "wordpress.com", or "blogspot" for "blogspot.*"
    any_suffix: bool
    name: str
    kind: SourceKind
    media: frozenset[str]
    not_sites: frozenset[str]
    home: str = ""  # "blogspot.com": the domain naming a site served on every country domain

    @property
    def pattern(self) -> str:
        """The host as the table writes it (``blogspot.*``)."""
        return self.host + ANY_SUFFIX if self.any_suffix else self.host


@dataclass(frozen=True, slots=True)
class SharedSite:
    """A site on a shared host: its own domain (``name.wordpress.com``) and the host."""

    site: str
    host: SharedHost

    @property
    def home(self) -> str:
        """The site's one name (``x.blogspot.com`` for ``x.blogspot.com.es``), where the
        host serves each site on every country domain (the table's ``home`` column)."""
        if not self.host.home:
            return self.site
        return self.site.split(".", 1)[0] + "." + self.host.home


@lru_cache(maxsize=1)
def shared_hosts() -> tuple[SharedHost, ...]:
    """The rows of the packaged table."""
    found: list[SharedHost] = []
    for row in read_rows(DATA_FILE, ("host", "name", "kind")):
        host = row["host"].lower()
        try:
            kind = SourceKind(row["kind"])
        except ValueError as exc:
            raise ConfigError(f"{DATA_FILE}: {host}: bad kind {row['kind']!r}") from exc
        any_suffix = host.endswith(ANY_SUFFIX)
        found.append(SharedHost(
            host=host.removesuffix(ANY_SUFFIX) if any_suffix else host,
            any_suffix=any_suffix,
            name=row["name"],
            kind=kind,
            media=frozenset(row.get("media", "").lower().split()),
            not_sites=frozenset(row.get("not_sites", "").lower().split()),
            home=(row.get("home") or "").lower(),
        ))
    return tuple(found)


@lru_cache(maxsize=4096)
def shared_site(host: str) -> SharedSite | None:
    """The site *host* (lower case, without ``www.``) belongs to on a shared host, if any."""
    labels = host.rstrip(".").split(".")
    for row in shared_hosts():
        start = _host_start(labels, row)
        if start is None or start == 0:
            continue
        names = labels[:start]
        if len(names) >= 2 and names[-1] in row.media:
            names = names[:-1]  # blog.files.wordpress.com: the blog's own media host
        name = names[-1]
        if name in row.not_sites:
            return None
        return SharedSite(".".join([name, *labels[start:]]), row)
    return None


def site_of(host: str | None) -> str | None:
    """The site an address on *host* belongs to: its registered domain, except that a site on
    a shared host is its own site (``b.wordpress.com``, not ``wordpress.com``), under its one
    name where the host serves it on every country domain (``x.blogspot.com.es`` is
    ``x.blogspot.com``).  This is what "internal" means: a link is internal when its site is
    the article's (or of its family, :mod:`linkgraph.sources.site_families`)."""
    domain = registered_domain(host)
    if domain is None or host is None:
        return None
    shared = shared_site(host.strip("[]").rstrip(".").lower().removeprefix("www."))
    return shared.home if shared is not None else domain


@lru_cache(maxsize=64)
def own_sites(url: str | None, domains: tuple[str, ...]) -> tuple[str, ...]:
    """The sites that are an article's own: its site *domains* and the site of its *url*.

    An article read by an older linkgraph (a stored one) names a shared host's registered
    domain (``wordpress.com``) where its URL is a blog there: the host is then not its own
    site, the blog is, so that another blog of the host is not internal.

    >>> own_sites("https://a.wordpress.com/p", ("wordpress.com",))
    ('a.wordpress.com',)
    >>> own_sites("https://www.bbc.com/news/1", ("bbc.com",))
    ('bbc.com',)
    """
    host = hostname(url) if url else None
    page = site_of(host)
    if page is None:
        return domains
    host_domain = registered_domain(host)
    if page != host_domain:  # a site on a shared host: the host itself is someone else's
        domains = tuple(d for d in domains if d != host_domain)
    return domains if page in domains else (page, *domains)


def url_site(url: str | None) -> str | None:
    """:func:`site_of` an absolute URL's host."""
    return site_of(hostname(url)) if url else None


def _host_start(labels: list[str], row: SharedHost) -> int | None:
    """Where *row*'s host begins among *labels*, or ``None``."""
    if row.any_suffix:
        for index, label in enumerate(labels[:-1]):
            if label == row.host and is_public_suffix(".".join(labels[index + 1:])):
                return index
        return None
    host = row.host.split(".")
    if labels[-len(host):] == host:
        return len(labels) - len(host)
    return None
