# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The route, next hops and source address a host would use for a destination, worked out from
gathered facts (``netifs.routes``, ``netifs.interfaces`` and, when gathered, ``netifs.rules``)
without asking the kernel again.

It follows the kernel: the policy rules in order (policy.py; without rules the kernel's default
ones: local, main, then default for IPv4, local then main for IPv6), each table answering with
its longest matching prefix, ties broken by metric and RFC 4191 preference (dead hops skipped,
link-down ones where ignore_routes_with_linkdown says so, a ``throw`` passing on to the next
rule, a reject route or rule being the answer). The local table, which the facts do not dump, is
rebuilt from the addresses. The source is the route's preferred source, else what the kernel
picks (addrselect.py). ECMP gives every usable next hop, since the kernel picks one per flow.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping

from .addrselect import (BITS, addresses, check_tempaddr, contains, ipv4_source, ipv6_source, ipv6_type,
                         network, parse_address, prefixlen, text_of, value_of)
from .policy import default_rules, make_flow, ordered, walk
from .select import PREFERENCE_RANK

REJECT_TYPES = frozenset(("blackhole", "unreachable", "prohibit"))
LOCAL_TABLE, MAIN_TABLE, DEFAULT_TABLE = 255, 254, 253
# Where a rejected lookup's route is looked for in the tables: main before default before others.
_TABLE_ORDER = {MAIN_TABLE: 0, DEFAULT_TABLE: 1}
TABLE_NAMES = {255: "local", 254: "main", 253: "default"}
NOT_LOCAL = frozenset(("tentative", "dadfailed"))  # such an address has no local route yet
ANSWER_KEYS = ("source", "interface", "gateway", "table", "type", "prefix", "rule", "error")


def _table_of(route):
    """A backend that cannot tell the table (null: /proc/net/ipv6_route) holds main's routes."""
    return MAIN_TABLE if route["table"] is None else route["table"]


def _rank(route):
    """Longest prefix first, then (IPv6 subtrees) longest source prefix, lowest metric, RFC 4191 preference."""
    return (-prefixlen(route["destination"]), -prefixlen(route.get("source") or "::/0"), route["metric"],
            PREFERENCE_RANK.get(route["preference"], 1))


def _source_fits(route, flow):
    """A source-prefix route (``ip -6 route ... from``) serves only traffic from that prefix."""
    cidr = route.get("source")
    if not cidr or network(cidr, flow["family"])[1] == 0:
        return True
    return flow["source"] is not None and contains(cidr, flow["family"], flow["source"])


def _covering(ctx, table):
    flow = ctx["flow"]
    hits = [r for r in ctx["routes"] if _table_of(r) == table and not r["tos"] and _source_fits(r, flow)
            and contains(r["destination"], flow["family"], flow["value"])]
    return sorted(hits, key=_rank)


def _hops(ctx, route):
    """The hops a lookup may take: not dead, through the zone's interface when there is one. A
    link-down hop is used unless ignore_routes_with_linkdown applies to its interface, and then
    the kernel dumps it dead as well (fib_nexthop_info), so the facts hold the sysctl's effect."""
    oif = ctx["flow"]["oif"]
    return [h for h in route["nexthops"] if h["interface"] and "dead" not in h["flags"]
            and (oif is None or h["interface"] == oif)]


def _lookup(ctx, table):
    """One table's answer for the flow (see policy.walk), None when it has none: nothing covers
    the destination, every covering route's hops are unusable, or a ``throw`` route matched."""
    ctx["looked_up"].append(table)
    if table == LOCAL_TABLE:
        return _local(ctx)
    for route in _covering(ctx, table):
        if route["type"] in REJECT_TYPES:  # a blackhole nexthop object's route too: its type says so
            return {"reject": True, "route": route}
        if route["type"] == "throw":
            return None
        hops = _hops(ctx, route)
        if hops:
            return {"route": route, "hops": hops, "prefixlen": prefixlen(route["destination"])}
    return None


def match_route(routes, family, value, zone=None):
    """``(route, hops)``: the route the kernel would use without policy rules (beyond the local
    table, which is not asked here) and its usable next hops (through the zone's interface when
    a zone is given). ``(route, [])`` for a reject route, ``(None, [])`` when no route covers
    the destination."""
    ctx = _context(routes, {}, (family, value, zone), None, {})
    rules = [r for r in default_rules(family) if r["table"] != LOCAL_TABLE]
    _rule, found = walk(rules, ctx["flow"], lambda table: _lookup(ctx, table), [])
    if found is None:
        return None, []
    return found["route"], found.get("hops", [])


def _context(routes, interfaces, address, rules, traffic, use_tempaddr=None):
    """Everything one lookup needs: the flow (policy.py), the routes of its family, the rules in
    order, the sysctl, and what the walk records (tables looked up, undecided rules)."""
    family, value, zone = address
    lo = next((n for n, i in interfaces.items() if "loopback" in i.get("flags", ())), None)
    if rules is not None and (not isinstance(rules, (list, tuple)) or not all(isinstance(r, Mapping) for r in rules)):
        raise ValueError("rules %r is not a list of rule records (netifs.rules)" % (rules,))
    return {"routes": [r for r in routes if r["family"] == family], "interfaces": interfaces, "lo": lo,
            "flow": make_flow(family, value, zone, lo, traffic), "forwarded": traffic.get("iif") is not None,
            "rules": default_rules(family) if rules is None else ordered(rules, family),
            "use_tempaddr": check_tempaddr(use_tempaddr), "looked_up": [], "undecided": []}


def source_for(routes, interfaces, destination, rules=None, source=None, fwmark=None, uid=None, iif=None,
               ipproto=None, sport=None, dport=None, use_tempaddr=None):
    """What the host would use to reach ``destination``: ``{destination, address, family, source,
    interface, gateway, table, type, prefix, rule, policy, nexthops, undecided, error}``;
    ``nexthops`` lists every usable hop with its own source (ECMP), the top-level keys are the
    first. ``rules``: rule records (the ``rules`` facts), None for the kernel's default rules.
    The traffic: ``source`` (its source address), ``iif`` (forwarded from that interface; else
    sent by the host), ``fwmark``, ``uid``, ``ipproto``, ``sport``, ``dport``. ``use_tempaddr``:
    the sysctl the facts lack (one value, or per interface; addrselect.py says what is assumed).
    Raises ValueError for a bad address or argument."""
    traffic = {"source": source, "fwmark": fwmark, "uid": uid, "iif": iif, "ipproto": ipproto, "sport": sport,
               "dport": dport}
    ctx = _context(routes, interfaces, parse_address(destination), rules, traffic, use_tempaddr)
    out = dict.fromkeys(ANSWER_KEYS)
    out.update(destination=destination, address=destination.partition("%")[0], family=ctx["flow"]["family"],
               nexthops=[], undecided=ctx["undecided"], policy="default" if rules is None else "gathered")
    if source is not None and not ctx["forwarded"] and ctx["flow"]["family"] == 4 and not _local(ctx, source):
        out["error"] = "no route: the source %s is not an address of this host" % source
        return out
    rule, found = walk(ctx["rules"], ctx["flow"], lambda table: _lookup(ctx, table), ctx["undecided"])
    out["rule"] = rule.get("priority") if rule else None
    if found is None:
        _no_answer(ctx, out, rule)
    elif found.get("reject"):
        route = found["route"]
        out.update(table=_table_of(route), type=route["type"], prefix=route["destination"],
                   error="the route to %s is of type %s" % (out["address"], route["type"]))
    else:
        out.update(found["answer"] if "answer" in found else _routed(ctx, found))
        if source is not None:  # the traffic's own source, whatever the host would pick
            out["nexthops"] = [dict(hop, source=source) for hop in out["nexthops"]]
        out.update(out["nexthops"][0])
    return out


def _no_answer(ctx, out, rule):
    if rule is not None:
        why = "rule %s (%s) rejects traffic to %s" % (rule.get("priority"), rule["action"], out["address"])
        out.update(type=rule["action"], error=why)
        return
    tables = []
    for table in ctx["looked_up"]:
        if table != LOCAL_TABLE and table not in tables:
            tables.append(table)
    names = [TABLE_NAMES.get(t, str(t)) for t in tables]
    listed = " and ".join([", ".join(names[:-1])] + names[-1:]) if len(names) > 1 else "".join(names) or "none"
    out["error"] = "no route to %s in the gathered tables %s" % (out["address"], listed)


def _routed(ctx, found):
    """The answer of a route: its keys and every usable hop with the source for it."""
    route, flow = found["route"], ctx["flow"]
    out = {"table": _table_of(route), "type": route["type"], "prefix": route["destination"]}
    if route["type"] == "local":  # AnyIP: ``ip route add local PREFIX dev lo``
        out["nexthops"] = [{"gateway": None, "interface": ctx["lo"], "source": _hop_source(ctx, route, found["hops"][0])}]
        return out
    out["nexthops"] = [{"gateway": h["gateway"], "interface": h["interface"], "source": _hop_source(ctx, route, h)}
                       for h in found["hops"]]
    if flow["family"] == 4:
        _ipv4_special(out, route, flow["value"])
    return out


def _hop_source(ctx, route, hop):
    """The route's preferred source, else the kernel's pick. For IPv4 a
    ``local`` route's source is the destination itself; for IPv6 a nexthop object group picks
    the source for its first member's interface (fib6_info_nh_dev), whichever member carries."""
    flow = ctx["flow"]
    if route["preferred_source"]:
        return route["preferred_source"]
    if flow["family"] == 4:
        if route["type"] == "local":
            return text_of(flow["value"], 4)
        return ipv4_source(ctx["interfaces"], hop["interface"], hop["gateway"], route.get("scope") or "global")
    oif = route["nexthops"][0]["interface"] if route.get("nexthop_id") is not None else hop["interface"]
    return ipv6_source(ctx["interfaces"], oif, flow["value"], ctx["use_tempaddr"])


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
    if out["type"] == "broadcast" or prefixlen(route["destination"]) < 4:
        for hop in out["nexthops"]:
            hop["gateway"] = None


# ---------------------------------------------------------------------------- the local table

def _local(ctx, address=None):
    """The local table's answer (``{answer, prefixlen}``) for one of the host's own addresses
    (``address`` instead of the destination when given), the prefix of an address on a loopback
    interface (all of 127.0.0.0/8), an IPv4 broadcast address, or an IPv6 multicast group;
    None for anything else.

    A group joined with ``autojoin`` is an address: IPv4 calls its route multicast (through lo,
    from the group address, as ``__mkroute_output`` does), IPv6 local, with the source RFC 6724
    picks on the group's interface (the route's device; lo is only where the answer points).
    """
    family = ctx["flow"]["family"]
    value = ctx["flow"]["value"] if address is None else value_of(address)
    addrs = [(n, a) for n, a in addresses(ctx["interfaces"], family) if not NOT_LOCAL.intersection(a["flags"])]
    for name, addr in addrs:
        if value_of(addr["address"]) == value:
            return _own(ctx, addrs, name, addr)
    if family == 4:
        return _ipv4_local_prefix(ctx, addrs, value)
    if ipv6_type(value)[1] == "multicast":
        return _ipv6_group(ctx, value)
    return None


def _answer(kind, interface, source, prefix, gateway=None):
    hop = {"gateway": gateway, "interface": interface, "source": source}
    return {"answer": {"type": kind, "table": LOCAL_TABLE, "prefix": prefix, "nexthops": [hop]},
            "prefixlen": prefixlen(prefix)}


def _own(ctx, addrs, name, addr):
    family = ctx["flow"]["family"]
    group = addr["class"] == "multicast"
    value = value_of(addr["address"])
    if group and family == 6:
        source = ipv6_source(ctx["interfaces"], name, value, ctx["use_tempaddr"])  # the route's own device
    else:
        source = _primary(addrs, name, addr)
    kind = "multicast" if group and family == 4 else "local"
    return _answer(kind, ctx["lo"] or name, source, "%s/%d" % (addr["address"], BITS[family]))


def _ipv4_local_prefix(ctx, addrs, value):
    """A loopback interface's prefix route is local (127.0.0.0/8); a broadcast address is
    broadcast, through its own interface, from the primary address of its subnet."""
    for name, addr in addrs:
        loopback = "loopback" in ctx["interfaces"][name].get("flags", ())
        if loopback and addr["prefixlen"] < 32 and contains(addr["network"], 4, value):
            return _answer("local", ctx["lo"] or name, _primary(addrs, name, addr), addr["network"])
        if addr.get("broadcast") and value_of(addr["broadcast"]) == value:
            return _answer("broadcast", name, _primary(addrs, name, addr), addr["broadcast"] + "/32")
    return None


def _ipv6_group(ctx, value):
    """A multicast group the host has not joined as an address: the local table's ff00::/8
    route of the zone's interface, else of every interface with IPv6 that is up (the kernel
    takes the first in its local table, an order the facts do not show), each with its source."""
    zone = ctx["flow"]["oif"]
    names = [zone] if zone else [n for n, i in ctx["interfaces"].items() if "up" in i.get("flags", ())
                                 and "loopback" not in i.get("flags", ())
                                 and any(a["family"] == 6 for a in i.get("addresses", ()))]
    if not names:
        return None
    hops = [{"gateway": None, "interface": n, "source": ipv6_source(ctx["interfaces"], n, value, ctx["use_tempaddr"])}
            for n in names]
    return {"answer": {"type": "multicast", "table": LOCAL_TABLE, "prefix": "ff00::/8", "nexthops": hops},
            "prefixlen": 8}


def _primary(addrs, ifname, addr):
    """The source of a local route: an IPv4 secondary address's primary, else the address."""
    if "secondary" in addr["flags"]:
        for name, other in addrs:
            if name == ifname and "secondary" not in other["flags"] and other["network"] == addr["network"]:
                return other["address"]
    return addr["address"]


def reject_route(routes, family, value, rtype):
    """The route of type ``rtype`` (blackhole, unreachable, prohibit) that covers ``value``, from
    the tables, for a lookup the kernel rejected with that type's errno: the longest such prefix,
    then the lowest metric, then main before default before the other tables. None when the
    tables hold none (they were not gathered, or the route is gone)."""
    hits = [r for r in routes if r["family"] == family and r["type"] == rtype
            and contains(r["destination"], family, value)]
    if not hits:
        return None
    return min(hits, key=lambda r: (_rank(r), _TABLE_ORDER.get(r["table"], len(_TABLE_ORDER))))
