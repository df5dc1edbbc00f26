# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""From a backend's parser records to the facts schema (docs/schema.md): names for indexes,
addresses and memberships under their interfaces, gateways, best local, legacy defaults."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

from . import select
from .errors import TornSnapshot
from .nexthops import expand

SCHEMA = 1


class Resolver:
    """Interface index -> name for one snapshot.

    A record naming an index the snapshot does not hold means the tables changed between two
    dumps: ``TornSnapshot``, so the snapshot is retaken. A ``lenient`` resolver (the last attempt,
    when malformed messages were skipped and may be the reason) drops the reference instead and
    says so in ``warnings``.
    """

    def __init__(self, links, lenient, warnings):
        self.names = {link["index"]: link["name"] for link in links}
        self.lenient = lenient
        self.warnings = warnings

    def dangling(self, what):
        if not self.lenient:
            raise TornSnapshot(what)
        text = "dropped a reference: %s" % what
        if text not in self.warnings:  # a route and its hop name the same index
            self.warnings.append(text)

    def name(self, index, what, *args):
        """The name of ``index``; ``what % args`` says who asked, formatted only when it dangles."""
        if index is None or index in self.names:
            return self.names.get(index)
        self.dangling("%s names interface index %d, which the snapshot does not hold" % (what % args, index))
        return None


def _relatives(link, resolver):
    """Replace the parser's index references with names (``master``, ``parent``/``peer``)."""
    names = resolver.names
    link["master"] = resolver.name(link.pop("master_index"), "the master of %s", link["name"])
    index = link.pop("link_index")
    if "link_index" in link["kind_data"]:  # vxlan: its lower device is IFLA_VXLAN_LINK
        index = link["kind_data"].pop("link_index")
        link["kind_data"]["link"] = names.get(index)
    local = index and index != link["index"] and link["link_netnsid"] is None
    link["peer"] = names.get(index) if local and link["kind"] == "veth" else None
    link["parent"] = names.get(index) if local and link["kind"] != "veth" else None


def interfaces(snap, resolver):
    """Every interface as a schema record (unfiltered), with addresses and memberships."""
    out = {}
    for link in snap.links:
        _relatives(link, resolver)
        link["addresses"] = []
        link["multicast"] = []
        out[link["name"]] = link
    by_index = {link["index"]: link for link in snap.links}
    for addr in snap.addresses:
        iface = by_index.get(addr.pop("index"))
        if iface is None:
            resolver.dangling("address %s is on an interface the snapshot does not hold" % addr["address"])
            continue
        if addr["family"] == 6 and addr["scope"] == "link":
            addr["zone"] = iface["name"]
        iface["addresses"].append(addr)
    for group in snap.multicast:
        iface = by_index.get(group.pop("index"))
        if iface is None:
            resolver.dangling("group %s is on an interface the snapshot does not hold" % group["address"])
            continue
        iface["multicast"].append(group)
    return out


def _expand(route, nexthops, resolver):
    """The hops of a route that names a nexthop object, when the objects were read."""
    if route["nexthop_id"] is None or nexthops is None:
        return route["nexthops"]
    try:
        return expand(route["nexthop_id"], nexthops)
    except TornSnapshot as exc:
        resolver.dangling("route %s: %s" % (route["destination"], exc))
        return []


def routes(snap, resolver):
    for route in snap.routes:
        route["nexthops"] = _expand(route, snap.nexthops, resolver)
        route["interface"] = resolver.name(route["interface"], "route %s", route["destination"])
        for hop in route["nexthops"]:
            hop["interface"] = resolver.name(hop["interface"], "route %s", route["destination"])
    return snap.routes


def gateways(route_list):
    """Every distinct next hop with a gateway address."""
    seen = {}
    for route in route_list:
        default = route["destination"] == select.DEFAULT_DESTINATIONS[route["family"]]
        for hop in route["nexthops"]:
            if hop["gateway"]:
                entry = {"address": hop["gateway"], "family": route["family"], "interface": hop["interface"],
                         "metric": route["metric"], "table": route["table"], "default": default}
                seen.setdefault(tuple(sorted(entry.items())), entry)
    return list(seen.values())


def _netmask(prefixlen):
    return socket.inet_ntoa(struct.pack("!I", (0xFFFFFFFF << (32 - prefixlen)) & 0xFFFFFFFF))


def legacy_default(route_list, ifaces, best, family):
    """``ansible_default_ipv4``/``_ipv6`` keys, from the routing table's own default route."""
    hops = [h for h in select.default_hops(route_list, family) if h["interface"] in ifaces]
    if not hops:
        return {}
    hop = hops[0]
    iface = ifaces[hop["interface"]]
    on_iface = [b for b in best if b["interface"] == hop["interface"]] or best
    addr = None
    if on_iface:
        addr = next(a for a in ifaces[on_iface[0]["interface"]]["addresses"]
                    if a["address"] == on_iface[0]["address"])
    out = {"interface": hop["interface"], "address": addr["address"] if addr else None,
           "gateway": hop["gateway"], "prefix": str(addr["prefixlen"]) if addr else None,
           "macaddress": iface["mac"] or "unknown", "mtu": iface["mtu"], "type": iface["type"]}
    if family == 4:
        out.update(alias=hop["interface"], broadcast=(addr or {}).get("broadcast") or "",
                   netmask=_netmask(addr["prefixlen"]) if addr else None,
                   network=addr["network"].split("/")[0] if addr else None)
    else:
        out["scope"] = addr["scope"] if addr else None
    return out
