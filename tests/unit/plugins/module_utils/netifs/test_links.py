# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.links.parse_link: every attribute it reads, kind_data of each kind it decodes,
names that are not UTF-8, old kernels' shorter stats, truncated and malformed messages."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlbuild as nl
from fakes import truncations

from netifs.errors import ParseError
from netifs.links import parse_link

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STATS_NAMES = [
    "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
    "rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
    "rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
    "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
    "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
    "rx_nohandler", "rx_otherhost_dropped",
]


def parse(payload):
    return parse_link(payload, 0, len(payload))


def record(**changes):
    """The record of a link with no optional attribute, updated with ``changes``."""
    rec = {
        "index": 2, "name": "eth0", "altnames": [], "kind": None, "kind_data": {}, "slave_kind": None,
        "type": "ether", "mac": None, "permanent_mac": None, "mtu": None, "min_mtu": None,
        "max_mtu": None, "flags": [], "oper_state": "unknown", "carrier": None, "master_index": None,
        "link_index": None, "link_netnsid": None, "alias": None,
    }
    rec.update(changes)
    return rec


def with_kind(kind, data=None):
    return parse(nl.link(2, "eth0", nl.linkinfo(kind, data=data)))


MAC = bytes.fromhex("525400123456")


def full_link():
    return nl.link(
        2, "eth0",
        nl.attr(nl.IFLA_TXQLEN, nl.u32(1000)),
        nl.attr(nl.IFLA_OPERSTATE, nl.u8(nl.IF_OPER_UP)),
        nl.attr(nl.IFLA_LINKMODE, nl.u8(0)),
        nl.attr(nl.IFLA_MTU, nl.u32(1500)),
        nl.attr(nl.IFLA_MIN_MTU, nl.u32(68)),
        nl.attr(nl.IFLA_MAX_MTU, nl.u32(9216)),
        nl.attr(nl.IFLA_GROUP, nl.u32(0)),
        nl.attr(nl.IFLA_PROMISCUITY, nl.u32(0)),
        nl.attr(nl.IFLA_LINK, nl.u32(2)),
        nl.attr(nl.IFLA_MASTER, nl.u32(5)),
        nl.attr(nl.IFLA_CARRIER, nl.u8(1)),
        nl.attr(nl.IFLA_QDISC, nl.cstr("fq_codel")),
        nl.attr(nl.IFLA_IFALIAS, nl.cstr("uplink to core")),
        nl.linkinfo(None, slave_kind="bridge"),
        nl.prop_list("enp1s0", "ens1"),
        nl.attr(nl.IFLA_ADDRESS, MAC),
        nl.attr(nl.IFLA_BROADCAST, b"\xff" * 6),
        nl.attr(nl.IFLA_PERM_ADDRESS, bytes.fromhex("0a1b2c3d4e5f")),
        nl.attr(nl.IFLA_PAD),
        nl.stats64(range(1, 26)),
        nl.attr(nl.IFLA_AF_SPEC | nl.NLA_F_NESTED, nl.attr(nl.AF_INET, b"\0" * 8)),
        arphrd=nl.ARPHRD_ETHER,
        flags=nl.IFF_UP | nl.IFF_BROADCAST | nl.IFF_RUNNING | nl.IFF_SLAVE | nl.IFF_MULTICAST | nl.IFF_LOWER_UP,
    )


def test_full_ethernet_port():
    assert parse(full_link()) == record(
        altnames=["enp1s0", "ens1"], slave_kind="bridge", mac="52:54:00:12:34:56",
        permanent_mac="0a:1b:2c:3d:4e:5f", mtu=1500, min_mtu=68, max_mtu=9216,
        flags=["up", "broadcast", "running", "slave", "multicast", "lower_up"], oper_state="up",
        carrier=True, master_index=5, link_index=2, alias="uplink to core",
        stats=dict(zip(STATS_NAMES, range(1, 26))))


def test_minimal_loopback():
    payload = nl.link(1, "lo", arphrd=nl.ARPHRD_LOOPBACK,
                      flags=nl.IFF_UP | nl.IFF_LOOPBACK | nl.IFF_RUNNING | nl.IFF_LOWER_UP)
    assert parse(payload) == record(index=1, name="lo", type="loopback",
                                    flags=["up", "loopback", "running", "lower_up"])


def test_header_fields_family_and_change_are_ignored():
    payload = nl.link(7, "x", family=nl.AF_BRIDGE, change=0xFFFFFFFF)
    assert parse(payload) == record(index=7, name="x")


def test_every_iff_flag_in_bit_order():
    names = ["up", "broadcast", "debug", "loopback", "pointopoint", "notrailers", "running", "noarp",
             "promisc", "allmulti", "master", "slave", "multicast", "portsel", "automedia", "dynamic",
             "lower_up", "dormant", "echo"]
    assert parse(nl.link(2, "eth0", flags=0xFFFFFFFF))["flags"] == names
    assert parse(nl.link(2, "eth0", flags=nl.IFF_ECHO | nl.IFF_UP | 0x80000000))["flags"] == ["up", "echo"]


@pytest.mark.parametrize("arphrd, name", [
    (nl.ARPHRD_ETHER, "ether"), (nl.ARPHRD_LOOPBACK, "loopback"), (nl.ARPHRD_NONE, "none"),
    (nl.ARPHRD_VOID, "void"), (nl.ARPHRD_PPP, "ppp"), (nl.ARPHRD_TUNNEL, "ipip"), (nl.ARPHRD_SIT, "sit"),
    (nl.ARPHRD_IPGRE, "gre"), (nl.ARPHRD_INFINIBAND, "infiniband"),
    (nl.ARPHRD_IEEE80211_RADIOTAP, "ieee802.11/radiotap"), (12345, "12345"), (0, "netrom"),
])
def test_type(arphrd, name):
    assert parse(nl.link(2, "eth0", arphrd=arphrd))["type"] == name


@pytest.mark.parametrize("value, name", [
    (0, "unknown"), (1, "notpresent"), (2, "down"), (3, "lowerlayerdown"), (4, "testing"),
    (5, "dormant"), (6, "up"), (7, "7"), (255, "255"),
])
def test_oper_state(value, name):
    assert parse(nl.link(2, "eth0", nl.attr(nl.IFLA_OPERSTATE, nl.u8(value))))["oper_state"] == name


def test_oper_state_empty_attribute_is_unknown():
    assert parse(nl.link(2, "eth0", nl.attr(nl.IFLA_OPERSTATE)))["oper_state"] == "unknown"


@pytest.mark.parametrize("attrs, carrier", [
    ((nl.attr(nl.IFLA_CARRIER, nl.u8(0)),), False), ((nl.attr(nl.IFLA_CARRIER, nl.u8(1)),), True),
    ((), None), ((nl.attr(nl.IFLA_CARRIER),), None),
])
def test_carrier(attrs, carrier):
    assert parse(nl.link(2, "eth0", *attrs))["carrier"] is carrier


@pytest.mark.parametrize("raw, text", [
    (MAC, "52:54:00:12:34:56"), (b"", None),
    (b"\0" * 6, "00:00:00:00:00:00"),  # lo's: the kernel's value, as ip and setup show it
    (b"\x0a", "0a"),
    (bytes(range(1, 21)), ":".join("%02x" % i for i in range(1, 21))),  # 20-byte InfiniBand
    (b"\xc0\x00\x02\x01", "c0:00:02:01"),  # a 4-byte tunnel "address"
])
def test_mac(raw, text):
    got = parse(nl.link(2, "eth0", nl.attr(nl.IFLA_ADDRESS, raw), nl.attr(nl.IFLA_PERM_ADDRESS, raw)))
    assert (got["mac"], got["permanent_mac"]) == (text, text)


def test_name_without_nul():
    payload = nl.ifinfomsg(index=3) + nl.attr(nl.IFLA_IFNAME, b"wlan0")
    assert parse(payload) == record(index=3, name="wlan0")


def test_name_stops_at_first_nul():
    payload = nl.ifinfomsg(index=3) + nl.attr(nl.IFLA_IFNAME, b"eth1\0junk\0")
    assert parse(payload)["name"] == "eth1"


def test_name_utf8_is_kept_and_has_no_name_bytes():
    got = parse(nl.link(4, u"br-\u00fcber"))
    assert got == record(index=4, name=u"br-\u00fcber")
    assert "name_bytes" not in got


def test_name_not_utf8():
    got = parse(nl.link(4, b"eth\xff\xfe0"))
    assert got == record(index=4, name=u"eth\\xff\\xfe0", name_bytes="657468fffe30")


def test_name_missing_is_an_error():
    with pytest.raises(ParseError) as info:
        parse(nl.link(9, None, nl.attr(nl.IFLA_MTU, nl.u32(1500))))
    assert info.value.what == "RTM_NEWLINK index 9"
    assert "no IFLA_IFNAME" in str(info.value)


@pytest.mark.parametrize("size", range(0, 16))
def test_header_too_short(size):
    with pytest.raises(ParseError):
        parse(nl.ifinfomsg(index=2)[:size])


def test_mtu_min_max_master_link():
    got = parse(nl.link(2, "eth0", nl.attr(nl.IFLA_MTU, nl.u32(65536)), nl.attr(nl.IFLA_MIN_MTU, nl.u32(0)),
                        nl.attr(nl.IFLA_MAX_MTU, nl.u32(0xFFFFFFFF)), nl.attr(nl.IFLA_MASTER, nl.u32(0)),
                        nl.attr(nl.IFLA_LINK, nl.u32(17))))
    assert got == record(mtu=65536, min_mtu=0, max_mtu=0xFFFFFFFF, master_index=0, link_index=17)


@pytest.mark.parametrize("atype", [nl.IFLA_MTU, nl.IFLA_MIN_MTU, nl.IFLA_MAX_MTU, nl.IFLA_MASTER,
                                   nl.IFLA_LINK, nl.IFLA_LINK_NETNSID])
@pytest.mark.parametrize("size", [0, 1, 2, 3])
def test_short_u32_attributes(atype, size):
    with pytest.raises(ParseError):
        parse(nl.link(2, "eth0", nl.attr(atype, b"\x01" * size)))


@pytest.mark.parametrize("value", [0, 5, 2 ** 31 - 1, -1, -2 ** 31])
def test_link_netnsid_is_signed(value):
    assert parse(nl.link(2, "veth0", nl.attr(nl.IFLA_LINK_NETNSID, nl.s32(value))))["link_netnsid"] == value


def test_alias_not_utf8():
    got = parse(nl.link(2, "eth0", nl.attr(nl.IFLA_IFALIAS, b"caf\xe9")))
    assert got == record(alias=u"caf\\xe9")


def test_altnames():
    payload = nl.link(2, "eth0", nl.nested(
        nl.IFLA_PROP_LIST, nl.attr(nl.IFLA_ALT_IFNAME, nl.cstr("enp0s31f6")),
        nl.attr(99, b"other property"), nl.attr(nl.IFLA_ALT_IFNAME, b"long-name-without-nul"),
        nl.attr(nl.IFLA_ALT_IFNAME, b"x\xff")))
    assert parse(payload)["altnames"] == ["enp0s31f6", "long-name-without-nul", u"x\\xff"]


def test_altnames_malformed_list():
    payload = nl.link(2, "eth0", nl.attr(nl.IFLA_PROP_LIST, nl.attr(nl.IFLA_ALT_IFNAME, b"abc", length=40)))
    with pytest.raises(ParseError):
        parse(payload)


# --- stats64 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("count", [nl.STATS64_FIELDS_V1, nl.STATS64_FIELDS_V2, nl.STATS64_FIELDS_V3])
def test_stats64_each_kernel_length(count):
    values = [(i + 1) * 1000003 for i in range(count)]
    got = parse(nl.link(2, "eth0", nl.stats64(values)))
    assert got == record(stats=dict(zip(STATS_NAMES[:count], values)))


def test_stats64_future_longer_struct_keeps_known_fields():
    values = list(range(100, 130))
    assert parse(nl.link(2, "eth0", nl.stats64(values)))["stats"] == dict(zip(STATS_NAMES, values))


def test_stats64_counter_full_range():
    values = [2 ** 64 - 1] * 25
    assert parse(nl.link(2, "eth0", nl.stats64(values)))["stats"]["rx_bytes"] == 2 ** 64 - 1


@pytest.mark.parametrize("size, fields", [(0, 0), (7, 0), (8, 1), (20, 2)])
def test_stats64_partial(size, fields):
    raw = b"".join(nl.u64(i + 1) for i in range(3))[:size]
    got = parse(nl.link(2, "eth0", nl.attr(nl.IFLA_STATS64, raw)))
    assert got["stats"] == dict(zip(STATS_NAMES[:fields], [1, 2, 3][:fields]))


def test_legacy_32bit_stats_are_not_read():
    got = parse(nl.link(2, "eth0", nl.attr(nl.IFLA_STATS, b"\x01" * 96)))
    assert got == record()


# --- linkinfo and kind_data ----------------------------------------------------------------------

def test_linkinfo_kind_only():
    assert with_kind("veth") == record(kind="veth")


def test_linkinfo_unknown_kind_data_is_ignored():
    assert with_kind("macvlan", data=[nl.attr(1, nl.u32(4))]) == record(kind="macvlan")


def test_linkinfo_without_kind():
    assert parse(nl.link(2, "eth0", nl.linkinfo(None, raw_data=nl.attr(1, nl.u16(5))))) == record()


def test_linkinfo_kind_and_slave_kind():
    got = parse(nl.link(2, "eth0", nl.linkinfo("vlan", data=nl.vlan_data(10), slave_kind="bond")))
    assert got == record(kind="vlan", slave_kind="bond", kind_data={"vlan_id": 10, "protocol": None})


def test_linkinfo_kind_not_ascii():
    got = parse(nl.link(2, "eth0", nl.linkinfo(b"v\xfflan", data=nl.vlan_data(10))))
    assert got == record(kind=u"v\ufffdlan")


def test_linkinfo_malformed():
    with pytest.raises(ParseError):
        parse(nl.link(2, "eth0", nl.attr(nl.IFLA_LINKINFO, nl.attr(nl.IFLA_INFO_KIND, b"vlan", length=2))))


@pytest.mark.parametrize("vid, proto, expected", [
    (100, 0x8100, {"vlan_id": 100, "protocol": "802.1Q"}),
    (4094, 0x88A8, {"vlan_id": 4094, "protocol": "802.1ad"}),
    (7, 0x9100, {"vlan_id": 7, "protocol": 0x9100}),
    (None, None, {"vlan_id": None, "protocol": None}),
])
def test_vlan(vid, proto, expected):
    assert with_kind("vlan", nl.vlan_data(vid, proto)) == record(kind="vlan", kind_data=expected)


def test_vlan_short_attributes_are_none():
    data = [nl.attr(nl.IFLA_VLAN_ID, b"\x05"), nl.attr(nl.IFLA_VLAN_PROTOCOL, b"\x81")]
    assert with_kind("vlan", data)["kind_data"] == {"vlan_id": None, "protocol": None}


def test_vxlan_ipv4():
    got = with_kind("vxlan", nl.vxlan_data(vni=0xABCDEF, port=4789, local="192.0.2.1", group="239.1.1.1",
                                           link_index=3))
    assert got == record(kind="vxlan", kind_data={"vni": 0xABCDEF, "port": 4789, "link_index": 3,
                                                  "local": "192.0.2.1", "group": "239.1.1.1"})


def test_vxlan_ipv6():
    got = with_kind("vxlan", nl.vxlan_data(vni=1, port=8472, local="2001:db8::1", group="ff05::100"))
    assert got == record(kind="vxlan", kind_data={"vni": 1, "port": 8472, "link_index": None,
                                                  "local": "2001:db8::1", "group": "ff05::100"})


def test_vxlan_nothing_set():
    assert with_kind("vxlan", nl.vxlan_data())["kind_data"] == {
        "vni": None, "port": None, "link_index": None, "local": None, "group": None}


# The IPv4 attributes (IFLA_VXLAN_LOCAL/GROUP) must be 4 bytes and the IPv6 ones 16: the family is
# never guessed from the length.
@pytest.mark.parametrize("atype, size", [
    (nl.IFLA_VXLAN_LOCAL, 16), (nl.IFLA_VXLAN_LOCAL6, 4), (nl.IFLA_VXLAN_GROUP, 16), (nl.IFLA_VXLAN_GROUP6, 4),
    (nl.IFLA_VXLAN_LOCAL, 3), (nl.IFLA_VXLAN_GROUP, 3), (nl.IFLA_VXLAN_GROUP6, 0),
    (nl.IFLA_VXLAN_ID, 2), (nl.IFLA_VXLAN_LINK, 0)])
def test_vxlan_malformed(atype, size):
    with pytest.raises(ParseError):
        with_kind("vxlan", [nl.attr(atype, b"\x01" * size)])


@pytest.mark.parametrize("value, mode", [(nl.IFF_TUN, "tun"), (nl.IFF_TAP, "tap"), (3, None), (None, None)])
def test_tun(value, mode):
    assert with_kind("tun", nl.tun_data(value)) == record(kind="tun", kind_data={"mode": mode})


def test_tun_empty_type():
    assert with_kind("tun", [nl.attr(nl.IFLA_TUN_TYPE)])["kind_data"] == {"mode": None}


@pytest.mark.parametrize("value, mode", [
    (0, "balance-rr"), (1, "active-backup"), (2, "balance-xor"), (3, "broadcast"), (4, "802.3ad"),
    (5, "balance-tlb"), (6, "balance-alb"), (7, 7), (None, None),
])
def test_bond(value, mode):
    assert with_kind("bond", nl.bond_data(value)) == record(kind="bond", kind_data={"mode": mode})


@pytest.mark.parametrize("stp, vf, expected", [
    (0, 0, {"stp_state": "off", "vlan_filtering": False}),
    (1, 1, {"stp_state": "kernel", "vlan_filtering": True}),
    (2, None, {"stp_state": "user", "vlan_filtering": None}),
    (9, 1, {"stp_state": 9, "vlan_filtering": True}),
    (None, None, {"stp_state": None, "vlan_filtering": None}),
])
def test_bridge(stp, vf, expected):
    assert with_kind("bridge", nl.bridge_data(stp, vf)) == record(kind="bridge", kind_data=expected)


# An empty attribute is None, as for the other kinds, not a made-up False.
def test_bridge_empty_vlan_filtering_is_not_false():
    assert with_kind("bridge", [nl.attr(nl.IFLA_BR_VLAN_FILTERING)])["kind_data"]["vlan_filtering"] is None


def test_bridge_short_stp_state():
    with pytest.raises(ParseError):
        with_kind("bridge", [nl.attr(nl.IFLA_BR_STP_STATE, nl.u16(1))])


def test_kind_data_malformed_nest():
    with pytest.raises(ParseError):
        parse(nl.link(2, "eth0", nl.linkinfo("bond", raw_data=nl.attr(1, b"\x01", length=0))))


# --- truncation and fuzzing ----------------------------------------------------------------------

SAMPLES = [
    full_link(),
    nl.link(8, "vx0", nl.linkinfo("vxlan", data=nl.vxlan_data(42, 4789, "2001:db8::1", "ff05::1", 2)),
            nl.prop_list("vxlan-overlay")),
    nl.link(9, b"t\xffn", nl.linkinfo("tun", data=nl.tun_data(2)), nl.attr(nl.IFLA_LINK_NETNSID, nl.s32(3))),
    nl.link(10, "br0", nl.linkinfo("bridge", data=nl.bridge_data(1, 1)), nl.stats64(range(23))),
    nl.link(11, "bond0", nl.linkinfo("bond", data=nl.bond_data(4)), nl.attr(nl.IFLA_OPERSTATE, nl.u8(2))),
    nl.link(12, "v.10", nl.linkinfo("vlan", data=nl.vlan_data(10, 0x88A8)), nl.attr(nl.IFLA_LINK, nl.u32(2))),
]


@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_every_truncation(sample):
    payload = SAMPLES[sample]
    outcomes = truncations(parse_link, payload)
    assert outcomes[-1] == parse(payload)
    assert all(o[0] == "ParseError" for o in outcomes[:16])  # no header, no record
    assert any(isinstance(o, dict) for o in outcomes[:-1])  # dropping whole attributes still parses


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(data):
    try:
        rec = parse(data)
    except ParseError:
        return
    assert isinstance(rec["name"], str) and isinstance(rec["flags"], list)


def _attrs(types, payloads):
    one = st.tuples(st.sampled_from(types) | st.integers(0, 0xFFFF), payloads)
    return st.lists(one, max_size=8).map(lambda items: b"".join(nl.attr(t, p) for t, p in items))


_KIND_DATA = _attrs(list(range(1, 18)), st.binary(max_size=20))
_LINKINFO = st.lists(st.one_of(
    st.sampled_from(["vlan", "vxlan", "tun", "bond", "bridge", "veth"]).map(
        lambda k: nl.attr(nl.IFLA_INFO_KIND, nl.cstr(k))),
    _KIND_DATA.map(lambda d: nl.attr(nl.IFLA_INFO_DATA | nl.NLA_F_NESTED, d)),
    st.binary(max_size=8).map(lambda b: nl.attr(nl.IFLA_INFO_SLAVE_KIND, b)),
    st.binary(max_size=12).map(lambda b: nl.attr(nl.IFLA_INFO_DATA, b)),
), max_size=4).map(b"".join)
_LINK_ATTRS = st.lists(st.one_of(
    st.tuples(st.sampled_from([1, 3, 4, 5, 10, 16, 20, 23, 33, 37, 50, 51, 54]) | st.integers(0, 60),
              st.binary(max_size=24)).map(lambda tp: nl.attr(*tp)),
    _LINKINFO.map(lambda b: nl.attr(nl.IFLA_LINKINFO, b)),
    _attrs([nl.IFLA_ALT_IFNAME], st.binary(max_size=12)).map(lambda b: nl.attr(nl.IFLA_PROP_LIST, b)),
), max_size=8).map(b"".join)


@FUZZ
@given(header=st.binary(min_size=16, max_size=16), name=st.binary(max_size=17), body=_LINK_ATTRS,
       cut=st.integers(0, 400))
def test_structured_fuzz(header, name, body, cut):
    payload = (header + nl.attr(nl.IFLA_IFNAME, name) + body)[:16 + 4 + len(name) + cut]
    try:
        rec = parse(payload)
    except ParseError:
        return
    assert rec["index"] == nl.IFINFOMSG.unpack_from(header)[3]
