# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test hosts themselves: each scenario really builds what the engine tests rely on, the
ip-side normalisers agree with the raw kernel data, and namespaces never outlive their fixture.
These run without the engine."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

import kernel_view as kv
import netns
import scenarios
from compare import assert_equal


def test_link_flags_rebuilt_from_ip_match_raw_ifi_flags(any_scenario):
    # ip drops IFF_RUNNING and adds NO-CARRIER/M-DOWN; the rebuilt set must be the raw one
    got = {n: rec["flags"] for n, rec in kv.links(any_scenario.ns).items()}
    raw = {n: rec["raw_flags"] for n, rec in kv.links(any_scenario.ns).items()}
    assert_equal(got, raw, "link flags rebuilt from ip -j vs raw ifi_flags")


def test_ip_maddr_matches_procfs(any_scenario):
    proc = kv.multicast(any_scenario.ns)
    ip = kv.maddr(any_scenario.ns)
    # ip maddr lists every link, procfs only links with a membership list
    assert_equal({k: v for k, v in ip.items() if v}, {k: v for k, v in proc.items() if v},
                 "ip -j maddr vs /proc/net/igmp{,6}")


def test_lan_builds_what_the_tests_need(lan):
    links = kv.links(lan.ns)
    addrs = kv.addresses(lan.ns)
    assert scenarios.TEMPLATE_NAME in links and scenarios.UTF8_NAME in links
    assert links["br0"]["kind"] == "bridge"
    assert [n for n, r in links.items() if r["master"] == "br0"] == ["bp1", "bp2"]
    assert links["vx0"]["kind_data"]["vni"] == 42 and links["vx0"]["parent"] == "va"
    assert links["tun0"]["kind_data"] == {"mode": "tun"} and links["tap0"]["kind_data"] == {"mode": "tap"}
    assert links["dn0"]["oper_state"] == "down" and "up" not in links["dn0"]["flags"]
    assert links["tap0"]["carrier"] is False and "up" in links["tap0"]["flags"]
    assert links["xa"]["peer"] is None and links["xa"]["link_netnsid"] is not None
    assert links["vb"]["alias"] == scenarios.ALIAS
    if lan.info["optional"]["altname"]:
        assert links["va"]["altnames"] == [scenarios.ALTNAME]
    va = {a["address"]: a for a in addrs["va"]}
    assert "secondary" in va["10.0.0.2"]["flags"] and va["10.0.0.3"]["label"] == "va:1"
    assert "deprecated" in va["2001:db8:1::3"]["flags"]
    assert va["2001:db8:1::2"]["preferred_lifetime"] is not None
    assert va["10.0.2.1"]["valid_lifetime"] is not None and "permanent" not in va["10.0.2.1"]["flags"]
    tap = {a["address"]: a for a in addrs["tap0"]}
    assert "tentative" in tap["2001:db8:7::1"]["flags"]
    tun = {a["address"]: a for a in addrs["tun0"]}
    assert tun["10.9.0.1"]["peer"] == "10.9.0.2" and tun["2001:db8:9::1"]["peer"] == "2001:db8:9::2"
    groups = {g["address"] for g in kv.multicast(lan.ns)[links["vb"]["index"]]}
    assert {"239.1.1.1", "ff05::1:3"} <= groups


def test_routes_builds_what_the_tests_need(routes):
    rs = kv.routes(routes.ns)
    defaults6 = [(r["table"], r["metric"], r["preference"], r["interface"]) for r in rs
                 if r["destination"] == "::/0" and r["source"] is None]
    assert (254, 1024, "low", "ra") in defaults6 and (254, 1024, "high", "rb") in defaults6
    assert (254, 1024, "high", "rc") in defaults6
    group = [r for r in rs if r["nexthop_id"] == 10]
    assert [nh["weight"] for nh in group[0]["nexthops"]] == [1, 3]
    assert any("linkdown" in r["flags"] for r in rs)
    assert {r["type"] for r in rs} >= {"unicast", "blackhole", "unreachable", "prohibit", "throw"}
    assert any(r["source"] for r in rs) == routes.info["optional"]["ipv6_from"]
    assert kv.route_get(routes.ns, "198.51.100.7")["table"] == 100
    assert "error" in kv.route_get(routes.ns, "192.0.2.1")


def test_noipv6_has_no_ipv6(noipv6):
    addrs = kv.addresses(noipv6.ns)
    assert [a for lst in addrs.values() for a in lst if a["family"] == 6] == []
    assert [r for r in kv.routes(noipv6.ns, include_local=True) if r["family"] == 6] == []


def test_nodefault_has_no_default(nodefault):
    assert [r for r in kv.routes(nodefault.ns) if r["destination"] in ("0.0.0.0/0", "::/0")] == []
    assert "error" in kv.route_get(nodefault.ns, "8.8.8.8")


def test_ip_failure_names_command_and_stderr():
    with netns.namespaces(1, "errors") as (ns,):
        with pytest.raises(netns.CommandError) as info:
            ns.ip("link", "set", "dev", "does-not-exist", "up")
    message = str(info.value)
    assert "does-not-exist" in message and "stderr" in message
    assert info.value.stderr.strip()


def test_namespaces_are_deleted_when_the_body_fails():
    names = []
    with pytest.raises(RuntimeError):
        with netns.namespaces(2, "boom") as made:
            names.extend(ns.name for ns in made)
            assert set(names) <= set(netns.list_namespaces())
            raise RuntimeError("test body failed")
    assert names and not set(names) & set(netns.list_namespaces())


def test_fixture_generator_teardown_deletes():
    # the same path the scenario fixtures take: a generator closed by pytest
    gen = scenarios.built("gen", scenarios.build_nodefault)
    scenario = next(gen)
    name = scenario.ns.name
    assert name in netns.list_namespaces()
    gen.close()  # what happens when the fixture is finalised after a failing test
    assert name not in netns.list_namespaces()


def test_refuses_to_delete_foreign_namespaces():
    with pytest.raises(ValueError):
        netns.delete_namespace("not-ours")
