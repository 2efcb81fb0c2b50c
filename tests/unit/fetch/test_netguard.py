"""The address check against every special-purpose range, table-driven, without connecting.

Two tables drive it: the IANA special-purpose registries (IPv4 and IPv6, RFC 6890 and its
updates), and the standard library's own classification of each sample (``is_private``,
``is_global``, ``is_reserved`` ...). Every sample is also tried in each IPv6 form that embeds an
IPv4 address (IPv4-mapped, IPv4-translated, IPv4-compatible, NAT64, 6to4).
"""

from __future__ import annotations

import ipaddress

import pytest

from communique.fetch.netguard import check_address

#: Every IANA special-purpose block (globally reachable ones included: no news site lives there).
SPECIAL_V4 = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.0.0/29", "192.0.0.8/32", "192.0.0.9/32", "192.0.0.10/32", "192.0.0.170/31",
    "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "255.255.255.255/32",
]  # fmt: skip
SPECIAL_V6 = [
    "::/128", "::1/128", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23",
    "2001::/32", "2001:1::1/128", "2001:1::2/128", "2001:2::/48", "2001:3::/32", "2001:4:112::/48",
    "2001:10::/28", "2001:20::/28", "2001:30::/28", "2001:db8::/32", "2620:4f:8000::/48", "3fff::/20",
    "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
]  # fmt: skip
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "151.101.1.140", "2606:4700:4700::1111", "2a00:1450:4007:80f::200e"]


def _samples(network: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    net = ipaddress.ip_network(network)
    return sorted({net.network_address, net.network_address + net.num_addresses // 2, net.broadcast_address})


def _embedding_forms(v4: ipaddress.IPv4Address) -> dict[str, ipaddress.IPv6Address]:
    """The IPv6 addresses that reach ``v4`` (or carry it) in each translation scheme."""
    n = int(v4)
    return {
        "ipv4_mapped": ipaddress.IPv6Address(0xFFFF << 32 | n),
        "ipv4_translated": ipaddress.IPv6Address(0xFFFF << 48 | n),
        "ipv4_compatible": ipaddress.IPv6Address(n),
        "nat64": ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | n),
        "6to4": ipaddress.IPv6Address(0x2002 << 112 | n << 80 | 1),
    }


def _classified_special(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """What the standard library says of the address: anything but an ordinary global unicast one."""
    special = (not ip.is_global or ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_loopback
               or ip.is_link_local or ip.is_unspecified)  # fmt: skip
    return special or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)


SPECIAL_SAMPLES = [ip for net in SPECIAL_V4 + SPECIAL_V6 for ip in _samples(net)]


@pytest.mark.parametrize("ip", SPECIAL_SAMPLES, ids=str)
def test_every_special_purpose_address_is_refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    assert check_address(ip) is not None
    assert check_address(str(ip)) is not None


@pytest.mark.parametrize("ip", SPECIAL_SAMPLES + [ipaddress.ip_address(a) for a in PUBLIC], ids=str)
def test_the_check_refuses_whatever_the_standard_library_classifies_as_special(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    if _classified_special(ip):
        assert check_address(ip) is not None


V4_SPECIAL_SAMPLES = [ip for ip in SPECIAL_SAMPLES if isinstance(ip, ipaddress.IPv4Address)]


@pytest.mark.parametrize("form", ["ipv4_mapped", "ipv4_translated", "ipv4_compatible", "nat64", "6to4"])
def test_ipv6_forms_of_special_ipv4_addresses_are_refused(form: str) -> None:
    for v4 in V4_SPECIAL_SAMPLES:
        embedded = _embedding_forms(v4)[form]
        assert check_address(embedded) is not None, (form, v4, embedded)


@pytest.mark.parametrize("address", PUBLIC)
def test_ordinary_public_addresses_pass_also_when_translated(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert check_address(ip) is None
    if isinstance(ip, ipaddress.IPv4Address):
        for form in ("nat64", "6to4"):  # translators reach the public address
            assert check_address(_embedding_forms(ip)[form]) is None, form
        for form in ("ipv4_mapped", "ipv4_translated", "ipv4_compatible"):  # special-purpose blocks themselves
            assert check_address(_embedding_forms(ip)[form]) == form


def test_the_audit_case_ipv4_translated_private_address_is_refused() -> None:
    assert check_address("::ffff:0:a00:1") == "ipv4_translated:private"  # 10.0.0.1
