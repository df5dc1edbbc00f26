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

SCHEMA = 1


def _name(names, index):
    if index is None:
        return None
    try:
        return names[index]
    except KeyError:
        raise TornSnapshot("interface index %d is gone" % index)


def link_names(links):
    return {link["index"]: link["name"] for link in links}


def _relatives(link, names):
    """Replace the parser's index references with names (``master``, ``parent``/``peer``)."""
    link["master"] = _name(names, link.pop("master_index"))
    index = link.pop("link_index")
    local = index and index != link["index"] and link["link_netnsid"] is None
    link["peer"] = names.get(index) if local and link["kind"] == "veth" else None
    link["parent"] = names.get(index) if local and link["kind"] != "veth" else None
    if "link_index" in link["kind_data"]:
        link["kind_data"]["link"] = names.get(link["kind_data"].pop("link_index"))


def interfaces(snap, names):
    """Every interface as a schema record (unfiltered), with addresses and memberships."""
    out = {}
    for link in snap.links:
        _relatives(link, names)
        link["addresses"] = []
        link["multicast"] = []
        out[link["name"]] = link
    for addr in snap.addresses:
        iface = out[_name(names, addr.pop("index"))]
        if addr["family"] == 6 and addr["scope"] == "link":
            addr["zone"] = iface["name"]
        iface["addresses"].append(addr)
    for group in snap.multicast:
        out[_name(names, group.pop("index"))]["multicast"].append(group)
    return out


def routes(records, names):
    for route in records:
        route["interface"] = _name(names, route["interface"])
        for hop in route["nexthops"]:
            hop["interface"] = _name(names, hop["interface"])
    return records


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
