# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The comparison behind ``netifs.core.validate``: gathered netifs facts against what the
inventory says, every difference at once.

``validate(netifs, expected, peers)`` returns ``{ok, mismatches, checked, diff, table}``: each
mismatch is ``{interface, check, expected, actual}`` (``interface`` is None for host-wide
checks), ``diff`` holds ``before`` (what the host has) and ``after`` (what the inventory wants)
for the checked keys only, and ``table`` renders the mismatches for a failure message.
Expectations whose types are wrong are the action's argument spec's business; values that no type
can check (an address, a MAC) raise ``ValueError`` here. Nothing is sent anywhere: peer
reachability is worked out from this host's own prefixes and routes.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import re

from ansible_collections.netifs.core.plugins.module_utils.netifs.classify import classify
from ansible_collections.netifs.core.plugins.module_utils.netifs.source_selection import (
    REJECT_TYPES, match_route)
from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import require

PLUGIN = "netifs.core.validate"
FAMILIES = {"ipv4": 4, "ipv6": 6}
# Addresses that say nothing about where a peer is: every host has them.
NOT_A_PEER_ADDRESS = frozenset(("loopback", "multicast", "unspecified", "link_local"))
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2})*$")
ABSENT = "absent"


class Report(object):
    """What has been checked, what differs, and the two sides of the diff."""

    def __init__(self):
        self.checked = []
        self.mismatches = []
        self.before = {}
        self.after = {}

    def record(self, interface, check, expected, actual, path, same=None):
        """One check: counted, put in the diff at ``path`` (a tuple of keys), and a mismatch when
        ``same`` (default: ``expected == actual``) is false."""
        self.list_check(interface, check, expected, actual, path)
        if not (expected == actual if same is None else same):
            self.mismatch(interface, check, expected, actual)

    def list_check(self, interface, check, expected, actual, path):
        """A check of a list, counted and in the diff; its mismatches are added item by item, so
        that the table names each missing address rather than repeating whole lists."""
        self.checked.append({"interface": interface, "check": check})
        _put(self.before, path, actual)
        _put(self.after, path, expected)

    def mismatch(self, interface, check, expected, actual):
        self.mismatches.append({"interface": interface, "check": check, "expected": expected, "actual": actual})

    def result(self, host):
        ok = not self.mismatches
        return {
            "ok": ok,
            "mismatches": self.mismatches,
            "checked": self.checked,
            "diff": {"before": self.before, "after": self.after,
                     "before_header": "%s (gathered)" % host, "after_header": "%s (inventory)" % host},
            "table": "" if ok else render_table(self.mismatches),
        }


def _put(tree, path, value):
    for key in path[:-1]:
        tree = tree.setdefault(key, {})
    tree[path[-1]] = value


def validate(netifs, expected, peers=None, host="host"):
    """Compare ``netifs`` (checked facts) with ``expected`` (the action's validated options:
    ``interfaces``, ``default_route``, ``best_local``, ``peers``); ``peers`` maps each peer's host
    name to ``{"expected": [address strings], "facts": netifs facts or None}``."""
    report = Report()
    if expected.get("interfaces"):
        interfaces = require(netifs, "interfaces", "interfaces", PLUGIN)
        for spec in expected["interfaces"]:
            check_interface(report, interfaces, spec)
    for name, family in FAMILIES.items():
        route = (expected.get("default_route") or {}).get(name)
        if route:
            check_default_route(report, netifs, name, route)
        address = (expected.get("best_local") or {}).get(name)
        if address:
            check_best_local(report, netifs, name, address)
    for peer in expected.get("peers") or ():
        check_peer(report, netifs, peer, (peers or {}).get(peer["host"]))
    return report.result(host)


def check_interface(report, interfaces, spec):
    """Presence first; the other checks only for an interface that is there."""
    name = spec["name"]
    iface = interfaces.get(name)
    present = spec.get("present", True)
    report.record(name, "present", present, iface is not None, ("interfaces", name, "present"))
    if iface is None or not present:
        return
    if spec.get("state") is not None:
        state = "up" if "up" in (iface.get("flags") or ()) else "down"
        report.record(name, "state", spec["state"], state, ("interfaces", name, "state"))
    for key in ("oper_state", "mtu", "kind"):
        if spec.get(key) is not None:
            report.record(name, key, spec[key], iface.get(key), ("interfaces", name, key))
    if spec.get("mac") is not None:
        report.record(name, "mac", normal_mac(spec["mac"]), iface.get("mac"), ("interfaces", name, "mac"))
    if spec.get("master") is not None:
        # "" declares a port of no bridge or bond, which the facts give as null.
        report.record(name, "master", spec["master"] or None, iface.get("master"), ("interfaces", name, "master"))
    if spec.get("addresses") is not None:
        check_addresses(report, name, iface, spec["addresses"], spec.get("addresses_match") or "contains")
    if spec.get("multicast") is not None:
        check_multicast(report, name, iface, spec["multicast"])


def normal_mac(text):
    mac = text.lower().replace("-", ":")
    if not _MAC.match(mac):
        raise ValueError("%s: %r is not a MAC address (hex bytes separated by colons)" % (PLUGIN, text))
    return mac


def normal_address(text, where):
    """``(ip_address, prefixlen or None)`` of ``a.b.c.d[/len]`` or an IPv6 one."""
    try:
        if "/" in text:
            iface = ipaddress.ip_interface(text)
            return iface.ip, iface.network.prefixlen
        return ipaddress.ip_address(text), None
    except ValueError:
        raise ValueError("%s: %s: %r is not an IPv4 or IPv6 address (with an optional /prefixlen)"
                         % (PLUGIN, where, text))


def _text(ip, prefixlen):
    return "%s/%d" % (ip, prefixlen) if prefixlen is not None else str(ip)


def _matches(want, have):
    return want[0] == have[0] and want[1] in (None, have[1])


def check_addresses(report, name, iface, addresses, mode):
    """``contains``: every listed address is on the interface; ``exact``: nothing else either,
    apart from IPv6 link-local addresses (the kernel makes them) unless the list names one."""
    wanted = [normal_address(a, "interface %s" % name) for a in addresses]
    gathered = [normal_address("%s/%s" % (a["address"], a["prefixlen"]), "gathered facts of %s" % name)
                for a in require(iface, "addresses", "addresses", PLUGIN)]
    if mode == "exact" and not any(ip.version == 6 and ip.is_link_local for ip, _len in wanted):
        gathered = [a for a in gathered if not (a[0].version == 6 and a[0].is_link_local)]
    missing = [w for w in wanted if not any(_matches(w, g) for g in gathered)]
    extra = [g for g in gathered if not any(_matches(w, g) for w in wanted)] if mode == "exact" else []
    actual = [_text(*g) for g in gathered]
    after = [_text(*w) for w in wanted] if mode == "exact" else actual + [_text(*m) for m in missing]
    report.list_check(name, "addresses", after, actual, ("interfaces", name, "addresses"))
    for ip, prefixlen in missing:
        report.mismatch(name, "addresses", _text(ip, prefixlen), ABSENT)
    for ip, prefixlen in extra:
        report.mismatch(name, "addresses", ABSENT, _text(ip, prefixlen))


def check_multicast(report, name, iface, groups):
    """Every listed group is joined (the kernel joins others by itself, so never exact)."""
    joined = [ipaddress.ip_address(m["address"]) for m in require(iface, "multicast", "multicast", PLUGIN)]
    wanted = [normal_address(g, "multicast of interface %s" % name)[0] for g in groups]
    missing = [g for g in wanted if g not in joined]
    actual = [str(g) for g in joined]
    report.list_check(name, "multicast", actual + [str(g) for g in missing], actual, ("interfaces", name, "multicast"))
    for group in missing:
        report.mismatch(name, "multicast", str(group), "not joined")


def check_default_route(report, netifs, family, route):
    """The interface and gateway of the default route the kernel would use (``default_ipv4``,
    ``default_ipv6``); ``none`` when the host has no default route of the family."""
    chosen = require(netifs, "default_" + family, "best_local", PLUGIN)
    for key in ("interface", "gateway"):
        want = route.get(key)
        if want is None:
            continue
        have = chosen.get(key)
        if key == "gateway":
            want = str(normal_address(want, "default_route.%s.gateway" % family)[0])
            have = str(ipaddress.ip_address(have)) if have else None
        report.record(None, "default_route.%s.%s" % (family, key), want, have, ("default_route", family, key))


def check_best_local(report, netifs, family, address):
    """The address the host would send from: the first of ``best_local.<family>``."""
    best = require(netifs, "best_local", "best_local", PLUGIN).get(family) or []
    want = str(normal_address(address, "best_local.%s" % family)[0])
    have = str(ipaddress.ip_address(best[0]["address"])) if best else None
    report.record(None, "best_local.%s" % family, want, have, ("best_local", family))


def peer_addresses(host, info):
    """``{network: address}`` of a peer, one address per network: the addresses its own
    ``validate_interfaces`` declares, then those of its gathered facts, of each only those that
    locate it (not loopback, link-local or multicast: every host has them)."""
    found = {}
    for spec in _peer_specs(host, info.get("interfaces")):
        for text in spec.get("addresses") or ():
            ip, prefixlen = normal_address(text, "validate_interfaces of peer %s" % host)
            if classify(str(ip)) in NOT_A_PEER_ADDRESS:
                continue
            network = ipaddress.ip_interface("%s/%d" % (ip, ip.max_prefixlen if prefixlen is None else prefixlen)).network
            found.setdefault(network, ip)
    if info.get("facts") is not None:
        for iface in require(info["facts"], "interfaces", "addresses", PLUGIN).values():
            for addr in iface.get("addresses") or ():
                if addr["class"] not in NOT_A_PEER_ADDRESS:
                    found.setdefault(ipaddress.ip_network(addr["network"], strict=False),
                                     ipaddress.ip_address(addr["address"]))
    return found


def _peer_specs(host, specs):
    """The interface specs a peer's inventory declares, checked, since no argument spec has."""
    if specs is None:
        return []
    if not isinstance(specs, list) or not all(isinstance(s, dict) for s in specs):
        raise ValueError("%s: validate_interfaces of peer %s is not a list of interface specs" % (PLUGIN, host))
    return [s for s in specs if s.get("present", True)]


def reach(netifs, ip):
    """``(on_link, reachable, how)`` for one address, from this host's facts: on-link through
    one of its own prefixes, else through the route the kernel would pick (longest prefix)."""
    for name, iface in require(netifs, "interfaces", "addresses", PLUGIN).items():
        for addr in iface.get("addresses") or ():
            if addr["scope"] != "host" and ip in ipaddress.ip_network(addr["network"], strict=False):
                return True, True, "on-link via %s (%s/%d)" % (name, addr["address"], addr["prefixlen"])
    route, hops = match_route(require(netifs, "routes", "routes", PLUGIN), ip.version, int(ip))
    if route is None:
        return False, False, "no route"
    if route["type"] in REJECT_TYPES:
        return False, False, "%s route %s" % (route["type"], route["destination"])
    if not hops:
        return False, False, "route %s has no usable next hop" % route["destination"]
    gateway = "via %s " % hops[0]["gateway"] if hops[0]["gateway"] else ""
    return False, True, "%sdev %s (route %s)" % (gateway, hops[0]["interface"], route["destination"])


def check_peer(report, netifs, peer, info):
    """Each network of the peer is reachable, or on-link when ``on_link`` is set."""
    host = peer["host"]
    want = "on-link" if peer.get("on_link") else "reachable"
    check = "peer %s" % host
    if info is None:
        report.record(None, check, "in the inventory", "unknown host", ("peers", host))
        return
    networks = peer_addresses(host, info)
    if not networks:
        report.record(None, check, "known addresses", "none (no validate_interfaces addresses, no netifs facts)",
                      ("peers", host))
    for network, ip in networks.items():
        on_link, reachable, how = reach(netifs, ip)
        same = on_link if peer.get("on_link") else reachable
        # The diff shows a line only for a network that fails.
        report.record(None, "%s %s" % (check, network), how if same else want, how, ("peers", host, str(network)),
                      same=same)


def _cell(value):
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value) or "(none)"
    return str(value)


def render_table(mismatches):
    """The mismatches as a plain-text table, one row each, columns as wide as their cells."""
    head = ("INTERFACE", "CHECK", "EXPECTED", "ACTUAL")
    rows = [head] + [(m["interface"] or "-", m["check"], _cell(m["expected"]), _cell(m["actual"]))
                     for m in mismatches]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
