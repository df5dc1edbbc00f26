# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.procfs: /proc/net/igmp (groups in HOST byte order) and /proc/net/igmp6."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakes import bounded

from netifs import procfs
from netifs.errors import ParseError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = b"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"


def group_hex(address, order="="):
    """What the kernel prints: the in-memory (network-order) u32 read as a host integer, "%08X"."""
    return b"%08X" % struct.unpack(order + "I", socket.inet_aton(address))[0]


def device_line(index, name, count=1):
    return b"%d\t%-10s: %5d %7s\n" % (index, name, count, b"V3")


def group_line(address, order="="):
    return b"\t\t\t\t" + group_hex(address, order) + b"     1 0:00000000\t\t0\n"


def igmp(devices, order="="):
    out = HEADER
    for index, name, groups in devices:
        out += device_line(index, name, len(groups))
        for group in groups:
            out += group_line(group, order)
    return out


SAMPLE = [(1, b"lo", ["224.0.0.1"]), (2, b"eth0", ["224.0.0.1", "239.255.255.250", "224.0.0.251"]),
          (3, b"dummy0", []), (12, b"br-\xff", ["224.0.0.106"])]
EXPECTED = [{"index": i, "address": g, "family": 4} for i, _n, groups in SAMPLE for g in groups]


def test_igmp_host_order():
    assert procfs.parse_igmp(igmp(SAMPLE)) == EXPECTED


def test_igmp_hex_is_host_order_on_this_host():
    """224.0.0.1 is printed 010000E0 on little-endian hosts and E0000001 on big-endian ones."""
    line = b"\t\t\t\t010000E0     1 0:00000000\t\t0\n"
    got = procfs.parse_igmp(HEADER + device_line(1, b"lo") + line)
    expected = "224.0.0.1" if sys.byteorder == "little" else "1.0.0.224"
    assert got == [{"index": 1, "address": expected, "family": 4}]


@pytest.mark.parametrize("order", ["<", ">"])
def test_igmp_on_either_endian_host(monkeypatch, order):
    """Pretend to be a host of the other byte order: the kernel's text and the parser both flip."""
    monkeypatch.setattr(procfs, "_HOST_U32", struct.Struct(order + "I"))
    assert procfs.parse_igmp(igmp(SAMPLE, order)) == EXPECTED


def test_igmp_big_endian_text_read_on_big_endian_host(monkeypatch):
    monkeypatch.setattr(procfs, "_HOST_U32", struct.Struct(">I"))
    line = b"\t\t\t\tE00000FB     1 0:00000000\t\t0\n"
    assert procfs.parse_igmp(HEADER + device_line(2, b"eth0") + line) == [
        {"index": 2, "address": "224.0.0.251", "family": 4}]


def test_igmp_empty_and_header_only():
    assert procfs.parse_igmp(b"") == []
    assert procfs.parse_igmp(HEADER) == []
    assert procfs.parse_igmp(HEADER + device_line(1, b"lo", 0)) == []


def test_igmp_first_line_is_always_the_header():
    assert procfs.parse_igmp(b"garbage that is not a header\n" + device_line(1, b"lo") + group_line("224.0.0.1")) \
        == [{"index": 1, "address": "224.0.0.1", "family": 4}]


def test_igmp_blank_lines_and_no_final_newline():
    data = igmp(SAMPLE[:2]).replace(b"\n", b"\n\n").rstrip(b"\n")
    assert procfs.parse_igmp(data) == EXPECTED[:4]


def test_igmp_group_line_indented_with_spaces():
    data = HEADER + device_line(4, b"eth0") + b"    E00000FB 1 0:00000000 0\n".replace(
        b"E00000FB", group_hex("224.0.0.251"))
    assert procfs.parse_igmp(data) == [{"index": 4, "address": "224.0.0.251", "family": 4}]


@pytest.mark.parametrize("data, line", [
    (HEADER + group_line("224.0.0.1"), 2),  # a group before any device
    (HEADER + device_line(1, b"lo") + b"\t\t\t\tZZZZZZZZ     1 0:00000000\t\t0\n", 3),
    (HEADER + device_line(1, b"lo") + b"\t\t\t\t1FFFFFFFF     1 0:00000000\t\t0\n", 3),  # > 32 bits
    (HEADER + device_line(1, b"lo") + b"\t\t\t\t-1     1 0:00000000\t\t0\n", 3),
    (HEADER + b"x\tlo        :     1      V3\n", 2),
    (HEADER + b"\xff\tlo        :     1      V3\n", 2),
])
def test_igmp_malformed(data, line):
    with pytest.raises(ParseError) as info:
        procfs.parse_igmp(data)
    assert info.value.what == "/proc/net/igmp line %d" % line


# --- igmp6 ---------------------------------------------------------------------------------------

def igmp6_line(index, name, group):
    return b"%-4d %-15s %s     1 0000000C 0\n" % (index, name, socket.inet_pton(socket.AF_INET6, group).hex().encode())


def test_igmp6():
    data = (igmp6_line(1, b"lo", "ff02::1") + igmp6_line(1, b"lo", "ff01::1")
            + igmp6_line(4, b"eth0", "ff02::1:ff00:2") + igmp6_line(300, b"wg\xff", "ff05::1:3"))
    assert procfs.parse_igmp6(data) == [
        {"index": 1, "address": "ff02::1", "family": 6}, {"index": 1, "address": "ff01::1", "family": 6},
        {"index": 4, "address": "ff02::1:ff00:2", "family": 6}, {"index": 300, "address": "ff05::1:3", "family": 6}]


def test_igmp6_upper_case_hex_and_blank_lines():
    data = b"\n4    eth0            FF0200000000000000000001FF000002     1 00000004 0\n\n"
    assert procfs.parse_igmp6(data) == [{"index": 4, "address": "ff02::1:ff00:2", "family": 6}]


def test_igmp6_empty():
    assert procfs.parse_igmp6(b"") == []


@pytest.mark.parametrize("line", [
    b"1 lo\n",  # no group field
    b"1 lo ff02000000000000000000000000001\n",  # odd number of digits
    b"1 lo ff0200000000000000000000000001\n",  # 15 bytes
    b"1 lo ff02000000000000000000000000000100\n",  # 17 bytes
    b"1 lo zz020000000000000000000000000001\n",
    b"1 lo \xff\xfe0200000000000000000000000000\n",  # not ASCII
    b"x lo ff020000000000000000000000000001\n",
])
def test_igmp6_malformed(line):
    with pytest.raises(ParseError) as info:
        procfs.parse_igmp6(igmp6_line(1, b"lo", "ff02::1") + line)
    assert info.value.what == "/proc/net/igmp6 line 2"


# --- truncation and fuzzing ----------------------------------------------------------------------

@pytest.mark.parametrize("parser, data", [
    (procfs.parse_igmp, igmp(SAMPLE)),
    (procfs.parse_igmp6, igmp6_line(1, b"lo", "ff02::1") + igmp6_line(4, b"eth0", "ff02::1:ff00:2")),
])
def test_every_truncation(parser, data):
    full = parser(data)
    for cut in range(len(data) + 1):
        try:
            got = bounded(lambda: parser(data[:cut]))
        except ParseError:
            continue
        # a cut can shorten the last group's hex (a different, still valid, number) but never
        # invents a membership: only the last record may differ from the full parse
        same = max(len(got) - 1, 0)
        assert got[:same] == full[:same]
        assert len(got) <= len(full)


_LINE = st.one_of(
    st.binary(max_size=60),
    st.tuples(st.integers(-5, 2 ** 40), st.binary(max_size=12)).map(lambda t: b"%d\t%s :   1 V3" % t),
    st.integers(-1, 2 ** 36).map(lambda v: b"\t\t\t\t%X 1 0:0\t\t0" % v),
    st.tuples(st.integers(0, 999), st.binary(min_size=0, max_size=20).map(bytes.hex)).map(
        lambda t: (b"%d lo %s 1 0 0" % (t[0], t[1].encode()))),
)


@FUZZ
@given(st.lists(_LINE, max_size=8))
def test_fuzz(lines):
    data = b"\n".join(lines)
    for parser, family in ((procfs.parse_igmp, 4), (procfs.parse_igmp6, 6)):
        try:
            got = parser(data)
        except ParseError:
            continue
        assert all(r["family"] == family and isinstance(r["index"], int) for r in got)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(data):
    for parser in (procfs.parse_igmp, procfs.parse_igmp6):
        try:
            got = parser(data)
        except ParseError:
            continue
        assert isinstance(got, list)
