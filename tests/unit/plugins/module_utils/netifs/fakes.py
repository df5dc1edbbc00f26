# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test doubles: a netlink socket that replays prepared datagrams, a scripted kernel behind it,
and a guard that turns a hang into a test failure."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import errno
import socket
import threading
import types

import nlbuild as nl


class Exhausted(Exception):
    """The code under test asked for a datagram when none was queued (a real socket would block)."""


class FakeSocket:
    """Stands in for the AF_NETLINK socket of ``netlink.Conn``.

    ``recv_into`` follows MSG_TRUNC semantics: it copies at most the buffer's size and returns the
    datagram's REAL length when MSG_TRUNC is passed. ``responder(mtype, flags, seq, payload, raw)``
    is called for each ``sendto`` and returns the datagrams to queue.
    """

    def __init__(self, datagrams=(), responder=None):
        self.queue = list(datagrams)
        self.responder = responder
        self.sent = []
        self.sockopts = []
        self.bound = None
        self.closed = False
        self.recv_flags = []
        self.fail_setsockopt = False

    def setsockopt(self, level, option, value):
        if self.fail_setsockopt:
            raise OSError(92, "Protocol not available")
        self.sockopts.append((level, option, value))

    def bind(self, address):
        self.bound = address

    def close(self):
        self.closed = True

    def sendto(self, data, address):
        data = bytes(data)
        self.sent.append((data, address))
        if self.responder is not None:
            length, mtype, flags, seq, _pid = nl.NLMSGHDR.unpack_from(data, 0)
            assert length == len(data), "request nlmsg_len %d for %d bytes" % (length, len(data))
            self.queue.extend(self.responder(mtype, flags, seq, data[nl.NLMSGHDR.size:], data))
        return len(data)

    def send(self, data):
        """An unbound socket's request (FreeBSD without sockaddr_nl support): no address."""
        return self.sendto(data, None)

    def recv_into(self, buf, nbytes=0, flags=0):
        self.recv_flags.append(flags)
        if not self.queue:
            raise Exhausted("recv_into with no datagram queued")
        datagram = self.queue.pop(0)
        room = nbytes or len(buf)
        copied = min(room, len(datagram))
        buf[:copied] = datagram[:copied]
        return len(datagram) if flags & socket.MSG_TRUNC else copied


def patch_socket(monkeypatch, sock, factory=None):
    """Replace the socket module in netlink only: every socket it opens is ``sock`` (or what
    ``factory(*args)`` gives). Returns the list of the arguments each socket was opened with."""
    from netifs import netlink
    created = []

    def default(*args):
        created.append(args)
        return sock
    fake_module = types.SimpleNamespace(socket=factory or default, AF_NETLINK=socket.AF_NETLINK,
                                        SOCK_RAW=socket.SOCK_RAW, MSG_TRUNC=socket.MSG_TRUNC)
    monkeypatch.setattr(netlink, "socket", fake_module)
    return created


def make_conn(monkeypatch, sock):
    """A real ``netlink.Conn`` whose socket is ``sock`` (the socket module is replaced in netlink only)."""
    from netifs import netlink
    created = patch_socket(monkeypatch, sock)
    conn = netlink.Conn()
    conn.created_with = created
    return conn


def datagrams(messages, per_datagram):
    """Pack messages into datagrams of ``per_datagram`` messages each."""
    out = []
    for i in range(0, len(messages), per_datagram):
        out.append(b"".join(messages[i:i + per_datagram]))
    return out


class FakeKernel:
    """A scripted rtnetlink: answers dump requests from tables keyed by ``(request type, family)``.

    ``dumps[key]``: list of ``(message type, payload)``, or a callable ``f(call_number)`` giving one.
    ``errors[key]``: errno to answer with (NLMSG_ERROR), or a callable ``f(call_number)`` (0 = none).
    ``done_errors[key]``: errno carried in NLMSG_DONE.
    ``interrupt[key]``: how many of the next dumps are flagged NLM_F_DUMP_INTR.
    ``lookup``: callable ``f(payload)`` answering a non-dump request with ``(type, payload)`` or an
    errno; by default every one is answered ENETUNREACH, as by a kernel without a route for it.
    """

    def __init__(self, per_datagram=2):
        self.dumps = {}
        self.errors = {}
        self.done_errors = {}
        self.interrupt = {}
        self.lookup = lambda payload: errno.ENETUNREACH
        self.calls = collections.Counter()
        self.requests = []
        self.payloads = []
        self.per_datagram = per_datagram

    def socket(self):
        return FakeSocket(responder=self.respond)

    def respond(self, mtype, flags, seq, payload, raw):
        family = payload[0] if payload else 0
        key = (mtype, family)
        number = self.calls[key]
        self.calls[key] += 1
        self.requests.append(key)
        self.payloads.append(payload)
        if not flags & nl.NLM_F_DUMP:
            answer = self.lookup(payload)
            if isinstance(answer, int):
                return [nl.error(answer, request=raw, seq=seq)]
            return [nl.msg(answer[0], answer[1], seq=seq)]
        err = self.errors.get(key, 0)
        if callable(err):
            err = err(number)
        if err:
            return [nl.error(err, request=raw, seq=seq)]
        entries = self.dumps.get(key, [])
        if callable(entries):
            entries = entries(number)
        intr = 0
        if self.interrupt.get(key, 0) > 0:
            self.interrupt[key] -= 1
            intr = nl.NLM_F_DUMP_INTR
        messages = [nl.msg(t, p, flags=nl.NLM_F_MULTI | intr, seq=seq) for t, p in entries]
        messages.append(nl.done(seq, error=self.done_errors.get(key, 0), flags=nl.NLM_F_MULTI | intr))
        return datagrams(messages, self.per_datagram)


def bounded(fn, timeout=10.0):
    """Run ``fn()`` in a daemon thread; fail if it does not finish within ``timeout`` seconds.

    Returns its result, or re-raises its exception.
    """
    box = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: B902 - handed back to the caller
            box["error"] = exc
    thread = threading.Thread(target=run)
    thread.daemon = True
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise AssertionError("did not finish within %s s (a loop that does not advance?)" % timeout)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def outcome(parse, data, allowed):
    """``("ok", result)`` or ``("error", exc)`` for exceptions of the ``allowed`` classes; anything
    else propagates and fails the test."""
    try:
        return "ok", parse(data)
    except allowed as exc:
        return "error", exc


def truncations(parse, payload, lead=8, trail=7):
    """Parse every prefix of ``payload``; return one outcome per prefix (a record, or the ParseError).

    Each prefix is parsed twice: alone in an exact-size buffer (reading past ``stop`` would raise
    IndexError or struct.error, which fails the test), and inside a larger buffer with junk before
    ``start`` and after ``stop``; both must give the same outcome, so the parser reads nothing
    outside ``buf[start:stop]``. Any exception but ParseError, or a hang, fails the test.
    """
    from netifs.errors import ParseError

    def run(buf, start, stop):
        try:
            return bounded(lambda: parse(buf, start, stop))
        except ParseError as exc:
            return ("ParseError", str(exc).partition(" at offset ")[0])

    out = []
    for cut in range(len(payload) + 1):
        part = bytes(payload[:cut])
        alone = run(part, 0, cut)
        framed = run(b"\xa5" * lead + part + b"\x5a" * trail, lead, lead + cut)
        if isinstance(alone, tuple):  # ParseError offsets are absolute in some parsers: compare what
            assert isinstance(framed, tuple) and framed[0] == alone[0], (cut, alone, framed)
        else:
            assert framed == alone, (cut, alone, framed)
        out.append(alone)
    return out


class FakeBackend(object):
    """An open backend, as ``backends.chain()``'s openers return them, whose route lookup is
    ``lookup(family, packed, oif)``."""

    def __init__(self, lookup, name="fake"):
        self.name = name
        self.lookup = lookup

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def tables_ways(snap, sources):
    """``({family: way}, interfaces)`` for a snapshot of a backend without a route lookup of its
    own: the model built, each probe answered with ``sources[family]`` through the interface
    holding it (as a connected UDP socket answers, backends.UdpLookup), the route from the tables."""
    from netifs import model, outbound
    owner = {a["address"]: a["index"] for a in snap.addresses}  # before the model moves them
    resolver = model.Resolver(snap.links, False, snap.warnings)
    interfaces = model.interfaces(snap, resolver)
    routes = model.routes(snap, resolver)

    def lookup(family, packed, oif):
        if oif and family == 4:
            raise ValueError("this backend cannot pin an IPv4 lookup to an interface")
        return {"preferred_source": sources[family], "interface": owner.get(sources[family]), "gateway": None,
                "table": None, "type": None}
    names = resolver.names
    asker = outbound.Asker(lookup, lambda family, packed: None, {n: i for i, n in names.items()}.get,
                           names.get, routes)
    return {family: outbound.answer(asker, family) for family in (4, 6)}, interfaces
