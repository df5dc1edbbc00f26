# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Ansible module run inside a scenario namespace (``ansible localhost -m
netifs.core.netifs_facts``) gives the engine's facts, names untemplated."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

import kernel_view as kv
import netns
import scenarios
from compare import assert_equal, assert_same_multiset, canon

pytestmark = [
    pytest.mark.usefixtures("engine_present"),
    pytest.mark.skipif(not os.path.exists(netns.MODULE_FILE),
                       reason="the module is not there yet: plugins/modules/netifs_facts.py is missing"),
]

LIFETIMES = ("preferred_lifetime", "valid_lifetime")


def without_lifetimes(facts):
    """The facts with the address lifetimes (which tick between two reads) taken out."""
    out = dict(facts)
    out["interfaces"] = {
        name: dict(rec, addresses=[{k: v for k, v in a.items() if k not in LIFETIMES}
                                   for a in rec.get("addresses", [])])
        for name, rec in facts.get("interfaces", {}).items()}
    return out


def test_module_in_namespace(lan, collections_path):
    args = {"gather_subset": ["all", "!stats"], "destinations": ["8.8.8.8", "fe80::99%vb"]}
    result = netns.run_module(lan.ns, args, collections_path)
    assert not result.get("failed"), result
    assert result.get("changed") is False, result
    facts = result["ansible_facts"]["netifs"]
    engine = lan.gather(subset=["all", "!stats"], destinations=args["destinations"])
    a, e = without_lifetimes(facts), without_lifetimes(engine)
    assert_equal(sorted(a), sorted(e), "top-level keys, module vs engine")
    for key in ("schema", "backend", "subsets", "missing", "warnings", "interfaces", "best_local",
                "default_ipv4", "default_ipv6", "sources", "rules"):
        assert_equal(a[key], e[key], "%s, module vs engine" % key)
    for key in ("routes", "gateways", "all_ipv4_addresses", "all_ipv6_addresses"):
        assert_same_multiset([canon(x) for x in a[key]], [canon(x) for x in e[key]], "%s, module vs engine" % key)
    # names that look like templates come back as written, through Ansible too
    assert scenarios.TEMPLATE_NAME in facts["interfaces"], list(facts["interfaces"])
    assert facts["interfaces"]["vb"]["alias"] == scenarios.ALIAS
    # (key order does not survive Ansible: its result files are written with sorted keys)
    assert_equal(sorted(facts["interfaces"]), sorted(kv.links(lan.ns)), "interfaces, module vs kernel")


def test_module_rules(policy, collections_path):
    """Every kind of policy rule through Ansible, as the kernel has them (``ip -d -j rule``)."""
    result = netns.run_module(policy.ns, {"gather_subset": ["rules"]}, collections_path)
    facts = result["ansible_facts"]["netifs"]
    assert_equal((facts["subsets"], facts["missing"], facts["warnings"]), (["rules"], [], []), "subsets, missing, warnings")
    assert_equal(facts["rules"], kv.rules(policy.ns), "rules, module vs kernel")


GATHER_FACTS_PLAY = """
- hosts: localhost
  gather_facts: true
  vars:
    ansible_facts_modules: [netifs.core.netifs_facts]
  module_defaults:
    netifs.core.netifs_facts:
      gather_subset: [best_local, routes]
  tasks:
    - name: Keep what gather_facts put in ansible_facts
      ansible.builtin.copy:
        content: "{{ ansible_facts.netifs | to_json }}"
        dest: "%s"
        mode: "0600"
"""


def test_module_as_fact_gatherer(routes, collections_path, tmp_path):
    """``gather_facts`` runs the module (``ansible_facts_modules``) with its ``module_defaults``."""
    out = tmp_path / "netifs.json"
    play = tmp_path / "play.yml"
    play.write_text(GATHER_FACTS_PLAY % out)
    netns.run_playbook(routes.ns, play, collections_path)
    facts = json.loads(out.read_text())
    engine = routes.gather(subset=["best_local", "routes"])
    assert facts["subsets"] == ["best_local", "routes"]
    assert "interfaces" not in facts
    for key in ("best_local", "default_ipv4", "default_ipv6"):
        assert_equal(facts[key], engine[key], "%s, gather_facts vs engine" % key)
    assert_same_multiset([canon(x) for x in facts["routes"]], [canon(x) for x in engine["routes"]],
                         "routes, gather_facts vs engine")
