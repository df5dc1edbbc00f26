# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.route_socket: the BSD and macOS routing-socket buffers, from committed
fixtures (fixtures/route_socket, made by its make_fixtures.py) and fabricated bytes."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import socket
import struct
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rsbuild as rs

from fakes import tables_ways
from netifs import outbound, route_socket, sockaddr
from netifs.addresses import address_record
from netifs.errors import ParseError
from netifs.snapshot import Snapshot

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "route_socket")
sys.path.insert(0, FIXTURES)
import make_fixtures  # noqa: E402

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LP64 = struct.calcsize("l") == 8


def fixture(osname, name):
    with open(os.path.join(FIXTURES, osname, name + ".bin"), "rb") as handle:
        return handle.read()


def iflist(osname):
    warnings = []
    links, addrs = route_socket.parse_iflist(fixture(osname, "iflist"), rs.P[osname], warnings)
    assert warnings == []
    return links, addrs


def dump(osname):
    warnings = []
    routes = route_socket.parse_dump(fixture(osname, "dump"), rs.P[osname], warnings)
    assert warnings == []
    return routes


@pytest.mark.skipif(not LP64, reason="the fixtures are LP64 layouts")
def test_generator_reproduces_the_committed_fixtures():
    built = make_fixtures.build()
    on_disk = {}
    for osname in os.listdir(FIXTURES):
        if os.path.isdir(os.path.join(FIXTURES, osname)) and osname in rs.BSDS:
            for name in os.listdir(os.path.join(FIXTURES, osname)):
                with open(os.path.join(FIXTURES, osname, name), "rb") as handle:
                    on_disk["%s/%s" % (osname, name)] = handle.read()
    assert sorted(built) == sorted(on_disk)
    for rel in built:
        assert built[rel] == on_disk[rel], rel


@pytest.mark.parametrize("osname", rs.BSDS)
@pytest.mark.parametrize("kind", ["route", "link", "addr", "maddr"])
def test_parser_layouts_match_the_builders_whole_structs(osname, kind):
    """The parser's header sizes against the builder's every-field structs: two readings of the headers."""
    layout = getattr(route_socket.OS[osname], kind)
    if layout is None:
        assert kind not in rs.SPECS[osname]
        return
    if osname == "freebsd" and kind == "route" and not LP64:
        pytest.skip("u_long header")
    assert layout.size == struct.calcsize(rs.SPECS[osname][kind][0])
    assert route_socket.OS[osname].version == rs.SPECS[osname]["version"]
    assert route_socket.OS[osname].types[kind] == rs.SPECS[osname]["types"][kind]


@pytest.mark.parametrize("osname", rs.BSDS)
def test_links(osname):
    links, _addrs = iflist(osname)
    got = [(k["index"], k["name"], k["mac"], k["type"], k["mtu"], k["oper_state"]) for k in links]
    assert got == [(1, "lo0", None, "loopback", 16384, "up"), (2, "em0", "08:00:27:12:34:56", "ether", 1500, "up"),
                   (3, "tun0", None, "53", 1400, "down")]
    assert links[0]["flags"] == ["up", "loopback", "running", "multicast"]
    assert links[1]["flags"] == ["up", "broadcast", "running", "simplex", "multicast"]
    assert links[2]["flags"] == ["up", "pointopoint", "multicast"]
    assert links[1]["carrier"] is (None if osname == "darwin" else True)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_link_counters_in_stats64_names(osname):
    stats = iflist(osname)[0][1]["stats"]
    expect = {"rx_packets": 1001, "tx_packets": 903, "rx_bytes": 1234567, "tx_bytes": 765432, "rx_errors": 2,
              "tx_errors": 1, "rx_dropped": 3, "multicast": 17, "collisions": 0}
    if osname in ("freebsd", "openbsd", "darwin"):
        expect["tx_dropped"] = 0  # oqdrops, or macOS's ifm_snd_drops
    assert stats == expect
    assert list(stats) == [k for k in route_socket.STATS64_FIELDS if k in stats]


def test_a_link_record_whole():
    em0 = iflist("freebsd")[0][1]
    assert set(em0) == {"index", "name", "altnames", "kind", "kind_data", "slave_kind", "type", "mac", "permanent_mac",
                        "mtu", "min_mtu", "max_mtu", "flags", "oper_state", "carrier", "master_index", "link_index",
                        "link_netnsid", "alias", "stats"}
    assert (em0["kind"], em0["altnames"], em0["permanent_mac"], em0["master_index"]) == (None, [], None, None)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_addresses(osname):
    _links, addrs = iflist(osname)
    got = [(a["index"], a["address"], a["prefixlen"], a["scope"], a["broadcast"], a["peer"], a["network"]) for a in addrs]
    assert got == [
        (1, "127.0.0.1", 8, "host", None, None, "127.0.0.0/8"),
        (1, "::1", 128, "host", None, None, "::1/128"),
        (1, "fe80::1", 64, "link", None, None, "fe80::/64"),  # KAME scope 1 cleared
        (2, "192.0.2.10", 24, "global", "192.0.2.255", None, "192.0.2.0/24"),  # short-form netmask
        (2, "2001:db8:1::10", 64, "global", None, None, "2001:db8:1::/64"),
        (2, "fe80::a00:27ff:fe12:3456", 64, "link", None, None, "fe80::/64"),
        (3, "10.8.0.1", 32, "global", None, "10.8.0.2", "10.8.0.2/32"),  # point-to-point: RTAX_BRD is the peer
    ]


def test_an_address_record_whole():
    addr = iflist("openbsd")[1][3]
    assert addr == address_record(2, 4, bytes([192, 0, 2, 10]), bytes([192, 0, 2, 10]), 24, 0, 0, broadcast="192.0.2.255")


@pytest.mark.parametrize("osname", rs.BSDS)
def test_routes(osname):
    routes = dump(osname)
    got = [(r["destination"], r["type"], r["gateway"], r["interface"], r["table"], r["protocol"], r["scope"])
           for r in routes]
    expect = [
        ("0.0.0.0/0", "unicast", "192.0.2.1", 2, 254, "static", "global"),
        ("0.0.0.0/0", "unicast", "192.0.2.254", 2, 254, "static", "global"),  # a second default: its own record
        ("192.0.2.0/24", "unicast", None, 2, 254, "kernel", "link"),  # AF_LINK gateway: on-link
        ("10.9.0.0/16", "unicast", "10.8.0.2", 3, 254, "static", "global"),
        ("198.51.100.7/32", "unicast", "192.0.2.1", 2, 254, "static", "global"),  # RTF_HOST, no netmask
        ("203.0.113.0/24", "unreachable", "127.0.0.1", 1, 254, "static", "global"),
        ("203.0.113.128/25", "blackhole", "127.0.0.1", 1, 254, "static", "global"),
        ("::/0", "unicast", "fe80::1", 2, 254, "static", "global"),  # embedded scope cleared
        ("2001:db8:1::/64", "unicast", None, 2, 254, "kernel", "link"),
        ("::1/128", "unicast", None, 1, 254, "kernel", "link"),
    ]
    if osname == "openbsd":
        expect.append(("172.16.0.0/12", "unicast", "10.8.0.2", 3, 254, "static", "global"))
    assert got == expect
    assert [r["nexthops"] for r in routes if r["type"] != "unicast"] == [[], []]


def test_openbsd_priority_is_the_metric_and_a_down_route_is_unusable():
    routes = dump("openbsd")
    assert [r["metric"] for r in routes if r["destination"] in ("0.0.0.0/0", "::/0")] == [8, 8, 8]
    down = routes[-1]
    assert down["flags"] == ["linkdown"]


@pytest.mark.parametrize("osname", rs.BSDS)
def test_best_local_from_the_parsed_tables(osname):
    """The records go through the model and outbound.py as a backend without a route lookup's
    do: the source from the OS, the route from the tables."""
    snap = Snapshot()
    snap.links, snap.addresses = iflist(osname)
    snap.routes = dump(osname)
    ways, ifaces = tables_ways(snap, {4: "192.0.2.10", 6: "2001:db8:1::10"})
    assert [h["gateway"] for h in ways[4]["route"]["nexthops"]] == ["192.0.2.1"]
    assert outbound.best_local(ways[4], ifaces) == [{"address": "192.0.2.10", "prefixlen": 24, "interface": "em0"}]
    assert outbound.best_local(ways[6], ifaces) == [{"address": "2001:db8:1::10", "prefixlen": 64, "interface": "em0"}]
    assert [a["zone"] for a in ifaces["em0"]["addresses"] if a["scope"] == "link"] == ["em0"]


@pytest.mark.parametrize("osname, name", [("freebsd", "ifmalist"), ("dragonfly", "ifmalist"), ("darwin", "iflist")])
def test_multicast(osname, name):
    groups = route_socket.parse_ifmalist(fixture(osname, name), rs.P[osname])
    expect = [{"index": 1, "address": "224.0.0.1", "family": 4}, {"index": 2, "address": "224.0.0.251", "family": 4},
              {"index": 2, "address": "ff02::1:ff12:3456", "family": 6}]  # link-layer group left out
    if name == "ifmalist":
        expect.append({"index": 1, "address": "ff02::1", "family": 6})
    assert groups == expect


@pytest.mark.parametrize("osname", ["openbsd", "netbsd"])
def test_no_multicast_table(osname):
    with pytest.raises(ValueError, match="no multicast"):
        route_socket.parse_ifmalist(b"", rs.P[osname])


def test_no_layout_for_linux():
    with pytest.raises(ValueError, match="linux"):
        route_socket.parse_dump(b"", sockaddr.PLATFORMS["linux"])


@pytest.mark.parametrize("osname", rs.BSDS)
def test_malformed_messages_are_skipped_and_reported(osname):
    warnings = []
    routes = route_socket.parse_dump(fixture(osname, "malformed"), rs.P[osname], warnings)
    assert [r["destination"] for r in routes] == ["0.0.0.0/0", "192.0.2.0/24"]
    assert len(warnings) == 4
    assert "version 99, %s has %d" % (osname, rs.SPECS[osname]["version"]) in warnings[0]
    assert "12 bytes, the header needs" in warnings[1]
    assert "sockaddr 1 has sa_len 200" in warnings[2]
    assert "bytes left" in warnings[3] and "routing message at offset" in warnings[3]


@pytest.mark.parametrize("osname", rs.BSDS)
def test_without_a_warnings_list_the_first_malformed_message_raises(osname):
    with pytest.raises(ParseError, match="version 99"):
        route_socket.parse_dump(fixture(osname, "malformed"), rs.P[osname])


@pytest.mark.parametrize("osname", rs.BSDS)
def test_a_zero_length_ends_the_walk(osname):
    warnings = []
    assert len(route_socket.parse_dump(fixture(osname, "zero_length"), rs.P[osname], warnings)) == 1
    assert warnings == []


def test_other_types_and_their_versions_are_passed_over():
    p = rs.P["freebsd"]
    route = make_fixtures.dump("freebsd")
    foreign = bytearray(route[:struct.unpack_from("=H", route)[0]])
    foreign[2] = 3  # an old version, but of a type parse_iflist does not read
    links, addrs = route_socket.parse_iflist(bytes(foreign) + make_fixtures.iflist("freebsd"), p)
    assert len(links) == 3 and len(addrs) == 7


def test_sockaddr_named_but_absent():
    p = rs.P["netbsd"]
    raw = bytearray(rs.msg("netbsd", "route", [("dst", rs.sin(p, "192.0.2.0"))], flags=1))
    struct.pack_into("=i", raw, 12, 0x3)  # rtm_addrs names a gateway too
    with pytest.raises(ParseError, match="sockaddr 1 of 0x3 past the message end"):
        route_socket.parse_dump(bytes(raw), p)


def test_gateway_flag_with_a_link_layer_gateway_is_on_link():
    p = rs.P["darwin"]
    raw = rs.msg("darwin", "route", [("dst", rs.sin(p, "192.0.2.0")), ("gateway", rs.dl(p, 4, b"en0")),
                                     ("netmask", rs.mask(p, 4, 24))], flags=0x3)
    route = route_socket.parse_dump(raw, p)[0]
    assert (route["gateway"], route["interface"], route["scope"]) == (None, 4, "link")


def test_ipv4_route_through_an_ipv6_gateway():
    p = rs.P["freebsd"]
    raw = rs.msg("freebsd", "route", [("dst", rs.sin(p, "0.0.0.0")), ("gateway", rs.sin6(p, "2001:db8::1")),
                                      ("netmask", rs.mask(p, 4, 0))], flags=0x3, index=2)
    assert route_socket.parse_dump(raw, p)[0]["gateway"] == "2001:db8::1"


def test_gateway_flag_with_a_foreign_gateway_is_malformed():
    p = rs.P["freebsd"]
    raw = rs.msg("freebsd", "route", [("dst", rs.sin(p, "0.0.0.0")), ("gateway", bytes([16, 99]) + bytes(14))],
                 flags=0x3, index=2)
    with pytest.raises(ParseError, match="RTF_GATEWAY with a gateway of family af99"):
        route_socket.parse_dump(raw, p)


def test_openbsd_sockaddrs_start_at_hdrlen():
    """OpenBSD says where its sockaddrs start: a longer (newer) header is skipped over."""
    p = rs.P["openbsd"]
    sas = rs.pad(rs.sin(p, "0.0.0.0"), p) + rs.pad(rs.sin(p, "192.0.2.1"), p)
    head = bytearray(rs.msg("openbsd", "route", flags=0x3, index=2))
    size = len(head) + 8
    head = bytes(head) + bytes(8)
    raw = bytearray(head + sas)
    struct.pack_into("=HBBH", raw, 0, len(raw), 5, 4, size)
    struct.pack_into("=i", raw, 12, 0x3)
    assert route_socket.parse_dump(bytes(raw), p)[0]["gateway"] == "192.0.2.1"
    struct.pack_into("=H", raw, 4, 2)  # hdrlen inside the common head
    with pytest.raises(ParseError, match="sockaddrs at 2"):
        route_socket.parse_dump(bytes(raw), p)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_link_without_a_name_is_malformed(osname):
    p = rs.P[osname]
    raw = rs.msg(osname, "link", [("ifp", rs.dl(p, 5))], index=5, flags=1)
    warnings = []
    assert route_socket.parse_iflist(raw, p, warnings) == ([], [])
    assert "no interface name" in warnings[0]


PARSERS = [("iflist", route_socket.parse_iflist), ("dump", route_socket.parse_dump),
           ("ifmalist", route_socket.parse_ifmalist)]


def _run(parse, data, plat):
    warnings = []
    try:
        out = parse(data, plat, warnings)
    except ValueError as exc:  # ifmalist on an OS without the table
        assert "no multicast" in str(exc)
        return
    assert all(isinstance(w, str) for w in warnings)
    try:
        parse(data, plat, None)
    except ParseError as exc:
        assert exc.what and isinstance(exc.offset, int)
    return out


@FUZZ
@given(st.sampled_from(rs.BSDS), st.sampled_from(PARSERS), st.binary(max_size=600))
def test_any_bytes_give_records_or_warnings(osname, parser, data):
    _run(parser[1], data, rs.P[osname])


@FUZZ
@given(st.sampled_from(rs.BSDS), st.sampled_from(["iflist", "dump"]), st.data())
def test_mutated_fixtures_give_records_or_warnings(osname, name, data):
    raw = bytearray(fixture(osname, name))
    for _flip in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    for _label, parse in PARSERS:
        _run(parse, bytes(raw[:cut]), rs.P[osname])


# Route lookups: RTM_GET written to a routing socket, and the kernel's answer.

PID, SEQ = 4242, 7


def _default_answer(osname, **fields):
    """The answer for a public IPv4 destination: the default route through 192.0.2.1 on em0,
    interface address 192.0.2.10 (RTA_IFP and RTA_IFA, as a lookup asking for them gets)."""
    p = rs.P[osname]
    sas = [("dst", rs.sin(p, "0.0.0.0")), ("gateway", rs.sin(p, "192.0.2.1")), ("netmask", rs.mask(p, 4, 0)),
           ("ifp", rs.dl(p, 2, b"em0", make_fixtures.MAC)), ("ifa", rs.sin(p, "192.0.2.10"))]
    fields.setdefault("flags", rs.RTF_UP | rs.RTF_GATEWAY | rs.RTF_STATIC)
    fields.setdefault("index", 2)
    if osname == "openbsd":
        fields.setdefault("priority", 8)
    return rs.answer(osname, PID, SEQ, sas, **fields)


@pytest.mark.parametrize("osname", rs.BSDS)
@pytest.mark.parametrize("family, text", [(4, "8.8.8.8"), (6, "2001:4860:4860::8888")])
def test_a_lookup_request_read_back_with_the_headers_structs(osname, family, text):
    p = rs.P[osname]
    packed = socket.inet_pton(socket.AF_INET if family == 4 else socket.AF_INET6, text)
    raw = route_socket.get_request(p, family, packed, SEQ)
    fields, sas = rs.read_message(osname, raw)
    assert (fields["msglen"], fields["version"], fields["type"]) == (len(raw), rs.SPECS[osname]["version"], rs.RTM_GET)
    assert (fields["seq"], fields["pid"], fields["errno"], fields["index"]) == (SEQ, 0, 0, 0)
    assert fields["flags"] == rs.RTF_UP | rs.RTF_HOST
    assert fields.get("hdrlen", struct.calcsize(rs.SPECS[osname]["route"][0])) == struct.calcsize(rs.SPECS[osname]["route"][0])
    dst = rs.sin(p, text) if family == 4 else rs.sin6(p, text)
    assert sas == [("dst", dst), ("ifp", bytes([rs.SDL_SIZE[osname], p.af_link]) + bytes(rs.SDL_SIZE[osname] - 2))]


def test_a_lookup_pinned_to_an_interface():
    """macOS scopes with RTF_IFSCOPE and rtm_index; the others only a link-local IPv6 address (its
    sin6_scope_id); anything else cannot be pinned."""
    ll = socket.inet_pton(socket.AF_INET6, "fe80::1")
    fields, sas = rs.read_message("darwin", route_socket.get_request(rs.P["darwin"], 4, socket.inet_aton("8.8.8.8"), 1, oif=5))
    assert (fields["flags"] & rs.RTF_IFSCOPE, fields["index"]) == (rs.RTF_IFSCOPE, 5)
    fields, sas = rs.read_message("freebsd", route_socket.get_request(rs.P["freebsd"], 6, ll, 1, oif=2))
    assert (fields["index"], sas[0][1]) == (0, rs.sin6(rs.P["freebsd"], "fe80::1", scope_id=2))
    fields, sas = rs.read_message("darwin", route_socket.get_request(rs.P["darwin"], 6, ll, 1, oif=2))
    assert (fields["index"], sas[0][1]) == (2, rs.sin6(rs.P["darwin"], "fe80::1", scope_id=2))
    for family, packed in ((4, socket.inet_aton("8.8.8.8")), (6, socket.inet_pton(socket.AF_INET6, "2001:db8::1"))):
        with pytest.raises(ValueError, match="cannot pin the lookup of"):
            route_socket.get_request(rs.P["openbsd"], family, packed, 1, oif=2)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_an_answer_and_its_route_as_the_dump_reads_it(osname):
    got = route_socket.parse_get(_default_answer(osname), rs.P[osname], PID, SEQ)
    assert got["errno"] == 0
    assert got["lookup"] == {"preferred_source": "192.0.2.10", "interface": 2, "gateway": "192.0.2.1", "table": 254,
                             "type": "unicast"}
    # The same route in a dump (RTF_DONE aside, no RTA_IFP/RTA_IFA): the same record, so that
    # gateways[] and routes[] know it as the one the lookup took.
    assert got["route"] == dump(osname)[0]


@pytest.mark.parametrize("osname", rs.BSDS)
def test_messages_that_are_not_our_answer(osname):
    p = rs.P[osname]
    answer = _default_answer(osname)
    assert route_socket.parse_get(answer, p, PID + 1, SEQ) is None  # another process's lookup
    assert route_socket.parse_get(answer, p, PID, SEQ + 1) is None  # an earlier lookup of ours
    link = rs.msg(osname, "link", [("ifp", rs.dl(p, 2, b"em0"))], index=2)
    assert route_socket.parse_get(link, p, PID, SEQ) is None
    assert route_socket.parse_get(answer[:10], p, PID, SEQ) is None


@pytest.mark.parametrize("osname", rs.BSDS)
def test_an_answer_with_an_errno(osname):
    raw = rs.answer(osname, PID, SEQ, [("dst", rs.sin(rs.P[osname], "8.8.8.8"))], errno=3)
    assert route_socket.parse_get(raw, rs.P[osname], PID, SEQ) == {"errno": 3, "lookup": None, "route": None}


@pytest.mark.parametrize("osname", rs.BSDS)
@pytest.mark.parametrize("flag, rtype", [(rs.RTF_REJECT, "unreachable"), (rs.RTF_BLACKHOLE, "blackhole")])
def test_a_rejecting_route_is_an_answer_without_a_way_out(osname, flag, rtype):
    """FreeBSD 13+ reports reject routes through lo0 with 127.0.0.1 as gateway: not a way out."""
    p = rs.P[osname]
    sas = [("dst", rs.sin(p, "203.0.113.0")), ("gateway", rs.sin(p, "127.0.0.1")), ("netmask", rs.mask(p, 4, 24)),
           ("ifp", rs.dl(p, 1, b"lo0")), ("ifa", rs.sin(p, "127.0.0.1"))]
    raw = rs.answer(osname, PID, SEQ, sas, index=1, flags=rs.RTF_UP | rs.RTF_GATEWAY | rs.RTF_STATIC | flag)
    got = route_socket.parse_get(raw, p, PID, SEQ)
    assert got["lookup"] == {"preferred_source": None, "interface": None, "gateway": None, "table": 254, "type": rtype}
    assert (got["route"]["destination"], got["route"]["type"]) == ("203.0.113.0/24", rtype)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_an_ipv6_answer_with_embedded_scopes(osname):
    """The KAME form: fe80:2::1 is fe80::1 on interface 2; the route's own address is the link-local one."""
    p = rs.P[osname]
    sas = [("dst", rs.sin6(p, "::")), ("gateway", rs.sin6(p, "fe80::1", embed=2)), ("netmask", rs.mask(p, 6, 0)),
           ("ifp", rs.dl(p, 2, b"em0")), ("ifa", rs.sin6(p, "fe80::a00:27ff:fe12:3456", embed=2))]
    got = route_socket.parse_get(rs.answer(osname, PID, SEQ, sas, flags=rs.RTF_UP | rs.RTF_GATEWAY), p, PID, SEQ)
    assert got["lookup"] == {"preferred_source": "fe80::a00:27ff:fe12:3456", "interface": 2, "gateway": "fe80::1",
                             "table": 254, "type": "unicast"}  # rtm_index 0: RTA_IFP's index
    assert (got["route"]["destination"], got["route"]["interface"]) == ("::/0", None)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_a_local_destination(osname):
    """One of the host's own addresses: type local through lo0; the dump leaves such routes out."""
    p = rs.P[osname]
    sas = [("dst", rs.sin(p, "192.0.2.10")), ("gateway", rs.dl(p, 1, b"lo0")), ("ifp", rs.dl(p, 1, b"lo0")),
           ("ifa", rs.sin(p, "127.0.0.1"))]
    raw = rs.answer(osname, PID, SEQ, sas, index=1, flags=rs.RTF_UP | rs.RTF_HOST | rs.RTF_STATIC | rs.RTF_LOCAL[osname])
    got = route_socket.parse_get(raw, p, PID, SEQ)
    assert (got["lookup"]["type"], got["lookup"]["interface"], got["lookup"]["gateway"], got["route"]) == ("local", 1, None, None)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_malformed_answers(osname):
    p = rs.P[osname]
    good = _default_answer(osname)
    wrong = bytearray(good)
    wrong[2] = 99
    with pytest.raises(ParseError, match="version 99"):
        route_socket.parse_get(bytes(wrong), p, PID, SEQ)
    with pytest.raises(ParseError, match="in a %d-byte read" % (len(good) - 8)):
        route_socket.parse_get(good[:-8], p, PID, SEQ)  # a read that cut the message
    overrun = bytearray(good)
    overrun[struct.calcsize(rs.SPECS[osname]["route"][0]) + 16] = 200  # the gateway's sa_len
    with pytest.raises(ParseError, match="sa_len 200"):
        route_socket.parse_get(bytes(overrun), p, PID, SEQ)
    no_dst = rs.answer(osname, PID, SEQ, [("ifp", rs.dl(p, 2, b"em0"))], index=2)
    with pytest.raises(ParseError, match="destination of family None"):
        route_socket.parse_get(no_dst, p, PID, SEQ)


def _parse_get(raw, plat):
    try:
        out = route_socket.parse_get(raw, plat, PID, SEQ)
    except ParseError as exc:
        assert exc.what == "RTM_GET answer" and isinstance(exc.offset, int)
        return None
    assert out is None or set(out) == {"errno", "lookup", "route"}
    return out


@FUZZ
@given(st.sampled_from(rs.BSDS), st.binary(max_size=400))
def test_any_read_gives_an_answer_nothing_or_a_parse_error(osname, data):
    p = rs.P[osname]
    _parse_get(data, p)
    head = struct.calcsize(rs.SPECS[osname]["route"][0])  # the same bytes as our answer's header
    raw = bytearray(_default_answer(osname)[:head]) + data
    struct.pack_into("=H", raw, 0, min(len(raw), 0xFFFF))
    _parse_get(bytes(raw), p)


@FUZZ
@given(st.sampled_from(rs.BSDS), st.data())
def test_mutated_answers_give_an_answer_nothing_or_a_parse_error(osname, data):
    raw = bytearray(_default_answer(osname))
    for _flip in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    _parse_get(bytes(raw[:data.draw(st.integers(0, len(raw)))]), rs.P[osname])


@FUZZ
@given(st.sampled_from(rs.BSDS), st.integers(0, 32), st.integers(0, 2 ** 32 - 1), st.integers(1, 2 ** 32 - 1),
       st.integers(1, 0xFFFF))
def test_any_route_answered_reads_as_the_dump_reads_it(osname, plen, dst, gateway, index):
    """For any IPv4 route the kernel could answer with: the lookup names its gateway and interface,
    and its record is the dump's record of it."""
    p = rs.P[osname]
    net = socket.inet_ntoa((dst & ~((1 << (32 - plen)) - 1) & 0xFFFFFFFF).to_bytes(4, "big"))
    gw = socket.inet_ntoa(gateway.to_bytes(4, "big"))
    route = [("dst", rs.sin(p, net)), ("gateway", rs.sin(p, gw))] + ([("netmask", rs.mask(p, 4, plen))] if plen < 32 else [])
    flags = rs.RTF_UP | rs.RTF_GATEWAY | (rs.RTF_HOST if plen == 32 else 0)
    got = route_socket.parse_get(rs.answer(osname, PID, SEQ, route + [("ifp", rs.dl(p, index, b"em0"))], index=index,
                                           flags=flags), p, PID, SEQ)
    assert (got["lookup"]["gateway"], got["lookup"]["interface"]) == (gw, index)
    assert got["route"] == route_socket.parse_dump(rs.msg(osname, "route", route, index=index, flags=flags), p)[0]
