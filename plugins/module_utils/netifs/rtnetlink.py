# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rtnetlink message types, fixed headers, name tables and request builders.

Values are from the Linux UAPI headers ``linux/rtnetlink.h``, ``linux/if_link.h``,
``linux/if_addr.h``, ``linux/nexthop.h``, ``linux/fib_rules.h``, ``linux/if.h`` and ``linux/if_arp.h``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

from .netlink import pack_attr

RTM_NEWLINK = 16
RTM_GETLINK = 18
RTM_NEWADDR = 20
RTM_GETADDR = 22
RTM_NEWROUTE = 24
RTM_GETROUTE = 26
RTM_NEWRULE = 32
RTM_GETRULE = 34
RTM_GETMULTICAST = 58
RTM_NEWNEXTHOP = 104
RTM_GETNEXTHOP = 106

AF_UNSPEC = 0
AF_INET = socket.AF_INET
AF_INET6 = socket.AF_INET6
# Read-only: the parsers take it, or another OS's numbers (freebsd_netlink), as a default argument.
FAMILY = {AF_INET: 4, AF_INET6: 6}
AF_OF = {4: AF_INET, 6: AF_INET6}

IFINFOMSG = struct.Struct("=BxHiII")  # family, type, index, flags, change
IFADDRMSG = struct.Struct("=BBBBI")  # family, prefixlen, flags, scope, index
RTMSG = struct.Struct("=BBBBBBBBI")  # family, dst_len, src_len, tos, table, protocol, scope, type, flags
NHMSG = struct.Struct("=BBBBI")  # family, scope, protocol, reserved, flags
FIB_RULE_HDR = struct.Struct("=BBBBBBBBI")  # family, dst_len, src_len, tos, table, res1, res2, action, flags

IFLA_EXT_MASK = 29
RTEXT_FILTER_SKIP_STATS = 1 << 3
RTA_DST = 1
RTA_OIF = 4
RTM_F_LOOKUP_TABLE = 0x1000
RTM_F_FIB_MATCH = 0x2000  # the matching route itself, every next hop, instead of the flow's one
NHA_ID = 1

SCOPES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}

RT_TABLE_LOCAL = 255

# linux/fib_rules.h: rule attributes (FRA_*), actions (FR_ACT_*) and header flags (FIB_RULE_*).
FRA_DST = 1
FRA_SRC = 2
FRA_IIFNAME = 3
FRA_GOTO = 4
FRA_PRIORITY = 6
FRA_FWMARK = 10
FRA_SUPPRESS_IFGROUP = 13
FRA_SUPPRESS_PREFIXLEN = 14
FRA_TABLE = 15
FRA_FWMASK = 16
FRA_OIFNAME = 17
FRA_L3MDEV = 19
FRA_UID_RANGE = 20
FRA_PROTOCOL = 21
FRA_IP_PROTO = 22
FRA_SPORT_RANGE = 23
FRA_DPORT_RANGE = 24

FR_ACT_TO_TBL = 1
FR_ACT_GOTO = 2
FR_ACT_NOP = 3
FR_ACT_BLACKHOLE = 6
FR_ACT_UNREACHABLE = 7
FR_ACT_PROHIBIT = 8

FIB_RULE_INVERT = 0x2
FIB_RULE_UNRESOLVED = 0x4
FIB_RULE_IIF_DETACHED = 0x8
FIB_RULE_OIF_DETACHED = 0x10

# linux/if.h net_device_flags, in bit order.
IFF_FLAGS = (
    (0x1, "up"), (0x2, "broadcast"), (0x4, "debug"), (0x8, "loopback"), (0x10, "pointopoint"),
    (0x20, "notrailers"), (0x40, "running"), (0x80, "noarp"), (0x100, "promisc"),
    (0x200, "allmulti"), (0x400, "master"), (0x800, "slave"), (0x1000, "multicast"),
    (0x2000, "portsel"), (0x4000, "automedia"), (0x8000, "dynamic"), (0x10000, "lower_up"),
    (0x20000, "dormant"), (0x40000, "echo"),
)

# rtnexthop flags (RTNH_F_*), shared by routes, multipath hops and nexthop objects.
RTNH_FLAGS = (
    (0x1, "dead"), (0x2, "pervasive"), (0x4, "onlink"), (0x8, "offload"), (0x10, "linkdown"),
    (0x20, "unresolved"), (0x40, "trap"),
)
RTNH_UNUSABLE = 0x1 | 0x10  # dead, linkdown


def scope_name(value):
    return SCOPES.get(value) or str(value)


def link_dump(with_stats):
    """RTM_GETLINK dump request; without stats the kernel leaves the counters out."""
    mask = 0 if with_stats else RTEXT_FILTER_SKIP_STATS
    return IFINFOMSG.pack(AF_UNSPEC, 0, 0, 0, 0) + pack_attr(IFLA_EXT_MASK, struct.pack("=I", mask))


def family_dump(family):
    """A dump request whose only filter is the address family (addresses, multicast, nexthops).

    ``ifaddrmsg`` and ``nhmsg`` are both 8 bytes with the family first, so one header serves.
    """
    return IFADDRMSG.pack(family, 0, 0, 0, 0)


def nexthop_get(nid):
    """RTM_GETNEXTHOP for one nexthop object, by id."""
    return family_dump(AF_UNSPEC) + pack_attr(NHA_ID, struct.pack("=I", nid))


def route_dump(family):
    return RTMSG.pack(family, 0, 0, 0, 0, 0, 0, 0, 0)


def rule_dump(family):
    return FIB_RULE_HDR.pack(family, 0, 0, 0, 0, 0, 0, 0, 0)


def route_get(family, packed, oif=None, fib_match=False):
    """RTM_GETROUTE for one destination: the kernel's own lookup, ``ip rule`` policy included.

    ``fib_match``: answer with the route the lookup matched, as the table holds it (``ip route
    get fibmatch``), instead of the one next hop and source this flow gets."""
    flags = RTM_F_LOOKUP_TABLE | (RTM_F_FIB_MATCH if fib_match else 0)
    payload = RTMSG.pack(family, len(packed) * 8, 0, 0, 0, 0, 0, 0, flags)
    payload += pack_attr(RTA_DST, packed)
    if oif:
        payload += pack_attr(RTA_OIF, struct.pack("=I", oif))
    return payload
