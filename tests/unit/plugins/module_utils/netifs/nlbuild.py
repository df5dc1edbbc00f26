# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A netlink message builder for the tests (not part of the engine).

Every constant here is written from the Linux UAPI headers (linux/netlink.h, linux/rtnetlink.h,
linux/if_link.h, linux/if_addr.h, linux/nexthop.h, linux/fib_rules.h, linux/if_arp.h, linux/if_tun.h,
linux/socket.h, linux/icmpv6.h, linux/in.h), NOT imported from the engine: the tests check the engine against an independent
reading of the kernel's ABI.

Builders return bytes. ``link()``, ``address()``, ``route()``, ``nexthop()``, ``rule()`` and ``multicast()``
return a message PAYLOAD (what the parsers take as ``buf[start:stop]``); ``msg()`` wraps a payload
in an ``nlmsghdr``. All structures are in host byte order (``=``) like the kernel's, except the
fields the kernel itself keeps in network order (VLAN protocol, VXLAN port, addresses).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

# linux/socket.h (the values Linux uses; not taken from the socket module on purpose)
AF_UNSPEC = 0
AF_INET = 2
AF_INET6 = 10
AF_BRIDGE = 7
AF_MPLS = 28

# linux/netlink.h
NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSG_OVERRUN = 4

NLM_F_REQUEST = 0x01
NLM_F_MULTI = 0x02
NLM_F_ACK = 0x04
NLM_F_ECHO = 0x08
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP_FILTERED = 0x20
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
# flags of NLMSG_ERROR
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_COOKIE = 3

NLA_F_NESTED = 1 << 15
NLA_F_NET_BYTEORDER = 1 << 14

SOL_NETLINK = 270
NETLINK_EXT_ACK = 11

# linux/rtnetlink.h: message types
RTM_NEWLINK = 16
RTM_DELLINK = 17
RTM_GETLINK = 18
RTM_NEWADDR = 20
RTM_DELADDR = 21
RTM_GETADDR = 22
RTM_NEWROUTE = 24
RTM_DELROUTE = 25
RTM_GETROUTE = 26
RTM_NEWRULE = 32
RTM_DELRULE = 33
RTM_GETRULE = 34
RTM_GETMULTICAST = 58
RTM_NEWNEXTHOP = 104
RTM_DELNEXTHOP = 105
RTM_GETNEXTHOP = 106

# linux/rtnetlink.h: rtm_type
RTN_UNSPEC = 0
RTN_UNICAST = 1
RTN_LOCAL = 2
RTN_BROADCAST = 3
RTN_ANYCAST = 4
RTN_MULTICAST = 5
RTN_BLACKHOLE = 6
RTN_UNREACHABLE = 7
RTN_PROHIBIT = 8
RTN_THROW = 9
RTN_NAT = 10
RTN_XRESOLVE = 11

# rtm_protocol
RTPROT_UNSPEC = 0
RTPROT_REDIRECT = 1
RTPROT_KERNEL = 2
RTPROT_BOOT = 3
RTPROT_STATIC = 4
RTPROT_RA = 9
RTPROT_DHCP = 16
RTPROT_BIRD = 12
RTPROT_BGP = 186

# rtm_scope (enum rt_scope_t)
RT_SCOPE_UNIVERSE = 0
RT_SCOPE_SITE = 200
RT_SCOPE_LINK = 253
RT_SCOPE_HOST = 254
RT_SCOPE_NOWHERE = 255

# rtm_table (enum rt_class_t)
RT_TABLE_UNSPEC = 0
RT_TABLE_COMPAT = 252
RT_TABLE_DEFAULT = 253
RT_TABLE_MAIN = 254
RT_TABLE_LOCAL = 255

# rtm_flags
RTM_F_NOTIFY = 0x100
RTM_F_CLONED = 0x200
RTM_F_EQUALIZE = 0x400
RTM_F_PREFIX = 0x800
RTM_F_LOOKUP_TABLE = 0x1000
RTM_F_OFFLOAD = 0x4000
RTM_F_TRAP = 0x8000

# enum rtattr_type_t
RTA_DST = 1
RTA_SRC = 2
RTA_IIF = 3
RTA_OIF = 4
RTA_GATEWAY = 5
RTA_PRIORITY = 6
RTA_PREFSRC = 7
RTA_METRICS = 8
RTA_MULTIPATH = 9
RTA_FLOW = 11
RTA_CACHEINFO = 12
RTA_TABLE = 15
RTA_MARK = 16
RTA_VIA = 18
RTA_NEWDST = 19
RTA_PREF = 20
RTA_ENCAP_TYPE = 21
RTA_ENCAP = 22
RTA_EXPIRES = 23
RTA_PAD = 24
RTA_UID = 25
RTA_NH_ID = 30

# struct rtnexthop rtnh_flags
RTNH_F_DEAD = 1
RTNH_F_PERVASIVE = 2
RTNH_F_ONLINK = 4
RTNH_F_OFFLOAD = 8
RTNH_F_LINKDOWN = 16
RTNH_F_UNRESOLVED = 32
RTNH_F_TRAP = 64

# linux/icmpv6.h: RTA_PREF values
ICMPV6_ROUTER_PREF_LOW = 0x3
ICMPV6_ROUTER_PREF_MEDIUM = 0x0
ICMPV6_ROUTER_PREF_HIGH = 0x1
ICMPV6_ROUTER_PREF_INVALID = 0x2

# linux/if_link.h
IFLA_ADDRESS = 1
IFLA_BROADCAST = 2
IFLA_IFNAME = 3
IFLA_MTU = 4
IFLA_LINK = 5
IFLA_QDISC = 6
IFLA_STATS = 7
IFLA_MASTER = 10
IFLA_TXQLEN = 13
IFLA_OPERSTATE = 16
IFLA_LINKMODE = 17
IFLA_LINKINFO = 18
IFLA_IFALIAS = 20
IFLA_STATS64 = 23
IFLA_AF_SPEC = 26
IFLA_GROUP = 27
IFLA_EXT_MASK = 29
IFLA_PROMISCUITY = 30
IFLA_CARRIER = 33
IFLA_LINK_NETNSID = 37
IFLA_PAD = 42
IFLA_MIN_MTU = 50
IFLA_MAX_MTU = 51
IFLA_PROP_LIST = 52
IFLA_ALT_IFNAME = 53
IFLA_PERM_ADDRESS = 54

IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
IFLA_INFO_XSTATS = 3
IFLA_INFO_SLAVE_KIND = 4
IFLA_INFO_SLAVE_DATA = 5

IFLA_VLAN_ID = 1
IFLA_VLAN_FLAGS = 2
IFLA_VLAN_PROTOCOL = 5

IFLA_VXLAN_ID = 1
IFLA_VXLAN_GROUP = 2
IFLA_VXLAN_LINK = 3
IFLA_VXLAN_LOCAL = 4
IFLA_VXLAN_TTL = 5
IFLA_VXLAN_PORT = 15
IFLA_VXLAN_GROUP6 = 16
IFLA_VXLAN_LOCAL6 = 17

IFLA_TUN_OWNER = 1
IFLA_TUN_TYPE = 3
IFF_TUN = 0x0001  # linux/if_tun.h
IFF_TAP = 0x0002

IFLA_BOND_MODE = 1
IFLA_BOND_ACTIVE_SLAVE = 2

IFLA_BR_FORWARD_DELAY = 1
IFLA_BR_STP_STATE = 5
IFLA_BR_PRIORITY = 6
IFLA_BR_VLAN_FILTERING = 7

# enum rtnl_link_stats64 field count: 23 until 4.5, 24 (rx_nohandler) in 4.6, 25 (rx_otherhost_dropped) in 5.18
STATS64_FIELDS_V1 = 23
STATS64_FIELDS_V2 = 24
STATS64_FIELDS_V3 = 25

# IF_OPER_*
IF_OPER_UNKNOWN = 0
IF_OPER_NOTPRESENT = 1
IF_OPER_DOWN = 2
IF_OPER_LOWERLAYERDOWN = 3
IF_OPER_TESTING = 4
IF_OPER_DORMANT = 5
IF_OPER_UP = 6

# linux/if.h
IFF_UP = 0x1
IFF_BROADCAST = 0x2
IFF_DEBUG = 0x4
IFF_LOOPBACK = 0x8
IFF_POINTOPOINT = 0x10
IFF_NOTRAILERS = 0x20
IFF_RUNNING = 0x40
IFF_NOARP = 0x80
IFF_PROMISC = 0x100
IFF_ALLMULTI = 0x200
IFF_MASTER = 0x400
IFF_SLAVE = 0x800
IFF_MULTICAST = 0x1000
IFF_PORTSEL = 0x2000
IFF_AUTOMEDIA = 0x4000
IFF_DYNAMIC = 0x8000
IFF_LOWER_UP = 0x10000
IFF_DORMANT = 0x20000
IFF_ECHO = 0x40000

# linux/if_arp.h
ARPHRD_ETHER = 1
ARPHRD_INFINIBAND = 32
ARPHRD_PPP = 512
ARPHRD_TUNNEL = 768
ARPHRD_LOOPBACK = 772
ARPHRD_SIT = 776
ARPHRD_IPGRE = 778
ARPHRD_IEEE80211_RADIOTAP = 803
ARPHRD_NONE = 0xFFFE
ARPHRD_VOID = 0xFFFF

# linux/if_addr.h
IFA_ADDRESS = 1
IFA_LOCAL = 2
IFA_LABEL = 3
IFA_BROADCAST = 4
IFA_ANYCAST = 5
IFA_CACHEINFO = 6
IFA_MULTICAST = 7
IFA_FLAGS = 8
IFA_RT_PRIORITY = 9
IFA_PROTO = 11

IFA_F_SECONDARY = 0x01
IFA_F_TEMPORARY = IFA_F_SECONDARY
IFA_F_NODAD = 0x02
IFA_F_OPTIMISTIC = 0x04
IFA_F_DADFAILED = 0x08
IFA_F_HOMEADDRESS = 0x10
IFA_F_DEPRECATED = 0x20
IFA_F_TENTATIVE = 0x40
IFA_F_PERMANENT = 0x80
IFA_F_MANAGETEMPADDR = 0x100
IFA_F_NOPREFIXROUTE = 0x200
IFA_F_MCAUTOJOIN = 0x400
IFA_F_STABLE_PRIVACY = 0x800
INFINITY_LIFE_TIME = 0xFFFFFFFF

# linux/nexthop.h
NHA_ID = 1
NHA_GROUP = 2
NHA_GROUP_TYPE = 3
NHA_BLACKHOLE = 4
NHA_OIF = 5
NHA_GATEWAY = 6
NHA_ENCAP_TYPE = 7
NHA_ENCAP = 8
NHA_GROUPS = 9
NHA_MASTER = 10
NHA_FDB = 11
NEXTHOP_GRP_TYPE_MPATH = 0

# linux/fib_rules.h
FIB_RULE_PERMANENT = 0x00000001
FIB_RULE_INVERT = 0x00000002
FIB_RULE_UNRESOLVED = 0x00000004
FIB_RULE_IIF_DETACHED = 0x00000008
FIB_RULE_OIF_DETACHED = 0x00000010
FIB_RULE_FIND_SADDR = 0x00010000

FRA_UNSPEC = 0
FRA_DST = 1
FRA_SRC = 2
FRA_IIFNAME = 3
FRA_GOTO = 4
FRA_UNUSED2 = 5
FRA_PRIORITY = 6
FRA_UNUSED3 = 7
FRA_UNUSED4 = 8
FRA_UNUSED5 = 9
FRA_FWMARK = 10
FRA_FLOW = 11
FRA_TUN_ID = 12
FRA_SUPPRESS_IFGROUP = 13
FRA_SUPPRESS_PREFIXLEN = 14
FRA_TABLE = 15
FRA_FWMASK = 16
FRA_OIFNAME = 17
FRA_PAD = 18
FRA_L3MDEV = 19
FRA_UID_RANGE = 20
FRA_PROTOCOL = 21
FRA_IP_PROTO = 22
FRA_SPORT_RANGE = 23
FRA_DPORT_RANGE = 24
FRA_DSCP = 25
FRA_FLOWLABEL = 26
FRA_FLOWLABEL_MASK = 27
FRA_SPORT_MASK = 28
FRA_DPORT_MASK = 29
FRA_DSCP_MASK = 30

FR_ACT_UNSPEC = 0
FR_ACT_TO_TBL = 1
FR_ACT_GOTO = 2
FR_ACT_NOP = 3
FR_ACT_RES3 = 4
FR_ACT_RES4 = 5
FR_ACT_BLACKHOLE = 6
FR_ACT_UNREACHABLE = 7
FR_ACT_PROHIBIT = 8

# linux/in.h
IPPROTO_TCP = 6
IPPROTO_UDP = 17

# --- framing -------------------------------------------------------------------------------------

NLMSGHDR = struct.Struct("=IHHII")  # nlmsg_len, nlmsg_type, nlmsg_flags, nlmsg_seq, nlmsg_pid
NLATTR = struct.Struct("=HH")  # nla_len, nla_type
IFINFOMSG = struct.Struct("=BBHiII")  # ifi_family, __ifi_pad, ifi_type, ifi_index, ifi_flags, ifi_change
IFADDRMSG = struct.Struct("=BBBBI")  # ifa_family, ifa_prefixlen, ifa_flags, ifa_scope, ifa_index
RTMSG = struct.Struct("=BBBBBBBBI")  # family, dst_len, src_len, tos, table, protocol, scope, type, flags
RTNEXTHOP = struct.Struct("=HBBi")  # rtnh_len, rtnh_flags, rtnh_hops, rtnh_ifindex
NHMSG = struct.Struct("=BBBBI")  # nh_family, nh_scope, nh_protocol, resvd, nh_flags
NEXTHOP_GRP = struct.Struct("=IBBH")  # id, weight, weight_high (resvd1 before 6.12), resvd2
IFA_CACHEINFO_S = struct.Struct("=IIII")  # ifa_prefered, ifa_valid, cstamp, tstamp
FIB_RULE_HDR = struct.Struct("=BBBBBBBBI")  # family, dst_len, src_len, tos, table, res1, res2, action, flags
FIB_RULE_UID_RANGE = struct.Struct("=II")  # start, end
FIB_RULE_PORT_RANGE = struct.Struct("=HH")  # start, end

assert (NLMSGHDR.size, IFINFOMSG.size, IFADDRMSG.size, RTMSG.size, RTNEXTHOP.size, NHMSG.size,
        NEXTHOP_GRP.size, FIB_RULE_HDR.size, FIB_RULE_UID_RANGE.size, FIB_RULE_PORT_RANGE.size) == (
            16, 16, 8, 12, 8, 8, 8, 12, 8, 4)


def align4(n):
    """NLA_ALIGN / NLMSG_ALIGN."""
    return (n + 3) & ~3


def pad4(raw):
    return raw + b"\0" * (align4(len(raw)) - len(raw))


def attr(atype, payload=b"", length=None, pad=True):
    """One attribute: ``nla_len`` = 4 + payload (unpadded), then zero padding to 4 bytes.

    ``length`` overrides ``nla_len`` (for malformed input); ``pad=False`` leaves the padding off.
    """
    payload = bytes(payload)
    raw = NLATTR.pack(4 + len(payload) if length is None else length, atype) + payload
    return pad4(raw) if pad else raw


def nested(atype, *attrs):
    """A nested attribute (NLA_F_NESTED set, as modern kernels send them)."""
    return attr(atype | NLA_F_NESTED, b"".join(attrs))


def u8(v):
    return struct.pack("=B", v)


def u16(v):
    return struct.pack("=H", v)


def be16(v):
    return struct.pack("!H", v)


def u32(v):
    return struct.pack("=I", v)


def s32(v):
    return struct.pack("=i", v)


def u64(v):
    return struct.pack("=Q", v)


def cstr(text):
    """A NUL-terminated string (str as UTF-8, or raw bytes)."""
    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return raw + b"\0"


def ip(text):
    """Packed address of an IPv4 or IPv6 text address (network byte order)."""
    return socket.inet_pton(socket.AF_INET6 if ":" in text else socket.AF_INET, text)


def msg(mtype, payload=b"", flags=0, seq=1, pid=0, length=None):
    """One netlink message: nlmsghdr + payload, padded to 4 bytes. ``length`` overrides nlmsg_len."""
    payload = bytes(payload)
    return pad4(NLMSGHDR.pack(NLMSGHDR.size + len(payload) if length is None else length,
                              mtype, flags, seq, pid) + payload)


def done(seq=1, error=0, flags=NLM_F_MULTI, pid=0):
    """NLMSG_DONE: its payload is the int error of the dump (0, or -errno when it failed part-way)."""
    return msg(NLMSG_DONE, s32(-error), flags=flags, seq=seq, pid=pid)


def error(err, request=None, seq=1, capped=False, ext_msg=None, ext_attrs=(), flags=0, pid=0):
    """NLMSG_ERROR (struct nlmsgerr): int error (negative errno; 0 = ACK), the echoed request
    (its header only when ``capped``), then extended-ack TLVs when any are given.

    ``request`` is the whole request message (header included); by default an empty RTM_GETLINK.
    """
    if request is None:
        request = msg(RTM_GETLINK, IFINFOMSG.pack(0, 0, 0, 0, 0, 0), flags=NLM_F_REQUEST | NLM_F_DUMP,
                      seq=seq)
    echoed = request[:NLMSGHDR.size] if capped else pad4(request)
    tlvs = b""
    if ext_msg is not None:
        tlvs += attr(NLMSGERR_ATTR_MSG, cstr(ext_msg))
    tlvs += b"".join(ext_attrs)
    if capped:
        flags |= NLM_F_CAPPED
    if tlvs:
        flags |= NLM_F_ACK_TLVS
    return msg(NLMSG_ERROR, s32(-err) + echoed + tlvs, flags=flags, seq=seq, pid=pid)


# --- links ---------------------------------------------------------------------------------------

def ifinfomsg(index=1, arphrd=ARPHRD_ETHER, flags=0, change=0, family=AF_UNSPEC):
    return IFINFOMSG.pack(family, 0, arphrd, index, flags, change)


def link(index=1, name="eth0", *attrs, **header):
    """RTM_NEWLINK payload: ifinfomsg + IFLA_IFNAME (NUL-terminated; None leaves it out) + attrs."""
    out = ifinfomsg(index=index, **header)
    if name is not None:
        out += attr(IFLA_IFNAME, cstr(name))
    return out + b"".join(attrs)


def linkinfo(kind=None, data=None, slave_kind=None, raw_data=None):
    """IFLA_LINKINFO: IFLA_INFO_KIND, IFLA_INFO_DATA (nested attrs), IFLA_INFO_SLAVE_KIND."""
    parts = []
    if kind is not None:
        parts.append(attr(IFLA_INFO_KIND, cstr(kind)))
    if data is not None:
        parts.append(nested(IFLA_INFO_DATA, *data))
    if raw_data is not None:
        parts.append(attr(IFLA_INFO_DATA | NLA_F_NESTED, raw_data))
    if slave_kind is not None:
        parts.append(attr(IFLA_INFO_SLAVE_KIND, cstr(slave_kind)))
    return nested(IFLA_LINKINFO, *parts)


def vlan_data(vid=None, protocol=None):
    out = []
    if vid is not None:
        out.append(attr(IFLA_VLAN_ID, u16(vid)))
    out.append(attr(IFLA_VLAN_FLAGS, struct.pack("=II", 1, 0xFFFFFFFF)))
    if protocol is not None:
        out.append(attr(IFLA_VLAN_PROTOCOL, be16(protocol)))
    return out


def vxlan_data(vni=None, port=None, local=None, group=None, link_index=None):
    out = []
    if vni is not None:
        out.append(attr(IFLA_VXLAN_ID, u32(vni)))
    if group is not None:
        out.append(attr(IFLA_VXLAN_GROUP6 if ":" in group else IFLA_VXLAN_GROUP, ip(group)))
    if link_index is not None:
        out.append(attr(IFLA_VXLAN_LINK, u32(link_index)))
    if local is not None:
        out.append(attr(IFLA_VXLAN_LOCAL6 if ":" in local else IFLA_VXLAN_LOCAL, ip(local)))
    out.append(attr(IFLA_VXLAN_TTL, u8(0)))
    if port is not None:
        out.append(attr(IFLA_VXLAN_PORT, be16(port)))
    return out


def tun_data(tun_type=None):
    out = [attr(IFLA_TUN_OWNER, u32(0))]
    if tun_type is not None:
        out.append(attr(IFLA_TUN_TYPE, u8(tun_type)))
    return out


def bond_data(mode=None):
    out = []
    if mode is not None:
        out.append(attr(IFLA_BOND_MODE, u8(mode)))
    out.append(attr(IFLA_BOND_ACTIVE_SLAVE, u32(0)))
    return out


def bridge_data(stp_state=None, vlan_filtering=None):
    out = [attr(IFLA_BR_FORWARD_DELAY, u32(1500))]
    if stp_state is not None:
        out.append(attr(IFLA_BR_STP_STATE, u32(stp_state)))
    out.append(attr(IFLA_BR_PRIORITY, u16(0x8000)))
    if vlan_filtering is not None:
        out.append(attr(IFLA_BR_VLAN_FILTERING, u8(vlan_filtering)))
    return out


def prop_list(*altnames):
    return nested(IFLA_PROP_LIST, *[attr(IFLA_ALT_IFNAME, cstr(n)) for n in altnames])


def stats64(values):
    """IFLA_STATS64 with as many u64 counters as ``values`` has (23, 24 or 25 on real kernels)."""
    return attr(IFLA_STATS64, struct.pack("=%dQ" % len(values), *values))


# --- addresses -----------------------------------------------------------------------------------

def ifaddrmsg(family=AF_INET, prefixlen=24, flags=0, scope=RT_SCOPE_UNIVERSE, index=1):
    return IFADDRMSG.pack(family, prefixlen, flags, scope, index)


def address(family=AF_INET, prefixlen=24, index=1, *attrs, **header):
    """RTM_NEWADDR payload: ifaddrmsg + attrs."""
    return ifaddrmsg(family=family, prefixlen=prefixlen, index=index, **header) + b"".join(attrs)


def cacheinfo(preferred=INFINITY_LIFE_TIME, valid=INFINITY_LIFE_TIME, cstamp=100, tstamp=200):
    return attr(IFA_CACHEINFO, IFA_CACHEINFO_S.pack(preferred, valid, cstamp, tstamp))


def multicast(family, index, group):
    """One reply of an RTM_GETMULTICAST dump: ifaddrmsg + IFA_MULTICAST (+ IFA_CACHEINFO)."""
    return (ifaddrmsg(family=family, prefixlen=32 if family == AF_INET else 128, scope=RT_SCOPE_UNIVERSE,
                      index=index)
            + attr(IFA_MULTICAST, ip(group)) + cacheinfo())


# --- routes --------------------------------------------------------------------------------------

def rtmsg(family=AF_INET, dst_len=0, src_len=0, tos=0, table=RT_TABLE_MAIN, protocol=RTPROT_BOOT,
          scope=RT_SCOPE_UNIVERSE, rtype=RTN_UNICAST, flags=0):
    return RTMSG.pack(family, dst_len, src_len, tos, table, protocol, scope, rtype, flags)


def route(*attrs, **header):
    """RTM_NEWROUTE payload: rtmsg(**header) + attrs."""
    return rtmsg(**header) + b"".join(attrs)


def rtnexthop(ifindex, attrs=(), flags=0, weight=1, length=None):
    """One struct rtnexthop (rtnh_hops = weight - 1) followed by its attributes."""
    body = b"".join(attrs)
    return pad4(RTNEXTHOP.pack(RTNEXTHOP.size + len(body) if length is None else length,
                               flags, weight - 1, ifindex) + body)


def multipath(*hops):
    return attr(RTA_MULTIPATH, b"".join(hops))


def via(family, text):
    """RTA_VIA: struct rtvia (u16 family + address)."""
    return attr(RTA_VIA, u16(family) + ip(text))


# --- nexthop objects -----------------------------------------------------------------------------

def nhmsg(family=AF_INET, scope=RT_SCOPE_UNIVERSE, protocol=RTPROT_STATIC, flags=0):
    return NHMSG.pack(family, scope, protocol, 0, flags)


def nh_group(members):
    """NHA_GROUP payload from ``(id, weight)`` pairs; weight 1..65536 (weight_high above 256)."""
    out = b""
    for nid, weight in members:
        w = weight - 1
        out += NEXTHOP_GRP.pack(nid, w & 0xFF, w >> 8, 0)
    return out


def nexthop(nid, family=AF_INET, gateway=None, oif=None, blackhole=False, group=None, fdb=False,
            flags=0, extra=()):
    """RTM_NEWNEXTHOP payload."""
    out = nhmsg(family=family, flags=flags) + attr(NHA_ID, u32(nid))
    if group is not None:
        out += attr(NHA_GROUP, nh_group(group)) + attr(NHA_GROUP_TYPE, u16(NEXTHOP_GRP_TYPE_MPATH))
    if blackhole:
        out += attr(NHA_BLACKHOLE)
    if oif is not None:
        out += attr(NHA_OIF, u32(oif))
    if gateway is not None:
        out += attr(NHA_GATEWAY, ip(gateway))
    if fdb:
        out += attr(NHA_FDB)
    return out + b"".join(extra)


# --- policy rules --------------------------------------------------------------------------------

def fib_rule_hdr(family=AF_INET, dst_len=0, src_len=0, tos=0, table=RT_TABLE_MAIN, action=FR_ACT_TO_TBL, flags=0,
                 res1=0, res2=0):
    return FIB_RULE_HDR.pack(family, dst_len, src_len, tos, table, res1, res2, action, flags)


def rule(*attrs, **header):
    """RTM_NEWRULE payload: fib_rule_hdr(**header) + attrs."""
    return fib_rule_hdr(**header) + b"".join(attrs)


def kernel_rule(priority, table=RT_TABLE_MAIN, *attrs, **header):
    """A rule as the kernel's fib_nl_fill_rule writes it: the 8-bit table (RT_TABLE_COMPAT above
    255), FRA_TABLE, FRA_SUPPRESS_PREFIXLEN (-1 when unset), FRA_PROTOCOL, FRA_PRIORITY when not 0,
    then ``attrs``."""
    out = [attr(FRA_TABLE, u32(table)), attr(FRA_SUPPRESS_PREFIXLEN, u32(header.pop("suppress", 0xFFFFFFFF))),
           attr(FRA_PROTOCOL, u8(header.pop("protocol", RTPROT_UNSPEC)))]
    if priority:
        out.append(attr(FRA_PRIORITY, u32(priority)))
    return rule(*(out + list(attrs)), table=table if table < 256 else RT_TABLE_COMPAT, **header)


def uid_range(start, end):
    return attr(FRA_UID_RANGE, FIB_RULE_UID_RANGE.pack(start, end))


def port_range(atype, start, end):
    return attr(atype, FIB_RULE_PORT_RANGE.pack(start, end))


# --- FreeBSD's rtnetlink -------------------------------------------------------------------------
# Written from freebsd-src, not from the engine: sys/sys/socket.h, sys/net/if.h, sys/net/if_types.h,
# sys/netlink/route/interface.h, ifaddrs.h, route.h, netinet6/in6_var.h. The message layouts are
# Linux's (the builders above serve); these are the numbers that differ.

FBSD_AF_INET6 = 28
FBSD_AF_LINK = 18
FBSD_AF_NETLINK = 38

IFT_OTHER = 0x1
IFT_ETHER = 0x6
IFT_LOOP = 0x18
IFT_L2VLAN = 0x87
IFT_BRIDGE = 0xd1
IFT_GIF = 0xf0
IFT_PFLOG = 0xf6

FBSD_IFF_UP = 0x1
FBSD_IFF_BROADCAST = 0x2
FBSD_IFF_LOOPBACK = 0x8
FBSD_IFF_POINTOPOINT = 0x10
FBSD_IFF_NEEDSEPOCH = 0x20
FBSD_IFF_DRV_RUNNING = 0x40
FBSD_IFF_PROMISC = 0x100
FBSD_IFF_DRV_OACTIVE = 0x400
FBSD_IFF_SIMPLEX = 0x800
FBSD_IFF_LINK0 = 0x1000
FBSD_IFF_MULTICAST = 0x8000
FBSD_IFF_MONITOR = 0x40000
FBSD_IFF_LOWER_UP = 0x1000000  # IFF_NETLINK_1

IFLA_PROMISCUITY_FBSD = 30
IFLA_FREEBSD = 64
IFLAF_ORIG_IFNAME = 1
IFLAF_ORIG_HWADDR = 2
IFA_FREEBSD = 11
IFAF_VHID = 1
IFAF_FLAGS = 2
IN6_IFF_TENTATIVE = 0x02
IN6_IFF_DUPLICATED = 0x04
IN6_IFF_AUTOCONF = 0x40
IN6_IFF_TEMPORARY = 0x80

RTA_KNH_ID = 10  # u32, kernel nexthop index
RTA_WEIGHT = 13  # u32
RTA_RTFLAGS = 14  # u32, RTF_*
RTF_UP = 0x1
RTF_GATEWAY = 0x2
RTF_STATIC = 0x800

STATS64_FIELDS_FBSD = 24  # FreeBSD's rtnl_link_stats64 ends at rx_nohandler


def fbsd_link(index, name, ift, flags, *attrs):
    """RTM_NEWLINK as iface.c dump_iface() writes it: IFLA_IFNAME, OPERSTATE, CARRIER, then attrs,
    then IFLA_STATS64 (24 counters) and IFLA_PROMISCUITY."""
    return link(index, name, attr(IFLA_OPERSTATE, u8(IF_OPER_UP)), attr(IFLA_CARRIER, u8(1)), *attrs,
                stats64(range(STATS64_FIELDS_FBSD)), attr(IFLA_PROMISCUITY_FBSD, u32(0)), arphrd=ift, flags=flags)


def fbsd_address(family, prefixlen, index, local, *attrs, **header):
    """RTM_NEWADDR as dump_iface_addr() writes it for a non-point-to-point interface: IFA_ADDRESS, then
    IFA_LOCAL for IPv4 only, IFA_LABEL (the interface's name), IFA_FLAGS, then attrs."""
    parts = [attr(IFA_ADDRESS, ip(local))]
    if family == AF_INET:
        parts.append(attr(IFA_LOCAL, ip(local)))
    parts.append(attr(IFA_LABEL, cstr("em0")))
    parts.append(attr(IFA_FLAGS, u32(header.pop("ifa_flags", 0))))
    return address(family, prefixlen, index, *(parts + list(attrs)), flags=0, **header)


def fbsd_route(family, dst, dst_len, fib=0, *attrs, **header):
    """RTM_NEWROUTE as rt.c dump_px() writes it: rtm_table = fib (0 from 255 on), RTA_TABLE, RTA_DST
    (always, zeros for a default route), then attrs (the nexthop's: gateway, ids, flags, OIF)."""
    header.setdefault("protocol", RTPROT_STATIC)
    return route(attr(RTA_TABLE, u32(fib)), attr(RTA_DST, ip(dst)), *attrs, family=family, dst_len=dst_len,
                 table=fib if fib < 255 else 0, **header)


def fbsd_nexthop(nid, family=AF_INET, gateway=None, oif=None, blackhole=False, group=None):
    """RTM_NEWNEXTHOP as nexthop.c writes it: a group (dump_nhgrp: family AF_UNSPEC, NHA_ID,
    NHA_GROUP_TYPE, NHA_GROUP with each member's weight as is, not weight - 1), or one nexthop
    (dump_nhop: NHA_ID, then NHA_BLACKHOLE, or NHA_OIF and NHA_GATEWAY)."""
    if group is not None:
        members = b"".join(NEXTHOP_GRP.pack(member, weight, 0, 0) for member, weight in group)
        return (nhmsg(family=AF_UNSPEC) + attr(NHA_ID, u32(nid)) + attr(NHA_GROUP_TYPE, u16(NEXTHOP_GRP_TYPE_MPATH))
                + attr(NHA_GROUP, members))
    out = nhmsg(family=family) + attr(NHA_ID, u32(nid))
    if blackhole:
        return out + attr(NHA_BLACKHOLE)
    out += attr(NHA_OIF, u32(oif))
    return out + (attr(NHA_GATEWAY, ip(gateway)) if gateway else b"")


def fbsd_rtnexthop(ifindex, attrs=(), weight=1):
    """One struct rtnexthop as rt.c dump_rc_nhg() writes it: rtnh_hops is the weight itself."""
    return rtnexthop(ifindex, attrs, weight=weight + 1)
