# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""How the kernel's bytes become schema text: addresses, MAC addresses, names, networks."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import binascii
import socket

from .errors import ParseError

_AF_BY_LEN = {4: socket.AF_INET, 16: socket.AF_INET6}
ADDR_LEN = {4: 4, 6: 16}


_TEXT = {}
_TEXT_LIMIT = 65536  # bounds the memo in a long-running process (a Salt minion)


def ip_text(packed, what="address"):
    """Text form of a 4- or 16-byte address; anything else is a ParseError.

    Memoised: gateways, sources and multicast groups repeat thousands of times in one dump.
    """
    text = _TEXT.get(packed)
    if text is None:
        try:
            af = _AF_BY_LEN[len(packed)]
        except KeyError:
            raise ParseError(what, 0, "an IP address of %d bytes" % len(packed))
        if len(_TEXT) >= _TEXT_LIMIT:
            _TEXT.clear()
        text = _TEXT[packed] = socket.inet_ntop(af, packed)
    return text


def address_text(buf, span, family, what):
    """``ip_text(packed_address(...))`` in one step: the commonest thing a parser does."""
    raw = bytes(buf[span[0]:span[1]])
    text = _TEXT.get(raw)
    if text is None or len(raw) != ADDR_LEN[family]:
        text = ip_text(packed_address(buf, span, family, what))
    return text


def packed_address(buf, span, family, what):
    """The bytes of an address attribute, which must be as long as ``family`` (4 or 6) needs."""
    raw = bytes(buf[span[0]:span[1]])
    if len(raw) != ADDR_LEN[family]:
        # Never guess the family from the length: a malformed gateway must not become another route.
        raise ParseError(what, span[0], "%d-byte address where IPv%d needs %d"
                         % (len(raw), family, ADDR_LEN[family]))
    return raw


# The network mask of each prefix length, per address size in bytes.
_MASKS = {size: [((1 << size * 8) - 1) ^ ((1 << (size * 8 - n)) - 1) for n in range(size * 8 + 1)]
          for size in (4, 16)}


def network_text(packed, prefixlen):
    """The CIDR network that ``packed``/``prefixlen`` lies in."""
    size = len(packed)
    masks = _MASKS.get(size)
    if masks is None or not 0 <= prefixlen < len(masks):
        raise ParseError("prefix", 0, "length %d for a %d-bit address" % (prefixlen, size * 8))
    value = int.from_bytes(packed, "big") & masks[prefixlen]
    return "%s/%d" % (ip_text(value.to_bytes(size, "big")), prefixlen)


def mask_length(packed):
    """The prefix length a network mask (4 or 16 packed bytes) stands for; None for a mask with
    a hole (``255.0.255.0``), which no prefix length describes."""
    value = int.from_bytes(packed, "big")
    ones = bin(value).count("1")
    return ones if value == _MASKS[len(packed)][ones] else None


def mac_text(raw):
    """Lower-case colon-separated link-layer address; None when the link has none (empty)."""
    if not raw:
        return None
    return binascii.hexlify(raw, ":").decode("ascii") if len(raw) > 1 else "%02x" % raw[0]


def name_text(raw):
    """A kernel name (bytes) as valid UTF-8 text, and its hex when it was not UTF-8.

    Returns ``(text, hex_or_None)``; see docs/schema.md, *Names that are not UTF-8*.
    """
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), binascii.hexlify(raw).decode("ascii")


_FLAG_NAMES = {}
_FLAG_NAMES_LIMIT = 4096  # bounds the memo in a long-running process, as _TEXT's


def flag_names(value, table):
    """Names of the bits of ``value`` found in ``table`` ((bit, name) pairs), in table order.

    Memoised: a dump repeats the same few flag words thousands of times. ``table`` must be a
    module-level constant, since the cache knows it by identity.
    """
    key = (value, id(table))
    names = _FLAG_NAMES.get(key)
    if names is None:
        if len(_FLAG_NAMES) >= _FLAG_NAMES_LIMIT:
            _FLAG_NAMES.clear()
        names = _FLAG_NAMES[key] = tuple(name for bit, name in table if value & bit)
    return list(names)
