# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.iphlpapi: IP Helper memory built with ctypes as the API lays it out (x64)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import json
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import iphlpbuild as b

from netifs import iphlpapi as ip
from fakes import tables_ways
from netifs import links, outbound
from netifs.errors import ParseError
from netifs.snapshot import Snapshot

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(name="arena")
def arena_fixture():
    return b.Arena()


def by_address(records):
    return {r["address"]: r for r in records}


def by_destination(records):
    return {(r["destination"], r["interface"]): r for r in records}


@pytest.mark.parametrize("layout, size", [
    (ip.IP_ADAPTER_ADDRESSES_LH, 448), (ip.IP_ADAPTER_UNICAST_ADDRESS_LH, 64), (ip.IP_ADAPTER_MULTICAST_ADDRESS_XP, 32),
    (ip.SOCKET_ADDRESS, 16), (ip.SOCKADDR_INET, 28), (ip.IP_ADDRESS_PREFIX, 32), (ip.MIB_IPFORWARD_ROW2, 104),
    (ip.MIB_IPINTERFACE_ROW, 168), (ip.MIB_IF_ROW2, 1352),
])
def test_sizes_are_the_sdks_x64_sizes(layout, size):
    assert ctypes.sizeof(layout) == size


def test_offsets_the_walkers_rely_on():
    assert ip.IP_ADAPTER_ADDRESSES_LH.FirstGatewayAddress.offset == 208
    assert ip.IP_ADAPTER_ADDRESSES_LH.Ipv6IfIndex.offset == 108
    assert ip.IP_ADAPTER_UNICAST_ADDRESS_LH.OnLinkPrefixLength.offset == 56
    assert ip.MIB_IPFORWARD_ROW2.NextHop.offset == 44 and ip.MIB_IPFORWARD_ROW2.Metric.offset == 84
    assert ip.MIB_IPINTERFACE_ROW.Metric.offset == 148
    assert ip.MIB_IF_ROW2.InOctets.offset == 1208
    for table in (ip.MIB_IPFORWARD_TABLE2, ip.MIB_IPINTERFACE_TABLE, ip.MIB_IF_TABLE2):
        assert table.Table.offset == 8


def test_links_of_a_host(arena):
    links, _addresses, _groups, _gateways = ip.adapters(b.host_adapters(arena))
    ethernet, wifi, loopback, tunnel = links
    assert ethernet["name"] == "Ethernet 2" and ethernet["index"] == 7
    assert ethernet["altnames"] == [b.ETHERNET_GUID.decode()]
    assert ethernet["alias"] == "Intel(R) Ethernet Connection I219-LM"
    assert (ethernet["type"], ethernet["mac"], ethernet["mtu"]) == ("ether", "00:15:5d:01:02:03", 1500)
    assert ethernet["flags"] == ["up", "running", "multicast"] and ethernet["oper_state"] == "up"
    assert wifi["type"] == "ether"  # IF_TYPE_IEEE80211 carries Ethernet frames, as wlan0 on Linux
    assert (loopback["type"], loopback["mac"], loopback["mtu"]) == ("loopback", None, None)
    assert loopback["flags"] == ["up", "loopback", "running", "multicast"]
    # IPv4 off: IfIndex is 0 and the index is Ipv6IfIndex; no MAC; IP_ADAPTER_NO_MULTICAST.
    assert (tunnel["index"], tunnel["type"], tunnel["mac"], tunnel["flags"]) == (14, "tunnel", None, [])
    assert tunnel["oper_state"] == "dormant"
    assert set(links[0]) == set(ip.stub_link(1, b"x"))  # the shape of every backend's link record


def test_addresses_of_a_host(arena):
    _links, addresses, _groups, _gateways = ip.adapters(b.host_adapters(arena))
    found = by_address(addresses)
    local = found["fe80::215:5dff:fe01:203"]
    assert (local["index"], local["scope"], local["prefixlen"], local["zone"]) == (7, "link", 64, None)
    assert found["2001:db8:1::10"]["preferred_lifetime"] == 14400 and found["2001:db8:1::10"]["valid_lifetime"] == 86400
    assert found["2001:db8:1::bad"]["flags"] == ["tentative"]
    assert found["2001:db8:1::d0d"]["flags"] == ["deprecated"]
    v4 = found["192.168.1.10"]
    assert (v4["network"], v4["broadcast"], v4["scope"], v4["class"]) == ("192.168.1.0/24", "192.168.1.255", "global", "private")
    assert found["127.0.0.1"]["scope"] == "host" and found["::1"]["scope"] == "host"
    assert found["2001:0:2851:782c:1c2e:3cf6:3f57:fef5"]["index"] == 14
    assert found["10.0.0.5"]["preferred_lifetime"] is None  # 0xffffffff: forever


def test_multicast_and_gateways(arena):
    _links, _addresses, groups, gateways = ip.adapters(b.host_adapters(arena))
    assert groups == [{"index": 7, "address": "ff02::1", "family": 6}, {"index": 7, "address": "ff02::1:ff01:203", "family": 6},
                      {"index": 7, "address": "224.0.0.1", "family": 4}]
    assert gateways == [{"index": 7, "address": "fe80::1", "family": 6, "metric": 25},
                        {"index": 7, "address": "192.168.1.1", "family": 4, "metric": 25},
                        {"index": 9, "address": "10.0.0.1", "family": 4, "metric": 35}]


def test_duplicate_address_is_dadfailed(arena):
    first = arena.chain([b.adapter(arena, 3, u"Ethernet", b"{G}", unicasts=[b.unicast(arena, "192.0.2.9", 24, dad=b.DAD_DUPLICATE)])])
    assert ip.adapters(first)[1][0]["flags"] == ["dadfailed"]


def test_names(arena):
    nodes = [b.adapter(arena, 2, None, b"{NO-FRIENDLY-NAME}"), b.adapter(arena, 3, u"Ethernet \u00e9", b"{E}"),
             b.adapter(arena, 4, u"bad \ud800 name", b"{S}")]
    links = ip.adapters(arena.chain(nodes))[0]
    assert (links[0]["name"], links[0]["altnames"]) == ("{NO-FRIENDLY-NAME}", [])
    assert links[1]["name"] == u"Ethernet \u00e9" and "name_bytes" not in links[1]
    assert links[2]["name"] == "bad \\xed\\xa0\\x80 name" and links[2]["name_bytes"] == (u"bad ".encode() + b"\xed\xa0\x80 name").hex()
    json.dumps(links)


def test_adapter_name_that_is_not_ascii(arena):
    # Found by fuzzing: AdapterName is a char string; a byte above 0x7f must not break the walk.
    nodes = [b.adapter(arena, 2, u"x", b"{\xff\xfe}"), b.adapter(arena, 3, None, b"{\xc3\xa9}")]
    links = ip.adapters(arena.chain(nodes))[0]
    assert links[0]["altnames"] == ["{\\xff\\xfe}"]
    assert (links[1]["name"], links[1]["altnames"]) == (u"{\u00e9}", [])


def test_unknown_if_type_and_oper_status_are_numbers(arena):
    link = ip.adapters(arena.chain([b.adapter(arena, 2, u"x", b"{X}", if_type=53, oper=9)]))[0][0]
    assert (link["type"], link["oper_state"], link["flags"]) == ("53", "9", ["multicast"])


def test_physical_address_length_is_bounded(arena):
    node = b.adapter(arena, 2, u"x", b"{X}", mac=b"\x02" * 8)
    node.PhysicalAddressLength = 200
    assert ip.adapters(arena.chain([node]))[0][0]["mac"] == ":".join(["02"] * 8)


# Malformed input: entries skipped with a warning (or raised without a warnings list); a walk
# that cannot go on is a ParseError.

def test_unicast_of_unknown_family_is_skipped(arena):
    bad = b.unicast(arena, "192.0.2.1", 24)
    bad.Address = arena.sockaddr("192.0.2.1", family=99)
    first = arena.chain([b.adapter(arena, 2, u"x", b"{X}", unicasts=[bad, b.unicast(arena, "192.0.2.2", 24)])])
    warnings = []
    links, addresses, _groups, _gateways = ip.adapters(first, warnings=warnings)
    assert [a["address"] for a in addresses] == ["192.0.2.2"] and len(links) == 1
    assert "family 99" in warnings[0]
    with pytest.raises(ParseError, match="family 99"):
        ip.adapters(first)


@pytest.mark.parametrize("text, prefixlen", [("192.0.2.1", 33), ("2001:db8::1", 129), ("192.0.2.1", 255)])
def test_prefix_length_beyond_the_family_is_skipped(arena, text, prefixlen):
    first = arena.chain([b.adapter(arena, 2, u"x", b"{X}", unicasts=[b.unicast(arena, text, prefixlen)])])
    warnings = []
    assert ip.adapters(first, warnings=warnings)[1] == []
    assert "prefix length %d" % prefixlen in warnings[0]


def test_short_sockaddr_and_null_sockaddr_are_skipped(arena):
    short = b.unicast(arena, "2001:db8::1", 64)
    short.Address = arena.sockaddr("2001:db8::1", length=16)
    null = b.unicast(arena, "192.0.2.1", 24)
    null.Address.lpSockaddr = None
    first = arena.chain([b.adapter(arena, 2, u"x", b"{X}", unicasts=[short, null], groups=["ff02::1"])])
    warnings = []
    _links, addresses, groups, _gateways = ip.adapters(first, warnings=warnings)
    assert addresses == [] and len(groups) == 1
    assert "in 16 bytes" in warnings[0] and "null pointer" in warnings[1]


def test_unicast_length_smaller_than_the_structure_ends_that_list(arena):
    first = arena.chain([b.adapter(arena, 2, u"x", b"{X}", unicasts=[b.unicast(arena, "192.0.2.1", 24, length=48)],
                                   gateways=["192.0.2.254"])])
    warnings = []
    _links, addresses, _groups, gateways = ip.adapters(first, warnings=warnings)
    assert addresses == [] and len(gateways) == 1
    assert "Length 48" in warnings[0]


def test_adapter_length_smaller_than_the_structure_is_an_error(arena):
    # An IP_ADAPTER_ADDRESSES_XP (Windows XP's 184 bytes) has no gateways or metrics.
    first = arena.chain([b.adapter(arena, 2, u"x", b"{X}", length=184)])
    with pytest.raises(ParseError, match="Length 184"):
        ip.adapters(first, warnings=[])


def test_a_list_that_loops_is_an_error(arena):
    first = arena.chain([b.adapter(arena, 2, u"x", b"{X}"), b.adapter(arena, 3, u"y", b"{Y}")])
    second = arena.view(first, ip.IP_ADAPTER_ADDRESSES_LH).Next
    arena.view(second, ip.IP_ADAPTER_ADDRESSES_LH).Next = first
    with pytest.raises(ParseError, match="loops"):
        ip.adapters(first, warnings=[])


def test_a_unicast_list_that_loops_ends_with_a_warning(arena):
    node = b.unicast(arena, "192.0.2.1", 24)
    first_unicast = arena.put(node)
    arena.view(first_unicast, ip.IP_ADAPTER_UNICAST_ADDRESS_LH).Next = first_unicast
    adapter = b.adapter(arena, 2, u"x", b"{X}")
    adapter.FirstUnicastAddress = first_unicast
    warnings = []
    addresses = ip.adapters(arena.chain([adapter]), warnings=warnings)[1]
    assert [a["address"] for a in addresses] == ["192.0.2.1"] and "loops" in warnings[0]


def test_lists_sharing_nodes_are_cut(arena):
    # No two lists share nodes; revisiting them would repeat records without bound.
    first = arena.chain([b.adapter(arena, 2, u"x", b"{X}", unicasts=[b.unicast(arena, "192.0.2.1", 24)]),
                         b.adapter(arena, 3, u"y", b"{Y}")])
    second = arena.view(first, ip.IP_ADAPTER_ADDRESSES_LH).Next
    arena.view(second, ip.IP_ADAPTER_ADDRESSES_LH).FirstUnicastAddress = arena.view(first, ip.IP_ADAPTER_ADDRESSES_LH).FirstUnicastAddress
    warnings = []
    links, addresses, _groups, _gateways = ip.adapters(first, warnings=warnings)
    assert len(links) == 2 and [a["index"] for a in addresses] == [2]
    assert "loops back" in warnings[0]


def test_adapter_without_index_or_name_is_skipped(arena):
    no_index = b.adapter(arena, 0, u"x", b"{X}", ipv6_index=0)
    no_name = b.adapter(arena, 3, u"y", b"{Y}")
    no_name.AdapterName = None
    first = arena.chain([no_index, no_name, b.adapter(arena, 4, u"z", b"{Z}")])
    warnings = []
    assert [link["index"] for link in ip.adapters(first, warnings=warnings)[0]] == [4]
    assert "neither IfIndex nor Ipv6IfIndex" in warnings[0] and "AdapterName" in warnings[1]


def test_unterminated_name_is_skipped(arena):
    node = b.adapter(arena, 2, u"x", b"{X}")
    node.FriendlyName = arena.put((ctypes.c_uint16 * 300)(*([0x41] * 300)))  # no NUL in IF_MAX_STRING_SIZE + 1
    warnings = []
    assert ip.adapters(arena.chain([node]), warnings=warnings)[0] == []
    assert "no terminator" in warnings[0]


def test_flat_memory_reads_are_bounded():
    arena = b.Arena(base=0x10000)
    first = b.host_adapters(arena)
    flat = arena.flat()
    links = ip.adapters(first, ip.Memory(flat, arena.base))[0]
    assert [link["name"] for link in links] == ["Ethernet 2", "Wi-Fi", "Loopback Pseudo-Interface 1",
                                                "Teredo Tunneling Pseudo-Interface"]
    with pytest.raises(ParseError, match="outside"):
        ip.adapters(first, ip.Memory(flat[:200], arena.base))


def test_address_of_accepts_pointers_and_objects(arena):
    node = b.adapter(arena, 2, u"x", b"{X}")
    first = arena.chain([node])
    view = arena.view(first, ip.IP_ADAPTER_ADDRESSES_LH)
    for handle in (first, ctypes.c_void_p(first), ctypes.pointer(view), view):
        assert ip.adapters(handle)[0][0]["name"] == "x"
    assert ip.adapters(None) == ([], [], [], [])


# Routes

def host_routes(arena, warnings=None):
    addresses = ip.adapters(b.host_adapters(arena))[1]
    metrics = ip.interface_metrics(b.metrics_table(arena))
    return ip.forward_rows(b.routes_table(arena), metrics, ip.local_kinds(addresses), warnings=warnings)


def test_interface_metrics(arena):
    assert ip.interface_metrics(b.metrics_table(arena)) == {
        (4, 7): 25, (4, 9): 35, (4, 1): 75, (6, 7): 25, (6, 9): 35, (6, 1): 75, (6, 14): 45}
    unknown = b.ip_interface(4, 5, 10)
    unknown.Family = 99
    assert ip.interface_metrics(b.table(arena, ip.MIB_IPINTERFACE_TABLE, [unknown])) == {}


def test_default_routes_carry_the_effective_metric(arena):
    routes = by_destination(host_routes(arena))
    first, second = routes[("0.0.0.0/0", 7)], routes[("0.0.0.0/0", 9)]
    assert (first["gateway"], first["metric"], first["protocol"], first["table"]) == ("192.168.1.1", 25, "netmgmt", 254)
    assert (second["gateway"], second["metric"]) == ("10.0.0.1", 35)
    assert first["nexthops"] == [{"gateway": "192.168.1.1", "interface": 7, "weight": 1, "flags": []}]
    v6 = routes[("::/0", 7)]
    assert (v6["gateway"], v6["metric"], v6["protocol"], v6["scope"]) == ("fe80::1", 281, "icmp", "global")


@pytest.mark.parametrize("destination, interface, rtype, scope", [
    ("192.168.1.0/24", 7, "unicast", "link"), ("192.168.1.10/32", 7, "local", "host"),
    ("192.168.1.255/32", 7, "broadcast", "link"), ("255.255.255.255/32", 7, "broadcast", "link"),
    ("224.0.0.0/4", 7, "multicast", "link"), ("127.0.0.0/8", 1, "local", "host"), ("127.0.0.1/32", 1, "local", "host"),
    ("127.255.255.255/32", 1, "broadcast", "link"), ("2001:db8:1::/64", 7, "unicast", "link"),
    ("2001:db8:1::10/128", 7, "local", "host"), ("::1/128", 1, "local", "host"), ("ff00::/8", 7, "multicast", "link"),
    ("10.0.0.5/32", 9, "local", "host"),
])
def test_route_types(arena, destination, interface, rtype, scope):
    route = by_destination(host_routes(arena))[(destination, interface)]
    assert (route["type"], route["scope"], route["gateway"]) == (rtype, scope, None)


def test_protocol_names(arena):
    routes = by_destination(host_routes(arena))
    assert routes[("10.0.0.0/8", 9)]["protocol"] == "nt_static"
    assert routes[("192.168.1.0/24", 7)]["protocol"] == "local"
    row = b.route("192.0.2.0", 24, 7, protocol=4242)
    assert ip.forward_rows(b.table(arena, ip.MIB_IPFORWARD_TABLE2, [row]))[0]["protocol"] == "4242"


def test_without_metrics_and_kinds(arena):
    routes = by_destination(ip.forward_rows(b.routes_table(arena)))
    assert routes[("0.0.0.0/0", 7)]["metric"] == 0
    assert routes[("192.168.1.10/32", 7)]["type"] == "unicast"  # not known as an own address


@pytest.mark.parametrize("row, words", [
    (b.route("192.0.2.0", 33, 7), "prefix length 33"),
    (b.route("2001:db8::", 200, 7), "prefix length 200"),
    (b.route("192.0.2.0", 24, 7, family=0), "family 0"),
    (b.route("192.0.2.0", 24, 7, family=99), "family 99"),
    (b.route("192.0.2.0", 24, 7, nexthop="2001:db8::1"), "IPv6 next hop"),
])
def test_malformed_route_rows_are_skipped(arena, row, words):
    rows = [row, b.route("198.51.100.0", 24, 7)]
    warnings = []
    routes = ip.forward_rows(b.table(arena, ip.MIB_IPFORWARD_TABLE2, rows), warnings=warnings)
    assert [r["destination"] for r in routes] == ["198.51.100.0/24"]
    assert words in warnings[0]
    with pytest.raises(ParseError, match=words):
        ip.forward_rows(b.table(arena, ip.MIB_IPFORWARD_TABLE2, rows))


def test_unspecified_next_hop_family_is_on_link(arena):
    row = b.route("192.0.2.0", 24, 7)
    row.NextHop.si_family = 0
    assert ip.forward_rows(b.table(arena, ip.MIB_IPFORWARD_TABLE2, [row]))[0]["gateway"] is None


def test_table_larger_than_its_buffer_is_an_error():
    arena = b.Arena(base=0x10000)
    first = b.table(arena, ip.MIB_IPFORWARD_TABLE2, [b.route("192.0.2.0", 24, 7)])
    arena.view(first, ctypes.c_uint32).value = 1000
    with pytest.raises(ParseError, match="outside"):
        ip.forward_rows(first, memory=ip.Memory(arena.flat(), arena.base))


def test_empty_table(arena):
    assert ip.forward_rows(b.table(arena, ip.MIB_IPFORWARD_TABLE2, [])) == []


def test_gateway_routes():
    routes = ip.gateway_routes([{"index": 7, "address": "192.168.1.1", "family": 4, "metric": 25}])
    assert routes[0]["destination"] == "0.0.0.0/0" and routes[0]["metric"] == 25 and routes[0]["gateway"] == "192.168.1.1"


def test_if_stats(arena):
    rows = [b.if_row(7, InOctets=1000, OutOctets=2000, InUcastPkts=10, InNUcastPkts=2, OutUcastPkts=20, OutNUcastPkts=3,
                     InErrors=1, OutErrors=4, InDiscards=5, OutDiscards=6), b.if_row(1)]
    stats = ip.if_stats(b.table(arena, ip.MIB_IF_TABLE2, rows))
    assert stats[7] == {"rx_packets": 12, "tx_packets": 23, "rx_bytes": 1000, "tx_bytes": 2000, "rx_errors": 1,
                        "tx_errors": 4, "rx_dropped": 5, "tx_dropped": 6}
    assert set(stats[7]) <= set(links.STATS64_FIELDS)
    assert stats[1]["rx_bytes"] == 0


# What outbound.best_local makes of it

def host_snapshot(arena):
    snap = Snapshot()
    snap.links, snap.addresses, snap.multicast, _gateways = ip.adapters(b.host_adapters(arena), warnings=snap.warnings)
    snap.routes = host_routes(arena, snap.warnings)
    return snap


def best(snap, family):
    """best_local of ``family`` as the model and outbound.py make it, Windows's source scripted."""
    ways, interfaces = tables_ways(snap, {4: "192.168.1.10", 6: "2001:db8:1::10"})
    return outbound.best_local(ways[family], interfaces), interfaces


def test_best_local_follows_the_lower_effective_metric(arena):
    found, interfaces = best(host_snapshot(arena), 4)
    assert found == [{"address": "192.168.1.10", "prefixlen": 24, "interface": "Ethernet 2"}]
    found6, _interfaces = best(host_snapshot(b.Arena()), 6)
    assert found6 == [{"address": "2001:db8:1::10", "prefixlen": 64, "interface": "Ethernet 2"}]
    assert by_address(interfaces["Ethernet 2"]["addresses"])["fe80::215:5dff:fe01:203"]["zone"] == "Ethernet 2"


def test_best_route_is_the_row_as_the_table_reads_it(arena):
    """GetBestRoute2's row and source: the route record the forward table gives for the same row
    (so that gateways[] and routes[] know it as the one the lookup took), and the lookup's keys."""
    metrics, kinds = {(4, 9): 10}, {"10.0.0.5": "local"}
    row = b.route("0.0.0.0", 0, 9, "10.0.0.1", metric=25)
    route, lookup = ip.best_route(row, b.inet("10.0.0.5"), metrics, kinds)
    assert route == ip.forward_rows(b.table(arena, ip.MIB_IPFORWARD_TABLE2, [row]), metrics, kinds)[0]
    assert (route["destination"], route["metric"], route["gateway"]) == ("0.0.0.0/0", 35, "10.0.0.1")
    assert lookup == {"preferred_source": "10.0.0.5", "interface": 9, "gateway": "10.0.0.1", "table": 254,
                      "type": "unicast"}
    on_link = ip.best_route(b.route("2001:db8:1::", 64, 7), b.inet("2001:db8:1::10"))[1]
    assert (on_link["gateway"], on_link["preferred_source"], on_link["interface"]) == (None, "2001:db8:1::10", 7)
    own = ip.best_route(b.route("10.0.0.5", 32, 9), b.inet("10.0.0.5"), metrics, kinds)[1]
    assert own["type"] == "local"


@pytest.mark.parametrize("source, words", [("2001:db8::1", "an IPv6 source for an IPv4 route"), (None, "family 0")])
def test_best_route_with_a_source_that_cannot_be_its_own(source, words):
    row = b.route("0.0.0.0", 0, 9, "10.0.0.1")
    with pytest.raises(ParseError, match=words):
        ip.best_route(row, b.inet(source) if source else ip.SOCKADDR_INET())


# Property tests: random field values give records or a ParseError, never another exception.

def mutate(data, edits):
    raw = bytearray(data)
    for offset, value in edits:
        if raw:
            raw[offset % len(raw)] = value
    return bytes(raw)


def host_flat():
    arena = b.Arena(base=0x10000)
    first = b.host_adapters(arena)
    return arena, first


EDITS = st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=12)


@FUZZ
@given(edits=EDITS)
def test_adapters_give_records_or_parse_error(edits):
    arena, first = host_flat()
    memory = ip.Memory(mutate(arena.flat(), edits), arena.base)
    for warnings in (None, []):
        try:
            json.dumps(ip.adapters(first, memory, warnings))
        except ParseError as exc:
            assert exc.what and isinstance(exc.offset, int)


@FUZZ
@given(edits=EDITS, count=st.integers(0, 20))
def test_forward_rows_give_records_or_parse_error(edits, count):
    arena = b.Arena(base=0x20000)
    rows = [b.route("0.0.0.0", 0, 7, "192.168.1.1"), b.route("2001:db8::", 32, 7), b.route("ff00::", 8, 3)][:count]
    first = b.table(arena, ip.MIB_IPFORWARD_TABLE2, rows)
    memory = ip.Memory(mutate(arena.flat(), edits), arena.base)
    for warnings in (None, []):
        try:
            json.dumps(ip.forward_rows(first, {(4, 7): 5}, {"192.168.1.10": "local"}, memory, warnings))
        except ParseError as exc:
            assert exc.what


@FUZZ
@given(family=st.sampled_from([4, 6]), prefixlen=st.integers(0, 255), dad=st.integers(-2, 7),
       lifetime=st.integers(0, 0xFFFFFFFF), if_type=st.integers(0, 300), oper=st.integers(-1, 9))
def test_random_field_values(family, prefixlen, dad, lifetime, if_type, oper):
    arena = b.Arena()
    text = "192.0.2.7" if family == 4 else "2001:db8::7"
    node = b.adapter(arena, 5, u"n", b"{N}", if_type=if_type, oper=oper,
                     unicasts=[b.unicast(arena, text, prefixlen, dad=dad, valid=lifetime, preferred=lifetime)])
    warnings = []
    links, addresses, _groups, _gateways = ip.adapters(arena.chain([node]), warnings=warnings)
    assert len(links) == 1
    assert len(addresses) + len(warnings) == 1
    if addresses:
        assert addresses[0]["prefixlen"] == prefixlen <= (32 if family == 4 else 128)
        assert addresses[0]["valid_lifetime"] == (None if lifetime == 0xFFFFFFFF else lifetime)


def test_sockaddr_inet_round_trip():
    for text in ("192.0.2.1", "2001:db8::1"):
        packed = socket.inet_pton(socket.AF_INET6 if ":" in text else socket.AF_INET, text)
        sa = ip.sockaddr_inet(6 if ":" in text else 4, packed)
        assert ip.sockaddr.parse(bytes(sa), 0, 28, ip.WINDOWS).packed == packed
