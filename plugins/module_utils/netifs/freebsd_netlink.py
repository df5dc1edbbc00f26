# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The FreeBSD 13.2+ backend: FreeBSD's rtnetlink, read with the Linux parsers.

FreeBSD emits Linux's message layouts and attribute numbers, so the Linux parsers read it given
FreeBSD's address family numbers; what differs is fixed on each record after parsing, so the
Linux path pays nothing for it. What FreeBSD emits is read from its sources (freebsd-src):
sys/netlink/route/iface.c (links, addresses; the revision with ``IFA_FREEBSD``/``IFAF_FLAGS``),
rt.c @031fbf8d (routes), nexthop.c @013ab21c (nexthop objects), interface.h @1712da01,
ifaddrs.h @12248780, route.h @6e225b56, nexthop.h @7e5bf684, netlink.h @013ab21c,
netlink_domain.c @0295edec, sys/net/if.h (14.x) and sys/net/if_types.h @039ea811.

The differences, and what is done with each:

* Address families inside messages: ``AF_INET6`` is 28 (``AF_LINK`` 18 for a nexthop without a
  gateway): the parsers get ``FAMILY``.
* ``ifi_type`` is the interface's ``IFT_*`` type, not an ``ARPHRD_*`` one; ``ifi_flags`` is
  ``if_flags | if_drv_flags`` in FreeBSD's ``IFF_*`` numbering (``multicast`` is 0x8000, not
  0x1000; ``lower_up`` is ``IFF_NETLINK_1``, 0x1000000): both re-read from the header.
* The permanent MAC is ``IFLAF_ORIG_HWADDR`` inside ``IFLA_FREEBSD`` (64), not ``IFLA_PERM_ADDRESS``.
* IPv6 address flags: ``in6_flags_to_nl`` never sets ``permanent`` or ``dadfailed`` (it ORs them
  into the wrong variable); both come from the raw ``IN6_IFF_*`` word in ``IFA_FREEBSD``/``IFAF_FLAGS``.
* Routes: ``RTA_TABLE`` is the fib number, and fib 0 is the default one: it is reported as the
  main table 254, so the default route selection (select.py) finds its default routes. Fibs 253-255
  exist only with net.fibs > 253 and would read as Linux's default, main and local tables: they
  are moved past FreeBSD's RT_MAXFIBS (65536). Every fib is dumped (rtm_table 0, no RTA_TABLE) and
  no table is skipped: FreeBSD has no ``local`` table.
* Weights: a multipath hop's ``rtnh_hops`` and a group member's weight are the weight itself
  (Linux: weight - 1); a single path's is ``RTA_WEIGHT`` (13, FreeBSD's) when it is not 1.
* Not sent (their keys stay null or empty, as for any kernel that leaves them out):
  ``IFLA_MIN_MTU``/``IFLA_MAX_MTU``, ``IFLA_MASTER``, ``IFLA_PROP_LIST``, ``RTA_PRIORITY`` (metric
  0), ``RTA_PREFSRC``, ``RTA_PREF``, IPv4 lifetimes; ``IFLA_STATS64`` has 24 counters.
* No ``RTM_GETMULTICAST``: multicast memberships are reported missing (the routing socket's
  ``NET_RT_IFMALIST`` sysctl has them; that is the routing-socket backend's).
* Route lookups: ``RTM_GETROUTE`` for one destination (``handle_rtm_getroute``) answers in fib 0
  with the matched route as the dump writes it, but with the one next hop ``nhop_select_func(nh,
  0)`` picks of a group, and without a source (no ``RTA_PREFSRC``); it reads neither the RTM_F_*
  flags nor ``RTA_OIF``, and answers ESRCH when nothing matches. Rejecting routes are answers
  (``blackhole``, or ``prohibit`` for RTF_REJECT).
* No ``RTM_GETRULE``: FreeBSD's routing has no policy rules (a process's or socket's fib is chosen
  by ``setfib(2)``/``SO_SETFIB`` or a firewall rule): ``rules`` are reported missing.
* The socket: ``AF_NETLINK`` is 38. Python before 3.13 has no constant and cannot pack FreeBSD's
  ``sockaddr_nl``: the socket then stays unbound (FreeBSD attaches it connected) and requests go
  out with ``send``. ``MSG_TRUNC`` is not passed: FreeBSD's netlink hands out whole messages
  only, and with ``MSG_TRUNC`` reports as truncated what it merely left queued.
* Kept as on Linux: ``SOL_NETLINK`` 270, ``NETLINK_EXT_ACK`` 11, ``NLMSG_*``, ``NLM_F_*``,
  extended acks, the errno in ``NLMSG_DONE``, ``RTN_*``, ``RTPROT_*``, scopes, ``IFA_F_*``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import socket

from . import addresses, linux, links, nexthops, routes, rtnetlink as rt
from .errors import NetlinkError
from .formats import flag_names, ip_text, mac_text
from .netlink import Conn, attr_map, u32

NAME = "freebsd_rtnetlink"

# sys/sys/socket.h
AF_NETLINK = 38
AF_INET = 2
AF_INET6 = 28
FAMILY = {AF_INET: 4, AF_INET6: 6}
AF_OF = {4: AF_INET, 6: AF_INET6}
FAMILIES = ((AF_INET, 4), (AF_INET6, 6))
NETLINK_ROUTE = 0

# sys/net/if.h. 0x20 is left out: IFF_KNOWSEPOCH in 13, IFF_NEEDSEPOCH (the opposite) in 14.
IFF_FLAGS = (
    (0x1, "up"), (0x2, "broadcast"), (0x4, "debug"), (0x8, "loopback"), (0x10, "pointopoint"),
    (0x40, "running"), (0x80, "noarp"), (0x100, "promisc"), (0x200, "allmulti"), (0x400, "oactive"),
    (0x800, "simplex"), (0x1000, "link0"), (0x2000, "link1"), (0x4000, "link2"), (0x8000, "multicast"),
    (0x10000, "cantconfig"), (0x20000, "ppromisc"), (0x40000, "monitor"), (0x80000, "staticarp"),
    (0x100000, "stickyarp"), (0x200000, "dying"), (0x400000, "renaming"), (0x800000, "pallmulti"),
    (0x1000000, "lower_up"),
)

# sys/net/if_types.h: the Linux name where the two mean the same, else FreeBSD's own.
IFT_NAMES = {
    0x1: "other", 0x6: "ether", 0x17: "ppp", 0x18: "loopback", 0x1c: "slip", 0x35: "propvirtual",
    0x47: "ieee802.11", 0x83: "tunnel", 0x87: "l2vlan", 0x90: "ieee1394", 0xa1: "ieee8023adlag",
    0xc7: "infiniband", 0xd1: "bridge", 0xd7: "stf", 0xf0: "gif", 0xf4: "enc", 0xf6: "pflog",
    0xf7: "pfsync", 0xf8: "carp",
}

IFLA_FREEBSD = 64  # nested, interface.h
IFLAF_ORIG_HWADDR = 2
IFA_FREEBSD = 11  # nested, ifaddrs.h
IFAF_FLAGS = 2  # u32: the address's IN6_IFF_* word
IN6_IFF_DUPLICATED = 0x04  # netinet6/in6_var.h
IN6_IFF_AUTOCONF = 0x40
IN6_IFF_TEMPORARY = 0x80
IFA_F_DADFAILED = 0x08
IFA_F_PERMANENT = 0x80
RTA_WEIGHT = 13  # route.h, FreeBSD's

RT_MAXFIBS = 65536
FIB_TABLES = {0: 254, 253: RT_MAXFIBS + 253, 254: RT_MAXFIBS + 254, 255: RT_MAXFIBS + 255}

MULTICAST_MISSING = ("FreeBSD's rtnetlink has no multicast dump (RTM_GETMULTICAST); the routing socket's "
                     "NET_RT_IFMALIST has the memberships")


def parse_link(buf, start, stop):
    """``links.parse_link`` with FreeBSD's interface type, flags and original MAC."""
    rec = links.parse_link(buf, start, stop)
    _family, ift, _index, flags, _change = rt.IFINFOMSG.unpack_from(buf, start)
    rec["type"] = IFT_NAMES.get(ift) or str(ift)
    rec["flags"] = flag_names(flags, IFF_FLAGS)
    a = attr_map(buf, start + rt.IFINFOMSG.size, stop, "RTM_NEWLINK")
    if IFLA_FREEBSD in a:
        span = a[IFLA_FREEBSD]
        own = attr_map(buf, span[0], span[1], "IFLA_FREEBSD")
        if IFLAF_ORIG_HWADDR in own:
            rec["permanent_mac"] = mac_text(bytes(buf[own[IFLAF_ORIG_HWADDR][0]:own[IFLAF_ORIG_HWADDR][1]]))
    return rec


def _in6_flags(word, in6):
    """The ``IFA_F_*`` word ``in6_flags_to_nl`` means to send: ``dadfailed`` and ``permanent`` too."""
    if in6 & IN6_IFF_DUPLICATED:
        word |= IFA_F_DADFAILED
    if not in6 & (IN6_IFF_AUTOCONF | IN6_IFF_TEMPORARY):
        word |= IFA_F_PERMANENT
    return word


def parse_address(buf, start, stop):
    """``addresses.parse_address`` with FreeBSD's families and IPv6 flags; IPv6 has no broadcast."""
    rec = addresses.parse_address(buf, start, stop, FAMILY)
    if rec["family"] != 6:
        return rec
    rec["broadcast"] = None
    a = attr_map(buf, start + rt.IFADDRMSG.size, stop, "RTM_NEWADDR")
    if IFA_FREEBSD in a:
        span = a[IFA_FREEBSD]
        own = attr_map(buf, span[0], span[1], "IFA_FREEBSD")
        if IFAF_FLAGS in own:
            word = u32(buf, a[addresses.IFA_FLAGS], "IFA_FLAGS") if addresses.IFA_FLAGS in a else 0
            word = _in6_flags(word, u32(buf, own[IFAF_FLAGS], "IFAF_FLAGS"))
            rec["flags"] = flag_names(word, addresses.IFA_FLAG_NAMES[6])
    return rec


def table_of(fib):
    """The ``table`` a fib is reported as (see the module's docstring)."""
    return FIB_TABLES.get(fib, fib)


def parse_route(buf, start, stop):
    """``routes.parse_route`` with FreeBSD's families, fib numbers and weights."""
    rec = routes.parse_route(buf, start, stop, FAMILY)
    rec["table"] = table_of(rec["table"])
    a = attr_map(buf, start + rt.RTMSG.size, stop, "RTM_NEWROUTE")
    if routes.RTA_MULTIPATH in a:
        for hop in rec["nexthops"]:
            hop["weight"] -= 1  # the parser's rtnh_hops + 1
    elif RTA_WEIGHT in a and len(rec["nexthops"]) == 1:
        rec["nexthops"][0]["weight"] = u32(buf, a[RTA_WEIGHT], "RTA_WEIGHT")
    return rec


def parse_nexthop(buf, start, stop):
    """``nexthops.parse_nexthop`` with FreeBSD's families and group weights."""
    rec = nexthops.parse_nexthop(buf, start, stop, FAMILY)
    if rec["group"] is not None:
        rec["group"] = [(member, weight - 1) for member, weight in rec["group"]]  # the parser's + 1
    return rec


RULES_MISSING = ("FreeBSD's rtnetlink has no policy rules (RTM_GETRULE): a process's or socket's fib is chosen "
                 "by setfib(2)/SO_SETFIB or a firewall rule instead")


def _multicast(conn, snap):
    for _af, family in FAMILIES:
        snap.lose("multicast", family, MULTICAST_MISSING)


def _rules(conn, snap):
    snap.lose("rules", None, RULES_MISSING)


# The link dump asks for nothing: FreeBSD sends the counters anyway, and a plain ifinfomsg passes
# its strict header check too (check_ifmsg).
FREEBSD = linux.Dialect(FAMILIES, lambda need: rt.IFINFOMSG.pack(rt.AF_UNSPEC, 0, 0, 0, 0), parse_link,
                        parse_address, parse_route, None, parse_nexthop, _multicast, _rules)


def take(conn, need):
    """One snapshot over ``conn`` (``linux.snapshot``'s ``take``)."""
    return linux._take(conn, need, FREEBSD)


def _route_answer(_mtype, buf, start, stop):
    return parse_route(buf, start, stop)


def route_get(conn, family, packed):
    """FreeBSD's RTM_GETROUTE for one destination, in fib 0 (rt.c ``handle_rtm_getroute``: no
    RTA_TABLE asks fib 0; RTM_F_* flags and RTA_OIF are not read): the route its longest match
    found, as the dump has it but with the one next hop ``nhop_select_func`` picks of a group, and
    no source (no RTA_PREFSRC). A reject route is an answer (blackhole, or prohibit for
    RTF_REJECT). OSError when there is no route (ESRCH), NetlinkError for another refusal."""
    try:
        return conn.request(rt.RTM_GETROUTE, rt.route_get(AF_OF[family], packed), _route_answer, "route lookup")
    except NetlinkError as exc:
        if exc.errno != errno.ESRCH:
            raise
        raise OSError(errno.ESRCH, "RTM_GETROUTE %s: no route (ESRCH)" % ip_text(packed))


def open_conn():
    """A NETLINK_ROUTE socket. OSError before 13.2, or without netlink in the kernel (EAFNOSUPPORT,
    EPROTONOSUPPORT), so that the caller falls back to the routing socket."""
    native = getattr(socket, "AF_NETLINK", None) == AF_NETLINK  # Python 3.13+ packs sockaddr_nl
    return Conn(NETLINK_ROUTE, family=AF_NETLINK, address=(0, 0) if native else None, recv_flags=0)
