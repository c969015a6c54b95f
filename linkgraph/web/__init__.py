"""The one HTTP layer of linkgraph: collecting, repairing and checking all go through it.

* ``AddressPolicy``: which addresses may be contacted (public only, unless allowed).
* ``Resolver`` / ``SystemResolver`` / ``StaticResolver``: injectable name resolution.
* ``PinnedTransport``: connections go to the address that was vetted, and only there.
* ``HostGate`` / ``HostLimits``: per-host politeness (spacing, concurrency, back-off).
"""

from __future__ import annotations

from linkgraph.web.policy import AddressPolicy, address_class
from linkgraph.web.politeness import HostLimits
from linkgraph.web.resolver import ResolutionError, Resolver, StaticResolver, SystemResolver

__all__ = [
    "AddressPolicy",
    "HostLimits",
    "ResolutionError",
    "Resolver",
    "StaticResolver",
    "SystemResolver",
    "address_class",
]
