# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``source_for`` worked out from gathered facts (with their rules) against ``ip route get`` in
the same namespace, for a grid of destinations: both ends of every route's prefix, the host's
own and broadcast addresses, loopback, link-local destinations with a zone, what no route covers,
and what an ``ip rule`` steers to another table."""

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


def grid(scenario, facts):
    dests = set(scenario.info.get("destinations", [])) | set(scenario.info.get("uncovered", {}).values())
    for route in facts["routes"]:
        if not route["source"] and not route["tos"]:
            dests.update(_prefix_ends(route["destination"]))
    for name, iface in facts["interfaces"].items():
        for addr in iface["addresses"]:
            dests.add(addr["address"] + ("%" + name if addr["zone"] else ""))
            if addr["broadcast"]:
                dests.add(addr["broadcast"])
            if addr["zone"] and "up" in iface["flags"]:
                dests.add("fe80::77%" + name)
    dests.add("127.0.0.9")
    return sorted(dests)


@pytest.mark.parametrize("name", ["lan", "routes", "nodefault", "rejectonly", "noipv6", "policy"])
def test_source_for_agrees_with_route_get(request, name):
    scenario = request.getfixturevalue(name)
    facts = scenario.facts()
    dests = grid(scenario, facts)
    assert len(dests) >= 8, dests
    bad = disagreements(scenario.ns, dests, lambda dest: source_for(facts["routes"], facts["interfaces"], dest,
                                                                    rules=facts["rules"]))
    assert_equal(bad, {}, "source_for vs ip route get over %d destinations" % len(dests))
