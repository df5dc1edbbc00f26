# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.bsd, the ctypes layer, with a fake sysctl serving the route_socket fixtures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import errno
import os

import pytest

import rsbuild as rs

from netifs import bsd

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "route_socket")


def fixture(osname, name):
    with open(os.path.join(FIXTURES, osname, name + ".bin"), "rb") as handle:
        return handle.read()


class FakeSysctl:
    """libc's sysctl(name, namelen, oldp, oldlenp, newp, newlen) over ``tables`` {mib: [bytes, ...]}:
    each size query moves to the next version of a table (a table growing between the two calls);
    a read into too small a buffer fails with ENOMEM; ``refuse`` {mib: errno} fails both."""

    def __init__(self, tables, refuse=None, shrink=0):
        self.tables = {k: list(v) for k, v in tables.items()}
        self.refuse = refuse or {}
        self.shrink = shrink
        self.calls = []

    def __call__(self, name, namelen, oldp, oldlenp, newp, newlen):
        key = tuple(name[i] for i in range(namelen))
        self.calls.append((key, oldp is not None))
        if key in self.refuse or key not in self.tables:
            ctypes.set_errno(self.refuse.get(key, errno.ENOENT))
            return -1
        versions = self.tables[key]
        if oldp is None:
            if len(versions) > 1 and len(self.calls) > 1:
                versions.pop(0)
            oldlenp[0] = len(versions[0])
            return 0
        data = versions[-1] if len(versions) > 1 else versions[0]
        data = data[:len(data) - self.shrink]
        if oldlenp[0] < len(data):
            ctypes.set_errno(errno.ENOMEM)
            return -1
        ctypes.memmove(oldp, data, len(data))
        oldlenp[0] = len(data)
        return 0


def tables(osname, **extra):
    plat = rs.P[osname]
    ops = bsd.route_socket.OS[osname].ops
    out = {bsd.mib(plat, 0, ops["iflist"]): [fixture(osname, "iflist")],
           bsd.mib(plat, 0, ops["dump"]): [fixture(osname, "dump")]}
    if ops["ifmalist"] not in (None, ops["iflist"]):
        out[bsd.mib(plat, 0, ops["ifmalist"])] = [fixture(osname, "ifmalist")]
    out.update(extra)
    return out


def test_mib():
    assert bsd.mib(rs.P["freebsd"], 0, 3) == (4, 17, 0, 0, 3, 0)
    assert bsd.mib(rs.P["netbsd"], 6, 1) == (4, 34, 0, 24, 1, 0)
    assert bsd.mib(rs.P["darwin"], 6, 6) == (4, 17, 0, 30, 6, 0)
    assert bsd.mib(rs.P["openbsd"], 4, 1, 3) == (4, 17, 0, 2, 1, 3)


def test_read_two_calls_and_truncation():
    name = (4, 17, 0, 0, 3, 0)
    fake = FakeSysctl({name: [b"x" * 100]}, shrink=10)
    assert bsd.read(fake, name) == b"x" * 90  # what the second call wrote, not the size asked for
    assert [has_buffer for _key, has_buffer in fake.calls] == [False, True]


def test_read_retries_when_the_table_grew():
    name = (4, 17, 0, 0, 1, 0)
    grown = b"y" * 5000
    fake = FakeSysctl({name: [b"y" * 10, grown]})
    assert bsd.read(fake, name) == grown
    assert [has_buffer for _key, has_buffer in fake.calls] == [False, True, False, True]


def test_read_gives_up_on_a_table_that_keeps_growing():
    name = (4, 17, 0, 0, 1, 0)
    fake = FakeSysctl({name: [b"z" * (10 * 4 ** i) for i in range(12)]})
    with pytest.raises(OSError) as info:
        bsd.read(fake, name, attempts=3)
    assert info.value.errno == errno.ENOMEM and "3 attempts" in str(info.value)


def test_read_denied():
    name = (4, 17, 0, 0, 3, 0)
    with pytest.raises(OSError) as info:
        bsd.read(FakeSysctl({name: [b""]}, refuse={name: errno.EPERM}), name)
    assert info.value.errno == errno.EPERM and "4.17.0.0.3.0" in str(info.value)


def test_read_empty_table():
    name = (4, 17, 0, 0, 1, 0)
    assert bsd.read(FakeSysctl({name: [b""]}), name) == b""


@pytest.mark.parametrize("osname", rs.BSDS)
def test_take(osname):
    snap = bsd.take(FakeSysctl(tables(osname)), rs.P[osname], {"addresses", "routes", "multicast"})
    assert [link["name"] for link in snap.links] == ["lo0", "em0", "tun0"]
    assert len(snap.addresses) == 7 and snap.warnings == []
    defaults = [r for r in snap.routes if r["destination"] in ("0.0.0.0/0", "::/0")]
    assert len(defaults) == 3
    if osname in ("openbsd", "netbsd"):
        assert snap.missing == [{"subset": "multicast", "family": None,
                                 "reason": "%s has no multicast membership table in sysctl" % osname}]
        assert snap.multicast == []
    else:
        assert snap.missing == [] and len(snap.multicast) >= 3


def test_take_links_only():
    fake = FakeSysctl(tables("freebsd"))
    snap = bsd.take(fake, rs.P["freebsd"], set())
    assert len(snap.links) == 3 and snap.addresses == [] and snap.routes == []
    assert [key[4] for key, _buf in fake.calls] == [3, 3]


def test_denied_interface_list_is_an_oserror_for_the_chooser():
    plat = rs.P["freebsd"]
    name = bsd.mib(plat, 0, 3)
    with pytest.raises(OSError):
        bsd.take(FakeSysctl(tables("freebsd"), refuse={name: errno.EACCES}), plat, {"routes"})


def test_denied_route_dump_is_missing():
    plat = rs.P["dragonfly"]
    name = bsd.mib(plat, 0, 1)
    snap = bsd.take(FakeSysctl(tables("dragonfly"), refuse={name: errno.EPERM}), plat, {"routes", "addresses"})
    assert snap.routes == [] and snap.missing[0]["subset"] == "routes" and "4.17.0.0.1.0" in snap.missing[0]["reason"]


def test_snapshot_refuses_a_host_without_a_routing_socket(monkeypatch):
    monkeypatch.setattr(bsd.sys, "platform", "linux")
    with pytest.raises(OSError, match="no routing socket on linux"):
        bsd.snapshot({"routes"})
    monkeypatch.setattr(bsd.sys, "platform", "sunos5")
    with pytest.raises(OSError, match="sunos5"):
        bsd.snapshot({"routes"})


def test_snapshot_through_libc(monkeypatch):
    fake = FakeSysctl(tables("freebsd"))
    monkeypatch.setattr(bsd.sys, "platform", "freebsd14")
    monkeypatch.setattr(bsd, "libc_sysctl", lambda: fake)
    assert [link["name"] for link in bsd.snapshot(set()).links] == ["lo0", "em0", "tun0"]


def test_libc_sysctl_here():
    """glibc 2.32 and later have no sysctl(): an OSError, so the chooser moves on."""
    try:
        func = bsd.libc_sysctl()
    except OSError as exc:
        assert exc.errno == errno.ENOSYS
    else:
        assert callable(func)


def test_the_chooser_opens_it_after_freebsd_netlink(monkeypatch):
    """On FreeBSD the chain is freebsd_rtnetlink, bsd_route_socket, getifaddrs: netlink missing
    (before 13.2), the routing socket takes over; the one-pass wrapper takes it as is."""
    from netifs import backends, freebsd_netlink

    def no_netlink():
        raise OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol")
    monkeypatch.setattr(freebsd_netlink, "open_conn", no_netlink)
    fake = FakeSysctl(tables("freebsd"))
    monkeypatch.setattr(bsd.sys, "platform", "freebsd14")
    monkeypatch.setattr(backends.sys, "platform", "freebsd14")
    monkeypatch.setattr(bsd, "libc_sysctl", lambda: fake)
    refused = []
    backend = backends.open_first({"routes", "addresses"}, refused)
    assert (backend.name, refused) == ("bsd_route_socket", [
        "freebsd_rtnetlink: [Errno %d] cannot open a netlink socket: Address family not supported by protocol"
        % errno.EAFNOSUPPORT])
    snap = backend.build(lambda snap, lenient: snap)
    assert [r["gateway"] for r in snap.routes if r["destination"] == "0.0.0.0/0"] == ["192.0.2.1", "192.0.2.254"]
