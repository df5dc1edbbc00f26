# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The BSD and macOS backend: the routing socket's sysctl tables through ctypes, parsed by
``route_socket``. The chooser (``backends.OnePass``) asks the kernel for each default route's
source address, as for every backend without a route lookup of its own.

The syscall layer is ``read`` (the two sysctl calls); everything else is a pure function of
its answers.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import ctypes.util
import errno
import sys

from . import route_socket, sockaddr
from .snapshot import Snapshot

NAME = "bsd_route_socket"
CTL_NET = 4
PF_ROUTE = {"netbsd": 34}  # AF_ROUTE; 17 on the others
ATTEMPTS = 5  # size-then-read rounds before a table that keeps growing is an error


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


def snapshot(need):
    """A Snapshot of this host (``need``: ``addresses``, ``routes``, ``multicast``, ``stats``;
    links always). OSError when this is no BSD or macOS host, or sysctl is missing or refused."""
    try:
        plat = sockaddr.platform(sys.platform)
    except KeyError as exc:
        raise OSError(errno.ENOSYS, str(exc))
    if plat.name not in route_socket.OS:
        raise OSError(errno.ENOSYS, "no routing socket on %s" % plat.name)
    return take(libc_sysctl(), plat, need)
