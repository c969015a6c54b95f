"""Site families: registered domains that are one publisher's own site (``bbc.com`` and
``bbc.co.uk``), from the table ``data/site_families.csv``.  Extraction calls a link to a
sister domain internal, and analysis counts it as the article's own outlet.

>>> sorted(site_family("bbc.com"))
['bbc.co.uk', 'bbc.com']
>>> is_sister_site("bbc.co.uk", ("bbc.com",)), is_sister_site("cnn.com", ("bbc.com",))
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from linkgraph.errors import ConfigError
from linkgraph.sources.datafiles import read_rows

DATA_FILE: Final = "site_families.csv"


@lru_cache(maxsize=1)
def site_families() -> dict[str, frozenset[str]]:
    """Every domain of a family -> all the domains of its family."""
    families: dict[str, frozenset[str]] = {}
    for number, row in enumerate(read_rows(DATA_FILE, ("domains",)), start=1):
        family = frozenset(row["domains"].lower().split())
        if len(family) < 2:
            raise ConfigError(f"{DATA_FILE}: family {number} names fewer than two domains")
        for domain in family:
            if domain in families:
                raise ConfigError(f"{DATA_FILE}: {domain} is in two families")
            families[domain] = family
    return families


def site_family(domain: str) -> frozenset[str]:
    """The domains of *domain*'s family (itself alone when it has none)."""
    return site_families().get(domain) or frozenset({domain})


def is_sister_site(domain: str, sites: Iterable[str | None]) -> bool:
    """True when *domain* is in the family of one of *sites* (the article's own domains)."""
    family = site_families().get(domain)  # most domains have no family: one look-up
    return family is not None and any(site in family for site in sites)
