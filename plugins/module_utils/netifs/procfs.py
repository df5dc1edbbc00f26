# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Parsers for the ``/proc/net`` files: what Linux tells without rtnetlink.

* ``igmp`` and ``igmp6``: multicast memberships, also for kernels whose rtnetlink has no
  ``RTM_GETMULTICAST`` dump for a family; ``{index, address, family}``;
* ``if_inet6``: IPv6 addresses, as address records (``addresses.address_record``);
* ``route`` and ``ipv6_route``: routes, as route records (``routes.route_record``);
* ``dev``: interface counters, in the names of ``IFLA_STATS64``.

Each takes the file's bytes (interface names may hold any byte but whitespace, ``/`` and ``:``).
A line that cannot be read is a ``ParseError`` naming the file and line. What a file cannot
tell (lifetimes, the route's table or protocol, ...) is left out or null, as each parser says.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

from .addresses import address_record
from .errors import ParseError
from .formats import ip_text, mask_length, network_text
from .routes import PREFERENCES, route_record

# /proc/net/igmp prints each group as the in-memory u32 with "%08X": host byte order.
_HOST_U32 = struct.Struct("=I")


def parse_igmp(data):
    """``/proc/net/igmp``: a device line (``idx name : count querier``) then its group lines."""
    out = []
    index = None
    for lineno, line in enumerate(data.split(b"\n")):
        fields = line.split()
        if not fields or lineno == 0:
            continue
        try:
            if line[:1] in (b"\t", b" "):
                if index is None:
                    raise ValueError("group line before any device line")
                packed = _HOST_U32.pack(int(fields[0], 16))
                out.append({"index": index, "address": socket.inet_ntop(socket.AF_INET, packed),
                            "family": 4})
            else:
                index = _number(fields[0], 10, INDEX_LIMIT, "index")
        except (ValueError, struct.error) as exc:
            raise ParseError("/proc/net/igmp line %d" % (lineno + 1), 0, str(exc))
    return out


def parse_igmp6(data):
    """``/proc/net/igmp6``: ``idx name group users flags timer``, the group as 32 hex digits."""
    out = []
    for lineno, fields in _rows(data):
        try:
            packed = _hex_address(fields[2], 16)
            out.append({"index": _number(fields[0], 10, INDEX_LIMIT, "index"),
                        "address": socket.inet_ntop(socket.AF_INET6, packed), "family": 6})
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            raise ParseError("/proc/net/igmp6 line %d" % lineno, 0, str(exc))
    return out


def _number(text, base, limit, what):
    """A field as an integer below ``limit``: a file that holds a longer number is not the kernel's
    (it would also make records that grow with the digits, or that JSON cannot hold)."""
    value = int(text, base)
    if not 0 <= value < limit:
        raise ValueError("%s %s is out of range" % (what, text.decode("ascii", "replace")[:20]))
    return value


U32_LIMIT = 1 << 32
INDEX_LIMIT = 1 << 31  # interface indexes are positive ints


def _rows(data, skip=0):
    """``(line number, fields)`` of each non-empty line after the first ``skip``."""
    for lineno, line in enumerate(data.split(b"\n"), 1):
        fields = line.split()
        if lineno > skip and fields:
            yield lineno, fields


def _detail(exc):
    """What went wrong, without the inner error's own place: the caller names file and line."""
    return exc.detail if isinstance(exc, ParseError) else str(exc)


def _hex_address(text, size):
    packed = bytes.fromhex(text.decode("ascii"))
    if len(packed) != size:
        raise ValueError("an address of %d bytes" % len(packed))
    return packed


# if_inet6 prints the address type's scope bits; rtnetlink reports them as these RT_SCOPE values
# (rt_scope() in net/ipv6/addrconf.c: anything else is universe).
_V6_SCOPES = {0x10: 254, 0x20: 253, 0x40: 200}


def parse_if_inet6(data):
    """``/proc/net/if_inet6``: ``address index prefixlen scope flags name``, all but the name in hex.

    The file has no lifetimes, no peer, and only the low 8 bits of the flags (``(u8) ifp->flags``).
    """
    out = []
    for lineno, fields in _rows(data):
        try:
            packed = _hex_address(fields[0], 16)
            index = _number(fields[1], 16, INDEX_LIMIT, "index")
            prefixlen, scope, flags = (_number(field, 16, 256, "field") for field in fields[2:5])
            out.append(address_record(index, 6, packed, packed, prefixlen, _V6_SCOPES.get(scope, 0), flags))
        except (ValueError, IndexError, UnicodeDecodeError, ParseError) as exc:
            raise ParseError("/proc/net/if_inet6 line %d" % lineno, 0, _detail(exc))
    return out


NET_DEV_FIELDS = (
    "rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "rx_fifo_errors", "rx_frame_errors", "rx_compressed",
    "multicast", "tx_bytes", "tx_packets", "tx_errors", "tx_dropped", "tx_fifo_errors", "collisions",
    "tx_carrier_errors", "tx_compressed",
)


def parse_net_dev(data):
    """``/proc/net/dev``: ``{name (bytes): counters}``, two header lines, then ``name: 16 numbers``."""
    out = {}
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if lineno <= 2 or not line.strip():
            continue
        name, sep, rest = line.partition(b":")
        values = rest.split()
        try:
            if not sep or len(values) != len(NET_DEV_FIELDS):
                raise ValueError("expected 'name:' and %d counters" % len(NET_DEV_FIELDS))
            out[name.strip()] = dict(zip(NET_DEV_FIELDS, (_number(v, 10, 1 << 64, "counter") for v in values)))
        except ValueError as exc:
            raise ParseError("/proc/net/dev line %d" % lineno, 0, str(exc))
    return out


RTF_GATEWAY = 0x2
RTF_REJECT = 0x200


def _interface(name, index_of):
    """The index of a route's output interface; ``*`` is none."""
    if name == b"*":
        return None
    if name not in index_of:
        raise ValueError("interface %r is not among the interfaces read" % name.decode("utf-8", "backslashreplace"))
    return index_of[name]


def _prefixlen(mask):
    """The length of a contiguous network mask (packed), else ValueError."""
    length = mask_length(mask)
    if length is None:
        raise ValueError("mask %s is not contiguous" % ip_text(mask))
    return length


def _route4(fields, index_of):
    name, dest, gateway, flags, _refcnt, _use, metric, mask = fields[:8]
    flags = _number(flags, 16, U32_LIMIT, "flags")
    via = ip_text(_HOST_U32.pack(int(gateway, 16))) if flags & RTF_GATEWAY else None
    plen = _prefixlen(_HOST_U32.pack(int(mask, 16)))
    interface = _interface(name, index_of)
    # The kernel marks unreachable and prohibit routes RTF_REJECT, and gives a blackhole route
    # no flag at all: it is the one forwarding route without a device.
    rtype = "unreachable" if flags & RTF_REJECT else "blackhole" if name == b"*" else "unicast"
    return route_record(4, network_text(_HOST_U32.pack(int(dest, 16)), plen), rtype, 254, interface,
                        gateway=via, metric=_number(metric, 10, U32_LIMIT, "metric"), scope="global" if via else "link")


def parse_route(data, index_of):
    """``/proc/net/route``: the main table's IPv4 routes. ``index_of`` maps names (bytes) to indexes.

    Addresses are the in-memory u32 printed with ``%08X``: host byte order. The file shows a
    route's first next hop only, leaves multicast and broadcast routes out, and knows no protocol,
    preferred source or TOS. Unreachable and prohibit routes look alike (reported as unreachable),
    and anycast routes look like unicast ones.
    """
    out = []
    for lineno, fields in _rows(data, skip=1):
        try:
            out.append(_route4(fields, index_of))
        except (ValueError, IndexError, struct.error, ParseError) as exc:
            raise ParseError("/proc/net/route line %d" % lineno, 0, _detail(exc))
    return out


RTF_ANYCAST = 0x00100000
RTF_CACHE = 0x01000000
RTF_LOCAL = 0x80000000
NO_METRIC = 0xFFFFFFFF


def _skipped6(dest, plen, flags, metric, name):
    """Entries of the local table, cached clones, and the kernel's null entry (``::/0`` on lo,
    reject, metric 0xffffffff); the local table's ``ff00::/8`` multicast routes carry no flag that
    tells them apart, so every gateway-less ``ff00::/8`` is left out."""
    if flags & (RTF_LOCAL | RTF_ANYCAST | RTF_CACHE):
        return True
    if plen == 0 and flags & RTF_REJECT and metric == NO_METRIC and name == b"lo":
        return True
    return plen == 8 and dest[:1] == b"\xff" and not flags & RTF_GATEWAY


def _route6(fields, index_of):
    dest, plen, src, splen, via, metric, _refcnt, _use, flags, name = fields[:10]
    dest, src, via = (_hex_address(f, 16) for f in (dest, src, via))
    plen, splen = _number(plen, 16, 256, "prefix length"), _number(splen, 16, 256, "prefix length")
    metric, flags = _number(metric, 16, U32_LIMIT, "metric"), _number(flags, 16, U32_LIMIT, "flags")
    if _skipped6(dest, plen, flags, metric, name):
        return None
    gateway = ip_text(via) if flags & RTF_GATEWAY else None
    return route_record(6, network_text(dest, plen), "unreachable" if flags & RTF_REJECT else "unicast", None,
                        _interface(name, index_of), gateway=gateway, metric=metric,
                        preference=PREFERENCES.get((flags >> 27) & 3),
                        source=network_text(src, splen) if splen else None)


def parse_ipv6_route(data, index_of):
    """``/proc/net/ipv6_route``: IPv6 routes of every table but ``local``, table unknown (null).

    Each line: destination, its length, source, its length, next hop (hex), metric, refcount,
    use, flags (hex), name. No protocol; reject routes are reported as unreachable.
    """
    out = []
    for lineno, fields in _rows(data):
        try:
            route = _route6(fields, index_of)
        except (ValueError, IndexError, UnicodeDecodeError, ParseError) as exc:
            raise ParseError("/proc/net/ipv6_route line %d" % lineno, 0, _detail(exc))
        if route is not None:
            out.append(route)
    return out
