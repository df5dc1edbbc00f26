# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The source address Linux picks for a route, worked out from gathered addresses: IPv4 as
``inet_select_addr`` (net/ipv4/devinet.c) does, IPv6 as ``ipv6_dev_get_saddr``
(net/ipv6/addrconf.c) applies RFC 6724. Pure functions of schema data.

One sysctl decides part of it and is not in the facts: ``use_tempaddr`` (2 or more: a
temporary address is preferred, rule 7), which callers may give for every interface or per
interface (``per_interface``); where it is not given, 2 on an interface that holds a temporary
address (privacy extensions made it) and 0, the kernel's default, elsewhere. Rule 4 (home addresses, only in kernels built
with CONFIG_IPV6_MIP6) and ``use_optimistic`` / ``use_oif_addrs_only`` (both 0 by default) are
taken at their defaults, and so is the address label table (``ip addrlabel``), which the facts do
not hold.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
from collections.abc import Mapping

from .rtnetlink import SCOPES

AF = {4: socket.AF_INET, 6: socket.AF_INET6}
BITS = {4: 32, 6: 128}
SCOPE_NUMBERS = {name: number for number, name in SCOPES.items()}
# net.ipv6.conf.*.use_tempaddr where it is not given: on an interface with a temporary address,
# privacy extensions with temporary addresses preferred (RFC 8981; what distributions that enable
# them set); elsewhere the kernel's default.
TEMPADDR_WITH_TEMPORARY, TEMPADDR_DEFAULT = 2, 0
# IPv6 address scopes as __ipv6_addr_type gives them (RFC 4007 numbers), for rule 2.
LINK_SCOPE, SITE_SCOPE, GLOBAL_SCOPE = 0x2, 0x5, 0xE
# Linux's default IPv6 address label table (net/ipv6/addrlabel.c), longest prefix first.
LABELS = (("::1", 128, 0), ("::ffff:0:0", 96, 4), ("::", 96, 3), ("2001::", 32, 6),
          ("2001:10::", 28, 7), ("2002::", 16, 2), ("3ffe::", 16, 12), ("fec0::", 10, 11),
          ("fc00::", 7, 5), ("::", 0, 1))
NOT_CANDIDATE = frozenset(("dadfailed",))


def parse_address(text):
    """``(family, integer, zone)`` of an address string that may carry ``%zone``."""
    if not isinstance(text, str):
        raise ValueError("destination %r is not an address" % (text,))
    addr, _sep, zone = text.partition("%")
    for family in (4, 6):
        try:
            packed = socket.inet_pton(AF[family], addr)
        except (OSError, ValueError):
            continue
        if zone and family == 4:
            break
        return family, int.from_bytes(packed, "big"), zone or None
    raise ValueError("destination %r is not an IPv4 or IPv6 address" % (text,))


def value_of(text):
    """The integer of an address string without zone."""
    return parse_address(text)[1]


def text_of(value, family):
    """The address string of an integer of ``family``."""
    return socket.inet_ntop(AF[family], value.to_bytes(BITS[family] // 8, "big"))


def network(cidr, family):
    """``(network integer >> host bits, prefix length)`` of a CIDR string."""
    addr, _sep, plen = cidr.partition("/")
    plen = int(plen) if plen else BITS[family]
    value = int.from_bytes(socket.inet_pton(AF[family], addr.partition("%")[0]), "big")
    return value >> (BITS[family] - plen) if plen else 0, plen


def prefixlen(cidr):
    return int(cidr.rpartition("/")[2])


def contains(cidr, family, value):
    net, plen = network(cidr, family)
    return (value >> (BITS[family] - plen) if plen else 0) == net


def check_tempaddr(setting):
    """``use_tempaddr`` as a caller gives it: None, a number, or ``{interface: number}``."""
    values = list(setting.values()) if isinstance(setting, Mapping) else [setting]
    if setting is None or all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return setting
    raise ValueError("use_tempaddr %r is not a number nor a mapping of interface names to numbers" % (setting,))


def per_interface(setting, name, default):
    """A sysctl as the caller gave it: one value for every interface, or ``{interface: value}``."""
    if isinstance(setting, Mapping):
        return setting.get(name, default)
    return setting


def scope_number(name):
    """An address or route scope as the schema names it -> the kernel's number."""
    return SCOPE_NUMBERS[name] if name in SCOPE_NUMBERS else int(name)


def addresses(interfaces, family):
    """``(interface name, address record)`` of ``family``, in the kernel's order."""
    return [(name, a) for name, iface in interfaces.items()
            for a in iface.get("addresses", ()) if a["family"] == family]


# ---------------------------------------------------------------------------- IPv4

def ipv4_source(interfaces, ifname, gateway, route_scope):
    """``inet_select_addr``: the first primary address of the output interface whose scope the
    route allows and whose subnet holds the gateway, else its first primary address the scope
    allows, else the first primary address of any interface (in order) that is not link scope
    and that the scope allows. An IPv6 gateway (RFC 5549) has no subnet to prefer."""
    scope = scope_number(route_scope)
    gw = value_of(gateway) if gateway and ":" not in gateway else None
    first = None
    for addr in _primaries(interfaces.get(ifname, {})):
        if min(scope_number(addr["scope"]), SCOPE_NUMBERS["host"]) > scope:
            continue
        if gw is None or contains(addr["network"], 4, gw):
            return addr["address"]
        first = first or addr["address"]
    if first:
        return first
    for iface in interfaces.values():
        for addr in _primaries(iface):
            if addr["scope"] != "link" and scope_number(addr["scope"]) <= scope:
                return addr["address"]
    return None


def _primaries(iface):
    return [a for a in iface.get("addresses", ()) if a["family"] == 4 and "secondary" not in a["flags"]]


# ---------------------------------------------------------------------------- IPv6

def ipv6_type(value):
    """``(scope, kind)`` as __ipv6_addr_type sees an address: kind is ``multicast``,
    ``loopback``, ``mapped``, ``compat``, ``any`` or ``unicast``."""
    if value >> 125 not in (0, 7):  # 2000::/3 to c000::/3
        return GLOBAL_SCOPE, "unicast"
    if value >> 120 == 0xFF:
        return (value >> 112) & 0xF, "multicast"
    special = {0x3FA: (LINK_SCOPE, "unicast"), 0x3FB: (SITE_SCOPE, "unicast")}.get(value >> 118)
    if special:
        return special
    if value >> 32 == 0:
        return {0: (0, "any"), 1: (LINK_SCOPE, "loopback")}.get(value, (GLOBAL_SCOPE, "compat"))
    if value >> 32 == 0xFFFF:
        return GLOBAL_SCOPE, "mapped"
    return GLOBAL_SCOPE, "unicast"


def _label(value):
    for prefix, plen, label in LABELS:
        if contains("%s/%d" % (prefix, plen), 6, value):
            return label
    return 1


def _common_prefix(a, b):
    return 128 - (a ^ b).bit_length()


def ipv6_source(interfaces, oif, value, use_tempaddr=None):
    """RFC 6724 as ``ipv6_dev_get_saddr`` applies it for a destination ``value`` leaving through
    ``oif``: the candidates are the addresses of every interface, or of ``oif`` alone for a
    multicast or link-scope destination; the first best by rules 1, 2, 3, 5, 6, 7 and 8, in the
    kernel's order (interfaces, then each one's address list). Two more rules of the kernel never
    decide under the defaults taken here: ORCHID (between 7 and 8), since ORCHIDs (2001:10::/28)
    have a label of their own, and "not optimistic" (after 8), since rule 3 already avoids
    optimistic addresses unless use_optimistic is set."""
    dscope, dkind = ipv6_type(value)
    oif_only = dkind == "multicast" or dscope <= LINK_SCOPE
    dest = {"value": value, "scope": dscope, "label": _label(value), "oif": oif,
            "prefer_temporary": {name: _tempaddr(use_tempaddr, name, iface) >= 2 for name, iface in interfaces.items()}}
    best, best_key = None, None
    for name, addr in addresses(interfaces, 6):
        if oif_only and name != oif or not _candidate(addr):
            continue
        key = _ipv6_key(name, addr, dest)
        if best_key is None or key > best_key:
            best, best_key = addr["address"], key
    return best


def _tempaddr(setting, name, iface):
    """use_tempaddr of one interface: as given, else inferred from its addresses."""
    inferred = TEMPADDR_WITH_TEMPORARY if any("temporary" in a["flags"] for a in iface.get("addresses", ())) \
        else TEMPADDR_DEFAULT
    value = per_interface(setting, name, None) if setting is not None else None
    return inferred if value is None else value


def _candidate(addr):
    """Not tentative (unless optimistic), not failed, not multicast, not the unspecified address."""
    flags = addr["flags"]
    if "tentative" in flags and "optimistic" not in flags or NOT_CANDIDATE.intersection(flags):
        return False
    return addr["class"] != "multicast" and ipv6_type(value_of(addr["address"]))[1] not in ("any", "multicast")


def _ipv6_key(name, addr, dest):
    """The rule scores of one candidate, greater is better, compared rule by rule."""
    value = value_of(addr["address"])
    scope, kind = ipv6_type(value)
    flags = addr["flags"]
    prefer_temporary = dest["prefer_temporary"][name]
    return (value == dest["value"],                                                      # rule 1
            -scope if scope >= dest["scope"] else scope - 128,                           # rule 2
            kind in ("mapped", "compat", "loopback") or not {"deprecated", "optimistic"} & set(flags),  # 3
            dest["oif"] is None or name == dest["oif"],                                  # rule 5
            _label(value) == dest["label"],                                              # rule 6
            ("temporary" not in flags) != prefer_temporary,                              # rule 7
            min(_common_prefix(value, dest["value"]), addr["prefixlen"]))                # rule 8
