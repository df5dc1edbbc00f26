# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""How this host reaches the public Internet, as its OS answers: the probe destinations, and the
``best_local``, ``default_ipv4``/``default_ipv6`` and default ``gateways`` made of the answers.

Each probe is asked about as any destination is (``sources.ask``: on Linux ``RTM_GETROUTE``, so
``ip rule`` policy, reject routes and link-down hops are the kernel's own; nothing is sent). Where
the backend can say which route a lookup matched (Linux ``RTM_F_FIB_MATCH``), the route and every
next hop come from the OS too, and each hop's source is asked with the hop's interface as the
output interface. Where it cannot, the route is the routing table's longest match, and ``missing``
says so.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import socket

from . import select, source_selection, sources
from .routes import route_record

# Stand-ins for "the public Internet": well-known public resolvers (nothing is sent to them),
# spread over the unicast space so that one specific route cannot decide alone: IPv4 over each
# quarter (a VPN's 0.0.0.0/1 + 128.0.0.0/1 split too), IPv6 over four registries' blocks. The
# first is what ansible.builtin.setup asks about; on a tie it decides.
PROBES = {
    4: ("8.8.8.8", "1.1.1.1", "94.140.14.14", "149.112.112.112", "208.67.222.222"),
    6: ("2001:4860:4860::8888", "2606:4700:4700::1111", "2620:fe::fe", "2a02:6b8::feed:ff", "2400:3200::1"),
}
_AF = {4: socket.AF_INET, 6: socket.AF_INET6}
# The keys of a route the kernel matched, as gateways[] and routes[] identify it.
ROUTE_ID = ("family", "table", "destination", "metric")


class Asker:
    """The OS's answers for one snapshot: ``lookup(family, packed, oif)`` and ``match(family,
    packed)`` from the backend (``match`` returns a schema route record, or None when the backend
    cannot tell), ``index_of``/``name_of`` for interfaces, and ``routes``, the snapshot's route
    records when they were read (None otherwise), for what the lookup leaves to the tables."""

    def __init__(self, lookup, match, index_of, name_of, routes):
        self.lookup = lookup
        self.match = match
        self.index_of = index_of
        self.name_of = name_of
        self.routes = routes

    def ask(self, dest, family):
        return sources.ask(self.lookup, dest, self.index_of, self.name_of, family)

    def source(self, dest):
        """The ``sources`` entry for a destination the caller named; a reject told by its errno
        gets its table from the tables, where they were read."""
        entry = self.ask(dest, None)
        if entry["type"] in sources.REJECT_ERRNO.values() and entry["table"] is None:
            packed = socket.inet_pton(_AF[entry["family"]], entry["address"])
            route, _told = self.route(entry["family"], packed, entry)
            entry["table"] = route["table"] if route else None
        return entry

    def route(self, family, packed, entry):
        """``(route, told)``: the route behind ``entry`` and whether the OS told it (else the
        tables did; None when neither tells). A reject told by its errno alone (Linux) is looked
        up in the tables; one the lookup answered with (BSD) is asked about as any route."""
        value = int.from_bytes(packed, "big")
        if entry["error"] is not None and entry["table"] is None:
            if entry["type"] in sources.REJECT_ERRNO.values():
                return source_selection.reject_route(self.routes or (), family, value, entry["type"]), False
            return None, False
        found = self.match(family, packed)
        if found is not None:
            return found, True
        if self.routes is None:
            return None, False
        return source_selection.match_route(self.routes, family, value)[0], False


def _path(entry, route):
    """What probes must share to agree: the way out, not the prefix (a VPN's two halves agree)."""
    if entry["error"] is not None:
        return ("error", entry["type"])
    hops = route["nexthops"] if route else [entry]
    return (entry["type"], entry["table"], tuple(sorted((h["gateway"] or "", h["interface"] or "") for h in hops)))


def _with_hop_sources(asker, route, entry, dest):
    """A copy of ``route`` whose hops each carry the source the OS uses on that hop's interface."""
    route = dict(route, nexthops=[dict(hop) for hop in route["nexthops"]])
    text, family, packed, _zone = dest
    for hop in route["nexthops"]:
        if hop["interface"] == entry["interface"] or hop["interface"] is None:
            hop["source"] = entry["source"] if hop["interface"] else None
            continue
        hop["source"] = asker.ask((text, family, packed, hop["interface"]), family)["source"]
    return route


def answer(asker, family):
    """``{family, probes, chosen, route, routes}`` for one family: every probe's ``sources``
    entry (with ``matched``, the prefix of the route it matched, and ``agrees``); the entry of the first probe of
    the largest group that leaves the same way (None when most probes have no route at all); the
    route behind it with every hop's source; and the routes of that group."""
    asked, told = [], {}
    for dest in sources.parse_destinations(list(PROBES[family])):
        entry = asker.ask(dest, family)
        route, told[dest[0]] = asker.route(family, dest[2], entry)
        entry["matched"] = route["destination"] if route else None
        asked.append((dest, entry, route))
    paths = [_path(entry, route) for _dest, entry, route in asked]
    counts = collections.Counter(paths)
    best = max(paths, key=lambda p: (counts[p], -paths.index(p)))
    group = [item for item, path in zip(asked, paths) if path == best]
    for (_dest, entry, _route), path in zip(asked, paths):
        entry["agrees"] = path == best
    out = {"family": family, "probes": [entry for _dest, entry, _route in asked], "chosen": None,
           "route": None, "routes": [route for _dest, _entry, route in group if route]}
    dest, entry, route = group[0]
    if best == ("error", None):  # no route: as a host without a default route
        return out
    out["chosen"] = entry
    if route is not None:
        if not told[dest[0]] and entry["error"] is None:  # the OS found a route, but not which
            out["from_tables"] = True
            if entry["table"] is None:
                _from_tables(entry, route)
        out["route"] = _with_hop_sources(asker, route, entry, dest)
    return out


def _from_tables(entry, route):
    """A backend whose lookup tells the source alone: the gateway, table and type are the route's
    that the tables match, on the hop through the source's interface."""
    hop = next((h for h in route["nexthops"] if h["interface"] == entry["interface"]), None)
    entry.update(gateway=hop["gateway"] if hop else None, table=route["table"], type=route["type"])


def disagreement(way):
    """A warning when the probes of ``way`` do not all leave the same way, else None."""
    odd = [e for e in way["probes"] if not e["agrees"]]
    if not odd:
        return None
    chosen = way["chosen"] or next(e for e in way["probes"] if e["agrees"])
    return "the IPv%d probes disagree: %s; default_ipv%d follows the %d of %d that %s" % (
        way["family"], "; ".join("%s %s" % (e["destination"], _way_text(e)) for e in odd), way["family"],
        len(way["probes"]) - len(odd), len(way["probes"]), _way_text(chosen))


def _way_text(entry):
    if entry["error"] is not None:
        return "get no route (%s)" % entry["error"] if entry["type"] is None else "meet a %s route" % entry["type"]
    via = " via %s" % entry["gateway"] if entry["gateway"] else ""
    return "leave through %s%s (route %s)" % (entry["interface"], via, entry["matched"])


def default_ids(ways):
    """The ``ROUTE_ID`` of every route the chosen probes of ``ways`` leave by (gateways' ``default``)."""
    return {tuple(route[k] for k in ROUTE_ID) for way in ways
            if way["chosen"] and way["chosen"]["error"] is None for route in way["routes"]}


def _owner(interfaces, address, family, first=None):
    """``(interface name, address record)`` holding ``address``, looking at ``first`` first."""
    names = ([first] if first in interfaces else []) + list(interfaces)
    for name in names:
        for addr in interfaces[name].get("addresses", ()):
            if addr["family"] == family and addr["address"] == address:
                return name, addr
    return None, None


def best_local(way, interfaces):
    """``[{address, prefixlen, interface}]``: the sources the OS picks for the way out (the chosen
    probe's, then each next hop's), then the other usable addresses of the hops' interfaces."""
    entry, family = way["chosen"], way["family"]
    if entry is None or entry["error"] is not None:
        return []
    hops = way["route"]["nexthops"] if way["route"] else [entry]
    picked = collections.OrderedDict()
    for hop in [entry] + hops:
        name, addr = _owner(interfaces, hop.get("source"), family, hop["interface"])
        if addr is not None:
            picked.setdefault(addr["address"], {"address": addr["address"], "prefixlen": addr["prefixlen"],
                                                "interface": name})
    for name in [entry["interface"]] + [hop["interface"] for hop in hops]:
        for addr in interfaces.get(name, {}).get("addresses", ()):
            if addr["family"] == family and select.usable_address(addr):
                picked.setdefault(addr["address"], {"address": addr["address"], "prefixlen": addr["prefixlen"],
                                                    "interface": name})
    return list(picked.values())


def _netmask(prefixlen):
    return socket.inet_ntoa(((0xFFFFFFFF << (32 - prefixlen)) & 0xFFFFFFFF).to_bytes(4, "big"))


def legacy_default(way, interfaces):
    """``default_ipv4``/``default_ipv6``: ``ansible_default_ipv4``/``_ipv6``'s keys for the chosen
    probe (its interface, gateway and source), plus ``route`` and ``probes``; ``{}`` when there
    is no way out. A rejecting route is an answer: its keys but ``route`` and ``probes`` null."""
    entry, family = way["chosen"], way["family"]
    if entry is None:
        return {}
    iface = interfaces.get(entry["interface"])
    _name, addr = _owner(interfaces, entry["source"], family, entry["interface"])
    out = {"interface": entry["interface"], "address": entry["source"], "gateway": entry["gateway"],
           "prefix": str(addr["prefixlen"]) if addr else None,
           "macaddress": (iface["mac"] or "unknown") if iface else None,
           "mtu": iface["mtu"] if iface else None, "type": iface["type"] if iface else None}
    if family == 4:
        out.update(alias=entry["interface"], broadcast=(addr.get("broadcast") or "") if addr else None,
                   netmask=_netmask(addr["prefixlen"]) if addr else None,
                   network=addr["network"].split("/")[0] if addr else None)
    else:
        out["scope"] = addr["scope"] if addr else None
    out.update(route=way["route"] or _bare_route(entry), probes=way["probes"])
    return out


def _bare_route(entry):
    """A route record of what is known of a route that neither the OS nor the tables showed (a
    reject type told by its errno): the rest null."""
    route = dict.fromkeys(route_record(entry["family"], None, entry["type"], None, None))
    route.update(family=entry["family"], type=entry["type"], table=entry["table"], flags=[], nexthops=[])
    return route
