# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds IP Helper memory as the API returns it, with ctypes, for the tests of
netifs.iphlpapi and netifs.windows and the fuzzing seeds.

An ``Arena`` lays structures out one after another in one 8-aligned buffer, as
GetAdaptersAddresses fills the caller's. Pointers are absolute: into the buffer itself (read
through ``iphlpapi.PROCESS``), or relative to a made-up ``base`` (then ``flat()`` is read through
``iphlpapi.Memory(flat, base)``, which is how the fuzz target reads it).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import socket

from netifs import iphlpapi as ip

INF = 0xFFFFFFFF
DAD_TENTATIVE, DAD_DUPLICATE, DAD_DEPRECATED, DAD_PREFERRED = 1, 2, 3, 4


class Arena:
    def __init__(self, size=1 << 16, base=None):
        self.buf = (ctypes.c_uint64 * (size // 8))()
        self.real = ctypes.addressof(self.buf)
        self.base = self.real if base is None else base
        self.used = 0

    def put(self, obj):
        """Copy a ctypes object in at its alignment; returns its address."""
        align = ctypes.alignment(obj)
        offset = (self.used + align - 1) // align * align
        size = ctypes.sizeof(obj)
        if offset + size > ctypes.sizeof(self.buf):
            raise MemoryError("arena full")
        ctypes.memmove(self.real + offset, ctypes.addressof(obj), size)
        self.used = offset + size
        return self.base + offset

    def view(self, address, layout):
        """A live ``layout`` over what is at ``address`` (to patch it)."""
        return layout.from_address(self.real + address - self.base)

    def flat(self):
        return bytes(self.buf)[:self.used]

    def chain(self, nodes):
        """Put list nodes and link their ``Next``; returns the first address (0 for none)."""
        addresses = [self.put(node) for node in nodes]
        for here, after in zip(addresses, addresses[1:]):
            self.view(here, type(nodes[0])).Next = after
        return addresses[0] if addresses else 0

    def wstr(self, text):
        raw = text.encode("utf-16-le", "surrogatepass") + b"\0\0"  # WCHAR strings may hold lone surrogates
        return self.put((ctypes.c_uint8 * len(raw)).from_buffer_copy(raw))

    def cstr(self, raw):
        raw += b"\0"
        return self.put((ctypes.c_uint8 * len(raw)).from_buffer_copy(raw))

    def sockaddr(self, text, family=None, length=None):
        """A SOCKET_ADDRESS pointing at a SOCKADDR_IN or _IN6 of ``text`` (``family``: the raw
        AF number, to make a wrong one)."""
        sa = inet(text)
        if family is not None:
            sa.si_family = family
        size = ctypes.sizeof(ip.SOCKADDR_IN if ":" not in text else ip.SOCKADDR_IN6)
        return ip.SOCKET_ADDRESS(self.put(sa), size if length is None else length)


def inet(text):
    """A SOCKADDR_INET of an address text."""
    if ":" in text:
        return ip.sockaddr_inet(6, socket.inet_pton(socket.AF_INET6, text))
    return ip.sockaddr_inet(4, socket.inet_aton(text))


def unicast(arena, text, prefixlen, dad=DAD_PREFERRED, valid=INF, preferred=INF, length=None):
    return ip.IP_ADAPTER_UNICAST_ADDRESS_LH(
        Length=ctypes.sizeof(ip.IP_ADAPTER_UNICAST_ADDRESS_LH) if length is None else length,
        Address=arena.sockaddr(text), DadState=dad, ValidLifetime=valid, PreferredLifetime=preferred,
        LeaseLifetime=valid, OnLinkPrefixLength=prefixlen)


def entry(arena, text):
    """A multicast or gateway list node."""
    return ip.IP_ADAPTER_MULTICAST_ADDRESS_XP(Length=ctypes.sizeof(ip.IP_ADAPTER_MULTICAST_ADDRESS_XP),
                                              Address=arena.sockaddr(text))


def adapter(arena, index, friendly, guid, description="", mac=b"", mtu=1500, if_type=6, oper=1, ipv6_index=None,
            unicasts=(), groups=(), gateways=(), flags=0, metrics=(25, 25), length=None):
    """An IP_ADAPTER_ADDRESSES_LH (not yet put) with its strings and lists in the arena.
    ``unicasts``, ``groups``, ``gateways``: nodes, or texts for groups and gateways."""
    node = ip.IP_ADAPTER_ADDRESSES_LH(
        Length=ctypes.sizeof(ip.IP_ADAPTER_ADDRESSES_LH) if length is None else length, IfIndex=index,
        AdapterName=arena.cstr(guid), FriendlyName=arena.wstr(friendly) if friendly is not None else 0,
        Description=arena.wstr(description), DnsSuffix=arena.wstr(""), PhysicalAddressLength=len(mac), Flags=flags,
        Mtu=mtu, IfType=if_type, OperStatus=oper, Ipv6IfIndex=index if ipv6_index is None else ipv6_index,
        Ipv4Metric=metrics[0], Ipv6Metric=metrics[1])
    node.PhysicalAddress[:len(mac)] = mac[:8]
    node.FirstUnicastAddress = arena.chain(list(unicasts))
    node.FirstMulticastAddress = arena.chain([entry(arena, g) if isinstance(g, str) else g for g in groups])
    node.FirstGatewayAddress = arena.chain([entry(arena, g) if isinstance(g, str) else g for g in gateways])
    return node


def route(dest, prefixlen, index, nexthop=None, metric=0, protocol=2, family=None):
    """A MIB_IPFORWARD_ROW2; no ``nexthop`` is the unspecified address of the family (on-link)."""
    row = ip.MIB_IPFORWARD_ROW2(InterfaceIndex=index, Metric=metric, Protocol=protocol,
                                ValidLifetime=INF, PreferredLifetime=INF)
    row.DestinationPrefix.Prefix = inet(dest)
    row.DestinationPrefix.PrefixLength = prefixlen
    row.NextHop = inet(nexthop or ("::" if ":" in dest else "0.0.0.0"))
    if family is not None:
        row.DestinationPrefix.Prefix.si_family = family
    return row


def table(arena, layout, rows):
    """A MIB_*_TABLE* (``layout``) holding ``rows``; returns its address."""
    head = layout(NumEntries=len(rows))
    if rows:
        head.Table[0] = rows[0]
    first = arena.put(head)
    for row in rows[1:]:
        arena.put(row)
    return first


def ip_interface(family, index, metric):
    return ip.MIB_IPINTERFACE_ROW(Family=ip.AF_OF[family], InterfaceIndex=index, Metric=metric)


def if_row(index, **counters):
    return ip.MIB_IF_ROW2(InterfaceIndex=index, **counters)


ETHERNET_GUID = b"{4D36E972-E325-11CE-BFC1-08002BE10318}"
LOOPBACK_GUID = b"{0E8C3D6B-1A9B-4C2F-9D3E-7A61F0B1C2D3}"
TUNNEL_GUID = b"{B0A1C2D3-E4F5-4061-8293-A4B5C6D7E8F9}"
WIFI_GUID = b"{5E1F2A3B-4C5D-4E6F-8A9B-0C1D2E3F4A5B}"
ETHERNET_MAC = b"\x00\x15\x5d\x01\x02\x03"


def host_adapters(arena):
    """Ethernet (IPv4 + IPv6, link-local, tentative and deprecated), Wi-Fi (a second IPv4 default
    gateway, on an interface of higher metric), loopback, and a tunnel with IPv4 off (IfIndex 0)
    and no MAC; returns the first adapter's address."""
    ethernet = adapter(
        arena, 7, u"Ethernet 2", ETHERNET_GUID, u"Intel(R) Ethernet Connection I219-LM", ETHERNET_MAC,
        unicasts=[unicast(arena, "fe80::215:5dff:fe01:203", 64),
                  unicast(arena, "2001:db8:1::10", 64, valid=86400, preferred=14400),
                  unicast(arena, "2001:db8:1::bad", 64, dad=DAD_TENTATIVE),
                  unicast(arena, "2001:db8:1::d0d", 64, dad=DAD_DEPRECATED, preferred=0),
                  unicast(arena, "192.168.1.10", 24, valid=691200, preferred=691200)],
        groups=["ff02::1", "ff02::1:ff01:203", "224.0.0.1"], gateways=["fe80::1", "192.168.1.1"],
        metrics=(25, 25))
    wifi = adapter(
        arena, 9, u"Wi-Fi", WIFI_GUID, u"Intel(R) Wi-Fi 6 AX201 160MHz", b"\x3c\x6a\xa7\x10\x20\x30", if_type=71,
        unicasts=[unicast(arena, "10.0.0.5", 8)], gateways=["10.0.0.1"], metrics=(35, 35))
    loopback = adapter(
        arena, 1, u"Loopback Pseudo-Interface 1", LOOPBACK_GUID, u"Software Loopback Interface 1", mtu=INF,
        if_type=24, unicasts=[unicast(arena, "::1", 128), unicast(arena, "127.0.0.1", 8)], metrics=(75, 75))
    tunnel = adapter(
        arena, 0, u"Teredo Tunneling Pseudo-Interface", TUNNEL_GUID, u"Microsoft Teredo Tunneling Adapter",
        mtu=1280, if_type=131, oper=5, ipv6_index=14, flags=ip.IP_ADAPTER_NO_MULTICAST,
        unicasts=[unicast(arena, "2001:0:2851:782c:1c2e:3cf6:3f57:fef5", 32)], metrics=(0, 45))
    return arena.chain([ethernet, wifi, loopback, tunnel])


def routes_table(arena, family=None):
    """A forward table of ``family`` (both when None), as GetIpForwardTable2 gives it: two IPv4 defaults (metric 0 on an interface of metric 25,
    and 0 on one of 35 via a second NIC), on-link, own-address, broadcast and multicast routes."""
    rows = [
        route("0.0.0.0", 0, 7, "192.168.1.1", protocol=3),
        route("0.0.0.0", 0, 9, "10.0.0.1", protocol=3),
        route("192.168.1.0", 24, 7), route("192.168.1.10", 32, 7), route("192.168.1.255", 32, 7),
        route("224.0.0.0", 4, 7), route("255.255.255.255", 32, 7),
        route("127.0.0.0", 8, 1), route("127.0.0.1", 32, 1), route("127.255.255.255", 32, 1),
        route("::", 0, 7, "fe80::1", metric=256, protocol=4), route("2001:db8:1::", 64, 7, metric=256),
        route("2001:db8:1::10", 128, 7, metric=256), route("::1", 128, 1, metric=256),
        route("ff00::", 8, 7, metric=256), route("10.0.0.0", 8, 9, protocol=10006), route("10.0.0.5", 32, 9),
    ]
    return table(arena, ip.MIB_IPFORWARD_TABLE2, [r for r in rows if family in (None, ip.FAMILY[r.DestinationPrefix.Prefix.si_family])])


def metrics_table(arena, family=None):
    """The interface metrics of ``family`` (both when None), as GetIpInterfaceTable gives them."""
    rows = [ip_interface(4, 7, 25), ip_interface(4, 9, 35), ip_interface(4, 1, 75),
            ip_interface(6, 7, 25), ip_interface(6, 9, 35), ip_interface(6, 1, 75), ip_interface(6, 14, 45)]
    return table(arena, ip.MIB_IPINTERFACE_TABLE, [r for r in rows if family in (None, ip.FAMILY[r.Family])])


def gaa_buffer(arena, build=host_adapters):
    """The adapters as GetAdaptersAddresses leaves them in its buffer: the first adapter at the
    start (``arena`` empty), the rest after it; returns that start address."""
    size = ctypes.sizeof(ip.IP_ADAPTER_ADDRESSES_LH)
    start = arena.put(ip.IP_ADAPTER_ADDRESSES_LH())
    first = build(arena)
    ctypes.memmove(arena.real + start - arena.base, arena.real + first - arena.base, size)
    return start


def view_length(arena, address, value):
    """Overwrite the first u32 at ``address`` (a node's Length, a table's NumEntries)."""
    arena.view(address, ctypes.c_uint32).value = value


def entry_of_family(arena, text, family):
    """A multicast or gateway node whose sockaddr has the raw address family ``family``."""
    node = entry(arena, text)
    node.Address = arena.sockaddr(text, family=family)
    return node
