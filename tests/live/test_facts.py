# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The engine's facts against the kernel's own view of the same namespace.

Each test gathers with ``netifs.gather()`` inside a scenario namespace (see conftest.py) and
compares whole normalised sets or lists with what ``ip -j``, /proc and ``ip route get`` say there
(normalisers in kernel_view.py).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
import ipaddress
import json
import sys

import pytest

import kernel_view as kv
import netns
import scenarios
from compare import assert_equal, assert_same_multiset, canon, pick

pytestmark = pytest.mark.usefixtures("engine_present")

ALL_SUBSETS = ["addresses", "best_local", "gateways", "interfaces", "multicast", "routes", "rules", "stats"]
TOP_KEYS = ("schema", "backend", "subsets", "missing", "warnings")
SUBSET_KEYS = {
    "interfaces": ("interfaces",), "addresses": ("interfaces", "all_ipv4_addresses", "all_ipv6_addresses"),
    "multicast": ("interfaces",), "stats": ("interfaces",), "routes": ("routes",),
    "gateways": ("gateways",), "best_local": ("best_local", "default_ipv4", "default_ipv6"), "rules": ("rules",),
}
LINK_KEYS = ("index", "name", "altnames", "kind", "slave_kind", "type", "mac", "mtu", "min_mtu",
             "max_mtu", "flags", "oper_state", "carrier", "master", "parent", "peer", "link_netnsid",
             "alias")
ADDR_KEYS = ("address", "prefixlen", "network", "family", "scope", "broadcast", "peer", "label",
             "flags", "zone")
ROUTE_KEYS = ("destination", "family", "type", "table", "protocol", "scope", "metric", "preference",
              "gateway", "interface", "preferred_source", "source", "tos", "flags", "nexthop_id",
              "nexthops")
NEXTHOP_KEYS = ("gateway", "interface", "weight", "flags")
GATEWAY_KEYS = ("address", "family", "interface", "metric", "table", "default")
SOURCE_KEYS = ("destination", "address", "family", "source", "interface", "gateway", "table", "type", "error")
DEFAULT4_KEYS = {"interface", "address", "gateway", "broadcast", "netmask", "network", "prefix",
                 "macaddress", "mtu", "type", "alias"}
DEFAULT6_KEYS = {"interface", "address", "gateway", "prefix", "scope", "macaddress", "mtu", "type"}
STATS_KEYS = ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
              "rx_dropped", "tx_dropped", "multicast", "collisions")
CLASSES = {"unspecified", "loopback", "link_local", "private", "shared", "unique_local", "multicast",
           "documentation", "benchmarking", "reserved", "public"}
# ranges whose class the schema leaves no doubt about (most specific first)
KNOWN_CLASSES = [(ipaddress.ip_network(n), c) for n, c in (
    ("10.0.0.0/8", "private"), ("192.168.0.0/16", "private"), ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link_local"), ("224.0.0.0/4", "multicast"), ("192.0.2.0/24", "documentation"),
    ("2001:db8::/32", "documentation"), ("fe80::/10", "link_local"), ("::1/128", "loopback"),
    ("fc00::/7", "unique_local"), ("ff00::/8", "multicast"))]
LIFETIME_SLACK = 5  # seconds between the engine's read and ip's
STP = {0: "off", 1: "kernel", 2: "user"}


def sorted_flags(rec):
    rec = dict(rec)
    if isinstance(rec.get("flags"), list):
        rec["flags"] = sorted(rec["flags"])
    return rec


def each_interface(facts):
    return facts.get("interfaces", {}).items()


# ------------------------------------------------------------------ top level

def test_top_level_shape(any_scenario):
    f = any_scenario.facts()
    assert_equal(pick(f, TOP_KEYS), {"schema": 1, "backend": "linux_rtnetlink", "subsets": ALL_SUBSETS,
                                     "missing": [], "warnings": []}, "top-level keys")
    want = sorted({k for keys in SUBSET_KEYS.values() for k in keys} | {"sources"})
    assert_equal(sorted(k for k in want if k in f), want, "top-level keys present")
    assert_equal(json.loads(json.dumps(f)), f, "facts survive a JSON round trip")


# ------------------------------------------------------------------ interfaces

def expected_kind_data(engine_value, kernel_value):
    """The kernel's kind_data; a bridge's stp_state may be the number or its name (the schema
    does not say which)."""
    out = dict(kernel_value)
    if "stp_state" in out and isinstance(engine_value, dict):
        num = out["stp_state"]
        if engine_value.get("stp_state") == STP.get(num):
            out["stp_state"] = STP[num]
    return out


LINK_GROUPS = {
    "identity": ("index", "name", "type", "kind"),
    "mac": ("mac",),
    "mtu": ("mtu", "min_mtu", "max_mtu"),
    "state": ("flags", "oper_state", "carrier"),
    "ports": ("master", "slave_kind"),
    "stacking": ("parent", "peer", "link_netnsid"),
    "naming": ("altnames", "alias"),
}
assert sorted(k for keys in LINK_GROUPS.values() for k in keys) == sorted(LINK_KEYS)


def test_interface_order(any_scenario):
    f = any_scenario.facts()
    assert_equal(list(f["interfaces"]), list(kv.links(any_scenario.ns)), "interface names, in the kernel's order")


@pytest.mark.parametrize("group", sorted(LINK_GROUPS))
def test_interfaces(any_scenario, group):
    """Every interface's link keys, a group of keys at a time (so one difference does not hide
    the others)."""
    f = any_scenario.facts()
    kernel = kv.links(any_scenario.ns)
    keys = LINK_GROUPS[group]
    engine = {n: sorted_flags(pick(r, keys)) for n, r in each_interface(f)}
    expect = {n: sorted_flags(pick(r, keys)) for n, r in kernel.items()}
    assert_equal(engine, expect, "interfaces (%s: %s)" % (group, ", ".join(keys)))


def test_interface_kind_data(any_scenario):
    f = any_scenario.facts()
    kernel = kv.links(any_scenario.ns)
    engine = {n: r.get("kind_data", "<absent>") for n, r in each_interface(f)}
    expect = {n: expected_kind_data(engine.get(n), r["kind_data"]) for n, r in kernel.items()}
    assert_equal(engine, expect, "kind_data")


def test_interface_permanent_mac(any_scenario):
    # ip hides IFLA_PERM_ADDRESS when it equals the address: then null or the address is right
    f = any_scenario.facts()
    bad = {}
    for name, rec in kv.links(any_scenario.ns).items():
        got = f["interfaces"][name].get("permanent_mac", "<absent>")
        ok = (got == rec["permanent_mac"]) if rec["permanent_mac"] else got in (None, rec["mac"])
        if not ok:
            bad[name] = {"engine": got, "ip permaddr": rec["permanent_mac"], "mac": rec["mac"]}
    assert_equal(bad, {}, "permanent_mac")


def test_interface_names_are_literal(lan):
    raw = netns.run(["ip", "netns", "exec", lan.ns.name, sys.executable, netns.GATHER_SCRIPT,
                     json.dumps({"subset": ["interfaces"]})]).stdout
    facts = json.loads(raw)
    names = list(facts["interfaces"])
    assert scenarios.TEMPLATE_NAME in names, names
    assert "49" not in names
    assert '"{{7*7}}"' in raw, "the name must be in the JSON text as written"
    tpl = facts["interfaces"][scenarios.TEMPLATE_NAME]
    assert (tpl["name"], tpl["peer"]) == (scenarios.TEMPLATE_NAME, scenarios.UTF8_NAME)
    assert facts["interfaces"][scenarios.UTF8_NAME]["name"] == scenarios.UTF8_NAME
    assert facts["interfaces"]["vb"]["alias"] == scenarios.ALIAS
    with_bytes = [n for n, r in facts["interfaces"].items() if "name_bytes" in r]
    assert_equal(with_bytes, [], "name_bytes on UTF-8 names")


# ------------------------------------------------------------------ addresses

def test_addresses(any_scenario):
    f = any_scenario.gather(subset=["addresses"])  # fresh: lifetimes are compared below
    kernel = kv.addresses(any_scenario.ns)
    engine = {n: [sorted_flags(pick(a, ADDR_KEYS)) for a in r.get("addresses", "<absent>")]
              for n, r in each_interface(f)}
    expect = {n: [sorted_flags(pick(a, ADDR_KEYS)) for a in lst] for n, lst in kernel.items()}
    assert_equal(engine, expect, "addresses of every interface, in the kernel's order")
    bad = []
    for name, lst in kernel.items():
        for k_addr, e_addr in zip(lst, f["interfaces"][name]["addresses"]):
            for key in ("preferred_lifetime", "valid_lifetime"):
                want, got = k_addr[key], e_addr.get(key, "<absent>")
                if want is None or got is None or not isinstance(got, int):
                    ok = got == want
                else:
                    ok = -1 <= got - want <= LIFETIME_SLACK
                if not ok:
                    bad.append("%s %s %s: kernel %r, engine %r" % (name, k_addr["address"], key, want, got))
    assert_equal(bad, [], "address lifetimes (engine read first, %ds slack)" % LIFETIME_SLACK)


def test_address_classes(any_scenario):
    f = any_scenario.facts()
    bad = []
    for name, rec in each_interface(f):
        for a in rec["addresses"]:
            cls = a.get("class")
            addr = ipaddress.ip_address(a["address"])
            want = next((c for net, c in KNOWN_CLASSES if addr in net), None)
            if cls not in CLASSES or (want and cls != want):
                bad.append("%s %s: class %r, expected %r" % (name, a["address"], cls, want or "one of the schema's"))
    assert_equal(bad, [], "address classes")


@pytest.mark.parametrize("family", [4, 6])
def test_all_addresses(any_scenario, family):
    f = any_scenario.facts()
    kernel = kv.addresses(any_scenario.ns)
    # docs/schema.md: without zone, as setup lists them (the zone is in each address record).
    want = [a["address"] for lst in kernel.values() for a in lst if a["family"] == family]
    key = "all_ipv%d_addresses" % family
    assert_same_multiset(f[key], want, key)


# ------------------------------------------------------------------ multicast, stats

def test_multicast(any_scenario):
    f = any_scenario.facts()
    groups = kv.multicast(any_scenario.ns)
    expect = {n: groups.get(r["index"], []) for n, r in kv.links(any_scenario.ns).items()}
    engine = {n: sorted((pick(g, ("address", "family")) for g in r.get("multicast", [])),
                        key=lambda g: (g["family"], g["address"])) if "multicast" in r else "<absent>"
              for n, r in each_interface(f)}
    assert_equal(engine, expect, "multicast memberships (vs /proc/net/igmp and igmp6)")


def test_stats_between_two_reads(any_scenario):
    before = kv.stats(any_scenario.ns)
    f = any_scenario.gather(subset=["stats"])
    after = kv.stats(any_scenario.ns)
    bad = []
    for name, rec in each_interface(f):
        stats = rec.get("stats")
        if not isinstance(stats, dict):
            bad.append("%s: stats %r" % (name, stats))
            continue
        for key in STATS_KEYS:
            lo, hi, got = before[name][key], after[name][key], stats.get(key, "<absent>")
            if lo is None:
                continue
            if not (isinstance(got, int) and lo <= got <= hi):
                bad.append("%s %s: engine %r, ip before %r, after %r" % (name, key, got, lo, hi))
    assert_equal(bad, [], "counters between two ip -s reads")


# ------------------------------------------------------------------ routes, gateways

def engine_route(r, reject_devs):
    out = sorted_flags(pick(r, ROUTE_KEYS))
    out["protocol"] = kv.protocol_number(out["protocol"])
    if isinstance(out["nexthops"], list):
        out["nexthops"] = [sorted_flags(pick(nh, NEXTHOP_KEYS)) for nh in out["nexthops"]]
    # a reject route: the kernel names lo as its device; the schema gives it no next hop, so
    # either null or the device the kernel named is accepted as its interface
    key = (out["family"], out["table"], out["destination"], out["type"], out["metric"])
    if out["type"] in kv.REJECT_TYPES and out["interface"] is not None and out["interface"] == reject_devs.get(key):
        out["interface"] = None
    return out


def route_label(r):
    return "%s table %s metric %s (%s)" % (r["destination"], r["table"], r["metric"], r["type"])


def test_routes(any_scenario):
    f = any_scenario.facts()
    kernel = kv.routes(any_scenario.ns)
    reject_devs = {(r["family"], r["table"], r["destination"], r["type"], r["metric"]): r["ip_dev"]
                   for r in kernel if r["type"] in kv.REJECT_TYPES}
    expect = [sorted_flags(pick(r, ROUTE_KEYS)) for r in kernel]
    engine = [engine_route(r, reject_devs) for r in f["routes"]]
    assert_same_multiset(engine, expect, "routes of every table but local", label=route_label)


# gateways, best_local, default_ipv4/6 and sources: test_way_out.py, against ip route get.


# ------------------------------------------------------------------ rules

def test_rules(any_scenario):
    """Every scenario's policy rules, the kernel's defaults and the routes scenario's own
    (the policy fixture of test_policy_rules.py has every kind)."""
    assert_equal(any_scenario.facts()["rules"], kv.rules(any_scenario.ns), "rules")


# ------------------------------------------------------------------ sources

REJECT_TYPES = ("blackhole", "unreachable", "prohibit", "throw")


def test_sources_failed_entries(any_scenario):
    """docs/schema.md: a failed entry keeps address and family when they are known; a refused
    lookup has every route key null; a rejecting route keeps its type and keys."""
    f = any_scenario.facts()
    bad = {}
    for s in f["sources"]:
        if not s.get("error"):
            continue
        addr = s["destination"].partition("%")[0]
        problems = []
        if s["address"] != addr or s["family"] != (6 if ":" in addr else 4):
            problems.append("address/family %r/%r" % (s["address"], s["family"]))
        if s["type"] is None:
            problems += ["%s=%r" % (k, s[k]) for k in ("source", "interface", "gateway", "table")
                         if s[k] is not None]
        elif s["type"] not in REJECT_TYPES:
            problems.append("error with an answering route of type %r" % s["type"])
        if problems:
            bad[s["destination"]] = problems
    assert_equal(bad, {}, "failed sources entries")


def test_sources_policy_and_rejected(routes):
    f = routes.facts()
    by = {s["destination"]: s for s in f["sources"]}
    for d, table in routes.info["policy"].items():
        assert by[d]["table"] == table and by[d]["interface"] == "rc", by[d]
    for d in routes.info["rejected"]:
        assert by[d]["error"], by[d]


# ------------------------------------------------------------------ scenario specifics

def test_noipv6_gives_an_empty_ipv6_side(noipv6):
    # IPv6 multicast memberships are not in this list: with IPv6 disabled the kernel still has
    # every link join ff01::1 and ff02::1 (see /proc/net/igmp6); test_multicast compares them
    f = noipv6.facts()
    six = {
        "missing": f["missing"],
        "all_ipv6_addresses": f["all_ipv6_addresses"],
        "ipv6 addresses": [a for _name, r in each_interface(f) for a in r["addresses"] if a["family"] == 6],
        "ipv6 routes": [r for r in f["routes"] if r["family"] == 6],
        "ipv6 gateways": [g for g in f["gateways"] if g["family"] == 6],
        "best_local.ipv6": f["best_local"]["ipv6"],
        "default_ipv6": f["default_ipv6"],
    }
    assert_equal(six, {"missing": [], "all_ipv6_addresses": [], "ipv6 addresses": [],
                       "ipv6 routes": [], "ipv6 gateways": [], "best_local.ipv6": [], "default_ipv6": {}},
                 "the IPv6 side with IPv6 disabled")
    assert f["best_local"]["ipv4"], "the IPv4 side must still be there"


def test_rejectonly_answers_with_the_rejecting_route(rejectonly):
    """A blackhole or unreachable default is the kernel's answer: no address, the route's type."""
    f = rejectonly.facts()
    view = {"best_local": f["best_local"]}
    for family in (4, 6):
        d = f["default_ipv%d" % family]
        view["ipv%d" % family] = (d["address"], d["interface"], d["route"]["type"] in ("blackhole", "unreachable"))
    assert_equal(view, {"best_local": {"ipv4": [], "ipv6": []}, "ipv4": (None, None, True), "ipv6": (None, None, True)},
                 "only blackhole/unreachable/TOS/source-bound defaults")


# ------------------------------------------------------------------ subsets and filters

def present(facts):
    return sorted(k for k in facts if k not in TOP_KEYS)


def test_subset_best_local_only(lan):
    f = lan.gather(subset=["best_local"])
    assert_equal(f["subsets"], ["best_local"], "subsets")
    assert_equal(present(f), ["best_local", "default_ipv4", "default_ipv6"] if "sources" not in f
                 else ["best_local", "default_ipv4", "default_ipv6", "sources"], "keys")
    assert "interfaces" not in f
    assert f.get("sources", []) == []
    assert_equal(f["best_local"], lan.facts()["best_local"], "best_local alone vs with everything")


def test_subset_all_but_stats(lan):
    f = lan.gather(subset=["all", "!stats"])
    assert_equal(f["subsets"], [s for s in ALL_SUBSETS if s != "stats"], "subsets")
    assert_equal([n for n, r in each_interface(f) if "stats" in r], [], "interfaces that carry stats")
    assert_equal([n for n, r in each_interface(f) if "addresses" not in r or "multicast" not in r], [],
                 "interfaces without addresses or multicast")


def test_subset_only_removals_start_from_all(lan):
    f = lan.gather(subset=["!multicast"])
    assert_equal(f["subsets"], [s for s in ALL_SUBSETS if s != "multicast"], "subsets")
    assert_equal([n for n, r in each_interface(f) if "multicast" in r], [], "interfaces with multicast")


def test_subset_interfaces_only(lan):
    f = lan.gather(subset=["interfaces"])
    assert_equal(present(f), ["interfaces"] if "sources" not in f else ["interfaces", "sources"], "keys")
    extra = {n: sorted({"addresses", "multicast", "stats"} & set(r)) for n, r in each_interface(f)}
    assert_equal({n: v for n, v in extra.items() if v}, {}, "subset keys in interfaces")
    assert_equal(list(f["interfaces"]), list(kv.links(lan.ns)), "interfaces")


def test_subset_routes_only(routes):
    f = routes.gather(subset=["routes"])
    assert_equal(present(f), ["routes"] if "sources" not in f else ["routes", "sources"], "keys")
    assert_same_multiset([canon(r) for r in f["routes"]], [canon(r) for r in routes.facts()["routes"]],
                         "routes alone vs with everything")


def test_sources_do_not_need_a_subset(lan):
    f = lan.gather(subset=["interfaces"], destinations=["10.0.3.77"])
    assert_equal([(s["destination"], s["interface"]) for s in f["sources"]], [("10.0.3.77", "vb")], "sources")


def selected(links, patterns):
    inc = [p for p in patterns if not p.startswith("!")]
    exc = [p[1:] for p in patterns if p.startswith("!")]

    def hit(rec, pats):
        return any(fnmatch.fnmatchcase(n, p) for n in [rec["name"]] + rec["altnames"] for p in pats)
    return [n for n, r in links.items() if (not inc or hit(r, inc)) and not hit(r, exc)]


def test_interface_filter(lan):
    patterns = ["v*", "!vb*"]
    f = lan.gather(interfaces=patterns)
    links = kv.links(lan.ns)
    want = selected(links, patterns)
    assert_equal(want, ["va", "vx0", scenarios.UTF8_NAME], "the test's own selection")
    assert_equal(list(f["interfaces"]), want, "interfaces=%s" % patterns)
    kernel = kv.addresses(lan.ns)
    assert_same_multiset(f["all_ipv4_addresses"],
                         [a["address"] for n in want for a in kernel[n] if a["family"] == 4],
                         "all_ipv4_addresses of the selected interfaces")
    assert_equal(f["best_local"], lan.facts()["best_local"], "best_local does not depend on the filter")
    out_routes = [route_label(r) for r in f["routes"]
                  if r["nexthops"] and not any(nh["interface"] in want for nh in r["nexthops"])]
    assert_equal(out_routes, [], "routes leaving only through interfaces not selected")


def test_interface_filter_matches_altnames(lan):
    if not lan.info["optional"]["altname"]:
        pytest.skip("altnames are not supported here")
    f = lan.gather(subset=["interfaces"], interfaces=[scenarios.ALTNAME[:6] + "*"])
    assert_equal(list(f["interfaces"]), ["va"], "interfaces selected by altname")


NOBODY = 65534


def test_unprivileged_user_gets_the_same_facts(routes):
    """The engine needs no root: as nobody, with no capabilities, it reads the same tables."""
    subset = ["all", "!stats"]
    facts = netns.run_engine(routes.ns, as_user=NOBODY, subset=subset)
    root = netns.run_engine(routes.ns, subset=subset)
    assert (facts["missing"], facts["warnings"]) == ([], [])
    for key in ("routes", "gateways", "best_local", "default_ipv4", "default_ipv6", "all_ipv4_addresses",
                "all_ipv6_addresses"):
        assert_equal(facts[key], root[key], "%s, nobody vs root" % key)
    strip = ("preferred_lifetime", "valid_lifetime")
    for name, rec in root["interfaces"].items():
        for which in (rec, facts["interfaces"][name]):
            which["addresses"] = [{k: v for k, v in a.items() if k not in strip} for a in which["addresses"]]
    assert_equal(facts["interfaces"], root["interfaces"], "interfaces, nobody vs root")


def test_name_that_is_not_utf8():
    """A name with a byte that is not UTF-8 comes back with a \\xNN escape and its name_bytes.
    (Its own namespace: ``ip -j`` would print that byte raw, which is not JSON text.)"""
    raw = b"nf\xff0"
    with netns.namespaces(1, "nonutf8") as (ns,):
        netns.run([b"ip", b"-n", ns.name.encode(), b"link", b"add", raw, b"type", b"veth",
                   b"peer", b"name", b"nfpeer0"])
        f = ns.engine(subset=["interfaces", "addresses"])
        probe = netns.probe_links(ns)
    want = raw.decode("utf-8", "backslashreplace")
    assert_equal(sorted(f["interfaces"]), sorted(r["name"] for r in probe.values()), "names vs RTM_GETLINK")
    rec = f["interfaces"].get(want, {})
    assert_equal({"name": rec.get("name"), "name_bytes": rec.get("name_bytes"), "peer": rec.get("peer")},
                 {"name": want, "name_bytes": raw.hex(), "peer": "nfpeer0"}, "the non-UTF-8 name")
    assert f["interfaces"]["nfpeer0"]["peer"] == want
    assert "name_bytes" not in f["interfaces"]["nfpeer0"]
