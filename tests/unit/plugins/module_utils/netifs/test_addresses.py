# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.addresses: parse_address (IFA_LOCAL/IFA_ADDRESS peer logic per family,
lifetimes, IFA_FLAGS over the 8-bit flags, every attribute) and parse_multicast."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlbuild as nl
from fakes import truncations

from netifs.addresses import parse_address, parse_multicast
from netifs.errors import ParseError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FOREVER = nl.INFINITY_LIFE_TIME


def parse(payload):
    return parse_address(payload, 0, len(payload))


def record(**changes):
    rec = {"index": 2, "address": None, "prefixlen": 24, "network": None, "family": 4, "scope": "global",
           "class": None, "broadcast": None, "peer": None, "label": None, "flags": [], "zone": None,
           "preferred_lifetime": None, "valid_lifetime": None}
    rec.update(changes)
    return rec


def v4(prefixlen=24, *attrs, **header):
    return nl.address(nl.AF_INET, prefixlen, header.pop("index", 2), *attrs, **header)


def v6(prefixlen=64, *attrs, **header):
    return nl.address(nl.AF_INET6, prefixlen, header.pop("index", 2), *attrs, **header)


def a(atype, text):
    return nl.attr(atype, nl.ip(text))


# --- IPv4 ----------------------------------------------------------------------------------------

def test_ipv4_primary_as_the_kernel_sends_it():
    payload = v4(24, a(nl.IFA_ADDRESS, "192.168.1.10"), a(nl.IFA_LOCAL, "192.168.1.10"),
                 a(nl.IFA_BROADCAST, "192.168.1.255"), nl.attr(nl.IFA_LABEL, nl.cstr("eth0")),
                 nl.attr(nl.IFA_FLAGS, nl.u32(nl.IFA_F_PERMANENT)), nl.cacheinfo(),
                 flags=nl.IFA_F_PERMANENT)
    assert parse(payload) == record(
        address="192.168.1.10", network="192.168.1.0/24", broadcast="192.168.1.255", label="eth0",
        flags=["permanent"], **{"class": "private"})


def test_ipv4_secondary_with_finite_lifetimes():
    payload = v4(16, a(nl.IFA_ADDRESS, "100.64.3.4"), a(nl.IFA_LOCAL, "100.64.3.4"),
                 nl.attr(nl.IFA_LABEL, nl.cstr("eth0:1")), nl.cacheinfo(preferred=300, valid=600),
                 flags=nl.IFA_F_SECONDARY, index=7)
    assert parse(payload) == record(index=7, address="100.64.3.4", prefixlen=16, network="100.64.0.0/16",
                                    label="eth0:1", flags=["secondary"], preferred_lifetime=300,
                                    valid_lifetime=600, **{"class": "shared"})


def test_ipv4_point_to_point_peer():
    payload = v4(32, a(nl.IFA_ADDRESS, "10.255.0.2"), a(nl.IFA_LOCAL, "10.255.0.1"))
    assert parse(payload) == record(address="10.255.0.1", prefixlen=32, network="10.255.0.2/32",
                                    peer="10.255.0.2", **{"class": "private"})


def test_ipv4_peer_network_is_the_peers():
    payload = v4(24, a(nl.IFA_ADDRESS, "198.51.100.77"), a(nl.IFA_LOCAL, "192.0.2.1"))
    assert parse(payload) == record(address="192.0.2.1", network="198.51.100.0/24", peer="198.51.100.77",
                                    **{"class": "documentation"})


def test_ipv4_local_only():
    payload = v4(8, a(nl.IFA_LOCAL, "127.0.0.1"), scope=nl.RT_SCOPE_HOST, index=1)
    assert parse(payload) == record(index=1, address="127.0.0.1", prefixlen=8, network="127.0.0.0/8",
                                    scope="host", **{"class": "loopback"})


def test_ipv4_address_only():
    payload = v4(24, a(nl.IFA_ADDRESS, "8.8.8.8"))
    assert parse(payload) == record(address="8.8.8.8", network="8.8.8.0/24", **{"class": "public"})


@pytest.mark.parametrize("prefixlen, network", [(0, "0.0.0.0/0"), (1, "128.0.0.0/1"), (31, "203.0.113.6/31"),
                                                (32, "203.0.113.7/32")])
def test_ipv4_network_masks_host_bits(prefixlen, network):
    assert parse(v4(prefixlen, a(nl.IFA_LOCAL, "203.0.113.7")))["network"] == network


# --- IPv6 ----------------------------------------------------------------------------------------

def test_ipv6_link_local_address_only():
    payload = v6(64, a(nl.IFA_ADDRESS, "fe80::5054:ff:fe12:3456"), nl.cacheinfo(),
                 nl.attr(nl.IFA_FLAGS, nl.u32(nl.IFA_F_PERMANENT)), scope=nl.RT_SCOPE_LINK,
                 flags=nl.IFA_F_PERMANENT)
    assert parse(payload) == record(address="fe80::5054:ff:fe12:3456", prefixlen=64, network="fe80::/64",
                                    family=6, scope="link", flags=["permanent"], **{"class": "link_local"})


def test_ipv6_temporary_with_lifetimes():
    flags = nl.IFA_F_TEMPORARY | nl.IFA_F_DEPRECATED
    payload = v6(64, a(nl.IFA_ADDRESS, "2001:db8:1:2:a:b:c:d"), nl.cacheinfo(preferred=0, valid=3600),
                 nl.attr(nl.IFA_FLAGS, nl.u32(flags)), flags=flags)
    assert parse(payload) == record(address="2001:db8:1:2:a:b:c:d", prefixlen=64, network="2001:db8:1:2::/64",
                                    family=6, flags=["temporary", "deprecated"], preferred_lifetime=0,
                                    valid_lifetime=3600, **{"class": "documentation"})


def test_ipv6_peer():
    payload = v6(128, a(nl.IFA_LOCAL, "fd00::1"), a(nl.IFA_ADDRESS, "fd00::2"))
    assert parse(payload) == record(address="fd00::1", prefixlen=128, network="fd00::2/128", peer="fd00::2",
                                    family=6, **{"class": "unique_local"})


def test_ipv6_local_only_is_not_a_peer():
    payload = v6(64, a(nl.IFA_LOCAL, "2001:db8::1"))
    assert parse(payload) == record(address="2001:db8::1", prefixlen=64, network="2001:db8::/64",
                                    family=6, **{"class": "documentation"})


def test_ipv6_label_broadcast_read_when_present():
    payload = v6(64, a(nl.IFA_ADDRESS, "::1"), a(nl.IFA_BROADCAST, "ff02::1"),
                 nl.attr(nl.IFA_LABEL, nl.cstr("lo")), scope=nl.RT_SCOPE_HOST, index=1)
    assert parse(payload) == record(index=1, address="::1", prefixlen=64, network="::/64", family=6,
                                    scope="host", broadcast="ff02::1", label="lo", **{"class": "loopback"})


# --- flags, lifetimes, scopes, labels ------------------------------------------------------------

def test_ifa_flags_overrides_the_8_bit_field():
    payload = v4(24, a(nl.IFA_LOCAL, "10.0.0.1"), flags=nl.IFA_F_SECONDARY | nl.IFA_F_NODAD,
                 *[nl.attr(nl.IFA_FLAGS, nl.u32(nl.IFA_F_NOPREFIXROUTE | nl.IFA_F_STABLE_PRIVACY))])
    assert parse(payload)["flags"] == ["noprefixroute", "stable_privacy"]


def test_ifa_flags_zero_clears_the_8_bit_field():
    payload = v4(24, a(nl.IFA_LOCAL, "10.0.0.1"), nl.attr(nl.IFA_FLAGS, nl.u32(0)), flags=0xFF)
    assert parse(payload)["flags"] == []


def test_8_bit_flags_without_ifa_flags():
    payload = v4(24, a(nl.IFA_LOCAL, "10.0.0.1"), flags=nl.IFA_F_SECONDARY | nl.IFA_F_TENTATIVE)
    assert parse(payload)["flags"] == ["secondary", "tentative"]


@pytest.mark.parametrize("family, text, first", [(nl.AF_INET, "10.0.0.1", "secondary"),
                                                 (nl.AF_INET6, "2001:db8::1", "temporary")])
def test_every_flag_name(family, text, first):
    payload = nl.address(family, 24, 2, a(nl.IFA_LOCAL, text), nl.attr(nl.IFA_FLAGS, nl.u32(0xFFFFFFFF)))
    assert parse(payload)["flags"] == [
        first, "nodad", "optimistic", "dadfailed", "homeaddress", "deprecated", "tentative", "permanent",
        "managetempaddr", "noprefixroute", "mcautojoin", "stable_privacy"]


@pytest.mark.parametrize("size", [0, 1, 3])
def test_short_ifa_flags(size):
    with pytest.raises(ParseError):
        parse(v4(24, a(nl.IFA_LOCAL, "10.0.0.1"), nl.attr(nl.IFA_FLAGS, b"\x01" * size)))


@pytest.mark.parametrize("preferred, valid, expected", [
    (FOREVER, FOREVER, (None, None)), (0, 0, (0, 0)), (FOREVER, 86400, (None, 86400)),
    (1, FOREVER, (1, None)), (FOREVER - 1, FOREVER - 1, (FOREVER - 1, FOREVER - 1)),
])
def test_lifetimes(preferred, valid, expected):
    got = parse(v6(64, a(nl.IFA_ADDRESS, "2001:db8::9"), nl.cacheinfo(preferred, valid)))
    assert (got["preferred_lifetime"], got["valid_lifetime"]) == expected


def test_lifetimes_without_cacheinfo_are_forever():
    got = parse(v6(64, a(nl.IFA_ADDRESS, "2001:db8::9")))
    assert (got["preferred_lifetime"], got["valid_lifetime"]) == (None, None)


def test_cacheinfo_of_8_bytes_is_enough():
    got = parse(v6(64, a(nl.IFA_ADDRESS, "2001:db8::9"), nl.attr(nl.IFA_CACHEINFO, nl.u32(5) + nl.u32(6))))
    assert (got["preferred_lifetime"], got["valid_lifetime"]) == (5, 6)


def test_cacheinfo_shorter_than_two_u32_is_ignored():
    got = parse(v6(64, a(nl.IFA_ADDRESS, "2001:db8::9"), nl.attr(nl.IFA_CACHEINFO, nl.u32(5) + b"\1\2\3")))
    assert (got["preferred_lifetime"], got["valid_lifetime"]) == (None, None)


@pytest.mark.parametrize("scope, name", [(0, "global"), (200, "site"), (253, "link"), (254, "host"),
                                         (255, "nowhere"), (17, "17")])
def test_scope(scope, name):
    assert parse(v4(24, a(nl.IFA_LOCAL, "10.0.0.1"), scope=scope))["scope"] == name


def test_label_without_nul_and_not_utf8():
    assert parse(v4(24, a(nl.IFA_LOCAL, "10.0.0.1"), nl.attr(nl.IFA_LABEL, b"e\xffth0:x")))["label"] == \
        u"e\\xffth0:x"


def test_unknown_attributes_are_ignored():
    payload = v4(24, a(nl.IFA_LOCAL, "10.0.0.1"), nl.attr(nl.IFA_RT_PRIORITY, nl.u32(5)),
                 nl.attr(nl.IFA_PROTO, nl.u8(3)), a(nl.IFA_ANYCAST, "10.0.0.9"), nl.attr(500, b"zz"))
    assert parse(payload) == record(address="10.0.0.1", network="10.0.0.0/24", **{"class": "private"})


# --- malformed -----------------------------------------------------------------------------------

@pytest.mark.parametrize("size", range(0, 8))
def test_header_too_short(size):
    with pytest.raises(ParseError):
        parse(v4(24, a(nl.IFA_LOCAL, "10.0.0.1"))[:size])


@pytest.mark.parametrize("family", [nl.AF_UNSPEC, nl.AF_BRIDGE, nl.AF_MPLS, 255])
def test_unknown_family(family):
    with pytest.raises(ParseError) as info:
        parse(nl.address(family, 24, 2, nl.attr(nl.IFA_LOCAL, b"\x0a\0\0\x01")))
    assert "address family %d" % family in str(info.value)


def test_neither_local_nor_address():
    with pytest.raises(ParseError) as info:
        parse(v4(24, nl.attr(nl.IFA_LABEL, nl.cstr("eth0"))))
    assert "neither IFA_LOCAL nor IFA_ADDRESS" in str(info.value)


@pytest.mark.parametrize("family, attrs", [
    (nl.AF_INET, [nl.attr(nl.IFA_LOCAL, nl.ip("::1"))]),
    (nl.AF_INET, [nl.attr(nl.IFA_ADDRESS, b"\x0a\0\0")]),
    (nl.AF_INET, [a(nl.IFA_LOCAL, "10.0.0.1"), nl.attr(nl.IFA_ADDRESS, b"")]),
    (nl.AF_INET, [a(nl.IFA_LOCAL, "10.0.0.1"), nl.attr(nl.IFA_BROADCAST, b"\xff" * 5)]),
    (nl.AF_INET6, [a(nl.IFA_ADDRESS, "10.0.0.1")]),
    (nl.AF_INET6, [nl.attr(nl.IFA_LOCAL, b"\0" * 15), a(nl.IFA_ADDRESS, "fd00::2")]),
])
def test_wrong_address_length(family, attrs):
    with pytest.raises(ParseError):
        parse(nl.address(family, 24, 2, *attrs))


@pytest.mark.parametrize("family, text, prefixlen", [(nl.AF_INET, "10.0.0.1", 33), (nl.AF_INET, "10.0.0.1", 255),
                                                     (nl.AF_INET6, "fd00::1", 129)])
def test_prefix_length_too_long(family, text, prefixlen):
    with pytest.raises(ParseError):
        parse(nl.address(family, prefixlen, 2, a(nl.IFA_LOCAL, text)))


# --- multicast dump replies ----------------------------------------------------------------------

@pytest.mark.parametrize("family, group, fam", [(nl.AF_INET, "224.0.0.1", 4), (nl.AF_INET6, "ff02::1:ff12:3456", 6)])
def test_multicast(family, group, fam):
    payload = nl.multicast(family, 3, group)
    assert parse_multicast(payload, 0, len(payload)) == {"index": 3, "address": group, "family": fam}


def test_multicast_missing_group():
    payload = nl.address(nl.AF_INET6, 128, 3, nl.cacheinfo())
    with pytest.raises(ParseError) as info:
        parse_multicast(payload, 0, len(payload))
    assert "no IFA_MULTICAST" in str(info.value)


@pytest.mark.parametrize("payload", [
    nl.address(nl.AF_INET, 32, 3, a(nl.IFA_MULTICAST, "ff02::1")),
    nl.address(nl.AF_INET6, 128, 3, a(nl.IFA_MULTICAST, "224.0.0.1")),
    nl.address(nl.AF_BRIDGE, 128, 3, a(nl.IFA_MULTICAST, "224.0.0.1")),
    nl.address(nl.AF_INET, 32, 3)[:7],
])
def test_multicast_malformed(payload):
    with pytest.raises(ParseError):
        parse_multicast(payload, 0, len(payload))


# --- truncation and fuzzing ----------------------------------------------------------------------

SAMPLES = [
    v4(24, a(nl.IFA_ADDRESS, "192.168.1.10"), a(nl.IFA_LOCAL, "192.168.1.10"),
       a(nl.IFA_BROADCAST, "192.168.1.255"), nl.attr(nl.IFA_LABEL, nl.cstr("eth0")),
       nl.attr(nl.IFA_FLAGS, nl.u32(0x80)), nl.cacheinfo(10, 20)),
    v6(64, a(nl.IFA_LOCAL, "fd00::1"), a(nl.IFA_ADDRESS, "fd00::2"), nl.cacheinfo(),
       nl.attr(nl.IFA_FLAGS, nl.u32(0x240))),
]


@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_every_truncation(sample):
    outcomes = truncations(parse_address, SAMPLES[sample])
    assert outcomes[-1] == parse(SAMPLES[sample])
    assert all(o[0] == "ParseError" for o in outcomes[:8 + 4])  # header, or no address yet


def test_every_truncation_multicast():
    payload = nl.multicast(nl.AF_INET6, 3, "ff02::fb")
    outcomes = truncations(parse_multicast, payload)
    assert outcomes[-1] == {"index": 3, "address": "ff02::fb", "family": 6}


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data):
    for parser in (parse_address, parse_multicast):
        try:
            rec = parser(data, 0, len(data))
        except ParseError:
            continue
        assert rec["family"] in (4, 6)


_ATTR = st.tuples(st.integers(0, 12) | st.integers(0, 0xFFFF),
                  st.sampled_from([0, 4, 8, 16]).flatmap(lambda n: st.binary(min_size=n, max_size=n))
                  | st.binary(max_size=20))


@FUZZ
@given(family=st.sampled_from([nl.AF_INET, nl.AF_INET6, 0, 7]), prefixlen=st.integers(0, 255),
       flags=st.integers(0, 255), scope=st.integers(0, 255), index=st.integers(0, 2 ** 32 - 1),
       attrs=st.lists(_ATTR, max_size=8))
def test_structured_fuzz(family, prefixlen, flags, scope, index, attrs):
    payload = nl.ifaddrmsg(family, prefixlen, flags, scope, index) + b"".join(nl.attr(t, p) for t, p in attrs)
    for parser in (parse_address, parse_multicast):
        try:
            rec = parser(payload, 0, len(payload))
        except ParseError:
            continue
        assert rec["index"] == index
