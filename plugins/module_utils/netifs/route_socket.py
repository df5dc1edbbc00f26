# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Parsers for the BSD and macOS routing-socket sysctl buffers: bytes in, parser records out.

``sysctl(CTL_NET, PF_ROUTE, 0, family, op, arg)`` answers with routing messages back to back, each
``u_short msglen, u_char version, u_char type`` then a header of its own type, then the sockaddrs
that ``addrs`` names (``RTAX_*`` order, each padded as ``sockaddr.padded`` says):

* ``parse_iflist``: ``NET_RT_IFLIST`` (``NET_RT_IFLIST2`` on macOS): links and addresses;
* ``parse_dump``: ``NET_RT_DUMP``: routes;
* ``parse_ifmalist``: ``NET_RT_IFMALIST`` (FreeBSD, DragonFly) or the ``NET_RT_IFLIST2`` buffer
  (macOS): multicast memberships ``{index, address, family}``;
* ``get_request`` and ``parse_get``: a route lookup written to a ``PF_ROUTE`` socket (``RTM_GET``,
  as ``route -n get`` asks) and the kernel's answer read back from it.

Malformed messages: with a ``warnings`` list, a malformed message is skipped and described there
(the rest of the dump is kept, as the netlink collector does); without one, it raises ParseError.
A message whose length runs past the buffer, or is shorter than the common head, ends the walk
(nothing after it can be found); a zero length ends it quietly (some kernels pad the buffer with
zeros). A message of a wanted type with another ``RTM_VERSION`` than the OS's is malformed.

Header layouts, per OS, from (LP64 where the header has ``u_long``):
FreeBSD 14 ``sys/net/route.h`` (rt_msghdr, RTM_VERSION 5) and ``sys/net/if.h`` (if_msghdr with the
fixed-width if_data of FreeBSD 11+, ifa_msghdr, ifma_msghdr; ``_spare`` fields since 13);
macOS xnu-10002 ``bsd/net/route.h``, ``bsd/net/if.h``, ``bsd/net/if_var.h`` (``#pragma pack(4)``:
if_msghdr2 with if_data64, ifma_msghdr2; RTM_IFINFO2 0x12, RTM_NEWMADDR2 0x13);
OpenBSD 7.x ``sys/net/route.h`` rev 1.218 and ``sys/net/if.h`` (rtm_hdrlen/ifm_hdrlen/ifam_hdrlen
say where the sockaddrs start; rtm_priority);
NetBSD 10 ``sys/net/route.h`` rev 1.132 and ``sys/net/if.h`` (64-bit aligned headers, RTM_VERSION 4,
RTM_IFINFO 0x14, RTM_NEWADDR 0x16, NET_RT_IFLIST 6);
DragonFly 6.4 ``sys/net/route.h``, ``sys/net/if.h`` (amd64 only; ifa_msghdr of 5.8+, commit 43a37315,
with RTM_VERSION 7 from then on).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import struct

from . import sockaddr
from .addresses import address_record, inferred_scope
from .errors import ParseError
from .formats import flag_names, ip_text, network_text
from .links import STATS64_FIELDS, stub_link
from .routes import route_record

HEAD = struct.Struct("=HBB")  # msglen, version, type: the same in every message of every OS
RTM_GET = 0x4  # a route lookup, its answer, and every NET_RT_DUMP message: the same on every OS here

RTAX_DST = 0

RTAX_GATEWAY = 1
RTAX_NETMASK = 2
RTAX_IFP = 4
RTAX_IFA = 5
RTAX_BRD = 7
RTAX_MAX = 16  # more than any OS has (OpenBSD 15); a bit past them has no sockaddr to find
RTA_DST = 1 << RTAX_DST
RTA_IFP = 1 << RTAX_IFP
DARWIN_RTF_IFSCOPE = 0x1000000  # macOS: rtm_index scopes the lookup to that interface

MAIN_TABLE = 254  # the single (or default) FIB, reported as Linux's main table
LINUX_LINKDOWN = 0x10  # RTNH_F_LINKDOWN: a next hop select.py does not use

# Header layout: the struct.Struct (from the message start) and the names of its fields; ``size``
# is the C struct's size, where the sockaddrs start unless the header has ``hdrlen``.
Layout = collections.namedtuple("Layout", "struct fields size")


def _layout(fmt, fields, size):
    return Layout(struct.Struct(fmt), fields, size)


# ipackets, ierrors, opackets, oerrors, collisions, ibytes, obytes, imcasts: the counters every
# if_data starts its statistics with, in the names of IFLA_STATS64.
COUNTERS = ("rx_packets", "rx_errors", "tx_packets", "tx_errors", "collisions", "rx_bytes", "tx_bytes",
            "multicast")
# rtm_index (then 2 bytes of padding or spare), rtm_flags, rtm_addrs, rtm_pid, rtm_seq, rtm_errno
_ROUTE = "=4xH2xiiiii"
_ROUTE_FIELDS = ("index", "flags", "addrs", "pid", "seq", "errno")
_IFA = "=4xiiH2xi"  # ifam_addrs, ifam_flags, ifam_index, ifam_metric
_IFA_FIELDS = ("addrs", "flags", "index", "metric")
_IFMA = "=4xiiH2x"  # ifmam_addrs, ifmam_flags, ifmam_index
_IFMA_FIELDS = ("addrs", "flags", "index")
_LONG = struct.calcsize("l")

# ``sdl``: sizeof(struct sockaddr_dl) in the OS's net/if_dl.h, the empty RTA_IFP of a lookup.
OsTable = collections.namedtuple("OsTable", "version route link addr maddr types ops iff rtf link_states sdl")

# Flags named as linux.IFF_FLAGS names them where a bit means the same, else their IFF_ name.
_IFF_COMMON = ((0x1, "up"), (0x2, "broadcast"), (0x4, "debug"), (0x8, "loopback"), (0x10, "pointopoint"))
_IFF_TAIL = ((0x40, "running"), (0x80, "noarp"), (0x100, "promisc"), (0x200, "allmulti"), (0x400, "oactive"),
             (0x800, "simplex"), (0x1000, "link0"), (0x2000, "link1"), (0x4000, "link2"), (0x8000, "multicast"))
IFF = {
    "freebsd": _IFF_COMMON + ((0x20, "smart"),) + _IFF_TAIL + (
        (0x10000, "cantconfig"), (0x20000, "ppromisc"), (0x40000, "monitor"), (0x80000, "staticarp"),
        (0x100000, "stickyarp"), (0x200000, "dying"), (0x400000, "renaming")),
    "dragonfly": _IFF_COMMON + ((0x20, "smart"),) + _IFF_TAIL + (
        (0x20000, "ppromisc"), (0x40000, "monitor"), (0x80000, "staticarp"), (0x100000, "npolling")),
    "darwin": _IFF_COMMON + ((0x20, "notrailers"),) + _IFF_TAIL,
    "openbsd": _IFF_COMMON + ((0x20, "staticarp"),) + _IFF_TAIL,
    "netbsd": _IFF_COMMON + ((0x20, "notrailers"),) + _IFF_TAIL,
}
IFF_UP_RUNNING = 0x1 | 0x40  # the same two bits on every OS here
IFF_POINTOPOINT = 0x10

# RTF_* bits used here. ``skip``: what netstat -rn users do not call routes, or what Linux keeps
# in its local table: link-layer (ARP/NDP) entries, clones, routes to the host's own addresses and
# broadcast addresses; on macOS also RTF_IFSCOPE routes, which serve only sockets bound to their
# interface (a scoped default per interface would otherwise look like ECMP).
Rtf = collections.namedtuple("Rtf", "up gateway host reject blackhole static dynamic multicast local skip")
_RTF = {
    # FreeBSD: RTF_LLDATA 0x400, RTF_LOCAL 0x200000, RTF_BROADCAST 0x400000, RTF_MULTICAST 0x800000
    "freebsd": Rtf(0x1, 0x2, 0x4, 0x8, 0x1000, 0x800, 0x10, 0x800000, 0x200000, 0x400 | 0x200000 | 0x400000),
    # DragonFly and macOS add RTF_WASCLONED 0x20000; macOS RTF_IFSCOPE 0x1000000
    "dragonfly": Rtf(0x1, 0x2, 0x4, 0x8, 0x1000, 0x800, 0x10, 0x800000, 0x200000,
                     0x400 | 0x20000 | 0x200000 | 0x400000),
    "darwin": Rtf(0x1, 0x2, 0x4, 0x8, 0x1000, 0x800, 0x10, 0x800000, 0x200000,
                  0x400 | 0x20000 | 0x200000 | 0x400000 | DARWIN_RTF_IFSCOPE),
    # OpenBSD: RTF_MULTICAST 0x200, RTF_LLINFO 0x400, RTF_CLONED 0x10000, RTF_LOCAL 0x200000,
    # RTF_BROADCAST 0x400000
    "openbsd": Rtf(0x1, 0x2, 0x4, 0x8, 0x1000, 0x800, 0x10, 0x200, 0x200000, 0x400 | 0x10000 | 0x200000 | 0x400000),
    # NetBSD: RTF_LLDATA 0x400, RTF_LOCAL 0x40000, RTF_BROADCAST 0x80000, no multicast flag
    "netbsd": Rtf(0x1, 0x2, 0x4, 0x8, 0x1000, 0x800, 0x10, 0, 0x40000, 0x400 | 0x40000 | 0x80000),
}

OS = {
    "freebsd": OsTable(
        5, _layout(_ROUTE, _ROUTE_FIELDS, 32 + 15 * _LONG),
        # if_msghdr: addrs, flags, index, _spare; if_data at 16: type, 3, link_state, vhid, datalen,
        # mtu, metric, baudrate, 8 counters, omcasts, iqdrops, oqdrops (noproto... not read)
        _layout("=4xiiH2xB3xB3xI4x8x8Q8xQQ", ("addrs", "flags", "index", "ifi_type", "link_state", "mtu")
                + COUNTERS + ("rx_dropped", "tx_dropped"), 168),
        _layout(_IFA, _IFA_FIELDS, 20), _layout(_IFMA, _IFMA_FIELDS, 16),
        {"route": RTM_GET, "link": 0xe, "addr": 0xc, "maddr": 0xf},
        {"dump": 1, "iflist": 3, "ifmalist": 4}, IFF["freebsd"], _RTF["freebsd"], {1: False, 2: True}, 54),
    "dragonfly": OsTable(
        7, _layout(_ROUTE, _ROUTE_FIELDS, 152),
        # if_data at 16: type, 5 chars and padding, u_long mtu, metric, link_state, baudrate, counters
        _layout("=4xiiH2xB7xQ8xQ8x8Q8xQ", ("addrs", "flags", "index", "ifi_type", "mtu", "link_state")
                + COUNTERS + ("rx_dropped",), 176),
        # 5.8+: ifam_index, ifam_flags, ifam_addrs, ifam_addrflags, ifam_metric
        _layout("=4xH2xii4xi", ("index", "flags", "addrs", "metric"), 24), _layout(_IFMA, _IFMA_FIELDS, 16),
        {"route": RTM_GET, "link": 0xe, "addr": 0xc, "maddr": 0xf},
        {"dump": 1, "iflist": 3, "ifmalist": 4}, IFF["dragonfly"], _RTF["dragonfly"], {1: False, 2: True}, 54),
    "darwin": OsTable(
        5, _layout(_ROUTE, _ROUTE_FIELDS, 92),
        # if_msghdr2: addrs, flags, index, snd_len, snd_maxlen, snd_drops, timer; if_data64 at 32:
        # type, 7 chars, mtu, metric, baudrate, counters, omcasts, iqdrops (no link state)
        _layout("=4xiiH2x8xi4xB7xI4x8x8Q8xQ", ("addrs", "flags", "index", "tx_dropped", "ifi_type", "mtu")
                + COUNTERS + ("rx_dropped",), 160),
        _layout(_IFA, _IFA_FIELDS, 20), _layout(_IFMA + "4x", _IFMA_FIELDS, 20),  # ifma_msghdr2: refcount
        {"route": RTM_GET, "link": 0x12, "addr": 0xc, "maddr": 0x13},
        {"dump": 1, "iflist": 6, "ifmalist": 6}, IFF["darwin"], _RTF["darwin"], {}, 20),
    "openbsd": OsTable(
        5, _layout("=4xHHHBxiiiiii", ("hdrlen", "index", "tableid", "priority", "addrs", "flags", "fmask", "pid",
                                      "seq", "errno"), 96),
        # if_msghdr: hdrlen, index, tableid, pads, addrs, flags, xflags; if_data at 24: type, addrlen,
        # hdrlen, link_state, mtu, metric, rdomain, baudrate, counters, omcasts, iqdrops, oqdrops
        _layout("=4xHH4xii4xB2xBI4x4x8x8Q8xQQ",
                ("hdrlen", "index", "addrs", "flags", "ifi_type", "link_state", "mtu") + COUNTERS
                + ("rx_dropped", "tx_dropped"), 168),
        _layout("=4xHH4xiii", ("hdrlen", "index", "addrs", "flags", "metric"), 24), None,
        {"route": RTM_GET, "link": 0xe, "addr": 0xc, "maddr": None},
        {"dump": 1, "iflist": 3, "ifmalist": None}, IFF["openbsd"], _RTF["openbsd"],
        # LINK_STATE_INVALID 1, DOWN 2, KALIVE_DOWN 3, UP 4, HALF_DUPLEX 5, FULL_DUPLEX 6
        {1: False, 2: False, 3: False, 4: True, 5: True, 6: True}, 32),
    "netbsd": OsTable(
        4, _layout(_ROUTE, _ROUTE_FIELDS, 120),
        # if_data at 16: type, addrlen, hdrlen, int link_state, uint64 mtu, metric, baudrate, counters
        _layout("=4xiiH2xB3xiQ8x8x8Q8xQ", ("addrs", "flags", "index", "ifi_type", "link_state", "mtu")
                + COUNTERS + ("rx_dropped",), 152),
        # ifam_index, ifam_flags, ifam_addrs, ifam_pid, ifam_addrflags, ifam_metric
        _layout("=4xH2xii8xi", ("index", "flags", "addrs", "metric"), 32), None,
        {"route": RTM_GET, "link": 0x14, "addr": 0x16, "maddr": None},
        {"dump": 1, "iflist": 6, "ifmalist": None}, IFF["netbsd"], _RTF["netbsd"], {1: False, 2: True}, 32),
}

# if_types.h: the two every OS here shares; others are reported by number.
IFT = {0x06: "ether", 0x18: "loopback"}
FULL = {4: 32, 6: 128}


def _table(plat):
    try:
        return OS[plat.name]
    except KeyError:
        raise ValueError("no routing-socket layout for %s" % plat.name)


def _header(view, start, stop, layout, what):
    """The header's fields as a dict, and where its sockaddrs start."""
    if stop - start < layout.struct.size:
        raise ParseError(what, start, "%d bytes, the header needs %d" % (stop - start, layout.struct.size))
    rec = dict(zip(layout.fields, layout.struct.unpack_from(view, start)))
    body = start + rec.get("hdrlen", layout.size)
    if not start + HEAD.size <= body <= stop:
        raise ParseError(what, start, "sockaddrs at %d of a %d-byte message" % (body - start, stop - start))
    return rec, body


def sockaddrs(view, start, stop, addrs, plat, what):
    """``{RTAX index: (start, stop)}`` of the sockaddrs that ``addrs`` names in ``view[start:stop]``."""
    out = {}
    off = start
    for rtax in range(RTAX_MAX):
        if not addrs >> rtax & 1:
            continue
        if off >= stop:
            raise ParseError(what, off, "sockaddr %d of 0x%x past the message end" % (rtax, addrs))
        sa_len = view[off]
        if off + sa_len > stop:
            raise ParseError(what, off, "sockaddr %d has sa_len %d, %d bytes left" % (rtax, sa_len, stop - off))
        room = sockaddr.padded(sa_len, plat)
        out[rtax] = (off, min(off + room, stop))
        off += room
    return out


def _sa(view, spans, rtax, plat):
    span = spans.get(rtax)
    return sockaddr.EMPTY if span is None else sockaddr.parse(view, span[0], span[1], plat)


def walk(buf, plat, want, parse, warnings):
    """Each message of a type in ``want`` (type -> kind) to ``parse(view, start, stop, kind)``."""
    view = memoryview(buf)
    version = _table(plat).version
    off, end = 0, len(view)
    while end - off >= HEAD.size:
        msglen, mversion, mtype = HEAD.unpack_from(view, off)
        if msglen == 0:
            break
        try:
            if msglen < HEAD.size or off + msglen > end:
                raise ParseError("routing message", off, "length %d with %d bytes left" % (msglen, end - off))
            kind = want.get(mtype)
            if kind is not None:
                if mversion != version:
                    raise ParseError("routing message", off, "version %d, %s has %d" % (mversion, plat.name, version))
                parse(view, off, off + msglen, kind)
        except ParseError as exc:
            if warnings is None:
                raise
            warnings.append("skipped a malformed routing message: %s" % exc)
            if msglen < HEAD.size or off + msglen > end:
                break
        off += msglen


def _stats(rec):
    return {name: rec[name] for name in STATS64_FIELDS if name in rec}


def _link(view, start, stop, plat, table, iflags):
    what = "RTM_IFINFO"
    rec, body = _header(view, start, stop, table.link, what)
    dl = _sa(view, sockaddrs(view, body, stop, rec["addrs"], plat, what), RTAX_IFP, plat)
    if dl.family != sockaddr.LINK or not dl.name:
        raise ParseError(what, start, "no interface name (sockaddr_dl) for index %d" % rec["index"])
    flags = rec["flags"] & 0xFFFFFFFF
    iflags[rec["index"]] = flags
    link = stub_link(rec["index"], dl.name)
    carrier = table.link_states.get(rec.get("link_state"))
    running = flags & IFF_UP_RUNNING == IFF_UP_RUNNING
    link.update(type=IFT.get(rec["ifi_type"]) or str(rec["ifi_type"]), mac=dl.mac, mtu=rec["mtu"],
                flags=flag_names(flags, table.iff), carrier=carrier,
                oper_state="up" if running and carrier is not False else "down", stats=_stats(rec))
    return link


def _ip(view, spans, rtax, plat, family, what):
    sa = _sa(view, spans, rtax, plat)
    if sa.family != family:
        raise ParseError(what, spans[rtax][0], "sockaddr %d of family %s in an IPv%d record" % (rtax, sa.family, family))
    return sa.packed


def _address(view, start, stop, plat, table, iflags):
    what = "RTM_NEWADDR"
    rec, body = _header(view, start, stop, table.addr, what)
    spans = sockaddrs(view, body, stop, rec["addrs"], plat, what)
    family = _sa(view, spans, RTAX_IFA, plat).family
    if family not in FULL:
        return None  # the link-layer address of the interface, or no address: not an IP address
    local = _ip(view, spans, RTAX_IFA, plat, family, what)
    plen = sockaddr.prefixlen(view, spans[RTAX_NETMASK][0], spans[RTAX_NETMASK][1], family, plat) \
        if RTAX_NETMASK in spans else FULL[family]
    other = _ip(view, spans, RTAX_BRD, plat, family, what) if _sa(view, spans, RTAX_BRD, plat).family else None
    # RTAX_BRD is the peer of a point-to-point interface and the broadcast address of others.
    p2p = iflags.get(rec["index"], 0) & IFF_POINTOPOINT
    peer = other if p2p and other else local
    scope = inferred_scope(local)
    return address_record(rec["index"], family, local, peer, plen, scope, 0,
                          broadcast=ip_text(other) if other and not p2p and family == 4 else None)


def parse_iflist(buf, plat, warnings=None):
    """``NET_RT_IFLIST`` (``NET_RT_IFLIST2`` on macOS) as ``(links, addresses)``.

    Links are ``links.stub_link`` records with ``type``, ``mac``, ``mtu``, ``flags``, ``carrier``
    (from the if_data link state; null where the OS has none, as macOS), ``oper_state`` (``up``
    when IFF_UP and IFF_RUNNING are set and the link state is not down) and ``stats``. Addresses are
    ``addresses.address_record`` records; IPv6 link-local ones have their KAME scope cleared.
    """
    table = _table(plat)
    links, addrs, iflags = [], [], {}

    def parse(view, start, stop, kind):
        if kind == "link":
            links.append(_link(view, start, stop, plat, table, iflags))
            return
        rec = _address(view, start, stop, plat, table, iflags)
        if rec is not None:
            addrs.append(rec)
    walk(buf, plat, {table.types["link"]: "link", table.types["addr"]: "addr"}, parse, warnings)
    return links, addrs


def parse_ifmalist(buf, plat, warnings=None):
    """Multicast memberships ``{index, address, family}`` of a ``NET_RT_IFMALIST`` buffer (FreeBSD,
    DragonFly) or of the ``NET_RT_IFLIST2`` one (macOS); link-layer groups are left out. OpenBSD
    and NetBSD have no such table: ValueError."""
    table = _table(plat)
    if table.maddr is None:
        raise ValueError("%s has no multicast membership sysctl" % plat.name)
    out = []

    def parse(view, start, stop, _kind):
        what = "RTM_NEWMADDR"
        rec, body = _header(view, start, stop, table.maddr, what)
        group = _sa(view, sockaddrs(view, body, stop, rec["addrs"], plat, what), RTAX_IFA, plat)
        if group.family in FULL:
            out.append({"index": rec["index"], "address": ip_text(group.packed), "family": group.family})
    walk(buf, plat, {table.types["maddr"]: "maddr"}, parse, warnings)
    return out


def _route_type(flags, rtf):
    if flags & rtf.reject:
        return "unreachable"
    if flags & rtf.blackhole:
        return "blackhole"
    if flags & rtf.local:  # to one of the host's own addresses (a dump leaves these out)
        return "local"
    return "multicast" if flags & rtf.multicast else "unicast"


def _protocol(flags, rtf):
    if flags & rtf.static:
        return "static"
    return "redirect" if flags & rtf.dynamic else "kernel"


def _next_hop(view, spans, flags, family, plat, rtf, what):
    """The gateway text (RTF_GATEWAY with an IP gateway; either family, as FreeBSD's IPv4 routes
    through IPv6 next hops) and the interface index a link-layer gateway names."""
    gw = _sa(view, spans, RTAX_GATEWAY, plat)
    if gw.family == sockaddr.LINK:
        return None, gw.index
    if flags & rtf.gateway:
        if gw.family not in FULL:
            raise ParseError(what, spans[RTAX_GATEWAY][0] if RTAX_GATEWAY in spans else 0,
                             "RTF_GATEWAY with a gateway of family %s" % gw.family)
        return ip_text(gw.packed), None
    return None, None


def _route(view, start, stop, plat, table):
    what = "route message"
    rec, body = _header(view, start, stop, table.route, what)
    flags, rtf = rec["flags"] & 0xFFFFFFFF, table.rtf
    if not flags & rtf.up or flags & rtf.skip:
        return None
    return _route_record(view, sockaddrs(view, body, stop, rec["addrs"], plat, what), rec, plat, table, what)


def _route_record(view, spans, rec, plat, table, what):
    """The route record of a route message's header and sockaddrs; None for another family's."""
    flags, rtf = rec["flags"] & 0xFFFFFFFF, table.rtf
    dst = _sa(view, spans, RTAX_DST, plat)
    if dst.family not in FULL:
        return None  # a link-layer or other family's table
    family = dst.family
    if RTAX_NETMASK in spans:
        plen = sockaddr.prefixlen(view, spans[RTAX_NETMASK][0], spans[RTAX_NETMASK][1], family, plat)
    else:
        plen = FULL[family]  # RTF_HOST routes have no netmask; the radix tree keeps no other kind without one
    gateway, link_index = _next_hop(view, spans, flags, family, plat, rtf, what)
    priority = rec.get("priority", 0)
    return route_record(family, network_text(dst.packed, plen), _route_type(flags, rtf), MAIN_TABLE,
                        rec["index"] or link_index or None, gateway=gateway, metric=priority & 0x7F,
                        protocol=_protocol(flags, rtf), scope="global" if gateway else "link",
                        flags=LINUX_LINKDOWN if priority & 0x80 else 0)


def parse_dump(buf, plat, warnings=None):
    """``NET_RT_DUMP`` as route records: usable (RTF_UP) routes of every family, each message one
    record (several default routes stay several records). ``table`` is 254 (the one FIB read,
    FreeBSD's default FIB, OpenBSD's table 0), ``metric`` OpenBSD's priority and 0 elsewhere (an
    OpenBSD route whose link is down gets the ``linkdown`` flag), ``protocol`` ``static`` for
    RTF_STATIC, ``redirect`` for RTF_DYNAMIC, else ``kernel``. RTF_REJECT routes are of type
    ``unreachable``, RTF_BLACKHOLE ones ``blackhole``; link-layer, cloned, local and broadcast
    entries and macOS's interface-scoped routes are left out (see the OS's ``Rtf.skip``)."""
    table = _table(plat)
    out = []

    def parse(view, start, stop, _kind):
        rec = _route(view, start, stop, plat, table)
        if rec is not None:
            out.append(rec)
    walk(buf, plat, {table.types["route"]: "route"}, parse, warnings)
    return out


def get_request(plat, family, packed, seq, oif=None):
    """An ``RTM_GET`` message asking for the route to ``packed`` (``family`` 4 or 6): RTA_DST, and
    an empty sockaddr_dl as RTA_IFP so that the answer names the interface (rtm_index, RTA_IFP) and
    its address (RTA_IFA). No netmask: the longest match, as ``route -n get`` asks. ``oif`` pins the
    lookup to an interface: on macOS with RTF_IFSCOPE and rtm_index; elsewhere only a link-scoped
    IPv6 destination can be pinned (its sin6_scope_id), anything else is a ValueError."""
    table = _table(plat)
    layout, rtf = table.route, table.rtf
    values = dict.fromkeys(layout.fields, 0)
    values.update(flags=rtf.up | rtf.host, addrs=RTA_DST | RTA_IFP, seq=seq, hdrlen=layout.size)
    scoped = oif and family == 6 and sockaddr.embeds_scope(packed)
    if oif and plat.name == "darwin":
        values.update(flags=values["flags"] | DARWIN_RTF_IFSCOPE, index=oif)
    elif oif and not scoped:
        raise ValueError("a %s routing socket cannot pin the lookup of %s to an interface" % (plat.name, ip_text(packed)))
    scope = oif if scoped else 0
    body = b"".join(raw.ljust(sockaddr.padded(raw[0], plat), b"\0") for raw in (
        sockaddr.inet(plat, family, packed, scope), bytes((table.sdl, plat.af_link)) + bytes(table.sdl - 2)))
    buf = bytearray(layout.size) + body
    layout.struct.pack_into(buf, 0, *(values[name] for name in layout.fields))
    HEAD.pack_into(buf, 0, len(buf), table.version, RTM_GET)
    return bytes(buf)


def parse_get(buf, plat, pid, seq):
    """The answer to our ``RTM_GET`` (``pid``, ``seq``) in one message read from a routing socket,
    or None for any other message (the socket also gets every routing change on the host).

    An answer is ``{errno, lookup, route}``: ``errno`` the kernel's (ESRCH: no route), and when it
    is 0, ``lookup`` the route-record keys of a route lookup (``preferred_source`` from RTA_IFA,
    ``interface`` the rtm_index or RTA_IFP index, ``gateway`` with RTF_GATEWAY, ``table`` 254 as
    the dump numbers the one FIB read, ``type`` unreachable (RTF_REJECT), blackhole
    (RTF_BLACKHOLE), local (RTF_LOCAL), multicast or unicast; a rejecting route has no source,
    interface or gateway) and ``route`` the route matched, as ``parse_dump`` reads it (None for
    what a dump leaves out). A malformed answer is a ParseError.
    """
    table = _table(plat)
    layout = table.route
    view = memoryview(buf)
    if len(view) < layout.struct.size or HEAD.unpack_from(view, 0)[2] != RTM_GET:
        return None
    rec = dict(zip(layout.fields, layout.struct.unpack_from(view, 0)))
    if (rec["pid"], rec["seq"]) != (pid, seq):
        return None
    what = "RTM_GET answer"
    msglen, version, _type = HEAD.unpack_from(view, 0)
    if version != table.version:
        raise ParseError(what, 0, "version %d, %s has %d" % (version, plat.name, table.version))
    if msglen > len(view):
        raise ParseError(what, 0, "length %d in a %d-byte read" % (msglen, len(view)))
    if rec["errno"]:
        return {"errno": rec["errno"], "lookup": None, "route": None}
    rec, body = _header(view, 0, msglen, layout, what)
    spans = sockaddrs(view, body, msglen, rec["addrs"], plat, what)
    return {"errno": 0, "lookup": _lookup(view, spans, rec, plat, table, what),
            "route": _route_record(view, spans, rec, plat, table, what)
            if rec["flags"] & table.rtf.up and not rec["flags"] & table.rtf.skip else None}


def _lookup(view, spans, rec, plat, table, what):
    flags, rtf = rec["flags"] & 0xFFFFFFFF, table.rtf
    family = _sa(view, spans, RTAX_DST, plat).family
    if family not in FULL:
        raise ParseError(what, 0, "a destination of family %s" % family)
    rtype = _route_type(flags, rtf)
    if rtype in ("unreachable", "blackhole"):  # on FreeBSD 13+ through lo0 and 127.0.0.1: no way out
        return {"preferred_source": None, "interface": None, "gateway": None, "table": MAIN_TABLE, "type": rtype}
    gateway, link_index = _next_hop(view, spans, flags, family, plat, rtf, what)
    ifp, ifa = _sa(view, spans, RTAX_IFP, plat), _sa(view, spans, RTAX_IFA, plat)
    return {"preferred_source": ip_text(ifa.packed) if ifa.family == family else None,
            "interface": rec["index"] or ifp.index or link_index or None, "gateway": gateway,
            "table": MAIN_TABLE, "type": rtype}
