# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""best_local, default_ipv4/6, the default gateways and sources against ``ip route get`` (and
``ip route get fibmatch``, ``ip route get ... oif``) in the same namespace, on the hosts of
outbound_hosts.py and on every scenario of conftest.py.

The kernel side is worked out from ``ip`` alone (kernel_view.way_out): each probe asked, the
probes grouped by the way they leave, the largest group's first probe chosen. Only the list of
probes is the engine's (a constant, not logic).
"""

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
from compare import assert_equal, assert_same_multiset, pick

sys.path.insert(0, os.path.join(netns.REPO, "plugins", "module_utils"))
from netifs.outbound import PROBES  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.usefixtures("engine_present")

ROUTE_KEYS = ("destination", "family", "type", "table", "protocol", "scope", "metric", "preference",
              "gateway", "interface", "preferred_source", "source", "tos", "flags", "nexthop_id")
HOP_KEYS = ("gateway", "interface", "weight", "flags", "source")
PROBE_KEYS = ("source", "interface", "gateway", "table", "type")
GATEWAY_KEYS = ("address", "family", "interface", "metric", "table", "default")
ALL = ("lan", "routes", "noipv6", "nodefault", "rejectonly")


class Host:
    """A built host: its namespace, the engine's facts (all subsets, its destinations) and the
    kernel's way out per family."""

    def __init__(self, name, ns, info):
        self.name, self.ns, self.info = name, ns, info
        self.facts = ns.engine(destinations=info["destinations"])
        self.ways = {family: kv.way_out(ns, family, PROBES[family]) for family in (4, 6)}


@pytest.fixture(scope="module", params=sorted(outbound_hosts.HOSTS) + list(ALL))
def host(request):
    name = request.param
    if name in outbound_hosts.HOSTS:
        for built in scenarios.built(name, outbound_hosts.HOSTS[name]):
            yield Host(name, built.ns, built.info)
        return
    scenario = request.getfixturevalue(name)
    yield Host(name, scenario.ns, scenario.info)


@pytest.mark.parametrize("family", [4, 6])
def test_each_probe_as_ip_route_get(host, family):
    way = host.ways[family]
    engine = host.facts["default_ipv%d" % family].get("probes")
    if way["chosen"] is None:
        assert_equal(host.facts["default_ipv%d" % family], {}, "default_ipv%d with no way out" % family)
        return
    got, want, routes = [], [], kv.routes(host.ns)
    for entry, (probe, answer, match), path in zip(engine, way["answers"], way["paths"]):
        got.append(dict(pick(entry, ("destination", "matched", "agrees")), error=bool(entry["error"]),
                        **({k: entry[k] for k in PROBE_KEYS} if not entry["error"] else {"type": entry["type"]})))
        if "error" in answer:  # the kernel tells the type by errno; the tables hold the route
            match = kv.reject_route(routes, probe, answer["type"]) if answer["type"] else None
        kernel = {"destination": probe, "matched": match["destination"] if match else None,
                  "agrees": path == way["best"], "error": "error" in answer}
        kernel.update({k: answer[k] for k in PROBE_KEYS} if "error" not in answer else {"type": answer["type"]})
        want.append(kernel)
    assert_equal(got, want, "default_ipv%d.probes vs ip route get / fibmatch" % family)


def _route(match, hop_sources):
    out = pick(match, ROUTE_KEYS)
    out["flags"] = sorted(out["flags"])
    out["nexthops"] = [dict(pick(h, HOP_KEYS[:-1]), flags=sorted(h["flags"]), source=hop_sources.get(h["interface"]))
                       for h in match["nexthops"]]
    return out


def _engine_route(route):
    out = pick(route, ROUTE_KEYS)
    out["protocol"] = kv.protocol_number(out["protocol"]) if out["protocol"] else None
    out["flags"] = sorted(out["flags"] or [])
    out["nexthops"] = [dict(pick(h, HOP_KEYS), flags=sorted(h["flags"])) for h in route["nexthops"]]
    return out


@pytest.mark.parametrize("family", [4, 6])
def test_default_ipvx_is_the_kernels_answer(host, family):
    way, got = host.ways[family], host.facts["default_ipv%d" % family]
    if way["chosen"] is None:
        assert_equal(got, {}, "default_ipv%d" % family)
        return
    probe, answer, match = way["chosen"]
    if "error" in answer:  # a rejecting route is the answer
        view = {k: got[k] for k in ("interface", "address", "gateway")}
        assert_equal(view, dict.fromkeys(view), "default_ipv%d of a rejecting route" % family)
        assert_equal(got["route"]["type"], answer["type"], "default_ipv%d.route.type (%s)" % (family, answer["error"]))
        return
    want = {"interface": answer["interface"], "gateway": answer["gateway"], "address": answer["source"]}
    addrs, links = kv.addresses(host.ns), kv.links(host.ns)
    # the source's record wherever it is: IPv6 over a nexthop group may take it from another hop's link
    rec = kv.owner(addrs, answer["source"], family, answer["interface"])[1]
    link = links[answer["interface"]]
    want.update(prefix=str(rec["prefixlen"]) if rec else None, macaddress=link["mac"] or "unknown", mtu=link["mtu"])
    if family == 4:
        net = ipaddress.ip_network("%s/%s" % (rec["address"], rec["prefixlen"]), strict=False) if rec else None
        want.update(alias=answer["interface"], netmask=str(net.netmask) if net else None,
                    network=str(net.network_address) if net else None)
    else:
        want["scope"] = rec["scope"] if rec else None
    assert_equal({k: got.get(k) for k in want}, want, "default_ipv%d vs ip route get %s" % (family, probe))
    assert_equal(_engine_route(got["route"]), _route(match, way["hop_sources"]),
                 "default_ipv%d.route vs ip route get fibmatch %s (hop sources: ... oif DEV)" % (family, probe))


def test_best_local_is_the_kernels_sources_first(host):
    addrs = kv.addresses(host.ns)
    want = {"ipv%d" % f: kv.best_local(host.ways[f], addrs, f) for f in (4, 6)}
    assert_equal(host.facts["best_local"], want, "best_local")


def test_default_gateways_are_the_routes_the_probes_take(host):
    want = kv.gateways(kv.routes(host.ns), kv.default_ids(host.ways.values()))
    got = [pick(g, GATEWAY_KEYS) for g in host.facts["gateways"]]
    assert_same_multiset(got, want, "gateways")
    assert_equal([g for i, g in enumerate(got) if g in got[:i]], [], "duplicate gateways")


def test_disagreeing_probes_are_reported(host):
    odd = {f: [p for (p, _a, _m), path in zip(host.ways[f]["answers"], host.ways[f]["paths"])
               if path != host.ways[f]["best"]] for f in (4, 6)}
    said = {f: [w for w in host.facts["warnings"] if w.startswith("the IPv%d probes disagree" % f)] for f in (4, 6)}
    view = {f: [p for p in odd[f] if any(p in w for w in said[f])] for f in (4, 6)}
    assert_equal(view, odd, "every disagreeing probe named in a warning")
    assert_equal({f: len(said[f]) for f in (4, 6)}, {f: int(bool(odd[f])) for f in (4, 6)}, "one warning a family")


def test_sources_as_ip_route_get(host):
    routes = kv.routes(host.ns)
    assert_equal([s["destination"] for s in host.facts["sources"]], host.info["destinations"], "sources, in order")
    got = {s["destination"]: kv.engine_source(s) for s in host.facts["sources"]}
    want = {d: kv.expected_source(host.ns, d, routes) for d in host.info["destinations"]}
    assert_equal(got, want, "sources vs ip route get")


# What each builder says of its host, checked in the kernel, so that a test above cannot pass on
# a host that is not what it claims.
CLAIMS = {
    "two_subnets": lambda w: (w[4]["chosen"][1]["source"], w[6]["chosen"][1]["source"]) == ("10.2.0.5", "2001:db8:1::5"),
    "vpn_halves": lambda w: {a["interface"] for f in (4, 6) for _p, a, _m in w[f]["answers"]} == {"tun0"},
    "wg_policy": lambda w: {(a["interface"], a["table"]) for f in (4, 6) for _p, a, _m in w[f]["answers"]} == {("wg0", 51820)},
    "to_rule": lambda w: all(w[f]["paths"].count(w[f]["best"]) == 4 and w[f]["answers"][0][1]["table"] == 200 for f in (4, 6)),
    "specific_route": lambda w: all(w[f]["paths"].count(w[f]["best"]) == 4 for f in (4, 6)),
    "blackhole_first": lambda w: (w[4]["chosen"][1]["type"], w[6]["chosen"][1]["type"]) == ("blackhole", "prohibit"),
    "unreachable_first": lambda w: (w[4]["chosen"][1]["type"], w[6]["chosen"][1]["type"]) == ("unreachable",) * 2,
    "linkdown_used": lambda w: (w[4]["chosen"][1]["interface"], w[6]["chosen"][1]["interface"]) == ("vx", "vx"),
    "linkdown_ignored": lambda w: (w[4]["chosen"][1]["interface"], w[6]["chosen"][1]["interface"]) == ("va", "va"),
    "ecmp": lambda w: all(len(w[f]["chosen"][2]["nexthops"]) == 2 for f in (4, 6)),
    "nexthop_group": lambda w: all(len(w[f]["chosen"][2]["nexthops"]) == 2 for f in (4, 6)),
    "preferred_source": lambda w: (w[4]["chosen"][1]["source"], w[6]["chosen"][1]["source"]) == ("10.35.0.7", "2001:db8:35::7"),
    "throw_to_nothing": lambda w: w[4]["chosen"] is None and w[6]["chosen"] is None,
}


def test_the_host_is_what_it_claims(host):
    if host.name not in CLAIMS:
        pytest.skip("a scenario of conftest.py: its own tests say what it is")
    assert CLAIMS[host.name](host.ways), "the kernel's ways out on %s: %r" % (host.name, host.ways)
