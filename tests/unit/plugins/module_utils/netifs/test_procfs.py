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


# --- /proc/net/if_inet6 --------------------------------------------------------------------------

def inet6_line(address, index, prefixlen, scope, flags, name):
    hexed = socket.inet_pton(socket.AF_INET6, address).hex().encode()
    return b"%s %02x %02x %02x %02x %8s\n" % (hexed, index, prefixlen, scope, flags, name)


def test_if_inet6_records():
    data = (inet6_line("::1", 1, 128, 0x10, 0x80, b"lo") + inet6_line("fe80::1", 0x1234, 64, 0x20, 0x80, b"eth0")
            + inet6_line("2001:db8::5", 2, 64, 0x00, 0x01 | 0x40, b"eth0") + inet6_line("fec0::1", 2, 10, 0x40, 0, b"e")
            + inet6_line("::ffff:1.2.3.4", 2, 96, 0x80, 0, b"e"))
    got = procfs.parse_if_inet6(data)
    assert [(r["index"], r["address"], r["prefixlen"], r["network"], r["scope"], r["class"], r["flags"]) for r in got] == [
        (1, "::1", 128, "::1/128", "host", "loopback", ["permanent"]),
        (0x1234, "fe80::1", 64, "fe80::/64", "link", "link_local", ["permanent"]),  # an index past 0xff
        (2, "2001:db8::5", 64, "2001:db8::/64", "global", "documentation", ["temporary", "tentative"]),
        (2, "fec0::1", 10, "fec0::/10", "site", "public", []),
        (2, "::ffff:1.2.3.4", 96, "::ffff:0.0.0.0/96", "global", "public", []),  # scope bits the kernel calls universe
    ]
    assert all((r["family"], r["peer"], r["label"], r["preferred_lifetime"]) == (6, None, None, None) for r in got)


@pytest.mark.parametrize("line, detail", [
    (b"0001 01 80 10 80 lo\n", "an address of 2 bytes"),
    (b"zz" * 16 + b" 01 80 10 80 lo\n", "non-hexadecimal number"),
    (b"00" * 16 + b" 01 81 10 80 lo\n", "length 129 for a 128-bit address"),
    (b"00" * 16 + b" 01 80\n", "not enough values to unpack"),
])
def test_if_inet6_bad_line(line, detail):
    with pytest.raises(ParseError) as info:
        procfs.parse_if_inet6(inet6_line("::1", 1, 128, 0x10, 0x80, b"lo") + line)
    assert info.value.what == "/proc/net/if_inet6 line 2"
    assert detail in info.value.detail


# --- /proc/net/dev --------------------------------------------------------------------------------

NET_DEV = (b"Inter-|   Receive                                                |  Transmit\n"
           b" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls "
           b"carrier compressed\n"
           b"    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0 "
           b"      0          0\n"
           b"nf\xff0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")


def test_net_dev_counters_by_name():
    got = procfs.parse_net_dev(NET_DEV)
    assert list(got) == [b"lo", b"nf\xff0"]
    assert got[b"lo"]["rx_bytes"] == 100 and got[b"lo"]["tx_packets"] == 2
    assert got[b"nf\xff0"] == dict(zip(procfs.NET_DEV_FIELDS, range(1, 17)))
    assert got[b"nf\xff0"]["collisions"] == 14 and got[b"nf\xff0"]["multicast"] == 8


@pytest.mark.parametrize("line", [b"eth0 1 2 3\n", b"eth0: 1 2 3\n", b"eth0: " + b"x " * 16 + b"\n"])
def test_net_dev_bad_line(line):
    with pytest.raises(ParseError) as info:
        procfs.parse_net_dev(NET_DEV + line)
    assert info.value.what == "/proc/net/dev line 5"


# --- /proc/net/route ------------------------------------------------------------------------------

ROUTE_HEADER = b"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
INDEX = {b"lo": 1, b"eth0": 2, b"nf\xff0": 7}


def route4_line(name, dest, gateway, flags, metric, mask):
    cells = (name, group_hex(dest), group_hex(gateway), flags, metric, group_hex(mask))
    return b"%s\t%s\t%s\t%04X\t0\t0\t%d\t%s\t0\t0\t0\n" % cells


def test_route_v4_records():
    data = ROUTE_HEADER + (route4_line(b"eth0", "0.0.0.0", "192.0.2.1", 0x3, 100, "0.0.0.0")
                           + route4_line(b"eth0", "192.0.2.0", "0.0.0.0", 0x1, 0, "255.255.255.0")
                           + route4_line(b"nf\xff0", "198.51.100.7", "192.0.2.9", 0x7, 5, "255.255.255.255")
                           + route4_line(b"*", "203.0.113.0", "0.0.0.0", 0x201, 0, "255.255.255.0")
                           + route4_line(b"*", "198.51.100.0", "0.0.0.0", 0x1, 0, "255.255.255.0"))
    got = procfs.parse_route(data, INDEX)
    assert [(r["destination"], r["type"], r["gateway"], r["interface"], r["metric"], r["scope"], r["table"])
            for r in got] == [
        ("0.0.0.0/0", "unicast", "192.0.2.1", 2, 100, "global", 254),
        ("192.0.2.0/24", "unicast", None, 2, 0, "link", 254),
        ("198.51.100.7/32", "unicast", "192.0.2.9", 7, 5, "global", 254),
        ("203.0.113.0/24", "unreachable", None, None, 0, "link", 254),
        ("198.51.100.0/24", "blackhole", None, None, 0, "link", 254),  # no flag, no device
    ]
    assert got[0]["nexthops"] == [{"gateway": "192.0.2.1", "interface": 2, "weight": 1, "flags": []}]
    assert got[3]["nexthops"] == []


def test_route_v4_is_read_in_host_byte_order():
    """The file prints the network-order u32 as a host integer: on a big-endian host the digits
    differ, and the parser (which packs them back in host order) gives the same routes."""
    line = route4_line(b"eth0", "10.1.2.0", "10.1.2.254", 0x3, 0, "255.255.255.0")
    assert line.split(b"\t")[1] == (b"0002010A" if sys.byteorder == "little" else b"0A010200")
    assert procfs.parse_route(ROUTE_HEADER + line, INDEX)[0]["destination"] == "10.1.2.0/24"


@pytest.mark.parametrize("line, detail", [
    (route4_line(b"eth9", "10.0.0.0", "0.0.0.0", 1, 0, "255.0.0.0"), "interface 'eth9' is not among the interfaces read"),
    (route4_line(b"eth0", "10.0.0.0", "0.0.0.0", 1, 0, "255.0.255.0"), "mask 255.0.255.0 is not contiguous"),
    (b"eth0\t0000000A\n", "not enough values"),
    (b"eth0\tXXXXXXXX\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n", "invalid literal"),
])
def test_route_v4_bad_line(line, detail):
    with pytest.raises(ParseError) as info:
        procfs.parse_route(ROUTE_HEADER + line, INDEX)
    assert info.value.what == "/proc/net/route line 2"
    assert detail in info.value.detail


# --- /proc/net/ipv6_route -------------------------------------------------------------------------

def route6_line(dest, plen, via, metric, flags, name, src="::", splen=0):
    hexed = [socket.inet_pton(socket.AF_INET6, a).hex().encode() for a in (dest, src, via)]
    return b"%s %02x %s %02x %s %08x 00000001 00000000 %08x %8s\n" % (
        hexed[0], plen, hexed[1], splen, hexed[2], metric, flags, name)


def test_ipv6_route_records_and_what_is_left_out():
    data = (route6_line("::", 0, "fe80::1", 1024, 0x3 | (1 << 27), b"eth0")              # default, pref high
            + route6_line("2001:db8::", 64, "::", 256, 0x1, b"eth0")
            + route6_line("2001:db8:5::", 48, "::", 100, 0x201, b"lo", src="2001:db8:9::", splen=48)
            + route6_line("::1", 128, "::", 0, 0x80200001, b"lo")                          # local table
            + route6_line("2001:db8::", 128, "::", 0, 0x80100001, b"eth0")                 # anycast, local
            + route6_line("2001:db8::77", 128, "fe80::1", 0, 0x01000003, b"eth0")          # a cached clone
            + route6_line("ff00::", 8, "::", 256, 0x1, b"eth0")                            # local multicast
            + route6_line("::", 0, "::", 0xFFFFFFFF, 0x00200200, b"lo"))                   # the null entry
    got = procfs.parse_ipv6_route(data, INDEX)
    assert [(r["destination"], r["type"], r["gateway"], r["interface"], r["metric"], r["preference"], r["source"],
             r["table"]) for r in got] == [
        ("::/0", "unicast", "fe80::1", 2, 1024, "high", None, None),
        ("2001:db8::/64", "unicast", None, 2, 256, "medium", None, None),
        ("2001:db8:5::/48", "unreachable", None, 1, 100, "medium", "2001:db8:9::/48", None),
    ]


def test_ipv6_route_low_preference_and_a_real_unreachable_default():
    data = (route6_line("::", 0, "fe80::2", 1024, 0x3 | (3 << 27), b"eth0")
            + route6_line("::", 0, "::", 4096, 0x200, b"lo"))  # a configured reject default: kept
    got = procfs.parse_ipv6_route(data, INDEX)
    want = [("low", "unicast", 1024), ("medium", "unreachable", 4096)]
    assert [(r["preference"], r["type"], r["metric"]) for r in got] == want


@pytest.mark.parametrize("line, detail", [
    (route6_line("::", 0, "::", 0, 1, b"eth9"), "interface 'eth9' is not among the interfaces read"),
    (b"00" * 16 + b" 81 " + b"00" * 16 + b" 00 " + b"00" * 16 + b" 0 0 0 1 eth0\n", "length 129"),
    (b"00 00\n", "not enough values to unpack"),
    (b"0000 00 " + b"00" * 16 + b" 00 " + b"00" * 16 + b" 0 0 0 1 eth0\n", "an address of 2 bytes"),
])
def test_ipv6_route_bad_line(line, detail):
    with pytest.raises(ParseError) as info:
        procfs.parse_ipv6_route(line, INDEX)
    assert info.value.what == "/proc/net/ipv6_route line 1"
    assert detail in info.value.detail


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["if_inet6", "dev", "route", "ipv6_route"]))
def test_proc_net_parsers_fuzz(data, which):
    """Any bytes give records or a ParseError naming the file, never another exception."""
    parse = {"if_inet6": procfs.parse_if_inet6, "dev": procfs.parse_net_dev,
             "route": lambda d: procfs.parse_route(d, INDEX), "ipv6_route": lambda d: procfs.parse_ipv6_route(d, INDEX)}
    try:
        bounded(lambda: parse[which](data))
    except ParseError as exc:
        assert exc.what.startswith("/proc/net/" + which)


@pytest.mark.parametrize("parse, data", [
    (procfs.parse_igmp, HEADER + b"9" * 40 + b"\tlo : 1 V3\n"),                          # index: longer than any int
    (procfs.parse_igmp6, b"9" * 40 + b" lo ff020000000000000000000000000001 1 4 0\n"),
    (procfs.parse_if_inet6, b"00" * 16 + b" " + b"f" * 3572 + b" 40 20 80 e\n"),         # json.dumps would refuse it
    (procfs.parse_if_inet6, b"00" * 16 + b" 01 40 20 100 e\n"),                          # flags are one byte
    (procfs.parse_net_dev, NET_DEV + b"e: " + b"1 " * 15 + b"1" * 25 + b"\n"),           # past a u64
    (lambda d: procfs.parse_route(d, INDEX), ROUTE_HEADER + b"eth0\t0000000A\t00000000\t0001\t0\t0\t"
     + b"9" * 11 + b"\t000000FF\t0\t0\t0\n"),
    (lambda d: procfs.parse_ipv6_route(d, INDEX), route6_line("::", 0, "::", 0, 1, b"eth0").replace(
        b"00000000 00000001", b"f" * 3572 + b" 00000001", 1)),
])
def test_numbers_longer_than_the_kernel_prints_are_errors(parse, data):
    """Found by the fuzzer (tests/fuzz/regressions): a number of any length became records that
    grow with its digits, or that JSON cannot hold."""
    with pytest.raises(ParseError) as info:
        parse(data)
    assert info.value.what.startswith("/proc/net/")
    assert "out of range" in info.value.detail
