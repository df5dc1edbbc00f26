# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the netifs.core.addresses filter on facts built in the schema's shape."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import ipaddress

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.filter import addresses as plugin
from ansible_collections.netifs.core.plugins.module_utils.netifs import classify

addresses = plugin.addresses


def addr(text, prefixlen, scope="global", flags=(), network=None, peer=None, label=None, cls=None):
    family = 6 if ":" in text else 4
    return {
        "address": text, "prefixlen": prefixlen,
        "network": network or str(ipaddress.ip_network("%s/%d" % (text, prefixlen), strict=False)),
        "family": family, "scope": scope, "class": cls or classify.classify(text),
        "broadcast": None, "peer": peer, "label": label, "flags": list(flags),
        "zone": None, "preferred_lifetime": None, "valid_lifetime": None,
    }


def iface(name, index, addrs, altnames=()):
    for a in addrs:
        if a["family"] == 6 and a["class"] == "link_local":
            a["zone"] = name
    return {"index": index, "name": name, "altnames": list(altnames), "kind": None, "flags": ["up"],
            "addresses": addrs}


def host_facts():
    """Netifs facts of a host with one of everything."""
    interfaces = [
        iface("lo", 1, [addr("127.0.0.1", 8, scope="host"), addr("::1", 128, scope="host")]),
        iface("eth0", 2, [
            addr("192.168.1.10", 24, flags=["permanent"]),
            addr("192.168.1.11", 24, flags=["secondary", "permanent"]),
            addr("93.184.216.34", 24),
            addr("2a00:1450::5", 64, flags=["deprecated"]),
            addr("2001:db8::10", 64),
            addr("fd00::10", 64, flags=["tentative"]),
            addr("fe80::1", 64, scope="link", flags=["permanent"]),
            addr("ff02::fb", 128, flags=["mcautojoin"]),
        ], altnames=["enp1s0"]),
        iface("eth1", 3, [
            addr("10.0.0.5", 24),
            addr("100.64.0.5", 10),
            addr("169.254.3.3", 16, scope="link"),
            addr("::ffff:10.1.1.1", 128),
            addr("fd12::5", 64, scope="site"),
        ]),
        iface("docker0", 4, [addr("172.17.0.1", 16)]),
        iface("wg0", 5, [addr("10.9.0.1", 32, network="10.9.0.2/32", peer="10.9.0.2")]),
        iface("dummy0", 6, []),
    ]
    return {
        "schema": 1, "backend": "linux_rtnetlink",
        "subsets": ["addresses", "best_local", "interfaces"], "missing": [], "warnings": [],
        "interfaces": {i["name"]: i for i in interfaces},
        "best_local": {
            "ipv4": [{"address": "192.168.1.10", "prefixlen": 24, "interface": "eth0"},
                     {"address": "192.168.1.11", "prefixlen": 24, "interface": "eth0"},
                     {"address": "93.184.216.34", "prefixlen": 24, "interface": "eth0"}],
            "ipv6": [{"address": "2001:db8::10", "prefixlen": 64, "interface": "eth0"}],
        },
    }


ALL = ["127.0.0.1", "::1", "192.168.1.10", "192.168.1.11", "93.184.216.34", "2a00:1450::5", "2001:db8::10",
       "fd00::10", "fe80::1", "ff02::fb", "10.0.0.5", "100.64.0.5", "169.254.3.3", "::ffff:10.1.1.1", "fd12::5",
       "172.17.0.1", "10.9.0.1"]


@pytest.fixture
def facts():
    return host_facts()


def fails(match, *args, **kwargs):
    with pytest.raises(AnsibleFilterError, match=match) as info:
        addresses(*args, **kwargs)
    assert str(info.value).startswith("netifs.core.addresses: ")
    return str(info.value)


def test_registered():
    assert plugin.FilterModule().filters() == {"addresses": addresses}


def test_every_address_in_kernel_order(facts):
    assert addresses(facts) == ALL


@pytest.mark.parametrize("wrap", [
    lambda f: f,
    lambda f: {"netifs": f, "ansible_hostname": "h"},
    lambda f: {"ansible_facts": {"netifs": f}, "inventory_hostname": "h"},
    lambda f: f["interfaces"],
    lambda f: list(f["interfaces"].values()),
], ids=["netifs", "ansible_facts", "hostvars", "interfaces", "interface list"])
def test_input_forms(facts, wrap):
    assert addresses(wrap(facts)) == ALL


def test_input_is_not_changed(facts):
    before = copy.deepcopy(facts)
    addresses(facts, records=True, zone=True, classes="!loopback")
    assert facts == before


def test_empty_dict_and_list_have_no_addresses():
    assert addresses({}) == []
    assert addresses([]) == []


@pytest.mark.parametrize("family,expected", [
    (4, ["127.0.0.1", "192.168.1.10", "192.168.1.11", "93.184.216.34", "10.0.0.5", "100.64.0.5",
         "169.254.3.3", "172.17.0.1", "10.9.0.1"]),
    (6, ["::1", "2a00:1450::5", "2001:db8::10", "fd00::10", "fe80::1", "ff02::fb", "::ffff:10.1.1.1",
         "fd12::5"]),
])
def test_family(facts, family, expected):
    assert addresses(facts, family=family) == expected
    assert addresses(facts, family=str(family)) == expected
    assert addresses(facts, family="ipv%d" % family) == expected
    assert addresses(facts, family="IPv%d" % family) == expected


@pytest.mark.parametrize("bad", [5, 0, "ipx", "inet", "", True, False, 4.0, [4], {"family": 4}])
def test_family_bad(facts, bad):
    assert "family must be 4, 6, 'ipv4' or 'ipv6', got %r" % (bad,) in fails("family", facts, family=bad)


def test_classes_single_and_list(facts):
    assert addresses(facts, classes="private") == ["192.168.1.10", "192.168.1.11", "10.0.0.5", "::ffff:10.1.1.1",
                                                   "172.17.0.1", "10.9.0.1"]
    assert addresses(facts, classes=["public", "shared"]) == ["93.184.216.34", "2a00:1450::5", "100.64.0.5"]
    assert addresses(facts, classes=("unique_local",)) == ["fd00::10", "fd12::5"]
    assert addresses(facts, classes=["documentation", "multicast", "benchmarking"]) == ["2001:db8::10", "ff02::fb"]


def test_classes_exclusions(facts):
    assert addresses(facts, classes="!loopback") == ALL[2:]
    assert addresses(facts, classes=["!loopback", "!link_local", "!private"], family=4) == [
        "93.184.216.34", "100.64.0.5"]
    # An inclusion and an exclusion: the inclusion picks, the exclusion drops.
    assert addresses(facts, classes=["private", "!private"]) == []
    assert addresses(facts, classes=["link_local", "!loopback"]) == ["fe80::1", "169.254.3.3"]


def test_classes_empty_list_means_every_class(facts):
    assert addresses(facts, classes=[]) == ALL


def test_ipv4_mapped_has_the_class_of_its_ipv4_address(facts):
    assert "::ffff:10.1.1.1" in addresses(facts, classes="private", family=6)
    assert addresses(facts, classes="reserved") == []


@pytest.mark.parametrize("bad,name", [("privat", "'privat'"), (["private", "global"], "'global'"),
                                      ("!nope", "'!nope'"), ("", "''"), ("!", "'!'"), ("Private", "'Private'")])
def test_classes_unknown(facts, bad, name):
    msg = fails("unknown address class", facts, classes=bad)
    assert name in msg
    assert "choose from unspecified, loopback, link_local, private" in msg


@pytest.mark.parametrize("bad", [5, True, {"private": True}, ["private", 4], [None]])
def test_classes_wrong_type(facts, bad):
    fails("classes", facts, classes=bad)


def test_interfaces(facts):
    assert addresses(facts, interfaces=["eth1"]) == ["10.0.0.5", "100.64.0.5", "169.254.3.3", "::ffff:10.1.1.1",
                                                     "fd12::5"]
    assert addresses(facts, interfaces="eth*", family=4, classes="private") == [
        "192.168.1.10", "192.168.1.11", "10.0.0.5"]
    assert addresses(facts, interfaces=["!eth*", "!lo"]) == ["172.17.0.1", "10.9.0.1"]
    assert addresses(facts, interfaces=["*0", "!docker*"], family=4) == [
        "192.168.1.10", "192.168.1.11", "93.184.216.34", "10.9.0.1"]
    assert addresses(facts, interfaces=["nomatch*"]) == []
    assert addresses(facts, interfaces=[]) == ALL


def test_interfaces_match_altnames(facts):
    assert addresses(facts, interfaces="enp1s*", family=4) == ["192.168.1.10", "192.168.1.11", "93.184.216.34"]
    assert "192.168.1.10" not in addresses(facts, interfaces="!enp1s0")


def test_interfaces_without_altnames():
    """Facts gathered with the addresses subset only have no altnames."""
    ifaces = [{"index": 1, "name": "eth0", "addresses": [addr("10.0.0.1", 8)]}]
    assert addresses(ifaces, interfaces="eth*") == ["10.0.0.1"]


@pytest.mark.parametrize("bad", [["eth0", ""], ["!"], [5], 5, {"eth0": 1}])
def test_interfaces_bad(facts, bad):
    fails("interfaces", facts, interfaces=bad)


def test_scopes(facts):
    assert addresses(facts, scopes="host") == ["127.0.0.1", "::1"]
    assert addresses(facts, scopes="link") == ["fe80::1", "169.254.3.3"]
    assert addresses(facts, scopes=["site"]) == ["fd12::5"]
    assert addresses(facts, scopes=["!global"]) == ["127.0.0.1", "::1", "fe80::1", "169.254.3.3", "fd12::5"]
    assert addresses(facts, scopes="nowhere") == []


def test_scopes_numbers(facts):
    facts["interfaces"]["eth1"]["addresses"][0]["scope"] = "77"
    assert addresses(facts, scopes="77") == ["10.0.0.5"]
    assert "10.0.0.5" not in addresses(facts, scopes="!77")


@pytest.mark.parametrize("bad", ["universe", "Global", ["global", "lnk"], "!"])
def test_scopes_unknown(facts, bad):
    msg = fails("unknown scope", facts, scopes=bad)
    assert "choose from global, site, link, host, nowhere or a number" in msg


@pytest.mark.parametrize("bad", [200, [253], {"global": 1}])
def test_scopes_wrong_type(facts, bad):
    fails("scopes", facts, scopes=bad)


def test_exclude_flags(facts):
    assert addresses(facts, exclude_flags=["deprecated", "tentative"], family=6) == [
        "::1", "2001:db8::10", "fe80::1", "ff02::fb", "::ffff:10.1.1.1", "fd12::5"]
    assert addresses(facts, exclude_flags="secondary", family=4, interfaces="eth0") == [
        "192.168.1.10", "93.184.216.34"]
    assert addresses(facts, exclude_flags=[]) == ALL
    assert addresses(facts, exclude_flags="permanent") == [a for a in ALL if a not in (
        "192.168.1.10", "192.168.1.11", "fe80::1")]


@pytest.mark.parametrize("bad", ["deprecate", ["tentative", "TENTATIVE"], ["up"]])
def test_exclude_flags_unknown(facts, bad):
    msg = fails("unknown address flag", facts, exclude_flags=bad)
    assert "choose from dadfailed, deprecated," in msg


@pytest.mark.parametrize("bad", [1, [1], {"deprecated": True}])
def test_exclude_flags_wrong_type(facts, bad):
    fails("exclude_flags", facts, exclude_flags=bad)


def test_usable(facts):
    # Global or site scope, not multicast, not tentative/dadfailed/deprecated: the best_local rule.
    assert addresses(facts, usable=True) == [
        "192.168.1.10", "192.168.1.11", "93.184.216.34", "2001:db8::10", "10.0.0.5", "100.64.0.5",
        "::ffff:10.1.1.1", "fd12::5", "172.17.0.1", "10.9.0.1"]
    facts["interfaces"]["eth0"]["addresses"][0]["flags"].append("dadfailed")
    assert "192.168.1.10" not in addresses(facts, usable=True)


def test_options_combine(facts):
    assert addresses(facts, family=6, classes=["!link_local"], interfaces="eth*", scopes="global",
                     exclude_flags="tentative", usable=False) == [
        "2a00:1450::5", "2001:db8::10", "ff02::fb", "::ffff:10.1.1.1"]


def test_records(facts):
    records = addresses(facts, records=True, interfaces="eth1", family=4)
    assert [r["address"] for r in records] == ["10.0.0.5", "100.64.0.5", "169.254.3.3"]
    first = dict(facts["interfaces"]["eth1"]["addresses"][0], interface="eth1")
    assert records[0] == first
    assert records[1]["class"] == "shared" and records[1]["network"] == "100.64.0.0/10"
    ptp = addresses(facts, records=True, interfaces="wg0")[0]
    assert ptp["peer"] == "10.9.0.2" and ptp["network"] == "10.9.0.2/32" and ptp["interface"] == "wg0"


def test_zone(facts):
    assert addresses(facts, classes="link_local", zone=True) == ["fe80::1%eth0", "169.254.3.3"]
    assert addresses(facts, classes="link_local") == ["fe80::1", "169.254.3.3"]
    # Only link-local IPv6 addresses have a zone.
    assert addresses(facts, zone=True, family=6, classes="!link_local") == addresses(
        facts, family=6, classes="!link_local")
    record = addresses(facts, classes="link_local", family=6, zone=True, records=True)[0]
    assert record["address"] == "fe80::1" and record["zone"] == "eth0"


def test_zone_ignores_ipv4_with_a_zone_key(facts):
    facts["interfaces"]["eth1"]["addresses"][2]["zone"] = "eth1"  # not in the schema, but harmless
    assert addresses(facts, classes="link_local", family=4, zone=True) == ["169.254.3.3"]


@pytest.mark.parametrize("bad", [None, "eth0", 5, ["eth0"], [{"index": 1}], {"schema": 1}, b"facts"])
def test_not_facts(bad):
    fails("expected netifs facts", bad)


def test_wrong_schema(facts):
    facts["schema"] = 2
    fails("schema 2", facts)


def test_facts_without_interfaces(facts):
    del facts["interfaces"]
    fails("gather_subset including addresses", facts)


def test_facts_without_addresses(facts):
    for iface_rec in facts["interfaces"].values():
        del iface_rec["addresses"]
    msg = fails("the facts hold no addresses", facts)
    assert "gather_subset including addresses" in msg


def test_interface_with_addresses_none(facts):
    facts["interfaces"]["eth1"]["addresses"] = None
    fails(r"interface eth1 has none", facts)


@pytest.mark.parametrize("key,option", [("family", {"family": 4}), ("class", {"classes": "private"}),
                                        ("scope", {"scopes": "global"}), ("flags", {"usable": True}),
                                        ("flags", {"exclude_flags": "tentative"}), ("address", {})])
def test_address_record_missing_key(facts, key, option):
    del facts["interfaces"]["eth1"]["addresses"][1][key]
    msg = fails("address 1 of interface eth1 has no '%s' key" % key, facts, **option)
    assert msg == "netifs.core.addresses: address 1 of interface eth1 has no '%s' key" % key


def test_missing_key_not_read_is_no_error(facts):
    del facts["interfaces"]["eth1"]["addresses"][1]["class"]
    assert "100.64.0.5" in addresses(facts)


@pytest.mark.parametrize("bad", ["10.0.0.1", None, 5, ["10.0.0.1"]])
def test_address_record_wrong_type(facts, bad):
    facts["interfaces"]["eth1"]["addresses"].insert(0, bad)
    fails("address 0 of interface eth1 is not an address record", facts, family=4)


def test_address_record_flags_wrong_type(facts):
    facts["interfaces"]["eth1"]["addresses"][0]["flags"] = None
    fails("address 0 of interface eth1 is not an address record", facts, exclude_flags="tentative")


def test_real_facts_of_this_host():
    """The engine's own facts of this host go through every option."""
    netifs = pytest.importorskip("ansible_collections.netifs.core.plugins.module_utils.netifs")
    try:
        facts = netifs.gather(subset=["addresses"])
    except Exception as exc:  # pragma: no cover - no netlink here
        pytest.skip("cannot gather facts here: %s" % exc)
    if facts["backend"] is None or "interfaces" not in facts:
        pytest.skip("no netlink here")
    assert addresses(facts, family=4) == facts["all_ipv4_addresses"]
    assert addresses(facts, family=6) == facts["all_ipv6_addresses"]
    for record in addresses(facts, records=True, usable=True):
        assert record["scope"] in ("global", "site") and record["interface"] in facts["interfaces"]
    for text in addresses(facts, zone=True, classes="link_local", family=6):
        assert "%" in text


@pytest.mark.parametrize("key,value", [("name", None), ("altnames", None)])
def test_interface_record_broken_with_patterns(facts, key, value):
    if value is None and key == "name":
        del facts["interfaces"]["eth1"]["name"]
    else:
        facts["interfaces"]["eth1"][key] = value
    fails("interface eth1 is not an interface record", facts, interfaces="eth*")
    # Without patterns the interface record itself is not read.
    assert "10.0.0.5" in addresses(facts)
