# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.windows off Windows: a fake iphlpapi.dll that fills memory as the real one
does (iphlpbuild), with the statuses each test asks for."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
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

    ``status``: {function name or (name, family): status to return instead of answering}.
    """

    def __init__(self, status=None, best=None):
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
        self.best = best if best is not None else {4: (b.route("0.0.0.0", 0, 7, "192.168.1.1"), "192.168.1.10")}
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
        assert (luid, index, source, options) == (None, 0, None, 0)
        family = ip.FAMILY[dest.contents.si_family]
        status = self._answer("GetBestRoute2", family)
        if status is not None:
            return status
        if family not in self.best:
            return windows.ERROR_NETWORK_UNREACHABLE
        row[0], best_source[0] = self.best[family][0], b.inet(self.best[family][1])
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
    assert [(r["interface"], r["metric"], r["preferred_source"]) for r in defaults] == [(7, 25, "192.168.1.10"), (9, 35, None)]
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


def test_best_route_failures():
    snap = windows.snapshot(ALL, FakeApi(best={}))  # unreachable: nothing to mark, nothing to say
    assert snap.warnings == [] and not any(r["preferred_source"] for r in snap.routes)
    snap = windows.snapshot(ALL, FakeApi({"GetBestRoute2": windows.ERROR_INVALID_PARAMETER}))
    assert [w for w in snap.warnings if w.startswith("GetBestRoute2 IPv4: ERROR_INVALID_PARAMETER")]


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
    """facts.gather on Windows: windows_iphlpapi, built once; the probes' source (a connected UDP
    socket, scripted here) leads best_local, the route and gateway come from the tables, and
    missing says so."""
    from netifs import backends, facts
    monkeypatch.setattr(backends.sys, "platform", "win32")
    monkeypatch.setattr(windows, "load", FakeApi)
    asked = []

    def lookup(self, family, packed, oif):
        asked.append(family)
        if family == 6:
            raise OSError(10051, "unreachable")
        return {"preferred_source": "192.168.1.10", "interface": 7, "gateway": None, "table": None, "type": None}
    monkeypatch.setattr(backends.UdpLookup, "lookup", lookup)
    got = facts.gather(["interfaces", "addresses", "routes", "best_local"])
    assert got["backend"] == "windows_iphlpapi"
    assert got["best_local"]["ipv4"][0] == {"address": "192.168.1.10", "prefixlen": 24, "interface": "Ethernet 2"}
    assert (got["default_ipv4"]["gateway"], got["default_ipv6"]) == ("192.168.1.1", {})
    assert asked.count(4) == 5 and [(m["subset"], m["family"]) for m in got["missing"]] == [("best_local", 4)]


def test_the_chooser_off_windows_gives_the_reason(monkeypatch):
    """This host has no iphlpapi.dll: on a 'win32' chain nothing opens, and the reason says why."""
    from netifs import backends
    monkeypatch.setattr(backends.sys, "platform", "win32")
    refused = []
    assert backends.open_first({"routes"}, refused) is None
    assert len(refused) == 1 and refused[0].startswith("windows_iphlpapi: ")
