# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The Linux backend: one consistent rtnetlink snapshot of links, addresses, routes, nexthop
objects and multicast memberships, and the kernel's own route lookup for named destinations.

This is the only module here that talks to the kernel; everything it reads goes through the
pure parsers.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import struct

from . import procfs, rtnetlink as rt
from .addresses import parse_address, parse_multicast
from .errors import DENIED, UNSUPPORTED, DumpInterrupted, NetlinkError, ParseError, TornSnapshot
from .links import parse_link
from .netlink import Conn
from .nexthops import expand, parse_nexthop
from .routes import is_local_table, parse_route

NAME = "linux_rtnetlink"
ATTEMPTS = 5  # whole snapshots taken before a torn dump is reported as an error
FAMILIES = ((rt.AF_INET, 4), (rt.AF_INET6, 6))
PROC_MULTICAST = {4: ("/proc/net/igmp", procfs.parse_igmp), 6: ("/proc/net/igmp6", procfs.parse_igmp6)}


class Snapshot:
    """What one pass over the kernel's tables found, as parser records."""

    def __init__(self):
        self.links = []
        self.addresses = []
        self.routes = []
        self.multicast = []
        self.missing = []
        self.warnings = []

    def lose(self, subset, family, reason):
        self.missing.append({"subset": subset, "family": family, "reason": reason})

    def collector(self, want, parse, out, skip=None):
        """A dump handler: parse messages of type ``want`` into ``out``; keep going past bad ones."""
        def handle(mtype, buf, start, stop):
            if mtype != want or (skip is not None and skip(buf, start)):
                return
            try:
                out.append(parse(buf, start, stop))
            except ParseError as exc:
                self.warnings.append("skipped a malformed message: %s" % exc)
            except (struct.error, IndexError, ValueError) as exc:
                self.warnings.append("skipped a malformed message of type %d: %s" % (mtype, exc))
        return handle


def open_conn():
    return Conn()


def _dump(conn, snap, subset, family, mtype, payload, handler):
    """One dump into ``handler``; False when this family or message is not offered here."""
    try:
        if conn.dump(mtype, payload, handler, "%s dump" % subset):
            raise TornSnapshot("the kernel flagged the %s dump as interrupted" % subset)
    except NetlinkError as exc:
        if exc.errno in UNSUPPORTED:
            return False
        if exc.errno in DENIED:
            snap.lose(subset, family, str(exc))
            return False
        raise
    return True


def _routes(conn, snap):
    for af, family in FAMILIES:
        # One dump per family: some kernels answer AF_UNSPEC with IPv4 only.
        handler = snap.collector(rt.RTM_NEWROUTE, parse_route, snap.routes, skip=is_local_table)
        _dump(conn, snap, "routes", family, rt.RTM_GETROUTE, rt.route_dump(af), handler)
    if any(r["nexthop_id"] is not None for r in snap.routes):
        _resolve_nexthops(conn, snap)


def _resolve_nexthops(conn, snap):
    objects = []
    handler = snap.collector(rt.RTM_NEWNEXTHOP, parse_nexthop, objects)
    # Always AF_UNSPEC: a per-family dump leaves groups out.
    _dump(conn, snap, "routes", None, rt.RTM_GETNEXTHOP, rt.family_dump(rt.AF_UNSPEC), handler)
    by_id = {nh["id"]: nh for nh in objects}
    for route in snap.routes:
        if route["nexthop_id"] is not None:
            route["nexthops"] = expand(route["nexthop_id"], by_id)


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _multicast(conn, snap):
    for af, family in FAMILIES:
        # Replies carry RTM_GETMULTICAST as their type, not RTM_NEWMULTICAST.
        handler = snap.collector(rt.RTM_GETMULTICAST, parse_multicast, snap.multicast)
        if _dump(conn, snap, "multicast", family, rt.RTM_GETMULTICAST, rt.family_dump(af), handler):
            continue
        path, parse = PROC_MULTICAST[family]
        try:
            snap.multicast.extend(parse(_read(path)))
        except (IOError, OSError) as exc:
            if family == 6 and getattr(exc, "errno", None) == 2:
                continue  # no igmp6 file: IPv6 is not there at all
            snap.lose("multicast", family, "%s: %s" % (path, exc))
        except ParseError as exc:
            snap.lose("multicast", family, str(exc))


def _take(conn, need):
    snap = Snapshot()
    handler = snap.collector(rt.RTM_NEWLINK, parse_link, snap.links)
    _dump(conn, snap, "interfaces", None, rt.RTM_GETLINK, rt.link_dump("stats" in need), handler)
    if "addresses" in need:
        handler = snap.collector(rt.RTM_NEWADDR, parse_address, snap.addresses)
        _dump(conn, snap, "addresses", None, rt.RTM_GETADDR, rt.family_dump(rt.AF_UNSPEC), handler)
    if "routes" in need:
        _routes(conn, snap)
    if "multicast" in need:
        _multicast(conn, snap)
    return snap


def snapshot(conn, need, build, attempts=ATTEMPTS):
    """``build(snapshot)`` of a consistent snapshot of what ``need`` names (``addresses``,
    ``routes``, ``multicast``, ``stats``; links always).

    The whole snapshot is taken again when a dump was interrupted or ``build`` finds it torn
    (``TornSnapshot``), at most ``attempts`` times.
    """
    for _attempt in range(attempts):
        try:
            return build(_take(conn, need))
        except TornSnapshot:
            continue
    raise DumpInterrupted("the kernel's tables changed during each of %d snapshots; netifs gave "
                          "up rather than report a torn view" % attempts)


def route_get(conn, family, packed, oif=None):
    """The kernel's answer for one destination, as a route record (``NetlinkError`` on failure)."""
    return conn.request(rt.RTM_GETROUTE, rt.route_get(rt.AF_OF[family], packed, oif),
                        lambda mtype, buf, start, stop: parse_route(buf, start, stop),
                        "route lookup")
