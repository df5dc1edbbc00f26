# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.formats: the one length-checked address reader, networks and MAC address text."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nlbuild as nl

from netifs.errors import ParseError
from netifs.formats import address_text, mac_text, network_text, packed_address


@pytest.mark.parametrize("family, text", [(4, "192.0.2.1"), (6, "2001:db8::1")])
def test_packed_address(family, text):
    raw = nl.ip(text)
    buf = b"\xa5" * 3 + raw + b"\x5a" * 5
    assert packed_address(buf, (3, 3 + len(raw)), family, "X") == raw
    assert packed_address(bytearray(buf), (3, 3 + len(raw)), family, "X") == raw  # a Conn buffer


@pytest.mark.parametrize("family, size", [(4, 0), (4, 3), (4, 5), (4, 16), (6, 0), (6, 4), (6, 15), (6, 17)])
def test_packed_address_wrong_length_never_guesses_the_family(family, size):
    buf = b"\x01" * 32
    with pytest.raises(ParseError) as info:
        packed_address(buf, (2, 2 + size), family, "IFA_LOCAL")
    assert (info.value.what, info.value.offset) == ("IFA_LOCAL", 2)
    assert info.value.detail == "%d-byte address where IPv%d needs %d" % (size, family, 4 if family == 4 else 16)


@pytest.mark.parametrize("family, size", [(4, 3), (4, 16), (6, 4), (6, 17)])
def test_address_text_checks_the_length_even_for_a_known_address(family, size):
    buf = nl.ip("10.1.2.3") + nl.ip("2001:db8::7")  # both now in the memo of address texts
    assert address_text(buf, (0, 4), 4, "A") == "10.1.2.3"
    assert address_text(buf, (4, 20), 6, "A") == "2001:db8::7"
    raw = (nl.ip("10.1.2.3") * 5)[:size] if family == 6 else nl.ip("2001:db8::7")[:size]
    with pytest.raises(ParseError) as info:
        address_text(raw, (0, size), family, "RTA_GATEWAY")
    assert info.value.detail == "%d-byte address where IPv%d needs %d" % (size, family, 4 if family == 4 else 16)


@given(st.one_of(st.binary(min_size=4, max_size=4), st.binary(min_size=16, max_size=16)), st.data())
def test_network_text_is_ipaddress_network(packed, data):
    prefixlen = data.draw(st.integers(0, len(packed) * 8))
    expected = ipaddress.ip_network((ipaddress.ip_address(packed), prefixlen), strict=False)
    assert network_text(packed, prefixlen) == str(expected)


@pytest.mark.parametrize("packed, prefixlen", [
    (b"\1" * 4, 33), (b"\1" * 4, -1), (b"\1" * 16, 129), (b"\1" * 5, 8), (b"", 0),
])
def test_network_text_impossible_prefix(packed, prefixlen):
    with pytest.raises(ParseError) as info:
        network_text(packed, prefixlen)
    assert info.value.detail == "length %d for a %d-bit address" % (prefixlen, len(packed) * 8)


@pytest.mark.parametrize("raw, text", [
    (b"", None),  # no address at all
    (b"\0" * 6, "00:00:00:00:00:00"),  # lo's: the kernel's value, as ip and setup show it
    (b"\0", "00"),
    (bytes.fromhex("525400123456"), "52:54:00:12:34:56"),
    (b"\xab", "ab"),
])
def test_mac_text(raw, text):
    assert mac_text(raw) == text


def test_flag_names_memo_is_bounded():
    """A long-running process (a Salt minion) meets ever new flag words: the memo must not grow
    with them (found by tests/fuzz)."""
    from netifs import formats
    table = ((0x1, "a"), (0x2, "b"))
    for value in range(3 * formats._FLAG_NAMES_LIMIT):
        assert formats.flag_names(value, table) == [n for bit, n in table if value & bit]
        assert len(formats._FLAG_NAMES) <= formats._FLAG_NAMES_LIMIT
