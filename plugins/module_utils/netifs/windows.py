# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The Windows backend: one pass over IP Helper (``iphlpapi.dll``, Windows Vista and later) as a
``snapshot.Snapshot``.

This is the only module that calls the DLL; what it returns goes through iphlpapi.py's pure
walkers. Every IP Helper function returns its status: it is read from the return value, never
from ``GetLastError`` (which these functions do not set). ``ctypes.WinDLL`` is looked up only
when the DLL is loaded, so the module imports anywhere and its pieces are tested on Linux with a
fake ``api`` object.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import socket
import sys
from ctypes import POINTER, c_uint16, c_uint32, c_uint64, c_void_p

from . import iphlpapi as ip
from .errors import ParseError
from .outbound import PROBES as OUTBOUND_PROBES
from .routes import DEFAULT
from .snapshot import Snapshot

NAME = "windows_iphlpapi"

NO_ERROR = 0
ERROR_ACCESS_DENIED = 5
ERROR_NOT_ENOUGH_MEMORY = 8
ERROR_NOT_SUPPORTED = 50
ERROR_INVALID_PARAMETER = 87
ERROR_BUFFER_OVERFLOW = 111
ERROR_NO_DATA = 232
ERROR_NOT_FOUND = 1168
ERROR_NETWORK_UNREACHABLE = 1231
ERROR_HOST_UNREACHABLE = 1232
STATUS_NAMES = {
    ERROR_ACCESS_DENIED: "ERROR_ACCESS_DENIED", ERROR_NOT_ENOUGH_MEMORY: "ERROR_NOT_ENOUGH_MEMORY",
    ERROR_INVALID_PARAMETER: "ERROR_INVALID_PARAMETER", ERROR_NOT_SUPPORTED: "ERROR_NOT_SUPPORTED",
    ERROR_BUFFER_OVERFLOW: "ERROR_BUFFER_OVERFLOW", ERROR_NO_DATA: "ERROR_NO_DATA", ERROR_NOT_FOUND: "ERROR_NOT_FOUND",
    ERROR_NETWORK_UNREACHABLE: "ERROR_NETWORK_UNREACHABLE", ERROR_HOST_UNREACHABLE: "ERROR_HOST_UNREACHABLE",
}
# A family whose stack is not installed, or a table with nothing in it: an empty answer, not a failure.
EMPTY = frozenset((ERROR_NOT_SUPPORTED, ERROR_NOT_FOUND, ERROR_NO_DATA))
NO_ROUTE = frozenset((ERROR_NETWORK_UNREACHABLE, ERROR_HOST_UNREACHABLE)) | EMPTY

START_SIZE = 15000  # what Microsoft suggests for GetAdaptersAddresses' first call
ATTEMPTS = 4  # the adapter list may grow between the call that sizes the buffer and the next
# Anycast and DNS servers are not facts here; the gateway lists are the fallback for unreadable
# routes. No GAA_FLAG_INCLUDE_ALL_INTERFACES: it adds NDIS filter and hidden interfaces that
# ipconfig does not show and that have no IP configuration.
GAA_FLAGS = ip.GAA_FLAG_INCLUDE_GATEWAYS | ip.GAA_FLAG_SKIP_ANYCAST | ip.GAA_FLAG_SKIP_DNS_SERVER
FAMILIES = ((4, ip.AF_INET), (6, ip.AF_INET6))
# What GetBestRoute2 is asked about to learn which default route and source Windows picks: the
# first outbound probe (a local lookup, nothing is sent; a more specific route for it leaves the
# defaults unmarked, see iphlpapi.mark_best).
PROBES = {4: socket.inet_aton(OUTBOUND_PROBES[4][0]), 6: socket.inet_pton(socket.AF_INET6, OUTBOUND_PROBES[6][0])}

_P = POINTER
PROTOTYPES = (
    ("GetAdaptersAddresses", c_uint32, (c_uint32, c_uint32, c_void_p, c_void_p, _P(c_uint32))),
    ("GetIpForwardTable2", c_uint32, (c_uint16, _P(c_void_p))),
    ("GetIpInterfaceTable", c_uint32, (c_uint16, _P(c_void_p))),
    ("GetIfTable2", c_uint32, (_P(c_void_p),)),
    ("GetBestRoute2", c_uint32, (c_void_p, c_uint32, c_void_p, _P(ip.SOCKADDR_INET), c_uint32,
                                 _P(ip.MIB_IPFORWARD_ROW2), _P(ip.SOCKADDR_INET))),
    ("FreeMibTable", None, (c_void_p,)),
)


def status_text(status):
    return "%s (%d)" % (STATUS_NAMES.get(status, "status"), status)


def load():
    """iphlpapi.dll with the prototypes used here; OSError where there is none (not Windows, or a
    Windows before Vista without the ``*2`` functions), so that the caller can fall back."""
    loader = getattr(ctypes, "WinDLL", None)
    if loader is None:
        raise OSError("iphlpapi.dll is a Windows library; this is %s" % sys.platform)
    lib = loader("iphlpapi.dll")
    try:
        for name, restype, argtypes in PROTOTYPES:
            func = getattr(lib, name)
            func.restype = restype
            func.argtypes = argtypes
    except AttributeError as exc:
        raise OSError("iphlpapi.dll lacks a function: %s" % exc) from exc
    return lib


def adapter_buffer(call, flags, size=START_SIZE, attempts=ATTEMPTS):
    """``GetAdaptersAddresses`` (``call``) into a buffer grown to the size it asks for on
    ERROR_BUFFER_OVERFLOW. Returns ``(status, iphlpapi.Memory or None)``; the Memory is a copy of
    the buffer at the address it lay, so that its pointers are checked against its bounds."""
    status = ERROR_BUFFER_OVERFLOW
    for _attempt in range(attempts):
        buf = (c_uint64 * ((size + 7) // 8))()  # 8-aligned, as the structures need
        length = c_uint32(ctypes.sizeof(buf))
        status = call(ip.AF_UNSPEC, flags, None, buf, ctypes.pointer(length))
        if status == NO_ERROR:
            return status, ip.Memory(bytes(buf), ctypes.addressof(buf))
        if status != ERROR_BUFFER_OVERFLOW:
            break
        # The size it asks for; should it ask for no more than it had, grow anyway.
        size = length.value if length.value > ctypes.sizeof(buf) else 2 * ctypes.sizeof(buf)
    return status, None


def mib_table(api, get, args, walk):
    """``walk(table address)`` of what a ``Get*Table*`` call allocated, freed with FreeMibTable
    whatever the walk does. Returns ``(status, walked or None)``."""
    table = c_void_p()
    status = get(*(args + (ctypes.pointer(table),)))
    if status != NO_ERROR:
        return status, None
    try:
        return status, walk(table.value)
    finally:
        api.FreeMibTable(table)


def _lose(snap, subsets, family, reason):
    for subset in subsets:
        snap.lose(subset, family, reason)


def _adapters(api, snap, need):
    """Links, and addresses and groups when needed; returns (gateways, local_kinds)."""
    flags = GAA_FLAGS | (0 if "multicast" in need else ip.GAA_FLAG_SKIP_MULTICAST)
    subsets = ["interfaces"] + [s for s in ("addresses", "multicast") if s in need]
    status, memory = adapter_buffer(api.GetAdaptersAddresses, flags)
    if status == ERROR_NO_DATA:  # no adapter at all
        return [], {}
    try:
        if status != NO_ERROR:
            raise OSError(status_text(status))
        links, addresses, groups, gateways = ip.adapters(memory.base, memory, snap.warnings)
    except (OSError, ParseError) as exc:
        _lose(snap, subsets, None, "GetAdaptersAddresses: %s" % exc)
        return [], {}
    snap.links = links
    if "addresses" in need:
        snap.addresses = addresses
    if "multicast" in need:
        snap.multicast = groups
    return gateways, ip.local_kinds(addresses)


def _call(api, get, args, walk):
    """``mib_table``, with a failed status raised as OSError; None for an empty answer."""
    status, walked = mib_table(api, get, args, walk)
    if status in EMPTY:
        return None
    if status != NO_ERROR:
        raise OSError(status_text(status))
    return walked


def _metrics(api, snap, family, af):
    try:
        return _call(api, api.GetIpInterfaceTable, (af,), ip.interface_metrics) or {}
    except (OSError, ParseError) as exc:
        snap.warnings.append("GetIpInterfaceTable IPv%d: %s; route metrics leave out the interface metric" % (family, exc))
        return {}


def _family_routes(api, snap, family, af, found):
    """One family's routes, ranked by route + interface metric; the adapters' gateways as default
    routes when the forward table cannot be read."""
    gateways, kinds = found
    metrics = _metrics(api, snap, family, af)
    try:
        return _call(api, api.GetIpForwardTable2, (af,),
                     lambda table: ip.forward_rows(table, metrics, kinds, warnings=snap.warnings)) or []
    except (OSError, ParseError) as exc:
        snap.lose("routes", family, "GetIpForwardTable2: %s" % exc)
    fallback = [g for g in gateways if g["family"] == family]
    if fallback:
        snap.warnings.append("IPv%d default routes from the adapters' gateways, with the interface metric only" % family)
    return ip.gateway_routes(fallback)


def _best(api, snap, family):
    """Mark the default route GetBestRoute2 picks with the source it picks (select.best_local
    then puts that source first)."""
    row, source = ip.MIB_IPFORWARD_ROW2(), ip.SOCKADDR_INET()
    dest = ip.sockaddr_inet(family, PROBES[family])
    status = api.GetBestRoute2(None, 0, None, ctypes.pointer(dest), 0, ctypes.pointer(row), ctypes.pointer(source))
    if status in NO_ROUTE:
        return
    try:
        if status != NO_ERROR:
            raise OSError(status_text(status))
        ip.mark_best(snap.routes, row, source)
    except (OSError, ParseError) as exc:
        snap.warnings.append("GetBestRoute2 IPv%d: %s; best_local follows the metrics alone" % (family, exc))


def _routes(api, snap, found):
    for family, af in FAMILIES:
        snap.routes.extend(_family_routes(api, snap, family, af, found))
    for family, _af in FAMILIES:
        if any(r["family"] == family and r["destination"] == DEFAULT[family] for r in snap.routes):
            _best(api, snap, family)


def _stats(api, snap):
    try:
        counters = _call(api, api.GetIfTable2, (), ip.if_stats) or {}
    except (OSError, ParseError) as exc:
        snap.lose("stats", None, "GetIfTable2: %s" % exc)
        return
    for link in snap.links:
        if link["index"] in counters:
            link["stats"] = counters[link["index"]]


def snapshot(need, api=None):
    """A ``Snapshot`` of what ``need`` names (``addresses``, ``routes``, ``multicast``, ``stats``;
    links always). ``api``: iphlpapi.dll as ``load()`` gives it (a fake in tests). Raises OSError
    when the DLL cannot be loaded; a call that fails is in ``missing``."""
    api = api or load()
    snap = Snapshot()
    found = _adapters(api, snap, need)
    if "routes" in need:
        _routes(api, snap, found)
    if "stats" in need:
        _stats(api, snap)
    return snap
