# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Nexthop objects (``RTM_NEWNEXTHOP``, Linux 5.3+): the parser, and their expansion into hops.

A route that names a nexthop object (``RTA_NH_ID``) carries no gateway of its own; ``expand``
turns the object, or every member of a group, into the route's ``nexthops`` list.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import struct

from .errors import ParseError, TornSnapshot
from .formats import address_text, flag_names
from .netlink import attr_map, u32
from .rtnetlink import FAMILY, NHA_ID, NHMSG, RTNH_FLAGS

NHA_GROUP = 2
NHA_BLACKHOLE = 4
NHA_OIF = 5
NHA_GATEWAY = 6
NHA_FDB = 11

# struct nexthop_grp: id, weight - 1, high byte of weight - 1 (Linux 6.12+; reserved before), pad.
NEXTHOP_GRP = struct.Struct("=IBBH")


def _group(buf, span, what):
    size = span[1] - span[0]
    if size % NEXTHOP_GRP.size:
        raise ParseError(what, span[0], "NHA_GROUP of %d bytes is not a list of %d-byte entries"
                         % (size, NEXTHOP_GRP.size))
    return [(nid, ((high << 8) | low) + 1)
            for nid, low, high, _pad in NEXTHOP_GRP.iter_unpack(bytes(buf[span[0]:span[1]]))]


def parse_nexthop(buf, start, stop, families=FAMILY):  # pylint: disable=dangerous-default-value
    """One ``RTM_NEWNEXTHOP`` payload as ``{id, group, blackhole, gateway, interface, flags, fdb}``;
    ``families`` as ``routes.parse_route``'s."""
    if stop - start < NHMSG.size:
        raise ParseError("RTM_NEWNEXTHOP", 0, "payload of %d bytes" % (stop - start))
    family, _scope, _proto, _resvd, flags = NHMSG.unpack_from(buf, start)
    a = attr_map(buf, start + NHMSG.size, stop, "RTM_NEWNEXTHOP")
    if NHA_ID not in a:
        raise ParseError("RTM_NEWNEXTHOP", 0, "no NHA_ID")
    nid = u32(buf, a[NHA_ID], "NHA_ID")
    what = "RTM_NEWNEXTHOP id %d" % nid
    gateway = None
    if NHA_GATEWAY in a:
        if family not in families:
            raise ParseError(what, 0, "a gateway in a nexthop of address family %d" % family)
        gateway = address_text(buf, a[NHA_GATEWAY], families[family], what)
    return {
        "id": nid,
        "group": _group(buf, a[NHA_GROUP], what) if NHA_GROUP in a else None,
        "blackhole": NHA_BLACKHOLE in a,
        "gateway": gateway,
        "interface": u32(buf, a[NHA_OIF], "NHA_OIF") if NHA_OIF in a else None,
        "flags": flag_names(flags, RTNH_FLAGS),
        "fdb": NHA_FDB in a,
    }


def _hop(nh, weight):
    flags = list(nh["flags"])
    if nh["blackhole"]:
        flags.append("blackhole")
    return {"gateway": nh["gateway"], "interface": nh["interface"], "weight": weight, "flags": flags}


def expand(nid, by_id):
    """The hops of nexthop object ``nid``: itself, or each member of its group with its weight."""
    nh = by_id.get(nid)
    if nh is None:
        raise TornSnapshot("nexthop %d is gone" % nid)
    if nh["group"] is None:
        return [_hop(nh, 1)]
    hops = []
    for member, weight in nh["group"]:
        if member not in by_id:
            raise TornSnapshot("nexthop %d of group %d is gone" % (member, nid))
        hops.append(_hop(by_id[member], weight))
    return hops
