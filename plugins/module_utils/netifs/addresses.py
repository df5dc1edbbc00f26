# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Parsers for ``RTM_NEWADDR`` messages and the replies of ``RTM_GETMULTICAST`` dumps.

Each record carries the interface ``index``; the model moves it under its interface.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import struct

from .classify import classify_packed
from .errors import ParseError
from .formats import address_text, flag_names, ip_text, name_text, network_text, packed_address
from .netlink import attr_map, cstring, u32
from .rtnetlink import FAMILY, IFADDRMSG, scope_name

IFA_ADDRESS = 1
IFA_LOCAL = 2
IFA_LABEL = 3
IFA_BROADCAST = 4
IFA_CACHEINFO = 6
IFA_MULTICAST = 7
IFA_FLAGS = 8

INFINITY = 0xFFFFFFFF
CACHEINFO = struct.Struct("=II")  # preferred, valid (the timestamps after them are not used)

IFA_COMMON_FLAGS = (
    (0x02, "nodad"), (0x04, "optimistic"), (0x08, "dadfailed"), (0x10, "homeaddress"),
    (0x20, "deprecated"), (0x40, "tentative"), (0x80, "permanent"), (0x100, "managetempaddr"),
    (0x200, "noprefixroute"), (0x400, "mcautojoin"), (0x800, "stable_privacy"),
)
# Bit 0x01 is IFA_F_SECONDARY for IPv4 and IFA_F_TEMPORARY for IPv6.
IFA_FLAG_NAMES = {
    4: ((0x01, "secondary"),) + IFA_COMMON_FLAGS,
    6: ((0x01, "temporary"),) + IFA_COMMON_FLAGS,
}


def _lifetime(value):
    return None if value == INFINITY else value


def _header(buf, start, stop, what, families=FAMILY):  # pylint: disable=dangerous-default-value
    if stop - start < IFADDRMSG.size:
        raise ParseError(what, 0, "payload of %d bytes, header needs %d" % (stop - start, IFADDRMSG.size))
    header = IFADDRMSG.unpack_from(buf, start)
    family = families.get(header[0])
    if family is None:
        raise ParseError(what, 0, "address family %d" % header[0])
    return (family,) + header[1:]


def parse_address(buf, start, stop, families=FAMILY):  # pylint: disable=dangerous-default-value
    """One ``RTM_NEWADDR`` payload as an address record; ``families`` as ``routes.parse_route``'s."""
    family, prefixlen, flags8, scope, index = _header(buf, start, stop, "RTM_NEWADDR", families)
    what = "RTM_NEWADDR index %d" % index
    a = attr_map(buf, start + IFADDRMSG.size, stop, what)
    # IFA_LOCAL is the local end; IFA_ADDRESS is the peer when the two differ (point-to-point).
    # IPv6 sends IFA_LOCAL only with a peer.
    if IFA_LOCAL in a:
        local = packed_address(buf, a[IFA_LOCAL], family, what)
        peer = packed_address(buf, a[IFA_ADDRESS], family, what) if IFA_ADDRESS in a else local
    elif IFA_ADDRESS in a:
        local = peer = packed_address(buf, a[IFA_ADDRESS], family, what)
    else:
        raise ParseError(what, 0, "neither IFA_LOCAL nor IFA_ADDRESS")
    flags = u32(buf, a[IFA_FLAGS], "IFA_FLAGS") if IFA_FLAGS in a else flags8
    preferred = valid = INFINITY
    if IFA_CACHEINFO in a and a[IFA_CACHEINFO][1] - a[IFA_CACHEINFO][0] >= CACHEINFO.size:
        preferred, valid = CACHEINFO.unpack_from(buf, a[IFA_CACHEINFO][0])
    return address_record(
        index, family, local, peer, prefixlen, scope, flags,
        broadcast=address_text(buf, a[IFA_BROADCAST], family, what) if IFA_BROADCAST in a else None,
        label=name_text(cstring(buf, a[IFA_LABEL]))[0] if IFA_LABEL in a else None,
        preferred=_lifetime(preferred), valid=_lifetime(valid))


# The scope number (rtnetlink's RT_SCOPE_*) of an address whose OS API gives none, by its class:
# host for loopback, link for link-local, universe for the rest, as the Linux kernel sets them.
_SCOPE_OF_CLASS = {"loopback": 254, "link_local": 253}


def inferred_scope(packed):
    return _SCOPE_OF_CLASS.get(classify_packed(packed), 0)


def address_record(index, family, local, peer, prefixlen, scope, flags, broadcast=None, label=None,
                   preferred=None, valid=None):
    """An address record from its parts: packed ``local`` and ``peer`` (the same bytes when there
    is no peer), the kernel's scope number and flag word. Every backend builds them here."""
    return {
        "index": index,
        "address": ip_text(local),
        "prefixlen": prefixlen,
        "network": network_text(peer, prefixlen),
        "family": family,
        "scope": scope_name(scope),
        "class": classify_packed(local),
        "broadcast": broadcast,
        "peer": ip_text(peer) if peer != local else None,
        "label": label,
        "flags": flag_names(flags, IFA_FLAG_NAMES[family]),
        "zone": None,
        "preferred_lifetime": preferred,
        "valid_lifetime": valid,
    }


def parse_multicast(buf, start, stop):
    """One multicast dump reply (``RTM_GETMULTICAST``) as ``{index, address, family}``."""
    family, _plen, _flags, _scope, index = _header(buf, start, stop, "RTM_GETMULTICAST")
    what = "RTM_GETMULTICAST index %d" % index
    a = attr_map(buf, start + IFADDRMSG.size, stop, what)
    if IFA_MULTICAST not in a:
        raise ParseError(what, 0, "no IFA_MULTICAST")
    return {"index": index, "address": address_text(buf, a[IFA_MULTICAST], family, what),
            "family": family}
