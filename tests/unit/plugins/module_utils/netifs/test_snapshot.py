# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.linux (snapshot retakes, errno handling, multicast fallback, malformed
messages) and facts.gather, over a real ``netlink.Conn`` whose socket is a scripted fake kernel."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import os
import struct

import pytest

import nlbuild as nl
from fakes import FakeKernel, bounded, make_conn

from netifs import backends, facts, linux, model, outbound
from netifs.addresses import address_record, parse_address
from netifs.links import stub_link
from netifs.snapshot import Snapshot
from netifs.errors import DumpInterrupted, NetlinkError, ParseError, TornSnapshot
from netifs.routes import is_local_table, parse_route
from netifs.rules import parse_rule

NEED_ALL = frozenset(("addresses", "routes", "multicast", "stats"))
LINKS = (nl.RTM_GETLINK, 0)
ADDRS = (nl.RTM_GETADDR, 0)
ROUTES4 = (nl.RTM_GETROUTE, nl.AF_INET)
ROUTES6 = (nl.RTM_GETROUTE, nl.AF_INET6)
NEXTHOPS = (nl.RTM_GETNEXTHOP, 0)
MCAST4 = (nl.RTM_GETMULTICAST, nl.AF_INET)
MCAST6 = (nl.RTM_GETMULTICAST, nl.AF_INET6)
RULES4 = (nl.RTM_GETRULE, nl.AF_INET)
RULES6 = (nl.RTM_GETRULE, nl.AF_INET6)
MAC = bytes.fromhex("525400abcdef")


def a(atype, text):
    return nl.attr(atype, nl.ip(text))


def lo():
    return nl.link(1, "lo", nl.attr(nl.IFLA_MTU, nl.u32(65536)), nl.attr(nl.IFLA_OPERSTATE, nl.u8(0)),
                   arphrd=nl.ARPHRD_LOOPBACK, flags=nl.IFF_UP | nl.IFF_LOOPBACK | nl.IFF_RUNNING)


def eth(index=2, name="eth0"):
    return nl.link(index, name, nl.attr(nl.IFLA_MTU, nl.u32(1500)), nl.attr(nl.IFLA_ADDRESS, MAC),
                   nl.attr(nl.IFLA_OPERSTATE, nl.u8(6)), nl.stats64(range(25)),
                   flags=nl.IFF_UP | nl.IFF_BROADCAST | nl.IFF_RUNNING | nl.IFF_MULTICAST)


ADDRESSES = [
    nl.address(nl.AF_INET, 8, 1, a(nl.IFA_ADDRESS, "127.0.0.1"), a(nl.IFA_LOCAL, "127.0.0.1"),
               scope=nl.RT_SCOPE_HOST),
    nl.address(nl.AF_INET, 24, 2, a(nl.IFA_ADDRESS, "192.0.2.10"), a(nl.IFA_LOCAL, "192.0.2.10"),
               a(nl.IFA_BROADCAST, "192.0.2.255"), nl.attr(nl.IFA_LABEL, nl.cstr("eth0"))),
    nl.address(nl.AF_INET6, 64, 2, a(nl.IFA_ADDRESS, "2001:db8::10"), nl.cacheinfo(3600, 7200)),
    nl.address(nl.AF_INET6, 64, 2, a(nl.IFA_ADDRESS, "fe80::5054:ff:feab:cdef"), scope=nl.RT_SCOPE_LINK),
]
ROUTES_V4 = [
    nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), nl.attr(nl.RTA_PRIORITY, nl.u32(100)),
             a(nl.RTA_GATEWAY, "192.0.2.1"), nl.attr(nl.RTA_OIF, nl.u32(2)), protocol=nl.RTPROT_DHCP),
    nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), a(nl.RTA_DST, "192.0.2.0"), a(nl.RTA_PREFSRC, "192.0.2.10"),
             nl.attr(nl.RTA_OIF, nl.u32(2)), dst_len=24, protocol=nl.RTPROT_KERNEL, scope=nl.RT_SCOPE_LINK),
    # the local table: never collected
    nl.route(nl.attr(nl.RTA_TABLE, nl.u32(255)), a(nl.RTA_DST, "127.0.0.1"), nl.attr(nl.RTA_OIF, nl.u32(1)),
             dst_len=32, table=nl.RT_TABLE_LOCAL, rtype=nl.RTN_LOCAL, scope=nl.RT_SCOPE_HOST,
             protocol=nl.RTPROT_KERNEL),
]
ROUTES_V6 = [
    nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), a(nl.RTA_DST, "2001:db8::"), nl.attr(nl.RTA_PRIORITY, nl.u32(256)),
             nl.attr(nl.RTA_OIF, nl.u32(2)), nl.attr(nl.RTA_PREF, nl.u8(0)), family=nl.AF_INET6, dst_len=64,
             protocol=nl.RTPROT_KERNEL),
    nl.route(nl.attr(nl.RTA_TABLE, nl.u32(255)), a(nl.RTA_DST, "2001:db8::10"), nl.attr(nl.RTA_OIF, nl.u32(2)),
             family=nl.AF_INET6, dst_len=128, table=nl.RT_TABLE_LOCAL, rtype=nl.RTN_LOCAL),
    nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), a(nl.RTA_GATEWAY, "fe80::1"), nl.attr(nl.RTA_PRIORITY, nl.u32(1024)),
             nl.attr(nl.RTA_OIF, nl.u32(2)), nl.attr(nl.RTA_PREF, nl.u8(1)), family=nl.AF_INET6,
             protocol=nl.RTPROT_RA),
]
MULTICAST_V4 = [nl.multicast(nl.AF_INET, 1, "224.0.0.1"), nl.multicast(nl.AF_INET, 2, "224.0.0.1"),
                nl.multicast(nl.AF_INET, 2, "224.0.0.251")]
MULTICAST_V6 = [nl.multicast(nl.AF_INET6, 2, "ff02::1"), nl.multicast(nl.AF_INET6, 2, "ff02::1:ffab:cdef")]
RULES_V4 = [nl.kernel_rule(0, nl.RT_TABLE_LOCAL, protocol=nl.RTPROT_KERNEL),
            nl.kernel_rule(100, 100, a(nl.FRA_SRC, "10.1.0.0"), src_len=16),
            nl.kernel_rule(32766, nl.RT_TABLE_MAIN, protocol=nl.RTPROT_KERNEL)]
RULES_V6 = [nl.kernel_rule(0, nl.RT_TABLE_LOCAL, protocol=nl.RTPROT_KERNEL, family=nl.AF_INET6),
            nl.kernel_rule(32766, nl.RT_TABLE_MAIN, protocol=nl.RTPROT_KERNEL, family=nl.AF_INET6)]


def kernel(per_datagram=2):
    k = FakeKernel(per_datagram=per_datagram)
    k.dumps[LINKS] = [(nl.RTM_NEWLINK, p) for p in (lo(), eth())]
    k.dumps[ADDRS] = [(nl.RTM_NEWADDR, p) for p in ADDRESSES]
    k.dumps[ROUTES4] = [(nl.RTM_NEWROUTE, p) for p in ROUTES_V4]
    k.dumps[ROUTES6] = [(nl.RTM_NEWROUTE, p) for p in ROUTES_V6]
    # multicast replies carry RTM_GETMULTICAST as their type
    k.dumps[MCAST4] = [(nl.RTM_GETMULTICAST, p) for p in MULTICAST_V4]
    k.dumps[MCAST6] = [(nl.RTM_GETMULTICAST, p) for p in MULTICAST_V6]
    k.dumps[RULES4] = [(nl.RTM_NEWRULE, p) for p in RULES_V4]
    k.dumps[RULES6] = [(nl.RTM_NEWRULE, p) for p in RULES_V6]
    return k


RTM_F_FIB_MATCH = 0x2000  # linux/rtnetlink.h


def route_lookup(payload):
    """The fake kernel's answer to an RTM_GETROUTE request: under RTM_F_FIB_MATCH the default
    route of the dump; otherwise that route's flow, from the host's one global address."""
    family, flags = payload[0], struct.unpack_from("=I", payload, 8)[0]
    default = ROUTES_V4[0] if family == nl.AF_INET else ROUTES_V6[2]
    if flags & RTM_F_FIB_MATCH:
        return nl.RTM_NEWROUTE, default
    dst = payload[nl.RTMSG.size + 4:]  # RTA_DST, the only attribute of a probe
    src, gateway = ("192.0.2.10", "192.0.2.1") if family == nl.AF_INET else ("2001:db8::10", "fe80::1")
    return nl.RTM_NEWROUTE, nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), nl.attr(nl.RTA_DST, dst),
                                     a(nl.RTA_GATEWAY, gateway), a(nl.RTA_PREFSRC, src), nl.attr(nl.RTA_OIF, nl.u32(2)),
                                     family=family, dst_len=len(dst) * 8)


def keep(snap, lenient):
    assert lenient is False  # only the last attempt is built leniently
    return snap


def take(monkeypatch, k, need=NEED_ALL, build=keep, **kw):
    conn = make_conn(monkeypatch, k.socket())
    return bounded(lambda: linux.snapshot(conn, need, build, **kw))


def resolver(snap, lenient=False):
    return model.Resolver(snap.links, lenient, snap.warnings)


def refused(code, subset="multicast"):
    """The ``missing`` reason of a dump the kernel refused with ``code``."""
    return "%s dump failed: [Errno %d] %s" % (subset, code, os.strerror(code))


def names(snap):
    return [link["name"] for link in snap.links]


def mc(index, address, family):
    return {"index": index, "address": address, "family": family}


def parsed_routes(payloads):
    return [parse_route(p, 0, len(p)) for p in payloads if p[4] != nl.RT_TABLE_LOCAL]


# --- a whole snapshot ----------------------------------------------------------------------------

def test_snapshot_collects_every_table(monkeypatch):
    k = kernel()
    snap = take(monkeypatch, k)
    assert names(snap) == ["lo", "eth0"]
    assert snap.links[1]["stats"]["tx_bytes"] == 3
    assert [(x["index"], x["address"], x["prefixlen"]) for x in snap.addresses] == [
        (1, "127.0.0.1", 8), (2, "192.0.2.10", 24), (2, "2001:db8::10", 64), (2, "fe80::5054:ff:feab:cdef", 64)]
    assert snap.addresses == [parse_address(p, 0, len(p)) for p in ADDRESSES]
    assert [(r["destination"], r["table"]) for r in snap.routes] == [
        ("0.0.0.0/0", 254), ("192.0.2.0/24", 254), ("2001:db8::/64", 254), ("::/0", 254)]
    assert snap.routes == parsed_routes(ROUTES_V4 + ROUTES_V6)
    assert snap.multicast == [mc(1, "224.0.0.1", 4), mc(2, "224.0.0.1", 4), mc(2, "224.0.0.251", 4),
                              mc(2, "ff02::1", 6), mc(2, "ff02::1:ffab:cdef", 6)]
    assert (snap.missing, snap.warnings) == ([], [])
    assert k.requests == [LINKS, ADDRS, ROUTES4, ROUTES6, MCAST4, MCAST6]  # no nexthop dump needed


def test_snapshot_links_only(monkeypatch):
    k = kernel()
    snap = take(monkeypatch, k, need=frozenset())
    assert names(snap) == ["lo", "eth0"]
    assert (snap.addresses, snap.routes, snap.multicast) == ([], [], [])
    assert k.requests == [LINKS]


@pytest.mark.parametrize("need, mask", [(frozenset(["stats"]), 0), (frozenset(), 8)])
def test_link_dump_asks_for_stats_only_when_needed(monkeypatch, need, mask):
    k = kernel()
    take(monkeypatch, k, need=need)
    assert k.payloads[0] == nl.ifinfomsg(index=0, arphrd=0) + nl.attr(nl.IFLA_EXT_MASK, nl.u32(mask))


def test_one_message_per_datagram_and_all_in_one(monkeypatch):
    for per in (1, 100):
        snap = take(monkeypatch, kernel(per_datagram=per))
        assert (len(snap.links), len(snap.addresses), len(snap.routes), len(snap.multicast)) == (2, 4, 4, 5)


def test_local_table_routes_are_skipped(monkeypatch):
    snap = take(monkeypatch, kernel(), need=frozenset(["routes"]))
    assert all(r["table"] != 255 and r["type"] != "local" for r in snap.routes)
    assert len(snap.routes) == 4


def test_rules_one_dump_per_family(monkeypatch):
    k = kernel()
    snap = take(monkeypatch, k, need=frozenset(["rules"]))
    assert k.requests == [LINKS, RULES4, RULES6]
    assert k.payloads[1:] == [nl.fib_rule_hdr(family=f, table=0, action=0) for f in (nl.AF_INET, nl.AF_INET6)]
    assert snap.rules == [parse_rule(p, 0, len(p)) for p in RULES_V4 + RULES_V6]
    assert [(r["family"], r["priority"], r["table"], r["from"]) for r in snap.rules] == [
        (4, 0, 255, None), (4, 100, 100, "10.1.0.0/16"), (4, 32766, 254, None), (6, 0, 255, None), (6, 32766, 254, None)]
    assert (snap.missing, snap.warnings) == ([], [])


def test_rules_only_when_needed(monkeypatch):
    k = kernel()
    snap = take(monkeypatch, k)
    assert RULES4 not in k.requests and snap.rules == []


def test_rules_denied_for_a_family_are_missing(monkeypatch):
    k = kernel()
    k.errors[RULES6] = errno.EACCES
    snap = take(monkeypatch, k, need=frozenset(["rules"]))
    assert [r["family"] for r in snap.rules] == [4, 4, 4]
    assert snap.missing == [{"subset": "rules", "family": 6, "reason": refused(errno.EACCES, "rules")}]


def test_rules_of_a_family_the_kernel_lacks_are_an_empty_answer(monkeypatch):
    k = kernel()
    k.errors[RULES6] = errno.EAFNOSUPPORT
    snap = take(monkeypatch, k, need=frozenset(["rules"]))
    assert ([r["family"] for r in snap.rules], snap.missing) == ([4, 4, 4], [])


def test_malformed_rule_is_skipped_with_a_warning(monkeypatch):
    k = kernel()
    k.dumps[RULES4] = [(nl.RTM_NEWRULE, RULES_V4[0]), (nl.RTM_NEWRULE, nl.rule(nl.attr(nl.FRA_PRIORITY, b"\1\2"))),
                       (nl.RTM_NEWRULE, RULES_V4[2])]
    snap = take(monkeypatch, k, need=frozenset(["rules"]))
    assert [(r["family"], r["priority"]) for r in snap.rules] == [(4, 0), (4, 32766), (6, 0), (6, 32766)]
    assert snap.warnings == ["skipped a malformed message: RTM_NEWRULE IPv4 at offset 16: FRA_PRIORITY of 2 bytes, not 4"]


# --- retakes -------------------------------------------------------------------------------------

def test_interrupted_dump_is_retaken(monkeypatch):
    k = kernel()
    k.interrupt[ADDRS] = 2
    built = []
    snap = take(monkeypatch, k, build=lambda s, lenient: built.append((s, lenient)) or s)
    assert built == [(snap, False)]
    assert len(snap.addresses) == 4
    assert k.calls[LINKS] == 3  # the whole snapshot, not just the torn dump
    assert k.calls[ADDRS] == 3


def test_interrupted_every_time(monkeypatch):
    k = kernel()
    k.interrupt[ROUTES6] = 1000
    with pytest.raises(DumpInterrupted) as info:
        take(monkeypatch, k)
    assert str(info.value) == ("the kernel's tables changed during each of 8 snapshots; netifs gave up "
                               "rather than report a torn view")
    assert linux.ATTEMPTS == 8
    assert k.calls[LINKS] == linux.ATTEMPTS


def test_attempts_parameter(monkeypatch):
    k = kernel()
    k.interrupt[LINKS] = 1000
    with pytest.raises(DumpInterrupted) as info:
        take(monkeypatch, k, attempts=2)
    assert "each of 2 snapshots" in str(info.value)
    assert k.calls[LINKS] == 2


def test_interrupt_flag_only_on_done_counts(monkeypatch):
    k = kernel()
    k.dumps[LINKS] = [(nl.RTM_NEWLINK, lo())]

    def respond(mtype, flags, seq, payload, raw, _orig=k.respond):
        out = _orig(mtype, flags, seq, payload, raw)
        if mtype == nl.RTM_GETLINK and k.calls[LINKS] == 1:  # flag only DONE of the first link dump
            out[-1] = out[-1][:-20] + nl.done(seq, flags=nl.NLM_F_MULTI | nl.NLM_F_DUMP_INTR)
        return out
    sock = k.socket()
    sock.responder = respond
    conn = make_conn(monkeypatch, sock)
    snap = linux.snapshot(conn, frozenset(), keep)
    assert names(snap) == ["lo"]
    assert k.calls[LINKS] == 2


def torn_build(snap, lenient):
    return model.interfaces(snap, resolver(snap, lenient))


def keeping_warnings(build, warnings):
    """``build``, and the snapshot's warnings (the model's included) put into ``warnings``."""
    def wrapped(snap, lenient):
        got = build(snap, lenient)
        warnings.extend(snap.warnings)
        return got
    return wrapped


def test_torn_snapshot_is_retaken(monkeypatch):
    """An address names ifindex 3, which the (earlier) link dump did not have: retake."""
    k = kernel()
    first, later = (lo(), eth()), (lo(), eth(), eth(3, "eth1"))
    k.dumps[LINKS] = lambda n: [(nl.RTM_NEWLINK, p) for p in (first if n == 0 else later)]
    k.dumps[ADDRS] = [(nl.RTM_NEWADDR, p) for p in ADDRESSES] + [
        (nl.RTM_NEWADDR, nl.address(nl.AF_INET, 24, 3, a(nl.IFA_LOCAL, "198.51.100.2")))]
    ifaces = take(monkeypatch, k, need=frozenset(["addresses"]), build=torn_build)
    assert sorted(ifaces) == ["eth0", "eth1", "lo"]
    assert [x["address"] for x in ifaces["eth1"]["addresses"]] == ["198.51.100.2"]
    assert k.calls[LINKS] == 2


def test_torn_every_time_drops_the_reference_on_the_last_attempt(monkeypatch):
    """An interface made after each link dump (a host whose tables never stand still): the last
    attempt keeps the snapshot as the link dump saw it, and says what it left out."""
    k = kernel()
    k.dumps[ADDRS] = [(nl.RTM_NEWADDR, nl.address(nl.AF_INET, 24, 9, a(nl.IFA_LOCAL, "198.51.100.2")))]
    warnings = []
    ifaces = take(monkeypatch, k, need=frozenset(["addresses"]), build=keeping_warnings(torn_build, warnings))
    assert k.calls[LINKS] == linux.ATTEMPTS
    assert sorted(ifaces) == ["eth0", "lo"] and all(i["addresses"] == [] for i in ifaces.values())
    assert warnings == ["dropped a reference: address 198.51.100.2 is on an interface the snapshot does not hold"]


def test_torn_snapshot_raised_by_build_directly(monkeypatch):
    k = kernel()
    attempts = []

    def build(snap, lenient):
        attempts.append(snap)
        assert lenient is False
        if len(attempts) < 3:
            raise TornSnapshot("test")
        return "done"
    assert take(monkeypatch, k, need=frozenset(), build=build) == "done"
    assert len(attempts) == 3 and attempts[0] is not attempts[1]


# --- nexthop objects -----------------------------------------------------------------------------

def nhid_route(nid, metric=0):
    return (nl.RTM_NEWROUTE, nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), nl.attr(nl.RTA_NH_ID, nl.u32(nid)),
                                      nl.attr(nl.RTA_PRIORITY, nl.u32(metric)), protocol=nl.RTPROT_STATIC))


def expand_build(snap, lenient):
    return model.routes(snap, resolver(snap, lenient))


NH_GROUP = [nl.nexthop(1, gateway="192.0.2.1", oif=2), nl.nexthop(2, family=nl.AF_INET6, gateway="fe80::2", oif=2),
            nl.nexthop(10, family=nl.AF_UNSPEC, group=[(1, 1), (2, 300)])]


def test_nexthop_objects_are_read_as_records(monkeypatch):
    from netifs.nexthops import parse_nexthop
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10)]
    k.dumps[ROUTES6] = []
    k.dumps[NEXTHOPS] = [(nl.RTM_NEWNEXTHOP, p) for p in NH_GROUP]
    snap = take(monkeypatch, k, need=frozenset(["routes"]))
    assert snap.routes[0]["nexthop_id"] == 10
    assert snap.routes[0]["nexthops"] == []  # the model expands them
    assert snap.nexthops == {nh["id"]: nh for nh in (parse_nexthop(p, 0, len(p)) for p in NH_GROUP)}
    assert sorted(snap.nexthops) == [1, 2, 10]
    assert k.requests == [LINKS, ROUTES4, ROUTES6, NEXTHOPS]
    assert k.payloads[-1] == nl.nhmsg(family=nl.AF_UNSPEC, scope=0, protocol=0)


def test_no_nexthop_dump_without_a_route_naming_one(monkeypatch):
    k = kernel()
    k.dumps[NEXTHOPS] = [(nl.RTM_NEWNEXTHOP, p) for p in NH_GROUP]
    snap = take(monkeypatch, k, need=frozenset(["routes"]))
    assert snap.nexthops is None
    assert NEXTHOPS not in k.requests


def test_nexthop_objects_are_expanded(monkeypatch):
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10)]
    k.dumps[ROUTES6] = []
    k.dumps[NEXTHOPS] = [(nl.RTM_NEWNEXTHOP, p) for p in NH_GROUP]
    routes = take(monkeypatch, k, need=frozenset(["routes"]), build=expand_build)
    assert routes[0]["nexthop_id"] == 10
    assert routes[0]["nexthops"] == [
        {"gateway": "192.0.2.1", "interface": "eth0", "weight": 1, "flags": []},
        {"gateway": "fe80::2", "interface": "eth0", "weight": 300, "flags": []}]
    assert k.calls[LINKS] == 1


def test_nexthop_member_missing_is_retaken(monkeypatch):
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10)]
    k.dumps[NEXTHOPS] = lambda n: [(nl.RTM_NEWNEXTHOP, p) for p in (
        ([] if n == 0 else [nl.nexthop(1, gateway="192.0.2.1", oif=2)])
        + [nl.nexthop(10, family=nl.AF_UNSPEC, group=[(1, 5)])])]
    routes = take(monkeypatch, k, need=frozenset(["routes"]), build=expand_build)
    assert routes[0]["nexthops"] == [{"gateway": "192.0.2.1", "interface": "eth0", "weight": 5, "flags": []}]
    assert k.calls[NEXTHOPS] == 2
    assert k.calls[LINKS] == 2


def test_nexthop_missing_every_time(monkeypatch):
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10)]
    k.dumps[NEXTHOPS] = [(nl.RTM_NEWNEXTHOP, nl.nexthop(10, family=nl.AF_UNSPEC, group=[(1, 5)]))]
    warnings = []
    routes = take(monkeypatch, k, need=frozenset(["routes"]), build=keeping_warnings(expand_build, warnings))
    assert k.calls[NEXTHOPS] == linux.ATTEMPTS
    assert (routes[0]["nexthop_id"], routes[0]["nexthops"]) == (10, [])
    assert warnings == ["dropped a reference: route 0.0.0.0/0: nexthop 1 of group 10 is gone"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EACCES])
def test_nexthop_dump_denied(monkeypatch, code):
    """The routes are reported, their nexthop objects are missing: not a torn snapshot."""
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10), (nl.RTM_NEWROUTE, ROUTES_V4[0])]
    k.errors[NEXTHOPS] = code
    snap = take(monkeypatch, k, need=frozenset(["routes"]))
    assert snap.nexthops is None
    assert snap.missing == [{"subset": "routes", "family": None,
                             "reason": "routes dump failed: [Errno %d] %s" % (code, os.strerror(code))}]
    routes = model.routes(snap, resolver(snap))
    assert [(r["nexthop_id"], r["nexthops"]) for r in routes[:2]] == [
        (10, []), (None, [{"gateway": "192.0.2.1", "interface": "eth0", "weight": 1, "flags": []}])]
    assert k.calls[LINKS] == 1
    assert snap.warnings == []


@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EAFNOSUPPORT])
def test_nexthop_dump_unsupported(monkeypatch, code):
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10)]
    k.errors[NEXTHOPS] = code
    snap = take(monkeypatch, k, need=frozenset(["routes"]))
    assert (snap.nexthops, snap.missing) == (None, [])
    assert model.routes(snap, resolver(snap))[0]["nexthops"] == []


def test_nexthop_dump_denied_in_gather(monkeypatch):
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10)]
    k.dumps[ROUTES6] = []
    k.errors[NEXTHOPS] = errno.EPERM
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["routes", "gateways"]))
    assert [(r["nexthop_id"], r["nexthops"]) for r in got["routes"]] == [(10, [])]
    assert got["gateways"] == []
    assert [m["subset"] for m in got["missing"]] == ["routes"]
    assert k.calls[LINKS] == 1


def bad_nexthop(nid=10):
    return nl.nhmsg() + nl.attr(nl.NHA_ID, nl.u32(nid)) + nl.attr(nl.NHA_GATEWAY, b"\1\2\3")


def test_lenient_on_the_last_attempt_with_warnings(monkeypatch):
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10)]
    k.dumps[NEXTHOPS] = [(nl.RTM_NEWNEXTHOP, bad_nexthop())]
    seen = []

    def build(snap, lenient):
        seen.append((len(snap.warnings), lenient))
        raise TornSnapshot("test")
    with pytest.raises(DumpInterrupted):
        take(monkeypatch, k, need=frozenset(["routes"]), build=build, attempts=3)
    assert seen == [(1, False), (1, False), (1, True)]


def test_lenient_on_the_last_attempt_only(monkeypatch):
    seen = []

    def build(snap, lenient):
        seen.append(lenient)
        raise TornSnapshot("test")
    with pytest.raises(DumpInterrupted):
        take(monkeypatch, kernel(), need=frozenset(["routes"]), build=build)
    assert seen == [False] * (linux.ATTEMPTS - 1) + [True]


def test_interrupted_on_the_last_attempt_is_never_built(monkeypatch):
    """A dump the kernel flags as torn is never used, not even leniently."""
    k = kernel()
    k.interrupt[ADDRS] = 1000
    built = []
    with pytest.raises(DumpInterrupted):
        take(monkeypatch, k, need=frozenset(["addresses"]), build=lambda s, lenient: built.append(s))
    assert built == [] and k.calls[ADDRS] == linux.ATTEMPTS


def test_malformed_nexthop_is_dropped_on_the_last_attempt(monkeypatch):
    """A skipped nexthop object that a route names: retaken ATTEMPTS-1 times (it might be a torn
    snapshot), then built leniently: the route keeps no hops and a warning says why."""
    k = kernel()
    k.dumps[ROUTES4] = [nhid_route(10), (nl.RTM_NEWROUTE, ROUTES_V4[0])]
    k.dumps[NEXTHOPS] = [(nl.RTM_NEWNEXTHOP, bad_nexthop())]
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["interfaces", "addresses", "routes"]))
    assert k.calls[LINKS] == linux.ATTEMPTS
    assert len(got["warnings"]) == 2
    assert got["warnings"][0].startswith("skipped a malformed message: RTM_NEWNEXTHOP id 10 at offset ")
    assert got["warnings"][0].endswith(": 3-byte address where IPv4 needs 4")
    assert got["warnings"][1] == "dropped a reference: route 0.0.0.0/0: nexthop 10 is gone"
    assert got["missing"] == []
    assert [(r["nexthop_id"], r["nexthops"]) for r in got["routes"][:2]] == [
        (10, []), (None, [{"gateway": "192.0.2.1", "interface": "eth0", "weight": 1, "flags": []}])]
    assert sorted(got["interfaces"]) == ["eth0", "lo"]


def test_malformed_link_is_dropped_on_the_last_attempt(monkeypatch):
    """A skipped link whose index addresses and routes name: retaken, then built leniently; a
    route and its hop naming the same index give one warning."""
    k = kernel()
    k.dumps[LINKS] = [(nl.RTM_NEWLINK, lo()), (nl.RTM_NEWLINK, nl.link(2, None, nl.attr(nl.IFLA_MTU, nl.u32(1))))]
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["interfaces", "addresses", "routes"]))
    assert k.calls[LINKS] == linux.ATTEMPTS
    assert got["warnings"] == [
        "skipped a malformed message: RTM_NEWLINK index 2 at offset 0: no IFLA_IFNAME",
        "dropped a reference: address 192.0.2.10 is on an interface the snapshot does not hold",
        "dropped a reference: address 2001:db8::10 is on an interface the snapshot does not hold",
        "dropped a reference: address fe80::5054:ff:feab:cdef is on an interface the snapshot does not hold",
        "dropped a reference: route 0.0.0.0/0 names interface index 2, which the snapshot does not hold",
        "dropped a reference: route 192.0.2.0/24 names interface index 2, which the snapshot does not hold",
        "dropped a reference: route 2001:db8::/64 names interface index 2, which the snapshot does not hold",
        "dropped a reference: route ::/0 names interface index 2, which the snapshot does not hold"]
    assert got["missing"] == []
    assert sorted(got["interfaces"]) == ["lo"]
    assert [x["address"] for x in got["interfaces"]["lo"]["addresses"]] == ["127.0.0.1"]
    assert got["all_ipv4_addresses"] == ["127.0.0.1"]
    assert [(r["destination"], r["interface"], [h["interface"] for h in r["nexthops"]]) for r in got["routes"]] == [
        ("0.0.0.0/0", None, [None]), ("192.0.2.0/24", None, [None]), ("2001:db8::/64", None, [None]),
        ("::/0", None, [None])]


def test_malformed_link_nobody_names_is_only_a_warning(monkeypatch):
    k = kernel()
    k.dumps[LINKS] = [(nl.RTM_NEWLINK, lo()), (nl.RTM_NEWLINK, eth()),
                      (nl.RTM_NEWLINK, nl.link(7, None, nl.attr(nl.IFLA_MTU, nl.u32(1))))]
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["interfaces", "addresses", "routes"]))
    assert k.calls[LINKS] == 1
    assert got["warnings"] == ["skipped a malformed message: RTM_NEWLINK index 7 at offset 0: no IFLA_IFNAME"]
    assert sorted(got["interfaces"]) == ["eth0", "lo"]


# --- errno handling ------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [errno.EAFNOSUPPORT, errno.EOPNOTSUPP, errno.EPROTONOSUPPORT])
def test_unsupported_family_is_empty(monkeypatch, code):
    k = kernel()
    k.errors[ROUTES6] = code
    snap = take(monkeypatch, k, need=frozenset(["routes"]))
    assert snap.routes == parsed_routes(ROUTES_V4)
    assert (snap.missing, snap.warnings) == ([], [])


@pytest.mark.parametrize("code", [errno.EPERM, errno.EACCES])
@pytest.mark.parametrize("key, subset, family", [(ROUTES6, "routes", 6), (ADDRS, "addresses", None),
                                                 (LINKS, "interfaces", None)])
def test_denied_is_missing(monkeypatch, code, key, subset, family):
    k = kernel()
    k.errors[key] = code
    snap = take(monkeypatch, k, need=frozenset(["addresses", "routes"]))
    assert snap.missing == [{"subset": subset, "family": family,
                             "reason": "%s dump failed: [Errno %d] %s" % (subset, code, os.strerror(code))}]
    assert len(snap.routes) == (2 if key == ROUTES6 else 4)


def test_denied_in_done_is_missing(monkeypatch):
    k = kernel()
    k.done_errors[ROUTES4] = errno.EPERM
    snap = take(monkeypatch, k, need=frozenset(["routes"]))
    assert snap.missing == [{"subset": "routes", "family": 4,
                             "reason": "routes dump failed: [Errno %d] %s" % (errno.EPERM, os.strerror(errno.EPERM))}]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EACCES, errno.EAFNOSUPPORT, errno.EOPNOTSUPP,
                                  errno.EPROTONOSUPPORT])
def test_dump_returns_the_refusal_and_records_nothing(monkeypatch, code):
    k = kernel()
    k.errors[ADDRS] = code
    conn = make_conn(monkeypatch, k.socket())
    got = []
    refusal = bounded(lambda: linux._dump(conn, "addresses", nl.RTM_GETADDR, nl.ifaddrmsg(family=0, prefixlen=0, index=0),
                                          lambda *args: got.append(args)))
    assert isinstance(refusal, NetlinkError)
    assert (refusal.errno, refusal.request, got) == (code, "addresses dump", [])
    snap = linux.Snapshot()
    linux._refused(snap, "addresses", 4, refusal)
    linux._refused(snap, "addresses", 6, None)
    denied = code in (errno.EPERM, errno.EACCES)
    assert snap.missing == ([{"subset": "addresses", "family": 4, "reason": refused(code, "addresses")}]
                            if denied else [])


def test_dump_answered_returns_none(monkeypatch):
    k = kernel()
    conn = make_conn(monkeypatch, k.socket())
    got = []
    assert bounded(lambda: linux._dump(conn, "interfaces", nl.RTM_GETLINK, b"", lambda *args: got.append(args))) is None
    assert [t for t, _buf, _start, _stop in got] == [nl.RTM_NEWLINK, nl.RTM_NEWLINK]


def test_dump_interrupted_is_a_torn_snapshot(monkeypatch):
    k = kernel()
    k.interrupt[LINKS] = 1
    conn = make_conn(monkeypatch, k.socket())
    with pytest.raises(TornSnapshot) as info:
        bounded(lambda: linux._dump(conn, "interfaces", nl.RTM_GETLINK, b"", lambda *args: None))
    assert str(info.value) == "the kernel flagged the interfaces dump as interrupted"


def test_link_dump_denied_in_gather(monkeypatch):
    """A denied link dump: interfaces come from if_nameindex(3), with their addresses and routes."""
    k = kernel()
    k.errors[LINKS] = errno.EPERM
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    monkeypatch.setattr(linux.socket, "if_nameindex", lambda: [(1, "lo"), (2, "eth0")])
    got = bounded(lambda: facts.gather(["interfaces", "addresses", "routes"]))
    assert got["missing"] == [{"subset": "interfaces", "family": None, "reason": refused(errno.EPERM, "interfaces")}]
    assert k.calls[LINKS] == 1  # one snapshot: nothing torn
    assert list(got["interfaces"]) == ["lo", "eth0"]
    eth0 = got["interfaces"]["eth0"]
    assert (eth0["index"], eth0["mtu"], eth0["mac"], eth0["type"]) == (2, None, None, None)
    assert eth0["addresses"] and all(a["zone"] in (None, "eth0") for a in eth0["addresses"])
    assert {r["interface"] for r in got["routes"]} <= {"lo", "eth0", None}
    assert got["warnings"] == []


def test_link_dump_denied_and_no_if_nameindex(monkeypatch):
    """Without names either, the snapshot cannot place addresses: each retake is torn, then the
    error says so (rather than inventing interfaces)."""
    k = kernel()
    k.errors[LINKS] = errno.EPERM

    def no_names():
        raise OSError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(linux.socket, "if_nameindex", no_names)
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["interfaces", "addresses", "routes"]))
    assert "if_nameindex: [Errno 1] Operation not permitted" in got["warnings"]
    assert got["interfaces"] == {}
    assert any(w.startswith("dropped a reference: address ") for w in got["warnings"])


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOBUFS, errno.EBUSY])
def test_other_errors_propagate(monkeypatch, code):
    k = kernel()
    k.errors[ADDRS] = code
    with pytest.raises(NetlinkError) as info:
        take(monkeypatch, k)
    assert (info.value.errno, info.value.request) == (code, "addresses dump")


# --- multicast fallback to /proc -----------------------------------------------------------------

IGMP = (b"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
        b"1\tlo        :     1      V3\n"
        b"\t\t\t\t" + b"%08X" % struct.unpack("=I", nl.ip("224.0.0.1"))[0] + b"     1 0:00000000\t\t0\n"
        b"2\teth0      :     1      V3\n"
        b"\t\t\t\t" + b"%08X" % struct.unpack("=I", nl.ip("239.1.2.3"))[0] + b"     1 0:00000000\t\t0\n")
IGMP6 = b"2    eth0            ff0200000000000000000001ff00abcd     1 00000004 0\n"


def proc(files):
    reads = []

    def read(path):
        reads.append(path)
        content = files[path]
        if isinstance(content, Exception):
            raise content
        return content
    read.reads = reads
    return read


def test_multicast_ipv4_falls_back_to_proc(monkeypatch):
    k = kernel()
    k.errors[MCAST4] = errno.EOPNOTSUPP
    read = proc({"/proc/net/igmp": IGMP})
    monkeypatch.setattr(linux, "_read", read)
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    assert snap.multicast == [mc(1, "224.0.0.1", 4), mc(2, "239.1.2.3", 4), mc(2, "ff02::1", 6),
                              mc(2, "ff02::1:ffab:cdef", 6)]
    assert read.reads == ["/proc/net/igmp"]
    assert (snap.missing, snap.warnings) == ([], [])


def test_multicast_both_families_from_proc(monkeypatch):
    k = kernel()
    k.errors[MCAST4] = k.errors[MCAST6] = errno.EOPNOTSUPP
    read = proc({"/proc/net/igmp": IGMP, "/proc/net/igmp6": IGMP6})
    monkeypatch.setattr(linux, "_read", read)
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    assert snap.multicast == [mc(1, "224.0.0.1", 4), mc(2, "239.1.2.3", 4), mc(2, "ff02::1:ff00:abcd", 6)]
    assert read.reads == ["/proc/net/igmp", "/proc/net/igmp6"]


def test_multicast_without_igmp6_file_is_no_ipv6(monkeypatch):
    k = kernel()
    k.errors[MCAST6] = errno.EAFNOSUPPORT
    monkeypatch.setattr(linux, "_read", proc({"/proc/net/igmp6": IOError(errno.ENOENT, "No such file")}))
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    assert [m["family"] for m in snap.multicast] == [4, 4, 4]
    assert snap.missing == []


@pytest.mark.parametrize("family, path, exc", [
    (4, "/proc/net/igmp", IOError(errno.ENOENT, "No such file or directory")),
    (4, "/proc/net/igmp", PermissionError(errno.EACCES, "Permission denied")),
    (6, "/proc/net/igmp6", PermissionError(errno.EACCES, "Permission denied")),
])
def test_multicast_proc_unreadable_is_missing(monkeypatch, family, path, exc):
    k = kernel()
    k.errors[MCAST4 if family == 4 else MCAST6] = errno.EOPNOTSUPP
    monkeypatch.setattr(linux, "_read", proc({path: exc}))
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    # the reason names both: why the dump gave nothing, and why /proc did not either
    assert snap.missing == [{"subset": "multicast", "family": family,
                             "reason": "%s; %s: %s" % (refused(errno.EOPNOTSUPP), path, exc)}]
    assert {m["family"] for m in snap.multicast} == {10 - family}


def test_multicast_proc_malformed_is_missing(monkeypatch):
    k = kernel()
    k.errors[MCAST4] = errno.EOPNOTSUPP
    monkeypatch.setattr(linux, "_read", proc({"/proc/net/igmp": b"header\n\t\t\t\t010000E0 1\n"}))
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    assert snap.missing == [{"subset": "multicast", "family": 4,
                             "reason": "%s; /proc/net/igmp line 2 at offset 0: group line before any device line"
                             % refused(errno.EOPNOTSUPP)}]
    assert [m["family"] for m in snap.multicast] == [6, 6]


# A denied multicast dump falls back to /proc like an unsupported one: /proc has the same table.

@pytest.mark.parametrize("code", [errno.EPERM, errno.EACCES])
def test_multicast_denied_falls_back_to_proc(monkeypatch, code):
    k = kernel()
    k.errors[MCAST4] = code
    read = proc({"/proc/net/igmp": IGMP})
    monkeypatch.setattr(linux, "_read", read)
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    assert snap.multicast == [mc(1, "224.0.0.1", 4), mc(2, "239.1.2.3", 4), mc(2, "ff02::1", 6),
                              mc(2, "ff02::1:ffab:cdef", 6)]
    assert read.reads == ["/proc/net/igmp"]
    assert (snap.missing, snap.warnings) == ([], [])


@pytest.mark.parametrize("code", [errno.EPERM, errno.EACCES])
@pytest.mark.parametrize("family, path, exc", [
    (4, "/proc/net/igmp", PermissionError(errno.EACCES, "Permission denied")),
    (4, "/proc/net/igmp", IOError(errno.ENOENT, "No such file or directory")),
    # denied, not unsupported: a missing igmp6 does not prove the kernel has no IPv6
    (6, "/proc/net/igmp6", IOError(errno.ENOENT, "No such file or directory")),
])
def test_multicast_denied_and_proc_unreadable_names_both(monkeypatch, code, family, path, exc):
    k = kernel()
    k.errors[MCAST4 if family == 4 else MCAST6] = code
    monkeypatch.setattr(linux, "_read", proc({path: exc}))
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    assert snap.missing == [{"subset": "multicast", "family": family,
                             "reason": "%s; %s: %s" % (refused(code), path, exc)}]
    assert {m["family"] for m in snap.multicast} == {10 - family}


def test_multicast_denied_and_proc_malformed_names_both(monkeypatch):
    k = kernel()
    k.errors[MCAST6] = errno.EPERM
    monkeypatch.setattr(linux, "_read", proc({"/proc/net/igmp6": b"2 eth0 nothex 1 00000004 0\n"}))
    snap = take(monkeypatch, k, need=frozenset(["multicast"]))
    assert len(snap.missing) == 1
    assert snap.missing[0]["family"] == 6
    assert snap.missing[0]["reason"].startswith(refused(errno.EPERM) + "; /proc/net/igmp6 ")
    assert [m["family"] for m in snap.multicast] == [4, 4, 4]


# --- malformed messages --------------------------------------------------------------------------

def test_malformed_messages_become_warnings(monkeypatch):
    k = kernel()
    k.dumps[LINKS] = [(nl.RTM_NEWLINK, lo()), (nl.RTM_NEWLINK, nl.link(7, None, nl.attr(nl.IFLA_MTU, nl.u32(1)))),
                      (nl.RTM_NEWLINK, eth())]
    k.dumps[ROUTES4] = [(nl.RTM_NEWROUTE, ROUTES_V4[0]),
                        (nl.RTM_NEWROUTE, nl.route(nl.attr(nl.RTA_GATEWAY, b"\xc0\0\2"), nl.attr(nl.RTA_OIF, nl.u32(2)))),
                        (nl.RTM_NEWROUTE, ROUTES_V4[1])]
    snap = take(monkeypatch, k, need=frozenset(["routes"]))
    assert names(snap) == ["lo", "eth0"]
    assert snap.routes == parsed_routes(ROUTES_V4 + ROUTES_V6)
    assert len(snap.warnings) == 2
    assert snap.warnings[0] == "skipped a malformed message: RTM_NEWLINK index 7 at offset 0: no IFLA_IFNAME"
    assert snap.warnings[1].startswith("skipped a malformed message: RTM_NEWROUTE IPv4 at offset ")
    assert snap.warnings[1].endswith(": 3-byte address where IPv4 needs 4")
    assert snap.missing == []


def test_messages_of_other_types_are_ignored(monkeypatch):
    k = kernel()
    k.dumps[LINKS] = [(nl.RTM_NEWLINK, lo()), (nl.RTM_DELLINK, b"garbage"), (nl.RTM_NEWADDR, ADDRESSES[1])]
    snap = take(monkeypatch, k, need=frozenset())
    assert names(snap) == ["lo"]
    assert snap.warnings == []


@pytest.mark.parametrize("exc", [struct.error("unpack requires a buffer"), IndexError("index out of range"),
                                 ValueError("bad")])
def test_collector_safety_net(exc):
    snap = linux.Snapshot()
    out = []

    def parse(buf, start, stop):
        raise exc
    handler = snap.collector(nl.RTM_NEWROUTE, parse, out)
    handler(nl.RTM_NEWROUTE, b"", 0, 0)
    assert out == []
    assert snap.warnings == ["skipped a malformed message of type 24: %s" % exc]


def test_collector_other_exceptions_propagate():
    snap = linux.Snapshot()

    def parse(buf, start, stop):
        raise KeyError("a bug, not malformed input")
    with pytest.raises(KeyError):
        snap.collector(nl.RTM_NEWROUTE, parse, [])(nl.RTM_NEWROUTE, b"", 0, 0)


def test_collector_skip_and_type_filter():
    snap = linux.Snapshot()
    out = []
    handler = snap.collector(nl.RTM_NEWROUTE, lambda b, s, e: bytes(b[s:e]), out,
                             skip=lambda buf, start, stop: stop > start and buf[start] == 0xFF)
    handler(nl.RTM_NEWROUTE, b"\x01abc", 0, 4)
    handler(nl.RTM_NEWROUTE, b"\xffabc", 0, 4)
    handler(nl.RTM_NEWADDR, b"\x01xyz", 0, 4)
    handler(nl.RTM_NEWROUTE, b"\xff\x01abc", 1, 5)  # start and stop are the message's, not the buffer's
    assert out == [b"\x01abc", b"\x01abc"]
    assert snap.warnings == []


def test_collector_skip_errors_are_warnings_too():
    snap = linux.Snapshot()
    out = []

    def skip(buf, start, stop):
        raise ParseError("RTM_NEWROUTE", 0, "from skip")
    snap.collector(nl.RTM_NEWROUTE, lambda b, s, e: bytes(b[s:e]), out, skip=skip)(nl.RTM_NEWROUTE, b"ab", 0, 2)
    assert out == []
    assert snap.warnings == ["skipped a malformed message: RTM_NEWROUTE at offset 0: from skip"]


def test_short_route_message_is_a_warning_not_an_exception():
    snap = linux.Snapshot()
    out = []
    handler = snap.collector(nl.RTM_NEWROUTE, parse_route, out, skip=is_local_table)
    handler(nl.RTM_NEWROUTE, b"\x02\x00", 0, 2)
    assert out == []
    assert snap.warnings == ["skipped a malformed message: RTM_NEWROUTE at offset 0: payload of 2 bytes, header needs 12"]


@pytest.mark.parametrize("size", range(0, 12))
def test_short_route_message_in_a_larger_buffer(size):
    """A stale byte after the message (here the local table's number) must not decide anything."""
    snap = linux.Snapshot()
    out = []
    handler = snap.collector(nl.RTM_NEWROUTE, parse_route, out, skip=is_local_table)
    buf = nl.route(table=nl.RT_TABLE_LOCAL)
    handler(nl.RTM_NEWROUTE, buf, 0, size)
    assert out == []
    assert snap.warnings == ["skipped a malformed message: RTM_NEWROUTE at offset 0: payload of %d bytes, "
                             "header needs 12" % size]


def test_snapshot_lose():
    snap = linux.Snapshot()
    snap.lose("multicast", 6, "why")
    assert snap.missing == [{"subset": "multicast", "family": 6, "reason": "why"}]


# --- route_get -----------------------------------------------------------------------------------

def test_route_get(monkeypatch):
    k = kernel()
    answer = nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), a(nl.RTA_DST, "8.8.8.8"), nl.attr(nl.RTA_OIF, nl.u32(2)),
                      a(nl.RTA_PREFSRC, "192.0.2.10"), a(nl.RTA_GATEWAY, "192.0.2.1"), dst_len=32,
                      flags=nl.RTM_F_CLONED | nl.RTM_F_LOOKUP_TABLE)
    k.lookup = lambda payload: (nl.RTM_NEWROUTE, answer)
    conn = make_conn(monkeypatch, k.socket())
    got = linux.route_get(conn, 4, nl.ip("8.8.8.8"), oif=2)
    assert got == parse_route(answer, 0, len(answer))
    assert (got["preferred_source"], got["gateway"], got["interface"]) == ("192.0.2.10", "192.0.2.1", 2)
    assert k.payloads == [nl.rtmsg(family=nl.AF_INET, dst_len=32, table=0, protocol=0, rtype=0,
                                   flags=nl.RTM_F_LOOKUP_TABLE)
                          + nl.attr(nl.RTA_DST, nl.ip("8.8.8.8")) + nl.attr(nl.RTA_OIF, nl.u32(2))]


def test_route_get_error(monkeypatch):
    k = kernel()
    k.lookup = lambda payload: errno.ENETUNREACH
    conn = make_conn(monkeypatch, k.socket())
    with pytest.raises(NetlinkError) as info:
        linux.route_get(conn, 6, nl.ip("2001:db8::1"))
    assert (info.value.errno, info.value.request) == (errno.ENETUNREACH, "route lookup")


def test_route_get_malformed_answer(monkeypatch):
    k = kernel()
    k.lookup = lambda payload: (nl.RTM_NEWROUTE, nl.route(nl.attr(nl.RTA_GATEWAY, b"\1\2")))
    with pytest.raises(ParseError):
        linux.route_get(make_conn(monkeypatch, k.socket()), 4, nl.ip("8.8.8.8"))


# --- gather over the fake kernel -----------------------------------------------------------------

ALL = ["addresses", "best_local", "gateways", "interfaces", "multicast", "routes", "rules", "stats"]
SOURCE_KEYS = ["address", "destination", "error", "family", "gateway", "interface", "source", "table", "type"]


def unasked(destination, reason):
    """A ``sources`` entry for a destination the kernel could not be asked about: every key, the rest None."""
    entry = dict.fromkeys(SOURCE_KEYS)
    entry.update(destination=destination, error=reason)
    return entry


def refuse_every_backend(monkeypatch):
    """The chain as on a host where nothing opens: netlink denied, getifaddrs(3) failing with it."""
    def netlink(need):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    def getifaddrs(need):
        raise OSError(errno.EACCES, "getifaddrs: Permission denied")
    monkeypatch.setattr(backends, "chain", lambda: [("linux_rtnetlink", netlink), ("getifaddrs", getifaddrs)])
    return "linux_rtnetlink: [Errno 1] Operation not permitted; getifaddrs: [Errno 13] getifaddrs: Permission denied"


def test_gather_when_no_backend_opens(monkeypatch):
    reason = refuse_every_backend(monkeypatch)
    assert facts.gather() == {"schema": 1, "backend": None, "subsets": ALL, "warnings": [],
                              "missing": [{"subset": s, "family": None, "reason": reason} for s in ALL]}
    got = facts.gather(["routes"], destinations=["192.0.2.1", "example.org"])
    assert got == {"schema": 1, "backend": None, "subsets": ["routes"], "warnings": [],
                   "missing": [{"subset": "routes", "family": None, "reason": reason}],
                   "sources": [unasked("192.0.2.1", reason), unasked("example.org", reason)]}


def test_gather_when_no_backend_opens_no_subsets_with_destinations(monkeypatch):
    reason = refuse_every_backend(monkeypatch)
    got = facts.gather(["!all"], destinations=["192.0.2.1", "fe80::1%eth0"])
    assert got == {"schema": 1, "backend": None, "subsets": [], "warnings": [], "missing": [],
                   "sources": [unasked("192.0.2.1", reason), unasked("fe80::1%eth0", reason)]}


def test_gather_on_an_os_without_a_backend(monkeypatch):
    monkeypatch.setattr(backends, "chain", lambda: [])
    monkeypatch.setattr(backends.sys, "platform", "sunos5")
    reason = "no backend of netifs gathers network facts on sunos5"
    assert facts.gather(["routes"])["missing"] == [{"subset": "routes", "family": None, "reason": reason}]


def test_netlink_refused_falls_back_to_the_next_backend(monkeypatch):
    """The next backend's snapshot is built leniently, once; the refusal is a warning; its
    lookup answers the destinations."""
    snap = Snapshot()
    snap.links = [dict(stub_link(2, b"eth0"), mtu=1400)]
    snap.addresses = [address_record(2, 4, bytes([192, 0, 2, 5]), bytes([192, 0, 2, 5]), 24, 0, 0)]
    snap.lose("routes", None, "no routes here")
    asked = []

    class Fallback(backends.OnePass):
        def lookup(self, family, packed, oif):
            asked.append((family, packed, oif))
            return {"preferred_source": "192.0.2.5", "interface": 2, "gateway": None, "table": None, "type": None}

    def netlink(need):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(backends, "chain", lambda: [
        ("linux_rtnetlink", netlink), ("fake", lambda need: Fallback("fake", lambda n: snap, need))])
    got = facts.gather(["interfaces", "addresses", "routes"], destinations=["198.51.100.1"])
    assert got["backend"] == "fake"
    assert got["warnings"] == ["fell back to fake: linux_rtnetlink: [Errno 13] Permission denied"]
    assert got["missing"] == [{"subset": "routes", "family": None, "reason": "no routes here"}]
    assert got["interfaces"]["eth0"]["mtu"] == 1400
    assert got["all_ipv4_addresses"] == ["192.0.2.5"]
    assert asked == [(4, bytes([198, 51, 100, 1]), None)]
    assert (got["sources"][0]["source"], got["sources"][0]["interface"]) == ("192.0.2.5", "eth0")


def test_gather_bad_arguments_before_opening(monkeypatch):
    def must_not_open():
        raise AssertionError("opened netlink before checking the arguments")
    monkeypatch.setattr(linux, "open_conn", must_not_open)
    for kwargs in ({"subset": ["bogus"]}, {"interfaces": "eth0"}, {"destinations": ["10.0.0.0/8"]}):
        with pytest.raises(ValueError):
            facts.gather(**kwargs)


def test_gather_end_to_end(monkeypatch):
    k = kernel()
    k.lookup = route_lookup
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(facts.gather)
    assert (got["schema"], got["backend"], got["subsets"]) == (1, "linux_rtnetlink", ALL)
    assert (got["missing"], got["warnings"]) == ([], [])
    assert sorted(got["interfaces"]) == ["eth0", "lo"]
    eth0 = got["interfaces"]["eth0"]
    assert (eth0["mac"], eth0["mtu"], eth0["master"], eth0["parent"], eth0["peer"]) == (
        "52:54:00:ab:cd:ef", 1500, None, None, None)
    assert [x["address"] for x in eth0["addresses"]] == ["192.0.2.10", "2001:db8::10", "fe80::5054:ff:feab:cdef"]
    assert eth0["addresses"][2]["zone"] == "eth0"
    assert eth0["multicast"] == [{"address": "224.0.0.1", "family": 4}, {"address": "224.0.0.251", "family": 4},
                                 {"address": "ff02::1", "family": 6}, {"address": "ff02::1:ffab:cdef", "family": 6}]
    assert got["all_ipv4_addresses"] == ["127.0.0.1", "192.0.2.10"]
    assert [(r["destination"], r["interface"]) for r in got["routes"]] == [
        ("0.0.0.0/0", "eth0"), ("192.0.2.0/24", "eth0"), ("2001:db8::/64", "eth0"), ("::/0", "eth0")]
    assert got["gateways"] == [
        {"address": "192.0.2.1", "family": 4, "interface": "eth0", "metric": 100, "table": 254, "default": True},
        {"address": "fe80::1", "family": 6, "interface": "eth0", "metric": 1024, "table": 254, "default": True}]
    assert got["best_local"] == {"ipv4": [{"address": "192.0.2.10", "prefixlen": 24, "interface": "eth0"}],
                                 "ipv6": [{"address": "2001:db8::10", "prefixlen": 64, "interface": "eth0"}]}
    assert {k: v for k, v in got["default_ipv4"].items() if k not in ("route", "probes")} == {
        "interface": "eth0", "address": "192.0.2.10", "gateway": "192.0.2.1", "prefix": "24",
        "macaddress": "52:54:00:ab:cd:ef", "mtu": 1500, "type": "ether", "alias": "eth0",
        "broadcast": "192.0.2.255", "netmask": "255.255.255.0", "network": "192.0.2.0"}
    assert {k: v for k, v in got["default_ipv6"].items() if k not in ("route", "probes")} == {
        "interface": "eth0", "address": "2001:db8::10", "gateway": "fe80::1", "prefix": "64",
        "macaddress": "52:54:00:ab:cd:ef", "mtu": 1500, "type": "ether", "scope": "global"}
    assert [(p["destination"], p["matched"], p["agrees"]) for p in got["default_ipv6"]["probes"]] == [
        (d, "::/0", True) for d in outbound.PROBES[6]]
    assert got["default_ipv4"]["route"]["nexthops"] == [
        {"gateway": "192.0.2.1", "interface": "eth0", "weight": 1, "flags": [], "source": "192.0.2.10"}]
    fib_match = [p for p in k.payloads if len(p) >= nl.RTMSG.size and struct.unpack_from("=I", p, 8)[0] & RTM_F_FIB_MATCH]
    assert len(fib_match) == 10  # each probe of each family once
    assert got["rules"] == [parse_rule(p, 0, len(p)) for p in RULES_V4 + RULES_V6]
    assert conn.sock.closed


def test_gather_rules_whatever_the_interface_filter(monkeypatch):
    k = kernel()
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["rules"], interfaces=["nothing*"]))
    assert sorted(got) == ["backend", "missing", "rules", "schema", "subsets", "warnings"]
    assert [(r["family"], r["priority"]) for r in got["rules"]] == [(4, 0), (4, 100), (4, 32766), (6, 0), (6, 32766)]
    assert k.requests == [LINKS, RULES4, RULES6]


def test_gather_interface_filter_and_subsets(monkeypatch):
    k = kernel()
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["addresses", "routes"], interfaces=["lo"]))
    assert sorted(got) == ["all_ipv4_addresses", "all_ipv6_addresses", "backend", "interfaces", "missing",
                           "routes", "schema", "subsets", "warnings"]
    assert sorted(got["interfaces"]) == ["lo"]
    assert sorted(got["interfaces"]["lo"]) == ["addresses", "index", "name"]
    assert got["all_ipv4_addresses"] == ["127.0.0.1"]
    assert got["routes"] == []  # every route leaves through eth0
    assert MCAST4 not in k.requests


def test_gather_sources(monkeypatch):
    k = kernel()
    answer = nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), a(nl.RTA_DST, "8.8.8.8"), nl.attr(nl.RTA_OIF, nl.u32(2)),
                      a(nl.RTA_PREFSRC, "192.0.2.10"), a(nl.RTA_GATEWAY, "192.0.2.1"), dst_len=32)
    k.lookup = lambda payload: (nl.RTM_NEWROUTE, answer) if payload[0] == nl.AF_INET else errno.ENETUNREACH
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["routes"], destinations=["8.8.8.8", "2001:db8:ffff::1", "fe80::1%nope0"]))
    assert got["sources"][0] == {"destination": "8.8.8.8", "address": "8.8.8.8", "family": 4,
                                 "source": "192.0.2.10", "interface": "eth0", "gateway": "192.0.2.1",
                                 "table": 254, "type": "unicast", "error": None}
    assert got["sources"][1]["error"] == "route lookup failed: [Errno %d] %s" % (
        errno.ENETUNREACH, os.strerror(errno.ENETUNREACH))
    assert got["sources"][2]["error"] == "no interface 'nope0' for the zone of 'fe80::1%nope0'"
    assert sorted(got["sources"][1]) == SOURCE_KEYS
    assert sorted(got["sources"][2]) == SOURCE_KEYS


def route_answer(rtype, dst="8.8.8.8", oif=2, extra=()):
    return nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), a(nl.RTA_DST, dst), nl.attr(nl.RTA_OIF, nl.u32(oif)),
                    a(nl.RTA_PREFSRC, "192.0.2.10"), *extra, dst_len=32, rtype=rtype)


@pytest.mark.parametrize("rtype, name, dst", [
    (nl.RTN_MULTICAST, "multicast", "224.0.0.251"), (nl.RTN_BROADCAST, "broadcast", "192.0.2.255"),
    (nl.RTN_LOCAL, "local", "192.0.2.10"), (nl.RTN_UNICAST, "unicast", "8.8.8.8"),
])
def test_gather_sources_forwarding_types_are_answers(monkeypatch, rtype, name, dst):
    k = kernel()
    k.lookup = lambda payload: (nl.RTM_NEWROUTE, route_answer(rtype, dst))
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["routes"], destinations=[dst]))
    assert got["sources"] == [{"destination": dst, "address": dst, "family": 4, "source": "192.0.2.10",
                               "interface": "eth0", "gateway": None, "table": 254, "type": name, "error": None}]


@pytest.mark.parametrize("rtype, name", [
    (nl.RTN_BLACKHOLE, "blackhole"), (nl.RTN_UNREACHABLE, "unreachable"), (nl.RTN_PROHIBIT, "prohibit"),
    (nl.RTN_THROW, "throw"),
])
def test_gather_sources_reject_types_are_errors_with_the_route(monkeypatch, rtype, name):
    k = kernel()
    k.lookup = lambda payload: (nl.RTM_NEWROUTE, route_answer(rtype, "203.0.113.9", oif=1))
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    got = bounded(lambda: facts.gather(["routes"], destinations=["203.0.113.9"]))
    assert got["sources"] == [{"destination": "203.0.113.9", "address": "203.0.113.9", "family": 4,
                               "source": "192.0.2.10", "interface": "lo", "gateway": None, "table": 254,
                               "type": name,
                               "error": "the kernel's route to 203.0.113.9 is of type %s" % name}]
