# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.classify: every registry row's edges, known answers, bad input, and properties."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import ipaddress
import random
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netifs import classify

ALL_ROWS = classify.ROWS_V4 + classify.ROWS_V6
MAPPED = ipaddress.ip_network('::ffff:0:0/96')
NETWORKS = [(ipaddress.ip_network(row.prefix), row) for row in ALL_ROWS]


def reference_row(address):
    """The deciding row by the ipaddress module and a linear scan of the table."""
    if address.version == 6 and address in MAPPED:
        address = address.ipv4_mapped
    best = None
    for network, row in NETWORKS:
        if network.version == address.version and address in network:
            if best is None or network.prefixlen > best[0].prefixlen:
                best = (network, row)
    return None if best is None else best[1]


def reference_class(address):
    row = reference_row(address)
    return 'public' if row is None else row.cls


# For every row, hard-coded from the registries: the class of the address just below the prefix,
# its first address, its last address, and the address just above (None: off the address space).
EDGES = {
    '0.0.0.0/8': (None, 'unspecified', 'reserved', 'public'),
    '0.0.0.0/32': (None, 'unspecified', 'unspecified', 'reserved'),
    '10.0.0.0/8': ('public', 'private', 'private', 'public'),
    '100.64.0.0/10': ('public', 'shared', 'shared', 'public'),
    '127.0.0.0/8': ('public', 'loopback', 'loopback', 'public'),
    '169.254.0.0/16': ('public', 'link_local', 'link_local', 'public'),
    '172.16.0.0/12': ('public', 'private', 'private', 'public'),
    '192.0.0.0/24': ('public', 'reserved', 'reserved', 'public'),
    '192.0.0.0/29': ('public', 'reserved', 'reserved', 'reserved'),
    '192.0.0.8/32': ('reserved', 'reserved', 'reserved', 'public'),
    '192.0.0.9/32': ('reserved', 'public', 'public', 'public'),
    '192.0.0.10/32': ('public', 'public', 'public', 'reserved'),
    '192.0.0.170/32': ('reserved', 'reserved', 'reserved', 'reserved'),
    '192.0.0.171/32': ('reserved', 'reserved', 'reserved', 'reserved'),
    '192.0.2.0/24': ('public', 'documentation', 'documentation', 'public'),
    '192.31.196.0/24': ('public', 'public', 'public', 'public'),
    '192.52.193.0/24': ('public', 'public', 'public', 'public'),
    '192.88.99.0/24': ('public', 'reserved', 'reserved', 'public'),
    '192.88.99.2/32': ('reserved', 'reserved', 'reserved', 'reserved'),
    '192.168.0.0/16': ('public', 'private', 'private', 'public'),
    '192.175.48.0/24': ('public', 'public', 'public', 'public'),
    '198.18.0.0/15': ('public', 'benchmarking', 'benchmarking', 'public'),
    '198.51.100.0/24': ('public', 'documentation', 'documentation', 'public'),
    '203.0.113.0/24': ('public', 'documentation', 'documentation', 'public'),
    '224.0.0.0/4': ('public', 'multicast', 'multicast', 'reserved'),
    '240.0.0.0/4': ('multicast', 'reserved', 'reserved', None),
    '255.255.255.255/32': ('reserved', 'reserved', 'reserved', None),
    '::/128': (None, 'unspecified', 'unspecified', 'loopback'),
    '::1/128': ('unspecified', 'loopback', 'loopback', 'public'),
    # First and last are ::ffff:0.0.0.0 and ::ffff:255.255.255.255: their IPv4 classes.
    '::ffff:0:0/96': ('public', 'unspecified', 'reserved', 'public'),
    '64:ff9b::/96': ('public', 'public', 'public', 'public'),
    '64:ff9b:1::/48': ('public', 'reserved', 'reserved', 'public'),
    '100::/64': ('public', 'reserved', 'reserved', 'reserved'),
    '100:0:0:1::/64': ('reserved', 'reserved', 'reserved', 'public'),
    # 2001:: itself is Teredo.
    '2001::/23': ('public', 'public', 'reserved', 'public'),
    '2001::/32': ('public', 'public', 'public', 'reserved'),
    '2001:1::1/128': ('reserved', 'public', 'public', 'public'),
    '2001:1::2/128': ('public', 'public', 'public', 'public'),
    '2001:1::3/128': ('public', 'public', 'public', 'reserved'),
    '2001:2::/48': ('reserved', 'benchmarking', 'benchmarking', 'reserved'),
    '2001:3::/32': ('reserved', 'public', 'public', 'reserved'),
    '2001:4:112::/48': ('reserved', 'public', 'public', 'reserved'),
    '2001:10::/28': ('reserved', 'reserved', 'reserved', 'public'),
    '2001:20::/28': ('reserved', 'public', 'public', 'public'),
    '2001:30::/28': ('public', 'public', 'public', 'reserved'),
    '2001:db8::/32': ('public', 'documentation', 'documentation', 'public'),
    '2002::/16': ('public', 'public', 'public', 'public'),
    '2620:4f:8000::/48': ('public', 'public', 'public', 'public'),
    '3fff::/20': ('public', 'documentation', 'documentation', 'public'),
    '5f00::/16': ('public', 'reserved', 'reserved', 'public'),
    'fc00::/7': ('public', 'unique_local', 'unique_local', 'public'),
    'fe80::/10': ('public', 'link_local', 'link_local', 'public'),
    'ff00::/8': ('public', 'multicast', 'multicast', None),
}

KNOWN = [
    ('8.8.8.8', 'public'),
    ('10.0.0.1', 'private'),
    ('172.31.255.255', 'private'),
    ('172.32.0.0', 'public'),
    ('100.64.0.1', 'shared'),
    ('169.254.1.1', 'link_local'),
    ('127.0.0.1', 'loopback'),
    ('0.0.0.0', 'unspecified'),
    ('::1', 'loopback'),
    ('::', 'unspecified'),
    ('fe80::1%eth0', 'link_local'),
    ('FE80::1', 'link_local'),
    ('fd00::1', 'unique_local'),
    ('ff02::1', 'multicast'),
    ('2001:db8::1', 'documentation'),
    ('3fff::1', 'documentation'),
    ('198.18.0.1', 'benchmarking'),
    ('::ffff:10.1.2.3', 'private'),
    ('::ffff:8.8.8.8', 'public'),
    ('::ffff:127.0.0.1', 'loopback'),
    ('::ffff:0.0.0.0', 'unspecified'),
    ('240.0.0.1', 'reserved'),
    ('255.255.255.255', 'reserved'),
    ('192.0.0.9', 'public'),
    ('192.0.0.10', 'public'),
    ('192.0.0.11', 'reserved'),
    ('2606:4700::1', 'public'),
    ('224.0.0.1', 'multicast'),
    ('0.1.2.3', 'reserved'),
    ('64:ff9b::8.8.8.8', 'public'),
    ('64:ff9b:1::1', 'reserved'),
    ('100::1', 'reserved'),
    ('100:0:0:1::1', 'reserved'),
    ('2001:2::1', 'benchmarking'),
    ('2001:3::1', 'public'),
    ('2001:4:112::1', 'public'),
    ('2001:20::1', 'public'),
    ('2001:30::1', 'public'),
    ('2001:1ff::1', 'reserved'),
    ('5f00::1', 'reserved'),
    ('fec0::1', 'public'),
    # IPv4-compatible ::a.b.c.d is not a registry row any more: only :: and ::1 are special.
    ('::10.0.0.1', 'public'),
]

# The rows whose Globally Reachable is N/A, and what the module decided for them.
NOT_APPLICABLE = [
    ('2001::/32', 'public'),
    ('2002::/16', 'public'),
    ('192.88.99.0/24', 'reserved'),
    ('2001:10::/28', 'reserved'),
]

BAD_TEXT = [
    '10.0.0.0/8', 'host.example', '', '1.2.3', '1.2.3.4.5', '256.0.0.1', ' 1.2.3.4', '1.2.3.4\n',
    '1.2.3.4%eth0', 'fe80::1%', '::ffff:1.2.3', 'fe80::1::2', '2001:db8::/32', '%eth0',
    'fe80::1\x00', u'1.2.3.\u0664', None, b'1.2.3.4', 167772161,
]


def address_at(row, offset):
    """The address offset into the row's prefix (negative or past the end allowed)."""
    network = ipaddress.ip_network(row.prefix)
    return network.network_address + offset


def edges(row):
    """The (below, first, last, above) addresses of a row; None off the address space."""
    network = ipaddress.ip_network(row.prefix)
    first, last = network.network_address, network.broadcast_address
    below = None if int(first) == 0 else first - 1
    above = None if int(last) == (1 << network.max_prefixlen) - 1 else last + 1
    return below, first, last, above


def class_of(address):
    return None if address is None else classify.classify_packed(address.packed)


def test_classes():
    assert classify.CLASSES == (
        'unspecified', 'loopback', 'link_local', 'private', 'shared', 'unique_local',
        'multicast', 'documentation', 'benchmarking', 'reserved', 'public',
    )


def test_row_fields():
    assert classify.Row._fields == ('prefix', 'name', 'rfc', 'cls')


@pytest.mark.parametrize('row', ALL_ROWS, ids=lambda row: row.prefix)
def test_row_is_well_formed(row):
    network = ipaddress.ip_network(row.prefix)  # strict: host bits would raise
    assert str(network) == row.prefix
    assert row.cls in classify.CLASSES
    assert row.name and row.rfc.startswith('RFC ')


def test_rows_are_per_family_and_unique():
    assert all(ipaddress.ip_network(row.prefix).version == 4 for row in classify.ROWS_V4)
    assert all(ipaddress.ip_network(row.prefix).version == 6 for row in classify.ROWS_V6)
    prefixes = [row.prefix for row in ALL_ROWS]
    assert len(prefixes) == len(set(prefixes))


def test_every_row_has_hard_coded_edges():
    assert sorted(EDGES) == sorted(row.prefix for row in ALL_ROWS)


@pytest.mark.parametrize('row', ALL_ROWS, ids=lambda row: row.prefix)
def test_row_edges_hard_coded(row):
    assert tuple(class_of(address) for address in edges(row)) == EDGES[row.prefix]


@pytest.mark.parametrize('row', ALL_ROWS, ids=lambda row: row.prefix)
def test_row_edges_attribution(row):
    below, first, last, above = edges(row)
    network = ipaddress.ip_network(row.prefix)
    for address in (first, last):
        found = classify.lookup_packed(address.packed)
        assert found == reference_row(address)
        if row is classify.MAPPED_V4:
            # Answered by the embedded IPv4 address, never by the mapped row itself.
            assert found != row
            continue
        # The row itself, or a more specific row inside it.
        assert found == row or ipaddress.ip_network(found.prefix).subnet_of(network)
        if found == row:
            assert classify.classify_packed(address.packed) == row.cls
    for address in (below, above):
        if address is None:
            continue
        found = classify.lookup_packed(address.packed)
        assert found != row
        assert found == reference_row(address)
        assert classify.classify_packed(address.packed) == reference_class(address)


@pytest.mark.parametrize('row', ALL_ROWS, ids=lambda row: row.prefix)
def test_row_edges_text(row):
    """The text path agrees with the packed path at each row's edges."""
    for address in edges(row):
        if address is not None:
            assert classify.classify(str(address)) == class_of(address)


def test_rows_own_their_addresses():
    """All but the nested first addresses and the mapped row answer for their own edges."""
    not_own = set()
    for row in ALL_ROWS:
        for which, address in zip(('first', 'last'), edges(row)[1:3]):
            if classify.lookup_packed(address.packed) != row:
                not_own.add((row.prefix, which))
    assert not_own == {
        ('0.0.0.0/8', 'first'), ('192.0.0.0/24', 'first'), ('240.0.0.0/4', 'last'),
        ('2001::/23', 'first'), ('::ffff:0:0/96', 'first'), ('::ffff:0:0/96', 'last'),
    }


@pytest.mark.parametrize('text, expected', KNOWN)
def test_known(text, expected):
    assert classify.classify(text) == expected


@pytest.mark.parametrize('prefix, expected', NOT_APPLICABLE)
def test_not_applicable_rows(prefix, expected):
    row = [row for row in ALL_ROWS if row.prefix == prefix][0]
    assert row.cls == expected
    assert classify.classify_packed(address_at(row, 1).packed) == expected


def test_zone_is_ignored():
    assert classify.classify('fe80::1%eth0') == classify.classify('fe80::1')
    assert classify.classify('2001:db8::1%3') == 'documentation'


def test_lookup_rows():
    assert classify.lookup_packed(socket.inet_pton(socket.AF_INET, '8.8.8.8')) is None
    assert classify.lookup_packed(socket.inet_pton(socket.AF_INET6, '2606:4700::1')) is None
    row = classify.lookup_packed(socket.inet_pton(socket.AF_INET, '192.0.0.9'))
    assert row == classify.Row('192.0.0.9/32', 'Port Control Protocol Anycast', 'RFC 7723', 'public')
    assert classify.lookup_packed(socket.inet_pton(socket.AF_INET6, 'fe80::1')).prefix == 'fe80::/10'


def test_mapped_gets_ipv4_row():
    mapped = classify.lookup_packed(socket.inet_pton(socket.AF_INET6, '::ffff:10.1.2.3'))
    assert mapped == classify.lookup_packed(socket.inet_pton(socket.AF_INET, '10.1.2.3'))
    assert mapped.prefix == '10.0.0.0/8'
    assert classify.lookup_packed(socket.inet_pton(socket.AF_INET6, '::ffff:8.8.8.8')) is None


@pytest.mark.parametrize('value', BAD_TEXT, ids=repr)
def test_bad_text(value):
    with pytest.raises(ValueError) as info:
        classify.classify(value)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize('size', [0, 1, 3, 5, 8, 15, 17, 32])
def test_bad_packed_length(size):
    with pytest.raises(ValueError, match=r'\b%d\b' % size):
        classify.classify_packed(b'\x01' * size)
    with pytest.raises(ValueError, match=r'\b%d\b' % size):
        classify.lookup_packed(b'\x01' * size)


def test_buckets_nested_covering_rows():
    """Rows at or above the bucket size nest too: today's tables have none, a future row may."""
    outer = classify.Row('8.0.0.0/5', 'outer', 'RFC 0', 'reserved')
    inner = classify.Row('10.0.0.0/7', 'inner', 'RFC 0', 'private')
    deep = classify.Row('10.1.0.0/16', 'deep', 'RFC 0', 'documentation')
    buckets = classify._buckets((inner, deep, outer), socket.AF_INET, 32, 8)
    assert buckets[8] == ((), outer)
    assert buckets[11] == ((), inner)
    levels, default = buckets[10]
    assert default == inner
    assert levels == ((16, {0x0a01: deep}),)


def test_packed_accepts_bytearray():
    assert classify.classify_packed(bytearray(b'\x0a\x00\x00\x01')) == 'private'


def test_imports_only_stdlib():
    """The module imports no ipaddress (too slow for the packed path) and nothing outside stdlib."""
    with open(classify.__file__) as source:
        tree = ast.parse(source.read())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported == {'__future__', 'collections', 'socket'}


@pytest.mark.parametrize('row', ALL_ROWS, ids=lambda row: row.prefix)
def test_seeded_sample_inside_row(row):
    network = ipaddress.ip_network(row.prefix)
    rng = random.Random(row.prefix)
    for _unused in range(64):
        address = network.network_address + rng.randrange(network.num_addresses)
        assert classify.lookup_packed(address.packed) == reference_row(address)
        assert classify.classify_packed(address.packed) == reference_class(address)


@settings(max_examples=500, deadline=None)
@given(st.binary(min_size=4, max_size=4) | st.binary(min_size=16, max_size=16))
def test_property_random_packed(packed):
    family = socket.AF_INET if len(packed) == 4 else socket.AF_INET6
    cls = classify.classify_packed(packed)
    assert cls in classify.CLASSES
    assert cls == classify.classify(socket.inet_ntop(family, packed))
    assert cls == reference_class(ipaddress.ip_address(packed))


@st.composite
def inside_a_row(draw):
    row = draw(st.sampled_from(ALL_ROWS))
    network = ipaddress.ip_network(row.prefix)
    return network.network_address + draw(st.integers(0, network.num_addresses - 1))


@settings(max_examples=1000, deadline=None)
@given(inside_a_row())
def test_property_inside_rows(address):
    assert classify.lookup_packed(address.packed) == reference_row(address)
    assert classify.classify_packed(address.packed) == reference_class(address)
    assert classify.classify(str(address)) == reference_class(address)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=4, max_size=4))
def test_property_mapped_equals_ipv4(packed):
    mapped = b'\x00' * 10 + b'\xff\xff' + packed
    assert classify.lookup_packed(mapped) == classify.lookup_packed(packed)
    assert classify.classify_packed(mapped) == classify.classify_packed(packed)
