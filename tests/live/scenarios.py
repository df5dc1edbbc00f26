# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario builders: each fills one fresh namespace (``netns.Netns``) with a test host.

Only link types that work on the test machine are used: veth, bridge, vxlan, tun/tap, nexthop
objects and groups, multipath routes and ``ip rule``. Duplicate address detection is turned off
(``accept_dad=0``) before any link exists so that address flags do not change under the tests'
feet; the one tentative address sits on a tap without carrier, where DAD never starts.

Each builder returns a dict of what the tests need to know beyond what the kernel shows
(names, destinations for ``sources``, what is optional and whether it was supported).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import netns

TEMPLATE_NAME = "{{7*7}}"
UTF8_NAME = "v\u00e90"  # v, e with acute accent, 0: valid UTF-8, not ASCII
ALTNAME = "uplink-alt.name"
ALIAS = "uplink {{ lookup('pipe', 'id') }}"


class Scenario:
    """One built test host: ``ns`` (a netns.Netns), ``info`` (what the builder says about it)."""

    def __init__(self, name, ns, info, others=()):
        self.name = name
        self.ns = ns
        self.info = info
        self.others = list(others)
        self._facts = None

    def __repr__(self):
        return "<Scenario %s in %s>" % (self.name, self.ns.name)

    def gather(self, **kwargs):
        return netns.run_engine(self.ns, **kwargs)

    def facts(self):
        """The default ``gather()`` of this host, with its destinations, taken once."""
        if self._facts is None:
            self._facts = self.gather(destinations=self.info.get("destinations", []))
        return self._facts


def built(name, builder, count=1):
    """Generator for a yield fixture: ``count`` namespaces, ``builder(*namespaces)`` run on them,
    one Scenario yielded; every namespace is deleted when the generator is resumed or closed,
    whether the builder, the test or nothing failed."""
    with netns.namespaces(count, name) as made:
        info = builder(*made)
        yield Scenario(name, made[0], info, made[1:])


def _no_dad(ns):
    for conf in ("all", "default"):
        ns.sysctl("net.ipv6.conf.%s.accept_dad" % conf, 0)


def _up(ns, *names):
    for name in names:
        ns.ip("link", "set", "dev", name, "up")


def _veth(ns, a, b, **kw):
    ns.ip("link", "add", a, "type", "veth", "peer", "name", b, *kw.get("peer_args", ()))


def _veth_host(ns, a, b):
    """No DAD, loopback up, and one veth pair ``a``/``b``, both up: what the small hosts start from."""
    _no_dad(ns)
    _up(ns, "lo")
    _veth(ns, a, b)
    _up(ns, a, b)


def build_lan(ns, peer):
    """A LAN host. ``peer`` is a second namespace that gets the far end of ``xa``."""
    info = {"optional": {}}
    _no_dad(ns)
    _up(ns, "lo")
    _veth(ns, "va", "vb")
    ns.ip("link", "set", "dev", "vb", "mtu", 9000)
    ns.ip("link", "set", "dev", "vb", "alias", ALIAS)
    ns.ip("link", "add", "br0", "type", "bridge")
    for port in ("bp1", "bp2"):
        _veth(ns, port, port + "x")
        ns.ip("link", "set", "dev", port, "master", "br0")
    ns.ip("link", "set", "dev", "bp2", "mtu", 1400)
    ns.ip("link", "add", "vx0", "type", "vxlan", "id", 42, "dstport", 4789, "local", "10.0.0.1", "dev", "va")
    ns.ip("tuntap", "add", "dev", "tun0", "mode", "tun")
    ns.ip("tuntap", "add", "dev", "tap0", "mode", "tap")
    _veth(ns, TEMPLATE_NAME, UTF8_NAME)
    _veth(ns, "dn0", "dn1")  # both ends stay down
    ns.ip("link", "add", "xa", "type", "veth", "peer", "name", "xb", "netns", peer.name)
    info["optional"]["altname"] = ns.ip_ok("link", "property", "add", "dev", "va", "altname", ALTNAME)
    _up(ns, "va", "vb", "br0", "bp1", "bp1x", "bp2", "bp2x", "vx0", "tun0", "tap0",
        TEMPLATE_NAME, UTF8_NAME, "xa")
    peer.ip("link", "set", "dev", "xb", "up")

    # va: primaries, secondaries, a label, a broadcast, finite lifetimes, non-usable scopes
    for args in (("10.0.0.1/24", "brd", "+"), ("10.0.0.2/24",), ("10.0.0.3/24", "label", "va:1"),
                 ("10.0.1.1/24", "brd", "+"), ("10.0.2.1/24", "valid_lft", 600, "preferred_lft", 300),
                 ("10.0.5.5/32", "scope", "host"), ("169.254.3.3/16", "scope", "link")):
        ns.ip("addr", "add", args[0], "dev", "va", *args[1:])
    for args in (("2001:db8:1::1/64",), ("2001:db8:1::2/64", "valid_lft", 300, "preferred_lft", 100),
                 ("2001:db8:1::3/64", "valid_lft", 300, "preferred_lft", 0), ("fe80::1/64",),
                 ("fd00:1::1/64",), ("fec0::1/64",)):
        ns.ip("addr", "add", args[0], "dev", "va", "nodad", *args[1:])
    # vb: multicast groups joined through addresses
    ns.ip("addr", "add", "10.0.3.1/24", "dev", "vb")
    ns.ip("addr", "add", "2001:db8:3::1/64", "dev", "vb", "nodad")
    ns.ip("addr", "add", "239.1.1.1/32", "dev", "vb", "autojoin")
    ns.ip("addr", "add", "ff05::1:3/128", "dev", "vb", "autojoin")
    ns.ip("addr", "add", "10.1.0.1/24", "brd", "+", "dev", "br0")
    ns.ip("addr", "add", "2001:db8:2::1/64", "dev", "br0", "nodad")
    ns.ip("addr", "add", "10.9.0.1", "peer", "10.9.0.2/32", "dev", "tun0")
    ns.ip("addr", "add", "2001:db8:9::1", "peer", "2001:db8:9::2/128", "dev", "tun0", "nodad")
    ns.sysctl("net.ipv6.conf.tap0.accept_dad", 1)  # no carrier: DAD never starts, stays tentative
    ns.ip("addr", "add", "10.7.0.1/24", "dev", "tap0")
    ns.ip("addr", "add", "2001:db8:7::1/64", "dev", "tap0")
    ns.ip("addr", "add", "192.168.49.1/24", "dev", TEMPLATE_NAME)
    ns.ip("addr", "add", "192.168.50.1/24", "dev", UTF8_NAME)
    ns.ip("addr", "add", "10.0.9.1/24", "dev", "dn0")
    ns.ip("addr", "add", "10.11.0.1/24", "dev", "xa")
    peer.ip("addr", "add", "10.11.0.2/24", "dev", "xb")

    ns.ip("route", "add", "default", "via", "10.0.0.254", "dev", "va")
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:1::fe", "dev", "va")
    info["destinations"] = ["8.8.8.8", "10.0.3.77", "10.9.0.2", "10.0.0.1", "192.168.49.9",
                            "2001:db8:ffff::1", "2001:db8:3::77", "fe80::99%vb", "::1"]
    info["uncovered"] = {4: "8.8.8.8", 6: "2001:db8:ffff::1"}
    return info


def build_routes(ns):
    """A router-ish host: ECMP, nexthop objects and groups, policy routing, reject routes."""
    info = {"optional": {}}
    _no_dad(ns)
    _up(ns, "lo")
    for n in "abcd":
        _veth(ns, "r" + n, "r%sp" % n)
    _up(ns, "ra", "rap", "rb", "rbp", "rc", "rcp", "rd")  # rdp stays down: rd has no carrier

    ns.ip("addr", "add", "192.168.1.10/24", "brd", "+", "dev", "ra")
    ns.ip("addr", "add", "192.168.1.11/24", "dev", "ra")
    ns.ip("addr", "add", "192.168.1.12/32", "scope", "host", "dev", "ra")
    ns.ip("addr", "add", "192.168.2.10/24", "brd", "+", "dev", "rb")
    ns.ip("addr", "add", "169.254.7.1/16", "scope", "link", "dev", "rb")
    ns.ip("addr", "add", "192.168.3.10/24", "brd", "+", "dev", "rc")
    ns.ip("addr", "add", "192.168.4.10/24", "dev", "rd")
    ns.ip("addr", "add", "2001:db8:a::10/64", "dev", "ra", "nodad")
    ns.ip("addr", "add", "2001:db8:b::10/64", "dev", "rb", "nodad")
    ns.ip("addr", "add", "2001:db8:b::20/64", "dev", "rb", "nodad", "preferred_lft", 0, "valid_lft", 3000)
    ns.ip("addr", "add", "fec0::b:1/64", "dev", "rb", "nodad")
    ns.ip("addr", "add", "2001:db8:c::10/64", "dev", "rc", "nodad")
    ns.ip("addr", "add", "2001:db8:d::10/64", "dev", "rd", "nodad")

    # IPv4 main: ECMP default (metric 100, with a preferred source), a nexthop-group default
    # (metric 200), a TOS-constrained default with a lower metric (never a candidate).
    ns.ip("route", "add", "default", "metric", 100, "src", "192.168.2.10",
          "nexthop", "via", "192.168.1.1", "dev", "ra", "weight", 1,
          "nexthop", "via", "192.168.2.1", "dev", "rb", "weight", 2)
    ns.ip("nexthop", "add", "id", 1, "via", "192.168.1.2", "dev", "ra")
    ns.ip("nexthop", "add", "id", 2, "via", "192.168.2.2", "dev", "rb")
    ns.ip("nexthop", "add", "id", 10, "group", "1/2,3")
    ns.ip("route", "add", "default", "nhid", 10, "metric", 200)
    ns.ip("route", "add", "default", "tos", "0x10", "via", "192.168.3.1", "dev", "rc", "metric", 10)
    # table default (253) with a lower metric than main's: main still wins (rule order)
    ns.ip("route", "add", "default", "via", "192.168.3.1", "dev", "rc", "table", "default", "metric", 50)
    # policy table 100
    ns.ip("route", "add", "default", "via", "192.168.3.1", "dev", "rc", "table", 100)
    ns.ip("route", "add", "throw", "10.99.0.0/16", "table", 100)
    ns.ip("rule", "add", "to", "198.51.100.0/24", "lookup", 100, "pref", 1000)
    # more specific, odd protocols, onlink, host route, linkdown, reject types
    ns.ip("route", "add", "10.20.0.0/16", "via", "192.168.2.1", "src", "192.168.2.10", "proto", "static")
    ns.ip("route", "add", "10.20.30.0/24", "via", "192.168.1.1", "proto", 200)
    ns.ip("route", "add", "10.21.0.0/16", "via", "192.168.1.1", "proto", "dhcp", "metric", 7)
    ns.ip("route", "add", "10.30.0.0/16", "nexthop", "via", "192.168.1.3", "dev", "ra", "weight", 5,
          "nexthop", "via", "192.168.2.3", "dev", "rb", "weight", 7)
    ns.ip("route", "add", "10.50.0.0/16", "via", "172.16.0.1", "dev", "rc", "onlink")
    ns.ip("route", "add", "10.60.0.1", "via", "192.168.1.1")
    ns.ip("route", "add", "10.80.0.0/16", "via", "192.168.4.1", "dev", "rd")
    ns.ip("route", "add", "blackhole", "192.0.2.0/24")
    ns.ip("route", "add", "unreachable", "203.0.113.0/25")
    ns.ip("route", "add", "prohibit", "203.0.113.128/25")
    ns.ip("nexthop", "add", "id", 3, "blackhole")
    ns.ip("route", "add", "10.70.0.0/16", "nhid", 3)
    info["optional"]["multicast_route"] = ns.ip_ok("route", "add", "multicast", "224.1.0.0/16", "dev", "ra")

    # IPv6: equal metric defaults, low first in the dump, then two high ones (pooled)
    ns.ip("-6", "nexthop", "add", "id", 61, "via", "2001:db8:a::1", "dev", "ra")
    ns.ip("-6", "nexthop", "add", "id", 63, "via", "2001:db8:c::1", "dev", "rc")
    ns.ip("-6", "route", "add", "default", "nhid", 61, "pref", "low", "metric", 1024)
    ns.ip("-6", "route", "append", "default", "via", "2001:db8:b::1", "dev", "rb", "pref", "high", "metric", 1024)
    ns.ip("-6", "route", "append", "default", "nhid", 63, "pref", "high", "metric", 1024)
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:c::1", "dev", "rc", "table", "default", "metric", 50)
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:c::1", "dev", "rc", "table", 100)
    ns.ip("-6", "rule", "add", "to", "2001:db8:100::/48", "lookup", 100, "pref", 1000)
    info["optional"]["ipv6_from"] = ns.ip_ok(
        "-6", "route", "add", "2001:db8:99::/48", "from", "2001:db8:a::/64", "via", "2001:db8:a::1", "dev", "ra")
    if info["optional"]["ipv6_from"]:
        # a source-constrained default with the lowest metric: never a candidate
        ns.ip("-6", "route", "add", "::/0", "from", "2001:db8:c::/64", "via", "2001:db8:c::1",
              "dev", "rc", "metric", 1)
    ns.ip("-6", "route", "add", "2001:db8:77::/48", "nexthop", "via", "2001:db8:a::1", "dev", "ra", "weight", 3,
          "nexthop", "via", "2001:db8:b::1", "dev", "rb")
    ns.ip("-6", "route", "add", "2001:db8:78::/48", "via", "2001:db8:b::1", "dev", "rb", "proto", "static",
          "metric", 10)
    ns.ip("-6", "route", "add", "blackhole", "2001:db8:dead::/48")
    ns.ip("-6", "route", "add", "unreachable", "2001:db8:dead:1::/64")

    info["destinations"] = [
        "8.8.8.8", "198.51.100.7", "10.20.1.1", "10.21.0.9", "10.30.1.1", "10.50.0.1", "10.60.0.1",
        "192.168.1.55", "192.168.1.10", "127.0.0.1", "10.99.1.1", "224.1.2.3", "255.255.255.255",
        "192.0.2.1", "203.0.113.1", "203.0.113.200", "10.70.1.1",
        "2001:db8:5::1", "2001:db8:100::1", "2001:db8:78::1", "2001:db8:a::99", "::1",
        "2001:db8:dead::1", "2001:db8:dead:1::1", "fe80::1%ra", "fe80::2%rb",
    ]
    info["rejected"] = ["192.0.2.1", "203.0.113.1", "203.0.113.200", "10.70.1.1",
                        "2001:db8:dead::1", "2001:db8:dead:1::1"]
    info["policy"] = {"198.51.100.7": 100, "2001:db8:100::1": 100}
    info["uncovered"] = {4: "8.8.8.8", 6: "2001:db8:5::1"}
    return info


def build_noipv6(ns):
    """IPv6 disabled (all and default) before any link exists."""
    info = {"optional": {}}
    for conf in ("all", "default"):
        ns.sysctl("net.ipv6.conf.%s.disable_ipv6" % conf, 1)
    _up(ns, "lo")
    _veth(ns, "n6a", "n6b")
    _up(ns, "n6a", "n6b")
    ns.ip("addr", "add", "10.6.0.1/24", "dev", "n6a")
    ns.ip("addr", "add", "10.6.1.1/24", "dev", "n6b")
    ns.ip("route", "add", "default", "via", "10.6.0.254", "dev", "n6a")
    info["destinations"] = ["8.8.8.8", "10.6.1.1", "2001:db8::1", "::1"]
    info["uncovered"] = {4: "8.8.8.8", 6: "2001:db8::1"}
    return info


def build_nodefault(ns):
    """Interfaces and addresses, no default route in any table."""
    info = {"optional": {}}
    _veth_host(ns, "nda", "ndb")
    ns.ip("addr", "add", "10.40.0.1/24", "dev", "nda")
    ns.ip("addr", "add", "2001:db8:40::1/64", "dev", "nda", "nodad")
    ns.ip("route", "add", "10.41.0.0/16", "via", "10.40.0.254")
    info["destinations"] = ["8.8.8.8", "10.41.1.1", "2001:db8:ffff::1", "2001:db8:40::9"]
    info["uncovered"] = {4: "8.8.8.8", 6: "2001:db8:ffff::1"}
    return info


def build_rejectonly(ns):
    """Default routes that are never candidates: blackhole, unreachable, TOS and source bound."""
    info = {"optional": {}}
    _veth_host(ns, "rja", "rjb")
    ns.ip("addr", "add", "10.50.0.1/24", "dev", "rja")
    ns.ip("addr", "add", "2001:db8:50::1/64", "dev", "rja", "nodad")
    ns.ip("route", "add", "blackhole", "default", "metric", 5)
    ns.ip("route", "add", "default", "tos", "0x10", "via", "10.50.0.254", "dev", "rja", "metric", 1)
    ns.ip("-6", "route", "add", "unreachable", "default", "metric", 5)
    info["optional"]["ipv6_from"] = ns.ip_ok("-6", "route", "add", "::/0", "from", "2001:db8:50::/64",
                                             "via", "2001:db8:50::fe", "dev", "rja", "metric", 1)
    info["destinations"] = ["8.8.8.8", "2001:db8:ffff::1", "10.50.0.9"]
    info["uncovered"] = {4: "8.8.8.8", 6: "2001:db8:ffff::1"}
    return info


# Policy rules of every kind the schema describes, per family: (family, ip rule arguments).
# Each has its own pref, so that the order is the kernel's and not the order of insertion.
RULES = [
    (4, "pref 100 from 10.1.0.0/16 lookup 100"),
    (4, "pref 101 from 10.9.8.7/16 lookup 100"),  # the kernel keeps the host bits
    (4, "pref 102 from 10.1.1.1 to 192.0.2.0/24 lookup 101"),
    (4, "pref 103 not from 10.2.0.0/16 lookup 102"),
    (4, "pref 104 iif rla lookup 103"),
    (4, "pref 105 oif rlb lookup 104"),
    (4, "pref 106 iif nosuchif0 lookup 105"),  # detached: names an interface that does not exist
    (4, "pref 107 oif nosuchif1 lookup 105"),
    (4, "pref 108 fwmark 0x10 lookup 106"),
    (4, "pref 109 fwmark 0x20/0xff lookup 106"),
    (4, "pref 110 fwmark 0/0xffffffff lookup 106"),  # unmarked packets only
    (4, "pref 111 tos 0x10 lookup 107"),
    (4, "pref 112 uidrange 1000-2000 lookup 108"),
    (4, "pref 113 ipproto tcp sport 1000-2000 lookup 109"),
    (4, "pref 114 ipproto udp dport 53 lookup 109"),
    (4, "pref 115 ipproto 200 sport 7 dport 1024-65534 lookup 109"),
    (4, "pref 116 goto 32766"),
    (4, "pref 117 goto 118"),  # unresolved: no rule has pref 118
    (4, "pref 119 nop"),
    (4, "pref 120 from 10.66.0.0/16 blackhole"),
    (4, "pref 121 from 10.67.0.0/16 unreachable"),
    (4, "pref 122 from 10.68.0.0/16 prohibit"),
    (4, "pref 123 lookup main suppress_ifgroup 5"),
    (4, "pref 124 lookup 110 proto static"),
    (4, "pref 125 lookup 110 proto 77"),
    # wg-quick: whatever is not the tunnel's own traffic goes through the tunnel's table, except
    # what main routes more specifically than a default route
    (4, "pref 200 not fwmark 51820 lookup 51820"),
    (4, "pref 201 lookup main suppress_prefixlength 0"),
    (6, "pref 100 from 2001:db8:1::/48 lookup 100"),
    (6, "pref 101 to 2001:db8:2::1 lookup 101"),
    (6, "pref 102 not to 2001:db8:3::/64 iif rla lookup 102"),
    (6, "pref 103 oif nosuchif1 lookup 103"),
    (6, "pref 104 fwmark 0x100/0xf00 lookup 104"),
    (6, "pref 105 tos 0x20 lookup 105"),
    (6, "pref 106 uidrange 0-0 lookup 106"),
    (6, "pref 107 ipproto ipv6-icmp lookup 107"),
    (6, "pref 108 ipproto tcp dport 443 sport 1-1023 lookup 107"),
    (6, "pref 109 goto 32766"),
    (6, "pref 110 nop"),
    (6, "pref 111 from 2001:db8:66::/48 blackhole"),
    (6, "pref 112 from 2001:db8:67::/48 unreachable"),
    (6, "pref 113 from 2001:db8:68::/48 prohibit"),
    (6, "pref 200 not fwmark 51820 lookup 51820"),
    (6, "pref 201 lookup main suppress_prefixlength 0"),
]


def build_rules(ns):
    """Policy rules of every kind (``RULES``), and ``l3mdev`` rules where ``ip rule`` takes them."""
    info = {"optional": {}}
    _veth_host(ns, "rla", "rlb")
    for family, args in RULES:
        ns.ip("-%d" % family, "rule", "add", *args.split())
    info["optional"]["l3mdev"] = all(ns.ip_ok("-%d" % family, "rule", "add", "pref", 300, "l3mdev")
                                     for family in (4, 6))
    return info
