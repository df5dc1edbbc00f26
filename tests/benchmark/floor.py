# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The floors: minimal stdlib netlink dumps, headers only.

Nothing here parses an attribute: it is what any rtnetlink reader must pay at least.

* ``dump_headers()``, the raw floor: links, addresses, IPv4 and IPv6 routes.
* ``gather_dump_headers()``, the same-dumps floor: the very requests a full ``netifs.gather()``
  sends (links with stats, addresses, routes and multicast memberships of both families).
* ``gather_decode_headers()``, the decode floor: the same dumps, and each message's fixed header
  (``ifinfomsg``, ``ifaddrmsg``, ``rtmsg``) read, the least a parser reads of a message.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

HDR = struct.Struct("=IHHII")
DUMP = 0x301  # NLM_F_REQUEST | NLM_F_DUMP
NLMSG_ERROR = 2
NLMSG_DONE = 3
AF_INET, AF_INET6 = 2, 10
RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE, RTM_GETMULTICAST = 18, 22, 26, 58
# Each reply type's fixed header; a dump ends at a type with None.
FIXED_HEADERS = {
    16: struct.Struct("=BxHiII"),  # RTM_NEWLINK: ifinfomsg
    20: struct.Struct("=BBBBI"),  # RTM_NEWADDR: ifaddrmsg
    24: struct.Struct("=BBBBBBBBI"),  # RTM_NEWROUTE: rtmsg
    56: struct.Struct("=BBBBI"),  # RTM_NEWMULTICAST: ifaddrmsg
    58: struct.Struct("=BBBBI"),  # RTM_GETMULTICAST, the type IPv6 memberships come as
    NLMSG_ERROR: None,
    NLMSG_DONE: None,
}
IFLA_EXT_MASK = 29


def _family_msg(family):
    return struct.pack("=BBBBI", family, 0, 0, 0, 0)  # ifaddrmsg


def _route_msg(family):
    return struct.pack("=BBBBBBBBI", family, 0, 0, 0, 0, 0, 0, 0, 0)  # rtmsg


def _link_msg_with_stats():
    """ifinfomsg plus IFLA_EXT_MASK = 0, as netifs sends it when stats are asked for."""
    return struct.pack("=BxHiII", 0, 0, 0, 0, 0) + struct.pack("=HHI", 8, IFLA_EXT_MASK, 0)


# (name, message type, payload)
RAW_DUMPS = (
    ("links", RTM_GETLINK, struct.pack("=BxHiII", 0, 0, 0, 0, 0)),
    ("addresses", RTM_GETADDR, _family_msg(0)),
    ("routes4", RTM_GETROUTE, _route_msg(AF_INET)),
    ("routes6", RTM_GETROUTE, _route_msg(AF_INET6)),
)
GATHER_DUMPS = (
    ("links+stats", RTM_GETLINK, _link_msg_with_stats()),
    ("addresses", RTM_GETADDR, _family_msg(0)),
    ("routes4", RTM_GETROUTE, _route_msg(AF_INET)),
    ("routes6", RTM_GETROUTE, _route_msg(AF_INET6)),
    ("multicast4", RTM_GETMULTICAST, _family_msg(AF_INET)),
    ("multicast6", RTM_GETMULTICAST, _family_msg(AF_INET6)),
)


def _count_replies(sock, buf):
    """Messages of one dump up to NLMSG_DONE (or an NLMSG_ERROR, for an unsupported dump)."""
    count = 0
    while True:
        n = sock.recv_into(buf)
        off = 0
        while off < n:
            mlen, mtype = HDR.unpack_from(buf, off)[:2]
            if mtype in (NLMSG_DONE, NLMSG_ERROR):
                return count
            count += 1
            off += (mlen + 3) & ~3


def _decode_replies(sock, buf):
    """``_count_replies``, with each message's fixed header unpacked as well.

    A loop of its own, not an option of ``_count_replies``: the raw floor is the denominator of
    every ratio, and must not pay even a test per message for work it does not do.
    """
    count = 0
    while True:
        n = sock.recv_into(buf)
        off = 0
        while off < n:
            mlen, mtype = HDR.unpack_from(buf, off)[:2]
            fixed = FIXED_HEADERS[mtype]
            if fixed is None:
                return count
            fixed.unpack_from(buf, off + 16)
            count += 1
            off += (mlen + 3) & ~3


def dump_counts(dumps, replies=_count_replies):
    """``{name: message count}`` of ``dumps``, run one after the other on one socket."""
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    buf = bytearray(65536)
    counts = {}
    try:
        for seq, (name, mtype, payload) in enumerate(dumps, 1):
            sock.send(HDR.pack(16 + len(payload), mtype, DUMP, seq, 0) + payload)
            counts[name] = replies(sock, buf)
    finally:
        sock.close()
    return counts


def dump_headers():
    """The raw floor: count the messages of the four dumps, reading nothing but their headers."""
    return sum(dump_counts(RAW_DUMPS).values())


def gather_dump_headers():
    """The same-dumps floor: the six dumps of a full gather, headers only."""
    return sum(dump_counts(GATHER_DUMPS).values())


def gather_decode_headers():
    """The decode floor: the six dumps of a full gather, each message's fixed header read."""
    return sum(dump_counts(GATHER_DUMPS, _decode_replies).values())
