# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``source_for`` worked out from gathered facts against ``ip route get`` in the same namespace,
for a grid of destinations: both ends of every route's prefix, the host's own and broadcast
addresses, loopback, link-local destinations with a zone, and what no route covers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import os
import sys

import pytest

import netns
from compare import assert_equal
from source_check import disagreements

# The facts are gathered in the namespace; the computation from them is pure, so it runs here.
sys.path.insert(0, os.path.join(netns.REPO, "plugins", "module_utils"))
from netifs.source_selection import source_for  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.usefixtures("engine_present")


def _prefix_ends(cidr):
    net = ipaddress.ip_network(cidr)
    if net.prefixlen == 0:
        return []
    if net.num_addresses <= 2:
        return [str(net.network_address)]
    return [str(net.network_address + 1), str(net.broadcast_address - 1)]


def _policy_prefixes(ns):
    """Prefixes that an ``ip rule`` with a destination selector steers elsewhere."""
    out = []
    for family in (4, 6):
        for rule in ns.ipj("-%d" % family, "rule"):
            if rule.get("dst") and rule.get("dst") != "all":
                out.append(ipaddress.ip_network("%s/%s" % (rule["dst"], rule.get("dstlen", 32 if family == 4 else 128)),
                                                strict=False))
    return out


def grid(scenario, facts):
    dests = set(scenario.info.get("destinations", [])) | set(scenario.info.get("uncovered", {}).values())
    for route in facts["routes"]:
        if route["table"] in (253, 254) and not route["source"] and not route["tos"]:
            dests.update(_prefix_ends(route["destination"]))
    for name, iface in facts["interfaces"].items():
        for addr in iface["addresses"]:
            dests.add(addr["address"] + ("%" + name if addr["zone"] else ""))
            if addr["broadcast"]:
                dests.add(addr["broadcast"])
            if addr["zone"] and "up" in iface["flags"]:
                dests.add("fe80::77%" + name)
    dests.add("127.0.0.9")
    steered = _policy_prefixes(scenario.ns)
    return sorted(d for d in dests if not _steered(d, steered))


def _steered(dest, prefixes):
    ip = ipaddress.ip_address(dest.partition("%")[0])
    return any(p.version == ip.version and ip in p for p in prefixes)


@pytest.mark.parametrize("name", ["lan", "routes", "nodefault", "rejectonly", "noipv6"])
def test_source_for_agrees_with_route_get(request, name):
    scenario = request.getfixturevalue(name)
    facts = scenario.facts()
    dests = grid(scenario, facts)
    assert len(dests) >= 8, dests
    bad = disagreements(scenario.ns, dests, lambda dest: source_for(facts["routes"], facts["interfaces"], dest))
    assert_equal(bad, {}, "source_for vs ip route get over %d destinations" % len(dests))
