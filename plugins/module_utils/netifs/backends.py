# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Which OS API gathers the facts: the native one first, then the fallbacks, in order.

A backend is opened with what the facts need; opening fails with OSError when its API is
missing or denied, and the next one is tried. Each open backend gives ``build(make)``, which
hands ``make(snapshot, lenient)`` a snapshot, and ``lookup(family, packed, oif)``, the
kernel's answer for one destination, for ``sources``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import sys

from . import sockaddr
from .select import DEFAULT_DESTINATIONS

_AF = {4: socket.AF_INET, 6: socket.AF_INET6}
# Where to ask about a default route without a gateway (RFC 5737 and RFC 3849 documentation
# addresses; connect() on a UDP socket sends nothing).
PROBE = {4: "192.0.2.1", 6: "2001:db8::1"}
WITH_ADDRESSES = frozenset(("addresses",))


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


class UdpLookup:
    """The kernel asked through a connected UDP socket, which routes the destination and sends
    nothing: for the backends without a route lookup of their own. Their snapshots always hold
    the addresses (``WITH_ADDRESSES``): an answer names the interface that holds its source."""

    owner = {}  # address -> index of the interface holding it, from ``remember``

    def remember(self, snap, asked):
        """Note each address's interface before the model moves the records. Addresses read only
        for this (``asked`` has no ``addresses``) are not the caller's: their losses go unreported."""
        self.owner = {a["address"]: a["index"] for a in snap.addresses}
        if "addresses" not in asked:
            snap.missing = [m for m in snap.missing if m["subset"] != "addresses"]

    def kernel_sources(self, snap):
        """Each default route's source as the kernel picks it, so that ``best_local`` puts the
        kernel's choice first rather than a guess from the table. The kernel is asked towards the
        route's gateway, or a documentation address for a route without one; its answer counts
        for the routes that leave through the interface holding that source."""
        for route in snap.routes:
            family = route["family"]
            if route["destination"] != DEFAULT_DESTINATIONS[family] or route["preferred_source"]:
                continue
            target = route["gateway"] or PROBE[family]
            oif = route["interface"] if family == 6 else None
            try:
                found = self.lookup(family, socket.inet_pton(_AF[family], target), oif)
            except (OSError, ValueError) as exc:
                # the kernel has no answer either: best_local falls back to the table
                snap.warnings.append("no kernel source address towards %s: %s" % (target, exc))
                continue
            if self.owner.get(found["preferred_source"]) == route["interface"]:
                route["preferred_source"] = found["preferred_source"]

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


class OnePass(UdpLookup):
    """A backend that reads its tables once (no torn-dump signal to retake them on), so the
    snapshot is built leniently."""

    def __init__(self, name, take, need):
        self.name = name
        self.snap = take(set(need) | WITH_ADDRESSES)
        self.remember(self.snap, need)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def build(self, make):
        self.kernel_sources(self.snap)
        return make(self.snap, True)


class FreeBSDNetlink(_Socketed, UdpLookup):
    """FreeBSD 13.2+ rtnetlink: Linux's snapshot and retries over FreeBSD's dialect. Its route
    lookup is not used yet, so sources are asked as by the one-pass backends."""

    def __init__(self, need):
        from . import freebsd_netlink, linux
        self.linux, self.dialect = linux, freebsd_netlink
        self.name = freebsd_netlink.NAME
        self.asked, self.need = need, set(need) | WITH_ADDRESSES
        self.conn = _netlink_conn(freebsd_netlink.open_conn)

    def build(self, make):
        def make_with_sources(snap, lenient):
            self.remember(snap, self.asked)
            self.kernel_sources(snap)
            return make(snap, lenient)
        return self.linux.snapshot(self.conn, self.need, make_with_sources, take=self.dialect.take)


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
    return OnePass(bsd.NAME, bsd.snapshot, need)


def _windows(need):
    from . import windows
    return OnePass(windows.NAME, windows.snapshot, need)


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
