# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Address classes: the IANA Special-Purpose Address Registries as a table, and the lookup.

``ROWS_V4`` and ``ROWS_V6`` hold every row of the IANA IPv4 and IPv6 Special-Purpose Address
Registries (plus the two multicast blocks, which live in their own registries), each with the one
class it gives its addresses. ``classify_packed`` and ``lookup_packed`` answer for a packed address
(4 or 16 bytes, network order) by longest-prefix match; ``classify`` does the same for text.

Classes: ``unspecified``, ``loopback``, ``link_local``, ``private`` (RFC 1918), ``shared``
(RFC 6598), ``unique_local``, ``multicast``, ``documentation``, ``benchmarking``, ``reserved``
(any other row IANA marks not globally reachable) and ``public`` (everything else, including the
rows IANA marks globally reachable). An IPv4-mapped IPv6 address has the class of its IPv4 address.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import socket

Row = collections.namedtuple('Row', 'prefix name rfc cls')

CLASSES = (
    'unspecified', 'loopback', 'link_local', 'private', 'shared', 'unique_local',
    'multicast', 'documentation', 'benchmarking', 'reserved', 'public',
)

# iana-ipv4-special-registry as of 2025-10, one row per block ("192.0.0.170/32, 192.0.0.171/32"
# is one registry row with two blocks). Globally reachable rows are 'public'.
ROWS_V4 = (
    Row('0.0.0.0/8', '"This network"', 'RFC 791', 'reserved'),
    Row('0.0.0.0/32', '"This host on this network"', 'RFC 1122', 'unspecified'),
    Row('10.0.0.0/8', 'Private-Use', 'RFC 1918', 'private'),
    Row('100.64.0.0/10', 'Shared Address Space', 'RFC 6598', 'shared'),
    Row('127.0.0.0/8', 'Loopback', 'RFC 1122', 'loopback'),
    Row('169.254.0.0/16', 'Link Local', 'RFC 3927', 'link_local'),
    Row('172.16.0.0/12', 'Private-Use', 'RFC 1918', 'private'),
    # The /24 is usable only through its more specific rows; the rest of it is reserved.
    Row('192.0.0.0/24', 'IETF Protocol Assignments', 'RFC 6890', 'reserved'),
    Row('192.0.0.0/29', 'IPv4 Service Continuity Prefix', 'RFC 7335', 'reserved'),
    Row('192.0.0.8/32', 'IPv4 dummy address', 'RFC 7600', 'reserved'),
    Row('192.0.0.9/32', 'Port Control Protocol Anycast', 'RFC 7723', 'public'),
    Row('192.0.0.10/32', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', 'public'),
    Row('192.0.0.170/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050', 'reserved'),
    Row('192.0.0.171/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050', 'reserved'),
    Row('192.0.2.0/24', 'Documentation (TEST-NET-1)', 'RFC 5737', 'documentation'),
    Row('192.31.196.0/24', 'AS112-v4', 'RFC 7535', 'public'),
    Row('192.52.193.0/24', 'AMT', 'RFC 7450', 'public'),
    # Globally Reachable N/A: the 6to4 relay anycast was deprecated and the row terminated in 2015;
    # no host holds these addresses as its own any more, so they are not public.
    Row('192.88.99.0/24', 'Deprecated (6to4 Relay Anycast)', 'RFC 7526', 'reserved'),
    Row('192.88.99.2/32', '6a44-relay anycast address', 'RFC 6751', 'reserved'),
    Row('192.168.0.0/16', 'Private-Use', 'RFC 1918', 'private'),
    Row('192.175.48.0/24', 'Direct Delegation AS112 Service', 'RFC 7534', 'public'),
    Row('198.18.0.0/15', 'Benchmarking', 'RFC 2544', 'benchmarking'),
    Row('198.51.100.0/24', 'Documentation (TEST-NET-2)', 'RFC 5737', 'documentation'),
    Row('203.0.113.0/24', 'Documentation (TEST-NET-3)', 'RFC 5737', 'documentation'),
    # Not a special-purpose row: from the IPv4 Multicast Address Space registry.
    Row('224.0.0.0/4', 'Multicast', 'RFC 5771', 'multicast'),
    Row('240.0.0.0/4', 'Reserved', 'RFC 1112', 'reserved'),
    Row('255.255.255.255/32', 'Limited Broadcast', 'RFC 8190, RFC 919', 'reserved'),
)

# An IPv4-mapped address is answered by its IPv4 address (see lookup_packed), so the lookup never
# returns this row; its class is the registry's verdict on the block as such.
MAPPED_V4 = Row('::ffff:0:0/96', 'IPv4-mapped Address', 'RFC 4291', 'reserved')

# iana-ipv6-special-registry as of 2025-10. The IPv4-compatible block ::/96 is no longer a row,
# so those addresses (other than :: and ::1) are 'public' like any other unlisted address.
ROWS_V6 = (
    Row('::/128', 'Unspecified Address', 'RFC 4291', 'unspecified'),
    Row('::1/128', 'Loopback Address', 'RFC 4291', 'loopback'),
    MAPPED_V4,
    Row('64:ff9b::/96', 'IPv4-IPv6 Translat.', 'RFC 6052', 'public'),
    Row('64:ff9b:1::/48', 'IPv4-IPv6 Translat.', 'RFC 8215', 'reserved'),
    Row('100::/64', 'Discard-Only Address Block', 'RFC 6666', 'reserved'),
    Row('100:0:0:1::/64', 'Dummy IPv6 Prefix', 'RFC 9780', 'reserved'),
    Row('2001::/23', 'IETF Protocol Assignments', 'RFC 2928', 'reserved'),
    # Globally Reachable N/A: a Teredo address is a host on the public internet, reached through
    # a tunnel over its public IPv4 server, so it is public.
    Row('2001::/32', 'TEREDO', 'RFC 4380, RFC 8190', 'public'),
    Row('2001:1::1/128', 'Port Control Protocol Anycast', 'RFC 7723', 'public'),
    Row('2001:1::2/128', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', 'public'),
    Row('2001:1::3/128', 'DNS-SD Service Registration Protocol Anycast', 'RFC 9665', 'public'),
    Row('2001:2::/48', 'Benchmarking', 'RFC 5180', 'benchmarking'),
    Row('2001:3::/32', 'AMT', 'RFC 7450', 'public'),
    Row('2001:4:112::/48', 'AS112-v6', 'RFC 7535', 'public'),
    # Globally Reachable N/A: ORCHID was deprecated and the row terminated in 2014; what is left
    # is an unused part of the non-global 2001::/23, so reserved like its parent.
    Row('2001:10::/28', 'Deprecated (previously ORCHID)', 'RFC 4843', 'reserved'),
    Row('2001:20::/28', 'ORCHIDv2', 'RFC 7343', 'public'),
    Row('2001:30::/28', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', 'RFC 9374', 'public'),
    Row('2001:db8::/32', 'Documentation', 'RFC 3849', 'documentation'),
    # Globally Reachable N/A: like Teredo, a 6to4 address is a public host behind a tunnel.
    Row('2002::/16', '6to4', 'RFC 3056', 'public'),
    Row('2620:4f:8000::/48', 'Direct Delegation AS112 Service', 'RFC 7534', 'public'),
    Row('3fff::/20', 'Documentation', 'RFC 9637', 'documentation'),
    Row('5f00::/16', 'Segment Routing (SRv6) SIDs', 'RFC 9602', 'reserved'),
    Row('fc00::/7', 'Unique-Local', 'RFC 4193, RFC 8190', 'unique_local'),
    Row('fe80::/10', 'Link-Local Unicast', 'RFC 4291', 'link_local'),
    # Not a special-purpose row: from the IPv6 Multicast Address Space registry.
    Row('ff00::/8', 'Multicast', 'RFC 4291', 'multicast'),
)

# A bucket is (levels, default): levels is ((shift, {address >> shift: Row}), ...) from the
# longest prefix down, for the rows longer than the bucket; default is the longest row covering
# the whole bucket, or None. Buckets are keyed by the top 8 (IPv4) or 16 (IPv6) bits, so most
# public addresses cost one index and no dict probes.
_MISS = ((), None)
_STRIDE4 = 8
_STRIDE6 = 16
_MAPPED_HIGH = 0xffff  # value >> 32 of every address in ::ffff:0:0/96


def _parse(family, prefix):
    """Return (network as int, prefix length) of a CIDR string."""
    text, _sep, length = prefix.partition('/')
    return int.from_bytes(socket.inet_pton(family, text), 'big'), int(length)


def _buckets(rows, family, bits, stride):
    """Build {top stride bits: bucket} for one family."""
    covering = []
    nested = {}
    for row in rows:
        network, length = _parse(family, row.prefix)
        if length <= stride:
            covering.append((length, network >> (bits - stride), row))
        else:
            levels = nested.setdefault(network >> (bits - stride), {})
            levels.setdefault(length, {})[network >> (bits - length)] = row
    buckets = {}
    # Shortest first, so a longer covering row overwrites the one it sits in.
    for length, first, row in sorted(covering, key=lambda item: item[0]):
        buckets.update(dict.fromkeys(range(first, first + (1 << (stride - length))), ((), row)))
    for key, levels in nested.items():
        ordered = tuple((bits - length, levels[length]) for length in sorted(levels, reverse=True))
        buckets[key] = (ordered, buckets.get(key, _MISS)[1])
    return buckets


def _build():
    """Return the IPv4 buckets as a 256-tuple and the IPv6 buckets as a dict."""
    by_octet = _buckets(ROWS_V4, socket.AF_INET, 32, _STRIDE4)
    rows_v6 = tuple(row for row in ROWS_V6 if row is not MAPPED_V4)
    return (tuple([by_octet.get(octet, _MISS) for octet in range(256)]),
            _buckets(rows_v6, socket.AF_INET6, 128, _STRIDE6))


_BUCKETS4, _BUCKETS6 = _build()


def lookup_packed(packed):
    """Return the Row that decides the class of a packed address, or None for a plain public one.

    An IPv4-mapped IPv6 address gets the row of its IPv4 address.
    """
    size = len(packed)
    value = int.from_bytes(packed, 'big')
    if size == 4:
        levels, row = _BUCKETS4[value >> 24]
    elif size == 16:
        if value >> 32 == _MAPPED_HIGH:
            value &= 0xffffffff
            levels, row = _BUCKETS4[value >> 24]
        else:
            levels, row = _BUCKETS6.get(value >> 112, _MISS)
    else:
        raise ValueError('a packed IP address is 4 or 16 bytes long, not %d' % size)
    for shift, table in levels:
        hit = table.get(value >> shift)
        if hit is not None:
            return hit
    return row


def classify_packed(packed):
    """Return the class of a packed address (4 or 16 bytes, network order)."""
    row = lookup_packed(packed)
    return 'public' if row is None else row.cls


def _pack(text):
    """Return the packed form of a text address; an IPv6 ``%zone`` suffix is ignored.

    Raises ValueError naming the value for anything that is not a single address.
    """
    if isinstance(text, str):
        address, percent, zone = text.partition('%')
        family = socket.AF_INET6 if ':' in address else socket.AF_INET
        # A zone only belongs on IPv6, and an empty one is a typo.
        if not percent or (zone and family == socket.AF_INET6):
            try:
                return socket.inet_pton(family, address)
            except (OSError, ValueError):
                pass
    raise ValueError('not an IP address: %r' % (text,))


def classify(text):
    """Return the class of a text address (IPv4, or IPv6 with an optional ``%zone``)."""
    return classify_packed(_pack(text))
