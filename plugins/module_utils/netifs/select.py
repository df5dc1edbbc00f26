# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Which default route the kernel would use, and the best local addresses behind it.

Pure functions of schema data (``netifs.routes`` and ``netifs.interfaces``), so the controller's
filters reuse them on gathered facts.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# The default rule chain looks up local (255), then main (254), then default (253). A backend
# that cannot tell the table (null: /proc/net/ipv6_route) ranks it as main, where defaults live.
TABLE_RANK = {255: 0, 254: 1, 253: 2, None: 1}
# RFC 4191: high is preferred over medium over low; IPv4 routes have no preference.
PREFERENCE_RANK = {"high": 0, "medium": 1, None: 1, "low": 2}
UNUSABLE_HOP = frozenset(("dead", "linkdown", "unresolved", "blackhole"))
DEFAULT_DESTINATIONS = {4: "0.0.0.0/0", 6: "::/0"}
# Addresses the kernel does not pick as a source for traffic leaving the host.
UNUSABLE_ADDRESS = frozenset(("tentative", "dadfailed", "deprecated"))
USABLE_SCOPES = frozenset(("global", "site"))


def usable_hops(route):
    """The next hops of ``route`` that can carry traffic."""
    return [hop for hop in route["nexthops"] if not UNUSABLE_HOP.intersection(hop["flags"])]


def _rank(route):
    return (TABLE_RANK[route["table"]], route["metric"], PREFERENCE_RANK.get(route["preference"], 1))


def _candidate(route, family):
    return (route["family"] == family
            and route["destination"] == DEFAULT_DESTINATIONS[family]
            and route["type"] == "unicast"
            and route["table"] in TABLE_RANK
            and not route["tos"]
            and not route.get("source")
            and usable_hops(route))


def default_routes(routes, family):
    """The default routes of ``family`` the kernel would use: every candidate with the best rank
    (several when they tie, for ECMP), in table order. Empty when there is none."""
    # The destination first: it rules out nearly every route, at the cost of one comparison.
    default = DEFAULT_DESTINATIONS[family]
    candidates = [r for r in routes if r["destination"] == default and _candidate(r, family)]
    if not candidates:
        return []
    best = min(_rank(r) for r in candidates)
    return [r for r in candidates if _rank(r) == best]


def default_hops(routes, family, chosen=None):
    """The usable next hops of the chosen default route(s), in order, without repeats.

    ``chosen``: what ``default_routes`` returned, when the caller has it already.
    """
    hops = []
    for route in default_routes(routes, family) if chosen is None else chosen:
        for hop in usable_hops(route):
            if hop not in hops:
                hops.append(hop)
    return hops


def usable_address(addr):
    """An address the kernel may pick as the source of outgoing traffic (a joined multicast
    group, ``autojoin``, has global scope but is never a source)."""
    return (addr["scope"] in USABLE_SCOPES and addr["class"] != "multicast"
            and not UNUSABLE_ADDRESS.intersection(addr["flags"]))


def _record(addr, ifname):
    return {"address": addr["address"], "prefixlen": addr["prefixlen"], "interface": ifname}


def best_local(routes, interfaces, family):
    """Usable addresses of the interfaces the default route leaves through, preferred source first.

    ``interfaces`` is ``netifs.interfaces`` with addresses; returns ``[{address, prefixlen, interface}]``.
    """
    chosen = default_routes(routes, family)
    sources = [r["preferred_source"] for r in chosen if r["preferred_source"]]
    names = []
    for hop in default_hops(routes, family, chosen):
        if hop["interface"] in interfaces and hop["interface"] not in names:
            names.append(hop["interface"])
    picked = {}  # address -> record, in insertion order
    for source in sources:
        for ifname, iface in interfaces.items():
            for addr in iface.get("addresses", ()):
                if addr["address"] == source:
                    picked.setdefault(source, _record(addr, ifname))
    for ifname in names:
        for addr in interfaces[ifname].get("addresses", ()):
            if addr["family"] == family and usable_address(addr):
                picked.setdefault(addr["address"], _record(addr, ifname))
    return list(picked.values())
