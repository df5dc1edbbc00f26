# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.select on fabricated schema records: which default route(s) the kernel would
use, their usable next hops, and the best local addresses behind them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from netifs import select


def hop(gateway="192.0.2.1", interface="eth0", weight=1, flags=()):
    return {"gateway": gateway, "interface": interface, "weight": weight, "flags": list(flags)}


def route(name, destination=None, family=4, table=254, metric=0, preference=None, rtype="unicast", tos=0,
          source=None, hops=None, preferred_source=None):
    """A schema route record; ``name`` goes into the protocol field so results are easy to compare."""
    if destination is None:
        destination = "0.0.0.0/0" if family == 4 else "::/0"
    if hops is None:
        hops = [hop("192.0.2.1" if family == 4 else "fe80::1")]
    return {"destination": destination, "family": family, "type": rtype, "table": table, "protocol": name,
            "scope": "global", "metric": metric, "preference": preference,
            "gateway": hops[0]["gateway"] if len(hops) == 1 else None,
            "interface": hops[0]["interface"] if len(hops) == 1 else None,
            "preferred_source": preferred_source, "source": source, "tos": tos, "flags": [],
            "nexthop_id": None, "nexthops": hops}


def chosen(routes, family=4):
    return [r["protocol"] for r in select.default_routes(routes, family)]


def test_no_routes():
    assert select.default_routes([], 4) == []
    assert select.default_hops([], 6) == []
    assert select.best_local([], {}, 4) == []


def test_table_rank_local_main_default():
    routes = [route("default-table", table=253, metric=0), route("main", table=254, metric=500),
              route("local", table=255, metric=9000)]
    assert chosen(routes) == ["local"]
    assert chosen(routes[:2]) == ["main"]
    assert chosen(routes[:1]) == ["default-table"]


def test_policy_tables_are_not_candidates():
    routes = [route("table100", table=100), route("table1000", table=1000), route("unspec", table=0)]
    assert chosen(routes) == []
    assert chosen(routes + [route("default-table", table=253, metric=7)]) == ["default-table"]


def test_lowest_metric_wins():
    routes = [route("m100", metric=100), route("m20", metric=20), route("m600", metric=600)]
    assert chosen(routes) == ["m20"]


def test_rfc4191_preference_on_equal_metric():
    routes = [route("low", family=6, metric=1024, preference="low"),
              route("medium", family=6, metric=1024, preference="medium"),
              route("high", family=6, metric=1024, preference="high")]
    assert chosen(routes, 6) == ["high"]
    assert chosen(routes[:2], 6) == ["medium"]
    assert chosen(routes[:1], 6) == ["low"]


def test_no_preference_ranks_as_medium():
    routes = [route("low", family=6, metric=1024, preference="low"), route("none", family=6, metric=1024),
              route("medium", family=6, metric=1024, preference="medium")]
    assert chosen(routes, 6) == ["none", "medium"]


def test_metric_before_preference():
    routes = [route("high", family=6, metric=2048, preference="high"),
              route("low", family=6, metric=1024, preference="low")]
    assert chosen(routes, 6) == ["low"]


def test_table_before_metric():
    assert chosen([route("main", metric=10 ** 6), route("default-table", table=253, metric=0)]) == ["main"]


def test_ecmp_ties_pool_their_hops():
    a = route("a", metric=100, hops=[hop("192.0.2.1", "eth0")])
    b = route("b", metric=100, hops=[hop("192.0.2.2", "eth1"), hop("192.0.2.1", "eth0")])
    c = route("c", metric=101, hops=[hop("192.0.2.3", "eth2")])
    assert chosen([a, c, b]) == ["a", "b"]
    assert select.default_hops([a, c, b], 4) == [hop("192.0.2.1", "eth0"), hop("192.0.2.2", "eth1")]


@pytest.mark.parametrize("changes", [
    {"rtype": "blackhole", "hops": []}, {"rtype": "unreachable", "hops": []}, {"rtype": "prohibit", "hops": []},
    {"rtype": "throw", "hops": []}, {"rtype": "blackhole"}, {"rtype": "local"}, {"rtype": "multicast"},
    {"tos": 0x10}, {"source": "10.0.0.0/8"}, {"destination": "0.0.0.0/1"}, {"destination": "10.0.0.0/0"},
    {"family": 6, "destination": "0.0.0.0/0"}, {"hops": []},
    {"hops": [hop(flags=["dead"]), hop(flags=["linkdown"]), hop(flags=["blackhole"]), hop(flags=["unresolved"])]},
])
def test_excluded_routes(changes):
    """Each would win on rank (metric 0) but is not a candidate; the metric-100 route wins."""
    routes = [route("excluded", metric=0, **changes), route("fallback", metric=100)]
    assert chosen(routes) == ["fallback"]


def test_dead_and_linkdown_hops_are_skipped():
    r = route("ecmp", hops=[hop("192.0.2.1", "eth0", flags=["dead"]), hop("192.0.2.2", "eth1", flags=["onlink"]),
                            hop("192.0.2.3", "eth2", flags=["linkdown"]), hop(None, "eth3", flags=["blackhole"]),
                            hop("192.0.2.4", "eth4", flags=["unresolved"])])
    assert select.usable_hops(r) == [hop("192.0.2.2", "eth1", flags=["onlink"])]
    assert select.default_hops([r], 4) == [hop("192.0.2.2", "eth1", flags=["onlink"])]


def test_families_are_separate():
    routes = [route("v4"), route("v6", family=6)]
    assert chosen(routes, 4) == ["v4"]
    assert chosen(routes, 6) == ["v6"]


# --- best_local ----------------------------------------------------------------------------------

def addr(address, prefixlen=24, family=4, scope="global", flags=(), cls="public"):
    return {"address": address, "prefixlen": prefixlen, "network": None, "family": family, "scope": scope,
            "class": cls, "broadcast": None, "peer": None, "label": None, "flags": list(flags),
            "zone": None, "preferred_lifetime": None, "valid_lifetime": None}


def pick(address, prefixlen, interface):
    return {"address": address, "prefixlen": prefixlen, "interface": interface}


INTERFACES = {
    "lo": {"addresses": [addr("127.0.0.1", 8, scope="host"), addr("198.51.100.53", 32),
                         addr("::1", 128, 6, scope="host")]},
    "eth0": {"addresses": [
        addr("192.0.2.10"), addr("192.0.2.11", flags=["secondary"]),
        addr("192.0.2.12", flags=["deprecated"]), addr("192.0.2.13", flags=["tentative"]),
        addr("192.0.2.14", flags=["dadfailed"]), addr("169.254.7.7", 16, scope="link"),
        addr("10.20.0.1", 16, scope="site"), addr("192.0.2.15", scope="host"), addr("192.0.2.16", scope="nowhere"),
        addr("2001:db8::10", 64, 6, flags=["permanent"]), addr("2001:db8::11", 64, 6, flags=["temporary"]),
        addr("2001:db8::12", 64, 6, flags=["tentative"]), addr("2001:db8::13", 64, 6, flags=["deprecated", "temporary"]),
        addr("2001:db8::14", 64, 6, flags=["dadfailed"]), addr("2001:db8::15", 64, 6, flags=["optimistic"]),
        addr("fe80::10", 64, 6, scope="link"), addr("fec0::10", 64, 6, scope="site"),
        # autojoin groups: global scope, but never a source
        addr("239.1.1.1", 32, flags=["mcautojoin"], cls="multicast"),
        addr("ff0e::1:3", 128, 6, flags=["mcautojoin"], cls="multicast"),
    ]},
    "eth1": {"addresses": [addr("203.0.113.5"), addr("2001:db8:1::5", 64, 6)]},
    "eth2": {"addresses": []},
    "eth3": {},
}


def test_best_local_ipv4_usable_only_in_kernel_order():
    routes = [route("r", hops=[hop("192.0.2.1", "eth0")])]
    assert select.best_local(routes, INTERFACES, 4) == [
        pick("192.0.2.10", 24, "eth0"), pick("192.0.2.11", 24, "eth0"), pick("10.20.0.1", 16, "eth0")]


def test_best_local_ipv6_excludes_tentative_dadfailed_deprecated_link():
    routes = [route("r", family=6, hops=[hop("fe80::1", "eth0")])]
    assert select.best_local(routes, INTERFACES, 6) == [
        pick("2001:db8::10", 64, "eth0"), pick("2001:db8::11", 64, "eth0"), pick("2001:db8::15", 64, "eth0"),
        pick("fec0::10", 64, "eth0")]


def test_best_local_preferred_source_first():
    routes = [route("r", hops=[hop("192.0.2.1", "eth0")], preferred_source="10.20.0.1")]
    assert select.best_local(routes, INTERFACES, 4) == [
        pick("10.20.0.1", 16, "eth0"), pick("192.0.2.10", 24, "eth0"), pick("192.0.2.11", 24, "eth0")]


def test_best_local_preferred_source_on_another_interface():
    routes = [route("r", hops=[hop("192.0.2.1", "eth0")], preferred_source="198.51.100.53")]
    assert select.best_local(routes, INTERFACES, 4) == [
        pick("198.51.100.53", 32, "lo"), pick("192.0.2.10", 24, "eth0"), pick("192.0.2.11", 24, "eth0"),
        pick("10.20.0.1", 16, "eth0")]


def test_best_local_preferred_source_that_no_interface_holds():
    routes = [route("r", hops=[hop("192.0.2.1", "eth1")], preferred_source="192.0.2.200")]
    assert select.best_local(routes, INTERFACES, 4) == [pick("203.0.113.5", 24, "eth1")]


def test_best_local_ecmp_interfaces_in_hop_order():
    routes = [route("a", metric=5, hops=[hop("203.0.113.1", "eth1"), hop("192.0.2.1", "eth0", flags=["dead"])]),
              route("b", metric=5, hops=[hop("192.0.2.1", "eth0"), hop("203.0.113.2", "eth1")])]
    assert select.best_local(routes, INTERFACES, 4) == [
        pick("203.0.113.5", 24, "eth1"), pick("192.0.2.10", 24, "eth0"), pick("192.0.2.11", 24, "eth0"),
        pick("10.20.0.1", 16, "eth0")]


def test_best_local_only_the_chosen_route():
    routes = [route("better", metric=1, hops=[hop("203.0.113.1", "eth1")]),
              route("worse", metric=2, hops=[hop("192.0.2.1", "eth0")], preferred_source="192.0.2.10")]
    assert select.best_local(routes, INTERFACES, 4) == [pick("203.0.113.5", 24, "eth1")]


def test_best_local_interfaces_without_addresses_or_unknown():
    routes = [route("r", hops=[hop(None, "eth2"), hop(None, "eth3"), hop(None, "gone0")])]
    assert select.best_local(routes, INTERFACES, 4) == []


def test_best_local_no_default_route():
    routes = [route("not-default", destination="192.0.2.0/24", hops=[hop(None, "eth0")])]
    assert select.best_local(routes, INTERFACES, 4) == []


@pytest.mark.parametrize("scope, flags, usable", [
    ("global", [], True), ("site", ["permanent"], True), ("link", [], False), ("host", [], False),
    ("nowhere", [], False), ("global", ["tentative"], False), ("global", ["dadfailed"], False),
    ("global", ["deprecated"], False), ("global", ["optimistic", "temporary", "secondary"], True),
])
def test_usable_address(scope, flags, usable):
    assert select.usable_address(addr("192.0.2.1", scope=scope, flags=flags)) is usable


@pytest.mark.parametrize("address, family, cls, usable", [
    ("239.1.1.1", 4, "multicast", False), ("ff0e::1:3", 6, "multicast", False),
    ("10.0.0.1", 4, "private", True), ("2001:db8::1", 6, "documentation", True),
])
def test_usable_address_multicast_class(address, family, cls, usable):
    for flags in ([], ["mcautojoin"], ["permanent"]):
        assert select.usable_address(addr(address, 32, family, flags=flags, cls=cls)) is usable


def test_unusable_hop_flags():
    assert select.UNUSABLE_HOP == frozenset(("dead", "linkdown", "unresolved", "blackhole"))
