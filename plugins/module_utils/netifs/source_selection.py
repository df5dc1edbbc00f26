# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The route, next hops and source address a host would use for a destination, worked out from
gathered facts (``netifs.routes`` and ``netifs.interfaces``) without asking the kernel again.

It follows the kernel without policy rules: the local addresses first, then the longest matching
prefix of table main, then of table default, ties broken by metric and RFC 4191 preference; the
source is the route's preferred source, else what the kernel would pick: for IPv4 the primary
address of the output interface on the gateway's subnet (``inet_select_addr``), for IPv6 the
RFC 6724 rules as ``ipv6_dev_get_saddr`` applies them. ECMP gives every usable next hop, since the
kernel picks one by a hash of the flow.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket

from .select import PREFERENCE_RANK

LOOKUP_TABLES = (254, 253)  # main, then default; local is handled by the address check
_TABLE_ORDER = {table: rank for rank, table in enumerate(LOOKUP_TABLES)}
REJECT_TYPES = frozenset(("blackhole", "unreachable", "prohibit"))
# A lookup skips dead hops only: the kernel routes through link-down ones unless the sysctl
# ignore_routes_with_linkdown is set, which the facts do not show.
LOOKUP_UNUSABLE = frozenset(("dead", "blackhole"))
_AF = {4: socket.AF_INET, 6: socket.AF_INET6}
_BITS = {4: 32, 6: 128}
# Address scopes as RFC 4007 numbers them, for RFC 6724 rule 2.
_SCOPE_RANK = {"host": 1, "link": 2, "site": 5, "global": 14}
# Linux's default IPv6 address label table (net/ipv6/addrlabel.c), longest prefix first.
_LABELS = (("::1", 128, 0), ("::ffff:0:0", 96, 4), ("::", 96, 3), ("2001::", 32, 6),
           ("2001:10::", 28, 7), ("2002::", 16, 2), ("3ffe::", 16, 12), ("fec0::", 10, 11),
           ("fc00::", 7, 5), ("::", 0, 1))


def parse_address(text):
    """``(family, integer, zone)`` of an address string that may carry ``%zone``."""
    if not isinstance(text, str):
        raise ValueError("destination %r is not an address" % (text,))
    addr, _sep, zone = text.partition("%")
    for family in (4, 6):
        try:
            packed = socket.inet_pton(_AF[family], addr)
        except (OSError, ValueError):
            continue
        if zone and family == 4:
            break
        return family, int.from_bytes(packed, "big"), zone or None
    raise ValueError("destination %r is not an IPv4 or IPv6 address" % (text,))


def _network(cidr, family):
    addr, _sep, plen = cidr.partition("/")
    plen = int(plen)
    value = int.from_bytes(socket.inet_pton(_AF[family], addr), "big")
    return value >> (_BITS[family] - plen) if plen else 0, plen


def _contains(cidr, family, value):
    net, plen = _network(cidr, family)
    return (value >> (_BITS[family] - plen) if plen else 0) == net


def _addresses(interfaces, family):
    """``(interface name, address record)`` of ``family``, in the kernel's order."""
    return [(name, a) for name, iface in interfaces.items()
            for a in iface.get("addresses", ()) if a["family"] == family]


def _local(interfaces, family, value):
    """The ``local``-table answer for one of the host's own addresses, the prefix of a host-scope
    address (all of 127.0.0.0/8), or a broadcast address; None for anything else.

    A tentative address is not local yet. A group joined with ``autojoin`` is local too: IPv4
    calls the route multicast (through lo, from the group address, as ``__mkroute_output`` does);
    for IPv6 a group is never a source, so RFC 6724 picks one.
    """
    lo = next((n for n, i in interfaces.items() if "loopback" in i.get("flags", ())), None)
    addrs = [(n, a) for n, a in _addresses(interfaces, family)
             if not {"tentative", "dadfailed"}.intersection(a["flags"])]
    for name, addr in addrs:
        if parse_address(addr["address"])[1] != value:
            continue
        group = addr["class"] == "multicast"
        source = (_source_v6(interfaces, lo or name, value) if group and family == 6
                  else _primary(addrs, name, addr))
        kind = "multicast" if group and family == 4 else "local"
        return {"type": kind, "interface": lo or name, "source": source, "table": 255}
    for name, addr in addrs:
        if addr["scope"] == "host" and _contains(addr["network"], family, value):
            return {"type": "local", "interface": lo or name, "source": addr["address"], "table": 255}
        if addr.get("broadcast") and parse_address(addr["broadcast"])[1] == value:
            return {"type": "broadcast", "interface": name, "source": addr["address"], "table": 255}
    return None


def _primary(addrs, ifname, addr):
    """The source of a local route: an IPv4 secondary address's primary, else the address."""
    if "secondary" in addr["flags"]:
        for name, other in addrs:
            if name == ifname and "secondary" not in other["flags"] and other["network"] == addr["network"]:
                return other["address"]
    return addr["address"]


def _candidates(routes, family, value, table):
    """Routes of ``table`` that cover the destination, best first."""
    hits = [r for r in routes if r["family"] == family and r["table"] == table and not r["tos"]
            and not r.get("source") and _contains(r["destination"], family, value)]
    return sorted(hits, key=_rank)


def _rank(route):
    """Longest prefix first, then lowest metric, then RFC 4191 preference."""
    return (-int(route["destination"].rpartition("/")[2]), route["metric"],
            PREFERENCE_RANK.get(route["preference"], 1))


def _hops(route, zone):
    return [h for h in route["nexthops"] if not LOOKUP_UNUSABLE.intersection(h["flags"])
            and (zone is None or h["interface"] == zone)]


def match_route(routes, family, value, zone=None):
    """``(route, hops)``: the route the kernel would use and its usable next hops (through the
    zone's interface when a zone is given). IPv6 equal routes pool their hops, as the kernel
    keeps them as ECMP siblings; IPv4 uses the first of equal routes (``ip route append``). ``(None, [])`` when no route covers the destination."""
    for table in LOOKUP_TABLES:
        candidates = _candidates(routes, family, value, table)
        for index, route in enumerate(candidates):
            if route["type"] in REJECT_TYPES:
                return route, []
            if route["type"] == "throw":
                break  # on to the next table
            hops = _hops(route, zone)
            if not hops:
                continue  # every hop dead or elsewhere: the kernel tries the next match
            for sibling in candidates[index + 1:] if family == 6 else ():
                if _rank(sibling) == _rank(route) and sibling["type"] == route["type"]:
                    hops += [h for h in _hops(sibling, zone) if h not in hops]
            return route, hops
    return None, []


def _source_v4(interfaces, ifname, gateway):
    """``inet_select_addr``: the output interface's first primary address on the gateway's
    subnet, else its first primary address, else the first global address of any interface."""
    gw = parse_address(gateway)[1] if gateway else None
    first = None
    for addr in interfaces.get(ifname, {}).get("addresses", ()):
        if addr["family"] != 4 or "secondary" in addr["flags"] or addr["scope"] == "host":
            continue
        if gw is None or _contains(addr["network"], 4, gw):
            return addr["address"]
        first = first or addr["address"]
    if first:
        return first
    for _name, addr in _addresses(interfaces, 4):
        if addr["scope"] == "global" and "secondary" not in addr["flags"]:
            return addr["address"]
    return None


def _label(value):
    for prefix, plen, label in _LABELS:
        if _contains("%s/%d" % (prefix, plen), 6, value):
            return label
    return 1


def _common_prefix(a, b, limit):
    return min(128 - (a ^ b).bit_length(), limit)


def _dest_scope(value):
    """RFC 4007 scope of an IPv6 unicast destination: link (fe80::/10), site (fec0::/10), global."""
    top = value >> 118
    return {0x3FA: _SCOPE_RANK["link"], 0x3FB: _SCOPE_RANK["site"]}.get(top, _SCOPE_RANK["global"])


def _source_v6(interfaces, ifname, value):
    """RFC 6724 source selection as the kernel applies it (rules 2, 3, 5, 6, 7, 8)."""
    dscope = _dest_scope(value)
    dlabel = _label(value)
    best, best_key = None, None
    for name, addr in _addresses(interfaces, 6):
        if "tentative" in addr["flags"] or "dadfailed" in addr["flags"] or addr["class"] == "multicast":
            continue  # not usable yet, failed, or a group: never a source
        if dscope == _SCOPE_RANK["link"] and name != ifname:
            continue  # a link-local destination is reached from its own link's addresses only
        avalue = parse_address(addr["address"])[1]
        scope = _SCOPE_RANK.get(addr["scope"], 14)
        key = (scope < dscope, scope if scope >= dscope else -scope,   # rule 2
               "deprecated" in addr["flags"],                          # rule 3
               name != ifname,                                         # rule 5
               _label(avalue) != dlabel,                               # rule 6
               "temporary" in addr["flags"],                           # rule 7 (public preferred)
               -_common_prefix(avalue, value, addr["prefixlen"]))      # rule 8
        if best_key is None or key < best_key:
            best, best_key = addr["address"], key
    return best


def _hop_source(route, hop, interfaces, family, value):
    if route["preferred_source"]:
        return route["preferred_source"]
    if family == 4:
        return _source_v4(interfaces, hop["interface"], hop["gateway"])
    return _source_v6(interfaces, hop["interface"], value)


def source_for(routes, interfaces, destination):
    """What the host would use to reach ``destination``: ``{destination, address, family, source,
    interface, gateway, table, type, nexthops, error}``; ``nexthops`` lists every usable hop with
    its own source (ECMP), the top-level keys are the first. Raises ValueError for a bad address."""
    family, value, zone = parse_address(destination)
    out = dict.fromkeys(("source", "interface", "gateway", "table", "type", "error"))
    out.update(destination=destination, address=destination.partition("%")[0], family=family, nexthops=[])
    local = _local(interfaces, family, value)
    if local:
        out.update(local)
        return out
    route, hops = match_route(routes, family, value, zone)
    if route is None:
        out["error"] = "no route to %s in the gathered tables main and default" % out["address"]
        return out
    out.update(table=route["table"], type=route["type"])
    if route["type"] in REJECT_TYPES:
        out["error"] = "the route to %s is of type %s" % (out["address"], route["type"])
        return out
    out["nexthops"] = [{"gateway": h["gateway"], "interface": h["interface"],
                        "source": _hop_source(route, h, interfaces, family, value)} for h in hops]
    if family == 4:
        _ipv4_special(out, route, value)
    out.update(out["nexthops"][0])
    return out


def _ipv4_special(out, route, value):
    """What ``__mkroute_output`` makes of IPv4 broadcast and multicast destinations: the limited
    broadcast is a broadcast route, a multicast group a multicast one; neither goes through the
    gateway of a route shorter than 224.0.0.0/4 (a default route)."""
    if value == 0xFFFFFFFF:
        out["type"] = "broadcast"
    elif value >> 28 == 0xE:
        out["type"] = "multicast"
    else:
        return
    if out["type"] == "broadcast" or int(route["destination"].rpartition("/")[2]) < 4:
        for hop in out["nexthops"]:
            hop["gateway"] = None


def reject_route(routes, family, value, rtype):
    """The route of type ``rtype`` (blackhole, unreachable, prohibit) that covers ``value``, from
    the tables, for a lookup the kernel rejected with that type's errno: the longest such prefix,
    then the lowest metric, then main before default before the other tables. None when the
    tables hold none (they were not gathered, or the route is gone)."""
    hits = [r for r in routes if r["family"] == family and r["type"] == rtype
            and _contains(r["destination"], family, value)]
    if not hits:
        return None
    return min(hits, key=lambda r: (_rank(r), _TABLE_ORDER.get(r["table"], len(_TABLE_ORDER))))
