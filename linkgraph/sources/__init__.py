"""Sources: who is behind a URL, and how linkgraph knows.

The room of the outlet registry and the knowledge beside it, each a module over one data
file in ``linkgraph/data/``:

* ``registry``: the outlet registry (``outlets.csv``) and the classification rules
  (``Registry.classify``: registry prefix, then rules, then the registered domain);
* ``platforms``: social platforms (``platforms.csv``): the account is the source;
* ``site_families``: one publisher's several domains (``site_families.csv``);
* ``shared_hosts``: hosts where each subdomain is its own site, a blog on ``wordpress.com``
  or ``blogspot.com.es`` (``shared_hosts.csv``);
* ``names``: outlet names and aliases found in prose (``ambiguous_names.csv`` keeps the
  names that are also common words or people);
* ``config``: the user's own outlets (``linkgraph.toml`` or ``pyproject.toml``);
* ``datafiles``: reads the packaged data files.

The registry's public names are re-exported here: ``from linkgraph.sources import Registry``.
"""

from linkgraph.sources.registry import (
    SHORTENER_HOSTS,
    OutletEntry,
    Registry,
    ambiguous_names,
    default_registry,
    normalise_prefix,
    own_outlets,
    parse_registry_csv,
)

__all__ = [
    "SHORTENER_HOSTS",
    "OutletEntry",
    "Registry",
    "ambiguous_names",
    "default_registry",
    "normalise_prefix",
    "own_outlets",
    "parse_registry_csv",
]
