# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.nexthops: parse_nexthop (single, group with weights incl. weight_high,
blackhole, fdb) and expand (groups, missing members -> TornSnapshot)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlbuild as nl
from fakes import truncations

from netifs.errors import ParseError, TornSnapshot
from netifs.nexthops import expand, parse_nexthop

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse(payload):
    return parse_nexthop(payload, 0, len(payload))


def record(nid, **changes):
    rec = {"id": nid, "group": None, "blackhole": False, "gateway": None, "interface": None, "flags": [],
           "fdb": False}
    rec.update(changes)
    return rec


def test_single_ipv4():
    assert parse(nl.nexthop(1, gateway="192.0.2.1", oif=2)) == record(1, gateway="192.0.2.1", interface=2)


def test_single_ipv6():
    assert parse(nl.nexthop(2, family=nl.AF_INET6, gateway="fe80::1", oif=3)) == record(
        2, gateway="fe80::1", interface=3)


def test_device_only():
    assert parse(nl.nexthop(3, oif=4)) == record(3, interface=4)


def test_blackhole():
    assert parse(nl.nexthop(4, family=nl.AF_UNSPEC, blackhole=True)) == record(4, blackhole=True)


def test_fdb_and_flags():
    payload = nl.nexthop(5, gateway="192.0.2.7", fdb=True,
                         flags=nl.RTNH_F_ONLINK | nl.RTNH_F_DEAD | nl.RTNH_F_LINKDOWN | 0x8000)
    assert parse(payload) == record(5, gateway="192.0.2.7", fdb=True, flags=["dead", "onlink", "linkdown"])


def test_group_with_weights():
    members = [(1, 1), (2, 2), (3, 255), (4, 256), (5, 257), (6, 4096), (7, 65536)]
    payload = nl.nexthop(10, family=nl.AF_UNSPEC, group=members)
    assert parse(payload) == record(10, group=members)


def test_group_weight_high_byte_layout():
    """The same group written out by hand: id, weight-1 low byte, weight-1 high byte, reserved."""
    raw = nl.u32(8) + bytes([0x2B, 0x01]) + nl.u16(0) + nl.u32(9) + bytes([0, 0]) + nl.u16(0)
    payload = nl.nhmsg(family=nl.AF_UNSPEC) + nl.attr(nl.NHA_ID, nl.u32(11)) + nl.attr(nl.NHA_GROUP, raw)
    assert parse(payload)["group"] == [(8, 0x12B + 1), (9, 1)]


def test_group_reserved_bytes_ignored():
    raw = nl.u32(8) + bytes([3, 0]) + nl.u16(0xFFFF)
    payload = nl.nhmsg(family=nl.AF_UNSPEC) + nl.attr(nl.NHA_ID, nl.u32(11)) + nl.attr(nl.NHA_GROUP, raw)
    assert parse(payload)["group"] == [(8, 4)]


def test_empty_group():
    payload = nl.nhmsg(family=nl.AF_UNSPEC) + nl.attr(nl.NHA_ID, nl.u32(11)) + nl.attr(nl.NHA_GROUP)
    assert parse(payload)["group"] == []


@pytest.mark.parametrize("size", [1, 4, 7, 9, 12, 15])
def test_group_not_a_multiple_of_entries(size):
    payload = nl.nhmsg(family=nl.AF_UNSPEC) + nl.attr(nl.NHA_ID, nl.u32(11)) + nl.attr(nl.NHA_GROUP, b"\1" * size)
    with pytest.raises(ParseError):
        parse(payload)


def test_missing_id():
    payload = nl.nhmsg() + nl.attr(nl.NHA_OIF, nl.u32(2))
    with pytest.raises(ParseError) as info:
        parse(payload)
    assert "no NHA_ID" in str(info.value)


@pytest.mark.parametrize("atype", [nl.NHA_ID, nl.NHA_OIF])
def test_short_u32(atype):
    payload = nl.nhmsg() + nl.attr(nl.NHA_ID, nl.u32(1)) + nl.attr(atype, b"\1\2")
    with pytest.raises(ParseError):
        parse(payload)


@pytest.mark.parametrize("family, raw", [
    (nl.AF_INET, nl.ip("fe80::1")), (nl.AF_INET6, nl.ip("10.0.0.1")), (nl.AF_INET, b"\1\2\3"),
    (nl.AF_INET, b""), (nl.AF_UNSPEC, nl.ip("10.0.0.1")), (nl.AF_BRIDGE, nl.ip("10.0.0.1")),
])
def test_malformed_gateway(family, raw):
    payload = nl.nhmsg(family=family) + nl.attr(nl.NHA_ID, nl.u32(1)) + nl.attr(nl.NHA_GATEWAY, raw)
    with pytest.raises(ParseError):
        parse(payload)


@pytest.mark.parametrize("size", range(0, 8))
def test_header_too_short(size):
    with pytest.raises(ParseError):
        parse(nl.nexthop(1, oif=2)[:size])


def test_unknown_attributes_ignored():
    payload = nl.nexthop(1, oif=2, extra=[nl.attr(nl.NHA_ENCAP_TYPE, nl.u16(1)), nl.attr(nl.NHA_MASTER, nl.u32(3)),
                                          nl.attr(300, b"xyz")])
    assert parse(payload) == record(1, interface=2)


# --- expand --------------------------------------------------------------------------------------

BY_ID = {
    1: record(1, gateway="192.0.2.1", interface=2),
    2: record(2, gateway="192.0.2.2", interface=3, flags=["onlink"]),
    3: record(3, blackhole=True),
    4: record(4, gateway="fe80::1", interface=2, flags=["linkdown"]),
    10: record(10, group=[(1, 1), (2, 300)]),
    11: record(11, group=[(3, 1), (4, 2)]),
    12: record(12, group=[(1, 1), (99, 1)]),
}


def test_expand_single():
    assert expand(1, BY_ID) == [{"gateway": "192.0.2.1", "interface": 2, "weight": 1, "flags": []}]


def test_expand_group():
    assert expand(10, BY_ID) == [{"gateway": "192.0.2.1", "interface": 2, "weight": 1, "flags": []},
                                 {"gateway": "192.0.2.2", "interface": 3, "weight": 300, "flags": ["onlink"]}]


def test_expand_blackhole_and_linkdown_members():
    assert expand(11, BY_ID) == [{"gateway": None, "interface": None, "weight": 1, "flags": ["blackhole"]},
                                 {"gateway": "fe80::1", "interface": 2, "weight": 2, "flags": ["linkdown"]}]


def test_expand_blackhole_object():
    assert expand(3, BY_ID) == [{"gateway": None, "interface": None, "weight": 1, "flags": ["blackhole"]}]


def test_expand_missing_object():
    with pytest.raises(TornSnapshot) as info:
        expand(42, BY_ID)
    assert "nexthop 42" in str(info.value)


def test_expand_missing_member():
    with pytest.raises(TornSnapshot) as info:
        expand(12, BY_ID)
    assert "nexthop 99 of group 12" in str(info.value)


def test_expand_does_not_change_the_objects():
    before = copy.deepcopy(BY_ID)
    hops = expand(11, BY_ID)
    hops[0]["flags"].append("x")
    hops[1]["flags"].append("y")
    assert BY_ID == before


def test_expand_empty_group():
    assert expand(20, {20: record(20, group=[])}) == []


def test_parse_then_expand():
    objects = [parse(p) for p in (nl.nexthop(1, gateway="192.0.2.1", oif=2),
                                  nl.nexthop(2, family=nl.AF_INET6, gateway="fe80::2", oif=3),
                                  nl.nexthop(3, family=nl.AF_UNSPEC, group=[(1, 10), (2, 1000)]))]
    by_id = {o["id"]: o for o in objects}
    assert expand(3, by_id) == [{"gateway": "192.0.2.1", "interface": 2, "weight": 10, "flags": []},
                                {"gateway": "fe80::2", "interface": 3, "weight": 1000, "flags": []}]


# --- truncation and fuzzing ----------------------------------------------------------------------

SAMPLES = [
    nl.nexthop(1, family=nl.AF_INET6, gateway="2001:db8::1", oif=2, fdb=True, flags=nl.RTNH_F_ONLINK),
    nl.nexthop(10, family=nl.AF_UNSPEC, group=[(1, 1), (2, 300), (3, 65536)]),
    nl.nexthop(4, family=nl.AF_UNSPEC, blackhole=True),
]


@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_every_truncation(sample):
    outcomes = truncations(parse_nexthop, SAMPLES[sample])
    assert outcomes[-1] == parse(SAMPLES[sample])
    assert all(o[0] == "ParseError" for o in outcomes[:16])  # header + NHA_ID


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data):
    try:
        rec = parse(data)
    except ParseError:
        return
    assert 0 <= rec["id"] < 2 ** 32


@FUZZ
@given(family=st.sampled_from([0, 2, 10, 7]), flags=st.integers(0, 2 ** 32 - 1),
       attrs=st.lists(st.tuples(st.integers(0, 12), st.binary(max_size=24)), max_size=6),
       nid=st.integers(0, 2 ** 32 - 1))
def test_structured_fuzz(family, flags, attrs, nid):
    payload = nl.nhmsg(family=family, flags=flags) + nl.attr(nl.NHA_ID, nl.u32(nid)) + b"".join(
        nl.attr(t, p) for t, p in attrs if t != nl.NHA_ID)
    try:
        rec = parse(payload)
    except ParseError:
        return
    assert rec["id"] == nid
    if rec["group"] is not None:
        assert all(1 <= w <= 65536 for _m, w in rec["group"])
        by_id = {m: record(m) for m, _w in rec["group"]}
        by_id[nid] = rec
        assert len(expand(nid, by_id)) == len(rec["group"])
