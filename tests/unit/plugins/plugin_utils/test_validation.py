# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The comparison behind netifs.core.validate, over facts recorded from the live tests' ``lan``
host (fixtures/facts_lan.json): ``va`` (veth, MTU 1500, 10.0.0.1/24 and more, the default routes),
``vb`` (MTU 9000, 10.0.3.1/24, group 239.1.1.1), ``bp1`` (a port of br0), ``dn0`` (down)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.plugin_utils.validation import render_table, validate

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "facts_lan.json")
with open(FIXTURE) as _handle:
    FACTS = json.load(_handle)


def run(peers=None, **expected):
    return validate(FACTS, expected, peers, "lan")


def rows(result):
    return [(m["interface"], m["check"], m["expected"], m["actual"]) for m in result["mismatches"]]


def test_a_host_as_declared_passes_every_check():
    result = run(
        interfaces=[
            {"name": "va", "present": True, "state": "up", "oper_state": "up", "mtu": 1500, "kind": "veth",
             "mac": "A2-AB-7E-9F-18-55", "master": "", "addresses": ["10.0.0.1/24", "fd00:1::1", "2001:DB8:1::1/64"]},
            {"name": "vb", "mtu": 9000, "multicast": ["239.1.1.1", "ff05::1:3"], "addresses_match": "exact",
             "addresses": ["10.0.3.1/24", "239.1.1.1/32", "2001:db8:3::1/64", "ff05::1:3/128"]},
            {"name": "bp1", "master": "br0"},
            {"name": "dn0", "state": "down", "oper_state": "down"},
            {"name": "eth9", "present": False},
        ],
        default_route={"ipv4": {"interface": "va", "gateway": "10.0.0.254"},
                       "ipv6": {"interface": "va", "gateway": "2001:db8:1:0::fe"}},
        best_local={"ipv4": "10.0.0.1", "ipv6": "fd00:1::1"},
    )
    assert rows(result) == []
    assert result["ok"] is True and result["table"] == ""
    assert len(result["checked"]) == 24
    assert result["diff"]["before"] == result["diff"]["after"]


@pytest.mark.parametrize("spec, row", [
    ({"name": "va", "mtu": 9000}, ("va", "mtu", 9000, 1500)),
    ({"name": "va", "state": "down"}, ("va", "state", "down", "up")),
    ({"name": "dn0", "oper_state": "up"}, ("dn0", "oper_state", "up", "down")),
    ({"name": "va", "kind": "bridge"}, ("va", "kind", "bridge", "veth")),
    ({"name": "va", "mac": "02:00:00:00:00:01"}, ("va", "mac", "02:00:00:00:00:01", "a2:ab:7e:9f:18:55")),
    ({"name": "bp1", "master": "br1"}, ("bp1", "master", "br1", "br0")),
    ({"name": "bp1", "master": ""}, ("bp1", "master", None, "br0")),
    ({"name": "va", "master": "br0"}, ("va", "master", "br0", None)),
    ({"name": "eth9", "mtu": 1500}, ("eth9", "present", True, False)),
    ({"name": "va", "present": False, "mtu": 1}, ("va", "present", False, True)),
    ({"name": "vb", "multicast": ["239.2.2.2"]}, ("vb", "multicast", "239.2.2.2", "not joined")),
])
def test_each_interface_check_reports_its_mismatch(spec, row):
    assert rows(run(interfaces=[spec])) == [row]


def test_contains_wants_the_listed_addresses_only():
    result = run(interfaces=[{"name": "vb", "addresses": ["10.0.3.1/24", "10.0.3.2/24", "10.0.3.1/25"]}])
    assert rows(result) == [("vb", "addresses", "10.0.3.2/24", "absent"), ("vb", "addresses", "10.0.3.1/25", "absent")]
    # after = what the host has plus what is missing, so the diff shows only the missing addresses
    before, after = result["diff"]["before"]["interfaces"]["vb"], result["diff"]["after"]["interfaces"]["vb"]
    assert after["addresses"] == before["addresses"] + ["10.0.3.2/24", "10.0.3.1/25"]


def test_exact_also_reports_the_addresses_not_listed_but_not_the_kernels_link_local():
    result = run(interfaces=[{"name": "vb", "addresses_match": "exact", "addresses": ["10.0.3.1/24", "10.0.3.9/24"]}])
    assert rows(result) == [
        ("vb", "addresses", "10.0.3.9/24", "absent"),
        ("vb", "addresses", "absent", "239.1.1.1/32"),
        ("vb", "addresses", "absent", "2001:db8:3::1/64"),
        ("vb", "addresses", "absent", "ff05::1:3/128"),
    ]
    assert result["diff"]["after"]["interfaces"]["vb"]["addresses"] == ["10.0.3.1/24", "10.0.3.9/24"]


def test_exact_with_a_link_local_address_listed_compares_link_local_ones_too():
    result = run(interfaces=[{"name": "br0", "addresses_match": "exact",
                              "addresses": ["10.1.0.1/24", "2001:db8:2::1/64", "fe80::1/64"]}])
    assert rows(result) == [("br0", "addresses", "fe80::1/64", "absent"),
                            ("br0", "addresses", "absent", "fe80::8079:daff:fe0c:41ff/64")]


def test_default_route_and_best_local():
    result = run(default_route={"ipv4": {"interface": "vb", "gateway": "10.0.0.253"}, "ipv6": {"gateway": "2001:db8:1::fe"}},
                 best_local={"ipv4": "10.0.1.1", "ipv6": "fd00:1::1"})
    assert rows(result) == [
        (None, "default_route.ipv4.interface", "vb", "va"),
        (None, "default_route.ipv4.gateway", "10.0.0.253", "10.0.0.254"),
        (None, "best_local.ipv4", "10.0.1.1", "10.0.0.1"),
    ]


def test_no_default_route_is_none():
    facts = dict(FACTS, default_ipv4={}, best_local={"ipv4": [], "ipv6": []})
    result = validate(facts, {"default_route": {"ipv4": {"interface": "va"}}, "best_local": {"ipv4": "10.0.0.1"}})
    assert rows(result) == [(None, "default_route.ipv4.interface", "va", None),
                            (None, "best_local.ipv4", "10.0.0.1", None)]
    assert "default_route.ipv4.interface  va        none" in result["table"]


def test_peers_on_link_routed_and_unreachable():
    facts = copy.deepcopy(FACTS)
    facts["routes"] = [r for r in facts["routes"] if r["destination"] != "0.0.0.0/0"]
    hop = {"gateway": "10.0.0.9", "interface": "va", "weight": 1, "flags": []}
    facts["routes"].append(dict(facts["routes"][0], destination="10.77.0.0/16", gateway="10.0.0.9", nexthops=[hop]))
    peers = {
        "near": {"interfaces": [{"name": "eth0", "addresses": ["10.0.0.7/24", "239.7.7.7/32", "fe80::7/64", "::1"]}],
                 "facts": None},
        "far": {"interfaces": [{"name": "eth0", "addresses": ["10.55.0.1/24"]},
                               {"name": "eth1", "present": False, "addresses": ["10.66.0.1/24"]}], "facts": None},
        "tunnel": {"interfaces": None, "facts": {"schema": 1, "backend": "linux_rtnetlink", "interfaces": {
            "lo": {"addresses": [{"address": "127.0.0.1", "network": "127.0.0.0/8", "class": "loopback"}]},
            "t": {"addresses": [{"address": "10.9.0.2", "network": "10.9.0.1/32", "class": "private"}]}}}},
        "routed": {"interfaces": [{"name": "t", "addresses": ["10.77.0.5/24"]}], "facts": None},
    }
    result = validate(facts, {"peers": [{"host": "near", "on_link": True}, {"host": "far"},
                                        {"host": "tunnel", "on_link": True}, {"host": "routed"},
                                        {"host": "routed", "on_link": True}]}, peers)
    assert rows(result) == [
        (None, "peer far 10.55.0.0/24", "reachable", "no route"),
        (None, "peer routed 10.77.0.0/24", "on-link", "via 10.0.0.9 dev va (route 10.77.0.0/16)"),
    ]
    assert result["diff"]["before"]["peers"]["near"] == {"10.0.0.0/24": "on-link via va (10.0.0.1/24)"}
    # the far end of a point-to-point address is on-link; the peer's loopback says nothing
    assert result["diff"]["before"]["peers"]["tunnel"] == {"10.9.0.1/32": "on-link via tun0 (10.9.0.1/32)"}
    # with the default route back, the far network is reachable through it
    result = validate(FACTS, {"peers": [{"host": "far"}]}, peers)
    assert result["ok"] and result["diff"]["after"]["peers"]["far"] == {
        "10.55.0.0/24": "via 10.0.0.254 dev va (route 0.0.0.0/0)"}


def test_rejecting_routes_and_unknown_peers():
    facts = copy.deepcopy(FACTS)
    facts["routes"].append(dict(facts["routes"][0], destination="10.55.0.0/16", type="blackhole", nexthops=[],
                                gateway=None, interface=None))
    peers = {"far": {"interfaces": [{"name": "e", "addresses": ["10.55.0.1/24"]}], "facts": None},
             "mute": {"interfaces": None, "facts": None}}
    result = validate(facts, {"peers": [{"host": "far"}, {"host": "mute"}, {"host": "ghost"}]}, peers)
    assert rows(result) == [
        (None, "peer far 10.55.0.0/24", "reachable", "blackhole route 10.55.0.0/16"),
        (None, "peer mute", "known addresses", "none (no validate_interfaces addresses, no netifs facts)"),
        (None, "peer ghost", "in the inventory", "unknown host"),
    ]


def test_every_mismatch_of_a_host_at_once_in_one_table():
    result = run(interfaces=[{"name": "va", "mtu": 9000, "addresses": ["10.0.0.9/24"]}, {"name": "gone"}],
                 default_route={"ipv4": {"interface": "vb"}})
    assert len(result["mismatches"]) == 4 and not result["ok"]
    assert result["table"].splitlines() == [
        "INTERFACE  CHECK                         EXPECTED     ACTUAL",
        "---------  ----------------------------  -----------  ------",
        "va         mtu                           9000         1500",
        "va         addresses                     10.0.0.9/24  absent",
        "gone       present                       yes          no",
        "-          default_route.ipv4.interface  vb           va",
    ]


def test_table_cells():
    table = render_table([{"interface": None, "check": "c", "expected": [], "actual": [True, None]}])
    assert table.splitlines()[2] == "-          c      (none)    yes, none"


@pytest.mark.parametrize("expected, message", [
    ({"interfaces": [{"name": "va", "addresses": ["10.0.0.300/24"]}]},
     r"interface va: '10.0.0.300/24' is not an IPv4 or IPv6 address"),
    ({"interfaces": [{"name": "va", "mac": "a2:ab:7e:9f:18:5"}]}, r"'a2:ab:7e:9f:18:5' is not a MAC address"),
    ({"interfaces": [{"name": "vb", "multicast": ["all-hosts"]}]}, r"multicast of interface vb: 'all-hosts'"),
    ({"default_route": {"ipv4": {"gateway": "router"}}}, r"default_route.ipv4.gateway: 'router'"),
    ({"best_local": {"ipv6": "fd00::1/64/2"}}, r"best_local.ipv6: 'fd00::1/64/2'"),
])
def test_bad_values_raise_value_error_naming_them(expected, message):
    with pytest.raises(ValueError, match=message):
        validate(FACTS, expected)


def test_bad_peer_inventory_is_an_error():
    with pytest.raises(ValueError, match="validate_interfaces of peer p is not a list of interface specs"):
        validate(FACTS, {"peers": [{"host": "p"}]}, {"p": {"interfaces": {"name": "eth0"}, "facts": None}})
    with pytest.raises(ValueError, match=r"validate_interfaces of peer p: '10.0.0.1/33'"):
        validate(FACTS, {"peers": [{"host": "p"}]}, {"p": {"interfaces": [{"addresses": ["10.0.0.1/33"]}], "facts": None}})


@pytest.mark.parametrize("subset, expected", [
    ("routes", {"peers": [{"host": "p"}]}),
    ("best_local", {"best_local": {"ipv4": "10.0.0.1"}}),
    ("default_ipv6", {"default_route": {"ipv6": {"interface": "va"}}}),
    ("interfaces", {"interfaces": [{"name": "va"}]}),
])
def test_facts_without_a_needed_subset_name_it(subset, expected):
    facts = {k: v for k, v in FACTS.items() if k != subset}
    peers = {"p": {"interfaces": [{"addresses": ["10.5.0.1/24"]}], "facts": None}}
    with pytest.raises(AnsibleFilterError, match=r"^netifs.core.validate: the facts hold no %s; gather them" % subset):
        validate(facts, expected, peers)


@pytest.mark.parametrize("key", ["addresses", "multicast"])
def test_interfaces_gathered_without_a_needed_subset_name_it(key):
    facts = copy.deepcopy(FACTS)
    del facts["interfaces"]["vb"][key]
    with pytest.raises(AnsibleFilterError, match=r"the facts hold no %s; gather them with gather_subset including %s"
                       % (key, key)):
        validate(facts, {"interfaces": [{"name": "vb", key: ["239.1.1.1"]}]})
