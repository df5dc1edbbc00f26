# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The netifs.core.validate action as Ansible loads and runs it: its argument spec rejects bad
input, the facts come from the task's variables, peers from hostvars, and nothing is changed."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.plugins.loader import action_loader

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "facts_lan.json")
with open(FIXTURE) as _handle:
    FACTS = json.load(_handle)


def run(args, check_mode=False, **task_vars):
    task = MagicMock(args=args, async_val=0, check_mode=check_mode, action="netifs.core.validate")
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = action_loader.get("netifs.core.validate", task=task, connection=connection, play_context=MagicMock(),
                               loader=None, templar=None, shared_loader_obj=None)
    variables = {"inventory_hostname": "lan", "ansible_facts": {"netifs": FACTS}}
    variables.update(task_vars)
    return action.run(task_vars=variables)


def test_a_matching_host_is_ok_and_unchanged_also_in_check_mode():
    for check_mode in (False, True):
        result = run({"interfaces": [{"name": "va", "mtu": 1500}]}, check_mode=check_mode)
        assert result["ok"] is True and result["changed"] is False and "failed" not in result
        assert result["msg"] == "netifs.core.validate: lan matches the inventory (2 checks)"


def test_a_mismatch_is_reported_not_failed():
    result = run({"interfaces": [{"name": "va", "mtu": "9000"}], "default_route": {"ipv4": {"interface": "vb"}}})
    assert result["ok"] is False and result["changed"] is False and "failed" not in result
    assert result["mismatches"] == [
        {"interface": "va", "check": "mtu", "expected": 9000, "actual": 1500},
        {"interface": None, "check": "default_route.ipv4.interface", "expected": "vb", "actual": "va"},
    ]
    assert result["msg"].startswith("netifs.core.validate: lan differs from the inventory in 2 of 3 checks:\n"
                                    "INTERFACE  CHECK")
    assert result["diff"]["before_header"] == "lan (gathered)"


def test_facts_given_as_an_option_win():
    other = dict(FACTS, interfaces=dict(FACTS["interfaces"], va=dict(FACTS["interfaces"]["va"], mtu=9000)))
    result = run({"facts": {"ansible_facts": {"netifs": other}}, "interfaces": [{"name": "va", "mtu": 9000}]})
    assert result["ok"] is True


def test_peers_come_from_hostvars():
    hostvars = {
        "lan": {"ansible_facts": {"netifs": FACTS}},
        "db": {"validate_interfaces": [{"name": "eth0", "addresses": ["10.0.1.20/24"]}]},
        "web": {"ansible_facts": {"netifs": {"schema": 1, "backend": "linux_rtnetlink", "interfaces": {
            "eth0": {"addresses": [{"address": "10.1.0.7", "network": "10.1.0.0/24", "class": "private"}]}}}}},
    }
    result = run({"peers": [{"host": "db", "on_link": True}, {"host": "web"}, {"host": "nobody"}]}, hostvars=hostvars)
    assert result["diff"]["before"]["peers"] == {
        "db": {"10.0.1.0/24": "on-link via va (10.0.1.1/24)"},
        "web": {"10.1.0.0/24": "on-link via br0 (10.1.0.1/24)"},
        "nobody": "unknown host",
    }
    assert [m["check"] for m in result["mismatches"]] == ["peer nobody"]


@pytest.mark.parametrize("args, message", [
    ({"interfaces": [{"name": "va", "mtu": "big"}]}, r"mtu.*int"),
    ({"interfaces": [{"name": "va", "state": "sideways"}]}, r"state.*one of: up, down"),
    ({"interfaces": [{"mtu": 1500}]}, r"missing required arguments: name"),
    ({"interfaces": [{"name": "va", "colour": "red"}]}, r"colour"),
    ({"interfaces": [{"name": "va", "addresses_match": "some"}]}, r"addresses_match.*contains, exact"),
    ({"default_route": {"ipv5": {}}}, r"ipv5"),
    ({"peers": ["db"]}, r"dictionary requested"),  # Ansible's own words
    ({"peers": [{"host": "db", "on_link": "maybe"}]}, r"on_link"),
    ({"interface": []}, r"interface"),
    ({"interfaces": [{"name": "va", "addresses": ["10.0.0.300/24"]}]}, r"'10.0.0.300/24' is not an IPv4 or IPv6"),
    ({"facts": {"ansible_facts": {}}}, r"^netifs.core.validate: expected netifs facts"),
    ({"peers": [{"host": "db"}]}, r"validate_interfaces of peer db is not a list"),
])
def test_bad_input_fails_the_task_naming_it(args, message):
    hostvars = {"db": {"validate_interfaces": "eth0"}}
    with pytest.raises(AnsibleActionFail, match=message):
        run(args, hostvars=hostvars)
