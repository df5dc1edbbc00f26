# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""IP Helper (``iphlpapi.dll``) structures, and pure walkers from the memory the API fills to
parser records: ``GetAdaptersAddresses`` (``adapters``), ``GetIpForwardTable2``
(``forward_rows``), ``GetIpInterfaceTable`` (``interface_metrics``), ``GetIfTable2``
(``if_stats``) and ``GetBestRoute2`` (``best_route``). Nothing here calls the API: windows.py does.

Layouts are the Windows SDK's (10.0; ``iptypes.h``, ``netioapi.h``, ``nldef.h``, ``ifdef.h``,
``ipifcons.h``, ``ws2def.h``, ``ws2ipdef.h``, ``guiddef.h``; unchanged since the Vista SDK 6.0 that
introduced the ``_LH`` and ``*2`` forms), as learn.microsoft.com documents them and Wine's and
mingw-w64's headers repeat them. Field widths are explicit (ULONG/DWORD c_uint32, ULONG64 c_uint64,
BOOLEAN/UINT8 c_uint8, enums c_int32, pointers c_void_p, WCHAR c_uint16: ctypes' c_wchar is 4
bytes on Linux). ctypes lays them out with natural alignment, as the x64 and arm64 ABIs do; the
sizes are checked against the SDK's in the tests (448, 64, 104, 168, 1352 bytes).

Memory is read through a reader: ``PROCESS`` (this process's memory, ``ctypes.string_at``) or a
``Memory`` (a copy of a buffer and the address it lay at, so that a pointer outside it is a
ParseError, not a crash). Every read checks its bounds against the structure's own size.

Malformed input: what breaks a walk (an unreadable node, a ``Length`` smaller than the fields
read, a list that loops, a table that does not fit its buffer) is a ParseError for the whole call.
A malformed entry (an adapter with no index, a sockaddr that is null or of an unknown family, a
prefix length beyond the family, a string without its terminator) is skipped: with a ``warnings``
list it is appended there, without one the ParseError is raised (strict, for tests and fuzzing).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
from ctypes import c_int32, c_uint8, c_uint16, c_uint32, c_uint64, c_void_p

from . import sockaddr
from .addresses import address_record, inferred_scope
from .classify import classify_packed
from .errors import ParseError
from .formats import ADDR_LEN, flag_names, ip_text, mac_text, name_text
from .links import stub_link
from .routes import DEFAULT, route_record
from .rtnetlink import IFF_FLAGS

WINDOWS = sockaddr.PLATFORMS["windows"]
AF_UNSPEC = 0
AF_INET = WINDOWS.af_inet
AF_INET6 = WINDOWS.af_inet6
FAMILY = {AF_INET: 4, AF_INET6: 6}
AF_OF = {4: AF_INET, 6: AF_INET6}
MAIN_TABLE = 254  # Windows has one routing table: reported as Linux's main
INFINITE = 0xFFFFFFFF  # lifetimes (iptypes.h) and the loopback's unlimited MTU


# ws2def.h, ws2ipdef.h, guiddef.h


class SOCKADDR_IN(ctypes.Structure):
    _fields_ = [("sin_family", c_uint16), ("sin_port", c_uint16), ("sin_addr", c_uint8 * 4), ("sin_zero", c_uint8 * 8)]


class SOCKADDR_IN6(ctypes.Structure):
    _fields_ = [("sin6_family", c_uint16), ("sin6_port", c_uint16), ("sin6_flowinfo", c_uint32),
                ("sin6_addr", c_uint8 * 16), ("sin6_scope_id", c_uint32)]


class SOCKADDR_INET(ctypes.Union):
    _fields_ = [("Ipv4", SOCKADDR_IN), ("Ipv6", SOCKADDR_IN6), ("si_family", c_uint16)]


class SOCKET_ADDRESS(ctypes.Structure):
    _fields_ = [("lpSockaddr", c_void_p), ("iSockaddrLength", c_int32)]


class GUID(ctypes.Structure):
    _fields_ = [("Data1", c_uint32), ("Data2", c_uint16), ("Data3", c_uint16), ("Data4", c_uint8 * 8)]


# iptypes.h. Each list node starts with a union of ULONGLONG Alignment and {ULONG Length; DWORD
# Flags (or Reserved, or IfIndex)}: two c_uint32, 8-aligned by the pointer that follows.
_NODE = [("Length", c_uint32), ("Flags", c_uint32), ("Next", c_void_p)]


class IP_ADAPTER_UNICAST_ADDRESS_LH(ctypes.Structure):
    _fields_ = _NODE + [("Address", SOCKET_ADDRESS), ("PrefixOrigin", c_int32), ("SuffixOrigin", c_int32),
                        ("DadState", c_int32), ("ValidLifetime", c_uint32), ("PreferredLifetime", c_uint32),
                        ("LeaseLifetime", c_uint32), ("OnLinkPrefixLength", c_uint8)]


class IP_ADAPTER_MULTICAST_ADDRESS_XP(ctypes.Structure):
    """Also the layout of ``_ANYCAST_ADDRESS_XP``, ``_DNS_SERVER_ADDRESS_XP``, ``_GATEWAY_ADDRESS_LH``
    and ``_WINS_SERVER_ADDRESS_LH``: node head and one SOCKET_ADDRESS."""
    _fields_ = _NODE + [("Address", SOCKET_ADDRESS)]


IP_ADAPTER_GATEWAY_ADDRESS_LH = IP_ADAPTER_MULTICAST_ADDRESS_XP

MAX_ADAPTER_ADDRESS_LENGTH = 8
MAX_DHCPV6_DUID_LENGTH = 130


class IP_ADAPTER_ADDRESSES_LH(ctypes.Structure):
    _fields_ = [
        ("Length", c_uint32), ("IfIndex", c_uint32), ("Next", c_void_p), ("AdapterName", c_void_p),
        ("FirstUnicastAddress", c_void_p), ("FirstAnycastAddress", c_void_p), ("FirstMulticastAddress", c_void_p),
        ("FirstDnsServerAddress", c_void_p), ("DnsSuffix", c_void_p), ("Description", c_void_p),
        ("FriendlyName", c_void_p), ("PhysicalAddress", c_uint8 * MAX_ADAPTER_ADDRESS_LENGTH),
        ("PhysicalAddressLength", c_uint32), ("Flags", c_uint32), ("Mtu", c_uint32), ("IfType", c_uint32),
        ("OperStatus", c_int32), ("Ipv6IfIndex", c_uint32), ("ZoneIndices", c_uint32 * 16),
        ("FirstPrefix", c_void_p), ("TransmitLinkSpeed", c_uint64), ("ReceiveLinkSpeed", c_uint64),
        ("FirstWinsServerAddress", c_void_p), ("FirstGatewayAddress", c_void_p), ("Ipv4Metric", c_uint32),
        ("Ipv6Metric", c_uint32), ("Luid", c_uint64), ("Dhcpv4Server", SOCKET_ADDRESS), ("CompartmentId", c_uint32),
        ("NetworkGuid", GUID), ("ConnectionType", c_int32), ("TunnelType", c_int32), ("Dhcpv6Server", SOCKET_ADDRESS),
        ("Dhcpv6ClientDuid", c_uint8 * MAX_DHCPV6_DUID_LENGTH), ("Dhcpv6ClientDuidLength", c_uint32),
        ("Dhcpv6Iaid", c_uint32), ("FirstDnsSuffix", c_void_p),
    ]


IP_ADAPTER_NO_MULTICAST = 0x10  # IP_ADAPTER_ADDRESSES_LH.Flags
GAA_FLAG_SKIP_ANYCAST = 0x2
GAA_FLAG_SKIP_MULTICAST = 0x4
GAA_FLAG_SKIP_DNS_SERVER = 0x8
GAA_FLAG_INCLUDE_GATEWAYS = 0x80


# netioapi.h


class IP_ADDRESS_PREFIX(ctypes.Structure):
    _fields_ = [("Prefix", SOCKADDR_INET), ("PrefixLength", c_uint8)]


class MIB_IPFORWARD_ROW2(ctypes.Structure):
    _fields_ = [
        ("InterfaceLuid", c_uint64), ("InterfaceIndex", c_uint32), ("DestinationPrefix", IP_ADDRESS_PREFIX),
        ("NextHop", SOCKADDR_INET), ("SitePrefixLength", c_uint8), ("ValidLifetime", c_uint32),
        ("PreferredLifetime", c_uint32), ("Metric", c_uint32), ("Protocol", c_int32), ("Loopback", c_uint8),
        ("AutoconfigureAddress", c_uint8), ("Publish", c_uint8), ("Immortal", c_uint8), ("Age", c_uint32),
        ("Origin", c_int32),
    ]


class MIB_IPINTERFACE_ROW(ctypes.Structure):
    _fields_ = [
        ("Family", c_uint16), ("InterfaceLuid", c_uint64), ("InterfaceIndex", c_uint32), ("MaxReassemblySize", c_uint32),
        ("InterfaceIdentifier", c_uint64), ("MinRouterAdvertisementInterval", c_uint32),
        ("MaxRouterAdvertisementInterval", c_uint32), ("AdvertisingEnabled", c_uint8), ("ForwardingEnabled", c_uint8),
        ("WeakHostSend", c_uint8), ("WeakHostReceive", c_uint8), ("UseAutomaticMetric", c_uint8),
        ("UseNeighborUnreachabilityDetection", c_uint8), ("ManagedAddressConfigurationSupported", c_uint8),
        ("OtherStatefulConfigurationSupported", c_uint8), ("AdvertiseDefaultRoute", c_uint8),
        ("RouterDiscoveryBehavior", c_int32), ("DadTransmits", c_uint32), ("BaseReachableTime", c_uint32),
        ("RetransmitTime", c_uint32), ("PathMtuDiscoveryTimeout", c_uint32), ("LinkLocalAddressBehavior", c_int32),
        ("LinkLocalAddressTimeout", c_uint32), ("ZoneIndices", c_uint32 * 16), ("SitePrefixLength", c_uint32),
        ("Metric", c_uint32), ("NlMtu", c_uint32), ("Connected", c_uint8), ("SupportsWakeUpPatterns", c_uint8),
        ("SupportsNeighborDiscovery", c_uint8), ("SupportsRouterDiscovery", c_uint8), ("ReachableTime", c_uint32),
        ("TransmitOffload", c_uint8), ("ReceiveOffload", c_uint8), ("DisableDefaultRoutes", c_uint8),
    ]


IF_MAX_STRING_SIZE = 256
IF_MAX_PHYS_ADDRESS_LENGTH = 32
_IF_COUNTERS = ("InOctets", "InUcastPkts", "InNUcastPkts", "InDiscards", "InErrors", "InUnknownProtos",
                "InUcastOctets", "InMulticastOctets", "InBroadcastOctets", "OutOctets", "OutUcastPkts",
                "OutNUcastPkts", "OutDiscards", "OutErrors", "OutUcastOctets", "OutMulticastOctets",
                "OutBroadcastOctets", "OutQLen")


class MIB_IF_ROW2(ctypes.Structure):
    _fields_ = [
        ("InterfaceLuid", c_uint64), ("InterfaceIndex", c_uint32), ("InterfaceGuid", GUID),
        ("Alias", c_uint16 * (IF_MAX_STRING_SIZE + 1)), ("Description", c_uint16 * (IF_MAX_STRING_SIZE + 1)),
        ("PhysicalAddressLength", c_uint32), ("PhysicalAddress", c_uint8 * IF_MAX_PHYS_ADDRESS_LENGTH),
        ("PermanentPhysicalAddress", c_uint8 * IF_MAX_PHYS_ADDRESS_LENGTH), ("Mtu", c_uint32), ("Type", c_uint32),
        ("TunnelType", c_int32), ("MediaType", c_int32), ("PhysicalMediumType", c_int32), ("AccessType", c_int32),
        ("DirectionType", c_int32), ("InterfaceAndOperStatusFlags", c_uint8), ("OperStatus", c_int32),
        ("AdminStatus", c_int32), ("MediaConnectState", c_int32), ("NetworkGuid", GUID), ("ConnectionType", c_int32),
        ("TransmitLinkSpeed", c_uint64), ("ReceiveLinkSpeed", c_uint64),
    ] + [(name, c_uint64) for name in _IF_COUNTERS]


def _table(name, row):
    """``MIB_*_TABLE*``: ``ULONG NumEntries`` then ``row Table[ANY_SIZE]`` (at the row's alignment)."""
    return type(name, (ctypes.Structure,), {"_fields_": [("NumEntries", c_uint32), ("Table", row * 1)], "ROW": row})


MIB_IPFORWARD_TABLE2 = _table("MIB_IPFORWARD_TABLE2", MIB_IPFORWARD_ROW2)
MIB_IPINTERFACE_TABLE = _table("MIB_IPINTERFACE_TABLE", MIB_IPINTERFACE_ROW)
MIB_IF_TABLE2 = _table("MIB_IF_TABLE2", MIB_IF_ROW2)

# ipifcons.h IF_TYPE_*, named as the Linux backend names ARPHRD types. Wi-Fi (71) hands the host
# Ethernet frames, and Linux reports a wlan0 as ether too.
IF_TYPES = {6: "ether", 71: "ether", 24: "loopback", 23: "ppp", 131: "tunnel"}
IF_TYPE_SOFTWARE_LOOPBACK = 24
# ifdef.h IF_OPER_STATUS (RFC 2863), as Linux's operstate words.
OPER_STATES = {1: "up", 2: "down", 3: "testing", 4: "unknown", 5: "dormant", 6: "notpresent", 7: "lowerlayerdown"}
IF_OPER_STATUS_UP = 1
# Linux IFF_* bits for the flag names that the adapter record can vouch for.
IFF_UP_RUNNING = 0x1 | 0x40
IFF_LOOPBACK = 0x8
IFF_MULTICAST = 0x1000
# nldef.h NL_DAD_STATE -> the IFA_F_* bits of addresses.IFA_COMMON_FLAGS (tentative, dadfailed, deprecated).
DAD_FLAGS = {1: 0x40, 2: 0x08, 3: 0x20}
# nldef.h NL_ROUTE_PROTOCOL (MIB_IPPROTO_*), lower-cased.
PROTOCOLS = {
    1: "other", 2: "local", 3: "netmgmt", 4: "icmp", 5: "egp", 6: "ggp", 7: "hello", 8: "rip", 9: "is_is",
    10: "es_is", 11: "cisco", 12: "bbn", 13: "ospf", 14: "bgp", 15: "idpr", 16: "eigrp", 17: "dvmrp", 18: "rpl",
    19: "dhcp", 10002: "nt_autostatic", 10006: "nt_static", 10007: "nt_static_non_dod",
}
ROUTE_SCOPES = {"local": "host", "broadcast": "link", "multicast": "link"}
BROADCAST_ALL = b"\xff" * 4


class Memory:
    """A copy of the memory an API call filled: ``data`` as it lay at address ``base``."""

    def __init__(self, data, base):
        self.data = bytes(data)
        self.base = base

    def read(self, address, size, what):
        start = (address or 0) - self.base
        if not address or start < 0 or start + size > len(self.data):
            raise ParseError(what, start if address else 0, "%d bytes at 0x%x are outside the %d-byte buffer at 0x%x"
                             % (size, address or 0, len(self.data), self.base))
        return self.data[start:start + size]


class _Process:
    """This process's memory, where the API's pointers (and the tests' ctypes objects) point."""

    @staticmethod
    def read(address, size, what):
        if not address:
            raise ParseError(what, 0, "null pointer")
        return ctypes.string_at(address, size)


PROCESS = _Process()


def address_of(obj):
    """An int address from an int, a ctypes pointer or c_void_p, or a ctypes object; 0 for None."""
    if obj is None or isinstance(obj, int):
        return obj or 0
    if isinstance(obj, (ctypes._Pointer, c_void_p)):  # pylint: disable=protected-access
        return ctypes.cast(obj, c_void_p).value or 0
    return ctypes.addressof(obj)


def _skip(warnings, exc):
    """A malformed entry: noted in ``warnings``, or raised when the caller keeps none."""
    if warnings is None:
        raise exc
    warnings.append("skipped a malformed entry: %s" % exc)


def _struct(memory, address, layout, what):
    return layout.from_buffer_copy(memory.read(address, ctypes.sizeof(layout), what))


class _Walk:
    """One walk of GetAdaptersAddresses memory: where to read, where skipped entries go, and every
    node read so far. A node reached twice, from its own list or another, is a loop: no list
    shares nodes, and a walk that revisits them would make output out of all proportion."""

    def __init__(self, memory, warnings):
        self.memory = memory
        self.warnings = warnings
        self.seen = set()

    def nodes(self, first, layout, what, minimum):
        """Each node of an iptypes.h linked list, as a ``layout`` copy, following ``Next``."""
        address = first
        while address:
            if address in self.seen:
                raise ParseError(what, 0, "the list loops back to 0x%x" % address)
            self.seen.add(address)
            node = _struct(self.memory, address, layout, what)
            if node.Length < minimum:
                raise ParseError(what, 0, "Length %d, the fields read need %d" % (node.Length, minimum))
            yield node
            address = node.Next or 0

    def skip(self, exc):
        _skip(self.warnings, exc)


def _end(layout, field):
    """Where ``field`` of ``layout`` ends: the least ``Length`` that holds every field read."""
    desc = getattr(layout, field)
    return desc.offset + desc.size


ADAPTER_MIN = _end(IP_ADAPTER_ADDRESSES_LH, "Ipv6Metric")
UNICAST_MIN = _end(IP_ADAPTER_UNICAST_ADDRESS_LH, "OnLinkPrefixLength")
ENTRY_MIN = _end(IP_ADAPTER_MULTICAST_ADDRESS_XP, "Address")


def _string(memory, address, unit, limit, what):
    """A NUL-terminated string of ``unit``-byte characters, at most ``limit`` of them, as bytes."""
    if not address:
        raise ParseError(what, 0, "null pointer")
    out = []
    for offset in range(0, limit * unit, unit):
        char = memory.read(address + offset, unit, what)
        if char == b"\0" * unit:
            return b"".join(out)
        out.append(char)
    raise ParseError(what, 0, "no terminator in %d characters" % limit)


def _wide(memory, address, what):
    """A WCHAR string as UTF-8 bytes; a lone surrogate is kept (WTF-8), so name_text flags it."""
    raw = _string(memory, address, 2, IF_MAX_STRING_SIZE + 1, what)
    return raw.decode("utf-16-le", "surrogatepass").encode("utf-8", "surrogatepass")


def _sockaddr(memory, socket_address, what):
    """The IPv4 or IPv6 address a SOCKET_ADDRESS points to, as a ``sockaddr.Sockaddr``."""
    length = socket_address.iSockaddrLength
    if not 2 <= length <= 128:
        raise ParseError(what, 0, "iSockaddrLength %d" % length)
    raw = memory.read(socket_address.lpSockaddr, length, what)
    return _inet(raw, what)


def _inet(raw, what):
    """An IPv4 or IPv6 sockaddr (SOCKADDR_IN, _IN6 or _INET bytes); any other family is an error."""
    need = sockaddr.length(raw[:2], WINDOWS)
    if need == 2 or len(raw) < need:
        raise ParseError(what, 0, "a sockaddr of family %d in %d bytes" % (int.from_bytes(raw[:2], "little"), len(raw)))
    return sockaddr.parse(raw, 0, need, WINDOWS)


def _check_prefix(family, prefixlen, what):
    if prefixlen > ADDR_LEN[family] * 8:
        raise ParseError(what, 0, "prefix length %d for IPv%d" % (prefixlen, family))


def _broadcast(packed, prefixlen):
    """The subnet's directed broadcast, which Windows always uses (it has no broadcast setting)."""
    if len(packed) != 4 or prefixlen > 30:
        return None
    host = (1 << (32 - prefixlen)) - 1
    return ip_text((int.from_bytes(packed, "big") | host).to_bytes(4, "big"))


def _lifetime(value):
    return None if value == INFINITE else value


def _unicast(memory, node, index):
    what = "IP_ADAPTER_UNICAST_ADDRESS index %d" % index
    sa = _sockaddr(memory, node.Address, what)
    plen = node.OnLinkPrefixLength
    _check_prefix(sa.family, plen, what)
    return address_record(index, sa.family, sa.packed, sa.packed, plen, inferred_scope(sa.packed),
                          DAD_FLAGS.get(node.DadState, 0), broadcast=_broadcast(sa.packed, plen),
                          preferred=_lifetime(node.PreferredLifetime), valid=_lifetime(node.ValidLifetime))


def _group(memory, node, index):
    sa = _sockaddr(memory, node.Address, "IP_ADAPTER_MULTICAST_ADDRESS index %d" % index)
    return {"index": index, "address": ip_text(sa.packed), "family": sa.family}


def _gateway(memory, node, index, metrics):
    sa = _sockaddr(memory, node.Address, "IP_ADAPTER_GATEWAY_ADDRESS index %d" % index)
    return {"index": index, "address": ip_text(sa.packed), "family": sa.family, "metric": metrics[sa.family]}


def _entries(walk, first, layout, minimum, parse, what):
    """Records of one adapter's address list; a bad entry is skipped, a broken list ends there."""
    out = []
    try:
        for node in walk.nodes(first, layout, what, minimum):
            try:
                out.append(parse(walk.memory, node))
            except ParseError as exc:
                walk.skip(exc)
    except ParseError as exc:
        walk.skip(exc)
    return out


def _link(memory, node, index):
    """The interface record: FriendlyName as the name (the AdapterName GUID without one)."""
    guid = _string(memory, node.AdapterName, 1, 260, "AdapterName")  # a GUID: ASCII, but not promised
    friendly = _wide(memory, node.FriendlyName, "FriendlyName") if node.FriendlyName else b""
    link = stub_link(index, friendly or guid)
    iff = (IFF_UP_RUNNING if node.OperStatus == IF_OPER_STATUS_UP else 0)
    iff |= IFF_LOOPBACK if node.IfType == IF_TYPE_SOFTWARE_LOOPBACK else 0
    iff |= 0 if node.Flags & IP_ADAPTER_NO_MULTICAST else IFF_MULTICAST
    length = min(node.PhysicalAddressLength, MAX_ADAPTER_ADDRESS_LENGTH)
    link.update(
        altnames=[name_text(guid)[0]] if friendly else [],
        type=IF_TYPES.get(node.IfType) or str(node.IfType),
        mac=mac_text(bytes(node.PhysicalAddress[:length])),
        mtu=_lifetime(node.Mtu),
        flags=flag_names(iff, IFF_FLAGS),
        oper_state=OPER_STATES.get(node.OperStatus) or str(node.OperStatus),
        alias=_wide(memory, node.Description, "Description").decode("utf-8", "backslashreplace") if node.Description else None)
    return link


def _adapter(walk, node, out):
    """One adapter's link and lists, appended to ``out`` (links, addresses, multicast, gateways)."""
    index = node.IfIndex or node.Ipv6IfIndex  # IfIndex is 0 when IPv4 is off on the adapter
    if not index:
        raise ParseError("IP_ADAPTER_ADDRESSES", 0, "neither IfIndex nor Ipv6IfIndex")
    link = _link(walk.memory, node, index)
    metrics = {4: node.Ipv4Metric, 6: node.Ipv6Metric}
    lists = (
        (node.FirstUnicastAddress, IP_ADAPTER_UNICAST_ADDRESS_LH, UNICAST_MIN, lambda m, n: _unicast(m, n, index)),
        (node.FirstMulticastAddress, IP_ADAPTER_MULTICAST_ADDRESS_XP, ENTRY_MIN, lambda m, n: _group(m, n, index)),
        (node.FirstGatewayAddress, IP_ADAPTER_GATEWAY_ADDRESS_LH, ENTRY_MIN, lambda m, n: _gateway(m, n, index, metrics)),
    )
    found = [_entries(walk, first, layout, minimum, parse, "%s of %s" % (layout.__name__, link["name"]))
             for first, layout, minimum, parse in lists]
    out[0].append(link)
    for records, found_records in zip(out[1:], found):
        records.extend(found_records)


def adapters(first, memory=PROCESS, warnings=None):
    """Walk ``IP_ADAPTER_ADDRESSES_LH`` from ``first`` (an address or ctypes pointer): returns
    ``(links, addresses, multicast, gateways)``; gateways are ``{index, address, family, metric}``
    with the adapter's interface metric of that family."""
    out = ([], [], [], [])
    walk = _Walk(memory, warnings)
    for node in walk.nodes(address_of(first), IP_ADAPTER_ADDRESSES_LH, "IP_ADAPTER_ADDRESSES", ADAPTER_MIN):
        try:
            _adapter(walk, node, out)
        except ParseError as exc:
            walk.skip(exc)
    return out


def _rows(table, layout, memory):
    """The rows of the ``MIB_*_TABLE*`` (``layout``) at ``table``: NumEntries, then the rows inline."""
    what = layout.__name__
    address = address_of(table)
    count = c_uint32.from_buffer_copy(memory.read(address, 4, what)).value
    row = layout.ROW
    size = ctypes.sizeof(row)
    raw = memory.read(address + layout.Table.offset, count * size, what) if count else b""
    return [row.from_buffer_copy(raw, i * size) for i in range(count)]


def interface_metrics(table, memory=PROCESS):
    """``{(family, InterfaceIndex): Metric}`` from a ``MIB_IPINTERFACE_TABLE``."""
    return {(FAMILY[row.Family], row.InterfaceIndex): row.Metric
            for row in _rows(table, MIB_IPINTERFACE_TABLE, memory) if row.Family in FAMILY}


def local_kinds(addresses):
    """``{address text: route type}`` for the host routes Windows keeps of its own addresses
    (``local``) and their subnets' broadcasts (``broadcast``), from address records."""
    kinds = {a["broadcast"]: "broadcast" for a in addresses if a["broadcast"]}
    kinds.update((a["address"], "local") for a in addresses)
    return kinds


def _route_type(packed, prefixlen, kinds):
    """What Linux would call the route: its own addresses' host routes are ``local``, their
    broadcasts' ``broadcast``, 224.0.0.0/4 and ff00::/8 ``multicast``, the loopback's ``local``."""
    cls = classify_packed(packed)
    if cls == "multicast":
        return "multicast"
    if prefixlen == len(packed) * 8 and (packed == BROADCAST_ALL or ip_text(packed) in kinds):
        return kinds.get(ip_text(packed), "broadcast")
    return "local" if cls == "loopback" else "unicast"


def _hop(row, what):
    """``(family, packed destination, prefix length, gateway text or None)`` of a route row."""
    dest = _inet(bytes(row.DestinationPrefix.Prefix), what)
    plen = row.DestinationPrefix.PrefixLength
    _check_prefix(dest.family, plen, what)
    hop = _inet(bytes(row.NextHop), what) if row.NextHop.si_family else sockaddr.EMPTY
    if hop.family not in (None, dest.family):
        raise ParseError(what, 0, "an IPv%d route with an IPv%s next hop" % (dest.family, hop.family))
    gateway = ip_text(hop.packed) if hop.packed and any(hop.packed) else None  # unspecified: on-link
    return dest.family, dest.packed, plen, gateway


def _route(row, metrics, kinds):
    what = "MIB_IPFORWARD_ROW2 index %d" % row.InterfaceIndex
    family, packed, plen, gateway = _hop(row, what)
    rtype = _route_type(packed, plen, kinds)
    return route_record(
        family, "%s/%d" % (ip_text(packed), plen), rtype, MAIN_TABLE, row.InterfaceIndex, gateway=gateway,
        metric=row.Metric + metrics.get((family, row.InterfaceIndex), 0),
        protocol=PROTOCOLS.get(row.Protocol) or str(row.Protocol),
        scope=ROUTE_SCOPES.get(rtype) or ("global" if gateway else "link"))


def forward_rows(table, metrics=None, kinds=None, memory=PROCESS, warnings=None):
    """Route records from a ``MIB_IPFORWARD_TABLE2``. ``metrics``: ``interface_metrics``, added to
    each route's own metric as Windows does to rank routes; ``kinds``: ``local_kinds``."""
    out = []
    for row in _rows(table, MIB_IPFORWARD_TABLE2, memory):
        try:
            out.append(_route(row, metrics or {}, kinds or {}))
        except ParseError as exc:
            _skip(warnings, exc)
    return out


def gateway_routes(gateways):
    """Default routes from the adapters' gateway lists, for when the forward table is unreadable:
    the route's own metric is unknown, so the metric is the interface's alone."""
    return [route_record(g["family"], DEFAULT[g["family"]], "unicast", MAIN_TABLE, g["index"], gateway=g["address"],
                         metric=g["metric"], scope="global") for g in gateways]


def if_stats(table, memory=PROCESS):
    """``{InterfaceIndex: counters}`` from a ``MIB_IF_TABLE2``, in the names of ``IFLA_STATS64``
    (links.STATS64_FIELDS) where a MIB_IF_ROW2 counter means the same."""
    return {row.InterfaceIndex: {
        "rx_packets": row.InUcastPkts + row.InNUcastPkts, "tx_packets": row.OutUcastPkts + row.OutNUcastPkts,
        "rx_bytes": row.InOctets, "tx_bytes": row.OutOctets, "rx_errors": row.InErrors, "tx_errors": row.OutErrors,
        "rx_dropped": row.InDiscards, "tx_dropped": row.OutDiscards,
    } for row in _rows(table, MIB_IF_TABLE2, memory)}


def sockaddr_inet(family, packed):
    """A SOCKADDR_INET holding ``packed`` (4 or 16 bytes) of ``family`` (4 or 6)."""
    out = SOCKADDR_INET()
    if family == 4:
        out.Ipv4.sin_family = AF_INET
        out.Ipv4.sin_addr[:] = packed
    else:
        out.Ipv6.sin6_family = AF_INET6
        out.Ipv6.sin6_addr[:] = packed
    return out


def best_route(row, source, metrics=None, kinds=None):
    """``GetBestRoute2``'s answer as ``(route record, lookup)``: its ``row`` (a MIB_IPFORWARD_ROW2,
    the route Windows matched) read as ``forward_rows`` reads the table's, and the lookup's
    route-record keys: ``preferred_source`` its ``source`` (a SOCKADDR_INET), ``interface``,
    ``gateway`` and ``type`` the route's, ``table`` 254."""
    route = _route(row, metrics or {}, kinds or {})
    picked = _inet(bytes(source), "GetBestRoute2 source")
    if picked.family != route["family"]:
        raise ParseError("GetBestRoute2 source", 0, "an IPv%s source for an IPv%d route" % (picked.family, route["family"]))
    return route, {"preferred_source": ip_text(picked.packed), "interface": row.InterfaceIndex,
                   "gateway": route["gateway"], "table": MAIN_TABLE, "type": route["type"]}
