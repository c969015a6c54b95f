"""The address guard: which addresses the checker may connect to.

Article links are untrusted.  By default only *public* unicast addresses are allowed: loopback,
private, link-local, shared (CGNAT), multicast, reserved, documentation, benchmarking and
unspecified addresses are refused, for IPv4 and IPv6 alike; IPv6 addresses that embed an IPv4
address (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible, 6to4 ``2002::/16``, Teredo and NAT64
``64:ff9b::/96``) are judged by the embedded IPv4 address as well.

``allow_private`` opens every non-public unicast address (the tests need loopback); multicast and
unspecified addresses stay closed because they are never a page.  An allow-list of host names
(``intranet.example``, or ``.example.org`` for every sub-domain) or networks (``10.1.0.0/16``,
``127.0.0.2``) opens exactly what it names.

Everything here is pure: the runner asks after DNS resolution and again at every redirect hop,
then connects to the very address that was vetted (see ``linkgraph.web.transport``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from linkgraph.errors import ConfigError
from linkgraph.records import ErrorKind

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_SHARED: Final = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT
_UNIQUE_LOCAL: Final = ipaddress.IPv6Network("fc00::/7")
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE: Final = ipaddress.IPv6Network("::/96")


def host_matches(host: str, entries: frozenset[str]) -> bool:
    """True when *host* is one of *entries* (lower case names), or a sub-domain of an entry
    written with a leading dot (``.example.org``: example.org and its sub-domains).

    >>> host_matches("www.example.org", frozenset({".example.org"}))
    True
    """
    name = host.lower().rstrip(".")
    if name in entries:
        return True
    return any(
        entry.startswith(".") and (name.endswith(entry) or name == entry[1:])
        for entry in entries
    )


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """What the checker may connect to; see the module docstring for the rules."""

    allow_private: bool = False
    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_allow(cls, allow: Iterable[str], *, allow_private: bool = False) -> AddressPolicy:
        """Build a policy from allow-list entries: host names, IP addresses or CIDR networks.

        >>> AddressPolicy.from_allow(["127.0.0.0/8", "intranet.example"]).allow_hosts
        frozenset({'intranet.example'})
        """
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in allow:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if "/" in entry or " " in entry:
                raise ConfigError(f"invalid allow-list entry {raw!r}: not a host name or network")
            hosts.add(entry.rstrip("."))
        return cls(allow_private, frozenset(hosts), tuple(networks))

    def host_allowed(self, host: str) -> bool:
        """True when *host* (a name) is on the allow-list, directly or as a sub-domain."""
        return host_matches(host, self.allow_hosts)

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """Why *address* (resolved for *host*) must not be contacted, or ``None`` when it may."""
        if self.host_allowed(host):
            return None
        if any(address in net for net in self.allow_networks if net.version == address.version):
            return None
        reason = address_class(address)
        if reason is None:
            return None
        if self.allow_private and reason not in {"unspecified", "multicast"}:
            return None
        return reason

    def vet(
        self, host: str, addresses: Sequence[IPAddress]
    ) -> tuple[IPAddress | None, ErrorKind | None]:
        """The address to connect to for *host*, or ``(None, reason)``.

        Every resolved address must pass: a name that resolves to one public and one private
        address is refused as a whole (a classic DNS-rebinding set-up).
        """
        if not addresses:
            return None, ErrorKind.NXDOMAIN
        for address in addresses:
            reason = self.refusal(host, address)
            if reason is not None:
                return None, ErrorKind.policy(reason)
        return addresses[0], None


def _common_class(address: IPAddress) -> str | None:
    """The classes IPv4 and IPv6 share, in order of precedence."""
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_multicast:
        return "multicast"
    if address.is_link_local:
        return "link-local"
    return None


def _v4_class(address: ipaddress.IPv4Address) -> str | None:
    common = _common_class(address)
    if common is not None:
        return common
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if address in _SHARED:
        return "shared"
    if not address.is_global:
        return "reserved"
    return None


def address_class(address: IPAddress) -> str | None:
    """The non-public class of *address* (``loopback``, ``private``, ...), ``None`` if public.

    >>> address_class(ipaddress.ip_address("::ffff:127.0.0.1"))
    'loopback'
    >>> address_class(ipaddress.ip_address("93.184.216.34")) is None
    True
    """
    if isinstance(address, ipaddress.IPv4Address):
        return _v4_class(address)
    embedded = _embedded_v4(address)
    if embedded is not None:
        inner = _v4_class(embedded)
        if inner is not None:
            return inner
    common = _common_class(address)
    if common is not None:
        return common
    if address.is_site_local or address in _UNIQUE_LOCAL:
        return "private"
    if embedded is not None:
        return None  # a mapped/translated public IPv4 address
    if address.is_reserved or address.is_private or not address.is_global:
        return "reserved"
    return None


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_ip(host: str) -> IPAddress | None:
    """*host* as an IP address when it is a literal (brackets allowed), else ``None``."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
