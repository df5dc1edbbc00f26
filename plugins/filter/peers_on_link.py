# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.peers_on_link`` filter: documented in peers_on_link.yml beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.plugin_utils.filter_options import (
    address_records, bad_record, matcher, parse_family)
from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import find_netifs, netifs_of

PLUGIN = "netifs.core.peers_on_link"

# Classes that say nothing about a shared link: every host has them.
NEVER = frozenset(("loopback", "multicast", "unspecified"))


def _wanted(addr, family, link_local):
    cls = addr["class"]
    return ((family is None or addr["family"] == family) and cls not in NEVER
            and (link_local or cls != "link_local"))


def _text(value, key):
    # ipaddress takes integers too; the schema has strings.
    if not isinstance(value, str):
        raise TypeError("%s %r is not a string" % (key, value))
    return value


def _addresses(netifs, family, link_local, match, networks=False):
    """``[(ifname, address, ip_address, ip_network or None)]`` of one host's facts, selected."""
    out = []
    for ifname, iface in address_records(netifs, PLUGIN):
        if not match(ifname, iface):
            continue
        for position, addr in enumerate(iface["addresses"]):
            try:
                if not _wanted(addr, family, link_local):
                    continue
                ip = ipaddress.ip_address(_text(addr["address"], "address"))
                net = None
                if networks:
                    net = (addr["network"], ipaddress.ip_network(_text(addr["network"], "network"), strict=False))
            except (KeyError, TypeError, ValueError) as exc:
                raise bad_record(PLUGIN, ifname, position, exc)
            out.append((ifname, addr["address"], ip, net))
    return out


def _gathered(netifs):
    interfaces = netifs.get("interfaces")
    return isinstance(interfaces, Mapping) and all(
        isinstance(i, Mapping) and "addresses" in i for i in interfaces.values())


def peers_on_link(hostvars, host, hosts=None, family=None, link_local=False, interfaces=None, strict=False):
    """For host ``host`` of ``hostvars``, the other hosts with an address in a network of one of its
    interfaces, as ``{ifname: [{host, interface, address, network}]}``."""
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError("%s: expected hostvars or a dict of host facts by host name, got a %s"
                                 % (PLUGIN, type(hostvars).__name__))
    if not isinstance(host, str):
        raise AnsibleFilterError("%s: host must be a host name, got %r" % (PLUGIN, host))
    if host not in hostvars:
        raise AnsibleFilterError("%s: host %r is not in the hosts given" % (PLUGIN, host))
    if hosts is None:
        hosts = list(hostvars)
    elif isinstance(hosts, str) or not isinstance(hosts, Sequence) or not all(isinstance(h, str) for h in hosts):
        raise AnsibleFilterError("%s: hosts must be a list of host names, got %r" % (PLUGIN, hosts))
    family = parse_family(family, PLUGIN)
    match = matcher(interfaces, PLUGIN)

    if not find_netifs(hostvars[host]) is not None:
        raise AnsibleFilterError("%s: host %s has no netifs facts; gather them with netifs.core.netifs_facts"
                                 % (PLUGIN, host))
    own = _addresses(netifs_of(hostvars[host], PLUGIN), family, link_local, match, networks=True)
    mine = set(ip for _ifname, _address, ip, _net in own)
    # An address whose network holds only itself (a /32 or /128 that is not point-to-point) shares
    # no link with anyone.
    networks = [(ifname, text, net) for ifname, _address, ip, (text, net) in own
                if not (net.num_addresses == 1 and net.network_address == ip)]

    result = {}
    seen = set()
    skipped = []
    for peer in dict.fromkeys(hosts):
        if peer == host:
            continue
        value = hostvars[peer] if peer in hostvars else None
        netifs = netifs_of(value, PLUGIN) if find_netifs(value) is not None else None
        if netifs is None or not _gathered(netifs):
            skipped.append(peer)
            continue
        for peer_if, address, ip, _net in _addresses(netifs, family, link_local, match):
            if ip in mine:  # a host-local network (docker0 on every host) or a shared address
                continue
            for ifname, text, net in networks:
                # One entry per peer address and interface, with the first network it is in.
                if ip.version == net.version and ip in net and (ifname, peer, peer_if, address) not in seen:
                    seen.add((ifname, peer, peer_if, address))
                    result.setdefault(ifname, []).append(
                        {"host": peer, "interface": peer_if, "address": address, "network": text})
    if strict and skipped:
        raise AnsibleFilterError("%s: no netifs facts with addresses for %s; gather them with "
                                 "netifs.core.netifs_facts (gather_subset including addresses)"
                                 % (PLUGIN, ", ".join(skipped)))
    return {ifname: result[ifname] for ifname, _text, _net in networks if ifname in result}


class FilterModule(object):
    def filters(self):
        return {"peers_on_link": peers_on_link}
