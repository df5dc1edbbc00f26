# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""policy.py on fabricated rule records (the ``rules`` schema): the walk's order, ``goto``,
``nop``, reject actions, suppression, inversion, and what it reports as undecided. The live test
test_source_hosts.py checks the same against ``ip route get`` on a real rule set."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress

import pytest

from netifs import policy

DEST = int(ipaddress.ip_address("192.0.2.7"))


def rule(priority, action="lookup", table=None, **selectors):
    return dict({"family": 4, "priority": priority, "action": action, "table": table}, **selectors)


def flow(**traits):
    base = {"family": 4, "value": DEST, "source": None, "iif": "lo", "oif": None, "fwmark": None, "uid": None,
            "ipproto": None, "sport": None, "dport": None}
    base.update(traits)
    return base


def walk(rules, tables, **traits):
    """``(deciding priority, table answer, undecided)``; ``tables`` maps a table to its answer."""
    undecided = []
    found, answer = policy.walk(policy.ordered(rules, 4), flow(**traits), tables.get, undecided)
    return (found["priority"] if found else None), answer, undecided


ROUTED = {"prefixlen": 24}
DEFAULT = {"prefixlen": 0}


def test_rules_are_walked_by_priority_and_an_empty_table_passes_on():
    rules = [rule(300, table=30), rule(100, table=10), rule(200, table=20)]
    assert walk(rules, {20: ROUTED, 30: DEFAULT})[:2] == (200, ROUTED)
    assert walk(rules, {})[:2] == (None, None)


def test_goto_jumps_forward_over_rules_and_an_unresolved_one_is_passed_over():
    rules = [rule(100, "goto", goto=300), rule(200, "prohibit"), rule(300, table=30), rule(400, "goto", goto=450),
             rule(500, table=50)]
    assert walk(rules, {30: ROUTED})[0] == 300
    assert walk(rules, {50: ROUTED})[0] == 500
    backwards = [rule(50, "nop"), rule(100, "goto", goto=50), rule(150, table=15)]  # the kernel refuses such a goto
    assert walk(backwards, {15: ROUTED})[0] == 150


@pytest.mark.parametrize("action", ["blackhole", "unreachable", "prohibit"])
def test_a_reject_action_decides(action):
    assert walk([rule(100, "nop"), rule(150, action), rule(200, table=20)], {20: ROUTED})[:2] == (150, None)


def test_suppress_prefixlength_refuses_short_answers_but_not_rejections():
    rules = [rule(100, table=254, suppress_prefixlength=0), rule(200, table=20)]
    assert walk(rules, {254: DEFAULT, 20: ROUTED})[0] == 200
    assert walk(rules, {254: ROUTED, 20: ROUTED})[0] == 100
    assert walk(rules, {254: {"reject": True}, 20: ROUTED})[0] == 100


def test_selectors_and_inversion():
    rules = [rule(100, table=10, to="192.0.2.0/25", invert=True), rule(200, table=20, to="192.0.2.0/24"),
             rule(50, table=5, **{"from": "10.0.0.0/8"})]
    tables = {5: ROUTED, 10: ROUTED, 20: ROUTED}
    assert walk(rules, tables)[0] == 200  # no source: no from rule; .7 is in the /25 the inverted rule names
    assert walk(rules, tables, source=int(ipaddress.ip_address("10.1.2.3")))[0] == 50
    assert walk([rule(100, table=10, iif="eth0"), rule(200, table=20, iif="lo")], tables)[0] == 200
    assert walk([rule(100, table=10, iif="eth0")], tables, iif="eth0")[0] == 100


def test_a_trait_not_given_is_assumed_and_named():
    rules = [rule(100, table=10, uid_range=[1000, 1999]), rule(200, table=20, fwmark=0xca6c, fwmask=None, invert=True)]
    tables = {10: ROUTED, 20: ROUTED}
    assert walk(rules, tables) == (200, ROUTED, [{"priority": 100, "missing": ["uid"], "assumed": "not matched"},
                                                 {"priority": 200, "missing": ["fwmark"], "assumed": "matched"}])
    assert walk(rules, tables, uid=1500) == (100, ROUTED, [])
    assert walk(rules, tables, uid=0, fwmark=0xca6c) == (None, None, [])


def test_a_rule_a_decided_selector_rules_out_is_not_undecided():
    rules = [rule(100, table=10, to="198.51.100.0/24", ipproto=6, dport_range=[443, 443])]
    assert walk(rules, {10: ROUTED}) == (None, None, [])


def test_mark_mask_protocol_and_ports():
    rules = [rule(100, table=10, fwmark=0x10, fwmask=0xff), rule(200, table=20, ipproto=17, sport_range=[5000, 6000])]
    tables = {10: ROUTED, 20: ROUTED}
    assert walk(rules, tables, fwmark=0x110, ipproto=17, sport=1)[0] == 100
    assert walk(rules, tables, fwmark=0x11, ipproto=17, sport=5500)[0] == 200
    assert walk(rules, tables, fwmark=0x11, ipproto=6, sport=5500)[0] is None


def test_suppress_ifgroup_is_undecided():
    undecided = []
    assert not policy.suppressed(rule(100, table=254, suppress_ifgroup=5), 0, undecided)
    assert undecided == [{"priority": 100, "missing": ["suppress_ifgroup"], "assumed": "not suppressed"}]


def test_protocols_by_number_digits_or_name():
    assert [policy.protocol_number(v) for v in (6, "17", "TCP", "ipv6-icmp", None)] == [6, 17, 6, 58, None]
    with pytest.raises(ValueError, match="'quic' is not a protocol number"):
        policy.protocol_number("quic")


def test_default_rules():
    assert [(r["priority"], r["table"]) for r in policy.default_rules(4)] == [(0, 255), (32766, 254), (32767, 253)]
    assert [(r["priority"], r["table"]) for r in policy.default_rules(6)] == [(0, 255), (32766, 254)]
