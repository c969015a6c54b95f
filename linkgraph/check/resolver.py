"""Injectable name resolution.

The checker never lets the HTTP stack resolve names: it resolves each host once per run through a
``Resolver``, vets the addresses (``linkgraph.check.policy``) and then dials the vetted address.
Tests inject a ``StaticResolver`` that maps test names to loopback addresses and fails the rest,
so no test depends on outside DNS.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from linkgraph.check.policy import IPAddress, parse_ip
from linkgraph.errors import LinkgraphError

# getaddrinfo's answers that mean "the resolver answered: no such name / no address".  Every
# other failure (EAI_AGAIN "temporary failure", EAI_FAIL, EAI_SYSTEM, ...) means the resolver
# or the network did not answer.  Offline, some systems still say EAI_NONAME for every name:
# the checker therefore believes "missing" only from a resolver that resolves other names
# (``linkgraph.check.watch``).
_MISSING_CODES = frozenset(
    code for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
    if (code := getattr(socket, name, None)) is not None
)


class ResolutionError(LinkgraphError):
    """A host name could not be resolved.

    ``missing`` is True when the resolver answered that the name has no address (NXDOMAIN,
    no data), False when it did not answer at all (timeout, "temporary failure", no network).
    Raised by resolvers only; the checker turns it into a result (``nxdomain`` when other names
    resolve, else ``dns_unavailable``).
    """

    def __init__(self, message: str, *, missing: bool = True) -> None:
        super().__init__(message)
        self.missing = missing


@runtime_checkable
class Resolver(Protocol):
    """Turns a host name into IP addresses, or raises ``ResolutionError``."""

    async def resolve(self, host: str) -> list[IPAddress]:
        """The addresses of *host*, best first."""
        ...


class SystemResolver:
    """The system's resolver (``loop.getaddrinfo``), TCP addresses only, order kept."""

    async def resolve(self, host: str) -> list[IPAddress]:
        """Resolve *host* with ``getaddrinfo``; raise ``ResolutionError`` on failure."""
        literal = parse_ip(host)
        if literal is not None:
            return [literal]
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except UnicodeError as exc:  # not a valid name (IDNA): it cannot exist
            raise ResolutionError(f"cannot resolve {host}: {exc}") from exc
        except OSError as exc:
            missing = isinstance(exc, socket.gaierror) and exc.errno in _MISSING_CODES
            raise ResolutionError(f"cannot resolve {host}: {exc}", missing=missing) from exc
        seen: list[IPAddress] = []
        for _family, _type, _proto, _name, sockaddr in infos:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if address not in seen:
                seen.append(address)
        if not seen:
            raise ResolutionError(f"no address for {host}")
        return seen


class StaticResolver:
    """A fixed map of host names to addresses; every other name fails (NXDOMAIN).

    IP literals resolve to themselves.

    >>> r = StaticResolver({"agency.test": ["127.0.0.2"]})
    """

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self._table = {
            name.lower().rstrip("."): [ipaddress.ip_address(a) for a in addresses]
            for name, addresses in table.items()
        }

    async def resolve(self, host: str) -> list[IPAddress]:
        """The mapped addresses of *host*; ``ResolutionError`` when it is not in the table."""
        literal = parse_ip(host)
        if literal is not None:
            return [literal]
        try:
            return list(self._table[host.lower().rstrip(".")])
        except KeyError:
            raise ResolutionError(f"no such host: {host}") from None
