# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory-wide network report's model, built from several hosts' netifs facts.

The model is plain data (JSON as it is): hosts -> interfaces -> addresses, and subnets -> the
hosts with an address in them. ``report_svg`` and ``report_html`` draw it; the
``netifs.core.network_report`` filter returns it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.module_utils.netifs import classify
from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import describe, find_netifs, netifs_of
from ansible_collections.netifs.core.plugins.plugin_utils.filter_options import (
    address_records, bad_record, matcher, selection)

FORMAT = 1

# Every host has these, so they say nothing about how hosts are connected.
DEFAULT_CLASSES = ("!loopback", "!link_local", "!multicast", "!unspecified")

INTERFACE_KEYS = ("name", "alias", "kind", "mac", "mtu", "oper_state", "master")
ADDRESS_KEYS = ("address", "prefixlen", "network", "family", "class", "scope")
DEFAULT_KEYS = ("address", "gateway", "interface")


class Options:
    """The model's options, checked once: which addresses and interfaces it shows."""

    def __init__(self, plugin, classes=DEFAULT_CLASSES, interfaces=None, strict=False):
        self.plugin = plugin
        self.by_class = selection(classes, plugin, "classes", "address class", lambda n: n in classify.CLASSES,
                                  ", ".join(classify.CLASSES))
        self.match = matcher(interfaces, plugin)
        self.strict = strict


def host_names(hostvars, hosts, plugin):
    """The hosts of the report, in the order given, each once; every key of ``hostvars`` by default."""
    if hosts is None:
        return list(hostvars)
    if isinstance(hosts, str) or not isinstance(hosts, Sequence) or not all(isinstance(h, str) for h in hosts):
        raise AnsibleFilterError("%s: hosts must be a list of host names, got %r" % (plugin, hosts))
    return list(dict.fromkeys(hosts))


def build(hostvars, hosts, options):
    """The report's model: ``{format, hosts, subnets}`` (keys in docs of the filter)."""
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError("%s: expected hostvars or a dict of host facts by host name, got a %s"
                                 % (options.plugin, type(hostvars).__name__))
    # hostvars[unknown] is an undefined marker, not a KeyError
    entries = [host_entry(name, hostvars[name] if name in hostvars else None, options)
               for name in host_names(hostvars, hosts, options.plugin)]
    return {"format": FORMAT, "hosts": entries, "subnets": subnets(entries)}


def host_entry(name, value, options):
    """One host: its interfaces with the addresses shown, or ``reason`` why it has none."""
    entry = {"name": name, "reason": None, "interfaces": [], "gateways": [], "default_ipv4": None,
             "default_ipv6": None}
    try:
        if find_netifs(value) is None:
            raise AnsibleFilterError("%s: host %s has no netifs facts; gather them with netifs.core.netifs_facts"
                                     % (options.plugin, name))
        netifs = netifs_of(value, options.plugin)
        entry["interfaces"] = interfaces(netifs, options)
    except AnsibleFilterError as exc:
        if options.strict:
            raise
        entry["reason"] = str(exc)
        return entry
    entry["gateways"] = [{k: g.get(k) for k in ("address", "family", "interface", "default")}
                         for g in netifs.get("gateways") or () if isinstance(g, Mapping)]
    for family in ("ipv4", "ipv6"):
        default = netifs.get("default_" + family)
        if isinstance(default, Mapping) and default:
            entry["default_" + family] = {k: default.get(k) for k in DEFAULT_KEYS}
    return entry


def interfaces(netifs, options):
    """The interfaces that pass ``options.match``, each with the addresses ``options.by_class`` keeps."""
    out = []
    for ifname, iface in address_records(netifs, options.plugin):
        if not options.match(ifname, iface):
            continue
        record = {k: iface.get(k) for k in INTERFACE_KEYS}
        record["name"] = ifname
        record["addresses"] = []
        for position, addr in enumerate(iface["addresses"]):
            try:
                if options.by_class is None or options.by_class(addr["class"]):
                    record["addresses"].append(address(addr))
            except (KeyError, TypeError, ValueError) as exc:
                raise bad_record(options.plugin, ifname, position, exc)
        out.append(record)
    return out


def address(addr):
    """The keys of an address record the report shows; its network checked and made canonical."""
    record = {k: addr[k] for k in ADDRESS_KEYS}
    if not isinstance(addr["network"], str):  # ipaddress takes integers too; the schema has strings
        raise TypeError("network %r is not a string" % (addr["network"],))
    record["network"] = str(ipaddress.ip_network(addr["network"], strict=False))
    return record


def subnets(entries):
    """Every network of a shown address, with its members (host, interface, address) in host order.

    A subnet is shared when two hosts hold different addresses in it: a network that every host
    has with the same address (docker0's 172.17.0.1/16, an anycast /32) links no one.
    """
    found = {}
    for host in entries:
        for iface in host["interfaces"]:
            for addr in iface["addresses"]:
                subnet = found.setdefault(addr["network"], {"network": addr["network"], "family": addr["family"],
                                                            "members": []})
                subnet["members"].append({"host": host["name"], "interface": iface["name"],
                                          "address": addr["address"]})
    out = []
    for subnet in sorted(found.values(), key=_network_order):
        subnet["hosts"] = list(dict.fromkeys(m["host"] for m in subnet["members"]))
        # Two hosts and two addresses: then some two members differ in both.
        subnet["shared"] = len(subnet["hosts"]) > 1 and len({m["address"] for m in subnet["members"]}) > 1
        subnet["gateways"] = gateways_in(subnet["network"], entries)
        out.append(subnet)
    return out


def gateways_in(network, entries):
    """The gateway addresses of any host that are in ``network``, sorted, each once."""
    net = ipaddress.ip_network(network)
    found = set()
    for host in entries:
        for gateway in host["gateways"]:
            try:
                ip = ipaddress.ip_address(gateway["address"])
            except (TypeError, ValueError):  # a gateway without a usable address draws nothing
                continue
            if ip.version == net.version and ip in net:
                found.add(ip)
    return [str(ip) for ip in sorted(found)]


def _network_order(subnet):
    net = ipaddress.ip_network(subnet["network"])
    return (net.version, net.network_address, net.prefixlen)


def checked(model, plugin):
    """``model`` if it is a report model (from the network_report filter, or its JSON read back)."""
    if not (isinstance(model, Mapping) and model.get("format") == FORMAT
            and all(isinstance(model.get(k), Sequence) and not isinstance(model.get(k), str)
                    for k in ("hosts", "subnets"))):
        raise AnsibleFilterError("%s: expected the model made by netifs.core.network_report (format %d), got %s"
                                 % (plugin, FORMAT, describe(model)))
    return model


def rendered(render, model, plugin, *args):
    """``render(model, *args)`` for a render filter; a model that is not one of ours is its error."""
    checked(model, plugin)
    try:
        return render(model, *args)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        # A model edited by hand, or read back from a file of another format.
        raise AnsibleFilterError("%s: the model is not one made by netifs.core.network_report (%s: %s)"
                                 % (plugin, type(exc).__name__, exc))
