# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The seed corpus of fuzz_parsers.py, built with the unit tests' netlink builder (nlbuild).

    python tests/fuzz/make_seeds.py DIRECTORY

Each seed is the selector byte of its target, a mode byte, then the target's data. ``seeds()``
also says what each seed is meant to give: ``ok`` (data only), ``error`` (a ParseError),
``partial`` (a list with some of each) or ``any`` (truncations: only the rule is checked);
test_fuzz.py replays them and holds them to that.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HELPERS = os.path.join(os.path.dirname(HERE), "unit", "plugins", "module_utils", "netifs")
FIXTURES = os.path.join(HELPERS, "fixtures", "route_socket")
for _path in (HERE, HELPERS, FIXTURES):
    if _path not in sys.path:
        sys.path.insert(0, _path)

# fuzz_parsers first: it puts the engine on the path, which the builders import.
from fuzz_parsers import RS_GET_PID, RS_GET_SEQ, ROUTE_SOCKET_OSES, SELECTOR, WINDOWS_BASE  # noqa: E402
import iphlpbuild as ipb  # noqa: E402
import make_fixtures  # noqa: E402
import nlbuild as nl  # noqa: E402
import rsbuild as rs  # noqa: E402

# Modes the seeds cycle through: bytes alone; bytearray framed 1/1; a view framed 3/2; a view of bytes framed 7/7.
MODES = (0x00, 0x25, 0x4E, 0xFF)

ETHER_FLAGS = nl.IFF_UP | nl.IFF_BROADCAST | nl.IFF_RUNNING | nl.IFF_MULTICAST | nl.IFF_LOWER_UP


def _cuts(payload):
    """Truncated variants: inside the header, inside the first attribute, and the last bytes off."""
    return [payload[:cut] for cut in sorted({3, 12, 21, len(payload) - 3, len(payload) - 1}) if 0 < cut < len(payload)]


def full_ethernet():
    return nl.link(
        2, "eth0",
        nl.attr(nl.IFLA_ADDRESS, b"\x52\x54\x00\x12\x34\x56"), nl.attr(nl.IFLA_PERM_ADDRESS, b"\x52\x54\x00\x12\x34\x56"),
        nl.attr(nl.IFLA_MTU, nl.u32(1500)), nl.attr(nl.IFLA_MIN_MTU, nl.u32(68)), nl.attr(nl.IFLA_MAX_MTU, nl.u32(9000)),
        nl.attr(nl.IFLA_OPERSTATE, nl.u8(nl.IF_OPER_UP)), nl.attr(nl.IFLA_CARRIER, nl.u8(1)),
        nl.attr(nl.IFLA_MASTER, nl.u32(5)), nl.attr(nl.IFLA_LINK, nl.u32(7)), nl.attr(nl.IFLA_LINK_NETNSID, nl.s32(-1)),
        nl.attr(nl.IFLA_IFALIAS, nl.cstr("uplink")), nl.prop_list("enp0s3", "lan"),
        nl.linkinfo(slave_kind="bond"), nl.stats64(list(range(nl.STATS64_FIELDS_V3))),
        flags=ETHER_FLAGS)


def links():
    kinds = [
        ("vlan", nl.vlan_data(100, 0x8100)), ("vxlan4", nl.vxlan_data(42, 4789, "192.0.2.1", "239.1.1.1", 2)),
        ("vxlan6", nl.vxlan_data(7, 4789, "2001:db8::1", "ff05::100")), ("tun", nl.tun_data(nl.IFF_TAP)),
        ("bond", nl.bond_data(4)), ("bridge", nl.bridge_data(1, 1)),
    ]
    out = [("ethernet", full_ethernet(), "ok"),
           ("loopback", nl.link(1, "lo", nl.attr(nl.IFLA_MTU, nl.u32(65536)), arphrd=nl.ARPHRD_LOOPBACK,
                                flags=nl.IFF_UP | nl.IFF_LOOPBACK | nl.IFF_RUNNING), "ok"),
           ("name-not-utf8", nl.link(3, b"e\xfft\x01h"), "ok"),
           ("stats-v1", nl.link(4, "old", nl.stats64([2 ** 64 - 1] * nl.STATS64_FIELDS_V1)), "ok"),
           ("no-name", nl.link(5, None, nl.attr(nl.IFLA_MTU, nl.u32(1500))), "error"),
           ("short-header", nl.ifinfomsg()[:8], "error"),
           ("attr-overrun", nl.link(6, "x", nl.attr(nl.IFLA_MTU, nl.u32(1), length=200)), "error"),
           ("short-mtu", nl.link(7, "x", nl.attr(nl.IFLA_MTU, nl.u16(1500))), "error"),
           ("linkinfo-malformed", nl.link(8, "x", nl.attr(nl.IFLA_LINKINFO, nl.attr(1, b"vlan", length=99))), "error"),
           ("vxlan-short-group", nl.link(9, "vx", nl.linkinfo("vxlan", [nl.attr(nl.IFLA_VXLAN_GROUP, b"\1\2\3")])), "error")]
    out += [("kind-" + name, nl.link(10 + i, name[:4], nl.linkinfo(name.rstrip("46"), data)), "ok")
            for i, (name, data) in enumerate(kinds)]
    return out + [("ethernet-cut%d" % len(cut), cut, "any") for cut in _cuts(full_ethernet())]


def addresses():
    v4 = nl.address(nl.AF_INET, 24, 2, nl.attr(nl.IFA_ADDRESS, nl.ip("192.0.2.10")), nl.attr(nl.IFA_LOCAL, nl.ip("192.0.2.10")),
                    nl.attr(nl.IFA_BROADCAST, nl.ip("192.0.2.255")), nl.attr(nl.IFA_LABEL, nl.cstr("eth0:1")),
                    nl.attr(nl.IFA_FLAGS, nl.u32(nl.IFA_F_PERMANENT | nl.IFA_F_SECONDARY)), nl.cacheinfo(), flags=nl.IFA_F_SECONDARY)
    return [("v4", v4, "ok"),
            ("v6-link-local", nl.address(nl.AF_INET6, 64, 2, nl.attr(nl.IFA_ADDRESS, nl.ip("fe80::5054:ff:fe12:3456")),
                                         nl.cacheinfo(), nl.attr(nl.IFA_FLAGS, nl.u32(nl.IFA_F_PERMANENT)),
                                         scope=nl.RT_SCOPE_LINK), "ok"),
            ("v6-temporary", nl.address(nl.AF_INET6, 64, 2, nl.attr(nl.IFA_ADDRESS, nl.ip("2001:db8::abcd")),
                                        nl.cacheinfo(3600, 7200), flags=nl.IFA_F_TEMPORARY), "ok"),
            ("v4-peer", nl.address(nl.AF_INET, 32, 3, nl.attr(nl.IFA_LOCAL, nl.ip("10.0.0.1")),
                                   nl.attr(nl.IFA_ADDRESS, nl.ip("10.0.0.2"))), "ok"),
            ("bad-family", nl.address(nl.AF_BRIDGE, 24, 2, nl.attr(nl.IFA_ADDRESS, nl.ip("192.0.2.1"))), "error"),
            ("no-address", nl.address(nl.AF_INET, 24, 2, nl.attr(nl.IFA_LABEL, nl.cstr("x"))), "error"),
            ("address-5-bytes", nl.address(nl.AF_INET, 24, 2, nl.attr(nl.IFA_ADDRESS, b"\1\2\3\4\5")), "error"),
            ("prefixlen-40", nl.address(nl.AF_INET, 40, 2, nl.attr(nl.IFA_ADDRESS, nl.ip("192.0.2.1"))), "error"),
            ("short-header", nl.ifaddrmsg()[:5], "error")] + [("v4-cut%d" % len(c), c, "any") for c in _cuts(v4)]


def multicast():
    return [("v4", nl.multicast(nl.AF_INET, 1, "224.0.0.1"), "ok"),
            ("v6", nl.multicast(nl.AF_INET6, 2, "ff02::1:ff12:3456"), "ok"),
            ("no-group", nl.address(nl.AF_INET, 32, 1, nl.cacheinfo()), "error"),
            ("bad-family", nl.ifaddrmsg(family=nl.AF_MPLS) + nl.attr(nl.IFA_MULTICAST, nl.ip("224.0.0.1")), "error")]


def _hop(ifindex, gateway=None, **kw):
    attrs = [nl.attr(nl.RTA_GATEWAY, nl.ip(gateway))] if gateway else []
    return nl.rtnexthop(ifindex, attrs, **kw)


def routes():
    mp4 = nl.route(nl.attr(nl.RTA_TABLE, nl.u32(254)), nl.attr(nl.RTA_DST, nl.ip("198.51.100.0")),
                   nl.multipath(_hop(2, "192.0.2.1", weight=3), _hop(3, "192.0.2.2", flags=nl.RTNH_F_LINKDOWN | nl.RTNH_F_DEAD),
                                nl.rtnexthop(4, [nl.via(nl.AF_INET6, "fe80::1")])), dst_len=24)
    v6 = dict(family=nl.AF_INET6)
    return [
        ("v4-default", nl.route(nl.attr(nl.RTA_GATEWAY, nl.ip("192.0.2.1")), nl.attr(nl.RTA_OIF, nl.u32(2)),
                                nl.attr(nl.RTA_PRIORITY, nl.u32(100)), nl.attr(nl.RTA_TABLE, nl.u32(254)), protocol=nl.RTPROT_DHCP), "ok"),
        ("v4-multipath", mp4, "ok"),
        ("v6-link-local", nl.route(nl.attr(nl.RTA_DST, nl.ip("fe80::")), nl.attr(nl.RTA_OIF, nl.u32(2)),
                                   nl.attr(nl.RTA_PREF, nl.u8(0)), dst_len=64, protocol=nl.RTPROT_KERNEL, **v6), "ok"),
        ("v6-default-ra", nl.route(nl.attr(nl.RTA_GATEWAY, nl.ip("fe80::1")), nl.attr(nl.RTA_OIF, nl.u32(2)),
                                   nl.attr(nl.RTA_PREF, nl.u8(nl.ICMPV6_ROUTER_PREF_HIGH)), protocol=nl.RTPROT_RA, **v6), "ok"),
        ("v6-multipath", nl.route(nl.attr(nl.RTA_DST, nl.ip("2001:db8::")), nl.multipath(_hop(2, "fe80::1"), _hop(3, "fe80::2", weight=256)),
                                  dst_len=32, **v6), "ok"),
        ("v4-via-v6", nl.route(nl.via(nl.AF_INET6, "fe80::1"), nl.attr(nl.RTA_OIF, nl.u32(2))), "ok"),
        ("nexthop-id", nl.route(nl.attr(nl.RTA_DST, nl.ip("203.0.113.0")), nl.attr(nl.RTA_NH_ID, nl.u32(10)), dst_len=24), "ok"),
        ("blackhole", nl.route(nl.attr(nl.RTA_DST, nl.ip("10.0.0.0")), dst_len=8, rtype=nl.RTN_BLACKHOLE), "ok"),
        ("source", nl.route(nl.attr(nl.RTA_SRC, nl.ip("10.1.0.0")), nl.attr(nl.RTA_PREFSRC, nl.ip("10.1.0.1")), src_len=16), "ok"),
        ("local-table", nl.route(nl.attr(nl.RTA_DST, nl.ip("127.0.0.1")), nl.attr(nl.RTA_OIF, nl.u32(1)), dst_len=32,
                                 table=nl.RT_TABLE_LOCAL, rtype=nl.RTN_LOCAL, scope=nl.RT_SCOPE_HOST), "ok"),
        ("dst-len-33", nl.route(nl.attr(nl.RTA_DST, nl.ip("10.0.0.0")), dst_len=33), "error"),
        ("dst-len-no-dst", nl.route(nl.attr(nl.RTA_OIF, nl.u32(2)), dst_len=24), "error"),
        ("bad-family", nl.route(family=nl.AF_MPLS), "error"),
        ("hop-overrun", nl.route(nl.multipath(nl.rtnexthop(2, length=64))), "error"),
        ("gateway-6-bytes", nl.route(nl.attr(nl.RTA_GATEWAY, b"\1\2\3\4\5\6")), "error"),
        ("short-header", nl.rtmsg()[:11], "error"),
    ] + [("v4-multipath-cut%d" % len(c), c, "any") for c in _cuts(mp4)]


def nexthops():
    return [("gateway-v4", nl.nexthop(1, gateway="192.0.2.1", oif=2), "ok"),
            ("gateway-v6-link-local", nl.nexthop(2, nl.AF_INET6, gateway="fe80::1", oif=2, flags=nl.RTNH_F_ONLINK), "ok"),
            ("blackhole", nl.nexthop(3, nl.AF_UNSPEC, blackhole=True), "ok"),
            ("group", nl.nexthop(4, nl.AF_UNSPEC, group=[(1, 1), (2, 255), (3, 65536)]), "ok"),
            ("fdb", nl.nexthop(5, gateway="192.0.2.9", fdb=True), "ok"),
            ("no-id", nl.nhmsg() + nl.attr(nl.NHA_OIF, nl.u32(2)), "error"),
            ("group-7-bytes", nl.nhmsg() + nl.attr(nl.NHA_ID, nl.u32(6)) + nl.attr(nl.NHA_GROUP, b"\0" * 7), "error"),
            ("gateway-unspec", nl.nexthop(7, nl.AF_UNSPEC, gateway="192.0.2.1"), "error"),
            ("short-header", nl.nhmsg()[:4], "error")]


def rules():
    v4 = nl.kernel_rule(32764, 51820, nl.attr(nl.FRA_FWMARK, nl.u32(51820)), nl.attr(nl.FRA_FWMASK, nl.u32(0xFFFFFFFF)),
                        nl.attr(nl.FRA_SRC, nl.ip("10.1.0.0")), nl.attr(nl.FRA_IIFNAME, nl.cstr("eth0")),
                        nl.uid_range(1000, 2000), nl.port_range(nl.FRA_DPORT_RANGE, 443, 443),
                        src_len=16, flags=nl.FIB_RULE_INVERT | nl.FIB_RULE_IIF_DETACHED)
    v6 = nl.kernel_rule(100, 100, nl.attr(nl.FRA_DST, nl.ip("2001:db8::")), nl.attr(nl.FRA_IP_PROTO, nl.u8(6)),
                        nl.attr(nl.FRA_OIFNAME, nl.cstr("eth1")), nl.port_range(nl.FRA_SPORT_RANGE, 1, 1023),
                        family=nl.AF_INET6, dst_len=32, tos=0x20, suppress=0)
    return [("v4-wg-quick", v4, "ok"), ("v6", v6, "ok"),
            ("goto-unresolved", nl.kernel_rule(300, 0, nl.attr(nl.FRA_GOTO, nl.u32(301)), action=nl.FR_ACT_GOTO,
                                               flags=nl.FIB_RULE_UNRESOLVED), "ok"),
            ("l3mdev", nl.kernel_rule(1000, 0, nl.attr(nl.FRA_L3MDEV, nl.u8(1))), "ok"),
            ("priority-2-bytes", nl.rule(nl.attr(nl.FRA_PRIORITY, nl.u16(1))), "error"),
            ("uid-range-4-bytes", nl.rule(nl.attr(nl.FRA_UID_RANGE, nl.u32(1))), "error"),
            ("src-len-without-src", nl.kernel_rule(1, 100, src_len=8), "error"),
            ("bad-family", nl.kernel_rule(1, 100, family=nl.AF_BRIDGE), "error"),
            ("short-header", nl.fib_rule_hdr()[:11], "error")] + [("v4-cut%d" % len(c), c, "any") for c in _cuts(v4)]


IGMP = (b"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
        b"1\tlo        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n"
        b"2\teth0      :     2      V3\n\t\t\t\tFB0000E0     1 0:00000000\t\t0\n\t\t\t\t010000E0     1 0:00000000\t\t0\n")
IGMP6 = (b"1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
         b"2    eth0            ff0200000000000000000001ff123456     1 00000004 0\n"
         b"2    eth0            ff020000000000000000000000000001     1 0000000C 0\n")


def igmp():
    return [("igmp", IGMP, "ok"), ("empty", b"", "ok"), ("no-groups", IGMP.partition(b"\n")[0] + b"\n3\tdummy0 : 0 V2\n", "ok"),
            ("group-before-device", IGMP.partition(b"\n")[0] + b"\n\t010000E0 1 0:0 0\n", "error"),
            ("group-too-wide", IGMP.replace(b"FB0000E0", b"1FB0000E0"), "error"),
            ("bad-index", IGMP.replace(b"2\teth0", b"x\teth0"), "error")]


def igmp6():
    return [("igmp6", IGMP6, "ok"), ("empty", b"", "ok"),
            ("group-15-bytes", IGMP6.replace(b"ff020000000000000000000000000001", b"ff0200000000000000000000000001"), "error"),
            ("not-ascii", IGMP6.replace(b"ff0200000000", b"ff02000000\xc3\xa9"), "error"),
            ("short-line", b"1 lo\n", "error")]


IF_INET6 = (b"00000000000000000000000000000001 01 80 10 80       lo\n"
            b"fe80000000000000505400fffe123456 02 40 20 80     eth0\n"
            b"20010db8000000000000000000000005 1234 40 00 41     eth0\n")
NET_DEV = (b"Inter-|   Receive                                                |  Transmit\n"
           b" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
           b"    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0\n"
           b"nf\xff0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")
ROUTE = (b"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
         b"eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
         b"eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
         b"*\t007100CB\t00000000\t0201\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")
_Z = b"0" * 32
IPV6_ROUTE = (_Z + b" 00 " + _Z + b" 00 fe800000000000000000000000000001 00000400 00000001 00000000 08000003     eth0\n"
              b"20010db8000000000000000000000000 40 " + _Z + b" 00 " + _Z + b" 00000100 00000001 00000000 00000001     eth0\n"
              b"00000000000000000000000000000001 80 " + _Z + b" 00 " + _Z + b" 00000000 00000001 00000000 80200001       lo\n"
              + _Z + b" 00 " + _Z + b" 00 " + _Z + b" ffffffff 00000001 00000000 00200200       lo\n")


def proc_net():
    """The /proc/net fallback files: (target, description, data, expectation)."""
    return [("if_inet6", "lines", IF_INET6, "ok"), ("if_inet6", "prefixlen-129", IF_INET6.replace(b" 40 20", b" 81 20"), "error"),
            ("if_inet6", "short-line", b"00" * 16 + b" 01 80\n", "error"),
            ("net_dev", "lines", NET_DEV, "ok"), ("net_dev", "three-counters", NET_DEV + b"eth0: 1 2 3\n", "error"),
            ("proc_route", "lines", ROUTE, "ok"), ("proc_route", "unknown-interface", ROUTE.replace(b"*\t", b"eth9\t"), "error"),
            ("proc_route", "mask-not-contiguous", ROUTE.replace(b"00FFFFFF", b"00FF00FF", 1), "error"),
            ("ipv6_route", "lines", IPV6_ROUTE, "ok"), ("ipv6_route", "short-line", b"00 00\n", "error"),
            ("ipv6_route", "unknown-interface", IPV6_ROUTE.replace(b" eth0", b" eth9", 1), "error")]


def _dump(*messages):
    return b"".join(nl.msg(t, p, flags=nl.NLM_F_MULTI) for t, p in messages) + nl.done()


def datagrams():
    link_dump = _dump((nl.RTM_NEWLINK, nl.link(1, "lo")), (nl.RTM_NEWLINK, full_ethernet()))
    return [("links", link_dump, "ok"),
            ("addresses", _dump(*[(nl.RTM_NEWADDR, p) for _d, p, e in addresses() if e == "ok"]), "ok"),
            ("routes", _dump(*[(nl.RTM_NEWROUTE, p) for _d, p, e in routes() if e == "ok"]), "ok"),
            ("nexthops", _dump(*[(nl.RTM_NEWNEXTHOP, p) for _d, p, e in nexthops() if e == "ok"]), "ok"),
            ("rules", _dump(*[(nl.RTM_NEWRULE, p) for _d, p, e in rules() if e == "ok"]), "ok"),
            ("multicast", _dump((nl.RTM_GETMULTICAST, nl.multicast(nl.AF_INET, 1, "224.0.0.1")),
                                (nl.RTM_GETMULTICAST, nl.multicast(nl.AF_INET6, 1, "ff02::1"))), "ok"),
            ("error-eperm", nl.error(1, ext_msg="Operation not permitted"), "ok"),
            ("done-error", nl.done(error=16), "ok"),
            ("noise", nl.msg(nl.NLMSG_NOOP) + nl.msg(nl.NLMSG_OVERRUN) + nl.msg(nl.RTM_DELLINK, nl.link(1, "lo")), "ok"),
            ("one-bad-link", _dump((nl.RTM_NEWLINK, nl.link(1, "lo")), (nl.RTM_NEWLINK, nl.link(2, None))), "partial"),
            ("frame-overrun", link_dump + nl.msg(nl.RTM_NEWLINK, nl.link(3, "x"), length=4000), "partial"),
            ("frame-cut", link_dump[:-30], "partial"),
            ("tail-under-header", link_dump[:-7], "ok")]  # fewer than 16 bytes left: ignored, like padding


def messages():
    dump = _dump((nl.RTM_NEWLINK, nl.link(1, "lo")), (nl.RTM_NEWADDR, nl.multicast(nl.AF_INET, 1, "224.0.0.1")))
    return [("dump", dump, "ok"), ("empty", b"", "ok"), ("trailing-padding", dump + b"\0\0\0", "ok"),
            ("length-under-header", nl.msg(nl.NLMSG_NOOP, length=8), "partial"),
            ("length-over", nl.msg(nl.NLMSG_NOOP, length=17), "partial"),
            ("length-zero", b"\0" * 16, "partial")]


def _chunks(*payloads):
    size = len(payloads[0])
    assert all(len(p) == size for p in payloads[:-1]) and size < 256
    return struct.pack("=B", size) + b"".join(payloads)


def attr_maps():
    a = nl.attr(1, nl.u32(1)) + nl.attr(3, nl.cstr("eth0")) + nl.attr(4, nl.u32(1500))
    b = nl.attr(1, nl.u32(2)) + nl.attr(3, nl.cstr("eth1")) + nl.attr(4, nl.u32(9000))
    other = nl.attr(2, b"\0" * 6) + nl.attr(5, b"") + nl.attr(6, nl.u32(0)) + nl.attr(8)
    bad = nl.attr(1, nl.u32(1)) + nl.attr(3, nl.cstr("eth0"), length=60) + nl.attr(4, nl.u32(1500))
    dup = nl.attr(1, nl.u32(1)) + nl.attr(1, nl.cstr("eth0")) + nl.attr(4, nl.u32(1500))
    return [("same-layout", _chunks(a, b, a, b, a), "ok"),
            ("one-length-three-layouts", _chunks(a, b, a, other, dup, other, a), "ok"),
            ("layout-then-malformed", _chunks(a, a, a, bad, a), "partial"),
            ("nested-flag-bits", _chunks(nl.nested(1, nl.attr(2, b"ab")), nl.attr(1 | nl.NLA_F_NET_BYTEORDER, b"abcdef")), "ok"),
            ("short-tail", _chunks(a, a[:-3]), "partial"),
            ("tail-padding", _chunks(a, a + b"\0\0"), "ok")]


def errors():
    flags = struct.Struct("=H").pack
    request = nl.msg(nl.RTM_GETROUTE, nl.rtmsg(), flags=nl.NLM_F_REQUEST | nl.NLM_F_DUMP)

    def body(message):
        return message[16:]  # the payload after the error message's own header
    return [("ack", flags(0) + body(nl.error(0)), "ok"),
            ("eperm", flags(0) + body(nl.error(1, request=request)), "ok"),
            ("capped-extack", flags(nl.NLM_F_CAPPED | nl.NLM_F_ACK_TLVS)
             + body(nl.error(22, request=request, capped=True, ext_msg="Invalid prefix")), "ok"),
            ("full-extack", flags(nl.NLM_F_ACK_TLVS) + body(nl.error(95, request=request, ext_msg=b"bad \xff text")), "ok"),
            ("int-min", flags(0) + struct.pack("=i", -2 ** 31), "ok"),
            ("short", flags(0) + b"\1\2", "error"),
            ("extack-overrun", flags(nl.NLM_F_CAPPED | nl.NLM_F_ACK_TLVS)
             + body(nl.error(22, request=request, capped=True, ext_attrs=[nl.attr(1, b"x", length=90)])), "error"),
            ("echo-too-long", flags(nl.NLM_F_ACK_TLVS) + struct.pack("=i", -1) + nl.msg(18, length=5000) + nl.attr(1, b"x"), "ok")]


def _route_socket(names):
    """Routing-socket seeds: byte 0 is the OS (ROUTE_SOCKET_OSES), then a fixture's buffer."""
    def build():
        out = []
        for index, osname in enumerate(ROUTE_SOCKET_OSES):
            for name, expect in names:
                if name == "ifmalist" and osname not in ("freebsd", "dragonfly"):
                    continue
                data = getattr(make_fixtures, name)(osname)
                out.append(("%s-%s" % (osname, name), bytes([index]) + data, expect))
                if expect == "ok":
                    out.append(("%s-%s-cut" % (osname, name), bytes([index]) + data[:len(data) * 2 // 3], "any"))
        return out
    return build


def _rs_answers(osname):
    p = rs.P[osname]
    em0, lo0 = ("ifp", rs.dl(p, 2, b"em0", make_fixtures.MAC)), ("ifp", rs.dl(p, 1, b"lo0"))
    gw = rs.RTF_UP | rs.RTF_GATEWAY | rs.RTF_STATIC
    default = rs.answer(osname, RS_GET_PID, RS_GET_SEQ, [
        ("dst", rs.sin(p, "0.0.0.0")), ("gateway", rs.sin(p, "192.0.2.1")), ("netmask", rs.mask(p, 4, 0)), em0,
        ("ifa", rs.sin(p, "192.0.2.10"))], index=2, flags=gw)
    wrong_version = bytearray(default)
    wrong_version[2] = 99
    return [("default", default, "ok"), ("default-cut", default[:len(default) * 2 // 3], "error"),
            ("wrong-version", bytes(wrong_version), "error"),
            ("v6", rs.answer(osname, RS_GET_PID, RS_GET_SEQ, [
                ("dst", rs.sin6(p, "::")), ("gateway", rs.sin6(p, "fe80::1", embed=2)), ("netmask", rs.mask(p, 6, 0)), em0,
                ("ifa", rs.sin6(p, "fe80::a00:27ff:fe12:3456", embed=2))], flags=gw), "ok"),
            ("blackhole", rs.answer(osname, RS_GET_PID, RS_GET_SEQ, [
                ("dst", rs.sin(p, "203.0.113.0")), ("gateway", rs.sin(p, "127.0.0.1")), ("netmask", rs.mask(p, 4, 24)),
                lo0, ("ifa", rs.sin(p, "127.0.0.1"))], index=1, flags=gw | rs.RTF_BLACKHOLE), "ok"),
            ("esrch", rs.answer(osname, RS_GET_PID, RS_GET_SEQ, [("dst", rs.sin(p, "8.8.8.8"))], errno=3), "ok"),
            ("other-seq", rs.answer(osname, RS_GET_PID, RS_GET_SEQ + 1, [("dst", rs.sin(p, "8.8.8.8"))]), "ok")]


def rs_get():
    """RTM_GET answers per OS (byte 0), to RS_GET_PID and RS_GET_SEQ."""
    return [("%s-%s" % (osname, desc), bytes([index]) + data, expect)
            for index, osname in enumerate(ROUTE_SOCKET_OSES) for desc, data, expect in _rs_answers(osname)]


def freebsd_links():
    em0 = nl.fbsd_link(1, "em0", nl.IFT_ETHER, nl.FBSD_IFF_UP | nl.FBSD_IFF_MULTICAST | nl.FBSD_IFF_LOWER_UP,
                       nl.attr(nl.IFLA_ADDRESS, bytes(6)), nl.attr(nl.IFLA_MTU, nl.u32(1500)),
                       nl.nested(nl.IFLA_FREEBSD, nl.attr(nl.IFLAF_ORIG_HWADDR, b"\x58\x54\0\0\0\1")))
    return [("em0", em0, "ok"), ("lo0", nl.fbsd_link(2, "lo0", nl.IFT_LOOP, 0xFFFFFFFF), "ok"),
            ("no-name", nl.fbsd_link(3, None, nl.IFT_ETHER, 0), "error")]


def freebsd_addresses():
    in6 = nl.nested(nl.IFA_FREEBSD, nl.attr(nl.IFAF_FLAGS, nl.u32(nl.IN6_IFF_DUPLICATED)))
    return [("v4", nl.fbsd_address(nl.AF_INET, 24, 1, "192.0.2.10", nl.attr(nl.IFA_BROADCAST, nl.ip("192.0.2.255"))), "ok"),
            ("v6", nl.fbsd_address(nl.FBSD_AF_INET6, 64, 1, "fe80::1", in6, nl.cacheinfo(), scope=nl.RT_SCOPE_LINK), "ok"),
            ("linux-v6-family", nl.fbsd_address(nl.AF_INET6, 64, 1, "2001:db8::1"), "error")]


def freebsd_routes():
    hops = nl.fbsd_rtnexthop(1, [nl.attr(nl.RTA_GATEWAY, nl.ip("192.0.2.1"))], weight=3)
    return [("default-fib0", nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 0, nl.attr(nl.RTA_GATEWAY, nl.ip("192.0.2.1")),
                                           nl.attr(nl.RTA_WEIGHT, nl.u32(5)), nl.attr(nl.RTA_OIF, nl.u32(1))), "ok"),
            ("multipath-fib254", nl.fbsd_route(nl.AF_INET, "0.0.0.0", 0, 254, nl.attr(nl.RTA_MULTIPATH, hops)), "ok"),
            ("v6-fib3", nl.fbsd_route(nl.FBSD_AF_INET6, "2001:db8::", 64, 3, nl.attr(nl.RTA_OIF, nl.u32(1))), "ok")]


def freebsd_nexthops():
    return [("group", nl.fbsd_nexthop(100, group=[(101, 1), (102, 255)]), "ok"),
            ("v6", nl.fbsd_nexthop(101, nl.FBSD_AF_INET6, "fe80::1", oif=1), "ok"),
            ("blackhole", nl.fbsd_nexthop(102, nl.FBSD_AF_LINK, blackhole=True), "ok")]


def _flat(build):
    """What ``build(arena)`` lays out, as one flat buffer whose pointers are rebased to WINDOWS_BASE."""
    arena = ipb.Arena(base=WINDOWS_BASE)
    build(arena)
    return arena.flat()


def _one_adapter(**kw):
    return lambda arena: ipb.gaa_buffer(arena, lambda a: a.chain([ipb.adapter(a, 2, u"x", b"{X}", **kw)]))


def _xp_length(arena):
    ipb.view_length(arena, ipb.gaa_buffer(arena), 184)


def gaa():
    """GetAdaptersAddresses buffers; malformed entries give warnings or errors by mode ("any")."""
    host = _flat(ipb.gaa_buffer)
    return [("host", host, "ok"), ("xp-length", _flat(_xp_length), "error"), ("empty", _flat(lambda a: None), "error"),
            ("prefix-40", _flat(lambda a: _one_adapter(unicasts=[ipb.unicast(a, "192.0.2.1", 40)])(a)), "any"),
            ("family-99", _flat(lambda a: _one_adapter(gateways=[ipb.entry_of_family(a, "192.0.2.1", 99)])(a)), "any")] + \
        [("host-cut%d" % cut, host[:cut], "any") for cut in (8, 200, len(host) // 2, len(host) - 1)]


def forward_tables():
    return [("host", _flat(ipb.routes_table), "ok"),
            ("empty", _flat(lambda a: ipb.table(a, ipb.ip.MIB_IPFORWARD_TABLE2, [])), "ok"),
            ("prefix-33", _flat(lambda a: ipb.table(a, ipb.ip.MIB_IPFORWARD_TABLE2, [ipb.route("192.0.2.0", 33, 7)])), "any"),
            ("count-beyond-buffer", _flat(lambda a: ipb.view_length(a, ipb.routes_table(a), 1000)), "error")]


BUILDERS = (("link", links), ("address", addresses), ("multicast", multicast), ("route", routes),
            ("nexthop", nexthops), ("igmp", igmp), ("igmp6", igmp6), ("messages", messages),
            ("attr_map", attr_maps), ("decode_error", errors), ("datagram", datagrams),
            ("rs_iflist", _route_socket([("iflist", "ok")])),
            ("rs_dump", _route_socket([("dump", "ok"), ("malformed", "partial"), ("zero_length", "ok")])),
            ("rs_ifmalist", _route_socket([("ifmalist", "ok"), ("iflist", "ok")])),
            ("freebsd_link", freebsd_links), ("freebsd_address", freebsd_addresses), ("freebsd_route", freebsd_routes),
            ("freebsd_nexthop", freebsd_nexthops),
            ("gaa", gaa), ("forward_table", forward_tables), ("rule", rules), ("rs_get", rs_get))


def seeds():
    """Every seed as ``(file name, bytes, expectation)``."""
    out = []
    listed = [(target, desc, data, expect) for target, build in BUILDERS for desc, data, expect in build()]
    for i, (target, desc, data, expect) in enumerate(listed + proc_net()):
        mode = MODES[i % len(MODES)]
        out.append(("%s-%s" % (target, desc), struct.pack("=BB", SELECTOR[target], mode) + bytes(data), expect))
    return out


def write(directory):
    if not os.path.isdir(directory):
        os.makedirs(directory)
    all_seeds = seeds()
    for name, data, _expect in all_seeds:
        with open(os.path.join(directory, name), "wb") as handle:
            handle.write(data)
    return len(all_seeds)


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: %s DIRECTORY" % argv[0])
    print("%d seeds written to %s" % (write(argv[1]), argv[1]))


if __name__ == "__main__":
    main(sys.argv)
