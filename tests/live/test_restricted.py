# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hosts that restrict the engine give full or clearly partial facts, never a traceback:

* a process denied AF_NETLINK by a real seccomp filter (deny_netlink.py): the engine and the
  module report every subset in ``missing``, with the reason, and the task does not fail;
* ``/proc`` not mounted (a private mount namespace where it was unmounted): nothing is lost,
  since everything is read through netlink;
* both at once.

An unprivileged user and a namespace with IPv6 disabled are in test_facts.py
(``test_unprivileged_user_gets_the_same_facts``, the ``noipv6`` scenario).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys

import pytest

import netns
from compare import assert_equal

pytestmark = pytest.mark.usefixtures("engine_present")

DENY = [sys.executable, os.path.join(netns.HERE, "deny_netlink.py")]
# Unmount /proc in a private mount namespace, prove it is gone, then run the command.
NO_PROC = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
           'umount -l /proc && test ! -e /proc/self/status && exec "$@"', "sh"]
DENIED = "cannot open a netlink socket: [Errno 13] Permission denied"
LIFETIMES = ("preferred_lifetime", "valid_lifetime")


def gather_with(ns, wrap, **kwargs):
    """The engine's facts, run under the ``wrap`` commands inside ``ns``; no traceback allowed."""
    argv = ["ip", "netns", "exec", ns.name] + list(wrap) + [sys.executable, "-B", netns.GATHER_SCRIPT,
                                                            json.dumps(kwargs)]
    proc = netns.run(argv)
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


def without_lifetimes(facts):
    for iface in facts.get("interfaces", {}).values():
        iface["addresses"] = [{k: v for k, v in a.items() if k not in LIFETIMES} for a in iface.get("addresses", ())]
    return facts


def assert_unreadable(facts, subsets):
    assert facts["backend"] is None
    assert facts["missing"] == [{"subset": s, "family": None, "reason": DENIED} for s in sorted(subsets)]
    assert [k for k in ("interfaces", "routes", "gateways", "best_local") if k in facts] == []


def test_engine_with_netlink_denied(lan):
    facts = gather_with(lan.ns, DENY, destinations=["10.0.0.9"])
    assert_unreadable(facts, facts["subsets"])
    assert len(facts["subsets"]) == 7
    assert [(s["destination"], s["error"]) for s in facts["sources"]] == [("10.0.0.9", DENIED)]


def test_module_with_netlink_denied_returns_partial_facts(lan, collections_path):
    result = netns.run_module(lan.ns, {"gather_subset": ["interfaces", "routes"]}, collections_path, wrap=DENY)
    assert not result.get("failed"), result
    assert_unreadable(result["ansible_facts"]["netifs"], ["interfaces", "routes"])


def test_proc_not_mounted_loses_nothing(lan):
    subset = ["all", "!stats"]
    facts = without_lifetimes(gather_with(lan.ns, NO_PROC, subset=subset))
    normal = without_lifetimes(gather_with(lan.ns, [], subset=subset))
    assert (facts["missing"], facts["warnings"]) == ([], [])
    for key in sorted(normal):
        assert_equal(facts[key], normal[key], "%s, without /proc vs with" % key)


def test_proc_not_mounted_and_netlink_denied(lan):
    facts = gather_with(lan.ns, NO_PROC + DENY, subset=["interfaces", "multicast"])
    assert_unreadable(facts, ["interfaces", "multicast"])
