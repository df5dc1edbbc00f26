# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hosts that restrict the engine give full or clearly partial facts, never a traceback:

* a process denied AF_NETLINK by a real seccomp filter (deny_netlink.py): glibc's getifaddrs(3)
  fails with it, and the engine and the module fall back to sysfs, ioctls and /proc/net
  (``linux_procfs``; test_fallback.py compares what it reads with netlink), listing what that
  cannot tell in ``missing`` and why it fell back in ``warnings``;
* ``/proc`` not mounted (a private mount namespace where it was unmounted): nothing is lost,
  since everything is read through netlink;
* netlink denied and ``/proc`` gone: the interfaces and addresses still come from sysfs and
  ioctls, the rest is missing;
* netlink denied, ``/proc`` gone and an empty ``/sys``: no backend opens; every subset is in
  ``missing`` with each backend's reason, and the task still does not fail.

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
NO_PROC_OR_SYS = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                  'umount -l /proc && mount -t tmpfs none /sys && test ! -e /sys/class/net && exec "$@"', "sh"]
NETLINK_DENIED = "linux_rtnetlink: [Errno 13] cannot open a netlink socket: Permission denied"
GETIFADDRS_DENIED = "getifaddrs: [Errno 13] Permission denied"
FELL_BACK = "fell back to linux_procfs: "
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


def assert_fell_back(facts, subsets):
    """The sysfs and /proc backend took over, said why, and listed what it cannot tell."""
    assert facts["backend"] == "linux_procfs"
    assert facts["warnings"][:2] == [FELL_BACK + NETLINK_DENIED, FELL_BACK + GETIFADDRS_DENIED]
    lost = {m["subset"] for m in facts["missing"]}
    assert lost == {"interfaces"} | (set(subsets) & {"addresses", "routes", "best_local", "rules"})
    # best_local: a connected socket tells the source, the tables the route (outbound.py)
    assert all(m["reason"].startswith("without rtnetlink: ") if m["subset"] != "best_local"
               else m["reason"].startswith("linux_procfs does not tell which route") for m in facts["missing"])
    assert all(k in facts for k in ("interfaces", "routes", "gateways", "best_local") if k in subsets)


def test_engine_with_netlink_denied(lan):
    facts = gather_with(lan.ns, DENY, destinations=["10.0.0.9"])
    assert len(facts["subsets"]) == 8
    assert_fell_back(facts, facts["subsets"])
    assert "va" in facts["interfaces"] and facts["default_ipv4"]["gateway"] == "10.0.0.254"
    assert [(s["destination"], s["source"], s["interface"], s["error"]) for s in facts["sources"]] == \
        [("10.0.0.9", "10.0.0.1", "va", None)]


def test_module_with_netlink_denied_returns_partial_facts(lan, collections_path):
    result = netns.run_module(lan.ns, {"gather_subset": ["interfaces", "routes"]}, collections_path, wrap=DENY)
    assert not result.get("failed"), result
    assert_fell_back(result["ansible_facts"]["netifs"], ["interfaces", "routes"])


def test_no_backend_opens(lan, collections_path):
    """Netlink denied, /proc and /sys gone: nothing to read, and still no failure."""
    reason = "; ".join((NETLINK_DENIED, GETIFADDRS_DENIED,
                        "linux_procfs: [Errno 2] No such file or directory: b'/sys/class/net'"))
    facts = gather_with(lan.ns, NO_PROC_OR_SYS + DENY, subset=["interfaces", "multicast"], destinations=["10.0.0.9"])
    assert facts["backend"] is None
    assert facts["missing"] == [{"subset": s, "family": None, "reason": reason} for s in ("interfaces", "multicast")]
    assert [k for k in ("interfaces", "routes", "gateways", "best_local") if k in facts] == []
    assert [(s["destination"], s["error"]) for s in facts["sources"]] == [("10.0.0.9", reason)]
    result = netns.run_module(lan.ns, {"gather_subset": ["routes"]}, collections_path, wrap=NO_PROC_OR_SYS + DENY)
    assert not result.get("failed"), result
    assert result["ansible_facts"]["netifs"]["missing"] == [{"subset": "routes", "family": None, "reason": reason}]


def test_proc_not_mounted_loses_nothing(lan):
    subset = ["all", "!stats"]
    facts = without_lifetimes(gather_with(lan.ns, NO_PROC, subset=subset))
    normal = without_lifetimes(gather_with(lan.ns, [], subset=subset))
    assert (facts["missing"], facts["warnings"]) == ([], [])
    for key in sorted(normal):
        assert_equal(facts[key], normal[key], "%s, without /proc vs with" % key)


def test_proc_not_mounted_and_netlink_denied(lan):
    facts = gather_with(lan.ns, NO_PROC + DENY, subset=["interfaces", "multicast", "stats"])
    assert facts["backend"] == "linux_procfs"
    assert sorted(facts["interfaces"]) == sorted(lan.gather(subset=["interfaces"])["interfaces"])
    lost = sorted((m["subset"], m["reason"].split(":")[0]) for m in facts["missing"])
    assert lost == [("interfaces", "without rtnetlink"), ("multicast", "/proc/net/igmp"),
                    ("multicast", "/proc/net/igmp6"), ("stats", "/proc/net/dev")]
