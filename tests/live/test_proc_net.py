# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The /proc/net parsers (the fallback for hosts without rtnetlink) on each scenario host's real
files, against the netlink engine's facts of the same host: what the files can tell must agree.

Where the files are lossy, the comparison says so: no lifetimes and only the low 8 flag bits in
if_inet6; the main table only, one next hop per route, and one kind of reject route in
/proc/net/route; no table in ipv6_route, where a multipath route is one line per hop.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import subprocess
import sys

import pytest

import netns
from compare import assert_equal, assert_same_multiset

pytestmark = pytest.mark.usefixtures("engine_present")

sys.path.insert(0, netns.ENGINE_INIT.rsplit("/netifs/", 1)[0])
from netifs import procfs  # noqa: E402  (the engine, as the live tests import it)

LOW_FLAGS = {"secondary", "temporary", "nodad", "optimistic", "dadfailed", "homeaddress", "deprecated",
             "tentative", "permanent"}
REJECT = {"blackhole", "unreachable", "prohibit"}
# What /proc/net/route makes of the kernel's route types (fib_route_seq_show and fib_flag_trans
# in net/ipv4/fib_trie.c): multicast and broadcast routes are not shown at all.
AS_ROUTE_V4 = {"prohibit": "unreachable", "anycast": "unicast", "multicast": None, "broadcast": None}


def proc(ns, name):
    return subprocess.check_output(["ip", "netns", "exec", ns.name, "cat", "/proc/net/" + name])


def engine(scenario):
    facts = scenario.gather(subset=["interfaces", "addresses", "routes"])
    index_of = {name.encode(): iface["index"] for name, iface in facts["interfaces"].items()}
    return facts, index_of


def test_if_inet6(any_scenario):
    facts, _index_of = engine(any_scenario)
    want = [(i["index"], a["address"], a["prefixlen"], a["scope"], a["class"], sorted(set(a["flags"]) & LOW_FLAGS))
            for i in facts["interfaces"].values() for a in i["addresses"] if a["family"] == 6]
    got = [(a["index"], a["address"], a["prefixlen"], a["scope"], a["class"], sorted(a["flags"]))
           for a in procfs.parse_if_inet6(proc(any_scenario.ns, "if_inet6"))]
    assert_same_multiset(got, want, "IPv6 addresses, if_inet6 vs netlink")


def _hops(route, _index_of):
    if not route["nexthops"]:
        return [(route["interface"], None)]
    return [(hop["interface"], hop["gateway"]) for hop in route["nexthops"]]


def test_route_v4(any_scenario):
    facts, index_of = engine(any_scenario)
    # routes through nexthop objects show in the file as the object's first member: left out
    nhid = {r["destination"] for r in facts["routes"] if r["nexthop_id"] is not None and r["family"] == 4}
    want = []
    for r in facts["routes"]:
        if r["family"] == 4 and r["table"] == 254 and r["destination"] not in nhid:
            interface, gateway = _hops(r, index_of)[0]  # the file shows a route's first hop
            rtype = AS_ROUTE_V4.get(r["type"], r["type"])
            if rtype:
                want.append((r["destination"], rtype, gateway, interface, r["metric"]))
    got = [(r["destination"], r["type"], r["gateway"], r["interface"] and _name(index_of, r["interface"]),
            r["metric"]) for r in procfs.parse_route(proc(any_scenario.ns, "route"), index_of)]
    assert_same_multiset([g for g in got if g[0] not in nhid], want, "IPv4 main table, /proc/net/route vs netlink")


def _name(index_of, index):
    return next(name.decode() for name, i in index_of.items() if i == index)


def test_ipv6_route(any_scenario):
    facts, index_of = engine(any_scenario)
    nhid = {r["destination"] for r in facts["routes"] if r["nexthop_id"] is not None and r["family"] == 6}
    want = [(r["destination"], "unreachable" if r["type"] in REJECT else r["type"], gateway, interface, r["metric"])
            for r in facts["routes"] if r["family"] == 6 and r["destination"] not in nhid
            for interface, gateway in _hops(r, index_of)]
    got = [(r["destination"], r["type"], r["gateway"], r["interface"] and _name(index_of, r["interface"]),
            r["metric"]) for r in procfs.parse_ipv6_route(proc(any_scenario.ns, "ipv6_route"), index_of)
           if r["destination"] not in nhid]
    assert_same_multiset(got, want, "IPv6 routes, /proc/net/ipv6_route vs netlink (a line per hop)")


def test_net_dev_names(any_scenario):
    facts, index_of = engine(any_scenario)
    got = procfs.parse_net_dev(proc(any_scenario.ns, "dev"))
    assert_equal(sorted(got), sorted(index_of), "interfaces in /proc/net/dev vs netlink")
