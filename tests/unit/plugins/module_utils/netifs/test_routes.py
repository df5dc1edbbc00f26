# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.routes.parse_route: every attribute, RTA_TABLE over rtm_table, RTA_PREF,
RTA_MULTIPATH with dead/linkdown hops, RTA_VIA, RTA_NH_ID, and malformed addresses that must never
turn into an on-link or default route."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlbuild as nl
from fakes import truncations

from netifs.errors import ParseError
from netifs.routes import is_local_table, parse_route

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse(payload):
    return parse_route(payload, 0, len(payload))


def record(**changes):
    rec = {"destination": "0.0.0.0/0", "family": 4, "type": "unicast", "table": 254, "protocol": "boot",
           "scope": "global", "metric": 0, "preference": None, "gateway": None, "interface": None,
           "preferred_source": None, "source": None, "tos": 0, "flags": [], "nexthop_id": None,
           "nexthops": []}
    rec.update(changes)
    return rec


def hop(gateway=None, interface=None, weight=1, flags=()):
    return {"gateway": gateway, "interface": interface, "weight": weight, "flags": list(flags)}


def a(atype, text):
    return nl.attr(atype, nl.ip(text))


def oif(index):
    return nl.attr(nl.RTA_OIF, nl.u32(index))


def prio(metric):
    return nl.attr(nl.RTA_PRIORITY, nl.u32(metric))


def table(number):
    return nl.attr(nl.RTA_TABLE, nl.u32(number))


# --- single path ---------------------------------------------------------------------------------

def test_ipv4_default_via_gateway():
    payload = nl.route(table(254), prio(100), a(nl.RTA_GATEWAY, "192.0.2.1"), oif(2),
                       protocol=nl.RTPROT_DHCP)
    assert parse(payload) == record(protocol="dhcp", metric=100, gateway="192.0.2.1", interface=2,
                                    nexthops=[hop("192.0.2.1", 2)])


def test_ipv4_connected_route():
    payload = nl.route(table(254), a(nl.RTA_DST, "10.1.0.0"), a(nl.RTA_PREFSRC, "10.1.2.3"), oif(3),
                       dst_len=16, protocol=nl.RTPROT_KERNEL, scope=nl.RT_SCOPE_LINK)
    assert parse(payload) == record(destination="10.1.0.0/16", protocol="kernel", scope="link",
                                    preferred_source="10.1.2.3", interface=3, nexthops=[hop(None, 3)])


def test_ipv6_route_everything():
    payload = nl.route(table(254), a(nl.RTA_DST, "2001:db8:5::"), a(nl.RTA_SRC, "2001:db8:99::"),
                       prio(1024), a(nl.RTA_GATEWAY, "fe80::1"), oif(4), a(nl.RTA_PREFSRC, "2001:db8::10"),
                       nl.attr(nl.RTA_PREF, nl.u8(nl.ICMPV6_ROUTER_PREF_HIGH)),
                       nl.attr(nl.RTA_CACHEINFO, b"\0" * 32), nl.attr(nl.RTA_METRICS | nl.NLA_F_NESTED, b""),
                       family=nl.AF_INET6, dst_len=48, src_len=56, protocol=nl.RTPROT_RA,
                       flags=nl.RTNH_F_ONLINK | nl.RTM_F_OFFLOAD)
    assert parse(payload) == record(
        destination="2001:db8:5::/48", family=6, protocol="ra", metric=1024, preference="high",
        gateway="fe80::1", interface=4, preferred_source="2001:db8::10", source="2001:db8:99::/56",
        flags=["onlink", "offload"], nexthops=[hop("fe80::1", 4, flags=["onlink"])])


def test_ipv6_default():
    payload = nl.route(table(254), a(nl.RTA_GATEWAY, "fe80::1"), oif(2), prio(1024),
                       nl.attr(nl.RTA_PREF, nl.u8(0)), family=nl.AF_INET6, protocol=nl.RTPROT_RA)
    assert parse(payload) == record(destination="::/0", family=6, protocol="ra", metric=1024,
                                    preference="medium", gateway="fe80::1", interface=2,
                                    nexthops=[hop("fe80::1", 2)])


@pytest.mark.parametrize("rtm_table, attrs, expected", [
    (254, (), 254),
    (253, (), 253),
    (nl.RT_TABLE_COMPAT, (table(1000),), 1000),
    (100, (table(100),), 100),
    (254, (table(0xFFFFFFFF),), 0xFFFFFFFF),
    (0, (), 0),
])
def test_table(rtm_table, attrs, expected):
    assert parse(nl.route(*attrs, table=rtm_table))["table"] == expected


def test_missing_priority_is_metric_0():
    assert parse(nl.route(oif(1)))["metric"] == 0
    assert parse(nl.route(oif(1), prio(0xFFFFFFFF)))["metric"] == 0xFFFFFFFF


@pytest.mark.parametrize("value, name", [(0, "medium"), (1, "high"), (3, "low"), (2, None), (200, None)])
def test_preference(value, name):
    payload = nl.route(oif(1), nl.attr(nl.RTA_PREF, nl.u8(value)), family=nl.AF_INET6)
    assert parse(payload)["preference"] == name


def test_preference_absent_and_ipv4_ignored():
    assert parse(nl.route(oif(1), family=nl.AF_INET6))["preference"] is None
    assert parse(nl.route(oif(1), nl.attr(nl.RTA_PREF, nl.u8(1))))["preference"] is None


def test_empty_pref_at_the_end():
    payload = nl.route(oif(1), nl.attr(nl.RTA_PREF), family=nl.AF_INET6)
    with pytest.raises(ParseError) as info:
        parse(payload)
    assert info.value.what == "RTA_PREF"


def test_empty_pref_does_not_read_the_next_attribute():
    # The next attribute's length byte (0x01, 'high') must not be taken for the preference.
    payload = nl.route(oif(1), nl.attr(nl.RTA_PREF), nl.attr(999, b"\0" * 253), family=nl.AF_INET6)
    with pytest.raises(ParseError) as info:
        parse(payload)
    assert info.value.what == "RTA_PREF"


def test_empty_pref_of_an_ipv4_route_is_ignored():
    assert parse(nl.route(oif(1), nl.attr(nl.RTA_PREF)))["preference"] is None


def test_longer_pref_reads_its_first_byte():
    payload = nl.route(oif(1), nl.attr(nl.RTA_PREF, b"\x03\x01"), family=nl.AF_INET6)
    assert parse(payload)["preference"] == "low"


@pytest.mark.parametrize("value, name", [
    (nl.RTN_UNSPEC, "unspec"), (nl.RTN_UNICAST, "unicast"), (nl.RTN_LOCAL, "local"),
    (nl.RTN_BROADCAST, "broadcast"), (nl.RTN_ANYCAST, "anycast"), (nl.RTN_MULTICAST, "multicast"),
    (nl.RTN_BLACKHOLE, "blackhole"), (nl.RTN_UNREACHABLE, "unreachable"), (nl.RTN_PROHIBIT, "prohibit"),
    (nl.RTN_THROW, "throw"), (nl.RTN_NAT, "nat"), (nl.RTN_XRESOLVE, "xresolve"), (12, "12"), (255, "255"),
])
def test_type(value, name):
    got = parse(nl.route(oif(5), rtype=value))
    forwarding = name in ("unicast", "local", "broadcast", "anycast", "multicast")
    assert (got["type"], got["nexthops"]) == (name, [hop(None, 5)] if forwarding else [])


def test_blackhole_has_no_nexthops():
    payload = nl.route(table(254), a(nl.RTA_DST, "203.0.113.0"), dst_len=24, rtype=nl.RTN_BLACKHOLE,
                       protocol=nl.RTPROT_STATIC)
    assert parse(payload) == record(destination="203.0.113.0/24", type="blackhole", protocol="static")


@pytest.mark.parametrize("value, name", [
    (0, "unspec"), (1, "redirect"), (2, "kernel"), (3, "boot"), (4, "static"), (8, "gated"), (9, "ra"),
    (10, "mrt"), (11, "zebra"), (12, "bird"), (13, "dnrouted"), (14, "xorp"), (15, "ntk"), (16, "dhcp"),
    (17, "mrouted"), (18, "keepalived"), (42, "babel"), (99, "openr"), (186, "bgp"), (187, "isis"),
    (188, "ospf"), (189, "rip"), (192, "eigrp"), (77, "77"),
])
def test_protocol(value, name):
    assert parse(nl.route(oif(1), protocol=value))["protocol"] == name


@pytest.mark.parametrize("scope, name", [(0, "global"), (200, "site"), (253, "link"), (254, "host"),
                                         (255, "nowhere"), (100, "100")])
def test_scope(scope, name):
    assert parse(nl.route(oif(1), scope=scope))["scope"] == name


def test_flags_route_and_hop():
    flags = (nl.RTNH_F_DEAD | nl.RTNH_F_PERVASIVE | nl.RTNH_F_ONLINK | nl.RTNH_F_OFFLOAD | nl.RTNH_F_LINKDOWN
             | nl.RTNH_F_UNRESOLVED | nl.RTNH_F_TRAP | nl.RTM_F_NOTIFY | nl.RTM_F_CLONED | nl.RTM_F_EQUALIZE
             | nl.RTM_F_PREFIX | nl.RTM_F_LOOKUP_TABLE | nl.RTM_F_OFFLOAD | nl.RTM_F_TRAP)
    got = parse(nl.route(oif(1), flags=flags))
    low = ["dead", "pervasive", "onlink", "offload", "linkdown", "unresolved", "trap"]
    assert got["flags"] == low + ["cloned", "equalize", "prefix", "offload", "trap"]
    assert got["nexthops"] == [hop(None, 1, flags=low)]


def test_tos_and_source_constraints():
    got = parse(nl.route(a(nl.RTA_SRC, "10.9.0.0"), oif(1), src_len=16, tos=0x10))
    assert (got["tos"], got["source"]) == (0x10, "10.9.0.0/16")


@pytest.mark.parametrize("family", [nl.AF_INET, nl.AF_INET6])
def test_source_length_without_rta_src(family):
    # The kernel always sends RTA_SRC with a non-zero length: inventing '::/64' would be a guess.
    with pytest.raises(ParseError) as info:
        parse(nl.route(oif(1), family=family, src_len=16))
    assert "prefix length 16 without its address" in str(info.value)


def test_rta_src_without_source_length_is_ignored():
    assert parse(nl.route(oif(1), a(nl.RTA_SRC, "10.9.0.0")))["source"] is None


def test_nexthop_id_route():
    payload = nl.route(table(254), nl.attr(nl.RTA_NH_ID, nl.u32(77)), prio(20), protocol=nl.RTPROT_STATIC)
    assert parse(payload) == record(protocol="static", metric=20, nexthop_id=77)


@pytest.mark.parametrize("size", [0, 3])
def test_short_nexthop_id(size):
    with pytest.raises(ParseError):
        parse(nl.route(nl.attr(nl.RTA_NH_ID, b"\x01" * size)))


@pytest.mark.parametrize("atype", [nl.RTA_TABLE, nl.RTA_PRIORITY, nl.RTA_OIF])
def test_short_u32_attributes(atype):
    with pytest.raises(ParseError):
        parse(nl.route(nl.attr(atype, b"\x01\x02")))


def local(buf, start=0, stop=None):
    return is_local_table(buf, start, len(buf) if stop is None else stop)


def test_is_local_table():
    assert local(nl.route(table=nl.RT_TABLE_LOCAL, rtype=nl.RTN_LOCAL)) is True
    assert local(nl.route(table=nl.RT_TABLE_MAIN)) is False
    assert local(nl.route(table(255), table=nl.RT_TABLE_MAIN)) is False  # header only
    assert local(b"xxxx" + nl.route(table=255) + b"yyyy", 4, 16) is True


@pytest.mark.parametrize("size", range(0, 12))
def test_is_local_table_short_message_is_left_to_the_parser(size):
    payload = nl.route(table=nl.RT_TABLE_LOCAL)
    assert local(payload[:size]) is False
    # Inside a larger buffer the bytes after stop do not decide it either.
    assert local(payload + b"\xff" * 8, 0, size) is False


# --- RTA_VIA -------------------------------------------------------------------------------------

def test_ipv4_route_via_ipv6_gateway():
    payload = nl.route(nl.via(nl.AF_INET6, "fe80::1"), oif(2))
    assert parse(payload) == record(gateway="fe80::1", interface=2, nexthops=[hop("fe80::1", 2)])


def test_rta_gateway_wins_over_rta_via():
    payload = nl.route(a(nl.RTA_GATEWAY, "192.0.2.1"), nl.via(nl.AF_INET6, "fe80::1"), oif(2))
    assert parse(payload)["gateway"] == "192.0.2.1"


@pytest.mark.parametrize("raw", [
    b"", b"\x0a",  # shorter than the family
    nl.u16(nl.AF_INET6) + nl.ip("10.0.0.1"),  # IPv6 family, 4 bytes
    nl.u16(nl.AF_INET) + nl.ip("fe80::1"),
    nl.u16(nl.AF_INET6),  # no address at all
    nl.u16(nl.AF_MPLS) + b"\x00\x01\x41\x00",  # MPLS label: not an IP gateway
])
def test_malformed_via(raw):
    with pytest.raises(ParseError):
        parse(nl.route(nl.attr(nl.RTA_VIA, raw), oif(2)))


# --- malformed addresses never become on-link or default routes ----------------------------------

@pytest.mark.parametrize("family, atype, size", [
    (nl.AF_INET, nl.RTA_GATEWAY, 0), (nl.AF_INET, nl.RTA_GATEWAY, 3), (nl.AF_INET, nl.RTA_GATEWAY, 5),
    (nl.AF_INET, nl.RTA_GATEWAY, 16), (nl.AF_INET6, nl.RTA_GATEWAY, 4), (nl.AF_INET6, nl.RTA_GATEWAY, 0),
    (nl.AF_INET, nl.RTA_DST, 0), (nl.AF_INET, nl.RTA_DST, 16), (nl.AF_INET6, nl.RTA_DST, 4),
    (nl.AF_INET6, nl.RTA_DST, 15), (nl.AF_INET, nl.RTA_PREFSRC, 2), (nl.AF_INET6, nl.RTA_PREFSRC, 4),
    (nl.AF_INET, nl.RTA_SRC, 8),
])
def test_wrong_address_length_is_an_error(family, atype, size):
    payload = nl.route(nl.attr(atype, b"\x0a" * size), oif(2), family=family,
                       dst_len=8 if atype == nl.RTA_DST else 0, src_len=8 if atype == nl.RTA_SRC else 0)
    with pytest.raises(ParseError):
        parse(payload)


@pytest.mark.parametrize("family", [nl.AF_UNSPEC, nl.AF_BRIDGE, nl.AF_MPLS, 129])
def test_unknown_family(family):
    with pytest.raises(ParseError) as info:
        parse(nl.route(oif(1), family=family))
    assert "address family %d" % family in str(info.value)


@pytest.mark.parametrize("size", range(0, 12))
def test_header_too_short(size):
    with pytest.raises(ParseError):
        parse(nl.route(oif(1))[:size])


@pytest.mark.parametrize("family, text, dst_len", [(nl.AF_INET, "10.0.0.0", 33), (nl.AF_INET6, "2001:db8::", 129),
                                                   (nl.AF_INET, "10.0.0.0", 255)])
def test_destination_prefix_length_out_of_range(family, text, dst_len):
    with pytest.raises(ParseError) as info:
        parse(nl.route(a(nl.RTA_DST, text), oif(1), family=family, dst_len=dst_len))
    assert "prefix length %d for IPv" % dst_len in str(info.value)


@pytest.mark.parametrize("family, text, src_len", [(nl.AF_INET, "10.0.0.0", 33), (nl.AF_INET6, "2001:db8::", 129)])
def test_source_prefix_length_out_of_range(family, text, src_len):
    with pytest.raises(ParseError) as info:
        parse(nl.route(a(nl.RTA_SRC, text), oif(1), family=family, src_len=src_len))
    assert "prefix length %d for IPv" % src_len in str(info.value)


@pytest.mark.parametrize("family, text, plen", [(nl.AF_INET, "10.0.0.0", 32), (nl.AF_INET6, "2001:db8::", 128)])
def test_full_length_prefixes(family, text, plen):
    got = parse(nl.route(a(nl.RTA_DST, text), a(nl.RTA_SRC, text), oif(1), family=family, dst_len=plen,
                         src_len=plen))
    assert (got["destination"], got["source"]) == ("%s/%d" % (text, plen), "%s/%d" % (text, plen))


@pytest.mark.parametrize("family", [nl.AF_INET, nl.AF_INET6])
def test_destination_length_without_rta_dst(family):
    # Never '0.0.0.0/8': a malformed route must not become a wide one.
    with pytest.raises(ParseError) as info:
        parse(nl.route(oif(1), family=family, dst_len=8))
    assert "prefix length 8 without its address" in str(info.value)


# --- multipath -----------------------------------------------------------------------------------

def test_multipath_weights_flags_and_dead_hops():
    payload = nl.route(
        table(254), prio(10),
        nl.multipath(
            nl.rtnexthop(2, [a(nl.RTA_GATEWAY, "192.0.2.1")], weight=1),
            nl.rtnexthop(3, [a(nl.RTA_GATEWAY, "198.51.100.1")], weight=5, flags=nl.RTNH_F_DEAD),
            nl.rtnexthop(4, [a(nl.RTA_GATEWAY, "203.0.113.1")], weight=256,
                         flags=nl.RTNH_F_LINKDOWN | nl.RTNH_F_ONLINK),
            nl.rtnexthop(5, [], weight=2),
            nl.rtnexthop(0, [nl.via(nl.AF_INET6, "fe80::9"), nl.attr(nl.RTA_FLOW, nl.u32(1))], weight=3),
        ),
        protocol=nl.RTPROT_BIRD)
    assert parse(payload) == record(protocol="bird", metric=10, nexthops=[
        hop("192.0.2.1", 2, 1), hop("198.51.100.1", 3, 5, ["dead"]),
        hop("203.0.113.1", 4, 256, ["onlink", "linkdown"]), hop(None, 5, 2), hop("fe80::9", None, 3)])


def test_multipath_ipv6():
    payload = nl.route(nl.multipath(nl.rtnexthop(2, [a(nl.RTA_GATEWAY, "fe80::1")]),
                                    nl.rtnexthop(3, [a(nl.RTA_GATEWAY, "fe80::2")])),
                       family=nl.AF_INET6, protocol=nl.RTPROT_STATIC)
    assert parse(payload)["nexthops"] == [hop("fe80::1", 2), hop("fe80::2", 3)]


def test_multipath_wins_over_single_path_attributes():
    payload = nl.route(a(nl.RTA_GATEWAY, "192.0.2.99"), oif(9),
                       nl.multipath(nl.rtnexthop(2, [a(nl.RTA_GATEWAY, "192.0.2.1")])))
    got = parse(payload)
    assert (got["gateway"], got["interface"], got["nexthops"]) == ("192.0.2.99", 9, [hop("192.0.2.1", 2)])


def test_multipath_on_a_blackhole_type_is_still_read():
    payload = nl.route(nl.multipath(nl.rtnexthop(2)), rtype=nl.RTN_BLACKHOLE)
    assert parse(payload)["nexthops"] == [hop(None, 2)]


def test_multipath_empty():
    assert parse(nl.route(nl.multipath()))["nexthops"] == []


@pytest.mark.parametrize("pad", [1, 4, 7])
def test_multipath_short_tail_is_ignored(pad):
    payload = nl.route(nl.attr(nl.RTA_MULTIPATH, nl.rtnexthop(2) + b"\0" * pad))
    assert parse(payload)["nexthops"] == [hop(None, 2)]


@pytest.mark.parametrize("length", [0, 7, 17, 400])
def test_multipath_bad_rtnexthop_length(length):
    payload = nl.route(nl.multipath(nl.rtnexthop(2, [a(nl.RTA_GATEWAY, "192.0.2.1")], length=length)))
    with pytest.raises(ParseError):
        parse(payload)


@pytest.mark.parametrize("family, raw", [(nl.AF_INET, b"\x0a\0\0"), (nl.AF_INET, nl.ip("fe80::1")),
                                         (nl.AF_INET6, nl.ip("10.0.0.1")), (nl.AF_INET, b"")])
def test_multipath_malformed_gateway(family, raw):
    payload = nl.route(nl.multipath(nl.rtnexthop(2), nl.rtnexthop(3, [nl.attr(nl.RTA_GATEWAY, raw)])),
                       family=family)
    with pytest.raises(ParseError):
        parse(payload)


def test_multipath_hop_attributes_malformed():
    payload = nl.route(nl.multipath(nl.rtnexthop(2, [nl.attr(nl.RTA_GATEWAY, b"\0" * 4, length=30)])))
    with pytest.raises(ParseError):
        parse(payload)


# --- truncation and fuzzing ----------------------------------------------------------------------

SAMPLES = [
    nl.route(table(254), prio(100), a(nl.RTA_GATEWAY, "192.0.2.1"), oif(2), protocol=nl.RTPROT_DHCP),
    nl.route(table(254), a(nl.RTA_DST, "2001:db8:5::"), a(nl.RTA_SRC, "2001:db8:99::"), prio(1024),
             nl.multipath(nl.rtnexthop(2, [a(nl.RTA_GATEWAY, "fe80::1")], weight=3),
                          nl.rtnexthop(3, [a(nl.RTA_GATEWAY, "fe80::2")], flags=nl.RTNH_F_DEAD)),
             nl.attr(nl.RTA_PREF, nl.u8(3)), family=nl.AF_INET6, dst_len=48, src_len=56),
    nl.route(nl.via(nl.AF_INET6, "fe80::1"), oif(2), nl.attr(nl.RTA_NH_ID, nl.u32(5))),
]


@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_every_truncation(sample):
    outcomes = truncations(parse_route, SAMPLES[sample])
    assert outcomes[-1] == parse(SAMPLES[sample])
    assert all(o[0] == "ParseError" for o in outcomes[:12])


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(data):
    try:
        rec = parse(data)
    except ParseError:
        return
    assert rec["family"] in (4, 6)


_PAYLOAD = (st.sampled_from([0, 1, 2, 4, 6, 16, 18]).flatmap(lambda n: st.binary(min_size=n, max_size=n))
            | st.binary(max_size=24))
_TYPES = st.sampled_from([1, 2, 4, 5, 6, 7, 15, 18, 20, 30]) | st.integers(0, 40)
_HOP = st.tuples(st.integers(0, 255), st.integers(1, 256), st.integers(-2, 9),
                 st.lists(st.tuples(st.sampled_from([5, 18, 11]), _PAYLOAD), max_size=2)).map(
    lambda h: nl.rtnexthop(h[2], [nl.attr(t, p) for t, p in h[3]], flags=h[0], weight=h[1]))
_ATTRS = st.lists(st.one_of(
    st.tuples(_TYPES, _PAYLOAD).map(lambda tp: nl.attr(*tp)),
    st.lists(_HOP, max_size=3).map(lambda hops: nl.multipath(*hops)),
), max_size=8).map(b"".join)


@FUZZ
@given(header=st.tuples(st.sampled_from([nl.AF_INET, nl.AF_INET6]) | st.integers(0, 255),
                        st.integers(0, 255), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
                        st.integers(0, 255), st.integers(0, 255), st.integers(0, 15), st.integers(0, 2 ** 32 - 1)),
       body=_ATTRS)
def test_structured_fuzz(header, body):
    payload = nl.RTMSG.pack(*header) + body
    try:
        rec = parse(payload)
    except ParseError:
        return
    assert rec["tos"] == header[3]
    bits = 32 if rec["family"] == 4 else 128
    assert header[1] <= bits and header[2] <= bits
    assert rec["destination"].endswith("/%d" % header[1])
    assert rec["source"] is None if not header[2] else rec["source"].endswith("/%d" % header[2])
