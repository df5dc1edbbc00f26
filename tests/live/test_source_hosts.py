# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``source_for`` from gathered facts against ``ip route get`` on hosts where the kernel's
choice is not the obvious one (selection_hosts.py): every field (type, table, route, interface,
gateway, source; a rejection's errno) for public and private destinations; on ECMP hosts every
reported hop is one the kernel takes, with the source it uses there."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import os
import sys

import pytest

import kernel_view as kv
import netns
import outbound_hosts
import scenarios
import selection_hosts as hosts
from compare import assert_equal
from source_check import disagreements, kernel_answer
from test_source_for import grid

sys.path.insert(0, os.path.join(netns.REPO, "plugins", "module_utils"))
from netifs.source_selection import source_for  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.usefixtures("engine_present")


def _host(name, count=1):
    """A module-scoped fixture ``name``: selection_hosts.build_<name> in ``count`` namespaces."""
    def made():
        yield from hosts.built(name, getattr(hosts, "build_" + name), count)
    return pytest.fixture(scope="module", name=name)(made)


rfc6724, inet_select, vpn, reject, ecmp, policy_routing = (
    _host(n) for n in ("rfc6724", "inet_select", "vpn", "reject", "ecmp", "policy_routing"))
linkdown = _host("linkdown", len(hosts.LINKDOWN_SYSCTL))


def offline(facts, **knobs):
    return lambda dest: source_for(facts["routes"], facts["interfaces"], dest, **knobs)


def check(scenario, ns, facts, knobs):
    """source_for with the gathered rules over the grid and the host's own destinations."""
    dests = grid(scenario, facts)
    bad = disagreements(ns, dests, offline(facts, rules=facts["rules"], **knobs))
    assert_equal(bad, {}, "source_for%s vs ip route get over %d destinations in %s" % (knobs or "", len(dests), ns))
    return dests


@pytest.mark.parametrize("name", ["rfc6724", "inet_select", "vpn", "reject", "ecmp"])
def test_source_for_agrees_with_route_get(request, name):
    scenario = request.getfixturevalue(name)
    dests = check(scenario, scenario.ns, scenario.facts(), scenario.info["knobs"])
    assert len(dests) >= 30, dests


@pytest.fixture(scope="module", params=sorted(outbound_hosts.HOSTS))
def outbound(request):
    """The hosts test_way_out.py asks the engine's way out of (outbound_hosts.py)."""
    yield from scenarios.built(request.param, outbound_hosts.HOSTS[request.param])


def test_source_for_on_the_way_out_hosts(outbound):
    check(outbound, outbound.ns, outbound.facts(), {})


@pytest.mark.parametrize("index", range(len(hosts.LINKDOWN_SYSCTL)))
def test_link_down_routes_as_the_sysctl_says(linkdown, index):
    """The facts hold ignore_routes_with_linkdown's effect: the kernel dumps a link-down hop as
    dead too where the sysctl ignores it, and source_for skips dead hops."""
    ns = ([linkdown.ns] + linkdown.others)[index]
    facts = netns.run_engine(ns)
    flags = {tuple(h["flags"]) for r in facts["routes"] for h in r["nexthops"] if h["interface"] == "lda"}
    assert flags == ({("linkdown",)} if hosts.LINKDOWN_SYSCTL[index] is None else {("dead", "linkdown")}), flags
    check(linkdown, ns, facts, {})


def test_the_hosts_are_what_they_claim(rfc6724, vpn, linkdown, reject):
    """What the comparisons rely on is really there (so that they test what they say)."""
    six = {a["address"]: a for a in rfc6724.facts()["interfaces"]["s6a"]["addresses"]}
    assert [a for a in six.values() if "temporary" in a["flags"]], six
    assert "deprecated" in six["2001:db8:63::5"]["flags"]
    assert "optimistic" in rfc6724.facts()["interfaces"]["s6d"]["addresses"][0]["flags"]
    links = kv.links(vpn.ns)
    assert (links["vpn0"]["carrier"], links["vpn1"]["carrier"]) == (True, False)
    assert "error" in kv.route_get(reject.ns, "8.8.8.8") and "error" not in kv.route_get(reject.ns, "10.62.1.1")


def test_use_tempaddr_decides(rfc6724):
    """Where use_tempaddr is not what source_for infers (1 on s6c, which holds a temporary
    address), the answer differs from the kernel's unless it is given."""
    assert disagreements(rfc6724.ns, ["2001:db8:65::9"], offline(rfc6724.facts()))
    assert not disagreements(rfc6724.ns, ["2001:db8:65::9"], offline(rfc6724.facts(), use_tempaddr={"s6c": 1}))


def test_ecmp_every_hop_is_the_kernels_with_its_source(ecmp):
    """Over many destinations per multipath route, the kernel takes every hop source_for
    reports (with the same source), and asked through one hop's interface (``oif``) answers with
    that hop and the source source_for gives it; but for an IPv6 nexthop group, where the kernel
    hashes whatever ``oif`` says (and picks the first member's source for every member)."""
    facts = ecmp.facts()
    groups6 = {r["destination"] for r in facts["routes"] if r["family"] == 6 and r["nexthop_id"] is not None}
    taken, reported, bad = {}, {}, {}
    for dest in ecmp.info["destinations"]:
        mine = source_for(facts["routes"], facts["interfaces"], dest)
        kernel = kernel_answer(ecmp.ns, dest)
        hops = {(h["interface"], h["gateway"], h["source"]) for h in mine["nexthops"]}
        reported.setdefault(mine["prefix"], set()).update(hops)
        taken.setdefault(kernel.get("prefix"), set()).add((kernel["interface"], kernel["gateway"], kernel["source"]))
        if mine["family"] == 4 or mine["prefix"] not in groups6:
            for hop in mine["nexthops"]:
                via = kv.route_get(ecmp.ns, dest, oif=hop["interface"])
                if (via["interface"], via["gateway"], via["source"]) != (hop["interface"], hop["gateway"], hop["source"]):
                    bad["%s oif %s" % (dest, hop["interface"])] = (via, hop)
    assert_equal(bad, {}, "ip route get DEST oif HOP vs source_for's hop")
    assert sorted(reported) == sorted(ecmp.info["ecmp_prefixes"]), sorted(reported)
    assert_equal({p: sorted(reported[p] - taken.get(p, set())) for p in reported}, dict.fromkeys(reported, []),
                 "hops source_for reports that the kernel never took")
    assert all(len(reported[p]) > 1 for p in reported), reported


def _cases(info):
    """``(traffic, destinations)``: each traffic description with the destinations of its
    family (the family of its source, when it has one). Forwarded traffic (``iif``) is not asked
    about loopback or zoned destinations: the input path's own checks are not modelled."""
    for traffic in info["traffic"]:
        family = kv.family_of(traffic["source"]) if "source" in traffic else None
        yield traffic, [d for d in info["destinations"] if family in (None, kv.family_of(d))
                        and not ("iif" in traffic and ("%" in d or ipaddress.ip_address(d).is_loopback))]


def test_source_for_follows_the_gathered_rules(policy_routing):
    """With the engine's rules, for every traffic description (fwmark, uid, protocol and ports,
    a source, forwarded from an interface), as ``ip route get ... mark/uid/ipproto/sport/dport/
    from/iif`` answers."""
    facts = policy_routing.facts()
    assert len(facts["rules"]) == len(hosts.POLICY_RULES) + 5, facts["rules"]
    bad = {}
    for traffic, dests in _cases(policy_routing.info):
        found = disagreements(policy_routing.ns, dests, offline(facts, rules=facts["rules"], **traffic), **traffic)
        bad.update(("%s %s" % (dest, traffic), why) for dest, why in found.items())
    assert_equal(bad, {}, "source_for with the rules vs ip route get")


def test_rules_it_could_not_decide_are_named(policy_routing):
    """Unmarked traffic of root with no protocol, as assumed, passes the uid, fwmark and protocol
    rules and is taken by wg-quick's ``not fwmark``: each is named with what was assumed; given
    every trait, nothing is undecided."""
    facts = policy_routing.facts()
    out = source_for(facts["routes"], facts["interfaces"], "8.8.8.8", rules=facts["rules"])
    assert (out["interface"], out["rule"], out["table"], out["policy"]) == ("wg0", 32765, 51820, "gathered")
    assert [(u["priority"], u["missing"], u["assumed"]) for u in out["undecided"]] == [
        (130, ["uid"], "not matched"), (140, ["fwmark"], "not matched"), (150, ["ipproto", "dport"], "not matched"),
        (151, ["ipproto", "sport"], "not matched"), (32765, ["fwmark"], "matched")]
    given = source_for(facts["routes"], facts["interfaces"], "8.8.8.8", rules=facts["rules"], fwmark=51820, uid=0,
                       ipproto="icmp", sport=0, dport=0)
    assert (given["interface"], given["rule"], given["undecided"]) == ("pra", 32766, []), given
    plain = source_for(facts["routes"], facts["interfaces"], "8.8.8.8")
    assert (plain["interface"], plain["policy"], plain["rule"]) == ("pra", "default", 32766)
