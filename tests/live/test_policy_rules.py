# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``rules`` subset against ``ip -d -j rule`` (both families) on a host with rules of every
kind (the ``policy`` fixture, scenarios.RULES) and on a fresh namespace."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

import kernel_view as kv
import netns
import scenarios
from compare import assert_equal

pytestmark = pytest.mark.usefixtures("engine_present")

# What a new network namespace starts with (fib_default_rules_init, fib6_rules_net_init).
DEFAULT_RULES = [(4, 0, 255), (4, 32766, 254), (4, 32767, 253), (6, 0, 255), (6, 32766, 254)]


def test_rules_equal_the_kernels(policy):
    f = policy.gather(subset=["rules"])
    assert_equal(f["missing"], [], "missing")
    assert_equal(f["warnings"], [], "warnings")
    assert_equal(f["rules"], kv.rules(policy.ns), "rules")


def test_the_host_has_every_kind_of_rule(policy):
    """The scenario really builds what the comparison is meant to cover."""
    got = kv.rules(policy.ns)
    added = [r for r in got if (r["family"], r["priority"]) not in {(f, p) for f, p, _t in DEFAULT_RULES}]
    assert len(added) == len(scenarios.RULES) + (2 if policy.info["optional"]["l3mdev"] else 0)
    for family in (4, 6):
        mine = [r for r in added if r["family"] == family]
        assert {r["action"] for r in mine} == {"lookup", "goto", "nop", "blackhole", "unreachable", "prohibit"}
        for key in ("from", "to", "iif", "oif", "fwmark", "uid_range", "ipproto", "sport_range", "dport_range",
                    "suppress_prefixlength"):
            assert any(r[key] is not None for r in mine), (family, key)
        assert any(r["invert"] for r in mine) and any(r["tos"] for r in mine)
        assert "oif_detached" in {f for r in mine for f in r["flags"]}
        assert any(r["table"] == 51820 for r in mine)  # beyond the 8-bit header field
    flags = {f for r in added for f in r["flags"]}
    assert {"unresolved", "iif_detached"} <= flags
    assert {r["fwmask"] for r in added if r["fwmark"] is not None} >= {0xFFFFFFFF, 0xFF, 0xF00}
    assert {r["protocol"] for r in added} >= {"unspec", "static", "77"}
    assert any(r["suppress_ifgroup"] is not None for r in added)
    if policy.info["optional"]["l3mdev"]:
        assert [r["family"] for r in added if r["l3mdev"]] == [4, 6]


def test_default_rules_of_a_fresh_namespace():
    with netns.namespaces(1, "fresh") as (ns,):
        f = netns.run_engine(ns, subset=["rules"])
        assert_equal(f["rules"], kv.rules(ns), "rules")
        assert_equal([(r["family"], r["priority"], r["table"], r["action"], r["protocol"]) for r in f["rules"]],
                     [(f_, p, t, "lookup", "kernel") for f_, p, t in DEFAULT_RULES], "default rules")


def test_rules_are_not_filtered_by_the_interfaces_option(policy):
    f = policy.gather(subset=["rules"], interfaces=["nosuchif*"])
    assert_equal(f["rules"], kv.rules(policy.ns), "rules with an interface filter")


def test_rules_subset_alone(policy):
    f = policy.gather(subset=["rules"])
    assert_equal(sorted(k for k in f if k not in ("schema", "backend", "subsets", "missing", "warnings")),
                 ["rules"], "keys")
    assert_equal(f["subsets"], ["rules"], "subsets")
    assert "rules" not in policy.gather(subset=["all", "!rules"])


def test_rules_in_all(policy):
    f = policy.gather()
    assert "rules" in f["subsets"]
    assert_equal(f["rules"], kv.rules(policy.ns), "rules with every subset")
