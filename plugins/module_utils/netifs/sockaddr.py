# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Socket addresses as each OS lays them out, from bytes: ``getifaddrs(3)``, routing-socket
messages and IP Helper structures all hand them over.

The layouts differ in three ways that matter. BSD and macOS start with a length byte
(``sa_len``) and a one-byte family; Linux and Windows with a two-byte family. The family
numbers differ (``AF_INET6`` is 10, 23, 24, 28 or 30). And a routing socket pads every
sockaddr to its own alignment and may cut trailing zero bytes off (a netmask of
``255.0.0.0`` can be 5 bytes long). The values used here are each OS's ``sys/socket.h``,
``net/if_dl.h`` and ``netinet6/in6.h`` (FreeBSD 14, macOS 14 xnu-10002, OpenBSD 7.5,
NetBSD 10, DragonFly 6.4; Linux 6.x UAPI ``linux/if_packet.h``; Windows ``ws2def.h``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import struct

from .errors import ParseError
from .formats import ip_text, mac_text, mask_length

LINK = "link"  # the family of a link-layer address: AF_LINK, or AF_PACKET on Linux

Platform = collections.namedtuple("Platform", "name has_len align af_inet af_inet6 af_link kame")
PLATFORMS = {
    # has_len: sockaddrs begin with sa_len. align: how a routing socket pads them (RT_ROUNDUP,
    # SA_SIZE, ROUNDUP32). kame: link-local IPv6 addresses in kernel tables carry the scope id
    # in bytes 2-3 (the KAME stack's embedded form).
    "linux": Platform("linux", False, 0, 2, 10, 17, False),
    "windows": Platform("windows", False, 0, 2, 23, None, False),
    "darwin": Platform("darwin", True, 4, 2, 30, 18, True),
    "freebsd": Platform("freebsd", True, struct.calcsize("l"), 2, 28, 18, True),
    "dragonfly": Platform("dragonfly", True, struct.calcsize("l"), 2, 28, 18, True),
    "openbsd": Platform("openbsd", True, struct.calcsize("l"), 2, 24, 18, True),
    "netbsd": Platform("netbsd", True, 8, 2, 24, 18, True),
}

Sockaddr = collections.namedtuple("Sockaddr", "family packed scope_id index mac name")
EMPTY = Sockaddr(None, None, 0, None, None, None)

# Where the address starts and how long it is, after the two-byte head: sockaddr_in puts a port
# first, sockaddr_in6 a port and flowinfo (and the scope id after the address).
_IN = (4, 4)
_IN6 = (8, 16)
_U16 = struct.Struct("=H")
_U32 = struct.Struct("=I")
# sockaddr_ll: protocol, ifindex, hatype, pkttype, halen, addr[8]
_LL = struct.Struct("=HiHBB8s")
# sockaddr_dl after sdl_len and sdl_family: index, type, name length, address length, selector length
_DL = struct.Struct("=HBBBB")
# sockaddr_in (sa_len, family, port, address, zero) and sockaddr_in6 (sa_len, family, port, flowinfo,
# address, scope id) as an sa_len OS lays them out: what a routing-socket request carries.
_SIN = struct.Struct("=BBH4s8x")
_SIN6 = struct.Struct("=BBHI16sI")
# What getifaddrs' syscall layer must copy of a sockaddr that has no length byte, by family.
_FULL_SIZE = {"linux": {2: 16, 10: 28, 17: 20}, "windows": {2: 16, 23: 28}}


def platform(system):
    """The ``Platform`` of ``sys.platform`` or ``platform.system()`` (case-insensitive)."""
    key = system.lower()
    for name, plat in PLATFORMS.items():
        if key.startswith(name) or (name == "windows" and key in ("win32", "cygwin")):
            return plat
    raise KeyError("no socket address layout known for %r" % system)


def length(head, plat):
    """How many bytes the sockaddr starting with ``head`` (its first two bytes) occupies, before
    any routing-socket padding; 0 for none. For layouts without ``sa_len`` this is the size of
    the family's structure, or 2 (just the family) for a family not known here."""
    if plat.has_len:
        return head[0]
    return _FULL_SIZE[plat.name].get(_U16.unpack_from(head)[0], 2)


def padded(sa_len, plat):
    """The room a sockaddr of ``sa_len`` bytes takes in a routing-socket message: rounded up to
    the platform's alignment, and one alignment unit when ``sa_len`` is 0 (FreeBSD's SA_SIZE,
    macOS's ROUNDUP32, OpenBSD's and NetBSD's RT_ROUNDUP all agree on that)."""
    align = plat.align
    return align if sa_len == 0 else (sa_len + align - 1) // align * align


def _body(buf, start, stop, plat):
    """The family number (None for an empty sockaddr) and the sockaddr's bytes, zero-padded to
    at least 32: a routing socket drops trailing zeros, so what is not there is zero."""
    raw = bytes(buf[start:stop])
    if plat.has_len:
        if len(raw) < 2 or raw[0] < 2:
            return None, bytes(32)
        if raw[0] > len(raw):
            raise ParseError("sockaddr", start, "sa_len %d with %d bytes left" % (raw[0], len(raw)))
        family, raw = raw[1], raw[:raw[0]]
    else:
        if len(raw) < 2:
            raise ParseError("sockaddr", start, "%d bytes, too short for a family" % len(raw))
        family = _U16.unpack_from(raw)[0]
    return family, raw + bytes(max(0, 32 - len(raw)))


def _inet6(raw, plat):
    """Address and zone of a sockaddr_in6 body; the KAME embedded scope is cleared and becomes
    the zone (``fe80:4::1`` is ``fe80::1%4``)."""
    packed = raw[_IN6[0]:_IN6[0] + 16]
    scope_id = _U32.unpack_from(raw, 24)[0]
    if plat.kame and embeds_scope(packed):
        embedded = struct.unpack_from("!H", packed, 2)[0]
        if embedded:
            scope_id = scope_id or embedded
            packed = packed[:2] + b"\0\0" + packed[4:]
    return Sockaddr(6, packed, scope_id, None, None, None)


def embeds_scope(packed):
    """Link-local unicast (fe80::/10) and interface- or link-local multicast (ff01::, ff02::)."""
    return (packed[0] == 0xFE and packed[1] & 0xC0 == 0x80) or (packed[0] == 0xFF and packed[1] & 0x0F in (1, 2))


def _link(raw, plat):
    """AF_LINK (sockaddr_dl: index, name and address) or AF_PACKET (sockaddr_ll)."""
    if not plat.has_len:
        _proto, index, _hatype, _pkttype, halen, addr = _LL.unpack_from(raw, 2)
        return Sockaddr(LINK, None, 0, index, mac_text(addr[:min(halen, 8)]), None)
    index, _type, nlen, alen, _slen = _DL.unpack_from(raw, 2)
    if 8 + nlen + alen > raw[0]:
        raise ParseError("sockaddr_dl", 0, "a name of %d and an address of %d bytes in sa_len %d"
                         % (nlen, alen, raw[0]))
    name = raw[8:8 + nlen] if nlen else None
    return Sockaddr(LINK, None, 0, index or None, mac_text(raw[8 + nlen:8 + nlen + alen]), name)


def parse(buf, start, stop, plat):
    """The sockaddr in ``buf[start:stop]`` as a ``Sockaddr``: ``family`` is 4, 6, ``LINK``, None
    for an empty one (``sa_len`` 0 or ``AF_UNSPEC``), or ``"af<number>"`` for any other family;
    ``packed`` the address bytes (4 or 16), ``scope_id`` the IPv6 zone, ``index``, ``mac`` and
    ``name`` (bytes) what a link-layer address holds."""
    family, raw = _body(buf, start, stop, plat)
    if not family:
        return EMPTY
    if family == plat.af_inet:
        return Sockaddr(4, raw[_IN[0]:_IN[0] + 4], 0, None, None, None)
    if family == plat.af_inet6:
        return _inet6(raw, plat)
    if family == plat.af_link:
        return _link(raw, plat)
    return Sockaddr("af%d" % family, None, 0, None, None, None)


def inet(plat, family, packed, scope_id=0):
    """The sockaddr_in (``family`` 4) or sockaddr_in6 (6, with its ``scope_id``) holding ``packed``,
    for an OS whose sockaddrs start with ``sa_len``."""
    if family == 4:
        return _SIN.pack(_SIN.size, plat.af_inet, 0, packed)
    return _SIN6.pack(_SIN6.size, plat.af_inet6, 0, 0, packed, scope_id)


def prefixlen(buf, start, stop, family, plat):
    """The prefix length of a netmask sockaddr for an address of ``family`` (4 or 6).

    A routing socket's netmasks are often short (trailing zero bytes dropped) and their own
    family byte is not always set, so the family comes from the address they go with. A
    netmask of no bytes is /0; one with a hole (``255.0.255.0``) is a ParseError, since no
    prefix length describes it.
    """
    _family, raw = _body(buf, start, stop, plat)
    offset, size = _IN if family == 4 else _IN6
    ones = mask_length(raw[offset:offset + size])
    if ones is None:
        raise ParseError("netmask", start, "%s is not a prefix" % ip_text(raw[offset:offset + size]))
    return ones
