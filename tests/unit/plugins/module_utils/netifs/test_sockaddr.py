# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.sockaddr: every OS's socket address layout, from fabricated bytes."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rsbuild as rs
from netifs import sockaddr
from netifs.errors import ParseError

P = sockaddr.PLATFORMS
BSDS = ("darwin", "freebsd", "dragonfly", "openbsd", "netbsd")


def parse(raw, plat):
    return sockaddr.parse(raw, 0, len(raw), plat)


@pytest.mark.parametrize("name", BSDS)
def test_bsd_inet(name):
    plat = P[name]
    sa = parse(rs.sin(plat, "192.0.2.7"), plat)
    assert (sa.family, sa.packed, sa.scope_id) == (4, socket.inet_aton("192.0.2.7"), 0)


@pytest.mark.parametrize("name", BSDS)
def test_bsd_inet6_embedded_scope_moves_to_the_zone(name):
    plat = P[name]
    sa = parse(rs.sin6(plat, "fe80::1", embed=4), plat)
    assert sa.packed == socket.inet_pton(socket.AF_INET6, "fe80::1")
    assert sa.scope_id == 4


def test_kame_scope_kept_when_sin6_scope_id_is_set():
    plat = P["freebsd"]
    sa = parse(rs.sin6(plat, "ff02::1", scope_id=3, embed=3), plat)
    assert (sa.packed, sa.scope_id) == (socket.inet_pton(socket.AF_INET6, "ff02::1"), 3)


def test_global_address_is_never_rewritten():
    # Bytes 2-3 of a global address are part of it, not a scope.
    plat = P["darwin"]
    sa = parse(rs.sin6(plat, "2001:db8:5::1"), plat)
    assert sa.packed == socket.inet_pton(socket.AF_INET6, "2001:db8:5::1")
    assert sa.scope_id == 0


def test_linux_and_windows_do_not_clear_bytes_2_and_3():
    for name, af in (("linux", 10), ("windows", 23)):
        packed = bytearray(socket.inet_pton(socket.AF_INET6, "fe80::1"))
        packed[3] = 9
        raw = struct.pack("=HHI16sI", af, 0, 0, bytes(packed), 5)
        sa = parse(raw, P[name])
        assert (sa.family, sa.packed, sa.scope_id) == (6, bytes(packed), 5)


@pytest.mark.parametrize("name", BSDS)
def test_sockaddr_dl(name):
    plat = P[name]
    sa = parse(rs.dl(plat, 7, b"em0", b"\x00\x1b\x21\x3c\x4d\x5e"), plat)
    assert sa == sockaddr.Sockaddr(sockaddr.LINK, None, 0, 7, "00:1b:21:3c:4d:5e", b"em0")


def test_sockaddr_dl_without_address_or_name():
    plat = P["darwin"]
    assert parse(rs.dl(plat, 3, b"", b""), plat) == sockaddr.Sockaddr(sockaddr.LINK, None, 0, 3, None, None)
    assert parse(rs.dl(plat, 0, b"lo0", b""), plat).index is None


def test_sockaddr_dl_with_data_beyond_sa_len_is_an_error():
    plat = P["freebsd"]
    raw = bytearray(rs.dl(plat, 2, b"vtnet0", b"\x02" * 6))
    raw[0] = 12  # claims to end inside the name
    with pytest.raises(ParseError, match="sockaddr_dl"):
        parse(bytes(raw), plat)


def test_linux_packet_address():
    raw = struct.pack("=HHiHBB8s", 17, 0, 4, 1, 0, 6, b"\x02\x42\xac\x11\x00\x02")
    sa = parse(raw, P["linux"])
    assert (sa.family, sa.index, sa.mac) == (sockaddr.LINK, 4, "02:42:ac:11:00:02")


def test_linux_packet_address_length_is_bounded():
    raw = struct.pack("=HHiHBB8s", 17, 0, 4, 1, 0, 200, b"\x01" * 8)
    assert parse(raw, P["linux"]).mac == ":".join(["01"] * 8)


def test_empty_and_unknown_families():
    plat = P["openbsd"]
    assert parse(b"", plat) is sockaddr.EMPTY
    assert parse(b"\x00\x00\x00\x00", plat) is sockaddr.EMPTY
    assert parse(bytes([8, 0]) + bytes(6), plat) is sockaddr.EMPTY
    assert parse(bytes([16, 99]) + bytes(14), plat).family == "af99"
    assert parse(struct.pack("=H", 1) + bytes(14), P["linux"]).family == "af1"


def test_sa_len_beyond_the_buffer_is_an_error():
    plat = P["netbsd"]
    raw = rs.sin(plat, "10.0.0.1")
    with pytest.raises(ParseError, match="sa_len 16 with 10 bytes left"):
        sockaddr.parse(raw, 0, 10, plat)


def test_headless_layout_too_short_for_a_family():
    with pytest.raises(ParseError, match="too short"):
        parse(b"\x02", P["linux"])


@pytest.mark.parametrize("mask, family, expect", [
    (bytes([5, 0, 0, 0, 255]), 4, 8),             # short form: 255.0.0.0 in 5 bytes
    (bytes([7, 0, 0, 0, 255, 255, 240]), 4, 20),  # no family byte, as netmasks often have
    (bytes([0, 2, 0, 0, 255, 255, 240]), 4, 0),   # sa_len 0: empty, whatever follows
    (bytes([8, 2, 0, 0, 255, 255, 255, 0]), 4, 24),
    (b"", 4, 0),                                   # no bytes at all: the default route's /0
    (bytes([0]), 6, 0),
    (bytes([16, 28, 0, 0, 0, 0, 0, 0]) + b"\xff" * 8, 6, 64),
    (bytes([28, 0, 0, 0, 0, 0, 0, 0]) + b"\xff" * 16 + bytes(4), 6, 128),
])
def test_short_netmasks(mask, family, expect):
    assert sockaddr.prefixlen(mask, 0, len(mask), family, P["freebsd"]) == expect


def test_netmask_with_a_hole_is_an_error():
    mask = bytes([8, 2, 0, 0, 255, 0, 255, 0])
    with pytest.raises(ParseError, match="255.0.255.0 is not a prefix"):
        sockaddr.prefixlen(mask, 0, len(mask), 4, P["darwin"])


@pytest.mark.parametrize("name, sa_len, room", [
    ("darwin", 0, 4), ("darwin", 5, 8), ("darwin", 16, 16), ("darwin", 20, 20),
    ("netbsd", 0, 8), ("netbsd", 5, 8), ("netbsd", 20, 24),
    ("freebsd", 28, 32 if struct.calcsize("l") == 8 else 28),
])
def test_routing_socket_padding(name, sa_len, room):
    assert sockaddr.padded(sa_len, P[name]) == room


def test_length_of_headless_layouts():
    assert sockaddr.length(struct.pack("=H", 10), P["linux"]) == 28
    assert sockaddr.length(struct.pack("=H", 23), P["windows"]) == 28
    assert sockaddr.length(struct.pack("=H", 17), P["linux"]) == 20
    assert sockaddr.length(struct.pack("=H", 99), P["linux"]) == 2
    assert sockaddr.length(bytes([20, 18]), P["darwin"]) == 20


@pytest.mark.parametrize("system, name", [
    ("linux", "linux"), ("Linux", "linux"), ("darwin", "darwin"), ("freebsd14", "freebsd"),
    ("FreeBSD", "freebsd"), ("openbsd7", "openbsd"), ("netbsd10", "netbsd"), ("dragonfly6", "dragonfly"),
    ("win32", "windows"), ("Windows", "windows"),
])
def test_platform_names(system, name):
    assert sockaddr.platform(system).name == name


def test_unknown_platform():
    with pytest.raises(KeyError, match="sunos5"):
        sockaddr.platform("sunos5")


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(P)), st.binary(max_size=64), st.integers(0, 64))
def test_any_bytes_parse_or_raise_parse_error(name, raw, stop):
    plat = P[name]
    try:
        sa = sockaddr.parse(raw, 0, stop, plat)
    except ParseError:
        return
    assert sa.family in (None, 4, 6, sockaddr.LINK) or sa.family.startswith("af")
    if sa.family in (4, 6):
        assert len(sa.packed) == (4 if sa.family == 4 else 16)
    for family in (4, 6):
        try:
            assert 0 <= sockaddr.prefixlen(raw, 0, stop, family, plat) <= (32 if family == 4 else 128)
        except ParseError:
            pass
