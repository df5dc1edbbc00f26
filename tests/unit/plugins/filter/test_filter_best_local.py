# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the netifs.core.best_local filter on facts built in the schema's shape."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.filter import best_local as plugin
from ansible_collections.netifs.core.plugins.module_utils.netifs import classify

best_local = plugin.best_local


def addr(text, prefixlen, scope="global", flags=()):
    return {
        "address": text, "prefixlen": prefixlen,
        "network": str(ipaddress.ip_network("%s/%d" % (text, prefixlen), strict=False)),
        "family": 6 if ":" in text else 4, "scope": scope, "class": classify.classify(text),
        "broadcast": None, "peer": None, "label": None, "flags": list(flags),
        "zone": "eth0" if text.startswith("fe80") else None, "preferred_lifetime": None, "valid_lifetime": None,
    }


def best(text, prefixlen, interface):
    return {"address": text, "prefixlen": prefixlen, "interface": interface}


def make_facts(best4=None, best6=None, interfaces=True):
    """eth0 faces the default route (private addresses behind NAT); eth1 has public and shared
    addresses; a few unusable ones are scattered about."""
    facts = {
        "schema": 1, "backend": "linux_rtnetlink", "subsets": ["addresses", "best_local"], "missing": [],
        "warnings": [],
        "best_local": {
            "ipv4": [best("192.168.1.10", 24, "eth0"), best("192.168.1.11", 24, "eth0")] if best4 is None else best4,
            "ipv6": [best("fd00::10", 64, "eth0")] if best6 is None else best6,
        },
    }
    if interfaces:
        facts["interfaces"] = {
            "lo": {"index": 1, "name": "lo", "addresses": [addr("127.0.0.1", 8, "host"), addr("::1", 128, "host")]},
            "eth0": {"index": 2, "name": "eth0", "addresses": [
                addr("192.168.1.10", 24), addr("192.168.1.11", 24, flags=["secondary"]),
                addr("fd00::10", 64), addr("fe80::1", 64, "link")]},
            "eth1": {"index": 3, "name": "eth1", "addresses": [
                addr("93.184.216.1", 24, flags=["deprecated"]),  # not usable
                addr("93.184.216.34", 24), addr("100.64.0.5", 10), addr("169.254.1.1", 16, "link"),
                addr("2a00:1450::1", 64, flags=["tentative"]), addr("2a00:1450::5", 64)]},
            "eth2": {"index": 4, "name": "eth2", "addresses": [
                addr("203.0.113.9", 24, flags=["dadfailed"]), addr("10.2.0.1", 16)]},
        }
    return facts


@pytest.fixture
def facts():
    return make_facts()


def fails(match, *args, **kwargs):
    with pytest.raises(AnsibleFilterError, match=match) as info:
        best_local(*args, **kwargs)
    assert str(info.value).startswith("netifs.core.best_local: ")
    return str(info.value)


def test_registered():
    assert plugin.FilterModule().filters() == {"best_local": best_local}


def test_default_is_the_first_ipv4_best_local(facts):
    assert best_local(facts) == "192.168.1.10"


@pytest.mark.parametrize("family,expected", [(4, "192.168.1.10"), ("4", "192.168.1.10"), ("ipv4", "192.168.1.10"),
                                             (6, "fd00::10"), ("6", "fd00::10"), ("IPV6", "fd00::10")])
def test_family(facts, family, expected):
    assert best_local(facts, family) == expected
    assert best_local(facts, family=family) == expected


@pytest.mark.parametrize("bad", [None, 5, "ipx", True, [4], 4.5])
def test_family_bad(facts, bad):
    fails("family must be 4, 6, 'ipv4' or 'ipv6', got %s" % repr(bad).replace("[", r"\[").replace("]", r"\]"),
          facts, family=bad)


@pytest.mark.parametrize("wrap", [lambda f: f, lambda f: {"netifs": f}, lambda f: {"ansible_facts": {"netifs": f}}],
                         ids=["netifs", "ansible_facts", "hostvars"])
def test_input_forms(facts, wrap):
    assert best_local(wrap(facts)) == "192.168.1.10"


def test_nothing_is_none_or_empty_list():
    facts = make_facts(best4=[], best6=[])
    assert best_local(facts) is None
    assert best_local(facts, 6) is None
    assert best_local(facts, first=False) == []
    assert best_local(facts, records=True) is None


def test_first_false_lists_every_candidate(facts):
    assert best_local(facts, first=False) == ["192.168.1.10", "192.168.1.11"]
    assert best_local(facts, 6, first=False) == ["fd00::10"]


def test_records(facts):
    assert best_local(facts, records=True) == {"address": "192.168.1.10", "prefixlen": 24, "interface": "eth0",
                                               "class": "private"}
    assert best_local(facts, 6, records=True, first=False) == [
        {"address": "fd00::10", "prefixlen": 64, "interface": "eth0", "class": "unique_local"}]


def test_input_is_not_changed(facts):
    before = repr(facts)
    best_local(facts, records=True, fallback=["public", "private"], first=False)
    assert repr(facts) == before


def test_fallback_prefers_best_local_addresses_by_class():
    facts = make_facts(best4=[best("192.168.1.10", 24, "eth0"), best("93.184.216.34", 24, "eth1")])
    assert best_local(facts) == "192.168.1.10"
    assert best_local(facts, fallback=["public", "private"]) == "93.184.216.34"
    assert best_local(facts, fallback=["private", "public"]) == "192.168.1.10"
    assert best_local(facts, fallback="private") == "192.168.1.10"


def test_fallback_to_any_interface_when_best_local_has_no_such_class(facts):
    # best_local has only private addresses; the first usable public address of any interface wins.
    assert best_local(facts, fallback=["public", "private"]) == "192.168.1.10"  # best_local pass first
    assert best_local(facts, fallback=["public"]) == "93.184.216.34"  # 93.184.216.1 is deprecated
    assert best_local(facts, fallback=["shared", "public"]) == "100.64.0.5"
    assert best_local(facts, fallback="public", family=6) == "2a00:1450::5"  # 2a00:1450::1 is tentative
    assert best_local(facts, fallback="documentation") is None  # 203.0.113.9 failed DAD


def test_fallback_order_and_every_candidate(facts):
    assert best_local(facts, fallback=["public", "private"], first=False) == [
        "192.168.1.10", "192.168.1.11", "93.184.216.34", "10.2.0.1"]
    assert best_local(facts, fallback=["public", "private"], first=False, records=True)[2] == {
        "address": "93.184.216.34", "prefixlen": 24, "interface": "eth1", "class": "public"}
    # A class named twice counts once.
    assert best_local(facts, fallback=["shared", "shared"], first=False) == ["100.64.0.5"]


def test_fallback_never_returns_unusable_addresses(facts):
    for cls in ("loopback", "link_local", "unspecified", "multicast"):
        assert best_local(facts, fallback=cls) is None
        assert best_local(facts, family=6, fallback=cls) is None


def test_fallback_without_best_local_default_route():
    facts = make_facts(best4=[], best6=[])
    assert best_local(facts, fallback=["public", "private"]) == "93.184.216.34"
    assert best_local(facts, fallback=["private", "public"], first=False) == [
        "192.168.1.10", "192.168.1.11", "10.2.0.1", "93.184.216.34"]


def test_ipv4_mapped_has_the_class_of_its_ipv4_address():
    facts = make_facts(best6=[best("::ffff:10.0.0.1", 128, "eth0")])
    assert best_local(facts, 6, fallback="private") == "::ffff:10.0.0.1"
    assert best_local(facts, 6, records=True)["class"] == "private"


@pytest.mark.parametrize("bad,name", [("privat", "'privat'"), (["public", "global"], "'global'"),
                                      ("!private", "'!private'")])
def test_fallback_unknown_class(facts, bad, name):
    msg = fails("unknown address class", facts, fallback=bad)
    assert name in msg and "in fallback" in msg


@pytest.mark.parametrize("bad", [5, True, {"public": 1}, ["public", None]])
def test_fallback_wrong_type(facts, bad):
    fails("fallback", facts, fallback=bad)


def test_fallback_empty_list(facts):
    fails("fallback names no address class", facts, fallback=[])


def test_fallback_needs_addresses_even_when_best_local_answers():
    facts = make_facts(interfaces=False)
    assert best_local(facts) == "192.168.1.10"
    fails("gather_subset including addresses", facts, fallback="private")


def test_fallback_with_interfaces_without_addresses(facts):
    for iface in facts["interfaces"].values():
        del iface["addresses"]
    fails("the facts hold no addresses", facts, fallback="public")


def test_fallback_address_record_missing_key(facts):
    del facts["interfaces"]["eth1"]["addresses"][2]["class"]
    fails("address 2 of interface eth1 has no 'class' key", facts, fallback="public")


@pytest.mark.parametrize("bad", [None, "facts", 5, [], {}, {"ansible_facts": {}}])
def test_not_facts(bad):
    fails("expected netifs facts", bad)


def test_wrong_schema(facts):
    facts["schema"] = "1"
    fails("schema '1'", facts)


def test_facts_without_best_local(facts):
    del facts["best_local"]
    msg = fails("the facts hold no best_local", facts)
    assert "gather_subset including best_local" in msg


@pytest.mark.parametrize("value", [{}, {"ipv4": None}, {"ipv4": "192.168.1.10"}, None])
def test_best_local_without_family_list(facts, value):
    facts["best_local"] = value
    fails("best_local of the facts has no ipv4 list", facts)


def test_best_local_entry_missing_key():
    facts = make_facts(best4=[{"address": "10.0.0.1", "prefixlen": 8}])
    fails("best_local.ipv4 entry 0 has no 'interface' key", facts)
    facts = make_facts(best4=["10.0.0.1"])
    fails("best_local.ipv4 entry 0 is not a record", facts)


@pytest.mark.parametrize("bad", ["10.0.0.300", "fe80::1%", "10.0.0.1%eth0", None, 5])
def test_best_local_entry_not_an_address(bad):
    fails("best_local holds not an IP address", make_facts(best4=[best(bad, 8, "eth0")]))


def test_best_local_with_zone_is_accepted():
    facts = make_facts(best6=[best("fe80::1%eth0", 64, "eth0")])
    assert best_local(facts, 6, records=True)["class"] == "link_local"


def test_real_facts_of_this_host():
    netifs = pytest.importorskip("ansible_collections.netifs.core.plugins.module_utils.netifs")
    try:
        facts = netifs.gather(subset=["best_local", "addresses"])
    except Exception as exc:  # pragma: no cover - no netlink here
        pytest.skip("cannot gather facts here: %s" % exc)
    if facts["backend"] is None or "best_local" not in facts:
        pytest.skip("no netlink here")
    for family in (4, 6):
        expected = [b["address"] for b in facts["best_local"]["ipv%d" % family]]
        assert best_local(facts, family, first=False) == expected
        assert best_local(facts, family) == (expected[0] if expected else None)
        everything = best_local(facts, family, fallback=list(classify.CLASSES), first=False)
        assert everything[:len(expected)] == expected
