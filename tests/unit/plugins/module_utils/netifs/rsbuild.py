# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builders of BSD and macOS routing-socket messages for tests, fixtures and fuzz seeds.

Each header is packed whole, every C field named, from the OS's header (LP64), independently of
the parser's own tables: FreeBSD 14 sys/net/route.h and if.h, macOS xnu-10002 bsd/net/route.h,
if.h and if_var.h (pack(4)), OpenBSD route.h 1.218 and if.h, NetBSD route.h 1.132 and if.h,
DragonFly 6.4 route.h and if.h (ifa_msghdr of 5.8+).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

from netifs import sockaddr

P = sockaddr.PLATFORMS
BSDS = ("darwin", "freebsd", "dragonfly", "openbsd", "netbsd")

RTA = {"dst": 0, "gateway": 1, "netmask": 2, "genmask": 3, "ifp": 4, "ifa": 5, "author": 6, "brd": 7}
RTF_UP, RTF_GATEWAY, RTF_HOST, RTF_REJECT, RTF_STATIC, RTF_BLACKHOLE = 0x1, 0x2, 0x4, 0x8, 0x800, 0x1000
IFF_UP, IFF_BROADCAST, IFF_LOOPBACK, IFF_POINTOPOINT, IFF_RUNNING, IFF_MULTICAST = 0x1, 0x2, 0x8, 0x10, 0x40, 0x8000
IFF_SIMPLEX = 0x800
IFT_ETHER, IFT_LOOP, IFT_PROPVIRTUAL = 0x06, 0x18, 0x35

_RMX14 = " ".join("rmx%d" % i for i in range(14))
_RMX10 = " ".join("rmx%d" % i for i in range(10))
_STATS11 = "ipackets ierrors opackets oerrors collisions ibytes obytes imcasts omcasts iqdrops noproto"

# (struct format, field names): whole C structs, padding as the compiler puts it.
SPECS = {
    "freebsd": {
        "route": ("=HBBHHiiiiiiQ14Q", "msglen version type index spare1 flags addrs pid seq errno fmask inits " + _RMX14),
        "link": ("=HBBiiHH" + "BBBBBBHIIQ" + "13Q" + "QQQ",
                 "msglen version type addrs flags index spare1 ifi_type physical addrlen hdrlen link_state vhid "
                 "datalen mtu metric baudrate ipackets ierrors opackets oerrors collisions ibytes obytes imcasts "
                 "omcasts iqdrops oqdrops noproto hwassist epoch lastchange_sec lastchange_usec"),
        "addr": ("=HBBiiHHi", "msglen version type addrs flags index spare1 metric"),
        "maddr": ("=HBBiiHH", "msglen version type addrs flags index spare1"),
        "version": 5, "types": {"route": 4, "link": 0xe, "addr": 0xc, "maddr": 0xf},
    },
    "dragonfly": {
        "route": ("=HBBH2xiiiiiiQ14Q", "msglen version type index flags addrs pid seq errno use inits " + _RMX14),
        "link": ("=HBBiiH2x" + "6B2xQQQQ" + "13Q" + "QQ",
                 "msglen version type addrs flags index ifi_type physical addrlen hdrlen recvquota xmitquota "
                 "mtu metric link_state baudrate " + _STATS11 + " hwassist unused lastchange_sec lastchange_usec"),
        "addr": ("=HBBH2xiiii", "msglen version type index flags addrs addrflags metric"),
        "maddr": ("=HBBiiH2x", "msglen version type addrs flags index"),
        "version": 7, "types": {"route": 4, "link": 0xe, "addr": 0xc, "maddr": 0xf},
    },
    "darwin": {
        "route": ("=HBBH2xiiiiiiI14I", "msglen version type index flags addrs pid seq errno use inits " + _RMX14),
        "link": ("=HBBiiH2xiiii" + "8BIIQ" + "11Q" + "IIii",
                 "msglen version type addrs flags index snd_len snd_maxlen snd_drops timer ifi_type typelen physical "
                 "addrlen hdrlen recvquota xmitquota unused1 mtu metric baudrate " + _STATS11
                 + " recvtiming xmittiming lastchange_sec lastchange_usec"),
        "addr": ("=HBBiiH2xi", "msglen version type addrs flags index metric"),
        "maddr": ("=HBBiiH2xi", "msglen version type addrs flags index refcount"),
        "version": 5, "types": {"route": 4, "link": 0x12, "addr": 0xc, "maddr": 0x13},
    },
    "openbsd": {
        "route": ("=HBBHHHBBiiiiiiIQq10I",
                  "msglen version type hdrlen index tableid priority mpls addrs flags fmask pid seq errno inits "
                  + _RMX10 + " rmx10 rmx11"),
        "link": ("=HBBHHHBBiii" + "BBBBIIIQ" + "12Q" + "I4xQQ",
                 "msglen version type hdrlen index tableid pad1 pad2 addrs flags xflags ifi_type addrlen hdrlen2 "
                 "link_state mtu metric rdomain baudrate ipackets ierrors opackets oerrors collisions ibytes obytes "
                 "imcasts omcasts iqdrops oqdrops noproto capabilities lastchange_sec lastchange_usec"),
        "addr": ("=HBBHHHBBiii", "msglen version type hdrlen index tableid pad1 pad2 addrs flags metric"),
        "version": 5, "types": {"route": 4, "link": 0xe, "addr": 0xc},
    },
    "netbsd": {
        "route": ("=HBBH2xiiiiiii4x10Q", "msglen version type index flags addrs pid seq errno use inits " + _RMX10),
        "link": ("=HBBiiH2x" + "BBBxiQQQ" + "11Q" + "qq",
                 "msglen version type addrs flags index ifi_type addrlen hdrlen link_state mtu metric baudrate "
                 + _STATS11 + " lastchange_sec lastchange_nsec"),
        "addr": ("=HBBH2xiiiii4x", "msglen version type index flags addrs pid addrflags metric"),
        "version": 4, "types": {"route": 4, "link": 0x14, "addr": 0x16},
    },
}


# Route lookups (RTM_GET, the same number on every OS here) and their answers.
RTM_GET = 0x4
RTF_DONE = 0x40
RTF_LOCAL = {"freebsd": 0x200000, "dragonfly": 0x200000, "darwin": 0x200000, "openbsd": 0x200000, "netbsd": 0x40000}
RTF_IFSCOPE = 0x1000000  # macOS's net/route.h
# sizeof(struct sockaddr_dl) in each OS's net/if_dl.h: FreeBSD sdl_data[46]; DragonFly sdl_data[12]
# then sdl_rcf and sdl_route[16]; macOS sdl_data[12]; OpenBSD sdl_data[24]; NetBSD 10 a struct
# dl_addr with dl_data[24].
SDL_SIZE = {"freebsd": 54, "dragonfly": 54, "darwin": 20, "openbsd": 32, "netbsd": 32}


def read_message(osname, raw):
    """A route message's header (every C field, by the builder's struct) and its sockaddrs as
    ``[(rta name, bytes)]``, each ``sa_len`` long: how a test kernel reads a request."""
    fmt, names = SPECS[osname]["route"]
    head = struct.Struct(fmt)
    fields = dict(zip(names.split(), head.unpack_from(raw)))
    off = fields.get("hdrlen") or head.size
    sas = []
    for name, bit in sorted(RTA.items(), key=lambda item: item[1]):
        if fields["addrs"] >> bit & 1:
            sas.append((name, bytes(raw[off:off + raw[off]])))
            off += sockaddr.padded(raw[off], P[osname])
    return fields, sas


def answer(osname, pid, seq, sas=(), **fields):
    """The kernel's answer to an RTM_GET: the request's ``pid`` and ``seq``, RTF_DONE added to the
    route's ``flags``, the route's sockaddrs (``sas``, as ``msg`` takes them)."""
    fields["flags"] = fields.get("flags", RTF_UP) | RTF_DONE
    return msg(osname, "route", sas, pid=pid, seq=seq, **fields)


def pad(raw, plat):
    """A sockaddr as a routing socket lays it out: padded to the OS's alignment."""
    return raw.ljust(sockaddr.padded(raw[0] if raw else 0, plat), b"\0")


def sin(plat, address, sa_len=16):
    return struct.pack("=BBH4s8x", sa_len, plat.af_inet, 0, socket.inet_aton(address))[:sa_len]


def sin6(plat, address, embed=0, scope_id=0):
    packed = bytearray(socket.inet_pton(socket.AF_INET6, address))
    if embed:
        struct.pack_into("!H", packed, 2, embed)
    return struct.pack("=BBHI16sI", 28, plat.af_inet6, 0, 0, bytes(packed), scope_id)


def dl(plat, index, name=b"", mac=b"", iftype=IFT_ETHER):
    data = name + mac
    size = max(20, 8 + len(data))
    return struct.pack("=BBHBBBB", size, plat.af_link, index, iftype, len(name), len(mac), 0) + data.ljust(size - 8, b"\0")


def mask(plat, family, plen, short=True):
    """A netmask sockaddr; ``short`` drops the trailing zero bytes and leaves the family byte 0,
    as kernels write them (a /0 mask is then an empty sockaddr)."""
    offset, size = (4, 4) if family == 4 else (8, 16)
    value = ((1 << plen) - 1) << (size * 8 - plen)
    body = value.to_bytes(size, "big")
    if not short:
        raw = sin(plat, socket.inet_ntoa(body)) if family == 4 else sin6(plat, socket.inet_ntop(socket.AF_INET6, body))
        return raw
    used = offset + len(body.rstrip(b"\0"))
    if used == offset:
        return b""
    return bytes([used, 0]) + bytes(offset - 2) + body[:used - offset]


def msg(osname, kind, sas=(), **fields):
    """One message: ``sas`` is ``[(rta name, sockaddr bytes)]`` in any order; ``addrs``, ``msglen``,
    ``version``, ``type`` (and OpenBSD's ``hdrlen``) are filled in unless given."""
    spec = SPECS[osname]
    fmt, names = spec[kind]
    names = names.split()
    head = struct.Struct(fmt)
    assert len(names) == len(head.unpack(bytes(head.size))), (osname, kind)
    plat = P[osname]
    body = b""
    addrs = 0
    for name, raw in sorted(sas, key=lambda item: RTA[item[0]]):
        addrs |= 1 << RTA[name]
        body += pad(raw, plat)
    values = dict.fromkeys(names, 0)
    values.update(version=spec["version"], type=spec["types"][kind], addrs=addrs, msglen=head.size + len(body))
    if "hdrlen" in values:
        values["hdrlen"] = head.size
    values.update(fields)
    return head.pack(*(values[n] for n in names)) + body
