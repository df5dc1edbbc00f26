# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Parser for ``RTM_NEWROUTE`` messages, single-path and multipath (``RTA_MULTIPATH``).

Records carry interface indexes in ``interface``; the model resolves them to names and expands
``nexthop_id`` into the nexthop object's hops.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import struct

from .errors import ParseError
from .formats import ADDR_LEN, address_text, flag_names
from .netlink import attr_map, u32, u8
from .rtnetlink import FAMILY, RTA_DST, RTA_OIF, RTMSG, RTNH_FLAGS, RT_TABLE_LOCAL, scope_name

RTA_SRC = 2
RTA_GATEWAY = 5
RTA_PRIORITY = 6
RTA_PREFSRC = 7
RTA_MULTIPATH = 9
RTA_TABLE = 15
RTA_VIA = 18
RTA_PREF = 20
RTA_NH_ID = 30

RTNEXTHOP = struct.Struct("=HBBi")  # len, flags, hops (weight - 1), ifindex
RTVIA_FAMILY = struct.Struct("=H")

ROUTE_TYPES = ("unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
               "unreachable", "prohibit", "throw", "nat", "xresolve")
FORWARDING_TYPES = frozenset(("unicast", "local", "broadcast", "anycast", "multicast"))
# Route types that answer a lookup with "no": the destination cannot be reached through them.
REJECT_TYPES = frozenset(("blackhole", "unreachable", "prohibit", "throw"))
PROTOCOLS = {
    0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated", 9: "ra",
    10: "mrt", 11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp", 15: "ntk", 16: "dhcp",
    17: "mrouted", 18: "keepalived", 42: "babel", 99: "openr", 186: "bgp", 187: "isis",
    188: "ospf", 189: "rip", 192: "eigrp",
}
# RFC 4191 preference as the kernel encodes it (ICMPV6_ROUTER_PREF_*).
PREFERENCES = {0: "medium", 1: "high", 3: "low"}
WHAT = {4: "RTM_NEWROUTE IPv4", 6: "RTM_NEWROUTE IPv6"}
DEFAULT = {4: "0.0.0.0/0", 6: "::/0"}
ROUTE_FLAGS = RTNH_FLAGS + ((0x200, "cloned"), (0x400, "equalize"), (0x800, "prefix"),
                            (0x4000, "offload"), (0x8000, "trap"))


def is_local_table(buf, start, stop):
    """True for a route of the ``local`` table, read from the header alone (``rtm_table``).

    A message too short for its header is not skipped here: the parser reports it.
    """
    return stop - start >= RTMSG.size and buf[start + 4] == RT_TABLE_LOCAL


def _via(buf, span, what, families):
    """``RTA_VIA``: a gateway of another family (an IPv4 route through an IPv6 next hop)."""
    if span[1] - span[0] < 2:
        raise ParseError(what, span[0], "RTA_VIA of %d bytes" % (span[1] - span[0]))
    family = families.get(RTVIA_FAMILY.unpack_from(buf, span[0])[0])
    if family is None:
        raise ParseError(what, span[0], "RTA_VIA of an unknown family")
    return address_text(buf, (span[0] + 2, span[1]), family, what)


def _gateway(buf, a, family, what, families):
    if RTA_GATEWAY in a:
        return address_text(buf, a[RTA_GATEWAY], family, what)
    if RTA_VIA in a:
        return _via(buf, a[RTA_VIA], what, families)
    return None


def _multipath(buf, span, family, what, families):
    hops = []
    off, stop = span
    while off + RTNEXTHOP.size <= stop:
        length, flags, weight, ifindex = RTNEXTHOP.unpack_from(buf, off)
        if length < RTNEXTHOP.size or off + length > stop:
            raise ParseError(what, off, "rtnexthop of %d bytes, %d left" % (length, stop - off))
        a = attr_map(buf, off + RTNEXTHOP.size, off + length, what + " nexthop")
        hops.append({"gateway": _gateway(buf, a, family, what, families), "interface": ifindex or None,
                     "weight": weight + 1, "flags": flag_names(flags, RTNH_FLAGS)})
        off += (length + 3) & ~3
    return hops


def prefix_text(buf, a, key, plen, family, what):
    """The CIDR of attribute ``key`` with prefix length ``plen`` (the default route's for 0)."""
    if plen > ADDR_LEN[family] * 8:
        raise ParseError(what, 0, "prefix length %d for IPv%d" % (plen, family))
    if key in a:
        return "%s/%d" % (address_text(buf, a[key], family, what), plen)
    if plen:
        # The kernel always sends the prefix it has a length for; inventing zeros would
        # turn a malformed route into a wide one.
        raise ParseError(what, 0, "prefix length %d without its address" % plen)
    return DEFAULT[family]


def parse_route(buf, start, stop, families=FAMILY):  # pylint: disable=dangerous-default-value
    """One ``RTM_NEWROUTE`` payload as a route record.

    ``families`` maps the kernel's address family numbers to 4 and 6: another OS's rtnetlink
    (FreeBSD's ``AF_INET6`` is 28) passes its own.
    """
    if stop - start < RTMSG.size:
        raise ParseError("RTM_NEWROUTE", 0, "payload of %d bytes, header needs %d" % (stop - start, RTMSG.size))
    fam, dst_len, src_len, tos, table, proto, scope, rtype, flags = RTMSG.unpack_from(buf, start)
    family = families.get(fam)
    if family is None:
        raise ParseError("RTM_NEWROUTE", 0, "address family %d" % fam)
    what = WHAT[family]
    a = attr_map(buf, start + RTMSG.size, stop, what)
    rec = route_record(
        family, prefix_text(buf, a, RTA_DST, dst_len, family, what),
        ROUTE_TYPES[rtype] if rtype < len(ROUTE_TYPES) else str(rtype),
        u32(buf, a[RTA_TABLE], "RTA_TABLE") if RTA_TABLE in a else table,
        u32(buf, a[RTA_OIF], "RTA_OIF") if RTA_OIF in a else None,
        gateway=_gateway(buf, a, family, what, families),
        metric=u32(buf, a[RTA_PRIORITY], "RTA_PRIORITY") if RTA_PRIORITY in a else 0,
        protocol=PROTOCOLS.get(proto) or str(proto),
        scope=scope_name(scope),
        preference=PREFERENCES.get(u8(buf, a[RTA_PREF], "RTA_PREF")) if RTA_PREF in a and family == 6 else None,
        preferred_source=address_text(buf, a[RTA_PREFSRC], family, what) if RTA_PREFSRC in a else None,
        source=prefix_text(buf, a, RTA_SRC, src_len, family, what) if src_len else None,
        tos=tos, flags=flags,
        nexthop_id=u32(buf, a[RTA_NH_ID], "RTA_NH_ID") if RTA_NH_ID in a else None)
    if RTA_MULTIPATH in a:
        rec["nexthops"] = _multipath(buf, a[RTA_MULTIPATH], family, what, families)
    return rec


def route_record(family, destination, rtype, table, interface, gateway=None, metric=0, protocol="unspec",
                 scope="global", preference=None, preferred_source=None, source=None, tos=0, flags=0,
                 nexthop_id=None):
    """A route record from its parts (``flags`` is the kernel's ``rtm_flags`` word). A route that
    forwards, and names no nexthop object, gets its one next hop. Every backend builds them here."""
    rec = {
        "destination": destination,
        "family": family,
        "type": rtype,
        "table": table,
        "protocol": protocol,
        "scope": scope,
        "metric": metric,
        "preference": preference,
        "gateway": gateway,
        "interface": interface,
        "preferred_source": preferred_source,
        "source": source,
        "tos": tos,
        "flags": flag_names(flags, ROUTE_FLAGS),
        "nexthop_id": nexthop_id,
        "nexthops": [],
    }
    if rtype in FORWARDING_TYPES and nexthop_id is None:
        rec["nexthops"] = [{"gateway": gateway, "interface": interface, "weight": 1,
                            "flags": flag_names(flags & 0xFF, RTNH_FLAGS)}]
    return rec
