# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the fallback backends' pure parts (getifaddrs.records, linux_proc.parse_ifconf and
link_record) and the chooser (backends.chain, OnePass); tests/live/test_fallback.py runs them live."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import socket
import struct
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rsbuild as rs
from netifs import backends, facts, getifaddrs, linux_proc, sockaddr
from netifs.errors import ParseError
from netifs.routes import route_record
from netifs.snapshot import Snapshot

LINUX = sockaddr.PLATFORMS["linux"]
FREEBSD = sockaddr.PLATFORMS["freebsd"]


def ll(index, mac):
    return struct.pack("=HHiHBB8s", 17, 0, index, 1, 0, len(mac), mac)


def in4(address):
    return struct.pack("=HH4s8x", 2, 0, socket.inet_aton(address))


def in6(address, scope_id=0):
    return struct.pack("=HHI16sI", 10, 0, 0, socket.inet_pton(socket.AF_INET6, address), scope_id)


def no_index(name):
    raise AssertionError("asked for the index of %r" % name)


ETH0 = 0x1043  # up, broadcast, running, multicast
TUN0 = 0x1091  # up, pointopoint, noarp, multicast
LINUX_ENTRIES = [
    (b"lo", 0x49, ll(1, b"\0" * 6), None, None),
    (b"eth0", ETH0, ll(2, b"\x02\x42\xac\x11\x00\x02"), None, None),
    (b"tun0", TUN0, None, None, None),  # no link-layer address: no AF_PACKET sockaddr
    (b"lo", 0x49, in4("127.0.0.1"), in4("255.0.0.0"), in4("127.0.0.1")),
    (b"eth0", ETH0, in4("192.0.2.5"), in4("255.255.255.0"), in4("192.0.2.255")),
    (b"eth0:1", ETH0, in4("192.0.2.6"), in4("255.255.255.0"), in4("192.0.2.6")),  # glibc: itself, no brd
    (b"tun0", TUN0, in4("10.9.0.1"), in4("255.255.255.255"), in4("10.9.0.2")),
    (b"eth0", ETH0, in6("fe80::42:acff:fe11:2", 2), in6("ffff:ffff:ffff:ffff::"), None),
    (b"eth0", ETH0, in6("2001:db8::5"), in6("ffff:ffff:ffff:ffff::"), None),
    (b"eth0", ETH0, in4("198.51.100.1"), in4("255.0.255.0"), None),  # a mask with a hole: skipped
]


def test_getifaddrs_records_on_linux():
    links, addrs = getifaddrs.records(LINUX_ENTRIES, LINUX, {b"tun0": 3}.get)
    assert [(rec["index"], rec["name"], rec["mac"]) for rec in links] == [
        (1, "lo", "00:00:00:00:00:00"), (2, "eth0", "02:42:ac:11:00:02"), (3, "tun0", None)]
    assert links[1]["flags"] == ["up", "broadcast", "running", "multicast"]
    assert links[2]["flags"] == ["up", "pointopoint", "noarp", "multicast"]
    got = [(a["index"], a["address"], a["prefixlen"], a["network"], a["scope"], a["broadcast"], a["peer"], a["label"])
           for a in addrs]
    assert got == [
        (1, "127.0.0.1", 8, "127.0.0.0/8", "host", None, None, "lo"),
        (2, "192.0.2.5", 24, "192.0.2.0/24", "global", "192.0.2.255", None, "eth0"),
        (2, "192.0.2.6", 24, "192.0.2.0/24", "global", None, None, "eth0:1"),
        (3, "10.9.0.1", 32, "10.9.0.2/32", "global", None, "10.9.0.2", "tun0"),
        (2, "fe80::42:acff:fe11:2", 64, "fe80::/64", "link", None, None, None),
        (2, "2001:db8::5", 64, "2001:db8::/64", "global", None, None, None),
    ]


def test_getifaddrs_records_on_bsd_clear_the_embedded_scope():
    entries = [(b"em0", 0x8843, rs.dl(FREEBSD, 4, b"em0", b"\x00\x1b\x21\x3c\x4d\x5e"), None, None),
               (b"em0", 0x8843, rs.sin6(FREEBSD, "fe80::1", embed=4), bytes([16, 28, 0, 0, 0, 0, 0, 0]) + b"\xff" * 8, None)]
    links, addrs = getifaddrs.records(entries, FREEBSD, no_index)
    assert links[0]["flags"] == ["up", "broadcast", "running", "simplex", "multicast"]
    assert [(a["index"], a["address"], a["prefixlen"], a["scope"]) for a in addrs] == [(4, "fe80::1", 64, "link")]


def test_getifaddrs_interface_gone_since_listing_is_left_out():
    links, addrs = getifaddrs.records([(b"gone0", 0x1, None, None, None),
                                       (b"gone0", 0x1, in4("192.0.2.1"), in4("255.255.255.0"), None)],
                                      LINUX, lambda name: None)
    assert (links, addrs) == ([], [])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([b"eth0", b"lo", b"x:1"]), st.integers(0, 0xFFFFF),
                          st.one_of(st.none(), st.binary(min_size=2, max_size=28)),
                          st.one_of(st.none(), st.binary(min_size=2, max_size=28)),
                          st.one_of(st.none(), st.binary(min_size=2, max_size=28))), max_size=6))
def test_getifaddrs_any_entries_give_records_or_parse_error(entries):
    try:
        links, addrs = getifaddrs.records(entries, LINUX, {b"eth0": 2, b"lo": 1, b"x": 5}.get)
    except ParseError:
        return
    assert {a["index"] for a in addrs} <= {rec["index"] for rec in links}


def ifreq(label, address):
    packed = struct.pack("=16sHH4s", label, socket.AF_INET, 0, socket.inet_aton(address))
    return packed.ljust(linux_proc.IFREQ_SIZE, b"\0")


def test_parse_ifconf():
    data = ifreq(b"lo", "127.0.0.1") + ifreq(b"eth0:1", "192.0.2.6")
    assert linux_proc.parse_ifconf(data) == [(b"lo", socket.inet_aton("127.0.0.1")),
                                             (b"eth0:1", socket.inet_aton("192.0.2.6"))]
    assert linux_proc.parse_ifconf(data[:-1]) == [(b"lo", socket.inet_aton("127.0.0.1"))]


def test_parse_ifconf_refuses_another_family():
    bad = bytearray(ifreq(b"eth0", "192.0.2.6"))
    bad[16:18] = struct.pack("=H", 10)
    with pytest.raises(ParseError, match="an address of family 10"):
        linux_proc.parse_ifconf(bytes(bad))


def test_link_record_from_sysfs():
    files = {"mtu": b"1400", "address": b"02:42:ac:11:00:02", "operstate": b"dormant", "carrier": b"1",
             "type": b"1", "ifalias": None}
    rec = linux_proc.link_record(2, b"eth0", 0x1003, read=lambda path: files[path.rsplit(b"/", 1)[1].decode()])
    assert (rec["mtu"], rec["mac"], rec["oper_state"], rec["carrier"], rec["type"], rec["alias"]) == \
        (1400, "02:42:ac:11:00:02", "dormant", True, "ether", None)
    assert rec["flags"] == ["up", "broadcast", "multicast", "lower_up", "dormant"]


def test_link_record_of_a_down_link_without_carrier():
    files = {"mtu": b"1500", "address": b"", "operstate": b"down", "carrier": None, "type": b"65534", "ifalias": b""}
    rec = linux_proc.link_record(7, b"tun0", 0x1090, read=lambda path: files[path.rsplit(b"/", 1)[1].decode()])
    assert (rec["mac"], rec["carrier"], rec["type"]) == (None, None, "none")
    assert rec["flags"] == ["pointopoint", "noarp", "multicast"]


@pytest.mark.parametrize("system, names", [
    ("linux", ["linux_rtnetlink", "getifaddrs", "linux_procfs"]),
    ("darwin", ["bsd_route_socket", "getifaddrs"]), ("freebsd14", ["freebsd_rtnetlink", "bsd_route_socket", "getifaddrs"]),
    ("openbsd7", ["bsd_route_socket", "getifaddrs"]), ("win32", ["windows_iphlpapi"]), ("sunos5", []),
])
def test_chain_per_os(system, names):
    assert [name for name, _open in backends.chain(system)] == names


class Answers(backends.OnePass):
    """OnePass with the kernel's answers scripted: ``answers[(family, text)]`` or OSError."""

    def __init__(self, snap, answers):
        self.answers = answers
        self.asked = []
        backends.OnePass.__init__(self, "fake", lambda need: snap, set())

    def lookup(self, family, packed, oif):
        text = socket.inet_ntop(socket.AF_INET if family == 4 else socket.AF_INET6, packed)
        self.asked.append((text, oif))
        answer = self.answers[text]
        if isinstance(answer, OSError):
            raise answer
        return {"preferred_source": answer}


def test_onepass_reads_the_routes_for_the_probes_and_keeps_their_losses_to_itself():
    """The outbound probes need the tables on a backend whose lookup tells the source alone;
    tables read only for that are not the caller's, so their losses are not in missing."""
    taken = []

    def take(need):
        taken.append(sorted(need))
        snap = Snapshot()
        snap.lose("routes", None, "denied")
        snap.lose("addresses", None, "denied")
        return snap
    assert backends.OnePass("fake", take, {"outbound"}).snap.missing == []
    assert backends.OnePass("fake", take, {"routes", "outbound"}).snap.missing == [
        {"subset": "routes", "family": None, "reason": "denied"}]
    assert backends.OnePass("fake", take, {"addresses"}).snap.missing == [
        {"subset": "addresses", "family": None, "reason": "denied"}]
    assert taken == [["addresses", "outbound", "routes"], ["addresses", "outbound", "routes"], ["addresses"]]


def test_onepass_lookup_through_a_real_udp_socket_on_loopback():
    snap = Snapshot()
    snap.addresses = [{"address": "127.0.0.1", "index": 1}]
    answer = backends.OnePass("fake", lambda need: snap, set()).lookup(4, socket.inet_aton("127.0.0.1"), None)
    assert answer == {"preferred_source": "127.0.0.1", "interface": 1, "gateway": None, "table": None, "type": None}


def test_onepass_cannot_pin_ipv4_to_an_interface():
    with pytest.raises(ValueError, match="cannot pin an IPv4 lookup"):
        backends.OnePass("fake", lambda need: Snapshot(), set()).lookup(4, socket.inet_aton("192.0.2.1"), 3)


def deny(monkeypatch, names):
    """Make the named backends of this Linux host's real chain refuse to open."""
    def refused(name):
        def opener(need):
            raise OSError(errno.EACCES, "%s denied by the test" % name)
        return opener
    chain = backends.chain
    monkeypatch.setattr(backends, "chain", lambda: [(name, refused(name) if name in names else opener)
                                                    for name, opener in chain()])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the real Linux chain")
@pytest.mark.parametrize("denied, used", [
    ((), "linux_rtnetlink"),
    (("linux_rtnetlink",), "getifaddrs"),
    (("linux_rtnetlink", "getifaddrs"), "linux_procfs"),
    (("linux_rtnetlink", "getifaddrs", "linux_procfs"), None),
])
def test_each_backend_denied_in_turn_on_this_host(monkeypatch, denied, used):
    """The real backends on this host, read only: each refusal hands over to the next one."""
    deny(monkeypatch, denied)
    got = facts.gather(["interfaces", "addresses", "routes"])
    assert got["backend"] == used
    reasons = ["%s: [Errno 13] %s denied by the test" % (name, name) for name in denied]
    if used is None:
        assert got["missing"] == [{"subset": s, "family": None, "reason": "; ".join(reasons)}
                                  for s in ("addresses", "interfaces", "routes")]
        return
    assert got["warnings"][:len(denied)] == ["fell back to %s: %s" % (used, text) for text in reasons]
    assert "lo" in got["interfaces"] and "127.0.0.1" in got["all_ipv4_addresses"]
    assert bool(got["missing"]) == bool(denied)


def test_onepass_always_reads_the_addresses_its_lookups_need():
    """A gather of no address subset still answers destinations with the source's interface."""
    asked = []

    def take(need):
        asked.append(set(need))
        snap = Snapshot()
        snap.addresses = [{"address": "127.0.0.1", "index": 1}] if "addresses" in need else []
        return snap
    backend = backends.OnePass("fake", take, {"routes"})
    assert asked == [{"routes", "addresses"}]
    assert backend.lookup(4, socket.inet_aton("127.0.0.1"), None)["interface"] == 1


@pytest.mark.parametrize("need, reported", [({"routes"}, ["interfaces"]), ({"addresses"}, ["interfaces", "addresses"])])
def test_onepass_reports_address_losses_only_when_addresses_were_asked_for(need, reported):
    def take(asked):
        snap = Snapshot()
        snap.lose("interfaces", None, "no kinds")
        snap.lose("addresses", 6, "/proc/net/if_inet6: gone")
        return snap
    assert [m["subset"] for m in backends.OnePass("fake", take, need).snap.missing] == reported


@pytest.mark.parametrize("need", [{"rules"}, {"rules", "routes"}, {"routes"}])
def test_onepass_says_once_that_it_reads_no_rules(need):
    """Every one-pass backend (getifaddrs, linux_procfs, bsd, windows) has no policy rules."""
    backend = backends.OnePass("fake", lambda asked: Snapshot(), need)
    lost = [m for m in backend.snap.missing if m["subset"] == "rules"]
    want = [{"subset": "rules", "family": None, "reason": backends.NO_RULES % "fake"}] if "rules" in need else []
    assert lost == want
    assert backend.build(lambda snap, lenient: snap.rules) == []
