# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The forms of facts the filters accept, and the errors for everything else."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import (
    find_netifs, interfaces_of, netifs_of, require)

NETIFS = {"schema": 1, "backend": "linux_rtnetlink", "missing": [], "interfaces": {"lo": {"name": "lo"}}}


@pytest.mark.parametrize("value", [NETIFS, {"netifs": NETIFS}, {"ansible_facts": {"netifs": NETIFS}}])
def test_every_form_finds_the_same_facts(value):
    assert find_netifs(value) is NETIFS
    assert netifs_of(value, "p") is NETIFS
    assert interfaces_of(value, "p") == {"lo": {"name": "lo"}}


@pytest.mark.parametrize("value", [None, [], "text", 5, {"ansible_facts": {}}, {"netifs": "x"}])
def test_no_facts(value):
    assert find_netifs(value) is None
    with pytest.raises(AnsibleFilterError, match="^p: expected netifs facts"):
        netifs_of(value, "p")


def test_other_schema_is_refused():
    with pytest.raises(AnsibleFilterError, match="netifs facts of schema 2; this collection reads schema 1"):
        netifs_of(dict(NETIFS, schema=2), "p")


def test_interface_lists_and_dicts():
    assert interfaces_of([{"name": "a"}, {"name": "b"}], "p") == {"a": {"name": "a"}, "b": {"name": "b"}}
    assert interfaces_of({"a": {"name": "a"}}, "p") == {"a": {"name": "a"}}


def test_missing_subset_names_the_gather_subset():
    with pytest.raises(AnsibleFilterError, match="^p: the facts hold no routes; gather them with gather_subset including routes$"):
        require(NETIFS, "routes", "routes", "p")


def test_a_host_that_could_not_be_read_points_at_missing():
    lost = {"schema": 1, "backend": None, "warnings": [],
            "missing": [{"subset": "routes", "family": None, "reason": "cannot open a netlink socket: denied"}]}
    with pytest.raises(AnsibleFilterError, match=r"could not be read \(netifs.missing: cannot open a netlink socket: denied\)"):
        require(lost, "routes", "routes", "p")
    with pytest.raises(AnsibleFilterError, match="no interfaces; the host could not be read"):
        interfaces_of(lost, "p")
