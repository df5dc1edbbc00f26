# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Parser for ``RTM_NEWLINK`` messages: bytes in, one interface record out.

The record is the schema's interface entry, except that ``master``, ``parent`` and ``peer`` hold
interface indexes (``*_index`` keys) that the model resolves to names once every link is known.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import struct

from .errors import ParseError
from .formats import address_text, flag_names, mac_text, name_text
from .netlink import attr_map, cstring, iter_attrs, u32
from .rtnetlink import IFF_FLAGS, IFINFOMSG

IFLA_ADDRESS = 1
IFLA_IFNAME = 3
IFLA_MTU = 4
IFLA_LINK = 5
IFLA_MASTER = 10
IFLA_OPERSTATE = 16
IFLA_LINKINFO = 18
IFLA_IFALIAS = 20
IFLA_STATS64 = 23
IFLA_CARRIER = 33
IFLA_LINK_NETNSID = 37
IFLA_MIN_MTU = 50
IFLA_MAX_MTU = 51
IFLA_PROP_LIST = 52
IFLA_ALT_IFNAME = 53
IFLA_PERM_ADDRESS = 54

IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
IFLA_INFO_SLAVE_KIND = 4

OPER_STATES = ("unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up")

# linux/if_arp.h, named as iproute2's ll_types.c names them.
ARPHRD = {
    0: "netrom", 1: "ether", 2: "eether", 3: "ax25", 4: "pronet", 5: "chaos", 6: "ieee802",
    7: "arcnet", 8: "appletlk", 15: "dlci", 19: "atm", 23: "metricom", 24: "ieee1394", 27: "eui64",
    32: "infiniband", 256: "slip", 257: "cslip", 258: "slip6", 259: "cslip6", 260: "rsrvd",
    264: "adapt", 270: "rose", 271: "x25", 272: "hwx25", 280: "can", 512: "ppp", 513: "cisco",
    516: "lapb", 517: "ddcmp", 518: "rawhdlc", 519: "rawip", 768: "ipip", 769: "tunnel6",
    770: "frad", 771: "skip", 772: "loopback", 773: "localtlk", 774: "fddi", 775: "bif",
    776: "sit", 777: "ip/ddp", 778: "gre", 779: "pimreg", 780: "hippi", 781: "ash", 782: "econet",
    783: "irda", 784: "fcpp", 785: "fcal", 786: "fcpl", 787: "fcfb", 800: "tr", 801: "tr+rif",
    802: "ieee802.11", 803: "ieee802.11/radiotap", 804: "ieee802.15.4",
    805: "ieee802.15.4/monitor", 820: "phonet", 821: "phonet_pipe", 822: "caif", 823: "gre6",
    824: "netlink", 825: "6lowpan", 826: "vsockmon", 0xFFFE: "none", 0xFFFF: "void",
}

# struct rtnl_link_stats64, in field order; older kernels send fewer fields.
STATS64_FIELDS = (
    "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
    "rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
    "rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
    "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
    "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
    "rx_nohandler", "rx_otherhost_dropped",
)
STATS64 = struct.Struct("=%dQ" % len(STATS64_FIELDS))

BOND_MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
              "balance-tlb", "balance-alb")
STP_STATES = {0: "off", 1: "kernel", 2: "user"}


def _u8(buf, span):
    """An optional u8: None when the attribute is empty, rather than a made-up value."""
    return buf[span[0]] if span[1] > span[0] else None


def _flag(value):
    return None if value is None else bool(value)


def _u16(buf, span, fmt="=H"):
    return struct.unpack_from(fmt, buf, span[0])[0] if span[1] - span[0] >= 2 else None


def _vlan(buf, a):
    proto = a.get(5)  # IFLA_VLAN_PROTOCOL, big-endian ethertype
    proto = _u16(buf, proto, "!H") if proto else None
    return {"vlan_id": _u16(buf, a[1]) if 1 in a else None,
            "protocol": {0x8100: "802.1Q", 0x88A8: "802.1ad"}.get(proto, proto)}


def _vxlan(buf, a):
    out = {"vni": u32(buf, a[1], "IFLA_VXLAN_ID") if 1 in a else None,
           "port": _u16(buf, a[15], "!H") if 15 in a else None,
           "link_index": u32(buf, a[3], "IFLA_VXLAN_LINK") if 3 in a else None}
    for key, v4, v6 in (("local", 4, 17), ("group", 2, 16)):
        out[key] = None
        for attr, family in ((v4, 4), (v6, 6)):
            if attr in a:
                out[key] = address_text(buf, a[attr], family, "IFLA_VXLAN_" + key.upper())
    return out


def _tun(buf, a):
    return {"mode": {1: "tun", 2: "tap"}.get(_u8(buf, a[3])) if 3 in a else None}


def _bond(buf, a):
    mode = _u8(buf, a[1]) if 1 in a else None
    return {"mode": BOND_MODES[mode] if mode is not None and mode < len(BOND_MODES) else mode}


def _bridge(buf, a):
    stp = u32(buf, a[5], "IFLA_BR_STP_STATE") if 5 in a else None
    return {"stp_state": STP_STATES.get(stp, stp),
            "vlan_filtering": _flag(_u8(buf, a[7])) if 7 in a else None}


KIND_DATA = {"vlan": _vlan, "vxlan": _vxlan, "tun": _tun, "bond": _bond, "bridge": _bridge}


def _linkinfo(buf, span, rec):
    info = attr_map(buf, span[0], span[1], "IFLA_LINKINFO")
    kind = cstring(buf, info[IFLA_INFO_KIND]).decode("ascii", "replace") if IFLA_INFO_KIND in info else None
    rec["kind"] = kind
    if IFLA_INFO_SLAVE_KIND in info:
        rec["slave_kind"] = cstring(buf, info[IFLA_INFO_SLAVE_KIND]).decode("ascii", "replace")
    decode = KIND_DATA.get(kind)
    if decode and IFLA_INFO_DATA in info:
        s, e = info[IFLA_INFO_DATA]
        rec["kind_data"] = decode(buf, attr_map(buf, s, e, "IFLA_INFO_DATA " + kind))


def _altnames(buf, span):
    return [name_text(cstring(buf, (s, e)))[0]
            for t, s, e in iter_attrs(buf, span[0], span[1], "IFLA_PROP_LIST") if t == IFLA_ALT_IFNAME]


def _stats(buf, span):
    if span[1] - span[0] >= STATS64.size:
        return dict(zip(STATS64_FIELDS, STATS64.unpack_from(buf, span[0])))
    # An older kernel's shorter struct: the counters it has.
    count = (span[1] - span[0]) // 8
    return dict(zip(STATS64_FIELDS, struct.unpack_from("=%dQ" % count, buf, span[0])))


def _i32(buf, span):
    value = u32(buf, span, "s32 attribute")
    return value - (1 << 32) if value >= 1 << 31 else value


def _raw(buf, span):
    return bytes(buf[span[0]:span[1]])


def parse_link(buf, start, stop):
    """One ``RTM_NEWLINK`` payload (``buf[start:stop]``) as an interface record."""
    if stop - start < IFINFOMSG.size:
        raise ParseError("RTM_NEWLINK", 0, "payload of %d bytes, header needs %d"
                         % (stop - start, IFINFOMSG.size))
    _family, arphrd, index, flags, _change = IFINFOMSG.unpack_from(buf, start)
    a = attr_map(buf, start + IFINFOMSG.size, stop, "RTM_NEWLINK index %d" % index)
    if IFLA_IFNAME not in a:
        raise ParseError("RTM_NEWLINK index %d" % index, 0, "no IFLA_IFNAME")
    name, name_hex = name_text(cstring(buf, a[IFLA_IFNAME]))
    oper = (_u8(buf, a[IFLA_OPERSTATE]) if IFLA_OPERSTATE in a else 0) or 0
    carrier = _u8(buf, a[IFLA_CARRIER]) if IFLA_CARRIER in a else None
    rec = {
        "index": index,
        "name": name,
        "altnames": _altnames(buf, a[IFLA_PROP_LIST]) if IFLA_PROP_LIST in a else [],
        "kind": None,
        "kind_data": {},
        "slave_kind": None,
        "type": ARPHRD.get(arphrd) or str(arphrd),
        "mac": mac_text(_raw(buf, a[IFLA_ADDRESS])) if IFLA_ADDRESS in a else None,
        "permanent_mac": mac_text(_raw(buf, a[IFLA_PERM_ADDRESS])) if IFLA_PERM_ADDRESS in a else None,
        "mtu": u32(buf, a[IFLA_MTU], "IFLA_MTU") if IFLA_MTU in a else None,
        "min_mtu": u32(buf, a[IFLA_MIN_MTU], "IFLA_MIN_MTU") if IFLA_MIN_MTU in a else None,
        "max_mtu": u32(buf, a[IFLA_MAX_MTU], "IFLA_MAX_MTU") if IFLA_MAX_MTU in a else None,
        "flags": flag_names(flags, IFF_FLAGS),
        "oper_state": OPER_STATES[oper] if oper < len(OPER_STATES) else str(oper),
        "carrier": None if carrier is None else bool(carrier),
        "master_index": u32(buf, a[IFLA_MASTER], "IFLA_MASTER") if IFLA_MASTER in a else None,
        "link_index": u32(buf, a[IFLA_LINK], "IFLA_LINK") if IFLA_LINK in a else None,
        "link_netnsid": _i32(buf, a[IFLA_LINK_NETNSID]) if IFLA_LINK_NETNSID in a else None,
        "alias": name_text(cstring(buf, a[IFLA_IFALIAS]))[0] if IFLA_IFALIAS in a else None,
    }
    if name_hex:
        rec["name_bytes"] = name_hex
    if IFLA_LINKINFO in a:
        _linkinfo(buf, a[IFLA_LINKINFO], rec)
    if IFLA_STATS64 in a:
        rec["stats"] = _stats(buf, a[IFLA_STATS64])
    return rec


def stub_link(index, raw_name):
    """An interface known only by index and name (from ``if_nameindex(3)``), every other key null."""
    name, name_hex = name_text(raw_name)
    rec = {"index": index, "name": name, "altnames": [], "kind": None, "kind_data": {}, "slave_kind": None,
           "type": None, "mac": None, "permanent_mac": None, "mtu": None, "min_mtu": None, "max_mtu": None,
           "flags": [], "oper_state": "unknown", "carrier": None, "master_index": None, "link_index": None,
           "link_netnsid": None, "alias": None}
    if name_hex:
        rec["name_bytes"] = name_hex
    return rec


def raw_name(link):
    """The bytes of a link record's name (``name_bytes`` holds them when they are not UTF-8)."""
    return bytes.fromhex(link["name_bytes"]) if "name_bytes" in link else link["name"].encode()
