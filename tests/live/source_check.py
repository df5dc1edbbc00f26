# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An offline ``source_for`` answer against the kernel's ``ip route get`` in the same namespace,
field by field.

The kernel answers a lookup that ends on a reject route or rule with an errno and nothing else
(net/ipv4/fib_semantics.c ``fib_props``, fib4_rule_action, __fib6_rule_action): a blackhole gives
EINVAL, prohibit EACCES, an unreachable route EHOSTUNREACH, and an unreachable rule, a ``throw``
no later table catches or no route at all ENETUNREACH. kernel_view.route_get maps the first
three back to their type; the table and rule the offline answer names for a rejection are then
checked against ``ip -j route show`` and ``ip -j rule`` of the namespace.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import ipaddress
import json
import os

import kernel_view as kv

NO_ROUTE = os.strerror(errno.ENETUNREACH)  # no route, a throw to nothing, an unreachable rule
DEFAULT_IPV4_RULES = ((0, "local"), (32766, "main"), (32767, "default"))
ROUTED = "routed"


def rejection(answer):
    """What the kernel says for what the offline answer says: ROUTED, a reject type (its errno),
    or None for ENETUNREACH."""
    if answer["type"] is None:
        return None
    if answer["table"] is None and answer.get("rule") is not None:  # a reject rule
        return None if answer["type"] == "unreachable" else answer["type"]
    return answer["type"] if answer["error"] else ROUTED


def hops(answer):
    """``{(interface, gateway, source)}`` of every hop the answer reports."""
    return {(h["interface"], h["gateway"], h["source"]) for h in answer["nexthops"]} or {
        (answer["interface"], answer["gateway"], answer["source"])}


def _covers(route, address):
    return ipaddress.ip_address(address) in ipaddress.ip_network(route["destination"])


def _rejection_problem(ns, answer):
    """Where the answer says a reject route of table T (or rule N) decided, the namespace has one."""
    if answer["table"] is None:
        rule = [r for r in ns.ipj("-%d" % answer["family"], "rule") if r["priority"] == answer.get("rule")]
        if not rule or rule[0].get("action") != answer["type"]:
            return "no %s rule at priority %s: %s" % (answer["type"], answer.get("rule"), rule)
        return None
    covering = [r for r in kv.routes(ns) if r["table"] == answer["table"] and r["family"] == answer["family"]
                and not r["tos"] and not r["source"] and _covers(r, answer["address"])]
    best = min(covering, key=lambda r: (-ipaddress.ip_network(r["destination"]).prefixlen, r["metric"]), default=None)
    if best is None or best["type"] != answer["type"]:
        return "table %s has no %s route as the longest cover of %s" % (answer["table"], answer["type"], answer["address"])
    return None


def _merged_tables(ns):
    """True while the IPv4 local and main tables share one trie: until a first policy rule is
    added (fib_unmerge), ``ip route get`` names main (254) for what the local table answers."""
    return [(r["priority"], r.get("table")) for r in ns.ipj("-4", "rule")] == list(DEFAULT_IPV4_RULES)


def _table_problem(ns, kernel, mine):
    if kernel["table"] == mine["table"]:
        return None
    if (mine["family"], mine["table"], kernel["table"]) == (4, 255, 254) and _merged_tables(ns):
        return None
    return "table: kernel %s, offline %s" % (kernel["table"], mine["table"])


def compare(ns, kernel, mine):
    """None when the offline answer agrees with the kernel's, else what differs. Every field:
    type, table, and (interface, gateway, source) among the reported hops (one, unless ECMP)."""
    if "error" in kernel:
        if kernel["type"] is None and NO_ROUTE not in kernel["error"]:
            return "kernel: %s (not a routing answer)" % kernel["error"]
        if kernel["type"] != rejection(mine):
            return "kernel: %s; offline: %s" % (kernel["error"], json.dumps(mine))
        return _rejection_problem(ns, mine) if mine["type"] else None
    if rejection(mine) != ROUTED:
        return "kernel answered %s; offline: %s" % (json.dumps(kernel), json.dumps(mine))
    differ = [p for p in ("type: kernel %s, offline %s" % (kernel["type"], mine["type"]) if kernel["type"] != mine["type"]
                          else None, _table_problem(ns, kernel, mine)) if p]
    if kernel["prefix"] != mine["prefix"]:
        differ.append("route: kernel %s, offline %s" % (kernel["prefix"], mine["prefix"]))
    want = (kernel["interface"], kernel["gateway"], kernel["source"])
    if want not in hops(mine):
        differ.append("kernel hop %s not among the offline hops %s" % (want, sorted(hops(mine), key=str)))
    return "; ".join(differ) or None


def kernel_answer(ns, destination, **selectors):
    """``ip route get`` of one destination, with the matching route's prefix (``fibmatch``)."""
    kernel = kv.route_get(ns, destination, **selectors)
    if "error" not in kernel:
        kernel["prefix"] = kv.route_get(ns, destination, fibmatch=True, **selectors).get("prefix")
    return kernel


def disagreements(ns, destinations, answer, **selectors):
    """``{destination: problem}`` over ``destinations``; ``answer(dest)`` is the offline answer,
    ``selectors`` go to ``ip route get`` (``fwmark``, ``uid``, ...) for every destination."""
    bad = {}
    for dest in destinations:
        problem = compare(ns, kernel_answer(ns, dest, **selectors), answer(dest))
        if problem:
            bad[dest] = problem
    return bad
