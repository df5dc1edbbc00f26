# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The Linux backend: one consistent rtnetlink snapshot of links, addresses, routes, nexthop
objects, policy rules and multicast memberships, and the kernel's own route lookup for named destinations.

This is the only module here that talks to the kernel; everything it reads goes through the
pure parsers.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import contextlib
import errno
import gc
import os
import socket

from . import procfs, rtnetlink as rt
from .addresses import parse_address, parse_multicast
from .errors import DENIED, UNSUPPORTED, DumpInterrupted, NetlinkError, ParseError, TornSnapshot
from .links import parse_link, stub_link
from .netlink import Conn
from .nexthops import parse_nexthop
from .routes import is_local_table, parse_route
from .rules import parse_rule
from .snapshot import Snapshot

NAME = "linux_rtnetlink"
ATTEMPTS = 8  # whole snapshots taken before a torn dump is reported as an error
FAMILIES = ((rt.AF_INET, 4), (rt.AF_INET6, 6))
PROC_MULTICAST = {4: ("/proc/net/igmp", procfs.parse_igmp), 6: ("/proc/net/igmp6", procfs.parse_igmp6)}

# What another OS's rtnetlink changes in ``_take``: its family numbers, its parsers (the Linux
# ones wrapped, see freebsd_netlink.py), the link dump request, which route messages to skip, and
# where multicast memberships and policy rules come from. LINUX is defined below ``_rules``.
Dialect = collections.namedtuple(
    "Dialect", "families link_request parse_link parse_address parse_route skip_route parse_nexthop multicast rules")


def open_conn():
    return Conn()


def _dump(conn, subset, mtype, payload, handler):
    """One dump into ``handler``; returns the kernel's refusal (unsupported or denied) or None."""
    try:
        if conn.dump(mtype, payload, handler, "%s dump" % subset):
            raise TornSnapshot("the kernel flagged the %s dump as interrupted" % subset)
    except NetlinkError as exc:
        if exc.errno in UNSUPPORTED or exc.errno in DENIED:
            return exc
        raise
    return None


def _refused(snap, subset, family, refusal):
    """A denied dump is missing data; an unsupported one is an empty answer."""
    if refusal is not None and refusal.errno in DENIED:
        snap.lose(subset, family, str(refusal))


def _routes(conn, snap, dialect):
    for af, family in dialect.families:
        # One dump per family: some kernels answer AF_UNSPEC with IPv4 only.
        handler = snap.collector(rt.RTM_NEWROUTE, dialect.parse_route, snap.routes, skip=dialect.skip_route)
        _refused(snap, "routes", family, _dump(conn, "routes", rt.RTM_GETROUTE, rt.route_dump(af), handler))
    if any(r["nexthop_id"] is not None for r in snap.routes):
        objects = []
        handler = snap.collector(rt.RTM_NEWNEXTHOP, dialect.parse_nexthop, objects)
        # Always AF_UNSPEC: a per-family dump leaves groups out.
        refusal = _dump(conn, "routes", rt.RTM_GETNEXTHOP, rt.family_dump(rt.AF_UNSPEC), handler)
        _refused(snap, "routes", None, refusal)
        if refusal is None:
            snap.nexthops = {nh["id"]: nh for nh in objects}


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _multicast(conn, snap):
    for af, family in FAMILIES:
        handler = snap.collector(rt.RTM_GETMULTICAST, parse_multicast, snap.multicast)
        refusal = _dump(conn, "multicast", rt.RTM_GETMULTICAST, rt.family_dump(af), handler)
        if refusal is None:
            continue
        # Older kernels have no multicast dump for a family; /proc has the same table.
        path, parse = PROC_MULTICAST[family]
        try:
            snap.multicast.extend(parse(_read(path)))
        except (IOError, OSError) as exc:
            if refusal.errno in UNSUPPORTED and getattr(exc, "errno", None) == errno.ENOENT and family == 6:
                continue  # neither a dump nor igmp6: this kernel has no IPv6 at all
            snap.lose("multicast", family, "%s; %s: %s" % (refusal, path, exc))
        except ParseError as exc:
            snap.lose("multicast", family, "%s; %s" % (refusal, exc))


def _rules(conn, snap):
    for af, family in FAMILIES:
        # One dump per family, as ``ip -4 rule`` / ``ip -6 rule``: AF_UNSPEC would add other families' rules.
        handler = snap.collector(rt.RTM_NEWRULE, parse_rule, snap.rules)
        _refused(snap, "rules", family, _dump(conn, "rules", rt.RTM_GETRULE, rt.rule_dump(af), handler))


LINUX = Dialect(FAMILIES, lambda need: rt.link_dump("stats" in need), parse_link, parse_address, parse_route,
                is_local_table, parse_nexthop, _multicast, _rules)


def _stub_links(snap):
    """When the link dump is denied (some sandboxes, Android), name the interfaces through
    ``if_nameindex(3)``, an ioctl, so that addresses and routes still have their interfaces."""
    try:
        pairs = socket.if_nameindex()
    except OSError as exc:
        snap.warnings.append("if_nameindex: %s" % exc)
        return
    snap.links = [stub_link(index, os.fsencode(name)) for index, name in pairs]


def _take(conn, need, dialect=LINUX):
    snap = Snapshot()
    handler = snap.collector(rt.RTM_NEWLINK, dialect.parse_link, snap.links)
    refusal = _dump(conn, "interfaces", rt.RTM_GETLINK, dialect.link_request(need), handler)
    _refused(snap, "interfaces", None, refusal)
    if refusal is not None and refusal.errno in DENIED:
        _stub_links(snap)
    if "addresses" in need:
        handler = snap.collector(rt.RTM_NEWADDR, dialect.parse_address, snap.addresses)
        _refused(snap, "addresses", None,
                 _dump(conn, "addresses", rt.RTM_GETADDR, rt.family_dump(rt.AF_UNSPEC), handler))
    if "routes" in need:
        _routes(conn, snap, dialect)
    if "multicast" in need:
        dialect.multicast(conn, snap)
    if "rules" in need:
        dialect.rules(conn, snap)
    return snap


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection while a snapshot is parsed and built.

    A large snapshot allocates hundreds of thousands of dicts and lists, none of them in a
    cycle, and each allocation burst triggers collections that traverse the records made so
    far: a fifth of the time at 100,000 routes, and growing faster than the table.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def snapshot(conn, need, build, attempts=ATTEMPTS, take=None):
    """``build(snapshot, lenient)`` of a consistent snapshot of what ``need`` names
    (``addresses``, ``routes``, ``multicast``, ``rules``, ``stats``; links always).

    The whole snapshot is taken again when a dump was interrupted (``NLM_F_DUMP_INTR``) or
    ``build`` finds it torn (``TornSnapshot``: a record names an interface or nexthop object the
    snapshot does not hold), at most ``attempts`` times; an interrupted dump on the last attempt
    is an error. The last attempt is built leniently: such references are dropped, with a
    warning, instead. The links are dumped first, so on a busy host they name interfaces made
    after that dump, or a malformed message that was skipped; either way the snapshot stays
    consistent, and a host whose tables never stand still still gets its facts.

    ``take(conn, need)`` takes one snapshot: Linux's ``_take`` unless another dialect's is given.
    """
    for attempt in range(attempts):
        try:
            with gc_paused():
                snap = (take or _take)(conn, need)
                return build(snap, attempt == attempts - 1)
        except TornSnapshot:
            continue
    raise DumpInterrupted("the kernel's tables changed during each of %d snapshots; netifs gave "
                          "up rather than report a torn view" % attempts)


def _route_answer(_mtype, buf, start, stop):
    return parse_route(buf, start, stop)


def _nexthop_answer(_mtype, buf, start, stop):
    return parse_nexthop(buf, start, stop)


def route_get(conn, family, packed, oif=None):
    """The kernel's answer for one destination, as a route record (``NetlinkError`` on failure)."""
    return conn.request(rt.RTM_GETROUTE, rt.route_get(rt.AF_OF[family], packed, oif), _route_answer,
                        "route lookup")


def route_match(conn, family, packed):
    """The route the kernel's lookup of one destination matches, as the table holds it, with every
    next hop (``ip route get fibmatch``): ``(route record, nexthop objects)``, the objects
    ``{id: record}`` of the one the route names and its group's members, or None."""
    route = conn.request(rt.RTM_GETROUTE, rt.route_get(rt.AF_OF[family], packed, fib_match=True),
                         _route_answer, "route match")
    if route["nexthop_id"] is None:
        return route, None
    objects, pending = {}, [route["nexthop_id"]]
    while pending:  # a group's members are plain objects: two rounds at most
        nid = pending.pop()
        if nid not in objects:
            try:
                objects[nid] = conn.request(rt.RTM_GETNEXTHOP, rt.nexthop_get(nid), _nexthop_answer,
                                            "nexthop %d lookup" % nid)
            except NetlinkError as exc:
                if exc.errno != errno.ENOENT:
                    raise
                raise TornSnapshot("nexthop %d of route %s is gone" % (nid, route["destination"]))
            pending.extend(member for member, _weight in objects[nid]["group"] or ())
    return route, objects
