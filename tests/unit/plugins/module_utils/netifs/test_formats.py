# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.formats: the one length-checked address reader and the MAC address text."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

import nlbuild as nl

from netifs.errors import ParseError
from netifs.formats import mac_text, packed_address


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


@pytest.mark.parametrize("raw, text", [
    (b"", None),  # no address at all
    (b"\0" * 6, "00:00:00:00:00:00"),  # lo's: the kernel's value, as ip and setup show it
    (b"\0", "00"),
    (bytes.fromhex("525400123456"), "52:54:00:12:34:56"),
    (b"\xab", "ab"),
])
def test_mac_text(raw, text):
    assert mac_text(raw) == text
