# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.windows off Windows: a fake iphlpapi.dll that fills memory as the real one
does (iphlpbuild), with the statuses each test asks for."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import socket
import sys

import pytest

import iphlpbuild as b
from fakes import tables_ways

from netifs import iphlpapi as ip
from netifs import outbound, windows
from netifs.errors import ParseError

ALL = {"addresses", "routes", "multicast", "stats"}


class FakeApi:
    """iphlpapi.dll's functions used by windows.py, over memory built by iphlpbuild.

    ``status``: {function name or (name, family): status to return instead of answering};
    ``best``: GetBestRoute2's answers {family, or (family, interface index): (row, source text)},
    ERROR_NETWORK_UNREACHABLE for the others; ``interface``: GetBestInterfaceEx's {family: index}.
    """

    def __init__(self, status=None, best=None, interface=None):
        self.status = status or {}
        self.arena = b.Arena(1 << 17)
        self.tables = {("GetIpForwardTable2", ip.AF_INET): b.routes_table(self.arena, 4),
                       ("GetIpForwardTable2", ip.AF_INET6): b.routes_table(self.arena, 6),
                       ("GetIpInterfaceTable", ip.AF_INET): b.metrics_table(self.arena, 4),
                       ("GetIpInterfaceTable", ip.AF_INET6): b.metrics_table(self.arena, 6),
                       ("GetIfTable2",): b.table(self.arena, ip.MIB_IF_TABLE2, [b.if_row(7, InOctets=99)])}
        scratch = b.Arena()
        b.gaa_buffer(scratch)
        self.needed = scratch.used
        self.best = best if best is not None else {4: (b.route("0.0.0.0", 0, 7, "192.168.1.1", protocol=3), "192.168.1.10"),
                                                   6: (b.route("::", 0, 7, "fe80::1", metric=256, protocol=4), "2001:db8:1::10")}
        self.interface = interface or {}
        self.oifs = []
        self.calls = []
        self.freed = []

    def _answer(self, *key):
        self.calls.append(key)
        return self.status.get(key, self.status.get(key[0]))

    def GetAdaptersAddresses(self, family, flags, reserved, buf, size):  # pylint: disable=invalid-name
        assert (family, reserved) == (ip.AF_UNSPEC, None)
        self.calls.append(("GetAdaptersAddresses", flags, size.contents.value))
        if "GetAdaptersAddresses" in self.status:
            return self.status["GetAdaptersAddresses"]
        if size.contents.value < self.needed:
            size.contents.value = self.needed
            return windows.ERROR_BUFFER_OVERFLOW
        arena = b.Arena(ctypes.sizeof(buf), base=ctypes.addressof(buf))
        b.gaa_buffer(arena)
        ctypes.memmove(buf, arena.buf, arena.used)
        return windows.NO_ERROR

    def _table(self, key, out):
        status = self._answer(*key)
        if status is not None:
            return status
        out.contents.value = self.tables[key]
        return windows.NO_ERROR

    def GetIpForwardTable2(self, family, out):  # pylint: disable=invalid-name
        return self._table(("GetIpForwardTable2", family), out)

    def GetIpInterfaceTable(self, family, out):  # pylint: disable=invalid-name
        return self._table(("GetIpInterfaceTable", family), out)

    def GetIfTable2(self, out):  # pylint: disable=invalid-name
        return self._table(("GetIfTable2",), out)

    def GetBestRoute2(self, luid, index, source, dest, options, row, best_source):  # pylint: disable=invalid-name
        assert (luid, source, options) == (None, None, 0)
        family = ip.FAMILY[dest.contents.si_family]
        self.oifs.append(index)
        status = self._answer("GetBestRoute2", family)
        if status is not None:
            return status
        found = self.best.get((family, index), self.best.get(family) if not index else None)
        if found is None:
            return windows.ERROR_NETWORK_UNREACHABLE
        row[0], best_source[0] = found[0], b.inet(found[1])
        return windows.NO_ERROR

    def GetBestInterfaceEx(self, dest, index):  # pylint: disable=invalid-name
        family = ip.FAMILY[dest.contents.si_family]
        status = self._answer("GetBestInterfaceEx", family)
        if status is not None:
            return status
        if family not in self.interface:
            return windows.ERROR_NETWORK_UNREACHABLE
        index[0] = self.interface[family]
        return windows.NO_ERROR

    def FreeMibTable(self, table):  # pylint: disable=invalid-name
        self.freed.append(table.value)


def test_load_raises_oserror_off_windows():
    if sys.platform == "win32":
        pytest.skip("this is Windows")
    with pytest.raises(OSError, match="Windows"):
        windows.load()
    with pytest.raises(OSError):
        windows.snapshot(ALL)


def test_buffer_grows_to_the_size_asked_for():
    api = FakeApi()
    status, memory = windows.adapter_buffer(api.GetAdaptersAddresses, 0, size=100)
    assert status == windows.NO_ERROR
    assert [call[2] for call in api.calls] == [104, api.needed + (-api.needed) % 8]
    assert len(ip.adapters(memory.base, memory)[0]) == 4


def test_buffer_growth_gives_up_after_a_few_attempts():
    sizes = []

    def always_more(_family, _flags, _reserved, _buf, size):
        sizes.append(size.contents.value)
        size.contents.value += 1000
        return windows.ERROR_BUFFER_OVERFLOW
    assert windows.adapter_buffer(always_more, 0) == (windows.ERROR_BUFFER_OVERFLOW, None)
    assert len(sizes) == windows.ATTEMPTS and sizes == sorted(set(sizes))


def test_buffer_grows_even_when_asked_for_no_more():
    sizes = []

    def same(_family, _flags, _reserved, _buf, size):
        sizes.append(size.contents.value)
        return windows.ERROR_BUFFER_OVERFLOW
    windows.adapter_buffer(same, 0, size=1000)
    assert sizes == [1000, 2000, 4000, 8000]


def test_other_status_is_returned_at_once():
    calls = []

    def denied(*_args):
        calls.append(1)
        return windows.ERROR_ACCESS_DENIED
    assert windows.adapter_buffer(denied, 0) == (windows.ERROR_ACCESS_DENIED, None)
    assert calls == [1]


def test_snapshot_of_a_host():
    api = FakeApi()
    snap = windows.snapshot(ALL, api)
    assert (snap.missing, snap.warnings) == ([], [])
    assert [link["name"] for link in snap.links] == ["Ethernet 2", "Wi-Fi", "Loopback Pseudo-Interface 1",
                                                     "Teredo Tunneling Pseudo-Interface"]
    assert len(snap.addresses) == 9 and len(snap.multicast) == 3
    assert snap.links[0]["stats"]["rx_bytes"] == 99 and "stats" not in snap.links[1]
    defaults = [r for r in snap.routes if r["destination"] == "0.0.0.0/0"]
    assert [(r["interface"], r["metric"], r["preferred_source"]) for r in defaults] == [(7, 25, None), (9, 35, None)]
    assert "GetBestRoute2" not in [call[0] for call in api.calls]  # asked per destination, not here
    assert sorted(api.freed) == sorted(api.tables.values())
    flags = api.calls[0][1]
    assert flags & ip.GAA_FLAG_INCLUDE_GATEWAYS and not flags & ip.GAA_FLAG_SKIP_MULTICAST


def test_snapshot_through_the_model():
    snap = windows.snapshot(ALL, FakeApi())
    ways, interfaces = tables_ways(snap, {4: "192.168.1.10", 6: "2001:db8:1::10"})
    assert outbound.best_local(ways[4], interfaces) == [{"address": "192.168.1.10", "prefixlen": 24, "interface": "Ethernet 2"}]
    assert outbound.legacy_default(ways[4], interfaces)["gateway"] == "192.168.1.1"


def test_only_what_is_needed():
    api = FakeApi()
    snap = windows.snapshot(set(), api)
    assert len(snap.links) == 4 and snap.addresses == snap.routes == snap.multicast == []
    assert api.calls[0][1] & ip.GAA_FLAG_SKIP_MULTICAST
    assert [call[0] for call in api.calls] == ["GetAdaptersAddresses"]  # 15 KB is enough here


def test_adapters_denied():
    snap = windows.snapshot(ALL, FakeApi({"GetAdaptersAddresses": windows.ERROR_ACCESS_DENIED}))
    assert [(m["subset"], m["family"]) for m in snap.missing] == [("interfaces", None), ("addresses", None), ("multicast", None)]
    assert "ERROR_ACCESS_DENIED (5)" in snap.missing[0]["reason"]
    assert snap.links == [] and snap.routes  # routes are still read


def test_no_adapters_is_an_empty_answer():
    snap = windows.snapshot(ALL, FakeApi({"GetAdaptersAddresses": windows.ERROR_NO_DATA}))
    assert snap.missing == [] and snap.links == []


def test_forward_table_denied_falls_back_to_the_adapters_gateways():
    api = FakeApi({("GetIpForwardTable2", ip.AF_INET): windows.ERROR_ACCESS_DENIED})
    snap = windows.snapshot(ALL, api)
    assert [(m["subset"], m["family"]) for m in snap.missing] == [("routes", 4)]
    v4 = [r for r in snap.routes if r["family"] == 4]
    assert [(r["destination"], r["gateway"], r["interface"], r["metric"]) for r in v4] == [
        ("0.0.0.0/0", "192.168.1.1", 7, 25), ("0.0.0.0/0", "10.0.0.1", 9, 35)]
    assert "gateways" in snap.warnings[0]


def test_family_not_installed_is_an_empty_answer():
    api = FakeApi({("GetIpForwardTable2", ip.AF_INET6): windows.ERROR_NOT_SUPPORTED,
                   ("GetIpInterfaceTable", ip.AF_INET6): windows.ERROR_NOT_SUPPORTED})
    snap = windows.snapshot(ALL, api)
    assert snap.missing == [] and snap.warnings == []
    assert {r["family"] for r in snap.routes} == {4}


def test_interface_table_failure_leaves_route_metrics_alone():
    snap = windows.snapshot(ALL, FakeApi({("GetIpInterfaceTable", ip.AF_INET): windows.ERROR_NOT_ENOUGH_MEMORY}))
    assert "GetIpInterfaceTable IPv4: ERROR_NOT_ENOUGH_MEMORY (8)" in snap.warnings[0]
    assert {r["metric"] for r in snap.routes if r["destination"] == "0.0.0.0/0"} == {0}


def test_stats_denied():
    snap = windows.snapshot({"stats"}, FakeApi({"GetIfTable2": 1234}))
    assert snap.missing == [{"subset": "stats", "family": None, "reason": "GetIfTable2: status (1234)"}]


def helper_backend(api, need=frozenset(("addresses", "routes", "outbound"))):
    from netifs import backends
    return backends.IpHelper(windows.NAME, windows.IpHelper(api), need)


def scripted_udp(monkeypatch, source):
    from netifs import backends
    asked = []

    def lookup(self, family, packed, oif):
        asked.append((family, oif))
        return {"preferred_source": source, "interface": self.owner.get(source), "gateway": None, "table": None,
                "type": None}
    monkeypatch.setattr(backends.UdpLookup, "lookup", lookup)
    return asked


def test_lookup_and_match_are_get_best_route2s(monkeypatch):
    """The route Windows matched and the source it picks; match gives the route record the
    snapshot's forward table has for it (its metric with the interface's)."""
    asked = scripted_udp(monkeypatch, "10.0.0.5")
    api = FakeApi(best={4: (b.route("0.0.0.0", 0, 7, "192.168.1.1", protocol=3), "192.168.1.10"),
                        (4, 9): (b.route("0.0.0.0", 0, 9, "10.0.0.1", protocol=3), "10.0.0.5")})
    with helper_backend(api) as backend:
        eight = socket.inet_aton("8.8.8.8")
        assert backend.lookup(4, eight, None) == {"preferred_source": "192.168.1.10", "interface": 7,
                                                  "gateway": "192.168.1.1", "table": 254, "type": "unicast"}
        route, objects = backend.match(4, eight)
        assert objects is None and route == next(r for r in backend.snap.routes if r["destination"] == "0.0.0.0/0")
        assert backend.lookup(4, eight, 9)["preferred_source"] == "10.0.0.5" and api.oifs == [0, 0, 9]
        assert asked == []


def test_no_route(monkeypatch):
    with helper_backend(FakeApi(best={})) as backend:
        with pytest.raises(OSError, match=r"GetBestRoute2 8\.8\.8\.8: no route, ERROR_NETWORK_UNREACHABLE \(1231\)"):
            backend.lookup(4, socket.inet_aton("8.8.8.8"), None)
        assert backend.match(4, socket.inet_aton("8.8.8.8")) is None


def test_refused_get_best_route2_falls_back_to_get_best_interface_ex(monkeypatch):
    """The interface from GetBestInterfaceEx, the source from a connected UDP socket, the route
    from the tables (match tells nothing)."""
    asked = scripted_udp(monkeypatch, "10.0.0.5")
    api = FakeApi({"GetBestRoute2": windows.ERROR_ACCESS_DENIED}, interface={4: 9})
    with helper_backend(api) as backend:
        assert backend.lookup(4, socket.inet_aton("8.8.8.8"), None) == {
            "preferred_source": "10.0.0.5", "interface": 9, "gateway": None, "table": None, "type": None}
        assert backend.match(4, socket.inet_aton("8.8.8.8")) is None and asked == [(4, None)]


@pytest.mark.parametrize("status, words", [(windows.ERROR_INVALID_PARAMETER, "GetBestInterfaceEx ERROR_INVALID_PARAMETER (87)"),
                                           (None, "GetBestInterfaceEx no route, ERROR_NETWORK_UNREACHABLE (1231)")])
def test_both_refused(monkeypatch, status, words):
    scripted_udp(monkeypatch, "10.0.0.5")
    refusals = {"GetBestRoute2": windows.ERROR_ACCESS_DENIED}
    if status is not None:
        refusals["GetBestInterfaceEx"] = status
    with helper_backend(FakeApi(refusals)) as backend:
        with pytest.raises(OSError) as caught:
            backend.lookup(4, socket.inet_aton("8.8.8.8"), None)
    assert str(caught.value) == "8.8.8.8: GetBestRoute2 refused, ERROR_ACCESS_DENIED (5); " + words


def test_an_answer_that_cannot_be_read_is_a_parse_error():
    api = FakeApi(best={4: (b.route("0.0.0.0", 0, 7, "192.168.1.1"), "2001:db8::1")})
    with helper_backend(api) as backend:
        with pytest.raises(ParseError, match="an IPv6 source for an IPv4 route"):
            backend.lookup(4, socket.inet_aton("8.8.8.8"), None)
        assert backend.match(4, socket.inet_aton("8.8.8.8")) is None


def test_free_mib_table_even_when_the_walk_fails():
    api = FakeApi()

    def broken(_table):
        raise ParseError("MIB_IPFORWARD_TABLE2", 0, "broken")
    with pytest.raises(ParseError):
        windows.mib_table(api, api.GetIpForwardTable2, (ip.AF_INET,), broken)
    assert api.freed == [api.tables[("GetIpForwardTable2", ip.AF_INET)]]


def test_malformed_adapter_list_is_missing():
    api = FakeApi()
    original = api.GetAdaptersAddresses

    def short_length(family, flags, reserved, buf, size):
        status = original(family, flags, reserved, buf, size)
        if status == windows.NO_ERROR:
            ctypes.c_uint32.from_buffer(buf).value = 184  # an XP-sized record
        return status
    api.GetAdaptersAddresses = short_length
    snap = windows.snapshot({"addresses"}, api)
    assert [m["subset"] for m in snap.missing] == ["interfaces", "addresses"]
    assert "Length 184" in snap.missing[0]["reason"]


def test_the_chooser_gathers_a_windows_host_through_it(monkeypatch):
    """facts.gather on Windows: windows_iphlpapi, built once; each probe asked with GetBestRoute2,
    whose route and source make the way out (nothing from the tables, nothing in missing)."""
    from netifs import backends, facts
    monkeypatch.setattr(backends.sys, "platform", "win32")
    monkeypatch.setattr(windows, "load", FakeApi)
    asked = scripted_udp(monkeypatch, "10.0.0.5")
    got = facts.gather(["interfaces", "addresses", "routes", "gateways", "best_local"], destinations=["10.0.0.9"])
    assert (got["backend"], got["missing"], asked) == ("windows_iphlpapi", [], [])
    assert got["best_local"]["ipv4"][0] == {"address": "192.168.1.10", "prefixlen": 24, "interface": "Ethernet 2"}
    v4, v6 = got["default_ipv4"], got["default_ipv6"]
    assert (v4["gateway"], v4["interface"], v4["route"]["metric"]) == ("192.168.1.1", "Ethernet 2", 25)
    assert (v6["address"], v6["gateway"], v6["route"]["destination"]) == ("2001:db8:1::10", "fe80::1", "::/0")
    assert sorted((g["address"], g["default"]) for g in got["gateways"]) == [
        ("10.0.0.1", False), ("192.168.1.1", True), ("fe80::1", True)]
    entry = got["sources"][0]  # the fake's one IPv4 answer: its default route
    assert (entry["source"], entry["interface"], entry["gateway"], entry["table"], entry["error"]) == (
        "192.168.1.10", "Ethernet 2", "192.168.1.1", 254, None)


def test_the_chooser_without_a_route(monkeypatch):
    """No route for any probe or destination: no way out, each entry saying why, nothing missing."""
    from netifs import backends, facts
    monkeypatch.setattr(backends.sys, "platform", "win32")
    monkeypatch.setattr(windows, "load", lambda: FakeApi(best={}))
    got = facts.gather(["best_local"], destinations=["10.0.0.9"])
    assert (got["default_ipv4"], got["default_ipv6"], got["missing"]) == ({}, {}, [])
    assert got["sources"][0]["error"] == "GetBestRoute2 10.0.0.9: no route, ERROR_NETWORK_UNREACHABLE (1231)"


def test_the_chooser_where_get_best_route2_is_refused(monkeypatch):
    """The way out from GetBestInterfaceEx and a connected UDP socket, the route from the tables:
    missing says so, per family."""
    from netifs import backends, facts
    monkeypatch.setattr(backends.sys, "platform", "win32")
    monkeypatch.setattr(windows, "load", lambda: FakeApi({"GetBestRoute2": windows.ERROR_ACCESS_DENIED},
                                                         interface={4: 7, 6: 7}))
    scripted_udp(monkeypatch, "192.168.1.10")
    got = facts.gather(["interfaces", "addresses", "routes", "best_local"])
    assert (got["default_ipv4"]["gateway"], got["default_ipv4"]["interface"]) == ("192.168.1.1", "Ethernet 2")
    assert [(m["subset"], m["family"]) for m in got["missing"]] == [("best_local", 4), ("best_local", 6)]
    assert "windows_iphlpapi does not tell which route a lookup takes" in got["missing"][0]["reason"]


def test_the_chooser_off_windows_gives_the_reason(monkeypatch):
    """This host has no iphlpapi.dll: on a 'win32' chain nothing opens, and the reason says why."""
    from netifs import backends
    monkeypatch.setattr(backends.sys, "platform", "win32")
    refused = []
    assert backends.open_first({"routes"}, refused) is None
    assert len(refused) == 1 and refused[0].startswith("windows_iphlpapi: ")
