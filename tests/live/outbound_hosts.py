# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hosts whose way to the public Internet is not the plain lowest-metric default route: each
builder fills one fresh namespace (``netns.Netns``) the way real hosts are set up, for
test_way_out.py to compare the engine's best_local, default_ipv4/6, gateways and sources with
``ip route get`` there.

Links are veth pairs with both ends in the namespace (so each has carrier) and tun devices
(no process behind them: no carrier, which routing does not mind unless
``ignore_routes_with_linkdown`` is set). Duplicate address detection is off before any link
exists. Each builder returns ``{"destinations": [...]}``: public and private destinations for
``sources``, beyond the probes.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

PUBLIC = ["8.8.4.4", "9.9.9.9", "128.0.0.1", "200.1.2.3", "2001:4860:4860::8844", "2a00:1450::1",
          "3000::1", "2c0f:f00::1"]


def _base(ns, *pairs):
    """lo up, no DAD, and one veth pair per ``(name, peer)``, both ends up."""
    for conf in ("all", "default"):
        ns.sysctl("net.ipv6.conf.%s.accept_dad" % conf, 0)
    ns.ip("link", "set", "lo", "up")
    for name, peer in pairs:
        ns.ip("link", "add", name, "type", "veth", "peer", "name", peer)
        ns.ip("link", "set", name, "up")
        ns.ip("link", "set", peer, "up")


def _addrs(ns, dev, *cidrs):
    for cidr in cidrs:
        ns.ip("-6" if ":" in cidr else "-4", "addr", "add", cidr, "dev", dev, *(["nodad"] if ":" in cidr else []))


def _tun(ns, name, *cidrs):
    ns.ip("tuntap", "add", "dev", name, "mode", "tun")
    ns.ip("link", "set", name, "up")
    _addrs(ns, name, *cidrs)


def _lan(ns, four, six, gw4, gw6, dev="va"):
    _addrs(ns, dev, *(four + six))
    ns.ip("-4", "route", "add", "default", "via", gw4, "dev", dev)
    ns.ip("-6", "route", "add", "default", "via", gw6, "dev", dev)


def two_subnets(ns):
    """Two IPv4 subnets on the default interface, the gateway in the second (and a secondary
    there); a global and a newer ULA IPv6 address: the kernel takes the gateway's subnet and,
    by RFC 6724's label rule, the global address."""
    _base(ns, ("va", "vb"))
    _addrs(ns, "va", "10.1.0.5/24", "10.2.0.5/24", "10.2.0.6/24", "2001:db8:1::5/64", "fd00:1::5/64")
    ns.ip("-4", "route", "add", "default", "via", "10.2.0.1", "dev", "va")
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:1::1", "dev", "va")
    return {"destinations": PUBLIC + ["10.1.0.9", "10.2.0.9", "fd00:1::9", "fd00:2::9"]}


def vpn_halves(ns):
    """A VPN client's split default: 0.0.0.0/1 + 128.0.0.0/1 and 2000::/4 + 3000::/4 over a
    tun device, the physical defaults still there."""
    _base(ns, ("va", "vb"))
    _lan(ns, ["10.3.0.5/24"], ["2001:db8:3::5/64"], "10.3.0.1", "2001:db8:3::1")
    _tun(ns, "tun0", "10.8.0.2/24", "2001:db8:80::2/64")
    for half in ("0.0.0.0/1", "128.0.0.0/1", "2000::/4", "3000::/4"):
        ns.ip("route", "add", half, "dev", "tun0")
    return {"destinations": PUBLIC + ["10.3.0.9", "10.8.0.1", "2001:db8:3::9", "fd00::1"]}


def wg_policy(ns):
    """wg-quick's policy routing: table 51820 holds a default through the tunnel, taken by all
    traffic without fwmark 51820; main is consulted first with its default suppressed."""
    _base(ns, ("va", "vb"))
    _lan(ns, ["10.4.0.5/24"], ["2001:db8:4::5/64"], "10.4.0.1", "2001:db8:4::1")
    _tun(ns, "wg0", "10.9.0.2/32", "2001:db8:90::2/128")
    for fam in ("-4", "-6"):
        ns.ip(fam, "route", "add", "default", "dev", "wg0", "table", 51820)
        ns.ip(fam, "rule", "add", "not", "fwmark", 51820, "table", 51820)
        ns.ip(fam, "rule", "add", "table", "main", "suppress_prefixlength", 0)
    return {"destinations": PUBLIC + ["10.4.0.9", "10.9.0.1", "2001:db8:4::9"]}


def to_rule(ns):
    """A `to` rule sends one probe's destination to another table and gateway: the probes
    disagree, the majority is the answer, and the disagreement is reported."""
    _base(ns, ("va", "vb"), ("vc", "vd"))
    _lan(ns, ["10.5.0.5/24"], ["2001:db8:5::5/64"], "10.5.0.1", "2001:db8:5::1")
    _addrs(ns, "vc", "10.6.0.5/24", "2001:db8:6::5/64")
    ns.ip("-4", "route", "add", "default", "via", "10.6.0.1", "dev", "vc", "table", 200)
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:6::1", "dev", "vc", "table", 200)
    ns.ip("-4", "rule", "add", "to", "8.8.8.0/24", "table", 200)
    ns.ip("-6", "rule", "add", "to", "2001:4860::/32", "table", 200)
    ns.ip("-4", "rule", "add", "from", "10.6.0.0/24", "table", 200)
    return {"destinations": PUBLIC + ["8.8.8.9", "2001:4860::1", "10.6.0.9"]}


def specific_route(ns):
    """A more specific route than the default (8.0.0.0/8, 2001:4860::/32) through a second
    gateway: one probe leaves another way."""
    _base(ns, ("va", "vb"), ("vc", "vd"))
    _lan(ns, ["10.7.0.5/24"], ["2001:db8:7::5/64"], "10.7.0.1", "2001:db8:7::1")
    _addrs(ns, "vc", "10.17.0.5/24", "2001:db8:17::5/64")
    ns.ip("-4", "route", "add", "8.0.0.0/8", "via", "10.17.0.1", "dev", "vc")
    ns.ip("-6", "route", "add", "2001:4860::/32", "via", "2001:db8:17::1", "dev", "vc")
    return {"destinations": PUBLIC + ["8.1.2.3"]}


def _reject_first(ns, kind4, kind6, net):
    _base(ns, ("va", "vb"))
    _addrs(ns, "va", "10.%d.0.5/24" % net, "2001:db8:%d::5/64" % net)
    ns.ip("-4", "route", "add", kind4, "default", "metric", 10)
    ns.ip("-6", "route", "add", kind6, "default", "metric", 10)
    ns.ip("-4", "route", "add", "default", "via", "10.%d.0.1" % net, "dev", "va", "metric", 100)
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:%d::1" % net, "dev", "va", "metric", 100)
    return {"destinations": PUBLIC + ["10.%d.0.9" % net, "2001:db8:%d::9" % net]}


def blackhole_first(ns):
    """A blackhole IPv4 and a prohibit IPv6 default at a lower metric than a working one: the
    kernel rejects; that is the answer, not the next default."""
    return _reject_first(ns, "blackhole", "prohibit", 21)


def unreachable_first(ns):
    """Unreachable defaults, both families, at a lower metric than working ones."""
    return _reject_first(ns, "unreachable", "unreachable", 22)


def _linkdown(ns, ignore):
    _base(ns, ("va", "vb"), ("vx", "vy"))
    for fam in ("ipv4", "ipv6"):
        ns.sysctl("net.%s.conf.all.ignore_routes_with_linkdown" % fam, ignore)
    _addrs(ns, "va", "10.23.0.5/24", "2001:db8:23::5/64")
    _addrs(ns, "vx", "10.24.0.5/24", "2001:db8:24::5/64")
    ns.ip("-4", "route", "add", "default", "via", "10.24.0.1", "dev", "vx", "metric", 100)
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:24::1", "dev", "vx", "metric", 100)
    ns.ip("-4", "route", "add", "default", "via", "10.23.0.1", "dev", "va", "metric", 200)
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:23::1", "dev", "va", "metric", 200)
    ns.ip("link", "set", "vy", "down")  # vx loses carrier: its routes are linkdown
    return {"destinations": PUBLIC + ["10.24.0.9", "2001:db8:24::9"]}


def linkdown_used(ns):
    """The lowest-metric default's link is down and ignore_routes_with_linkdown is 0: the
    kernel still routes through it."""
    return _linkdown(ns, 0)


def linkdown_ignored(ns):
    """The same with ignore_routes_with_linkdown = 1: the kernel takes the next default."""
    return _linkdown(ns, 1)


def ecmp(ns):
    """A multipath default over two links with a subnet each: the kernel hashes each flow onto
    one hop and takes the source of that hop's interface."""
    _base(ns, ("va", "vb"), ("vc", "vd"))
    _addrs(ns, "va", "10.31.0.5/24", "2001:db8:31::5/64")
    _addrs(ns, "vc", "10.32.0.5/24", "2001:db8:32::5/64")
    ns.ip("-4", "route", "add", "default", "nexthop", "via", "10.31.0.1", "dev", "va",
          "nexthop", "via", "10.32.0.1", "dev", "vc", "weight", 3)
    ns.ip("-6", "route", "add", "default", "nexthop", "via", "2001:db8:31::1", "dev", "va",
          "nexthop", "via", "2001:db8:32::1", "dev", "vc")
    return {"destinations": PUBLIC + ["10.31.0.9", "10.32.0.9"]}


def nexthop_group(ns):
    """A default through a nexthop group of two objects per family."""
    _base(ns, ("va", "vb"), ("vc", "vd"))
    _addrs(ns, "va", "10.33.0.5/24", "2001:db8:33::5/64")
    _addrs(ns, "vc", "10.34.0.5/24", "2001:db8:34::5/64")
    ns.ip("nexthop", "add", "id", 1, "via", "10.33.0.1", "dev", "va")
    ns.ip("nexthop", "add", "id", 2, "via", "10.34.0.1", "dev", "vc")
    ns.ip("nexthop", "add", "id", 3, "via", "2001:db8:33::1", "dev", "va")
    ns.ip("nexthop", "add", "id", 4, "via", "2001:db8:34::1", "dev", "vc")
    ns.ip("nexthop", "add", "id", 10, "group", "1/2,2")
    ns.ip("nexthop", "add", "id", 11, "group", "3/4")
    ns.ip("-4", "route", "add", "default", "nhid", 10)
    ns.ip("-6", "route", "add", "default", "nhid", 11)
    return {"destinations": PUBLIC + ["10.33.0.9"]}


def preferred_source(ns):
    """A default route with ``src`` naming the secondary address: the kernel uses it as is."""
    _base(ns, ("va", "vb"))
    _addrs(ns, "va", "10.35.0.5/24", "10.35.0.7/24", "2001:db8:35::5/64", "2001:db8:35::7/64")
    ns.ip("-4", "route", "add", "default", "via", "10.35.0.1", "dev", "va", "src", "10.35.0.7")
    ns.ip("-6", "route", "add", "default", "via", "2001:db8:35::1", "dev", "va", "src", "2001:db8:35::7")
    return {"destinations": PUBLIC + ["10.35.0.9"]}


def throw_to_nothing(ns):
    """A policy table whose default is a throw and no later table with a default: the lookup
    ends as no route at all does (ENETUNREACH)."""
    _base(ns, ("va", "vb"))
    _addrs(ns, "va", "10.36.0.5/24", "2001:db8:36::5/64")
    for fam in ("-4", "-6"):
        ns.ip(fam, "route", "add", "throw", "default", "table", 300)
        ns.ip(fam, "rule", "add", "pref", 100, "table", 300)
    return {"destinations": PUBLIC + ["10.36.0.9"]}


HOSTS = {f.__name__: f for f in (two_subnets, vpn_halves, wg_policy, to_rule, specific_route,
                                 blackhole_first, unreachable_first, linkdown_used, linkdown_ignored,
                                 ecmp, nexthop_group, preferred_source, throw_to_nothing)}
