# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""source_selection on fabricated facts: route order, rejections, next hops, local answers, and
the IPv4 and IPv6 source rules, each case built so that the rule under test decides it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress

import pytest
from hypothesis import given, settings, strategies as st

from netifs.source_selection import source_for


def hop(gateway=None, interface="eth0", flags=()):
    return {"gateway": gateway, "interface": interface, "weight": 1, "flags": list(flags)}


def route(dest, *hops, **kw):
    rec = {"destination": dest, "family": 6 if ":" in dest else 4, "type": "unicast", "table": 254,
           "protocol": "static", "scope": "global", "metric": 0, "preference": None, "gateway": None,
           "interface": None, "preferred_source": None, "source": None, "tos": 0, "flags": [],
           "nexthop_id": None, "nexthops": list(hops) if hops else [hop()]}
    rec.update(kw)
    if rec["family"] == 6 and rec["preference"] is None:
        rec["preference"] = "medium"
    return rec


def addr(text, scope="global", flags=(), broadcast=None, cls=None):
    ip = ipaddress.ip_interface(text)
    return {"address": str(ip.ip), "prefixlen": ip.network.prefixlen, "network": str(ip.network),
            "family": ip.version, "scope": scope, "class": cls or ("multicast" if ip.ip.is_multicast else "private"),
            "broadcast": broadcast, "peer": None, "label": None, "flags": list(flags), "zone": None,
            "preferred_lifetime": None, "valid_lifetime": None}


def iface(name, *addrs, loopback=False):
    return {"name": name, "flags": ["up", "loopback"] if loopback else ["up"], "addresses": list(addrs)}


def host(*ifaces):
    base = [iface("lo", addr("127.0.0.1/8", scope="host"), addr("::1/128", scope="host"), loopback=True)]
    return {i["name"]: i for i in base + list(ifaces)}


ETH = host(iface("eth0", addr("10.0.0.5/24", broadcast="10.0.0.255"), addr("2001:db8:1::5/64")),
           iface("eth1", addr("10.1.0.5/24"), addr("2001:db8:2::5/64")))


def answer(routes, dest, interfaces=ETH):
    out = source_for(routes, interfaces, dest)
    return (out["interface"], out["gateway"], out["source"], out["type"], out["table"], out["error"])


# --- which route -----------------------------------------------------------------------------------

def test_longest_prefix_wins():
    routes = [route("0.0.0.0/0", hop("10.0.0.1")), route("10.9.0.0/16", hop("10.1.0.1", "eth1"))]
    assert answer(routes, "10.9.1.1")[:2] == ("eth1", "10.1.0.1")
    assert answer(routes, "10.8.1.1")[:2] == ("eth0", "10.0.0.1")


def test_lower_metric_wins_whatever_the_order():
    routes = [route("0.0.0.0/0", hop("10.1.0.1", "eth1"), metric=300), route("0.0.0.0/0", hop("10.0.0.1"), metric=100)]
    assert answer(routes, "192.0.2.1")[:2] == ("eth0", "10.0.0.1")
    assert answer(routes[::-1], "192.0.2.1")[:2] == ("eth0", "10.0.0.1")


def test_rfc4191_preference_breaks_equal_metric_ties_whatever_the_order():
    routes = [route("::/0", hop("2001:db8:1::1"), metric=1024, preference="low"),
              route("::/0", hop("2001:db8:2::1", "eth1"), metric=1024, preference="high")]
    assert answer(routes, "2001:db8:ffff::1")[:2] == ("eth1", "2001:db8:2::1")
    assert answer(routes[::-1], "2001:db8:ffff::1")[:2] == ("eth1", "2001:db8:2::1")


def test_main_before_default_table_and_policy_tables_unused():
    routes = [route("0.0.0.0/0", hop("10.1.0.1", "eth1"), table=253),
              route("0.0.0.0/0", hop("10.1.0.9", "eth1"), table=100),
              route("0.0.0.0/0", hop("10.0.0.1"), table=254, metric=999)]
    assert answer(routes, "192.0.2.1")[:2] + answer(routes, "192.0.2.1")[4:5] == ("eth0", "10.0.0.1", 254)
    assert answer(routes[:2], "192.0.2.1")[:2] + answer(routes[:2], "192.0.2.1")[4:5] == ("eth1", "10.1.0.1", 253)


def test_throw_moves_on_to_the_next_table():
    routes = [route("192.0.2.0/24", type="throw", nexthops=[]), route("0.0.0.0/0", hop("10.0.0.1")),
              route("0.0.0.0/0", hop("10.1.0.1", "eth1"), table=253)]
    assert answer(routes, "192.0.2.7")[:2] == ("eth1", "10.1.0.1")


@pytest.mark.parametrize("kind", ["blackhole", "unreachable", "prohibit"])
def test_rejecting_route_is_an_error_with_its_type(kind):
    routes = [route("192.0.2.0/24", type=kind, nexthops=[]), route("0.0.0.0/0", hop("10.0.0.1"))]
    out = source_for(routes, ETH, "192.0.2.7")
    assert (out["type"], out["table"], out["nexthops"], out["source"]) == (kind, 254, [], None)
    assert out["error"] == "the route to 192.0.2.7 is of type %s" % kind


def test_dead_hops_are_skipped_linkdown_hops_are_used():
    dead = [route("192.0.2.0/24", hop("10.1.0.1", "eth1", ["dead"])), route("0.0.0.0/0", hop("10.0.0.1"))]
    assert answer(dead, "192.0.2.7")[:2] == ("eth0", "10.0.0.1")
    down = [route("192.0.2.0/24", hop("10.1.0.1", "eth1", ["linkdown"])), route("0.0.0.0/0", hop("10.0.0.1"))]
    assert answer(down, "192.0.2.7")[:2] == ("eth1", "10.1.0.1")


def test_tos_and_source_constrained_routes_are_not_used():
    routes = [route("0.0.0.0/0", hop("10.1.0.1", "eth1"), tos=16),
              route("::/0", hop("2001:db8:2::1", "eth1"), source="2001:db8:9::/64"),
              route("0.0.0.0/0", hop("10.0.0.1"), metric=50), route("::/0", hop("2001:db8:1::1"), metric=50)]
    assert answer(routes, "192.0.2.1")[:2] == ("eth0", "10.0.0.1")
    assert answer(routes, "2001:db8:ffff::1")[:2] == ("eth0", "2001:db8:1::1")


def test_ecmp_lists_every_hop_with_its_source():
    routes = [route("0.0.0.0/0", hop("10.0.0.1"), hop("10.1.0.1", "eth1"), hop("10.1.0.2", "eth1", ["dead"]))]
    out = source_for(routes, ETH, "192.0.2.1")
    assert out["nexthops"] == [{"gateway": "10.0.0.1", "interface": "eth0", "source": "10.0.0.5"},
                               {"gateway": "10.1.0.1", "interface": "eth1", "source": "10.1.0.5"}]
    assert (out["gateway"], out["interface"], out["source"]) == ("10.0.0.1", "eth0", "10.0.0.5")


def test_ipv6_equal_routes_are_not_pooled():
    """ECMP siblings are dumped as one multipath route; separate records of equal rank are routes
    the kernel does not pool (nexthop objects, no gateway, RA): it takes the first."""
    routes = [route("::/0", hop("2001:db8:1::1"), metric=1024), route("::/0", hop("2001:db8:2::1", "eth1"), metric=1024)]
    out = source_for(routes, ETH, "2001:db8:ffff::1")
    assert [(h["interface"], h["gateway"]) for h in out["nexthops"]] == [("eth0", "2001:db8:1::1")]


def test_ipv6_has_no_default_table_rule():
    routes = [route("::/0", hop("2001:db8:2::1", "eth1"), table=253)]
    assert source_for(routes, ETH, "2001:db8:ffff::1")["error"] == (
        "no route to 2001:db8:ffff::1 in the gathered tables main")
    assert answer(routes, "2001:db8:ffff::1")[:2] == (None, None)


def test_ipv6_nexthop_group_takes_the_source_of_its_first_member():
    """fib6_info_nh_dev: whichever member carries, the source is picked for the first one's interface."""
    routes = [route("::/0", hop("2001:db8:1::1"), hop("2001:db8:2::1", "eth1"), nexthop_id=10)]
    out = source_for(routes, ETH, "2001:db8:ffff::1")
    assert [(h["interface"], h["source"]) for h in out["nexthops"]] == [("eth0", "2001:db8:1::5"), ("eth1", "2001:db8:1::5")]
    plain = source_for([dict(routes[0], nexthop_id=None)], ETH, "2001:db8:ffff::1")
    assert [h["source"] for h in plain["nexthops"]] == ["2001:db8:1::5", "2001:db8:2::5"]


def test_ipv4_equal_routes_are_not_pooled():
    routes = [route("0.0.0.0/0", hop("10.0.0.1")), route("0.0.0.0/0", hop("10.1.0.1", "eth1"))]
    assert [h["gateway"] for h in source_for(routes, ETH, "192.0.2.1")["nexthops"]] == ["10.0.0.1"]


def test_zone_restricts_to_its_interface():
    routes = [route("fe80::/64", hop(None, "eth0"), metric=256), route("fe80::/64", hop(None, "eth1"), metric=256)]
    ifs = host(iface("eth0", addr("fe80::a/64", scope="link")), iface("eth1", addr("fe80::b/64", scope="link")))
    assert answer(routes, "fe80::1%eth1", ifs)[:3] == ("eth1", None, "fe80::b")
    assert answer(routes, "fe80::1%eth0", ifs)[:3] == ("eth0", None, "fe80::a")


def test_no_route_is_an_error():
    out = source_for([route("10.9.0.0/16", hop("10.0.0.1"))], ETH, "192.0.2.1")
    assert out["error"] == "no route to 192.0.2.1 in the gathered tables main and default"
    assert (out["source"], out["interface"], out["nexthops"]) == (None, None, [])


@pytest.mark.parametrize("bad", ["10.0.0.0/8", "host.example", "", None, 5, "1.2.3.4%eth0"])
def test_bad_destination_names_the_value(bad):
    with pytest.raises(ValueError) as info:
        source_for([], ETH, bad)
    assert repr(bad) in str(info.value)


# --- local-table answers -----------------------------------------------------------------------------

def test_local_answers():
    ifs = host(iface("eth0", addr("10.0.0.5/24", broadcast="10.0.0.255"), addr("10.0.0.6/24", flags=["secondary"]),
                     addr("2001:db8::7/64", flags=["tentative"]), addr("239.1.1.1/32", cls="multicast"),
                     addr("ff05::1:3/128", cls="multicast"), addr("2001:db8:1::5/64")))
    cases = {"10.0.0.5": ("lo", "10.0.0.5", "local"), "10.0.0.6": ("lo", "10.0.0.5", "local"),
             "127.0.0.9": ("lo", "127.0.0.1", "local"), "10.0.0.255": ("eth0", "10.0.0.5", "broadcast"),
             "239.1.1.1": ("lo", "239.1.1.1", "multicast"), "ff05::1:3": ("lo", "2001:db8:1::5", "local")}
    for dest, want in cases.items():
        out = source_for([], ifs, dest)
        assert (out["interface"], out["source"], out["type"], out["table"]) == want + (255,), dest
    # a tentative address is not local yet: with no route it has no answer
    assert source_for([], ifs, "2001:db8::7")["error"].startswith("no route")


def test_limited_broadcast_and_multicast_leave_the_gateway_out():
    routes = [route("0.0.0.0/0", hop("10.0.0.1")), route("224.1.0.0/16", hop(None, "eth1"), type="multicast")]
    assert answer(routes, "255.255.255.255")[:4] == ("eth0", None, "10.0.0.5", "broadcast")
    assert answer(routes, "239.9.9.9")[:4] == ("eth0", None, "10.0.0.5", "multicast")
    assert answer(routes, "224.1.2.3")[:4] == ("eth1", None, "10.1.0.5", "multicast")


# --- source selection ----------------------------------------------------------------------------------

def test_preferred_source_wins():
    assert answer([route("0.0.0.0/0", hop("10.0.0.1"), preferred_source="10.1.0.5")], "192.0.2.1")[2] == "10.1.0.5"


def test_ipv4_primary_on_the_gateways_subnet():
    ifs = host(iface("eth0", addr("10.0.0.5/24"), addr("10.2.0.5/24"), addr("10.2.0.6/24", flags=["secondary"])))
    assert answer([route("0.0.0.0/0", hop("10.2.0.1"))], "192.0.2.1", ifs)[2] == "10.2.0.5"
    assert answer([route("0.0.0.0/0", hop("10.7.0.1", flags=["onlink"]))], "192.0.2.1", ifs)[2] == "10.0.0.5"
    assert answer([route("10.2.0.0/24", hop(None))], "10.2.0.9", ifs)[2] == "10.0.0.5"  # on-link: first primary


def test_ipv4_falls_back_to_a_global_address_elsewhere():
    ifs = host(iface("eth0"), iface("eth1", addr("10.1.0.5/24")))
    assert answer([route("0.0.0.0/0", hop("10.0.0.1", "eth0"))], "192.0.2.1", ifs)[2] == "10.1.0.5"


def v6(dest, *addrs_on_eth0, others=()):
    ifs = host(iface("eth0", *addrs_on_eth0), iface("eth1", *others))
    return answer([route("::/0", hop("fe80::1", "eth0"))], dest, ifs)[2]


def test_rfc6724_rule2_scope():
    assert v6("fe80::9%eth0", addr("2001:db8:1::5/64"), addr("fe80::5/64", scope="link")) == "fe80::5"
    assert v6("2001:db8:9::1", addr("fe80::5/64", scope="link"), addr("2001:db8:1::5/64")) == "2001:db8:1::5"
    assert v6("fec0::9", addr("2001:db8:1::5/64"), addr("fec0::5/64", scope="site")) == "fec0::5"


def test_rfc6724_rule3_deprecated_avoided():
    assert v6("2001:db8:9::1", addr("2001:db8:9::5/64", flags=["deprecated"]), addr("2001:db8:1::5/64")) == "2001:db8:1::5"


def test_rfc6724_rule5_outgoing_interface():
    assert v6("2001:db8:9::1", others=[addr("2001:db8:9::5/64")]) == "2001:db8:9::5"  # only candidate
    assert v6("2001:db8:9::1", addr("2001:db8:1::5/64"), others=[addr("2001:db8:9::5/64")]) == "2001:db8:1::5"


def test_rfc6724_rule6_label():
    assert v6("2002:c000:201::1", addr("2001:db8:1::5/64"), addr("2002:c000:202::5/48")) == "2002:c000:202::5"


def test_rfc6724_rule7_temporary_preferred_where_privacy_extensions_made_one():
    temporary = (addr("2001:db8:1::9/64", flags=["temporary"]), addr("2001:db8:1::5/64"))
    assert v6("2001:db8:9::1", *temporary) == "2001:db8:1::9"
    ifs = host(iface("eth0", *temporary))
    for setting in (1, 0, {"eth0": 1}):
        out = source_for([route("::/0", hop("fe80::1", "eth0"))], ifs, "2001:db8:9::1", use_tempaddr=setting)
        assert out["source"] == "2001:db8:1::5", setting


def test_rfc6724_rule7_is_decided_per_interface():
    """Rule 7 reads use_tempaddr of each candidate's interface: eth0, which holds a temporary
    address, prefers it to its public one (nearest the destination); eth1, taken at the kernel's
    default 0, prefers its public address, which rule 8 then finds nearer than the temporary."""
    ifs = host(iface("eth0", addr("2001:db8:9::5/64"), addr("2001:db8:1::9/64", flags=["temporary"])),
               iface("eth1", addr("2001:db8:8::6/64")), iface("eth2"))
    routes = [route("::/0", hop("fe80::1", "eth2"))]
    assert answer(routes, "2001:db8:9::1", ifs)[2] == "2001:db8:8::6"
    assert source_for(routes, ifs, "2001:db8:9::1", use_tempaddr=0)["source"] == "2001:db8:9::5"


def test_rfc6724_rule8_longest_prefix_capped_at_the_prefix_length():
    assert v6("2001:db8:9::1", addr("2001:db8:1::5/64"), addr("2001:db8:9::5/64")) == "2001:db8:9::5"
    # 2001:db8:9:: matches 48 bits of the destination, but its /32 caps the match at 32 bits:
    assert v6("2001:db8:9::1", addr("2001:db8:9::5/32"), addr("2001:db8:8::5/44")) == "2001:db8:8::5"


def test_tentative_and_failed_addresses_are_no_source():
    assert v6("2001:db8:9::1", addr("2001:db8:9::5/64", flags=["tentative"]),
              addr("2001:db8:9::6/64", flags=["dadfailed"]), addr("2001:db8:1::5/64")) == "2001:db8:1::5"


# --- property ------------------------------------------------------------------------------------------

PREFIXES = st.tuples(st.integers(0, 0xFFFF), st.integers(0, 16)).map(
    lambda t: str(ipaddress.ip_network(((t[0] << 16) & ((0xFFFFFFFF << (32 - t[1])) & 0xFFFFFFFF), t[1]))))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(PREFIXES, st.integers(0, 3), st.sampled_from([253, 254])), max_size=12),
       st.integers(0, 0xFFFFFFFF))
def test_chosen_route_is_the_best_cover(specs, dest_int):
    """Each route has its own gateway, so the answer tells which route was chosen."""
    routes = [route(p, hop("10.0.%d.1" % i), metric=m, table=t) for i, (p, m, t) in enumerate(specs)]
    dest = str(ipaddress.ip_address(dest_int))
    out = source_for(routes, ETH, dest)
    if out["type"] in ("local", "broadcast", "multicast"):  # no gateway to tell the route by (tested apart)
        return
    covering = [r for r in routes if ipaddress.ip_address(dest) in ipaddress.ip_network(r["destination"])]
    if not covering:
        assert out["error"] and out["gateway"] is None
        return
    table = 254 if any(r["table"] == 254 for r in covering) else 253

    def key(r):
        return (-ipaddress.ip_network(r["destination"]).prefixlen, r["metric"])
    best = min(key(r) for r in covering if r["table"] == table)
    chosen = [r for r in routes if r["nexthops"][0]["gateway"] == out["gateway"]]
    assert len(chosen) == 1 and chosen[0]["table"] == table and key(chosen[0]) == best, (out, chosen)


# --- policy rules and the traffic ------------------------------------------------------------------------

def rule(priority, action="lookup", table=None, **selectors):
    return dict({"family": 4, "priority": priority, "action": action, "table": table}, **selectors)


WG = [rule(0, table=255), rule(32764, table=254, suppress_prefixlength=0),
      rule(32765, table=51820, fwmark=51820, fwmask=0xFFFFFFFF, invert=True), rule(32766, table=254)]
WG_ROUTES = [route("0.0.0.0/0", hop("10.0.0.1")), route("10.9.0.0/16", hop("10.0.0.1")),
             route("0.0.0.0/0", hop(None, "eth1"), table=51820)]


def test_wg_quick_rules():
    out = source_for(WG_ROUTES, ETH, "192.0.2.1", rules=WG)
    got = (out["interface"], out["table"], out["rule"], out["policy"], out["prefix"])
    assert got == ("eth1", 51820, 32765, "gathered", "0.0.0.0/0")
    assert out["undecided"] == [{"priority": 32765, "missing": ["fwmark"], "assumed": "matched"}]
    assert source_for(WG_ROUTES, ETH, "192.0.2.1", rules=WG, fwmark=51820)["interface"] == "eth0"
    assert source_for(WG_ROUTES, ETH, "192.0.2.1", rules=WG, fwmark="0xca6c")["interface"] == "eth0"
    assert source_for(WG_ROUTES, ETH, "10.9.1.1", rules=WG)["rule"] == 32764  # more specific than a default
    assert source_for(WG_ROUTES, ETH, "192.0.2.1")["interface"] == "eth0"  # without rules: the kernel's defaults


def test_a_reject_rule_is_an_answer():
    out = source_for(WG_ROUTES, ETH, "192.0.2.1", rules=[rule(10, "prohibit", to="192.0.2.0/24")] + WG)
    assert (out["type"], out["table"], out["rule"], out["source"]) == ("prohibit", None, 10, None)
    assert out["error"] == "rule 10 (prohibit) rejects traffic to 192.0.2.1"


def test_no_rule_answers():
    out = source_for(WG_ROUTES, ETH, "192.0.2.1", rules=[rule(5, table=77), rule(6, table=255)])
    assert out["error"] == "no route to 192.0.2.1 in the gathered tables 77"
    assert (out["type"], out["rule"]) == (None, None)


def test_the_traffic_source_and_forwarded_traffic():
    rules = [rule(0, table=255), rule(100, table=100, **{"from": "10.1.0.0/24"}), rule(200, table=200, iif="eth1"),
             rule(32766, table=254)]
    routes = WG_ROUTES + [route("0.0.0.0/0", hop("10.1.0.1", "eth1"), table=100),
                          route("0.0.0.0/0", hop("10.1.0.2", "eth1"), table=200)]
    assert answer_with(routes, rules) == ("eth0", "10.0.0.1", "10.0.0.5")
    assert answer_with(routes, rules, source="10.1.0.5") == ("eth1", "10.1.0.1", "10.1.0.5")
    assert answer_with(routes, rules, source="10.7.7.7", iif="eth1") == ("eth1", "10.1.0.2", "10.7.7.7")
    assert source_for(routes, ETH, "192.0.2.1", source="10.7.7.7")["error"] == (
        "no route: the source 10.7.7.7 is not an address of this host")


def answer_with(routes, rules, **traffic):
    out = source_for(routes, ETH, "192.0.2.1", rules=rules, **traffic)
    return out["interface"], out["gateway"], out["source"]


@pytest.mark.parametrize("kwargs, message", [
    ({"iif": "eth1"}, "traffic from iif 'eth1' needs its source address (source)"),
    ({"fwmark": "mark"}, "fwmark 'mark' is not a number from 0 to 4294967295"),
    ({"sport": 70000}, "sport 70000 is not a number from 0 to 65535"),
    ({"uid": True}, "uid True is not a number"),
    ({"use_tempaddr": {"eth0": "2"}}, "use_tempaddr {'eth0': '2'} is not a number"),
    ({"rules": {"priority": 1}}, "rules {'priority': 1} is not a list of rule records"),
    ({"source": "2001:db8::1"}, "source '2001:db8::1' is not an IPv4 address like the destination"),
    ({"ipproto": "quic"}, "ipproto 'quic' is not a protocol number"),
])
def test_bad_traffic_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        source_for(WG_ROUTES, ETH, "192.0.2.1", **kwargs)
