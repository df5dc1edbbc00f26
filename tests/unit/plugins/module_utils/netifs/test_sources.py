# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.sources: the kernel's answer per destination without a snapshot, name
resolution restricted to a family, and the entries for what could not be asked."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import os
import socket

import pytest

import nlbuild as nl
from fakes import FakeBackend, FakeKernel, bounded, make_conn

from netifs import backends, linux, sources

KEYS = ["address", "destination", "error", "family", "gateway", "interface", "source", "table", "type"]


def answer(dst, src, oif=2, gateway=None, rtype=nl.RTN_UNICAST):
    family = nl.AF_INET6 if ":" in dst else nl.AF_INET
    extra = [nl.attr(nl.RTA_GATEWAY, nl.ip(gateway))] if gateway else []
    return nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), nl.attr(nl.RTA_DST, nl.ip(dst)),
                    nl.attr(nl.RTA_OIF, nl.u32(oif)), nl.attr(nl.RTA_PREFSRC, nl.ip(src)), *extra,
                    family=family, dst_len=128 if family == nl.AF_INET6 else 32, rtype=rtype)


@pytest.fixture
def kernel(monkeypatch):
    """A fake kernel that answers route lookups for 192.0.2.0/24 via eth0 and refuses the rest;
    interface 2 is eth0 and 7 has a name that is not UTF-8."""
    k = FakeKernel()

    def lookup(payload):
        dst = bytes(payload[16:20]) if payload[0] == nl.AF_INET else None
        if dst is not None and dst[:3] == nl.ip("192.0.2.0")[:3]:
            return nl.RTM_NEWROUTE, answer(socket.inet_ntoa(dst), "192.0.2.10", gateway="192.0.2.1")
        if payload[0] == nl.AF_INET6 and len(payload) > 32:  # asked with an output interface
            return nl.RTM_NEWROUTE, answer("fe80::1", "fe80::10", oif=7)
        return errno.ENETUNREACH
    k.lookup = lookup
    conn = make_conn(monkeypatch, k.socket())
    monkeypatch.setattr(linux, "open_conn", lambda: conn)
    names = {2: "eth0", 7: os.fsdecode(b"w\xfflan")}

    def indextoname(index):
        if index not in names:
            raise OSError(errno.ENXIO, "No such device or address")
        return names[index]

    def nametoindex(name):
        for index, known in names.items():
            if known == name:
                return index
        raise OSError(errno.ENODEV, "No such device")
    monkeypatch.setattr(socket, "if_indextoname", indextoname)
    monkeypatch.setattr(socket, "if_nametoindex", nametoindex)
    return k


def fake_resolver(monkeypatch, table):
    """getaddrinfo over ``table``: name -> list of addresses, asked family respected."""
    asked = []

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        asked.append((host, family))
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out = []
        for text in table[host]:
            af = socket.AF_INET6 if ":" in text else socket.AF_INET
            if family in (0, af):
                out.append((af, socket.SOCK_DGRAM, 17, "", (text, 0)))
        if not out:
            raise socket.gaierror(socket.EAI_ADDRFAMILY, "Address family for hostname not supported")
        return out
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_answers_without_a_link_dump(kernel):
    got = bounded(lambda: sources.sources(["192.0.2.77"]))
    assert got == [{"destination": "192.0.2.77", "address": "192.0.2.77", "family": 4, "source": "192.0.2.10",
                    "interface": "eth0", "gateway": "192.0.2.1", "table": 254, "type": "unicast",
                    "error": None}]
    assert [r for r in kernel.requests if r[0] != nl.RTM_GETROUTE] == []


def test_no_route_is_an_entry_with_error(kernel):
    (got,) = bounded(lambda: sources.sources(["198.51.100.1"]))
    assert sorted(got) == KEYS
    assert got["error"] == "route lookup failed: [Errno %d] %s" % (errno.ENETUNREACH, os.strerror(errno.ENETUNREACH))
    assert (got["address"], got["family"], got["source"]) == ("198.51.100.1", 4, None)


def test_zone_names_the_output_interface_and_non_utf8_names_are_escaped(kernel):
    (got,) = bounded(lambda: sources.sources([os.fsdecode(b"fe80::1%w\xfflan")]))
    assert got["error"] is None
    assert got["interface"] == "w\\xfflan"
    (numeric,) = bounded(lambda: sources.sources(["fe80::1%7"]))
    assert numeric["interface"] == "w\\xfflan"
    (unknown,) = bounded(lambda: sources.sources(["fe80::1%nope0"]))
    assert unknown["error"] == "no interface 'nope0' for the zone of 'fe80::1%nope0'"


def test_an_index_without_a_name_is_none(kernel):
    kernel.lookup = lambda payload: (nl.RTM_NEWROUTE, answer("192.0.2.5", "192.0.2.10", oif=99))
    (got,) = bounded(lambda: sources.sources(["192.0.2.5"]))
    assert (got["interface"], got["source"], got["error"]) == (None, "192.0.2.10", None)


def test_names_resolve_in_the_resolvers_order(kernel, monkeypatch):
    asked = fake_resolver(monkeypatch, {"gw.example": ["2001:db8::9", "192.0.2.9"]})
    (got,) = bounded(lambda: sources.sources(["gw.example"]))
    assert (got["address"], got["family"]) == ("2001:db8::9", 6)
    assert asked == [("gw.example", socket.AF_UNSPEC)]


def test_family_restricts_name_resolution(kernel, monkeypatch):
    asked = fake_resolver(monkeypatch, {"gw.example": ["2001:db8::9", "192.0.2.9"]})
    (got,) = bounded(lambda: sources.sources(["gw.example"], family=4))
    assert (got["address"], got["family"], got["source"], got["error"]) == ("192.0.2.9", 4, "192.0.2.10", None)
    assert asked == [("gw.example", socket.AF_INET)]


def test_family_mismatch_of_an_address_is_an_entry_with_error(kernel):
    (got,) = bounded(lambda: sources.sources(["192.0.2.9"], family=6))
    assert got["error"] == "'192.0.2.9' is an IPv4 address, not IPv6"
    assert (got["address"], got["family"], got["source"]) == ("192.0.2.9", 4, None)
    assert kernel.requests == []


def test_a_name_that_resolves_to_nothing(kernel, monkeypatch):
    fake_resolver(monkeypatch, {"v6only.example": ["2001:db8::9"]})
    (unknown, v4) = bounded(lambda: sources.sources(["nosuch.example", "v6only.example"], family=4))
    assert unknown["error"].startswith("cannot resolve 'nosuch.example': ")
    assert v4["error"].startswith("cannot resolve 'v6only.example': ")
    assert (unknown["address"], unknown["family"]) == (None, None)


def test_resolver_answers_without_an_ip_address(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args: [(socket.AF_UNIX, socket.SOCK_DGRAM, 0, "", "/x")])
    with pytest.raises(ValueError) as info:
        sources.resolve("odd.example")
    assert str(info.value) == "'odd.example' resolves to no IPv4 or IPv6 address"
    with pytest.raises(ValueError) as info:
        sources.resolve("odd.example", 6)
    assert str(info.value) == "'odd.example' resolves to no IPv6 address"


def test_reject_route_is_an_error_with_the_route(kernel):
    kernel.lookup = lambda payload: (nl.RTM_NEWROUTE, answer("203.0.113.9", "192.0.2.10", rtype=nl.RTN_BLACKHOLE))
    (got,) = bounded(lambda: sources.sources(["203.0.113.9"]))
    assert got["type"] == "blackhole"
    assert got["error"] == "the kernel's route to 203.0.113.9 is of type blackhole"


def test_no_backend_opens(monkeypatch):
    def refuse(need):
        raise PermissionError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(backends, "chain", lambda: [("linux_rtnetlink", refuse)])
    got = sources.sources(["192.0.2.1", "example.org"])
    reason = "linux_rtnetlink: [Errno 1] Operation not permitted"
    assert [(e["destination"], e["error"]) for e in got] == [("192.0.2.1", reason), ("example.org", reason)]
    assert all(sorted(e) == KEYS for e in got)


def test_netlink_refused_asks_the_next_backend(monkeypatch):
    asked = []

    def lookup(family, packed, oif):
        asked.append((family, packed, oif))
        return {"preferred_source": "192.0.2.5", "interface": 1, "gateway": None, "table": None, "type": None}

    def refuse(need):
        raise PermissionError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(backends, "chain", lambda: [("linux_rtnetlink", refuse), ("fake", lambda need: FakeBackend(lookup))])
    (got,) = sources.sources(["198.51.100.1"])
    assert asked == [(4, socket.inet_aton("198.51.100.1"), None)]
    assert (got["source"], got["interface"], got["error"]) == ("192.0.2.5", sources._name_of(1), None)


@pytest.mark.parametrize("destinations, family, message", [
    (None, None, "destinations must be a list of addresses or host names, got None"),
    ("192.0.2.1", None, "destinations must be a list of addresses or host names, got '192.0.2.1'"),
    (["10.0.0.0/8"], None, "destination '10.0.0.0/8' is not an address or host name"),
    (["192.0.2.1"], 5, "family must be None, 4 or 6, got 5"),
    (["192.0.2.1"], "ipv4", "family must be None, 4 or 6, got 'ipv4'"),
    (["192.0.2.1"], True, "family must be None, 4 or 6, got True"),
])
def test_bad_arguments_before_opening(monkeypatch, destinations, family, message):
    def must_not_open():
        raise AssertionError("opened netlink before checking the arguments")
    monkeypatch.setattr(linux, "open_conn", must_not_open)
    with pytest.raises(ValueError) as info:
        sources.sources(destinations, family)
    assert str(info.value) == message
