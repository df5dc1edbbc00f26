# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""From a backend's parser records to the facts schema (docs/schema.md): names for indexes,
addresses and memberships under their interfaces, routes with their hops, gateways."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from .errors import TornSnapshot
from .nexthops import expand
from .outbound import ROUTE_ID

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


def resolve_route(route, nexthops, resolver):
    """``route`` with interface names for indexes and its nexthop object expanded, in place."""
    route["nexthops"] = _expand(route, nexthops, resolver)
    route["interface"] = resolver.name(route["interface"], "route %s", route["destination"])
    for hop in route["nexthops"]:
        hop["interface"] = resolver.name(hop["interface"], "route %s", route["destination"])
    return route


def routes(snap, resolver):
    for route in snap.routes:
        resolve_route(route, snap.nexthops, resolver)
    return snap.routes


def gateways(route_list, defaults):
    """Every distinct next hop with a gateway address; ``default`` when its route's ``ROUTE_ID``
    is in ``defaults`` (the routes the OS takes to the public Internet, outbound.default_ids)."""
    seen = {}
    for route in route_list:
        default = tuple(route[k] for k in ROUTE_ID) in defaults
        for hop in route["nexthops"]:
            if hop["gateway"]:
                entry = {"address": hop["gateway"], "family": route["family"], "interface": hop["interface"],
                         "metric": route["metric"], "table": route["table"], "default": default}
                seen.setdefault(tuple(sorted(entry.items())), entry)
    return list(seen.values())
