# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test hosts where the kernel's choice of route and source address is not the obvious one:
RFC 6724 source selection, ``inet_select_addr``'s subnet preference, VPN halves over a tun,
reject routes below working ones, link-down defaults, ECMP, and policy rules (wg-quick style).

Each builder fills fresh namespaces (as scenarios.py does) and returns what the tests need: the
``destinations`` to ask about (public and private, more than the prefix ends the grid finds) and
the ``knobs``: the sysctls the facts do not hold, as ``source_for`` keyword arguments.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import os
import subprocess
import sys

import netns
from scenarios import Scenario, _no_dad as no_dad, _up as up, _veth as veth

HOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tun_holder.py")
# Spread over the global unicast space of each family, as "the Internet".
PUBLIC4 = ["1.1.1.1", "8.8.8.8", "9.9.9.9", "23.1.2.3", "64.0.0.1", "100.63.0.1", "126.0.0.1", "128.0.0.1",
           "151.101.1.1", "172.217.0.1", "185.1.1.1", "198.51.100.77", "200.1.1.1", "223.255.255.1"]
PUBLIC6 = ["2606:4700::1111", "2a00:1450:4001::1", "2001:4860:4860::8888", "2400:cb00::1", "2c0f:fb50::1",
           "2001:db8:ffff::1", "3fff::1", "3ffe::1", "2002:c000:299::1", "2001:10:0:99::1", "64:ff9b::c633:6401",
           "fd99::1", "fec0:99::1", "::ffff:198.51.100.1", "100::1", "4000::1"]


def built(name, builder, count=1):
    """Like scenarios.built, with a contextlib.ExitStack for the builder: what it enters there
    (a tun holder) is left before the namespaces are deleted, whatever failed."""
    with netns.namespaces(count, name) as made, contextlib.ExitStack() as stack:
        info = builder(stack, *made)
        yield Scenario(name, made[0], info, made[1:])


@contextlib.contextmanager
def tun_carrier(ns, name):
    """Carrier on the persistent tun ``name`` while the block runs: a holder attached to it."""
    argv = ["ip", "netns", "exec", ns.name, sys.executable, "-B", HOLDER, name]
    holder = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, universal_newlines=True)
    try:
        line = holder.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError("tun holder for %s in %s said %r" % (name, ns.name, line))
        yield holder
    finally:
        holder.stdin.close()
        try:
            holder.wait(timeout=10)
        except subprocess.TimeoutExpired:
            holder.kill()  # our own child, by its handle
            holder.wait(timeout=10)


def _base(ns, *pairs):
    """No DAD, lo up, and a veth pair per ``(name, peer_up)`` with both ends up (the peer only
    when ``peer_up``, else the veth has no carrier)."""
    no_dad(ns)
    up(ns, "lo")
    for name, peer_up in pairs:
        veth(ns, name, name + "p")
        up(ns, *((name, name + "p") if peer_up else (name,)))


def _addrs(ns, dev, *specs):
    for spec in specs:
        words = spec.split()
        ns.ip("addr", "add", words[0], "dev", dev, *words[1:])


def _routes(ns, *specs):
    for spec in specs:
        words = spec.split()
        ns.ip(*(["-6"] if words[0] == "-6" else []), "route", "add", *words[words[0] == "-6":])


def build_rfc6724(_stack, ns):
    """IPv6 source selection: a ULA, a global, a 6to4 and an ORCHID address, a temporary address
    (use_tempaddr 2 prefers it), a deprecated one, a site-local one on the default interface;
    others on a second interface (rule 5); on a third, use_tempaddr 1 (public preferred); an
    optimistic address on a link without carrier (rule 3 before rule 5); a ``local`` route in
    table main (``ip route add local`` puts it in table local by default, which the facts leave
    out)."""
    _base(ns, ("s6a", True), ("s6b", True), ("s6c", True), ("s6d", False))
    ns.sysctl("net.ipv6.conf.s6a.use_tempaddr", 2)
    ns.sysctl("net.ipv6.conf.s6c.use_tempaddr", 1)
    ns.sysctl("net.ipv6.conf.s6d.optimistic_dad", 1)
    ns.sysctl("net.ipv6.conf.s6d.accept_dad", 1)
    _addrs(ns, "s6a", "2001:db8:61::5/64", "2002:c000:204::5/48", "2001:10:0:61::5/64",
           "2001:db8:62::5/64 mngtmpaddr valid_lft 3600 preferred_lft 1800",
           "2001:db8:63::5/64 valid_lft 3600 preferred_lft 0", "fec0:61::5/64", "fd61::5/64")
    # rule 8 counts no more bits than the prefix length: 2001:db8:68:fff0::1 is nearer the /48
    # (63 bits in common) but matches the /64 further (56 bits, against 48)
    _addrs(ns, "s6b", "2001:db8:64::5/64", "fd64::5/64", "2001:db8:68:fff1::5/48", "2001:db8:68:ff00::5/64")
    _addrs(ns, "s6c", "2001:db8:65::5/64 mngtmpaddr valid_lft 3600 preferred_lft 1800")
    _addrs(ns, "s6d", "2001:db8:67::5/64 optimistic")
    _routes(ns, "-6 default via fe80::1 dev s6a", "-6 2001:db8:70::/48 via fe80::2 dev s6b",
            "-6 fd70::/16 via fe80::2 dev s6b", "-6 2001:db8:75::/48 via fe80::3 dev s6c",
            "-6 local 2001:db8:90::/48 dev lo table main", "-6 2001:db8:76::/48 via fe80::4 dev s6d")
    dests = ["2001:db8:68:fff0::1", "2001:db8:62:0:1::1", "2001:db8:63::9", "2001:db8:61::9", "fd61::99", "fd64::9", "fd70::1",
             "fec0:61::9", "2001:db8:64::9", "2001:db8:70::1", "2001:db8:75::1", "2001:db8:65::9",
             "2001:db8:67::9", "2001:db8:76::1", "2001:db8:90::1", "ff02::1%s6a", "ff02::1%s6b", "ff05::2",
             "ff0e::1", "fe80::99%s6a", "fe80::99%s6b", "fe80::99%s6c", "::1"]
    return {"destinations": PUBLIC6 + dests, "knobs": {"use_tempaddr": {"s6c": 1}}}


def build_inet_select(_stack, ns):
    """IPv4 source selection: two subnets on the default interface with the gateway in the
    second, secondaries, a link-scope address first on another interface, routes of link, global
    and host scope, onlink gateways, an interface without an address, a point-to-point address,
    a host-scope /24, a noprefixroute address, one subnet on two interfaces, routes with ``src``,
    and AnyIP ``local`` routes (in table main: see build_rfc6724)."""
    _base(ns, ("s4a", True), ("s4b", True), ("s4c", True))
    _addrs(ns, "s4a", "10.41.0.5/24 brd +", "10.41.1.5/24 brd +", "10.41.1.6/24", "10.41.0.6/24",
           "10.41.5.5/24 scope host", "10.41.6.5/24 noprefixroute", "10.44.0.5/24")
    _addrs(ns, "s4b", "169.254.42.5/16 scope link", "10.42.0.5/24", "10.43.0.1 peer 10.43.0.2/32", "10.44.0.6/24")
    _routes(ns, "default via 10.41.1.1 dev s4a", "10.50.0.0/16 via 10.42.0.1", "10.51.0.0/16 dev s4b",
            "10.52.0.0/16 dev s4b scope global", "10.53.0.0/16 via 172.16.9.1 dev s4b onlink",
            "10.54.0.0/16 via 10.41.0.1 src 10.41.1.6", "10.55.0.0/16 dev s4c",
            "10.56.0.0/16 via 10.41.0.1 dev s4c onlink", "10.57.0.0/16 dev s4b scope host",
            "10.58.0.0/16 via 10.43.0.2 dev s4b", "local 10.90.0.0/16 dev lo table main",
            "local 10.91.0.0/16 dev lo src 10.42.0.5 table main")
    dests = ["10.41.0.9", "10.41.1.9", "10.41.1.6", "10.41.0.6", "10.41.5.9", "10.41.6.9", "10.44.0.9",
             "10.43.0.2", "169.254.42.9", "169.254.1.1", "10.41.1.255", "10.41.0.255", "255.255.255.255",
             "224.0.0.1", "239.255.255.250", "10.90.1.1", "10.91.1.1", "127.1.2.3"]
    dests += ["10.%d.1.1" % n for n in range(50, 59)]
    return {"destinations": PUBLIC4 + dests, "knobs": {}}


def build_vpn(stack, ns):
    """A VPN client: a physical default, and 0.0.0.0/1 + 128.0.0.0/1 and 2000::/4 + 3000::/4 over
    a tun with carrier (a holder is attached), the server's address exempt through the physical
    gateway; a second tun without carrier (its routes are link-down, and still used)."""
    _base(ns, ("vpa", True))
    for tun in ("vpn0", "vpn1"):
        ns.ip("tuntap", "add", "dev", tun, "mode", "tun")
    stack.enter_context(tun_carrier(ns, "vpn0"))
    up(ns, "vpn0", "vpn1")
    _addrs(ns, "vpa", "10.46.0.5/24", "2001:db8:46::5/64")
    _addrs(ns, "vpn0", "10.8.0.2/24", "2001:db8:8::2/64", "fd08::2/64")
    _addrs(ns, "vpn1", "172.20.0.2/16", "fd20::2/64")
    _routes(ns, "default via 10.46.0.1 dev vpa", "-6 default via 2001:db8:46::1 dev vpa",
            "0.0.0.0/1 dev vpn0", "128.0.0.0/1 dev vpn0", "198.51.100.10 via 10.46.0.1 dev vpa",
            "10.200.0.0/16 dev vpn0 src 10.46.0.5", "-6 2000::/4 dev vpn0", "-6 3000::/4 dev vpn0",
            "-6 2001:db8:46:1::10 via 2001:db8:46::1 dev vpa", "-6 fd20::/16 dev vpn1")
    dests = ["10.46.0.9", "10.8.0.1", "198.51.100.10", "198.51.100.11", "172.20.1.1", "10.200.1.1",
             "2001:db8:46::9", "2001:db8:46:1::10", "2001:db8:8::1", "fd20::9", "fd08::9"]
    return {"destinations": PUBLIC4 + PUBLIC6 + dests, "knobs": {}}


def build_reject(_stack, ns):
    """Reject routes below working ones: a blackhole IPv4 default and a prohibit IPv6 default
    at a lower metric than a unicast default; prohibit, unreachable and blackhole prefixes over
    unicast ones of a higher metric (and one under); a blackhole nexthop object; ``throw`` caught
    by table default (IPv4) or by nothing (IPv6 has no default-table rule)."""
    _base(ns, ("rda", True))
    _addrs(ns, "rda", "10.47.0.5/24", "2001:db8:47::5/64")
    ns.ip("nexthop", "add", "id", 7, "blackhole")
    _routes(ns, "blackhole default metric 5", "default via 10.47.0.1 metric 10",
            "prohibit 10.60.0.0/16 metric 1", "10.60.0.0/16 via 10.47.0.1 metric 2",
            "unreachable 10.61.0.0/16 metric 1", "10.61.0.0/16 via 10.47.0.1 metric 2",
            "10.62.0.0/16 via 10.47.0.1 metric 1", "blackhole 10.62.0.0/16 metric 2",
            "10.64.0.0/16 nhid 7 metric 1", "10.64.0.0/16 via 10.47.0.1 metric 2",
            "throw 10.63.0.0/16", "default via 10.47.0.2 table default metric 1",
            "unreachable 10.63.128.0/17 table default",
            "-6 prohibit default metric 5", "-6 default via 2001:db8:47::1 metric 10",
            "-6 blackhole 2001:db8:60::/48 metric 1", "-6 2001:db8:60::/48 via 2001:db8:47::1 metric 2",
            "-6 unreachable 2001:db8:61::/48 metric 1", "-6 2001:db8:61::/48 via 2001:db8:47::1 metric 2",
            "-6 throw 2001:db8:63::/48", "-6 default via 2001:db8:47::2 table default metric 1")
    dests = ["10.60.1.1", "10.61.1.1", "10.62.1.1", "10.63.1.1", "10.63.200.1", "10.64.1.1", "10.47.0.9",
             "2001:db8:60::1", "2001:db8:61::1", "2001:db8:63::1", "2001:db8:47::9"]
    return {"destinations": PUBLIC4 + PUBLIC6 + dests, "knobs": {}}


LINKDOWN_SYSCTL = (None, "all", "lda")  # where ignore_routes_with_linkdown is 1, per namespace


def build_linkdown(_stack, *namespaces):
    """The same host three times: a default (and a connected subnet, and one hop of an ECMP
    route) through a veth whose peer is down, at a lower metric than a working default; with
    ignore_routes_with_linkdown 0, 1 on ``all``, and 1 on that interface only."""
    for ns, conf in zip(namespaces, LINKDOWN_SYSCTL):
        _base(ns, ("lda", False), ("ldb", True))
        if conf:
            for family in ("ipv4", "ipv6"):
                ns.sysctl("net.%s.conf.%s.ignore_routes_with_linkdown" % (family, conf), 1)
        _addrs(ns, "lda", "10.48.0.5/24", "2001:db8:48::5/64")
        _addrs(ns, "ldb", "10.49.0.5/24", "2001:db8:49::5/64")
        _routes(ns, "default via 10.48.0.1 metric 10", "default via 10.49.0.1 metric 20",
                "-6 default via 2001:db8:48::1 metric 10", "-6 default via 2001:db8:49::1 metric 20",
                "10.65.0.0/16 nexthop via 10.48.0.1 dev lda nexthop via 10.49.0.1 dev ldb",
                "-6 2001:db8:65::/48 nexthop via 2001:db8:48::1 dev lda nexthop via 2001:db8:49::1 dev ldb")
    dests = ["10.48.0.9", "10.48.0.5", "10.49.0.9", "2001:db8:48::9", "2001:db8:49::9"]
    dests += ["10.65.%d.1" % n for n in range(16)] + ["2001:db8:65:%x::1" % n for n in range(16)]
    return {"destinations": PUBLIC4 + PUBLIC6 + dests, "knobs": {}}


def build_ecmp(_stack, ns):
    """ECMP: multipath defaults of both families over three interfaces (each with its own
    addresses), nexthop-object groups (plain and resilient), IPv6 siblings made by ``append``, and
    a multipath route with ``src``. The hash seed is fixed where the kernel has the sysctl."""
    _base(ns, ("ea", True), ("eb", True), ("ec", True))
    ns.exec_("sysctl", "-q", "-w", "net.ipv4.fib_multipath_hash_seed=7", check=False)
    _addrs(ns, "ea", "10.71.0.5/24", "10.71.0.6/24", "2001:db8:71::5/64")
    _addrs(ns, "eb", "10.72.0.5/24", "2001:db8:72::5/64", "fd72::5/64")
    _addrs(ns, "ec", "10.73.0.5/24", "2001:db8:73::5/64")
    for nhid, gw, dev in ((1, "10.71.0.1", "ea"), (2, "10.72.0.1", "eb"), (3, "10.73.0.1", "ec"),
                          (61, "2001:db8:71::1", "ea"), (62, "2001:db8:72::1", "eb"), (63, "2001:db8:73::1", "ec")):
        ns.ip("nexthop", "add", "id", nhid, "via", gw, "dev", dev)
    ns.ip("nexthop", "add", "id", 10, "group", "1/2,2/3")
    ns.ip("nexthop", "add", "id", 20, "group", "1/3", "type", "resilient", "buckets", 8)
    ns.ip("nexthop", "add", "id", 60, "group", "61/62/63")
    _routes(ns, "default metric 10 nexthop via 10.71.0.1 dev ea nexthop via 10.72.0.1 dev eb weight 2 "
            "nexthop via 10.73.0.1 dev ec", "100.64.0.0/10 nhid 10", "192.0.2.0/24 nhid 20",
            "198.18.0.0/15 src 10.73.0.5 nexthop via 10.71.0.1 dev ea nexthop via 10.72.0.1 dev eb",
            "-6 default metric 10 nexthop via 2001:db8:71::1 dev ea nexthop via 2001:db8:72::1 dev eb "
            "nexthop via 2001:db8:73::1 dev ec", "-6 2001:db8:100::/40 nhid 60",
            "-6 2001:db8:200::/40 via 2001:db8:71::1 dev ea")
    ns.ip("-6", "route", "append", "2001:db8:200::/40", "via", "2001:db8:72::1", "dev", "eb")
    dests = ["%d.%d.7.1" % (n, 3 * n) for n in range(11, 59)] + ["100.%d.1.1" % n for n in range(64, 96, 2)]
    dests += ["192.0.2.%d" % n for n in range(1, 254, 16)] + ["198.18.%d.1" % n for n in range(0, 200, 12)]
    dests += ["2%03x:%x::1" % (n, 7 * n) for n in range(1, 48)] + ["2001:db8:1%02x::1" % n for n in range(0, 96, 6)]
    dests += ["2001:db8:2%02x::1" % n for n in range(0, 96, 6)]
    multipath = ["0.0.0.0/0", "100.64.0.0/10", "192.0.2.0/24", "198.18.0.0/15", "::/0", "2001:db8:100::/40",
                 "2001:db8:200::/40"]
    return {"destinations": dests, "knobs": {}, "ecmp_prefixes": multipath}


# (family, ip rule arguments): wg-quick's two rules (added without priority, as it does, so the
# kernel numbers them 32765 and 32764), then rules of every action and selector source_for reads.
POLICY_RULES = [
    (4, "not fwmark 51820 table 51820"), (4, "table main suppress_prefixlength 0"),
    (6, "not fwmark 51820 table 51820"), (6, "table main suppress_prefixlength 0"),
    (4, "pref 100 to 198.51.100.0/24 lookup 200"), (6, "pref 100 to 2001:db8:100::/48 lookup 200"),
    (4, "pref 110 from 10.69.0.0/24 lookup 300"), (6, "pref 110 from 2001:db8:69::/64 lookup 300"),
    (4, "pref 120 to 203.0.113.0/24 prohibit"), (6, "pref 120 to 2001:db8:120::/48 prohibit"),
    (4, "pref 121 to 203.0.114.0/24 blackhole"), (6, "pref 121 to 2001:db8:121::/48 blackhole"),
    (4, "pref 122 to 203.0.115.0/24 unreachable"), (6, "pref 122 to 2001:db8:122::/48 unreachable"),
    (4, "pref 130 uidrange 1000-1999 lookup 300"), (6, "pref 130 uidrange 1000-1999 lookup 300"),
    (4, "pref 140 fwmark 0x10/0xff lookup 200"), (6, "pref 140 fwmark 0x10/0xff lookup 200"),
    (4, "pref 150 ipproto tcp dport 443 lookup 300"), (6, "pref 150 ipproto tcp dport 443 lookup 300"),
    (4, "pref 151 ipproto udp sport 5000-6000 lookup 200"), (6, "pref 151 ipproto udp sport 5000-6000 lookup 200"),
    (4, "pref 160 to 192.0.2.0/24 goto 170"), (4, "pref 165 to 192.0.2.0/24 prohibit"),
    (4, "pref 170 to 192.0.2.0/24 lookup 200"), (4, "pref 175 to 192.0.3.0/24 goto 176"),
    (4, "pref 180 nop"), (6, "pref 180 nop"),
    (4, "pref 185 iif lo to 100.64.0.0/10 lookup 300"), (4, "pref 186 iif pra to 100.64.0.0/10 lookup 200"),
    (6, "pref 185 iif lo to 2001:db8:185::/48 lookup 300"), (6, "pref 186 iif pra to 2001:db8:186::/48 lookup 200"),
    (4, "pref 190 to 10.73.0.0/15 lookup 400 suppress_prefixlength 24"),
    (6, "pref 190 to 2001:db8:73::/47 lookup 400 suppress_prefixlength 56"),
    (4, "pref 195 iif nosuchif lookup 300"), (4, "pref 196 oif prb lookup 300"), (6, "pref 196 oif prb lookup 300"),
]
# The traffic each destination is asked about: source_for's keyword arguments (ip route get's
# selectors, kernel_view.ROUTE_GET_WORDS). Forwarded traffic (iif) comes from outside.
POLICY_TRAFFIC = [{}, {"fwmark": 51820}, {"fwmark": "0x110"}, {"uid": 1500}, {"uid": 0},
                  {"ipproto": "tcp", "dport": 443}, {"ipproto": "tcp", "dport": 80}, {"ipproto": "udp", "sport": 5500},
                  {"source": "10.69.0.5"}, {"source": "10.67.0.5"}, {"source": "2001:db8:69::5"},
                  {"iif": "pra", "source": "10.99.0.1"}, {"iif": "prb", "source": "10.99.0.1"},
                  {"iif": "pra", "source": "2001:db8:99::1"}, {"fwmark": 51820, "uid": 1500, "ipproto": "tcp", "dport": 443}]


def build_policy_routing(stack, ns):
    """Policy routing (POLICY_RULES): wg-quick's rules and table 51820 through a tunnel with
    carrier, ``to`` and ``from`` rules into other tables (one with a ``throw``), reject rules,
    uid, fwmark, protocol and port rules, ``goto`` over a rule and an unresolved one, ``nop``,
    ``iif`` rules for sent and forwarded traffic, a detached one, an ``oif`` one, and
    ``suppress_prefixlength`` refusing a unicast route but not a blackhole. Forwarding is on, so
    that traffic from ``iif`` is routed."""
    _base(ns, ("pra", True), ("prb", True), ("prc", True))
    for conf in ("net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.all.rp_filter"):
        ns.sysctl(conf, 1 if "forward" in conf else 0)
    ns.ip("tuntap", "add", "dev", "wg0", "mode", "tun")
    stack.enter_context(tun_carrier(ns, "wg0"))
    up(ns, "wg0")
    _addrs(ns, "wg0", "10.66.0.2/32", "fd66::2/128")
    for dev, n in (("pra", 67), ("prb", 68), ("prc", 69)):
        _addrs(ns, dev, "10.%d.0.5/24" % n, "2001:db8:%d::5/64" % n)
    _routes(ns, "default via 10.67.0.1", "-6 default via 2001:db8:67::1", "10.70.0.0/16 via 10.67.0.1",
            "-6 2001:db8:70::/48 via 2001:db8:67::1", "default dev wg0 table 51820", "-6 default dev wg0 table 51820",
            "default via 10.68.0.1 table 200", "-6 default via 2001:db8:68::1 table 200",
            "throw 198.51.100.128/25 table 200", "-6 throw 2001:db8:100:8000::/49 table 200",
            "default via 10.69.0.1 table 300", "-6 default via 2001:db8:69::1 table 300",
            "blackhole 10.73.0.0/16 table 400", "10.72.0.0/16 via 10.69.0.1 table 400",
            "-6 blackhole 2001:db8:73::/48 table 400", "-6 2001:db8:72::/48 via 2001:db8:69::1 table 400")
    for family, args in POLICY_RULES:
        ns.ip("-%d" % family, "rule", "add", *args.split())
    dests = ["8.8.8.8", "1.1.1.1", "198.51.100.7", "198.51.100.200", "203.0.113.1", "203.0.114.1", "203.0.115.1",
             "192.0.2.9", "192.0.3.9", "100.64.1.1", "10.70.1.1", "10.67.0.9", "10.72.1.1", "10.73.1.1", "10.66.0.9",
             "127.0.0.1", "10.67.0.5", "10.69.0.9",
             "2606:4700::1111", "2001:db8:100::7", "2001:db8:100:8000::7", "2001:db8:120::1", "2001:db8:121::1",
             "2001:db8:122::1", "2001:db8:185::1", "2001:db8:186::1", "2001:db8:70::1", "2001:db8:67::9",
             "2001:db8:72::1", "2001:db8:73::1", "::1", "2001:db8:69::9", "fe80::1%prb"]
    return {"destinations": dests, "knobs": {}, "traffic": POLICY_TRAFFIC}
