# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.freebsd_netlink on fabricated FreeBSD-shaped messages (as freebsd-src's
sys/netlink/route/iface.c, rt.c and nexthop.c write them), one by one and as a whole snapshot
over a real ``netlink.Conn`` whose socket is a scripted fake kernel."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import struct

import pytest
from hypothesis import given, strategies as st

import nlbuild as nl
from fakes import FakeKernel, bounded, patch_socket, tables_ways

from netifs import backends, facts, freebsd_netlink as fb, linux, model, netlink, outbound, source_selection
from netifs.addresses import IFA_FLAG_NAMES, parse_address as linux_parse_address
from netifs.errors import ParseError
from netifs.links import parse_link as linux_parse_link

MAC = bytes.fromhex("5854009a0001")
ORIG_MAC = bytes.fromhex("5854009a00ff")
ETHER_FLAGS = (nl.FBSD_IFF_UP | nl.FBSD_IFF_BROADCAST | nl.FBSD_IFF_DRV_RUNNING | nl.FBSD_IFF_SIMPLEX
               | nl.FBSD_IFF_MULTICAST | nl.FBSD_IFF_LOWER_UP)


def a(atype, text):
    return nl.attr(atype, nl.ip(text))


def parsed(parse, payload):
    return parse(payload, 0, len(payload))


def em0(index=1, name="em0"):
    return nl.fbsd_link(index, name, nl.IFT_ETHER, ETHER_FLAGS, nl.attr(nl.IFLA_ADDRESS, MAC),
                        nl.attr(nl.IFLA_BROADCAST, b"\xff" * 6), nl.attr(nl.IFLA_MTU, nl.u32(1500)),
                        nl.attr(nl.IFLA_IFALIAS, nl.cstr("uplink")),
                        nl.nested(nl.IFLA_FREEBSD, nl.attr(nl.IFLAF_ORIG_HWADDR, ORIG_MAC)))


def lo0(index=2):
    return nl.fbsd_link(index, "lo0", nl.IFT_LOOP, nl.FBSD_IFF_UP | nl.FBSD_IFF_LOOPBACK | nl.FBSD_IFF_DRV_RUNNING
                        | nl.FBSD_IFF_MULTICAST | nl.FBSD_IFF_LOWER_UP, nl.attr(nl.IFLA_MTU, nl.u32(16384)))


# --- links ---------------------------------------------------------------------------------------

def test_link_type_flags_and_original_mac():
    rec = parsed(fb.parse_link, em0())
    assert (rec["name"], rec["type"], rec["mac"], rec["permanent_mac"], rec["mtu"], rec["alias"]) == (
        "em0", "ether", "58:54:00:9a:00:01", "58:54:00:9a:00:ff", 1500, "uplink")
    assert rec["flags"] == ["up", "broadcast", "running", "simplex", "multicast", "lower_up"]
    assert (rec["oper_state"], rec["carrier"]) == ("up", True)
    # The Linux reading of the same header is wrong, which is why it is re-read.
    linux_rec = parsed(linux_parse_link, em0())
    assert (linux_rec["type"], linux_rec["flags"]) == ("ieee802", ["up", "broadcast", "running", "slave", "dynamic"])


def test_link_loopback():
    rec = parsed(fb.parse_link, lo0())
    assert (rec["type"], rec["flags"], rec["mac"], rec["permanent_mac"]) == (
        "loopback", ["up", "loopback", "running", "multicast", "lower_up"], None, None)


def test_link_attributes_freebsd_does_not_send_are_null():
    rec = parsed(fb.parse_link, em0())
    assert (rec["min_mtu"], rec["max_mtu"], rec["master_index"], rec["link_index"], rec["link_netnsid"]) == (
        None, None, None, None, None)
    assert (rec["kind"], rec["kind_data"], rec["slave_kind"], rec["altnames"]) == (None, {}, None, [])


def test_link_stats_has_freebsds_24_counters():
    stats = parsed(fb.parse_link, em0())["stats"]
    assert len(stats) == 24
    assert (stats["rx_packets"], stats["multicast"], stats["rx_nohandler"]) == (0, 8, 23)
    assert "rx_otherhost_dropped" not in stats


@pytest.mark.parametrize("ift, name", [(nl.IFT_L2VLAN, "l2vlan"), (nl.IFT_BRIDGE, "bridge"), (nl.IFT_GIF, "gif"),
                                       (nl.IFT_PFLOG, "pflog"), (nl.IFT_OTHER, "other"), (0x99, "153")])
def test_link_types(ift, name):
    assert parsed(fb.parse_link, nl.fbsd_link(3, "x0", ift, 0))["type"] == name


def test_link_epoch_bit_is_not_a_flag():
    """0x20 meant IFF_KNOWSEPOCH in 13 and IFF_NEEDSEPOCH in 14: no name either way."""
    rec = parsed(fb.parse_link, nl.fbsd_link(3, "x0", nl.IFT_ETHER, nl.FBSD_IFF_NEEDSEPOCH | nl.FBSD_IFF_DRV_OACTIVE
                                             | nl.FBSD_IFF_MONITOR | nl.FBSD_IFF_LINK0))
    assert rec["flags"] == ["oactive", "link0", "monitor"]


def test_link_freebsd_block_without_original_mac():
    orig = nl.nested(nl.IFLA_FREEBSD, nl.attr(nl.IFLAF_ORIG_IFNAME, nl.cstr("re0")))
    payload = nl.fbsd_link(3, "x0", nl.IFT_ETHER, 0, orig)
    assert parsed(fb.parse_link, payload)["permanent_mac"] is None


# --- addresses -----------------------------------------------------------------------------------

def test_address_ipv4():
    payload = nl.fbsd_address(nl.AF_INET, 24, 1, "192.0.2.10", a(nl.IFA_BROADCAST, "192.0.2.255"))
    rec = parsed(fb.parse_address, payload)
    assert (rec["family"], rec["address"], rec["network"], rec["broadcast"], rec["label"], rec["flags"]) == (
        4, "192.0.2.10", "192.0.2.0/24", "192.0.2.255", "em0", [])


def test_address_ipv6_family_28():
    payload = nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "2001:db8::10")
    rec = parsed(fb.parse_address, payload)
    assert (rec["family"], rec["address"], rec["network"], rec["scope"], rec["peer"]) == (
        6, "2001:db8::10", "2001:db8::/64", "global", None)
    with pytest.raises(ParseError, match="address family 28"):
        parsed(linux_parse_address, payload)  # Linux's parser alone: 28 is not a family it knows


def test_address_link_local_ipv6_scope_is_deembedded():
    """iface.c sends the address through in6_splitscope: fe80::1, never fe80:1::1."""
    payload = nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "fe80::5a54:ff:fe9a:1", scope=nl.RT_SCOPE_LINK)
    rec = parsed(fb.parse_address, payload)
    assert (rec["address"], rec["scope"], rec["class"]) == ("fe80::5a54:ff:fe9a:1", "link", "link_local")


def test_address_ipv6_broadcast_is_dropped():
    payload = nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "2001:db8::10", a(nl.IFA_BROADCAST, "::"))
    assert parsed(fb.parse_address, payload)["broadcast"] is None


@pytest.mark.parametrize("in6, ifa, flags", [
    (0, 0, ["permanent"]),
    (nl.IN6_IFF_AUTOCONF, 0, []),
    (nl.IN6_IFF_AUTOCONF | nl.IN6_IFF_TEMPORARY, nl.IFA_F_TEMPORARY, ["temporary"]),
    (nl.IN6_IFF_DUPLICATED, 0, ["dadfailed", "permanent"]),
    (nl.IN6_IFF_TENTATIVE | nl.IN6_IFF_AUTOCONF, nl.IFA_F_TENTATIVE, ["tentative"]),
])
def test_address_ipv6_flags_from_the_freebsd_block(in6, ifa, flags):
    payload = nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "2001:db8::10",
                              nl.nested(nl.IFA_FREEBSD, nl.attr(nl.IFAF_FLAGS, nl.u32(in6))), ifa_flags=ifa)
    assert parsed(fb.parse_address, payload)["flags"] == flags


def test_address_ipv6_without_the_freebsd_block_keeps_ifa_flags():
    payload = nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "2001:db8::10", ifa_flags=nl.IFA_F_DEPRECATED)
    assert parsed(fb.parse_address, payload)["flags"] == ["deprecated"]


def test_address_ipv6_cacheinfo_lifetimes():
    payload = nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "2001:db8::20", nl.cacheinfo(1800, 3600))
    rec = parsed(fb.parse_address, payload)
    assert (rec["preferred_lifetime"], rec["valid_lifetime"]) == (1800, 3600)


def test_address_carp_vhid_is_ignored():
    vhid = nl.nested(nl.IFA_FREEBSD, nl.attr(nl.IFAF_VHID, nl.u32(3)))
    payload = nl.fbsd_address(nl.AF_INET, 24, 1, "192.0.2.11", vhid)
    assert parsed(fb.parse_address, payload)["address"] == "192.0.2.11"


# --- routes --------------------------------------------------------------------------------------

def nh_attrs(gateway=None, oif=1, knh=7, rtflags=nl.RTF_UP | nl.RTF_GATEWAY | nl.RTF_STATIC, *extra):
    """What dump_rc_nhop() adds: gateway, RTA_KNH_ID, RTA_RTFLAGS, extras, RTA_OIF."""
    out = [a(nl.RTA_GATEWAY, gateway)] if gateway else []
    return out + [nl.attr(nl.RTA_KNH_ID, nl.u32(knh)), nl.attr(nl.RTA_RTFLAGS, nl.u32(rtflags))] + list(extra) + [
        nl.attr(nl.RTA_OIF, nl.u32(oif))]


def test_default_route_ipv4_fib0_is_the_main_table():
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, *nh_attrs("192.0.2.1")))
    assert (rec["destination"], rec["table"], rec["gateway"], rec["interface"], rec["metric"], rec["protocol"]) == (
        "0.0.0.0/0", 254, "192.0.2.1", 1, 0, "static")
    assert rec["nexthops"] == [{"gateway": "192.0.2.1", "interface": 1, "weight": 1, "flags": []}]
    assert (rec["preferred_source"], rec["preference"], rec["nexthop_id"]) == (None, None, None)


def test_default_route_ipv6_family_28_link_local_gateway():
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.FBSD_AF_INET6, "::", 0, 0, *nh_attrs("fe80::1")))
    assert (rec["family"], rec["destination"], rec["table"], rec["gateway"]) == (6, "::/0", 254, "fe80::1")


def test_direct_route_has_no_gateway():
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.AF_INET, "192.0.2.0", 24, 0, *nh_attrs(rtflags=nl.RTF_UP)))
    assert (rec["destination"], rec["gateway"], rec["interface"]) == ("192.0.2.0/24", None, 1)


@pytest.mark.parametrize("fib, table", [(0, 254), (1, 1), (2, 2), (252, 252), (253, 65789), (254, 65790),
                                        (255, 65791), (300, 300)])
def test_fib_numbers(fib, table):
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, fib, *nh_attrs("192.0.2.1")))
    assert rec["table"] == table


def test_route_via_ipv6_gateway_for_ipv4():
    """RFC 5549: rt.c writes RTA_VIA with rtvia_family AF_INET6 (28)."""
    via = nl.attr(nl.RTA_VIA, struct.pack("=H", nl.FBSD_AF_INET6) + nl.ip("fe80::2"))
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, via, *nh_attrs()))
    assert rec["gateway"] == "fe80::2"


def test_multipath_weights_are_rtnh_hops_itself():
    hops = (nl.fbsd_rtnexthop(1, [a(nl.RTA_GATEWAY, "192.0.2.1")], weight=1)
            + nl.fbsd_rtnexthop(3, [a(nl.RTA_GATEWAY, "198.51.100.1")], weight=3))
    payload = nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, nl.attr(nl.RTA_KNH_ID, nl.u32(9)),
                            nl.attr(nl.RTA_RTFLAGS, nl.u32(nl.RTF_UP | nl.RTF_GATEWAY)),
                            nl.attr(nl.RTA_MULTIPATH, hops))
    rec = parsed(fb.parse_route, payload)
    assert [(h["gateway"], h["interface"], h["weight"]) for h in rec["nexthops"]] == [
        ("192.0.2.1", 1, 1), ("198.51.100.1", 3, 3)]
    assert (rec["gateway"], rec["interface"]) == (None, None)


def test_single_path_weight():
    attrs = nh_attrs("192.0.2.1", 1, 7, nl.RTF_UP, nl.attr(nl.RTA_WEIGHT, nl.u32(20)))
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, *attrs))
    assert rec["nexthops"][0]["weight"] == 20


def test_blackhole_route():
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.AF_INET, "203.0.113.0", 24, 0, *nh_attrs(oif=2),
                                               rtype=nl.RTN_BLACKHOLE))
    assert (rec["type"], rec["nexthops"]) == ("blackhole", [])


def test_two_defaults_fib0_wins_over_other_fibs():
    routes = [parsed(fb.parse_route, p) for p in (
        nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 1, *nh_attrs("198.51.100.1", 3)),
        nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, *nh_attrs("192.0.2.1", 1)),
        nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 254, *nh_attrs("203.0.113.1", 4)))]
    route, _hops = source_selection.match_route(routes, 4, int.from_bytes(bytes((8, 8, 8, 8)), "big"))
    assert route["nexthops"][0]["gateway"] == "192.0.2.1"


def test_route_names_a_user_nexthop_group():
    hops = nl.fbsd_rtnexthop(1, [a(nl.RTA_GATEWAY, "192.0.2.1")]) + nl.fbsd_rtnexthop(1, [a(nl.RTA_GATEWAY,
                                                                                          "192.0.2.2")])
    payload = nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, nl.attr(nl.RTA_NH_ID, nl.u32(100)),
                            nl.attr(nl.RTA_KNH_ID, nl.u32(12)), nl.attr(nl.RTA_MULTIPATH, hops))
    rec = parsed(fb.parse_route, payload)
    assert rec["nexthop_id"] == 100
    assert [h["weight"] for h in rec["nexthops"]] == [1, 1]


# --- nexthop objects -----------------------------------------------------------------------------

def test_nexthop_group_weights():
    payload = nl.fbsd_nexthop(100, group=[(101, 1), (102, 5)])
    assert parsed(fb.parse_nexthop, payload)["group"] == [(101, 1), (102, 5)]


def test_nexthop_ipv6_gateway_family_28():
    rec = parsed(fb.parse_nexthop, nl.fbsd_nexthop(101, nl.FBSD_AF_INET6, "fe80::1", oif=1))
    assert (rec["gateway"], rec["interface"], rec["group"]) == ("fe80::1", 1, None)


def test_nexthop_blackhole():
    rec = parsed(fb.parse_nexthop, nl.fbsd_nexthop(103, nl.FBSD_AF_LINK, blackhole=True))
    assert (rec["blackhole"], rec["gateway"]) == (True, None)


# --- properties of the translation ---------------------------------------------------------------

@given(st.integers(0, 0xFFFFFFFF))
def test_fib_translation_gives_linuxs_tables_to_fib0_only(fib):
    table = fb.table_of(fib)
    assert (table == 254) == (fib == 0)
    assert table not in (253, 255)
    assert table == fib or fib in (0, 253, 254, 255)


@given(st.lists(st.integers(0, 0xFFFFFFFF), min_size=2, max_size=2, unique=True))
def test_fib_translation_never_merges_two_fibs(pair):
    assert fb.table_of(pair[0]) != fb.table_of(pair[1])


@given(st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFF))
def test_link_flags_and_type(flags, ift):
    rec = parsed(fb.parse_link, nl.fbsd_link(5, "x0", ift, flags))
    names = dict((name, bit) for bit, name in fb.IFF_FLAGS)
    assert all(flags & names[name] for name in rec["flags"])
    assert ("multicast" in rec["flags"]) == bool(flags & 0x8000)
    assert ("lower_up" in rec["flags"]) == bool(flags & 0x1000000)
    assert isinstance(rec["type"], str) and rec["type"]


@given(st.lists(st.integers(1, 255), min_size=1, max_size=8))
def test_multipath_and_group_weights_round_trip(weights):
    hops = b"".join(nl.fbsd_rtnexthop(1, [a(nl.RTA_GATEWAY, "192.0.2.%d" % i)], weight=w)
                    for i, w in enumerate(weights))
    rec = parsed(fb.parse_route, nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, nl.attr(nl.RTA_MULTIPATH, hops)))
    assert [h["weight"] for h in rec["nexthops"]] == weights
    nh = parsed(fb.parse_nexthop, nl.fbsd_nexthop(99, group=[(i + 1, w) for i, w in enumerate(weights)]))
    assert [w for _id, w in nh["group"]] == weights


@given(st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF))
def test_ipv6_flags_are_linux_names_only(ifa, in6):
    payload = nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "2001:db8::10",
                              nl.nested(nl.IFA_FREEBSD, nl.attr(nl.IFAF_FLAGS, nl.u32(in6))), ifa_flags=ifa)
    flags = parsed(fb.parse_address, payload)["flags"]
    assert ("dadfailed" in flags) == bool(ifa & nl.IFA_F_DADFAILED or in6 & nl.IN6_IFF_DUPLICATED)
    assert set(flags) <= set(name for _bit, name in IFA_FLAG_NAMES[6])


# --- a whole snapshot over a fake kernel ---------------------------------------------------------

LINKS = (nl.RTM_GETLINK, 0)
ADDRS = (nl.RTM_GETADDR, 0)
ROUTES4 = (nl.RTM_GETROUTE, nl.AF_INET)
ROUTES6 = (nl.RTM_GETROUTE, nl.FBSD_AF_INET6)
NEXTHOPS = (nl.RTM_GETNEXTHOP, 0)
NEED_ALL = frozenset(("addresses", "routes", "multicast", "stats"))


def kernel():
    k = FakeKernel()
    k.dumps[LINKS] = [(nl.RTM_NEWLINK, p) for p in (em0(), lo0())]
    k.dumps[ADDRS] = [(nl.RTM_NEWADDR, p) for p in (
        nl.fbsd_address(nl.AF_INET, 24, 1, "192.0.2.10", a(nl.IFA_BROADCAST, "192.0.2.255")),
        nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "2001:db8::10"),
        nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "fe80::5a54:ff:fe9a:1", scope=nl.RT_SCOPE_LINK),
        nl.fbsd_address(nl.AF_INET, 8, 2, "127.0.0.1", scope=nl.RT_SCOPE_HOST))]
    k.dumps[ROUTES4] = [(nl.RTM_NEWROUTE, p) for p in (
        nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, nl.attr(nl.RTA_NH_ID, nl.u32(100)),
                      nl.attr(nl.RTA_MULTIPATH, nl.fbsd_rtnexthop(1, [a(nl.RTA_GATEWAY, "192.0.2.1")])
                              + nl.fbsd_rtnexthop(1, [a(nl.RTA_GATEWAY, "192.0.2.2")], weight=3))),
        nl.fbsd_route(nl.AF_INET, "192.0.2.0", 24, 0, *nh_attrs(rtflags=nl.RTF_UP)),
        nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 1, *nh_attrs("198.51.100.1")))]
    k.dumps[ROUTES6] = [(nl.RTM_NEWROUTE, nl.fbsd_route(nl.FBSD_AF_INET6, "::", 0, 0, *nh_attrs("fe80::1")))]
    k.dumps[NEXTHOPS] = [(nl.RTM_NEWNEXTHOP, p) for p in (
        nl.fbsd_nexthop(101, gateway="192.0.2.1", oif=1), nl.fbsd_nexthop(102, gateway="192.0.2.2", oif=1),
        nl.fbsd_nexthop(100, group=[(101, 1), (102, 3)]))]
    return k


def snapshot(need, build=lambda snap, lenient: snap, attempts=linux.ATTEMPTS):
    """One snapshot with Linux's retries over ``fb.open_conn()``, as backends.FreeBSDNetlink takes it."""
    with fb.open_conn() as conn:
        return linux.snapshot(conn, need, build, attempts, take=fb.take)


@pytest.fixture
def freebsd_conn(monkeypatch):
    """What ``fb.open_conn`` opens is the fake kernel's socket (a Python without FreeBSD's sockaddr_nl)."""
    k = kernel()
    sock = k.socket()
    return k, sock, patch_socket(monkeypatch, sock)


def test_snapshot_over_a_fake_kernel(freebsd_conn):
    k, sock, created = freebsd_conn
    snap = bounded(lambda: snapshot(NEED_ALL))
    assert created == [(nl.FBSD_AF_NETLINK, netlink.socket.SOCK_RAW, 0)]
    assert sock.bound is None and {addr for _data, addr in sock.sent} == {None}
    assert set(sock.recv_flags) == {0}
    assert k.requests == [LINKS, ADDRS, ROUTES4, ROUTES6, NEXTHOPS]
    assert k.payloads[0] == struct.pack("=BxHiII", 0, 0, 0, 0, 0)  # a bare ifinfomsg
    assert snap.missing == [{"subset": "multicast", "family": f, "reason": fb.MULTICAST_MISSING} for f in (4, 6)]
    assert (snap.warnings, snap.multicast) == ([], [])
    assert [link["name"] for link in snap.links] == ["em0", "lo0"]
    assert sorted(snap.nexthops) == [100, 101, 102]
    assert sock.closed

    resolver = model.Resolver(snap.links, False, snap.warnings)
    ifaces = model.interfaces(snap, resolver)
    routes = model.routes(snap, resolver)
    assert [(x["address"], x["zone"]) for x in ifaces["em0"]["addresses"]] == [
        ("192.0.2.10", None), ("2001:db8::10", None), ("fe80::5a54:ff:fe9a:1", "em0")]
    assert sorted(r["table"] for r in routes) == [1, 254, 254, 254]
    ways, ifaces = tables_ways(bounded(lambda: snapshot(NEED_ALL)), {4: "192.0.2.10", 6: "2001:db8::10"})
    assert [(h["gateway"], h["interface"], h["weight"]) for h in ways[4]["route"]["nexthops"]] == [
        ("192.0.2.1", "em0", 1), ("192.0.2.2", "em0", 3)]
    assert [h["gateway"] for h in ways[6]["route"]["nexthops"]] == ["fe80::1"]
    assert outbound.best_local(ways[4], ifaces) == [{"address": "192.0.2.10", "prefixlen": 24, "interface": "em0"}]
    assert outbound.best_local(ways[6], ifaces) == [{"address": "2001:db8::10", "prefixlen": 64, "interface": "em0"}]


def test_snapshot_without_routes_asks_for_no_nexthops(freebsd_conn):
    k, _sock, _conn = freebsd_conn
    snap = bounded(lambda: snapshot(frozenset(["addresses"])))
    assert k.requests == [LINKS, ADDRS]
    assert (snap.routes, snap.nexthops, snap.missing) == ([], None, [])


def test_snapshot_with_build_retries_like_linux(freebsd_conn):
    calls = []

    def build(snap, lenient):
        calls.append(lenient)
        return len(snap.links)
    assert bounded(lambda: snapshot(frozenset(), build=build, attempts=3)) == 2
    assert calls == [False]


def test_snapshot_rules_are_missing(freebsd_conn):
    """FreeBSD's rtnetlink has no RTM_GETRULE: nothing is asked, and the reason is given once."""
    k, _sock, _conn = freebsd_conn
    snap = bounded(lambda: snapshot(frozenset(["rules"])))
    assert k.requests == [LINKS]
    assert (snap.rules, snap.missing) == ([], [{"subset": "rules", "family": None, "reason": fb.RULES_MISSING}])


def test_snapshot_denied_addresses_are_missing(freebsd_conn):
    k, _sock, _conn = freebsd_conn
    k.errors[ADDRS] = errno.EPERM
    snap = bounded(lambda: snapshot(frozenset(["addresses"])))
    assert [(m["subset"], m["family"]) for m in snap.missing] == [("addresses", None)]


def test_snapshot_cannot_open_netlink(monkeypatch):
    """Before 13.2, or without netlink loaded: OSError, for the caller to fall back to the routing socket."""
    def refuse(*args):
        raise OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol family")
    patch_socket(monkeypatch, None, factory=refuse)
    with pytest.raises(OSError) as info:
        backends.FreeBSDNetlink(NEED_ALL)
    assert info.value.errno == errno.EAFNOSUPPORT


def test_open_conn_binds_when_python_packs_sockaddr_nl(monkeypatch):
    """Python 3.13+ on FreeBSD has socket.AF_NETLINK == 38 and packs (pid, groups)."""
    sock = kernel().socket()
    patch_socket(monkeypatch, sock)
    monkeypatch.setattr(fb.socket, "AF_NETLINK", nl.FBSD_AF_NETLINK, raising=False)
    conn = fb.open_conn()
    assert (sock.bound, conn.address, conn.recv_flags) == ((0, 0), (0, 0), 0)


def test_dialect_skips_no_table():
    assert fb.FREEBSD.skip_route is None
    assert linux.LINUX.families == ((netlink.socket.AF_INET, 4), (netlink.socket.AF_INET6, 6))


# --- route lookups (RTM_GETROUTE for one destination) ----------------------------------------------

def freebsd_lookup(payload):
    """FreeBSD's handle_rtm_getroute over the fake kernel's table: fib 0's longest match, as
    dump_px() writes it with the one next hop picked of the default route's group; ESRCH for
    none. 203.0.113.0/24 is a blackhole, 10.0.0.0/8 names a user nexthop object."""
    family, dst_len = payload[0], payload[1]
    dst = payload[nl.RTMSG.size + 4:nl.RTMSG.size + 4 + dst_len // 8]  # RTA_DST, the request's one attribute
    assert dst_len == (32 if family == nl.AF_INET else 128)
    if family == nl.FBSD_AF_INET6:
        return nl.RTM_NEWROUTE, nl.fbsd_route(family, "::", 0, 0, *nh_attrs("fe80::1"))
    if dst[0] == 203:
        return nl.RTM_NEWROUTE, nl.fbsd_route(family, "203.0.113.0", 24, 0, *nh_attrs(oif=2), rtype=nl.RTN_BLACKHOLE)
    if dst[0] == 10:
        attrs = nh_attrs("192.0.2.9", 1, 7, nl.RTF_UP | nl.RTF_GATEWAY, nl.attr(nl.RTA_NH_ID, nl.u32(101)))
        return nl.RTM_NEWROUTE, nl.fbsd_route(family, "10.0.0.0", 8, 0, *attrs)
    if dst[0] == 198:
        return errno.ESRCH
    return nl.RTM_NEWROUTE, nl.fbsd_route(family, "0.0.0.0", 0, 0, *nh_attrs("192.0.2.2"))


def scripted_udp(monkeypatch):
    asked = []

    def lookup(self, family, packed, oif):
        asked.append((family, oif))
        return {"preferred_source": "192.0.2.10" if family == 4 else "2001:db8::10", "interface": 1,
                "gateway": None, "table": None, "type": None}
    monkeypatch.setattr(backends.UdpLookup, "lookup", lookup)
    return asked


@pytest.fixture
def lookup_conn(freebsd_conn):
    k, sock, created = freebsd_conn
    k.lookup = freebsd_lookup
    return k, sock, created


def test_route_get_asks_fib0_with_freebsds_family(lookup_conn):
    k, _sock, _created = lookup_conn
    with fb.open_conn() as conn:
        v4 = bounded(lambda: fb.route_get(conn, 4, bytes((8, 8, 8, 8))))
        v6 = bounded(lambda: fb.route_get(conn, 6, bytes(15) + b"\1"))
        with pytest.raises(OSError, match=r"RTM_GETROUTE 198\.51\.100\.7: no route \(ESRCH\)") as caught:
            bounded(lambda: fb.route_get(conn, 4, bytes((198, 51, 100, 7))))
    assert caught.value.errno == errno.ESRCH
    assert k.requests == [(nl.RTM_GETROUTE, nl.AF_INET), (nl.RTM_GETROUTE, nl.FBSD_AF_INET6), (nl.RTM_GETROUTE, nl.AF_INET)]
    assert [p[:2] for p in k.payloads] == [bytes((nl.AF_INET, 32)), bytes((nl.FBSD_AF_INET6, 128)), bytes((nl.AF_INET, 32))]
    assert (v4["destination"], v4["table"], v4["gateway"], v4["interface"]) == ("0.0.0.0/0", 254, "192.0.2.2", 1)
    assert (v6["family"], v6["gateway"]) == (6, "fe80::1")


def test_route_get_other_refusals_stay_netlink_errors(lookup_conn):
    k, _sock, _created = lookup_conn
    k.lookup = lambda payload: errno.EAFNOSUPPORT
    with fb.open_conn() as conn:
        with pytest.raises(netlink.NetlinkError) as caught:
            bounded(lambda: fb.route_get(conn, 4, bytes((8, 8, 8, 8))))
    assert caught.value.errno == errno.EAFNOSUPPORT


def test_the_backends_lookup_and_match(lookup_conn, monkeypatch):
    """The route, gateway, interface and table from the kernel, the source from a UDP socket; match
    the route the lookup found (not asked again); a blackhole is no way out; a route naming a
    nexthop object, and a lookup through an interface, are left to the tables and the UDP socket."""
    k, _sock, _created = lookup_conn
    asked = scripted_udp(monkeypatch)
    with backends.FreeBSDNetlink(frozenset(["addresses", "routes", "outbound"])) as backend:
        eight = bytes((8, 8, 8, 8))
        assert bounded(lambda: backend.lookup(4, eight, None)) == {
            "preferred_source": "192.0.2.10", "interface": 1, "gateway": "192.0.2.2", "table": 254, "type": "unicast"}
        route, objects = backend.match(4, eight)
        assert (route["destination"], route["nexthops"][0]["gateway"], objects) == ("0.0.0.0/0", "192.0.2.2", None)
        assert k.requests.count((nl.RTM_GETROUTE, nl.AF_INET)) == 1
        assert bounded(lambda: backend.lookup(4, bytes((203, 0, 113, 5)), None)) == {
            "preferred_source": None, "interface": None, "gateway": None, "table": 254, "type": "blackhole"}
        assert asked == [(4, None)]
        assert bounded(lambda: backend.lookup(4, bytes((10, 1, 2, 3)), None))["gateway"] == "192.0.2.9"
        assert backend.match(4, bytes((10, 1, 2, 3))) is None
        assert backend.lookup(6, bytes(15) + b"\1", 1)["preferred_source"] == "2001:db8::10"
        assert asked[-1] == (6, 1) and k.requests.count((nl.RTM_GETROUTE, nl.FBSD_AF_INET6)) == 0


def test_the_chooser_gathers_a_freebsd_host_through_it(lookup_conn, monkeypatch):
    """facts.gather on FreeBSD: freebsd_rtnetlink first; each probe asked with RTM_GETROUTE, the
    route it matched the kernel's (nothing from the tables, nothing missing), the sources a
    connected UDP socket's (scripted here)."""
    monkeypatch.setattr(backends.sys, "platform", "freebsd14")
    asked = scripted_udp(monkeypatch)
    got = bounded(lambda: facts.gather(["interfaces", "addresses", "routes", "gateways", "best_local"],
                                       destinations=["198.51.100.7", "192.0.2.77"]))
    assert (got["backend"], got["warnings"], got["missing"]) == ("freebsd_rtnetlink", [], [])
    assert sorted(got["interfaces"]) == ["em0", "lo0"]
    v4 = got["default_ipv4"]
    assert (v4["address"], v4["gateway"], v4["interface"], v4["route"]["destination"]) == (
        "192.0.2.10", "192.0.2.2", "em0", "0.0.0.0/0")
    assert got["best_local"]["ipv4"][0]["address"] == "192.0.2.10"
    # The dump's fib-0 default (a group of 192.0.2.1 and .2) is the route the lookups matched.
    assert sorted((g["address"], g["table"], g["default"]) for g in got["gateways"] if g["family"] == 4) == [
        ("192.0.2.1", 254, True), ("192.0.2.2", 254, True), ("198.51.100.1", 1, False)]
    assert got["sources"][0]["error"] == "[Errno 3] RTM_GETROUTE 198.51.100.7: no route (ESRCH)"
    assert (got["sources"][1]["source"], got["sources"][1]["gateway"]) == ("192.0.2.10", "192.0.2.2")
    assert asked.count((4, None)) == 6 and asked.count((6, None)) == 5  # the probes, then one destination
