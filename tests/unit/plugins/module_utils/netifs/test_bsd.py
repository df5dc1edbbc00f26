# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.bsd, the ctypes layer, with a fake sysctl serving the route_socket fixtures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import errno
import ipaddress
import os
import socket

import pytest

import rsbuild as rs
from fakes import bounded

from netifs import bsd
from netifs.errors import ParseError

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


# Route lookups: RTM_GET on a routing socket, against a fake one whose kernel answers from a table.

PID = 4242


class FakeRouteSocket:
    """A PF_ROUTE socket: ``send`` hands the request to ``kernel(request)``, which returns the
    messages to queue (or raises OSError, as the write does when the lookup fails); ``recv`` pops
    one message, or times out when none is queued (``endless``: other messages keep coming)."""

    def __init__(self, kernel, endless=None):
        self.kernel, self.endless = kernel, endless
        self.queue, self.sent, self.timeouts = [], [], []
        self.closed = False

    def send(self, data):
        self.sent.append(bytes(data))
        self.queue.extend(self.kernel(bytes(data)))
        return len(data)

    def settimeout(self, value):
        self.timeouts.append(value)

    def recv(self, size):
        if self.queue:
            return self.queue.pop(0)[:size]
        if self.endless is not None:
            return self.endless
        raise socket.timeout("timed out")

    def close(self):
        self.closed = True


# The test kernel's table: (prefix, interface index and name, gateway or None, interface address, extra flags).
TABLE = [
    ("0.0.0.0/0", 2, b"em0", "192.0.2.1", "192.0.2.10", rs.RTF_STATIC),
    ("192.0.2.0/24", 2, b"em0", None, "192.0.2.10", 0),
    ("10.9.0.0/16", 3, b"tun0", "10.8.0.2", "10.8.0.1", rs.RTF_STATIC),
    ("203.0.113.0/24", 1, b"lo0", "127.0.0.1", "127.0.0.1", rs.RTF_STATIC | rs.RTF_REJECT),
    ("::/0", 2, b"em0", "fe80::1", "fe80::a00:27ff:fe12:3456", rs.RTF_STATIC),
]


def _sin(p, text, embed=0):
    return rs.sin6(p, text, embed=embed) if ":" in text else rs.sin(p, text)


def kernel(osname, table=None, noise=True):
    """A kernel's RTM_GET: the longest match of the request's RTA_DST in ``table``, answered to
    PID after messages that are not our answer (another process's lookup, an interface change, an
    older lookup of ours). No match: the write fails with ESRCH, and the error is broadcast.
    ``table``: TABLE when not given."""
    table = TABLE if table is None else table
    p = rs.P[osname]

    def answer(request):
        fields, sas = rs.read_message(osname, request)
        assert fields["type"] == rs.RTM_GET and dict(sas)["ifp"][1] == p.af_link
        dst = dict(sas)["dst"]
        family = 4 if dst[1] == p.af_inet else 6
        addr = ipaddress.ip_address(dst[4:8] if family == 4 else dst[8:24])
        found = [row for row in table if ipaddress.ip_network(row[0]).version == family
                 and addr in ipaddress.ip_network(row[0])]
        seq = fields["seq"]
        out = [rs.answer(osname, PID + 1, seq, [("dst", dst)]), rs.msg(osname, "link", [("ifp", rs.dl(p, 2, b"em0"))], index=2),
               rs.answer(osname, PID, seq - 1, [("dst", dst)], errno=3)] if noise else []
        if not found:
            raise OSError(errno.ESRCH, "No such process")
        prefix, index, name, gateway, ifa, flags = max(found, key=lambda row: ipaddress.ip_network(row[0]).prefixlen)
        net = ipaddress.ip_network(prefix)
        route = [("dst", _sin(p, str(net.network_address))), ("netmask", rs.mask(p, family, net.prefixlen)),
                 ("ifp", rs.dl(p, index, name)), ("ifa", _sin(p, ifa, embed=index if ifa.startswith("fe80") else 0))]
        if gateway:
            route.append(("gateway", _sin(p, gateway, embed=index if gateway.startswith("fe80") else 0)))
        return out + [rs.answer(osname, PID, seq, route, index=index,
                                flags=rs.RTF_UP | flags | (rs.RTF_GATEWAY if gateway else 0))]
    return answer


def router(osname, sock, timeout=bsd.TIMEOUT):
    return bsd.Router(rs.P[osname], sock, PID, timeout)


def packed(text):
    return socket.inet_pton(socket.AF_INET6 if ":" in text else socket.AF_INET, text)


@pytest.mark.parametrize("osname", rs.BSDS)
def test_a_lookup_finds_its_answer_among_other_messages(osname):
    sock = FakeRouteSocket(kernel(osname))
    ask = router(osname, sock).ask
    assert ask(4, packed("8.8.8.8"))["lookup"] == {"preferred_source": "192.0.2.10", "interface": 2,
                                                   "gateway": "192.0.2.1", "table": 254, "type": "unicast"}
    got = ask(4, packed("10.9.1.1"))
    assert (got["lookup"]["gateway"], got["lookup"]["interface"], got["route"]["destination"]) == ("10.8.0.2", 3, "10.9.0.0/16")
    assert ask(6, packed("2001:4860:4860::8888"))["lookup"]["gateway"] == "fe80::1"
    assert [rs.read_message(osname, raw)[0]["seq"] for raw in sock.sent] == [1, 2, 3]
    assert sock.queue == [] and all(0 < t <= bsd.TIMEOUT for t in sock.timeouts)


def test_no_route_is_esrch():
    sock = FakeRouteSocket(kernel("freebsd", table=TABLE[1:]))
    with pytest.raises(OSError, match=r"RTM_GET 8\.8\.8\.8: no route \(ESRCH\)") as caught:
        router("freebsd", sock).ask(4, packed("8.8.8.8"))
    assert caught.value.errno == errno.ESRCH


def test_an_answer_with_an_errno_fails_the_lookup():
    """Should a kernel answer with rtm_errno and a write that succeeded, the errno is the answer."""
    sock = FakeRouteSocket(lambda request: [rs.answer("openbsd", PID, rs.read_message("openbsd", request)[0]["seq"],
                                                      errno=errno.EHOSTUNREACH)])
    with pytest.raises(OSError, match=r"RTM_GET 8\.8\.8\.8: .*\(EHOSTUNREACH\)"):
        router("openbsd", sock).ask(4, packed("8.8.8.8"))


def test_a_silent_kernel_times_out():
    with pytest.raises(OSError, match=r"RTM_GET 8\.8\.8\.8: no answer within 2\.0 s") as caught:
        router("darwin", FakeRouteSocket(lambda request: [])).ask(4, packed("8.8.8.8"))
    assert caught.value.errno == errno.ETIMEDOUT


def test_other_messages_that_never_stop_time_out():
    noise = rs.msg("netbsd", "link", [("ifp", rs.dl(rs.P["netbsd"], 2, b"em0"))], index=2)
    sock = FakeRouteSocket(lambda request: [], endless=noise)
    with pytest.raises(OSError, match=r"no answer within 0\.1 s"):
        bounded(lambda: router("netbsd", sock, timeout=0.1).ask(4, packed("8.8.8.8")))


def test_a_malformed_answer_is_a_parse_error():
    def cut(request):
        return [rs.answer("dragonfly", PID, 1, [("dst", rs.sin(rs.P["dragonfly"], "8.8.8.8"))])[:-4]]
    with pytest.raises(ParseError, match="RTM_GET answer"):
        router("dragonfly", FakeRouteSocket(cut)).ask(4, packed("8.8.8.8"))


def test_open_router_on_this_host_opens_nothing(monkeypatch):
    """Not a BSD: OSError before any socket is made (17 is AF_PACKET here); with a BSD named, the
    host's socket module must have that OS's PF_ROUTE."""
    def no_socket(*args):
        raise AssertionError("a socket was opened: %r" % (args,))
    monkeypatch.setattr(bsd.socket, "socket", no_socket)
    with pytest.raises(OSError, match="no routing socket on linux"):
        bsd.open_router("linux")
    with pytest.raises(OSError, match="no PF_ROUTE 17 of freebsd") as caught:
        bsd.open_router("freebsd14")
    assert caught.value.errno == errno.EAFNOSUPPORT
    opened = []
    got = bsd.open_router("netbsd10", opener=lambda *args: opened.append(args) or FakeRouteSocket(kernel("netbsd")))
    assert opened == [(34, socket.SOCK_RAW, 0)] and (got.plat.name, got.pid) == ("netbsd", os.getpid())


def route_socket_backend(osname, sock, need=frozenset(("addresses", "routes", "outbound"))):
    from netifs import backends
    plat = rs.P[osname]
    return backends.RouteSocket(bsd.NAME, lambda n: bsd.take(FakeSysctl(tables(osname)), plat, n), need,
                                lambda: router(osname, sock))


def scripted_udp(monkeypatch, sources):
    """backends.UdpLookup's connected socket, scripted: ``sources`` {family: address, or an OSError}."""
    from netifs import backends
    asked = []

    def lookup(self, family, packed, oif):
        asked.append((family, oif))
        if isinstance(sources[family], Exception):
            raise sources[family]
        return {"preferred_source": sources[family], "interface": self.owner.get(sources[family]), "gateway": None,
                "table": None, "type": None}
    monkeypatch.setattr(backends.UdpLookup, "lookup", lookup)
    return asked


def test_the_backend_takes_ipv4_sources_from_the_answer_and_ipv6_ones_from_a_udp_socket(monkeypatch):
    asked = scripted_udp(monkeypatch, {4: "10.8.0.1", 6: "2001:db8:1::10"})
    sock = FakeRouteSocket(kernel("freebsd"))
    with route_socket_backend("freebsd", sock) as backend:
        assert backend.lookup(4, packed("8.8.8.8"), None)["preferred_source"] == "192.0.2.10"
        assert asked == []  # RTA_IFA is what IPv4 takes
        v6 = backend.lookup(6, packed("2001:4860:4860::8888"), None)
        assert (v6["preferred_source"], v6["interface"], v6["gateway"]) == ("2001:db8:1::10", 2, "fe80::1")
        assert asked == [(6, None)]
        assert backend.lookup(4, packed("203.0.113.9"), None) == {
            "preferred_source": None, "interface": None, "gateway": None, "table": 254, "type": "unreachable"}
        assert asked == [(6, None)]  # a rejecting route: no source to ask for
    assert sock.closed


def test_the_answer_stands_in_where_the_udp_socket_fails(monkeypatch):
    scripted_udp(monkeypatch, {6: OSError(errno.ENETUNREACH, "Network is unreachable")})
    with route_socket_backend("openbsd", FakeRouteSocket(kernel("openbsd"))) as backend:
        assert backend.lookup(6, packed("2001:4860:4860::8888"), None)["preferred_source"] == "fe80::a00:27ff:fe12:3456"


def test_match_is_the_route_the_last_lookup_found(monkeypatch):
    scripted_udp(monkeypatch, {4: "192.0.2.10"})
    sock = FakeRouteSocket(kernel("darwin"))
    with route_socket_backend("darwin", sock) as backend:
        backend.lookup(4, packed("10.9.8.7"), None)
        route, objects = backend.match(4, packed("10.9.8.7"))
        assert (route["destination"], route["gateway"], route["interface"], objects, len(sock.sent)) == (
            "10.9.0.0/16", "10.8.0.2", 3, None, 1)
        assert backend.match(4, packed("8.8.8.8"))[0]["destination"] == "0.0.0.0/0"  # asked anew
        assert len(sock.sent) == 2
        assert backend.match(4, packed("8.8.8.8"))[0]["destination"] == "0.0.0.0/0"  # once: asked again
        assert len(sock.sent) == 3


def test_without_a_routing_socket_the_udp_socket_and_the_tables(monkeypatch):
    from netifs import backends
    asked = scripted_udp(monkeypatch, {4: "192.0.2.10"})

    def refused():
        raise OSError(errno.EPERM, "Operation not permitted")
    backend = backends.RouteSocket(bsd.NAME, lambda n: bsd.take(FakeSysctl(tables("netbsd")), rs.P["netbsd"], n),
                                   {"addresses"}, refused)
    with backend:
        assert backend.lookup(4, packed("8.8.8.8"), None)["preferred_source"] == "192.0.2.10"
        assert backend.match(4, packed("8.8.8.8")) is None and asked == [(4, None)]
    assert backend.snap.warnings == ["cannot open a routing socket ([Errno 1] Operation not permitted): sources come "
                                     "from a connected UDP socket, the routes from the tables"]


def _gather_on_freebsd(monkeypatch, table, destinations):
    from netifs import backends, facts, freebsd_netlink

    def no_netlink():
        raise OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol")
    monkeypatch.setattr(freebsd_netlink, "open_conn", no_netlink)
    for module in (bsd, backends):
        monkeypatch.setattr(module.sys, "platform", "freebsd14")
    monkeypatch.setattr(bsd, "libc_sysctl", lambda: FakeSysctl(tables("freebsd")))
    monkeypatch.setattr(bsd, "open_router", lambda: router("freebsd", FakeRouteSocket(kernel("freebsd", table))))
    scripted_udp(monkeypatch, {4: "192.0.2.10", 6: "2001:db8:1::10"})
    return facts.gather(["interfaces", "addresses", "routes", "gateways", "best_local"], destinations=destinations)


def test_gather_on_freebsd_takes_the_way_out_from_the_kernel(monkeypatch):
    """The chooser falls back to the routing socket; each probe is asked with RTM_GET, the route
    it matched is the kernel's, and missing says nothing of best_local."""
    got = _gather_on_freebsd(monkeypatch, TABLE, ["8.8.8.8", "203.0.113.5", "10.9.0.1"])
    assert got["backend"] == "bsd_route_socket" and got["missing"] == []
    v4, v6 = got["default_ipv4"], got["default_ipv6"]
    assert (v4["interface"], v4["address"], v4["gateway"], v4["route"]["destination"], v4["route"]["table"]) == (
        "em0", "192.0.2.10", "192.0.2.1", "0.0.0.0/0", 254)
    assert all(p["agrees"] and p["matched"] == "0.0.0.0/0" for p in v4["probes"])
    assert (v6["interface"], v6["address"], v6["gateway"]) == ("em0", "2001:db8:1::10", "fe80::1")
    assert got["best_local"]["ipv4"][0] == {"address": "192.0.2.10", "prefixlen": 24, "interface": "em0"}
    # Both defaults of the dump are 0.0.0.0/0 in the one FIB: the route the lookup matched, both hops.
    assert sorted((g["address"], g["default"]) for g in got["gateways"] if g["family"] == 4) == [
        ("10.8.0.2", False), ("192.0.2.1", False), ("192.0.2.1", True), ("192.0.2.254", True)]
    reject, tun = got["sources"][1], got["sources"][2]
    assert (reject["type"], reject["table"], reject["source"], reject["error"]) == (
        "unreachable", 254, None, "the kernel's route to 203.0.113.5 is of type unreachable")
    assert (tun["interface"], tun["gateway"], tun["source"], tun["error"]) == ("tun0", "10.8.0.2", "10.8.0.1", None)


def test_gather_on_freebsd_without_a_route(monkeypatch):
    """ESRCH for every probe: no way out (as a host without a default route), and the reason in
    each probe and source."""
    got = _gather_on_freebsd(monkeypatch, [row for row in TABLE if row[0] not in ("0.0.0.0/0", "::/0")], ["8.8.8.8"])
    assert (got["default_ipv4"], got["default_ipv6"], got["best_local"]) == ({}, {}, {"ipv4": [], "ipv6": []})
    assert got["missing"] == []
    assert got["sources"][0]["error"] == "[Errno 3] RTM_GET 8.8.8.8: no route (ESRCH)"
