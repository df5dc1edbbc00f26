# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Netlink framing (pure) and a small netlink socket (``Conn``).

The framing functions walk a buffer by offsets and never copy it: ``iter_messages`` splits a
datagram into messages, ``iter_attrs`` is the one attribute walker every message parser uses.
Both bound every step by the enclosing length and always advance, so a malformed buffer ends in a
``ParseError``, never in a loop or an ``IndexError``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

from .errors import NetlinkError, ParseError

NETLINK_ROUTE = 0
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11

NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSG_OVERRUN = 4

NLM_F_REQUEST = 0x01
NLM_F_MULTI = 0x02
NLM_F_ACK = 0x04
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200

NLMSGERR_ATTR_MSG = 1

NOISE = frozenset((NLMSG_NOOP, NLMSG_OVERRUN))  # control messages that carry nothing for us
NLA_TYPE_MASK = 0x3FFF  # drops NLA_F_NESTED and NLA_F_NET_BYTEORDER

NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
NLATTR = struct.Struct("=HH")  # len, type
I32 = struct.Struct("=i")
U32 = struct.Struct("=I")

# Route and nexthop dumps need 32 KiB: the kernel sizes dump batches to what the reader can take,
# and a page-sized buffer truncates large multipath messages. Twice that leaves room for any batch.
RECV_BUFFER = 65536


def align(n):
    return (n + 3) & ~3


def iter_messages(buf, length, what="netlink datagram"):
    """Yield ``(type, flags, seq, start, stop)`` for each message in ``buf[:length]``.

    ``start``/``stop`` bound the payload after the 16-byte header.
    """
    off = 0
    hdr = NLMSGHDR.size
    while off + hdr <= length:
        mlen, mtype, mflags, seq, _pid = NLMSGHDR.unpack_from(buf, off)
        if mlen < hdr or off + mlen > length:
            raise ParseError(what, off, "message length %d does not fit the %d bytes left"
                             % (mlen, length - off))
        yield mtype, mflags, seq, off + hdr, off + mlen
        off += align(mlen)


def iter_attrs(buf, start, stop, what="attributes"):
    """Yield ``(type, start, stop)`` for each attribute in ``buf[start:stop]``.

    The type has the nested/byte-order bits masked off. Fewer than 4 bytes left at the end are
    alignment padding, not an attribute.
    """
    off = start
    while off + 4 <= stop:
        alen, atype = NLATTR.unpack_from(buf, off)
        if alen < 4 or off + alen > stop:
            raise ParseError(what, off - start, "attribute %d claims %d bytes, %d left"
                             % (atype & NLA_TYPE_MASK, alen, stop - off))
        yield atype & NLA_TYPE_MASK, off + 4, off + alen
        off += align(alen)


def _walk(buf, start, stop, what):
    """``attr_map``'s walk: the spans, and the offsets of the attribute headers it read.

    One loop, not ``iter_attrs``: a generator step per attribute doubles its cost.
    """
    out = {}
    heads = []
    off = start
    unpack = NLATTR.unpack_from
    while off + 4 <= stop:
        alen, atype = unpack(buf, off)
        end = off + alen
        if alen < 4 or end > stop:
            raise ParseError(what, off - start, "attribute %d claims %d bytes, %d left"
                             % (atype & NLA_TYPE_MASK, alen, stop - off))
        out[atype & NLA_TYPE_MASK] = (off + 4, end)
        heads.append(off)
        off += (alen + 3) & ~3  # aligned relative to the message, as iter_attrs does
    return out, heads


def _layout(buf, start, heads):
    """A layout to recognise: one struct that reads every attribute header, and what it read."""
    fmt, pos = ["="], start
    for off in heads:
        fmt.append("%dxHH" % (off - pos) if off > pos else "HH")
        pos = off + 4
    check = struct.Struct("".join(fmt))
    return check, check.unpack_from(buf, start)


# Messages of one dump mostly share a few layouts: the same attributes, at the same offsets.
# A layout seen twice is kept, and a message that matches it is recognised with one unpack of
# its attribute headers instead of a walk. {(start, stop): None (seen once) or (check, heads, spans)}
_LAYOUTS = {}
_LAYOUT_LIMIT = 512  # bounds the cache in a long-running process


def attr_map(buf, start, stop, what="attributes"):
    """Attributes of one message as ``{type: (start, stop)}``; a repeated type keeps the last.

    The dict may be shared with other messages of the same layout: read it, never change it.
    Layouts are recognised by ``(start, stop)``, so they only recur when each message is passed
    in a buffer of its own (``Conn`` passes a view of each message).
    """
    key = (start, stop)
    known = _LAYOUTS.get(key)
    if known is not None:
        check, heads, spans = known
        if check.unpack_from(buf, start) == heads:
            return spans  # the same headers at the same offsets: the walk would find the same
    spans, offsets = _walk(buf, start, stop, what)
    if key in _LAYOUTS:
        _LAYOUTS[key] = _layout(buf, start, offsets) + (spans,)
    else:
        if len(_LAYOUTS) >= _LAYOUT_LIMIT:
            _LAYOUTS.clear()
        _LAYOUTS[key] = None
    return spans


def cstring(buf, span):
    """The bytes of a string attribute up to its first NUL (the NUL may be missing)."""
    raw = bytes(buf[span[0]:span[1]])
    nul = raw.find(b"\0")
    return raw if nul < 0 else raw[:nul]


def u8(buf, span, what):
    if span[1] <= span[0]:
        raise ParseError(what, span[0], "u8 attribute has no byte")
    return buf[span[0]]


def u32(buf, span, what):
    if span[1] - span[0] < 4:
        raise ParseError(what, span[0], "u32 attribute has %d bytes" % (span[1] - span[0]))
    return U32.unpack_from(buf, span[0])[0]


def pack_attr(atype, payload):
    """One attribute, padded: for building requests."""
    raw = NLATTR.pack(4 + len(payload), atype) + payload
    return raw + b"\0" * (align(len(raw)) - len(raw))


def decode_error(buf, start, stop, mflags, request):
    """The ``NetlinkError`` an ``NLMSG_ERROR`` payload carries, or None for an ACK."""
    if stop - start < 4:
        raise ParseError("NLMSG_ERROR", start, "payload of %d bytes" % (stop - start))
    code = -I32.unpack_from(buf, start)[0]
    if code == 0:
        return None
    extack = None
    if mflags & NLM_F_ACK_TLVS and stop - start >= 4 + NLMSGHDR.size:
        # The extended ack follows the echoed request: its header only when capped.
        echoed = NLMSGHDR.size if mflags & NLM_F_CAPPED else NLMSGHDR.unpack_from(buf, start + 4)[0]
        for atype, s, e in iter_attrs(buf, start + 4 + align(echoed), stop, "extended ack"):
            if atype == NLMSGERR_ATTR_MSG:
                extack = cstring(buf, (s, e)).decode("utf-8", "replace")
    return NetlinkError(code, request, extack)


class Conn:
    """A NETLINK_ROUTE socket that sends requests and walks their answers.

    Handlers get ``(type, view, 0, length)`` for each message: a view of that message alone, so
    that ``attr_map`` recognises layouts that recur. The view's memory is reused for the next
    datagram, so a handler copies what it keeps.
    """

    def __init__(self, protocol=NETLINK_ROUTE, family=None, address=(0, 0), recv_flags=None):
        """Linux by default. Another OS's netlink passes its ``family`` number (FreeBSD: 38, which
        a Python without netlink support has no constant for), ``address=None`` when Python cannot
        pack its ``sockaddr_nl`` (the socket is then left unbound and requests go out with
        ``send``), and ``recv_flags=0`` where ``MSG_TRUNC`` does not report a datagram's length."""
        self.sock = socket.socket(socket.AF_NETLINK if family is None else family, socket.SOCK_RAW, protocol)
        try:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        except OSError:
            pass  # older kernels: errors just carry no text
        self.address = address
        if address is not None:
            self.sock.bind(address)
        self.recv_flags = socket.MSG_TRUNC if recv_flags is None else recv_flags
        self.seq = 0
        self.buf = bytearray(RECV_BUFFER)
        self.view = memoryview(self.buf)

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, mtype, flags, payload):
        self.seq += 1
        data = NLMSGHDR.pack(NLMSGHDR.size + len(payload), mtype, flags, self.seq, 0) + payload
        if self.address is None:
            self.sock.send(data)
        else:
            self.sock.sendto(data, self.address)
        return self.seq

    def dump(self, mtype, payload, handler, request):
        """Run one dump; return True when the kernel flagged it as interrupted."""
        seq = self.send(mtype, NLM_F_REQUEST | NLM_F_DUMP, payload)
        flags = 0
        view = self.view
        while True:
            for mtype_, mflags, start, stop in self._receive(seq, request):
                flags |= mflags
                if mtype_ == NLMSG_DONE:
                    self._check_done(start, stop, request)
                    return bool(flags & NLM_F_DUMP_INTR)
                handler(mtype_, view[start:stop], 0, stop - start)

    def request(self, mtype, payload, handler, request):
        """Send one request that is answered by one message (or an error)."""
        seq = self.send(mtype, NLM_F_REQUEST, payload)
        while True:
            for mtype_, _flags, start, stop in self._receive(seq, request):
                return handler(mtype_, self.view[start:stop], 0, stop - start)

    def _receive(self, seq, request):
        """One datagram's messages of our sequence, errors raised, noise dropped."""
        n = self.sock.recv_into(self.buf, 0, self.recv_flags)
        if n > len(self.buf):
            raise ParseError(request, 0, "datagram of %d bytes truncated to %d" % (n, len(self.buf)))
        out = []
        for mtype, mflags, mseq, start, stop in iter_messages(self.buf, n, request):
            if mseq != seq or mtype in NOISE:
                continue
            if mtype == NLMSG_ERROR:
                err = decode_error(self.buf, start, stop, mflags, request)
                if err is not None:
                    raise err
                continue
            out.append((mtype, mflags, start, stop))
        return out

    def _check_done(self, start, stop, request):
        # A dump that fails part-way reports the negative errno in NLMSG_DONE's payload.
        if stop - start >= 4:
            code = -I32.unpack_from(self.buf, start)[0]
            if code > 0:
                raise NetlinkError(code, request)
