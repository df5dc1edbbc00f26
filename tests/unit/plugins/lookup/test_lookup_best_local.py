# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the netifs.core.best_local lookup and the controller support it shares with the
other lookups, over a scripted ``gather``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.netifs.core.plugins.module_utils.netifs import classify, facts
from ansible_collections.netifs.core.plugins.module_utils.netifs.errors import TornSnapshot
from ansible_collections.netifs.core.plugins.plugin_utils import controller


def addr(text, prefixlen, scope="global"):
    return {"address": text, "prefixlen": prefixlen, "family": 6 if ":" in text else 4, "scope": scope,
            "class": classify.classify(text), "flags": []}


def make_facts(best4, best6, missing=(), warnings=()):
    return {
        "schema": 1, "backend": "linux_rtnetlink", "subsets": ["addresses", "best_local"],
        "missing": list(missing), "warnings": list(warnings),
        "best_local": {"ipv4": best4, "ipv6": best6},
        "interfaces": {
            "lo": {"index": 1, "name": "lo", "addresses": [addr("127.0.0.1", 8, "host")]},
            "eth0": {"index": 2, "name": "eth0", "addresses": [addr("192.168.1.10", 24), addr("192.168.1.11", 24)]},
            "eth1": {"index": 3, "name": "eth1", "addresses": [addr("93.184.216.34", 24), addr("2001:db8::5", 64)]},
        },
    }


V4 = [{"address": "192.168.1.10", "prefixlen": 24, "interface": "eth0"},
      {"address": "192.168.1.11", "prefixlen": 24, "interface": "eth0"}]
V6 = [{"address": "2001:db8::5", "prefixlen": 64, "interface": "eth1"}]


@pytest.fixture
def gathered(monkeypatch):
    """``facts.gather`` returning ``state['facts']``; records its arguments in ``state['calls']``."""
    state = {"facts": make_facts(V4, V6), "calls": []}

    def gather(**kwargs):
        state["calls"].append(kwargs)
        return state["facts"]
    monkeypatch.setattr(facts, "gather", gather)
    return state


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(controller.display, "warning", shown.append)
    return shown


def run(terms, **kwargs):
    return lookup_loader.get("netifs.core.best_local").run(terms, variables={}, **kwargs)


def test_no_terms_both_families(gathered):
    assert run([]) == ["192.168.1.10", "2001:db8::5"]
    assert gathered["calls"] == [{"subset": ["best_local"]}]


@pytest.mark.parametrize("terms, expected", [
    (["ipv6"], ["2001:db8::5"]), (["ipv4"], ["192.168.1.10"]), (["IPv4", "ipv6"], ["192.168.1.10", "2001:db8::5"]),
    ([6, 4], ["2001:db8::5", "192.168.1.10"]), (["6"], ["2001:db8::5"]), ([["ipv4", "ipv6"]], ["192.168.1.10", "2001:db8::5"]),
])
def test_families_in_term_order(gathered, terms, expected):
    assert run(terms) == expected


def test_a_family_without_one_is_left_out_unless_named(gathered):
    gathered["facts"] = make_facts(V4, [])
    assert run([]) == ["192.168.1.10"]
    with pytest.raises(AnsibleLookupError) as info:
        run(["ipv4", "ipv6"])
    assert str(info.value) == ("netifs.core.best_local: term ipv6: the controller has no best local IPv6 address "
                               "(no default route of that family, or no usable address behind it)")
    gathered["facts"] = make_facts([], [])
    assert run([]) == []


def test_records_carry_class_and_family(gathered):
    assert run(["ipv4", "ipv6"], records=True) == [
        {"address": "192.168.1.10", "prefixlen": 24, "interface": "eth0", "class": "private", "family": 4},
        {"address": "2001:db8::5", "prefixlen": 64, "interface": "eth1", "class": "documentation", "family": 6}]


def test_first_false_gives_every_candidate(gathered):
    assert run(["ipv4"], first=False) == ["192.168.1.10", "192.168.1.11"]
    assert run([], first=False, records=True)[2]["family"] == 6


def test_fallback_reads_addresses_too(gathered):
    # a private address of the default route's interface ranks before a public one of another
    assert run(["ipv4"], fallback=["public", "private"]) == ["192.168.1.10"]
    assert gathered["calls"][-1] == {"subset": ["best_local", "addresses"]}
    assert run(["ipv4"], fallback="public") == ["93.184.216.34"]


def test_fallback_without_a_match_names_the_classes(gathered):
    with pytest.raises(AnsibleLookupError) as info:
        run(["ipv6"], fallback=["shared"])
    assert str(info.value) == ("netifs.core.best_local: term ipv6: the controller has no best local IPv6 address of "
                               "the classes shared (no default route of that family, or no usable address behind it)")


@pytest.mark.parametrize("fallback, message", [
    (["privat"], "unknown address class 'privat' in fallback"),
    ([], "fallback names no address class"),
    ([5], "fallback entry 5 is not a string"),
])
def test_bad_fallback(gathered, fallback, message):
    with pytest.raises(AnsibleLookupError) as info:
        run(["ipv4"], fallback=fallback)
    assert str(info.value).startswith("netifs.core.best_local: " + message)


@pytest.mark.parametrize("term", ["ipv5", "inet", True, None, 4.0, {"family": 4}])
def test_bad_terms_name_the_term(gathered, term):
    with pytest.raises(AnsibleLookupError) as info:
        run(["ipv4", term])
    assert str(info.value) == "netifs.core.best_local: term %r is not a family; use ipv4 or ipv6" % (term,)
    assert gathered["calls"] == []


def test_unknown_option(gathered):
    with pytest.raises(AnsibleLookupError) as info:
        run([], fallbacks=["public"])
    assert str(info.value) == ("netifs.core.best_local: unknown option fallbacks; the options are fallback, first, "
                               "records")


# --- the controller support every lookup shares ---------------------------------------------------

def test_controller_that_cannot_be_read(gathered):
    reason = "cannot open a netlink socket: [Errno 97] Address family not supported by protocol"
    gathered["facts"] = {"schema": 1, "backend": None, "subsets": ["best_local"], "warnings": [],
                         "missing": [{"subset": "best_local", "family": None, "reason": reason}]}
    with pytest.raises(AnsibleLookupError) as info:
        run([])
    assert str(info.value) == "netifs.core.best_local: cannot read the controller's network: " + reason


def test_missing_tables_and_warnings_are_shown(gathered, warnings):
    gathered["facts"] = make_facts(V4, [], warnings=["skipped a malformed message: RTM_NEWROUTE at offset 0"],
                                   missing=[{"subset": "routes", "family": 6, "reason": "[Errno 13] Permission denied"}])
    assert run([]) == ["192.168.1.10"]
    assert warnings == ["netifs.core.best_local: skipped a malformed message: RTM_NEWROUTE at offset 0",
                        "netifs.core.best_local: the controller did not give routes (IPv6): "
                        "[Errno 13] Permission denied"]


@pytest.mark.parametrize("exc", [TornSnapshot("the kernel flagged the routes dump as interrupted"),
                                 ValueError("unknown gather_subset entry 'x'")])
def test_engine_errors_become_lookup_errors(monkeypatch, exc):
    def gather(**kwargs):
        raise exc
    monkeypatch.setattr(facts, "gather", gather)
    with pytest.raises(AnsibleLookupError) as info:
        run([])
    assert str(info.value) == "netifs.core.best_local: %s" % exc
