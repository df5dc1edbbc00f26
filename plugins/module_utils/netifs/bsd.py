# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The BSD and macOS backend: the routing socket's sysctl tables through ctypes, and route
lookups (``RTM_GET``) written to a ``PF_ROUTE`` socket, all parsed by ``route_socket``.

The syscall layer is ``read`` (the two sysctl calls) and ``Router`` (one write and the reads that
find its answer); everything else is a pure function of their answers.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import ctypes.util
import errno
import os
import socket
import sys
import time

from . import route_socket, sockaddr
from .formats import ip_text
from .snapshot import Snapshot

NAME = "bsd_route_socket"
CTL_NET = 4
PF_ROUTE = {"netbsd": 34}  # AF_ROUTE; 17 on the others
ATTEMPTS = 5  # size-then-read rounds before a table that keeps growing is an error
TIMEOUT = 2.0  # seconds for the answer to one RTM_GET: the kernel answers at once, or never
READ_SIZE = 8192  # more than any routing message (RTM_MAXSIZE is 2048): one read, one whole message


def mib(plat, family, op, arg=0):
    """The six-int name of ``sysctl(CTL_NET, PF_ROUTE, 0, family, op, arg)``; ``family`` 4, 6 or 0 (all)."""
    af = {0: 0, 4: plat.af_inet, 6: plat.af_inet6}[family]
    return (CTL_NET, PF_ROUTE.get(plat.name, 17), 0, af, op, arg)


def libc_sysctl():
    """libc's ``sysctl``; OSError where there is none (the chooser then picks another backend)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    try:
        func = libc.sysctl
    except AttributeError:
        raise OSError(errno.ENOSYS, "this libc has no sysctl()")
    func.argtypes = [ctypes.POINTER(ctypes.c_int), ctypes.c_uint, ctypes.c_void_p,
                     ctypes.POINTER(ctypes.c_size_t), ctypes.c_void_p, ctypes.c_size_t]
    func.restype = ctypes.c_int
    return func


def _call(sysctl, name, buf, size):
    if sysctl(name, len(name), buf, ctypes.pointer(size), None, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, "sysctl %s: %s" % (".".join(str(n) for n in name), errno.errorcode.get(code, code)))


def read(sysctl, name, attempts=ATTEMPTS):
    """The bytes of sysctl ``name``: its size, then its data, truncated to what the second call
    wrote (pitfall 12). ENOMEM means the table grew in between: ask again, at most ``attempts``
    times. Any other failure is an OSError naming the mib."""
    cname = (ctypes.c_int * len(name))(*name)
    for _attempt in range(attempts):
        size = ctypes.c_size_t(0)
        _call(sysctl, cname, None, size)
        size.value += size.value // 8  # room for a few entries added in between
        buf = ctypes.create_string_buffer(max(size.value, 1))
        try:
            _call(sysctl, cname, ctypes.cast(buf, ctypes.c_void_p), size)
        except OSError as exc:
            if exc.errno == errno.ENOMEM:
                continue
            raise
        return buf.raw[:size.value]
    raise OSError(errno.ENOMEM, "sysctl %s kept growing through %d attempts" % (".".join(map(str, name)), attempts))


def _table(snap, subset, sysctl, name, parse):
    """One more table into the snapshot; a refusal is a loss, not a failure of the whole."""
    try:
        return parse(read(sysctl, name), snap.warnings)
    except OSError as exc:
        snap.lose(subset, None, str(exc))
        return []


def take(sysctl, plat, need):
    """A Snapshot from ``sysctl`` (libc's, or a test's fake) for ``plat``."""
    ops = route_socket.OS[plat.name].ops
    snap = Snapshot()
    iflist = read(sysctl, mib(plat, 0, ops["iflist"]))  # no interface list: OSError, another backend
    snap.links, addresses = route_socket.parse_iflist(iflist, plat, snap.warnings)
    if "addresses" in need:
        snap.addresses = addresses
    if "routes" in need:
        snap.routes = _table(snap, "routes", sysctl, mib(plat, 0, ops["dump"]),
                             lambda buf, warnings: route_socket.parse_dump(buf, plat, warnings))
    if "multicast" in need:
        _multicast(snap, sysctl, plat, ops, iflist)
    return snap


def _multicast(snap, sysctl, plat, ops, iflist):
    if ops["ifmalist"] is None:
        snap.lose("multicast", None, "%s has no multicast membership table in sysctl" % plat.name)
    elif ops["ifmalist"] == ops["iflist"]:  # macOS: the memberships are in the NET_RT_IFLIST2 buffer
        snap.multicast = route_socket.parse_ifmalist(iflist, plat, snap.warnings)
    else:
        snap.multicast = _table(snap, "multicast", sysctl, mib(plat, 0, ops["ifmalist"]),
                                lambda buf, warnings: route_socket.parse_ifmalist(buf, plat, warnings))


def _platform(system=None):
    """This BSD's or macOS's ``sockaddr.Platform``; OSError on any other OS."""
    try:
        plat = sockaddr.platform(system or sys.platform)
    except KeyError as exc:
        raise OSError(errno.ENOSYS, str(exc))
    if plat.name not in route_socket.OS:
        raise OSError(errno.ENOSYS, "no routing socket on %s" % plat.name)
    return plat


def snapshot(need):
    """A Snapshot of this host (``need``: ``addresses``, ``routes``, ``multicast``, ``stats``;
    links always). OSError when this is no BSD or macOS host, or sysctl is missing or refused."""
    plat = _platform()
    return take(libc_sysctl(), plat, need)


def _failed(code, dest):
    reason = "no route" if code == errno.ESRCH else os.strerror(code)
    return OSError(code, "RTM_GET %s: %s (%s)" % (dest, reason, errno.errorcode.get(code, code)))


class Router:
    """Route lookups on one ``PF_ROUTE`` raw socket (``sock``): each an ``RTM_GET`` written, then
    reads until the answer with this process's ``pid`` and the lookup's sequence number (the socket
    gets every other routing message of the host too)."""

    def __init__(self, plat, sock, pid, timeout=TIMEOUT):
        self.plat, self.sock, self.pid, self.timeout = plat, sock, pid, timeout
        self.seq = 0

    def close(self):
        self.sock.close()

    def ask(self, family, packed, oif=None):
        """``route_socket.parse_get``'s answer for one destination. OSError when the kernel refuses
        the lookup (ESRCH: no route; the write fails, and an answer with ``rtm_errno`` says the
        same) or does not answer within ``timeout``; ParseError for a malformed answer."""
        self.seq += 1
        request = route_socket.get_request(self.plat, family, packed, self.seq, oif)
        dest = ip_text(packed)
        try:
            self.sock.send(request)
        except OSError as exc:
            raise _failed(exc.errno, dest)
        answer = self._answer(dest)
        if answer["errno"]:
            raise _failed(answer["errno"], dest)
        return answer

    def _answer(self, dest):
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            try:
                if left <= 0:  # other messages kept coming, ours did not
                    raise socket.timeout()
                self.sock.settimeout(left)
                data = self.sock.recv(READ_SIZE)
            except socket.timeout:
                raise OSError(errno.ETIMEDOUT, "RTM_GET %s: no answer within %.1f s" % (dest, self.timeout))
            answer = route_socket.parse_get(data, self.plat, self.pid, self.seq)
            if answer is not None:
                return answer


def open_router(system=None, opener=None):
    """A ``Router`` on a new routing socket of this BSD or macOS (``system``: ``sys.platform``).
    OSError on another OS, or when the socket is refused. ``opener`` stands in for
    ``socket.socket`` in tests; without it, the host's own ``socket.AF_ROUTE`` must be the OS's
    PF_ROUTE, so that no other host opens a socket of that number (17 is AF_PACKET on Linux)."""
    plat = _platform(system)
    family = PF_ROUTE.get(plat.name, 17)
    if opener is None:
        if getattr(socket, "AF_ROUTE", None) != family:
            raise OSError(errno.EAFNOSUPPORT, "this host's socket module has no PF_ROUTE %d of %s" % (family, plat.name))
        opener = socket.socket
    return Router(plat, opener(family, socket.SOCK_RAW, 0), os.getpid())
