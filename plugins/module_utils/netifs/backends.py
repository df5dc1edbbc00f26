# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Which OS API gathers the facts: the native one first, then the fallbacks, in order.

A backend is opened with what the facts need; opening fails with OSError when its API is
missing or denied, and the next one is tried. Each open backend gives ``build(make)``, which
hands ``make(snapshot, lenient)`` a snapshot; ``lookup(family, packed, oif)``, the kernel's
answer for one destination (``sources``, the outbound probes); and ``match(family, packed)``, the
route that lookup matched with every next hop, as ``(route record, nexthop objects)``, or None
where the OS does not tell.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import sys

from . import sockaddr
from .errors import NetifsError
from .routes import REJECT_TYPES

_AF = {4: socket.AF_INET, 6: socket.AF_INET6}
# What a backend without a route lookup reads besides what was asked: the addresses (an answer
# names the interface holding its source) and, for the outbound probes, the routes (the tables
# tell which route a lookup took).
OWN_READS = ("addresses", "routes")
NO_RULES = "without rtnetlink: %s reads no policy routing rules (only Linux's RTM_GETRULE dump has them)"


def own_need(need):
    """``need`` and what a backend without a route lookup reads for itself."""
    return set(need) | {"addresses"} | ({"routes"} if "outbound" in need else set())


def _netlink_conn(open_conn):
    try:
        return open_conn()
    except OSError as exc:
        raise OSError(exc.errno, "cannot open a netlink socket: %s" % (exc.strerror or exc))


class _Socketed:
    """A backend holding a netlink socket, closed when the backend is."""

    conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.conn.close()


class Netlink(_Socketed):
    """Linux rtnetlink: a snapshot retaken while torn, destinations asked on the same socket."""

    def __init__(self, need):
        from . import linux  # here: only Linux has it (socket.AF_NETLINK)
        self.linux = linux
        self.name = linux.NAME
        self.need = need
        self.conn = _netlink_conn(linux.open_conn)

    def build(self, make):
        return self.linux.snapshot(self.conn, self.need, make)

    def lookup(self, family, packed, oif):
        return self.linux.route_get(self.conn, family, packed, oif)

    def match(self, family, packed):
        return self.linux.route_match(self.conn, family, packed)


class UdpLookup:
    """The kernel asked through a connected UDP socket, which routes the destination and sends
    nothing: for the backends without a route lookup of their own. Their snapshots always hold
    the addresses (``own_need``): an answer names the interface that holds its source."""

    owner = {}  # address -> index of the interface holding it, from ``remember``

    def remember(self, snap, asked):
        """Note each address's interface before the model moves the records. Tables read only
        for this backend's own use (``own_need``) are not the caller's: their losses go unreported."""
        self.owner = {a["address"]: a["index"] for a in snap.addresses}
        own = [name for name in OWN_READS if name not in asked]
        if own:
            snap.missing = [m for m in snap.missing if m["subset"] not in own]

    def lookup(self, family, packed, oif):
        """The source the kernel picks for ``packed``; gateway, table and type stay unknown (null)."""
        text = socket.inet_ntop(_AF[family], packed)
        if oif and family == 4:
            raise ValueError("this backend cannot pin an IPv4 lookup to an interface")
        with socket.socket(_AF[family], socket.SOCK_DGRAM) as sock:
            sock.connect((text, 9) if family == 4 else (text, 9, 0, oif or 0))
            source = sock.getsockname()[0].partition("%")[0]
        return {"preferred_source": source, "interface": self.owner.get(source), "gateway": None,
                "table": None, "type": None}

    def match(self, family, packed):
        """None: a connected socket does not tell which route it took (the tables then do)."""
        return None


class OnePass(UdpLookup):
    """A backend that reads its tables once (no torn-dump signal to retake them on), so the
    snapshot is built leniently. None of them reads policy rules: ``missing`` says so here."""

    def __init__(self, name, take, need):
        self.name = name
        self.snap = take(own_need(need))
        self.remember(self.snap, need)
        if "rules" in need:
            self.snap.lose("rules", None, NO_RULES % name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def build(self, make):
        return make(self.snap, True)


class _Recall:
    """The answer of a backend's last lookup, which outbound asks ``match`` about next: kept for
    that one call (the model resolves the route record it gives in place)."""

    _last = None  # (family, packed, answer)

    def _keep(self, family, packed, answer):
        self._last = (family, packed, answer)

    def _recall(self, family, packed, ask):
        """The kept answer for ``packed``, else ``ask(family, packed)``'s; None when that fails."""
        last, self._last = self._last, None
        if last is not None and last[:2] == (family, packed):
            return last[2]
        try:
            return ask(family, packed)
        except (OSError, NetifsError):
            return None


def _no_way_out(route):
    """A lookup that ends on a rejecting route: its table and type, and no source, interface or
    gateway (FreeBSD reports them through lo0 and 127.0.0.1)."""
    return {"preferred_source": None, "interface": None, "gateway": None, "table": route["table"], "type": route["type"]}


class RouteSocket(_Recall, OnePass):
    """BSD and macOS: the sysctl tables read once, and each destination asked with ``RTM_GET`` on a
    routing socket (bsd.Router), which answers with the route it matched. The source is the
    route's interface address (RTA_IFA) for IPv4, which is what the stack takes; for IPv6 the
    stack picks among the interface's addresses (RFC 6724), so a connected UDP socket asks it,
    RTA_IFA standing in only where that connect fails. Without a routing socket, every lookup is
    the UDP socket's and the route the tables' (a warning says why)."""

    def __init__(self, name, take, need, open_router):
        OnePass.__init__(self, name, take, need)
        try:
            self.router = open_router()
        except OSError as exc:
            self.router = None
            self.snap.warnings.append("cannot open a routing socket (%s): sources come from a connected UDP "
                                      "socket, the routes from the tables" % exc)

    def __exit__(self, *exc):
        if self.router is not None:
            self.router.close()

    def lookup(self, family, packed, oif):
        if self.router is None:
            return UdpLookup.lookup(self, family, packed, oif)
        answer = self.router.ask(family, packed, oif)
        self._keep(family, packed, None if oif else answer)
        found = dict(answer["lookup"])
        if found["interface"] is not None and (family == 6 or found["preferred_source"] is None):
            try:
                found["preferred_source"] = UdpLookup.lookup(self, family, packed, oif)["preferred_source"]
            except (OSError, ValueError):
                pass  # RTA_IFA's stays
        return found

    def match(self, family, packed):
        """The route the kernel matched (its one next hop: with several, RTM_GET names the first)."""
        answer = self._recall(family, packed, self.router.ask) if self.router is not None else None
        return None if answer is None or answer["route"] is None else (answer["route"], None)


class IpHelper(OnePass):
    """Windows: IP Helper's tables read once, and each destination asked with ``GetBestRoute2``,
    which answers with the route it matched and the source (windows.IpHelper). Where that call is
    refused, ``GetBestInterfaceEx`` names the interface, a connected UDP socket the source, and
    the route is the tables'."""

    def __init__(self, name, helper, need):
        OnePass.__init__(self, name, helper.snapshot, need)
        self.helper = helper

    def lookup(self, family, packed, oif):
        best = self.helper.best_route(family, packed, oif)
        if best is not None:
            return best[1]
        index = self.helper.best_interface(family, packed)
        return dict(UdpLookup.lookup(self, family, packed, oif), interface=index)

    def match(self, family, packed):
        try:
            best = self.helper.best_route(family, packed)
        except (OSError, NetifsError):
            return None
        return None if best is None else (best[0], None)


class FreeBSDNetlink(_Recall, _Socketed, UdpLookup):
    """FreeBSD 13.2+ rtnetlink: Linux's snapshot and retries over FreeBSD's dialect, and each
    destination asked with FreeBSD's RTM_GETROUTE (freebsd_netlink.route_get), which answers with
    the route it matched but no source: the source is a connected UDP socket's. A lookup through
    an interface (``oif``, which FreeBSD's lookup does not take) is the UDP socket's alone."""

    def __init__(self, need):
        from . import freebsd_netlink, linux
        self.linux, self.dialect = linux, freebsd_netlink
        self.name = freebsd_netlink.NAME
        self.asked, self.need = need, own_need(need)
        self.conn = _netlink_conn(freebsd_netlink.open_conn)

    def build(self, make):
        def make_remembered(snap, lenient):
            self.remember(snap, self.asked)
            return make(snap, lenient)
        return self.linux.snapshot(self.conn, self.need, make_remembered, take=self.dialect.take)

    def lookup(self, family, packed, oif):
        if oif:
            return UdpLookup.lookup(self, family, packed, oif)
        route = self.dialect.route_get(self.conn, family, packed)
        self._keep(family, packed, route)
        if route["type"] in REJECT_TYPES:
            return _no_way_out(route)
        return {"preferred_source": UdpLookup.lookup(self, family, packed, None)["preferred_source"],
                "interface": route["interface"], "gateway": route["gateway"], "table": route["table"],
                "type": route["type"]}

    def match(self, family, packed):
        """The route FreeBSD matched, with the one next hop it picks of a group; None for one that
        names a nexthop object (the tables then tell)."""
        route = self._recall(family, packed, lambda f, p: self.dialect.route_get(self.conn, f, p))
        return None if route is None or route["nexthop_id"] is not None else (route, None)


# The openers import their backend when called, so that a host whose native API opens loads
# none of the fallbacks (getifaddrs, route_socket and linux_proc take 25 ms to import).

def _linux_getifaddrs(need):
    from . import getifaddrs, linux_proc
    plat = sockaddr.PLATFORMS["linux"]
    return OnePass(getifaddrs.NAME, lambda n: getifaddrs.snapshot(n, plat, linux_proc.tables), need)


def _linux_procfs(need):
    from . import linux_proc  # fcntl and sysfs: Linux only
    return OnePass(linux_proc.NAME, linux_proc.snapshot, need)


def _bsd(need):
    from . import bsd
    return RouteSocket(bsd.NAME, bsd.snapshot, need, bsd.open_router)


def _windows(need):
    from . import windows
    return IpHelper(windows.NAME, windows.IpHelper(), need)


def _getifaddrs(plat):
    def opener(need):
        from . import getifaddrs
        return OnePass(getifaddrs.NAME, lambda n: getifaddrs.snapshot(n, plat), need)
    return opener


def chain(system=None):
    """The backends to try on ``system`` (``sys.platform``), best first: ``(name, open)`` pairs,
    where ``open(need)`` returns an open backend or raises OSError."""
    system = system or sys.platform
    if system.startswith("linux"):
        return [("linux_rtnetlink", Netlink), ("getifaddrs", _linux_getifaddrs), ("linux_procfs", _linux_procfs)]
    try:
        plat = sockaddr.platform(system)
    except KeyError:
        return []
    if plat.name == "windows":
        return [("windows_iphlpapi", _windows)]
    out = [("bsd_route_socket", _bsd)] if plat.has_len else []  # every sa_len OS has a routing socket
    if plat.name == "freebsd":  # 13.2 and later: nexthop objects and every fib, as on Linux
        out.insert(0, ("freebsd_rtnetlink", FreeBSDNetlink))
    return out + [("getifaddrs", _getifaddrs(plat))]


def nothing_on(system=None):
    """The reason given when ``chain()`` is empty."""
    return "no backend of netifs gathers network facts on %s" % (system or sys.platform)


def open_first(need, refused):
    """The first backend of ``chain()`` that opens, or None; each refusal is appended to
    ``refused`` as text (``name: reason``)."""
    for name, opener in chain():
        try:
            return opener(need)
        except OSError as exc:
            refused.append("%s: %s" % (name, exc))
    if not refused:
        refused.append(nothing_on())
    return None
