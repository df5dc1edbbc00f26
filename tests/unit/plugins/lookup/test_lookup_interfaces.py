# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the netifs.core.interfaces lookup: patterns and subsets reach the engine as the
module's options would, and bad ones are errors naming them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.netifs.core.plugins.module_utils.netifs import facts

LO = {"index": 1, "name": "lo", "mtu": 65536, "addresses": []}
ODD = {"index": 2, "name": "w\\xfflan", "name_bytes": "77ff6c616e", "mtu": 1500, "addresses": []}


@pytest.fixture
def gathered(monkeypatch):
    calls = []

    def gather(**kwargs):
        calls.append(kwargs)
        return {"schema": 1, "backend": "linux_rtnetlink", "subsets": kwargs["subset"], "missing": [],
                "warnings": [], "interfaces": {"lo": dict(LO), ODD["name"]: dict(ODD)}}
    monkeypatch.setattr(facts, "gather", gather)
    return calls


def run(terms, **kwargs):
    return lookup_loader.get("netifs.core.interfaces").run(terms, variables={}, **kwargs)


def test_every_interface_in_the_kernels_order(gathered):
    assert run([]) == [LO, ODD]
    assert gathered == [{"subset": ["addresses", "interfaces", "multicast", "stats"], "interfaces": None}]


def test_patterns_go_to_the_engine_as_the_modules_option(gathered):
    run(["e*", "!eth9", ["br*"]])
    assert gathered[0]["interfaces"] == ["e*", "!eth9", "br*"]


@pytest.mark.parametrize("subset, asked", [
    (["all"], ["addresses", "interfaces", "multicast", "stats"]),
    (["!stats"], ["addresses", "interfaces", "multicast"]),
    (["addresses"], ["addresses"]),
    (["all", "!multicast", "!stats"], ["addresses", "interfaces"]),
])
def test_subsets(gathered, subset, asked):
    run([], gather_subset=subset)
    assert gathered[0]["subset"] == asked


def test_no_subset_gives_names_only(gathered):
    assert run([], gather_subset=["!all"]) == [
        {"index": 1, "name": "lo"}, {"index": 2, "name": "w\\xfflan", "name_bytes": "77ff6c616e"}]


@pytest.mark.parametrize("subset, message", [
    (["routes"], "gather_subset entry 'routes' does not describe interfaces; choose from all, addresses, "
                 "interfaces, multicast, stats (each may start with !)"),
    (["all", "!best_local"], "gather_subset entry '!best_local' does not describe interfaces"),
    (["bogus"], "unknown gather_subset entry 'bogus'"),
    ([5], "gather_subset entry 5 is not a string"),
])
def test_bad_subsets(gathered, subset, message):
    with pytest.raises(AnsibleLookupError) as info:
        run([], gather_subset=subset)
    assert str(info.value).startswith("netifs.core.interfaces: " + message)
    assert gathered == []


@pytest.mark.parametrize("term", [5, None, "", "!", {"name": "eth0"}])
def test_bad_terms_name_the_term(gathered, term):
    with pytest.raises(AnsibleLookupError) as info:
        run(["lo", term])
    assert str(info.value) == "netifs.core.interfaces: term %r is not an interface name pattern" % (term,)
    assert gathered == []
