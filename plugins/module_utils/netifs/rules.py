# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Parser for ``RTM_NEWRULE`` messages: the kernel's policy routing rules (``ip rule``).

A rule is a ``fib_rule_hdr`` and ``FRA_*`` attributes (linux/fib_rules.h). Fixed-size attributes
must have exactly their size: a u32 that is not 4 bytes is a malformed message, not a number.
Attributes newer than ``FRA_DPORT_RANGE`` (``FRA_DSCP``, the flow label, port and DSCP masks) are
not read: the ``ip`` of the test hosts cannot show them, so nothing could check them.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import struct

from . import rtnetlink as rt
from .errors import ParseError
from .formats import flag_names, name_text
from .netlink import U32, attr_map, cstring
from .routes import PROTOCOLS, prefix_text

U8 = struct.Struct("=B")
PORT_RANGE = struct.Struct("=HH")  # struct fib_rule_port_range: start, end
UID_RANGE = struct.Struct("=II")  # struct fib_rule_uid_range: start, end
UNSET = 0xFFFFFFFF  # suppress_prefixlength and suppress_ifgroup when not set (-1)

# The fixed-size attributes read, with the exact size each must have.
FIXED = {
    rt.FRA_PRIORITY: ("FRA_PRIORITY", U32), rt.FRA_GOTO: ("FRA_GOTO", U32), rt.FRA_TABLE: ("FRA_TABLE", U32),
    rt.FRA_FWMARK: ("FRA_FWMARK", U32), rt.FRA_FWMASK: ("FRA_FWMASK", U32),
    rt.FRA_SUPPRESS_PREFIXLEN: ("FRA_SUPPRESS_PREFIXLEN", U32),
    rt.FRA_SUPPRESS_IFGROUP: ("FRA_SUPPRESS_IFGROUP", U32),
    rt.FRA_L3MDEV: ("FRA_L3MDEV", U8), rt.FRA_PROTOCOL: ("FRA_PROTOCOL", U8), rt.FRA_IP_PROTO: ("FRA_IP_PROTO", U8),
    rt.FRA_UID_RANGE: ("FRA_UID_RANGE", UID_RANGE), rt.FRA_SPORT_RANGE: ("FRA_SPORT_RANGE", PORT_RANGE),
    rt.FRA_DPORT_RANGE: ("FRA_DPORT_RANGE", PORT_RANGE),
}
ACTIONS = {rt.FR_ACT_TO_TBL: "lookup", rt.FR_ACT_GOTO: "goto", rt.FR_ACT_NOP: "nop",
           rt.FR_ACT_BLACKHOLE: "blackhole", rt.FR_ACT_UNREACHABLE: "unreachable", rt.FR_ACT_PROHIBIT: "prohibit"}
# The header flags ip shows besides ``not`` (FIB_RULE_INVERT, the record's ``invert``).
RULE_FLAGS = ((rt.FIB_RULE_UNRESOLVED, "unresolved"), (rt.FIB_RULE_IIF_DETACHED, "iif_detached"),
              (rt.FIB_RULE_OIF_DETACHED, "oif_detached"))
WHAT = {4: "RTM_NEWRULE IPv4", 6: "RTM_NEWRULE IPv6"}


def _fixed(buf, a, what):
    """``{type: unpacked tuple}`` of the fixed-size attributes present, each checked for its size."""
    out = {}
    for atype, span in a.items():
        known = FIXED.get(atype)
        if known is None:
            continue
        name, layout = known
        if span[1] - span[0] != layout.size:
            raise ParseError(what, span[0], "%s of %d bytes, not %d" % (name, span[1] - span[0], layout.size))
        out[atype] = layout.unpack_from(buf, span[0])
    return out


def _one(values, atype, default=None):
    return values[atype][0] if atype in values else default


def _set(values, atype):
    """A u32 the kernel always sends, with -1 for "not set": None then."""
    value = _one(values, atype, UNSET)
    return None if value == UNSET else value


def _range(values, atype):
    return list(values[atype]) if atype in values else None


def _mark(values):
    """``(fwmark, fwmask)``, both None when no mark is matched. The kernel sends the mask with every
    mark; a mark alone would mean all its bits (fib_nl_newrule's rule for a mark without a mask)."""
    if rt.FRA_FWMARK not in values and rt.FRA_FWMASK not in values:
        return None, None
    return _one(values, rt.FRA_FWMARK, 0), _one(values, rt.FRA_FWMASK, 0xFFFFFFFF)


def _name(buf, a, atype):
    """An interface name as the rule holds it: the interface need not exist (``*_detached``)."""
    return name_text(cstring(buf, a[atype]))[0] if atype in a else None


def parse_rule(buf, start, stop, families=rt.FAMILY):  # pylint: disable=dangerous-default-value
    """One ``RTM_NEWRULE`` payload as a rule record (docs/schema.md, ``rules[]``); ``families`` as
    ``routes.parse_route``'s."""
    if stop - start < rt.FIB_RULE_HDR.size:
        raise ParseError("RTM_NEWRULE", 0, "payload of %d bytes, header needs %d" % (stop - start, rt.FIB_RULE_HDR.size))
    fam, dst_len, src_len, tos, table, _res1, _res2, action, flags = rt.FIB_RULE_HDR.unpack_from(buf, start)
    family = families.get(fam)
    if family is None:
        raise ParseError("RTM_NEWRULE", 0, "address family %d" % fam)
    what = WHAT[family]
    a = attr_map(buf, start + rt.FIB_RULE_HDR.size, stop, what)
    values = _fixed(buf, a, what)
    name = ACTIONS.get(action) or str(action)
    fwmark, fwmask = _mark(values)
    protocol = _one(values, rt.FRA_PROTOCOL, 0)
    return {
        "family": family,
        "priority": _one(values, rt.FRA_PRIORITY, 0),
        "action": name,
        "table": _one(values, rt.FRA_TABLE, table) if name == "lookup" else None,
        "goto": _one(values, rt.FRA_GOTO),
        "invert": bool(flags & rt.FIB_RULE_INVERT),
        "from": prefix_text(buf, a, rt.FRA_SRC, src_len, family, what) if src_len else None,
        "to": prefix_text(buf, a, rt.FRA_DST, dst_len, family, what) if dst_len else None,
        "iif": _name(buf, a, rt.FRA_IIFNAME),
        "oif": _name(buf, a, rt.FRA_OIFNAME),
        "fwmark": fwmark,
        "fwmask": fwmask,
        "tos": tos,
        "l3mdev": bool(_one(values, rt.FRA_L3MDEV, 0)),
        "uid_range": _range(values, rt.FRA_UID_RANGE),
        "ipproto": _one(values, rt.FRA_IP_PROTO),
        "sport_range": _range(values, rt.FRA_SPORT_RANGE),
        "dport_range": _range(values, rt.FRA_DPORT_RANGE),
        "suppress_prefixlength": _set(values, rt.FRA_SUPPRESS_PREFIXLEN),
        "suppress_ifgroup": _set(values, rt.FRA_SUPPRESS_IFGROUP),
        "protocol": PROTOCOLS.get(protocol) or str(protocol),
        "flags": flag_names(flags, RULE_FLAGS),
    }
