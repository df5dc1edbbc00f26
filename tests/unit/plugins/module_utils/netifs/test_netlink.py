# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.netlink: framing walkers, error decoding, request builders and Conn over a fake
socket (dumps split over datagrams, NLM_F_DUMP_INTR, NLMSG_DONE errors, MSG_TRUNC)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import os
import socket
import struct

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import nlbuild as nl
from fakes import Exhausted, FakeSocket, bounded, make_conn

from netifs import netlink, rtnetlink
from netifs.errors import NetifsError, NetlinkError, ParseError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INT_MIN = struct.pack("=i", -2 ** 31)


def messages(buf, length=None):
    return list(netlink.iter_messages(buf, len(buf) if length is None else length))


def attrs(buf, start=0, stop=None):
    return list(netlink.iter_attrs(buf, start, len(buf) if stop is None else stop))


# --- iter_messages -------------------------------------------------------------------------------

def test_align():
    assert [netlink.align(n) for n in range(9)] == [0, 4, 4, 4, 4, 8, 8, 8, 8]


def test_iter_messages_walks_unaligned_lengths_at_aligned_offsets():
    first = nl.msg(nl.RTM_NEWLINK, b"abcde", flags=nl.NLM_F_MULTI, seq=7)  # nlmsg_len 21, padded to 24
    second = nl.msg(nl.NLMSG_DONE, nl.s32(0), flags=nl.NLM_F_MULTI | nl.NLM_F_DUMP_INTR, seq=8)
    third = nl.msg(nl.NLMSG_NOOP, b"", seq=9)  # header only
    buf = first + second + third
    assert len(first) == 24
    assert messages(buf) == [
        (nl.RTM_NEWLINK, nl.NLM_F_MULTI, 7, 16, 21),
        (nl.NLMSG_DONE, nl.NLM_F_MULTI | nl.NLM_F_DUMP_INTR, 8, 40, 44),
        (nl.NLMSG_NOOP, 0, 9, 60, 60),
    ]


def test_iter_messages_last_message_without_padding():
    buf = nl.msg(nl.RTM_NEWADDR, b"xyz")[:19]  # nlmsg_len 19, the datagram ends right there
    assert messages(buf) == [(nl.RTM_NEWADDR, 0, 1, 16, 19)]


def test_iter_messages_empty_and_short_tail():
    assert messages(b"") == []
    one = nl.msg(nl.NLMSG_DONE, nl.s32(0))
    for tail in range(1, 16):  # fewer bytes than a header left: not a message
        assert messages(one + b"\0" * tail) == [(nl.NLMSG_DONE, 0, 1, 16, 20)]


def test_iter_messages_honours_length_not_buffer_size():
    buf = bytearray(nl.msg(nl.RTM_NEWLINK, b"abcd", seq=1) + nl.msg(nl.RTM_NEWLINK, b"efgh", seq=2))
    buf += bytearray(64)  # a reused receive buffer with stale bytes
    assert messages(buf, 20) == [(nl.RTM_NEWLINK, 0, 1, 16, 20)]


@pytest.mark.parametrize("mlen", [0, 1, 15])
def test_iter_messages_length_below_header(mlen):
    buf = nl.msg(nl.RTM_NEWLINK, b"", length=mlen) + nl.msg(nl.NLMSG_DONE, nl.s32(0))
    with pytest.raises(ParseError) as info:
        messages(buf)
    assert info.value.offset == 0
    assert info.value.what == "netlink datagram"


def test_iter_messages_length_past_end_after_a_good_message():
    good = nl.msg(nl.RTM_NEWLINK, b"abcd", seq=3)
    bad = nl.msg(nl.RTM_NEWLINK, b"abcd", length=200)
    gen = netlink.iter_messages(good + bad, len(good + bad), "test dump")
    assert next(gen) == (nl.RTM_NEWLINK, 0, 3, 16, 20)
    with pytest.raises(ParseError) as info:
        next(gen)
    assert (info.value.what, info.value.offset) == ("test dump", len(good))


def test_iter_messages_every_truncation():
    buf = (nl.msg(nl.RTM_NEWLINK, b"abcde", seq=1) + nl.msg(nl.RTM_NEWLINK, b"", seq=2)
           + nl.msg(nl.NLMSG_DONE, nl.s32(0), seq=3))
    full = messages(buf)
    for cut in range(len(buf) + 1):
        try:
            got = bounded(lambda: messages(buf[:cut]))
        except ParseError:
            continue
        assert got == full[:len(got)]
        assert all(stop <= cut for _t, _f, _s, _start, stop in got)


# --- iter_attrs / attr_map / cstring / u32 -------------------------------------------------------

def test_iter_attrs_spans_and_alignment():
    buf = b"HDR!" + nl.attr(3, b"eth0\0") + nl.attr(4, nl.u32(1500)) + nl.attr(7)
    assert attrs(buf, 4) == [(3, 8, 13), (4, 20, 24), (7, 28, 28)]


def test_iter_attrs_masks_nested_and_byteorder_bits():
    buf = nl.attr(18 | nl.NLA_F_NESTED, b"") + nl.attr(5 | nl.NLA_F_NET_BYTEORDER, b"\0\x01")
    assert [t for t, _s, _e in attrs(buf)] == [18, 5]


def test_iter_attrs_zero_payload_attribute_at_the_end_advances():
    buf = nl.attr(1, nl.u32(9)) + nl.attr(2)
    assert bounded(lambda: attrs(buf)) == [(1, 4, 8), (2, 12, 12)]


@pytest.mark.parametrize("pad", [1, 2, 3])
def test_iter_attrs_trailing_padding_is_not_an_attribute(pad):
    buf = nl.attr(1, b"ab", pad=False) + b"\0" * pad
    assert attrs(buf) == [(1, 4, 6)]


def test_iter_attrs_last_attribute_without_padding():
    buf = nl.attr(1, nl.u32(1)) + nl.attr(2, b"x", pad=False)
    assert attrs(buf) == [(1, 4, 8), (2, 12, 13)]


@pytest.mark.parametrize("alen", [0, 1, 2, 3])
def test_iter_attrs_length_below_header(alen):
    buf = nl.attr(1, nl.u32(1)) + nl.attr(9, b"", length=alen) + nl.attr(2, nl.u32(2))
    with pytest.raises(ParseError) as info:
        bounded(lambda: attrs(buf))
    assert info.value.offset == 8


def test_iter_attrs_length_past_the_end():
    buf = b"head" + nl.attr(1, nl.u32(1)) + nl.attr(9, nl.u32(7), length=9)
    with pytest.raises(ParseError) as info:
        attrs(buf, 4)
    assert info.value.offset == 8  # relative to start
    assert "attribute 9 claims 9 bytes, 8 left" in str(info.value)


def test_iter_attrs_bounded_by_stop_not_buffer():
    buf = nl.attr(1, nl.u32(1)) + nl.attr(2, nl.u32(2))
    assert attrs(buf, 0, 8) == [(1, 4, 8)]
    with pytest.raises(ParseError):
        attrs(buf, 0, 12)  # the second attribute would run past stop


def test_attr_map_last_repeat_wins():
    buf = nl.attr(1, b"aaaa") + nl.attr(2, b"bb") + nl.attr(1, b"cccc")
    assert netlink.attr_map(buf, 0, len(buf)) == {1: (20, 24), 2: (12, 14)}


@FUZZ
@given(st.binary(max_size=200), st.sampled_from([0, 4, 8, 16]))
def test_attr_map_is_iter_attrs_last_wins(data, lead):
    buf = b"\0" * lead + data
    try:
        expected = {}
        for t, s, e in attrs(buf, lead):
            expected[t] = (s, e)
    except ParseError:
        with pytest.raises(ParseError):
            netlink.attr_map(buf, lead, len(buf))
        return
    assert netlink.attr_map(buf, lead, len(buf)) == expected


# attr_map aligns each attribute's length relative to the start, as iter_attrs does, so the two
# walk alike even when start is not 4-aligned (Conn's messages always are; other callers' may not be).
@pytest.mark.parametrize("lead", [1, 2, 3, 5])
def test_attr_map_unaligned_start(lead):
    buf = b"\xee" * lead + nl.attr(3, b"eth0\0") + nl.attr(4, nl.u32(1500))
    assert netlink.attr_map(buf, lead, len(buf)) == {t: (s, e) for t, s, e in attrs(buf, lead)}


# --- attr_map's layout cache ---------------------------------------------------------------------

def walked(buf, start=0):
    out = {}
    for t, s, e in attrs(buf, start):
        out[t] = (s, e)
    return out


# Same length, same first attribute, different layouts: a cache keyed by (start, stop) alone
# would hand one message the other's spans.
SAME_LENGTH = [
    nl.attr(1, b"abcd") + nl.attr(2, b"efgh"),
    nl.attr(1, b"abcdefgh") + nl.attr(2, b""),
    nl.attr(1, b"abcd") + nl.attr(3, b"efgh"),
    nl.attr(1, b"ab") + nl.attr(2, b"efgh"),
    nl.attr(2, b"abcdefghijkl"),
]


def test_attr_map_layout_cache_never_mixes_layouts_of_one_length():
    assert len({len(buf) for buf in SAME_LENGTH}) == 1
    for _round in range(3):  # the first round teaches the layouts, the others meet them again
        for buf in SAME_LENGTH + SAME_LENGTH[::-1]:
            assert netlink.attr_map(buf, 0, len(buf)) == walked(buf)


def test_attr_map_recognises_a_layout_it_has_seen_twice():
    netlink._LAYOUTS.clear()
    first, second = nl.attr(7, b"one!"), nl.attr(7, b"two!")
    netlink.attr_map(first, 0, 8)
    assert netlink._LAYOUTS[(0, 8)] is None  # seen once: nothing compiled
    netlink.attr_map(second, 0, 8)
    known = netlink.attr_map(first, 0, 8)
    assert netlink._LAYOUTS[(0, 8)][2] is known  # recognised: the kept spans themselves
    assert known == {7: (4, 8)}


def test_attr_map_layout_cache_is_bounded():
    netlink._LAYOUTS.clear()
    for stop in range(4, 4 + 4 * (netlink._LAYOUT_LIMIT + 50), 4):
        buf = nl.attr(1, b"x" * (stop - 4))
        for _twice in range(2):
            assert netlink.attr_map(buf, 0, stop) == {1: (4, stop)}
        assert len(netlink._LAYOUTS) <= netlink._LAYOUT_LIMIT


def test_attr_map_layout_cache_then_a_malformed_message_of_that_length():
    good = nl.attr(1, b"abcd") + nl.attr(2, b"efgh")
    for _twice in range(2):
        netlink.attr_map(good, 0, len(good))
    bad = good[:8] + struct.pack("=HH", 40, 2) + good[12:]  # the second header claims too much
    with pytest.raises(ParseError):
        netlink.attr_map(bad, 0, len(bad))
    assert netlink.attr_map(good, 0, len(good)) == walked(good)


ATTRIBUTE = st.tuples(st.integers(0, 0xFFFF), st.binary(max_size=12))


@FUZZ
@given(st.lists(st.lists(ATTRIBUTE, max_size=5), min_size=2, max_size=12), st.integers(0, 8))
def test_attr_map_layout_cache_fuzz(layouts, slack):
    """Messages cut to one length (some malformed, so that errors meet the cache too), each
    parsed several times in turn: the cache must answer exactly as a walk does."""
    bufs = [b"".join(nl.attr(t, p) for t, p in layout) for layout in layouts]
    size = max(len(b) for b in bufs) + slack + 4
    bufs = [(b + b"\0" * size)[:size] for b in bufs]
    bufs += [b[:size - 4] + b"\xff" * 4 for b in bufs]  # a header there claims 0xffff bytes
    for _round in range(3):
        for buf in bufs:
            try:
                expected = walked(buf)
            except ParseError:
                with pytest.raises(ParseError):
                    netlink.attr_map(buf, 0, size)
                continue
            assert netlink.attr_map(buf, 0, size) == expected


@pytest.mark.parametrize("raw, expected", [
    (b"eth0\0", b"eth0"), (b"eth0", b"eth0"), (b"a\0b\0", b"a"), (b"", b""), (b"\0", b""),
])
def test_cstring(raw, expected):
    buf = b"xx" + raw + b"yy"
    assert netlink.cstring(buf, (2, 2 + len(raw))) == expected


def test_u32():
    buf = b"\0" + nl.u32(0xDEADBEEF) + b"\0"
    assert netlink.u32(buf, (1, 5), "X") == 0xDEADBEEF
    assert netlink.u32(buf, (1, 6), "X") == 0xDEADBEEF  # longer: the first 4 bytes
    with pytest.raises(ParseError) as info:
        netlink.u32(buf, (1, 4), "IFLA_MTU")
    assert (info.value.what, info.value.offset) == ("IFLA_MTU", 1)


def test_u8():
    buf = b"\x07\x03\x09"
    assert netlink.u8(buf, (1, 2), "X") == 3
    assert netlink.u8(buf, (1, 3), "X") == 3  # longer: the first byte
    for span in ((1, 1), (3, 3), (2, 1)):  # empty: never the next attribute's byte
        with pytest.raises(ParseError) as info:
            netlink.u8(buf, span, "RTA_PREF")
        assert (info.value.what, info.value.offset) == ("RTA_PREF", span[0])


@pytest.mark.parametrize("size", range(0, 9))
def test_pack_attr_matches_independent_builder(size):
    payload = bytes(range(1, size + 1))
    assert netlink.pack_attr(29, payload) == nl.attr(29, payload)


# --- request builders (rtnetlink) ----------------------------------------------------------------

def test_request_builders():
    assert rtnetlink.link_dump(True) == nl.ifinfomsg(index=0, arphrd=0) + nl.attr(nl.IFLA_EXT_MASK, nl.u32(0))
    assert rtnetlink.link_dump(False) == (nl.ifinfomsg(index=0, arphrd=0)
                                          + nl.attr(nl.IFLA_EXT_MASK, nl.u32(1 << 3)))
    assert rtnetlink.family_dump(nl.AF_INET6) == nl.ifaddrmsg(family=nl.AF_INET6, prefixlen=0, index=0)
    assert rtnetlink.family_dump(nl.AF_UNSPEC) == nl.nhmsg(family=0, scope=0, protocol=0)
    assert rtnetlink.route_dump(nl.AF_INET) == nl.rtmsg(family=nl.AF_INET, table=0, protocol=0, rtype=0)


def test_route_get_request():
    packed = nl.ip("2001:db8::1")
    assert rtnetlink.route_get(nl.AF_INET6, packed, oif=3) == (
        nl.rtmsg(family=nl.AF_INET6, dst_len=128, table=0, protocol=0, rtype=0, flags=nl.RTM_F_LOOKUP_TABLE)
        + nl.attr(nl.RTA_DST, packed) + nl.attr(nl.RTA_OIF, nl.u32(3)))
    packed = nl.ip("192.0.2.1")
    assert rtnetlink.route_get(nl.AF_INET, packed) == (
        nl.rtmsg(family=nl.AF_INET, dst_len=32, table=0, protocol=0, rtype=0, flags=nl.RTM_F_LOOKUP_TABLE)
        + nl.attr(nl.RTA_DST, packed))


def test_scope_name():
    assert [rtnetlink.scope_name(s) for s in (0, 200, 253, 254, 255, 17)] == [
        "global", "site", "link", "host", "nowhere", "17"]


# --- decode_error --------------------------------------------------------------------------------

def error_payload(message):
    """(buf, start, stop, flags) of the NLMSG_ERROR message ``message``."""
    [(mtype, flags, _seq, start, stop)] = messages(message)
    assert mtype == nl.NLMSG_ERROR
    return message, start, stop, flags


def test_decode_error_ack_is_none():
    buf, start, stop, flags = error_payload(nl.error(0))
    assert netlink.decode_error(buf, start, stop, flags, "x") is None


def test_decode_error_plain():
    buf, start, stop, flags = error_payload(nl.error(errno.ENOENT))
    err = netlink.decode_error(buf, start, stop, flags, "route lookup")
    assert isinstance(err, NetlinkError)
    assert (err.errno, err.request, err.extack) == (errno.ENOENT, "route lookup", None)
    assert str(err) == "route lookup failed: [Errno %d] %s" % (errno.ENOENT, os.strerror(errno.ENOENT))


def test_decode_error_extended_ack_uncapped():
    request = nl.msg(nl.RTM_GETROUTE, nl.rtmsg(table=0) + nl.attr(nl.RTA_DST, nl.ip("10.1.2.3")) + b"odd",
                     flags=nl.NLM_F_REQUEST, seq=5)
    buf, start, stop, flags = error_payload(nl.error(
        errno.ENETUNREACH, request=request, seq=5, ext_msg="Nexthop device is not up",
        ext_attrs=[nl.attr(nl.NLMSGERR_ATTR_OFFS, nl.u32(28))]))
    assert flags == nl.NLM_F_ACK_TLVS
    err = netlink.decode_error(buf, start, stop, flags, "route lookup")
    assert (err.errno, err.extack) == (errno.ENETUNREACH, "Nexthop device is not up")
    assert str(err).endswith("(Nexthop device is not up)")


def test_decode_error_extended_ack_capped():
    request = nl.msg(nl.RTM_GETLINK, nl.ifinfomsg(index=0) + nl.attr(nl.IFLA_EXT_MASK, nl.u32(8)),
                     flags=nl.NLM_F_REQUEST | nl.NLM_F_DUMP)
    buf, start, stop, flags = error_payload(nl.error(errno.EINVAL, request=request, capped=True,
                                                     ext_msg="Invalid header for link dump"))
    assert flags == nl.NLM_F_CAPPED | nl.NLM_F_ACK_TLVS
    assert stop - start == 4 + 16 + len(nl.attr(1, nl.cstr("Invalid header for link dump")))
    err = netlink.decode_error(buf, start, stop, flags, "interfaces dump")
    assert (err.errno, err.extack) == (errno.EINVAL, "Invalid header for link dump")


def test_decode_error_extack_text_not_utf8():
    buf, start, stop, flags = error_payload(nl.error(errno.EINVAL, capped=True, ext_msg=b"bad \xff byte"))
    assert netlink.decode_error(buf, start, stop, flags, "x").extack == u"bad \ufffd byte"


def test_decode_error_tlvs_flag_without_room_gives_no_text():
    message = nl.msg(nl.NLMSG_ERROR, nl.s32(-errno.EPERM), flags=nl.NLM_F_ACK_TLVS)
    buf, start, stop, flags = error_payload(message)
    err = netlink.decode_error(buf, start, stop, flags, "x")
    assert (err.errno, err.extack) == (errno.EPERM, None)


def test_decode_error_without_tlv_flag_ignores_trailing_attributes():
    message = nl.msg(nl.NLMSG_ERROR, nl.s32(-errno.EPERM) + nl.msg(18, b"", seq=1)
                     + nl.attr(nl.NLMSGERR_ATTR_MSG, nl.cstr("ignored")), flags=0)
    buf, start, stop, flags = error_payload(message)
    assert netlink.decode_error(buf, start, stop, flags, "x").extack is None


@pytest.mark.parametrize("size", [0, 1, 2, 3])
def test_decode_error_short_payload(size):
    buf = b"\xff" * size
    with pytest.raises(ParseError) as info:
        netlink.decode_error(buf, 0, size, 0, "x")
    assert info.value.what == "NLMSG_ERROR"


def test_decode_error_malformed_extack_is_a_parse_error():
    good = nl.error(errno.EINVAL, capped=True, ext_msg="m")
    bad = bytearray(good)
    struct.pack_into("=H", bad, 16 + 4 + 16, 200)  # the TLV claims 200 bytes
    buf, start, stop, flags = error_payload(bytes(bad))
    with pytest.raises(ParseError):
        netlink.decode_error(buf, start, stop, flags, "x")


def test_decode_error_int_min_is_not_an_overflow():
    # INT_MIN negated is 2**31, a code no errno has: the error says so instead of overflowing.
    err = netlink.decode_error(INT_MIN, 0, 4, 0, "x")
    assert isinstance(err, NetlinkError)
    assert err.errno == 2 ** 31
    assert str(err) == "x failed: [Errno 2147483648] unknown error"


@pytest.mark.parametrize("code", [2 ** 31, 2 ** 40])
def test_netlink_error_text_without_strerror(code):
    text = str(NetlinkError(code, "route lookup", "extack text"))
    assert text.startswith("route lookup failed: [Errno %d] " % code)
    assert text.endswith(" (extack text)")
    assert "unknown error" in text


@FUZZ
@given(payload=st.binary(max_size=96), flags=st.integers(0, 0xFFFF))
@example(payload=INT_MIN, flags=0)
def test_decode_error_fuzz(payload, flags):
    try:
        err = netlink.decode_error(payload, 0, len(payload), flags, "x")
    except ParseError:
        return
    assert err is None or isinstance(err, NetlinkError)


# --- property tests on the walkers ---------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=512))
def test_iter_messages_fuzz(data):
    try:
        got = messages(data)
    except ParseError:
        return
    assert len(got) <= len(data) // 16
    for _t, _f, _s, start, stop in got:
        assert 16 <= start <= stop <= len(data)


@FUZZ
@given(st.binary(max_size=512))
def test_iter_attrs_fuzz(data):
    try:
        got = attrs(data)
    except ParseError:
        return
    assert len(got) <= len(data) // 4
    for t, start, stop in got:
        assert 0 <= t <= 0x3FFF and 4 <= start <= stop <= len(data)


# --- Conn over a fake socket ---------------------------------------------------------------------

def linkmsg(index, seq=1, flags=nl.NLM_F_MULTI):
    return nl.msg(nl.RTM_NEWLINK, nl.link(index, "if%d" % index), flags=flags, seq=seq)


def collect(into):
    def handler(mtype, buf, start, stop):
        into.append((mtype, bytes(buf[start:stop])))
    return handler


def test_conn_init_sets_ext_ack_and_binds(monkeypatch):
    sock = FakeSocket()
    conn = make_conn(monkeypatch, sock)
    assert conn.created_with == [(socket.AF_NETLINK, socket.SOCK_RAW, 0)]
    assert sock.sockopts == [(nl.SOL_NETLINK, nl.NETLINK_EXT_ACK, 1)]
    assert sock.bound == (0, 0)
    assert (conn.seq, len(conn.buf)) == (0, 65536)
    with conn:
        pass
    assert sock.closed


def test_conn_init_tolerates_kernels_without_ext_ack(monkeypatch):
    sock = FakeSocket()
    sock.fail_setsockopt = True
    conn = make_conn(monkeypatch, sock)
    assert sock.bound == (0, 0)
    assert conn.seq == 0


def test_conn_send_header(monkeypatch):
    sock = FakeSocket()
    conn = make_conn(monkeypatch, sock)
    assert conn.send(nl.RTM_GETADDR, nl.NLM_F_REQUEST | nl.NLM_F_DUMP, b"12345678") == 1
    assert conn.send(nl.RTM_GETADDR, nl.NLM_F_REQUEST, b"") == 2
    assert sock.sent == [
        (struct.pack("=IHHII", 24, nl.RTM_GETADDR, 0x301, 1, 0) + b"12345678", (0, 0)),
        (struct.pack("=IHHII", 16, nl.RTM_GETADDR, 0x001, 2, 0), (0, 0)),
    ]


def test_conn_dump_split_across_datagrams(monkeypatch):
    sock = FakeSocket([linkmsg(1) + linkmsg(2), linkmsg(3), linkmsg(4) + nl.done(1)])
    conn = make_conn(monkeypatch, sock)
    got = []
    assert conn.dump(nl.RTM_GETLINK, b"req", collect(got), "interfaces dump") is False
    assert got == [(nl.RTM_NEWLINK, nl.link(i, "if%d" % i)) for i in (1, 2, 3, 4)]
    assert sock.sent[0][0][4:8] == struct.pack("=HH", nl.RTM_GETLINK, nl.NLM_F_REQUEST | nl.NLM_F_DUMP)
    assert all(flags & socket.MSG_TRUNC for flags in sock.recv_flags)
    assert sock.queue == []


def test_conn_hands_each_message_a_view_of_its_own(monkeypatch):
    sock = FakeSocket([linkmsg(1) + linkmsg(22), nl.done(1)])
    conn = make_conn(monkeypatch, sock)
    seen = []

    def handler(mtype, buf, start, stop):
        seen.append((type(buf), start, stop, len(buf), bytes(buf[start:stop])))
    conn.dump(nl.RTM_GETLINK, b"", handler, "interfaces dump")
    assert seen == [(memoryview, 0, len(nl.link(i, "if%d" % i)), len(nl.link(i, "if%d" % i)), nl.link(i, "if%d" % i))
                    for i in (1, 22)]


def test_conn_dump_stops_at_done(monkeypatch):
    sock = FakeSocket([linkmsg(1) + nl.done(1) + linkmsg(9)])
    got = []
    assert make_conn(monkeypatch, sock).dump(18, b"", collect(got), "d") is False
    assert got == [(nl.RTM_NEWLINK, nl.link(1, "if1"))]


def test_conn_dump_empty(monkeypatch):
    got = []
    assert make_conn(monkeypatch, FakeSocket([nl.done(1)])).dump(18, b"", collect(got), "d") is False
    assert got == []


@pytest.mark.parametrize("where", ["first", "middle", "done"])
def test_conn_dump_interrupted(monkeypatch, where):
    intr = nl.NLM_F_MULTI | nl.NLM_F_DUMP_INTR
    msgs = [linkmsg(1, flags=intr if where == "first" else nl.NLM_F_MULTI),
            linkmsg(2, flags=intr if where == "middle" else nl.NLM_F_MULTI),
            linkmsg(3), nl.done(1, flags=intr if where == "done" else nl.NLM_F_MULTI)]
    sock = FakeSocket([msgs[0], msgs[1] + msgs[2], msgs[3]])
    got = []
    assert make_conn(monkeypatch, sock).dump(18, b"", collect(got), "d") is True
    assert [m[1] for m in got] == [nl.link(i, "if%d" % i) for i in (1, 2, 3)]


def test_conn_dump_done_with_errno(monkeypatch):
    sock = FakeSocket([linkmsg(1), nl.done(1, error=errno.EBUSY)])
    with pytest.raises(NetlinkError) as info:
        make_conn(monkeypatch, sock).dump(18, b"", collect([]), "routes dump")
    assert (info.value.errno, info.value.request) == (errno.EBUSY, "routes dump")


def test_conn_dump_done_without_payload(monkeypatch):
    sock = FakeSocket([nl.msg(nl.NLMSG_DONE, b"", seq=1)])
    assert make_conn(monkeypatch, sock).dump(18, b"", collect([]), "d") is False


def test_conn_dump_ignores_other_sequences_and_noise(monkeypatch):
    sock = FakeSocket([
        linkmsg(7, seq=99) + nl.error(errno.EPERM, seq=99) + nl.done(99, error=errno.EIO),
        nl.msg(nl.NLMSG_NOOP, b"", seq=1) + linkmsg(1) + nl.msg(nl.NLMSG_OVERRUN, b"", seq=1),
        nl.error(0, seq=1) + nl.done(1),  # an ACK inside the dump is skipped too
    ])
    got = []
    assert make_conn(monkeypatch, sock).dump(18, b"", collect(got), "d") is False
    assert got == [(nl.RTM_NEWLINK, nl.link(1, "if1"))]


def test_conn_dump_error_reply(monkeypatch):
    sock = FakeSocket([nl.error(errno.EOPNOTSUPP, seq=1, capped=True, ext_msg="not here")])
    with pytest.raises(NetlinkError) as info:
        make_conn(monkeypatch, sock).dump(58, b"", collect([]), "multicast dump")
    assert (info.value.errno, info.value.extack, info.value.request) == (
        errno.EOPNOTSUPP, "not here", "multicast dump")


def test_conn_dump_oversized_datagram(monkeypatch):
    big = nl.msg(nl.RTM_NEWROUTE, b"\0" * 70000, seq=1)
    sock = FakeSocket([big])
    with pytest.raises(ParseError) as info:
        make_conn(monkeypatch, sock).dump(26, b"", collect([]), "routes dump")
    assert info.value.what == "routes dump"
    assert "datagram of %d bytes truncated to 65536" % len(big) in str(info.value)


def test_conn_dump_exactly_buffer_sized_datagram(monkeypatch):
    body = nl.msg(nl.RTM_NEWROUTE, b"\0" * (65536 - 16 - 20), seq=1)
    sock = FakeSocket([body + nl.done(1)])
    assert len(sock.queue[0]) == 65536
    got = []
    assert make_conn(monkeypatch, sock).dump(26, b"", collect(got), "d") is False
    assert got == [(nl.RTM_NEWROUTE, b"\0" * (65536 - 36))]


def test_conn_dump_malformed_datagram(monkeypatch):
    sock = FakeSocket([linkmsg(1) + nl.msg(nl.RTM_NEWLINK, b"", length=3)])
    with pytest.raises(ParseError):
        make_conn(monkeypatch, sock).dump(18, b"", collect([]), "d")


def test_conn_request_returns_handler_result(monkeypatch):
    answer = nl.msg(nl.RTM_NEWROUTE, b"route!", seq=1)
    sock = FakeSocket([linkmsg(5, seq=42), answer])
    conn = make_conn(monkeypatch, sock)
    result = conn.request(nl.RTM_GETROUTE, b"q", lambda t, buf, s, e: (t, bytes(buf[s:e])), "lookup")
    assert result == (nl.RTM_NEWROUTE, b"route!")
    assert sock.sent[0][0][4:8] == struct.pack("=HH", nl.RTM_GETROUTE, nl.NLM_F_REQUEST)


def test_conn_request_error(monkeypatch):
    sock = FakeSocket([nl.error(errno.ENETUNREACH, seq=1)])
    with pytest.raises(NetlinkError) as info:
        make_conn(monkeypatch, sock).request(26, b"q", collect([]), "route lookup")
    assert info.value.errno == errno.ENETUNREACH


def test_conn_sequence_numbers_advance(monkeypatch):
    sock = FakeSocket([nl.done(1), linkmsg(1, seq=1) + nl.done(2)])
    conn = make_conn(monkeypatch, sock)
    assert conn.dump(18, b"", collect([]), "d") is False
    got = []
    assert conn.dump(18, b"", collect(got), "d") is False
    assert got == []  # the stale seq-1 message is not part of dump 2
    assert conn.seq == 2


@FUZZ
@given(st.lists(st.binary(max_size=200), min_size=1, max_size=3), st.booleans())
@example([INT_MIN], True)  # an NLMSG_ERROR carrying INT_MIN
@example([nl.msg(nl.NLMSG_ERROR, INT_MIN, seq=1)], False)
def test_conn_dump_fuzz(datagrams, structured):
    if structured:  # give the walker real headers with our sequence number, random contents
        datagrams = [nl.msg(t, d, flags=f, seq=1) for t, f, d in
                     zip((2, 3, 16, 2), (0, 0x10, 0x200, 0x300), datagrams)]
    sock = FakeSocket(datagrams)
    with pytest.MonkeyPatch.context() as patch:
        conn = make_conn(patch, sock)
        try:
            result = bounded(lambda: conn.dump(18, b"", collect([]), "d"))
        except (NetifsError, Exhausted):
            return
    assert result in (True, False)


# --- every message parser inherits the walker's guarantees ---------------------------------------

def _parsers():
    from netifs.addresses import parse_address, parse_multicast
    from netifs.links import parse_link
    from netifs.nexthops import parse_nexthop
    from netifs.routes import parse_route
    return [
        (parse_link, nl.link(2, "eth0", nl.attr(nl.IFLA_MTU, nl.u32(1500)))),
        (parse_address, nl.address(nl.AF_INET, 24, 2, nl.attr(nl.IFA_LOCAL, nl.ip("10.0.0.1")))),
        (parse_multicast, nl.multicast(nl.AF_INET6, 2, "ff02::1")),
        (parse_route, nl.route(nl.attr(nl.RTA_OIF, nl.u32(2)))),
        (parse_nexthop, nl.nexthop(1, oif=2)),
    ]


PARSER_IDS = ["link", "address", "multicast", "route", "nexthop"]


@pytest.mark.parametrize("case", range(5), ids=PARSER_IDS)
@pytest.mark.parametrize("alen", [0, 1, 2, 3])
def test_parsers_attribute_shorter_than_its_header(case, alen):
    parse, payload = _parsers()[case]
    buf = payload + nl.attr(999, b"", length=alen)
    with pytest.raises(ParseError):
        bounded(lambda: parse(buf, 0, len(buf)))


@pytest.mark.parametrize("case", range(5), ids=PARSER_IDS)
@pytest.mark.parametrize("extra", [4, 5, 100])
def test_parsers_attribute_past_the_end(case, extra):
    parse, payload = _parsers()[case]
    buf = payload + nl.attr(999, b"abcd", length=8 + extra)
    with pytest.raises(ParseError):
        parse(buf, 0, len(buf))


@pytest.mark.parametrize("case", range(5), ids=PARSER_IDS)
@pytest.mark.parametrize("tail", [nl.attr(999), nl.attr(999) + nl.attr(998), b"\0", b"\0\0", b"\0\0\0",
                                  nl.attr(999, b"x", pad=False), nl.attr(999) + b"\0\0\0"])
def test_parsers_empty_attributes_and_padding_at_the_end(case, tail):
    parse, payload = _parsers()[case]
    buf = payload + tail
    assert bounded(lambda: parse(buf, 0, len(buf))) == parse(payload, 0, len(payload))
