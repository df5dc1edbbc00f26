# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The portable fallback: interfaces and addresses from ``getifaddrs(3)`` through ctypes.

Every Unix has it, so it stands in where the native API is missing or denied. It knows no
routes, memberships, kinds or states; what it cannot tell is in ``LOSSES``. ``entries()`` is
the whole syscall layer: it copies each ``struct ifaddrs`` into plain bytes, and ``records()``,
a pure function, builds the records from them.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import fcntl
import os
import socket
import struct

from . import route_socket, sockaddr
from .addresses import address_record, inferred_scope
from .errors import ParseError
from .formats import flag_names, ip_text
from .links import raw_name, stub_link
from .rtnetlink import IFF_FLAGS
from .snapshot import Snapshot

NAME = "getifaddrs"
LOSSES = {
    "interfaces": "getifaddrs(3) gives no kind, state, carrier, master, parent or alternative names, "
                  "and no MTU where the OS has no SIOCGIFMTU known here",
    "addresses": "getifaddrs(3) gives no address flags or lifetimes",
}
# SIOCGIFMTU, where struct ifreq is 32 bytes (a 16-byte name and a 16-byte union).
SIOCGIFMTU = {"linux": 0x8921, "darwin": 0xC0206933, "freebsd": 0xC0206933, "dragonfly": 0xC0206933}
_IFREQ_MTU = struct.Struct("=16si12x")
IFF_BROADCAST, IFF_POINTOPOINT = 0x2, 0x10  # the same bits everywhere


class _Ifaddrs(ctypes.Structure):
    pass


# struct ifaddrs: the same leading fields on glibc, musl and every BSD (NetBSD appends one).
_Ifaddrs._fields_ = [  # pylint: disable=protected-access
    ("ifa_next", ctypes.POINTER(_Ifaddrs)), ("ifa_name", ctypes.c_char_p), ("ifa_flags", ctypes.c_uint),
    ("ifa_addr", ctypes.c_void_p), ("ifa_netmask", ctypes.c_void_p), ("ifa_dstaddr", ctypes.c_void_p),
    ("ifa_data", ctypes.c_void_p)]


def _copy(address, plat):
    """The bytes of the sockaddr at ``address`` (None for a null pointer)."""
    if not address:
        return None
    return ctypes.string_at(address, sockaddr.length(ctypes.string_at(address, 2), plat) or 2)


def entries(plat, libc=None):
    """``[(name, flags, addr, netmask, dstaddr)]``, bytes or None each, from getifaddrs(3).
    OSError when the C library has none or it fails (glibc asks netlink, so a sandbox that
    refuses netlink makes it fail too)."""
    libc = libc or ctypes.CDLL(None, use_errno=True)
    try:
        call, free = libc.getifaddrs, libc.freeifaddrs
    except AttributeError:
        raise OSError("this C library has no getifaddrs(3)")
    call.argtypes = [ctypes.POINTER(ctypes.POINTER(_Ifaddrs))]
    free.argtypes = [ctypes.POINTER(_Ifaddrs)]
    head = ctypes.POINTER(_Ifaddrs)()
    if call(ctypes.byref(head)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    out = []
    try:
        node = head
        while node:
            ifa = node.contents
            out.append((ifa.ifa_name, ifa.ifa_flags, _copy(ifa.ifa_addr, plat),
                        _copy(ifa.ifa_netmask, plat), _copy(ifa.ifa_dstaddr, plat)))
            node = ifa.ifa_next
    finally:
        free(head)
    return out


def _parse(raw, plat):
    return sockaddr.EMPTY if raw is None else sockaddr.parse(raw, 0, len(raw), plat)


def _link(links, name, index, flags, plat):
    """The link record of ``name``, made on first sight."""
    rec = links.get(name)
    if rec is None:
        rec = links[name] = stub_link(index, name)
        # IFF_* bits beyond the low five differ between Linux and each BSD (net/if.h)
        rec["flags"] = flag_names(flags, IFF_FLAGS if plat.name == "linux" else route_socket.IFF[plat.name])
    return rec


def _address(index, name, flags, addr, raw_mask, raw_dst, plat):
    """An address record from one entry; None for one without a usable netmask."""
    if raw_mask is None:
        return None
    try:
        prefixlen = sockaddr.prefixlen(raw_mask, 0, len(raw_mask), addr.family, plat)
    except ParseError:  # a mask with a hole: no prefix length to report
        return None
    dst = _parse(raw_dst, plat)
    dst = dst.packed if dst.family == addr.family else None
    point_to_point = bool(flags & IFF_POINTOPOINT and dst)
    rec = address_record(index, addr.family, addr.packed, dst if point_to_point else addr.packed, prefixlen,
                         inferred_scope(addr.packed), 0)
    if addr.family == 4:
        rec["label"] = os.fsdecode(name)
        # glibc puts the address itself in the broadcast slot when the kernel gave none.
        rec["broadcast"] = ip_text(dst) if dst and dst != addr.packed and flags & IFF_BROADCAST else None
    return rec


def records(found, plat, index_of):
    """``(links, addresses)`` from ``entries()``. ``index_of(name)`` gives an interface's index
    where no link-layer entry did (a Linux IPv4 label such as ``eth0:1`` names its interface
    before the colon)."""
    links, addresses = {}, []
    parsed = [(name, flags, raw_addr, _parse(raw_addr, plat), raw_mask, raw_dst)
              for name, flags, raw_addr, raw_mask, raw_dst in found]
    for name, flags, raw_addr, sa, _mask, _dst in parsed:
        if sa.family == sockaddr.LINK:
            rec = _link(links, name, sa.index or index_of(name), flags, plat)
            rec["mac"] = rec["mac"] or sa.mac
        elif raw_addr is None:  # a link without a link-layer address (tun): only its flags
            _link(links, name, index_of(name), flags, plat)
    for name, flags, _raw, sa, raw_mask, raw_dst in parsed:
        if sa.family not in (4, 6):
            continue
        base = name.split(b":", 1)[0] if plat.name == "linux" else name
        link = links.get(base) or _link(links, base, index_of(base), flags, plat)
        if link["index"] is None:
            continue
        rec = _address(link["index"], name, flags, sa, raw_mask, raw_dst, plat)
        if rec is not None:
            addresses.append(rec)
    return [rec for rec in links.values() if rec["index"] is not None], addresses


def _index_of(name):
    try:
        return socket.if_nametoindex(os.fsdecode(name))
    except OSError:
        return None


def _mtus(links, request):
    """Each link's MTU through ``SIOCGIFMTU``; None where the ioctl fails."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for link in links:
            try:
                link["mtu"] = _IFREQ_MTU.unpack(fcntl.ioctl(sock, request, _IFREQ_MTU.pack(raw_name(link), 0)))[1]
            except OSError:
                link["mtu"] = None


def snapshot(need, plat, tables=None):
    """A ``Snapshot`` of interfaces and addresses from getifaddrs(3). ``tables(snap, need)``,
    when the OS has another source of them (Linux: /proc/net), adds routes, memberships and
    counters; without it they are missing. OSError when getifaddrs(3) fails."""
    snap = Snapshot()
    snap.links, addresses = records(entries(plat), plat, _index_of)
    if "addresses" in need:
        snap.addresses = addresses
    if plat.name in SIOCGIFMTU:
        _mtus(snap.links, SIOCGIFMTU[plat.name])
    for subset in ("interfaces", "addresses"):
        if subset == "interfaces" or subset in need:
            snap.lose(subset, None, LOSSES[subset])
    if tables is not None:
        tables(snap, need)
        return snap
    for subset in ("routes", "multicast", "stats"):
        if subset in need:
            snap.lose(subset, None, "getifaddrs(3) gives no %s, and this OS has no other source known here"
                      % ("counters" if subset == "stats" else subset))
    return snap
