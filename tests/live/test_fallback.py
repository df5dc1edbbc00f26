# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fallback backends, live in the test namespaces, against the netlink backend:

* ``getifaddrs``, forced by leaving netlink out of the chain (glibc's getifaddrs asks netlink
  itself, so no sandbox lets it run where netlink is denied);
* ``linux_procfs``, under a real seccomp filter that denies AF_NETLINK (deny_netlink.py).

Each must agree with netlink on what it reports, and list what it cannot tell in ``missing``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys

import pytest

import netns

pytestmark = pytest.mark.usefixtures("engine_present")

DENY = [sys.executable, os.path.join(netns.HERE, "deny_netlink.py")]
# Runs netifs.gather() with the backend chain cut down to one backend.
ONLY = """
import json, sys
sys.path.insert(0, %r)
from netifs import backends, facts
chain = backends.chain
backends.chain = lambda: [pair for pair in chain() if pair[0] == %r]
json.dump(facts.gather(destinations=%r), sys.stdout)
"""
LINK_KEYS = ("index", "mtu", "mac", "flags")
PROCFS_LINK_KEYS = LINK_KEYS + ("oper_state", "type", "alias", "master")
# Scenarios without what /proc/net/route cannot show (TOS-bound defaults, nexthop objects and
# multipath routes, of which it shows the first hop): there its routes equal netlink's.
SIMPLE = ("lan", "noipv6", "nodefault")
ADDRESS_KEYS = ("address", "prefixlen", "network", "family", "class", "broadcast", "peer", "zone")


def gather_only(ns, backend, destinations=None, wrap=()):
    code = ONLY % (os.path.join(netns.REPO, "plugins", "module_utils"), backend, destinations)
    proc = netns.run(["ip", "netns", "exec", ns.name] + list(wrap) + [sys.executable, "-B", "-c", code])
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


def route_key(route):
    return tuple(str(route[k]) for k in ("destination", "gateway", "interface", "metric", "type"))


def addresses(iface):
    return sorted(tuple(a[k] for k in ADDRESS_KEYS) for a in iface["addresses"])


def without_ipv6_peer(addr):
    """What /proc/net/if_inet6 shows of an address: no peer, so the network is the local one's."""
    if addr["family"] != 6 or addr["peer"] is None:
        return addr
    return dict(addr, peer=None, network="%s/%d" % (addr["address"], addr["prefixlen"]))


def assert_interfaces_agree(fallback, netlink, keys, known_loss=lambda addr: addr):
    assert sorted(fallback["interfaces"]) == sorted(netlink["interfaces"])
    for name, want in netlink["interfaces"].items():
        got = fallback["interfaces"][name]
        assert {k: got[k] for k in keys} == {k: want[k] for k in keys}, name
        assert addresses(got) == addresses(dict(want, addresses=[known_loss(a) for a in want["addresses"]])), name


def test_getifaddrs_agrees_with_netlink(any_scenario):
    netlink = any_scenario.gather(subset=["all"])
    got = gather_only(any_scenario.ns, "getifaddrs")
    assert got["backend"] == "getifaddrs"
    assert_interfaces_agree(got, netlink, LINK_KEYS)
    assert {m["subset"] for m in got["missing"]} - {"best_local"} == {"interfaces", "addresses", "routes", "rules"}  # best_local: when a way out is found, its route is from the tables
    for iface in got["interfaces"].values():
        for addr in iface["addresses"]:  # no scope in getifaddrs: inferred from the class
            assert addr["scope"] == {"loopback": "host", "link_local": "link"}.get(addr["class"], "global")


def test_procfs_agrees_with_netlink_under_seccomp(any_scenario):
    netlink = any_scenario.gather(subset=["all"])
    got = gather_only(any_scenario.ns, "linux_procfs", wrap=DENY)
    assert got["backend"] == "linux_procfs"
    assert {m["subset"] for m in got["missing"]} - {"best_local"} == {"interfaces", "addresses", "routes", "rules"}  # best_local: when a way out is found, its route is from the tables
    assert_interfaces_agree(got, netlink, PROCFS_LINK_KEYS, without_ipv6_peer)
    # /proc/net/route: the main table's IPv4 routes, but multicast and broadcast ones.
    main4 = [r for r in netlink["routes"] if r["family"] == 4 and r["table"] == 254
             and r["type"] not in ("multicast", "broadcast")]
    assert sorted(r["destination"] for r in got["routes"] if r["family"] == 4) == sorted(r["destination"] for r in main4)
    if any_scenario.name in SIMPLE:
        assert sorted(route_key(r) for r in got["routes"] if r["family"] == 4) == sorted(route_key(r) for r in main4)
        # The kernel's pick of source leads. For IPv6 it depends on the destination (RFC 6724
        # rule 8), and netlink lists the usable ones in the interface's order: the pick is one of them.
        assert got["best_local"]["ipv4"][:1] == netlink["best_local"]["ipv4"][:1]
        assert set(map(str, got["best_local"]["ipv6"][:1])) <= set(map(str, netlink["best_local"]["ipv6"]))
        assert bool(got["best_local"]["ipv6"]) == bool(netlink["best_local"]["ipv6"])


def test_fallback_answers_destinations_through_the_kernel(lan):
    dests = ["10.0.3.77", "10.11.0.2", "2001:db8:3::77", "192.0.2.1"]
    netlink = lan.gather(subset=["!all"], destinations=dests)["sources"]
    got = gather_only(lan.ns, "linux_procfs", dests, wrap=DENY)["sources"]
    assert [(e["source"], e["interface"], e["error"] is None) for e in got] == \
        [(e["source"], e["interface"], e["error"] is None) for e in netlink]
