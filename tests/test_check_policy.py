"""The address guard alone: which addresses may be contacted.  No traffic is ever sent here."""

from __future__ import annotations

import ipaddress

import pytest

from linkgraph.check import AddressPolicy, address_class
from linkgraph.errors import ConfigError

ADDRESS_CLASSES = [
    ("93.184.216.34", None),
    ("8.8.8.8", None),
    ("2606:4700:4700::1111", None),
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("100.64.0.1", "shared"),
    ("169.254.169.254", "link-local"),  # the cloud metadata address
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.1.1.1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.1", "private"),  # documentation (TEST-NET-1) is "private" in ipaddress
    ("198.18.0.1", "private"),  # benchmarking
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("::ffff:93.184.216.34", None),
    ("::127.0.0.1", "loopback"),  # IPv4-compatible (deprecated)
    ("2002:7f00:1::1", "loopback"),  # 6to4 around 127.0.0.1
    ("2002:c0a8:101::1", "private"),  # 6to4 around 192.168.1.1
    ("64:ff9b::a00:1", "private"),  # NAT64 around 10.0.0.1
    ("2001:db8::1", "reserved"),  # documentation
]


@pytest.mark.parametrize(("address", "expected"), ADDRESS_CLASSES)
def test_address_class(address: str, expected: str | None) -> None:
    assert address_class(ipaddress.ip_address(address)) == expected


def ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return ipaddress.ip_address(text)


def test_default_policy_refuses_every_non_public_class() -> None:
    policy = AddressPolicy()
    for address, expected in ADDRESS_CLASSES:
        assert policy.refusal("x.test", ip(address)) == expected, address


def test_allow_private_opens_unicast_but_not_multicast_or_unspecified() -> None:
    policy = AddressPolicy(allow_private=True)
    assert policy.refusal("x.test", ip("127.0.0.1")) is None
    assert policy.refusal("x.test", ip("10.0.0.1")) is None
    assert policy.refusal("x.test", ip("::ffff:192.168.0.1")) is None
    assert policy.refusal("x.test", ip("0.0.0.0")) == "unspecified"
    assert policy.refusal("x.test", ip("224.0.0.1")) == "multicast"


def test_allow_list_of_networks_and_hosts() -> None:
    entries = ["127.0.0.2", "10.1.0.0/16", "intranet.example", ".corp.test"]
    policy = AddressPolicy.from_allow(entries)
    assert policy.refusal("a.test", ip("127.0.0.2")) is None
    assert policy.refusal("a.test", ip("127.0.0.3")) == "loopback"
    assert policy.refusal("a.test", ip("10.1.200.1")) is None
    assert policy.refusal("a.test", ip("10.2.0.1")) == "private"
    assert policy.refusal("intranet.example", ip("10.9.9.9")) is None
    assert policy.refusal("wiki.corp.test", ip("192.168.3.3")) is None
    assert policy.refusal("corp.test", ip("192.168.3.3")) is None
    assert policy.refusal("evilcorp.test", ip("192.168.3.3")) == "private"
    assert policy.refusal("sub.intranet.example", ip("10.9.9.9")) == "private"


def test_vet_refuses_a_name_with_any_bad_address() -> None:
    policy = AddressPolicy()
    good, bad = ip("93.184.216.34"), ip("10.0.0.1")
    assert policy.vet("a.test", [good]) == (good, None)
    assert policy.vet("a.test", [good, bad]) == (None, "policy:private")
    assert policy.vet("a.test", []) == (None, "nxdomain")


def test_bad_allow_entry_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        AddressPolicy.from_allow(["10.0.0.0/99"])
