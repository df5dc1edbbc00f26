# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.rules.parse_rule: RTM_NEWRULE messages built with nlbuild (every key of the
record, the kernel's own layout, every malformed case) and random input."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlbuild as nl
from fakes import truncations

from netifs.errors import ParseError
from netifs.rules import parse_rule

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNSET = 0xFFFFFFFF


def parse(payload, **kw):
    return parse_rule(payload, 0, len(payload), **kw)


def record(**changes):
    """The record of a plain ``lookup main`` IPv4 rule at priority 0, with ``changes``."""
    rec = {"family": 4, "priority": 0, "action": "lookup", "table": 254, "goto": None, "invert": False,
           "from": None, "to": None, "iif": None, "oif": None, "fwmark": None, "fwmask": None, "tos": 0,
           "l3mdev": False, "uid_range": None, "ipproto": None, "sport_range": None, "dport_range": None,
           "suppress_prefixlength": None, "suppress_ifgroup": None, "protocol": "unspec", "flags": []}
    rec.update(changes)
    return rec


def a(atype, value):
    return nl.attr(atype, nl.u32(value))


# --- what the kernel sends -----------------------------------------------------------------------

def test_default_rules_of_a_namespace():
    local = nl.kernel_rule(0, nl.RT_TABLE_LOCAL, protocol=nl.RTPROT_KERNEL)
    main = nl.kernel_rule(32766, nl.RT_TABLE_MAIN, protocol=nl.RTPROT_KERNEL)
    default6 = nl.kernel_rule(32766, nl.RT_TABLE_MAIN, protocol=nl.RTPROT_KERNEL, family=nl.AF_INET6)
    assert parse(local) == record(table=255, protocol="kernel")
    assert parse(main) == record(priority=32766, protocol="kernel")
    assert parse(default6) == record(family=6, priority=32766, protocol="kernel")


def test_from_and_to_keep_the_address_as_sent():
    payload = nl.kernel_rule(100, 100, nl.attr(nl.FRA_SRC, nl.ip("10.9.8.7")), nl.attr(nl.FRA_DST, nl.ip("192.0.2.1")),
                             src_len=16, dst_len=32)
    assert parse(payload) == record(priority=100, table=100, **{"from": "10.9.8.7/16", "to": "192.0.2.1/32"})


def test_ipv6_prefixes_and_tclass():
    payload = nl.kernel_rule(5, 7, nl.attr(nl.FRA_SRC, nl.ip("2001:db8:1::")), nl.attr(nl.FRA_DST, nl.ip("2001:db8::1")),
                             family=nl.AF_INET6, src_len=48, dst_len=128, tos=0x20)
    assert parse(payload) == record(family=6, priority=5, table=7, tos=0x20,
                                    **{"from": "2001:db8:1::/48", "to": "2001:db8::1/128"})


def test_not_and_interfaces_detached():
    payload = nl.kernel_rule(10, 100, nl.attr(nl.FRA_IIFNAME, nl.cstr("gone0")), nl.attr(nl.FRA_OIFNAME, nl.cstr("eth1")),
                             flags=nl.FIB_RULE_INVERT | nl.FIB_RULE_IIF_DETACHED)
    assert parse(payload) == record(priority=10, table=100, invert=True, iif="gone0", oif="eth1", flags=["iif_detached"])


def test_oif_detached_and_flags_ip_does_not_show():
    payload = nl.kernel_rule(10, 100, nl.attr(nl.FRA_OIFNAME, nl.cstr("gone1")),
                             flags=nl.FIB_RULE_OIF_DETACHED | nl.FIB_RULE_PERMANENT | nl.FIB_RULE_FIND_SADDR)
    assert parse(payload) == record(priority=10, table=100, oif="gone1", flags=["oif_detached"])


def test_interface_names_as_the_kernel_sends_them():
    payload = nl.kernel_rule(1, 100, nl.attr(nl.FRA_IIFNAME, b"e\xff0\0"), nl.attr(nl.FRA_OIFNAME, b"nonul"))
    rec = parse(payload)
    assert (rec["iif"], rec["oif"]) == ("e\\xff0", "nonul")


@pytest.mark.parametrize("attrs, mark, mask", [
    ([a(nl.FRA_FWMARK, 0x10), a(nl.FRA_FWMASK, UNSET)], 0x10, UNSET),  # fwmark 0x10
    ([a(nl.FRA_FWMARK, 0x20), a(nl.FRA_FWMASK, 0xFF)], 0x20, 0xFF),  # fwmark 0x20/0xff
    ([a(nl.FRA_FWMASK, UNSET)], 0, UNSET),  # fwmark 0/0xffffffff: unmarked packets only
    ([a(nl.FRA_FWMARK, 51820)], 51820, UNSET),  # a mark without a mask means all its bits
    ([], None, None),  # no mark matched
])
def test_fwmark_and_mask(attrs, mark, mask):
    rec = parse(nl.kernel_rule(1, 100, *attrs))
    assert (rec["fwmark"], rec["fwmask"]) == (mark, mask)


def test_wg_quick_rules():
    not_marked = nl.kernel_rule(32764, 51820, a(nl.FRA_FWMARK, 51820), a(nl.FRA_FWMASK, UNSET), flags=nl.FIB_RULE_INVERT)
    suppress = nl.kernel_rule(32765, nl.RT_TABLE_MAIN, suppress=0)
    assert parse(not_marked) == record(priority=32764, table=51820, invert=True, fwmark=51820, fwmask=UNSET)
    assert parse(suppress) == record(priority=32765, suppress_prefixlength=0)


def test_table_attribute_wins_over_the_header():
    payload = nl.rule(a(nl.FRA_TABLE, 1000), table=7)
    assert parse(payload)["table"] == 1000
    assert nl.kernel_rule(1, 51820)[4] == nl.RT_TABLE_COMPAT and parse(nl.kernel_rule(1, 51820))["table"] == 51820


def test_table_from_the_header_without_the_attribute():
    assert parse(nl.rule(table=100)) == record(table=100)


def test_l3mdev_rule_has_table_0():
    payload = nl.kernel_rule(1000, 0, nl.attr(nl.FRA_L3MDEV, nl.u8(1)))
    assert parse(payload) == record(priority=1000, table=0, l3mdev=True)


def test_selectors_of_the_transport():
    payload = nl.kernel_rule(1, 100, nl.uid_range(1000, 2000), nl.attr(nl.FRA_IP_PROTO, nl.u8(nl.IPPROTO_TCP)),
                             nl.port_range(nl.FRA_SPORT_RANGE, 1000, 2000), nl.port_range(nl.FRA_DPORT_RANGE, 443, 443))
    assert parse(payload) == record(priority=1, table=100, uid_range=[1000, 2000], ipproto=6,
                                    sport_range=[1000, 2000], dport_range=[443, 443])


def test_suppress_ifgroup_and_unset_values():
    assert parse(nl.kernel_rule(1, 254, a(nl.FRA_SUPPRESS_IFGROUP, 5)))["suppress_ifgroup"] == 5
    assert parse(nl.kernel_rule(1, 254, a(nl.FRA_SUPPRESS_IFGROUP, 0)))["suppress_ifgroup"] == 0
    rec = parse(nl.kernel_rule(1, 254, a(nl.FRA_SUPPRESS_IFGROUP, UNSET)))
    assert (rec["suppress_ifgroup"], rec["suppress_prefixlength"]) == (None, None)
    assert parse(nl.kernel_rule(1, 254, suppress=128))["suppress_prefixlength"] == 128


@pytest.mark.parametrize("action, name", [
    (nl.FR_ACT_TO_TBL, "lookup"), (nl.FR_ACT_NOP, "nop"), (nl.FR_ACT_BLACKHOLE, "blackhole"),
    (nl.FR_ACT_UNREACHABLE, "unreachable"), (nl.FR_ACT_PROHIBIT, "prohibit"), (nl.FR_ACT_UNSPEC, "0"),
    (nl.FR_ACT_RES3, "4"), (nl.FR_ACT_RES4, "5"), (200, "200"),
])
def test_actions(action, name):
    rec = parse(nl.kernel_rule(300, 0, action=action))
    assert rec["action"] == name
    assert rec["table"] == (0 if name == "lookup" else None)  # a table only for lookup


def test_goto_resolved_and_unresolved():
    assert parse(nl.kernel_rule(300, 0, a(nl.FRA_GOTO, 32766), action=nl.FR_ACT_GOTO)) == record(
        priority=300, action="goto", table=None, goto=32766)
    assert parse(nl.kernel_rule(300, 0, a(nl.FRA_GOTO, 301), action=nl.FR_ACT_GOTO,
                                flags=nl.FIB_RULE_UNRESOLVED)) == record(
        priority=300, action="goto", table=None, goto=301, flags=["unresolved"])


@pytest.mark.parametrize("number, name", [(0, "unspec"), (2, "kernel"), (4, "static"), (12, "bird"), (77, "77"),
                                          (255, "255")])
def test_protocol(number, name):
    assert parse(nl.kernel_rule(1, 254, protocol=number))["protocol"] == name


def test_no_protocol_attribute_is_unspec():
    assert parse(nl.rule())["protocol"] == "unspec"


def test_attributes_not_read_are_ignored():
    payload = nl.kernel_rule(1, 100, a(nl.FRA_FLOW, 0x10002), nl.attr(nl.FRA_TUN_ID, nl.u64(7)),
                             nl.attr(nl.FRA_DSCP, nl.u8(4)), nl.attr(nl.FRA_SPORT_MASK, nl.u16(0xff)),
                             nl.attr(nl.FRA_PAD), nl.attr(nl.FRA_UNUSED2, b"x"), nl.attr(999, b"whatever"))
    assert parse(payload) == record(priority=1, table=100)


def test_nested_and_byte_order_bits_are_masked():
    payload = nl.rule(nl.attr(nl.FRA_PRIORITY | nl.NLA_F_NET_BYTEORDER, nl.u32(9)))
    assert parse(payload)["priority"] == 9


def test_other_os_family_numbers():
    payload = nl.kernel_rule(1, 100, nl.attr(nl.FRA_DST, nl.ip("2001:db8::")), family=nl.FBSD_AF_INET6, dst_len=32)
    assert parse(payload, families={2: 4, nl.FBSD_AF_INET6: 6})["to"] == "2001:db8::/32"
    with pytest.raises(ParseError):
        parse(payload)


# --- malformed -----------------------------------------------------------------------------------

@pytest.mark.parametrize("size", range(0, 12))
def test_header_too_short(size):
    with pytest.raises(ParseError) as info:
        parse(nl.kernel_rule(1, 100)[:size])
    assert "header needs 12" in str(info.value)


@pytest.mark.parametrize("family", [nl.AF_UNSPEC, nl.AF_BRIDGE, nl.AF_MPLS, 255])
def test_unknown_family(family):
    with pytest.raises(ParseError) as info:
        parse(nl.kernel_rule(1, 100, family=family))
    assert "address family %d" % family in str(info.value)


U32_ATTRS = [nl.FRA_PRIORITY, nl.FRA_GOTO, nl.FRA_TABLE, nl.FRA_FWMARK, nl.FRA_FWMASK, nl.FRA_SUPPRESS_PREFIXLEN,
             nl.FRA_SUPPRESS_IFGROUP]
U8_ATTRS = [nl.FRA_L3MDEV, nl.FRA_PROTOCOL, nl.FRA_IP_PROTO]
RANGE_ATTRS = [(nl.FRA_UID_RANGE, 8), (nl.FRA_SPORT_RANGE, 4), (nl.FRA_DPORT_RANGE, 4)]
WRONG_SIZES = [(t, n) for t in U32_ATTRS for n in (0, 1, 2, 3, 5, 8)] + \
    [(t, n) for t in U8_ATTRS for n in (0, 2, 4)] + \
    [(t, n) for t, size in RANGE_ATTRS for n in (0, size - 1, size + 1, size * 2)]


@pytest.mark.parametrize("atype, size", WRONG_SIZES)
def test_fixed_attribute_of_the_wrong_size(atype, size):
    payload = nl.rule(nl.attr(atype, b"\1" * size), action=nl.FR_ACT_GOTO if atype == nl.FRA_GOTO else nl.FR_ACT_TO_TBL)
    with pytest.raises(ParseError) as info:
        parse(payload)
    assert "of %d bytes, not" % size in str(info.value)


@pytest.mark.parametrize("family, key, raw, plen", [
    (nl.AF_INET, nl.FRA_SRC, nl.ip("10.0.0.0"), 33),
    (nl.AF_INET6, nl.FRA_DST, nl.ip("2001:db8::"), 129),
    (nl.AF_INET, nl.FRA_SRC, nl.ip("2001:db8::"), 16),  # an IPv6 address in an IPv4 rule
    (nl.AF_INET6, nl.FRA_DST, nl.ip("10.0.0.0"), 8),
    (nl.AF_INET, nl.FRA_DST, b"\1\2\3", 8),
    (nl.AF_INET, nl.FRA_SRC, b"", 8),
])
def test_malformed_prefix(family, key, raw, plen):
    header = {"family": family, ("src_len" if key == nl.FRA_SRC else "dst_len"): plen}
    with pytest.raises(ParseError):
        parse(nl.kernel_rule(1, 100, nl.attr(key, raw), **header))


@pytest.mark.parametrize("header", [{"src_len": 8}, {"dst_len": 24}])
def test_prefix_length_without_its_address(header):
    with pytest.raises(ParseError) as info:
        parse(nl.kernel_rule(1, 100, **header))
    assert "without its address" in str(info.value)


def test_attribute_overrun():
    with pytest.raises(ParseError):
        parse(nl.rule(nl.attr(nl.FRA_PRIORITY, nl.u32(1), length=40)))


SAMPLES = [
    nl.kernel_rule(32764, 51820, a(nl.FRA_FWMARK, 51820), a(nl.FRA_FWMASK, UNSET), flags=nl.FIB_RULE_INVERT),
    nl.kernel_rule(7, 100, nl.attr(nl.FRA_SRC, nl.ip("2001:db8:1::")), nl.attr(nl.FRA_IIFNAME, nl.cstr("eth0")),
                   nl.uid_range(1, 2), nl.port_range(nl.FRA_DPORT_RANGE, 1, 2), family=nl.AF_INET6, src_len=48),
    nl.kernel_rule(300, 0, a(nl.FRA_GOTO, 301), action=nl.FR_ACT_GOTO, flags=nl.FIB_RULE_UNRESOLVED),
]


@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_every_truncation_is_a_record_or_a_parse_error(sample):
    truncations(parse_rule, SAMPLES[sample])


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_give_a_record_or_a_parse_error(data):
    try:
        parse(data)
    except ParseError:
        pass


ATTR_TYPES = st.sampled_from(sorted(set(U32_ATTRS + U8_ATTRS + [t for t, _s in RANGE_ATTRS]
                                        + [nl.FRA_SRC, nl.FRA_DST, nl.FRA_IIFNAME, nl.FRA_OIFNAME, 999])))


@FUZZ
@given(st.sampled_from([nl.AF_INET, nl.AF_INET6]), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
       st.integers(0, 2 ** 32 - 1), st.lists(st.tuples(ATTR_TYPES, st.binary(max_size=20)), max_size=8))
def test_random_attributes_give_a_record_or_a_parse_error(family, plen, action, table, flags, attrs):
    payload = nl.rule(*[nl.attr(t, raw) for t, raw in attrs], family=family, src_len=plen % 130, dst_len=plen // 2,
                      action=action, table=table, flags=flags)
    try:
        rec = parse(payload)
    except ParseError:
        return
    assert rec["family"] in (4, 6) and isinstance(rec["flags"], list)


# --- the manuals name every key ------------------------------------------------------------------

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 5))


def documented_in_schema():
    with open(os.path.join(REPO, "docs", "schema.md")) as handle:
        section = handle.read().split("## `rules[]`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, re.M)


def documented_in_return():
    with open(os.path.join(REPO, "plugins", "modules", "netifs_facts.py")) as handle:
        tree = ast.parse(handle.read())
    text = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and getattr(node.targets[0], "id", None) == "RETURN")
    netifs = yaml.safe_load(text)["ansible_facts"]["contains"]["netifs"]["contains"]
    return list(netifs["rules"]["contains"])


@pytest.mark.parametrize("documented", [documented_in_schema, documented_in_return])
def test_every_key_is_documented_in_order(documented):
    assert documented() == list(parse(SAMPLES[0]))
