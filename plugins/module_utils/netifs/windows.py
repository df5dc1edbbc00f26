# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The Windows backend: one pass over IP Helper (``iphlpapi.dll``, Windows Vista and later) as a
``snapshot.Snapshot``, and route lookups (``GetBestRoute2``; ``GetBestInterfaceEx`` where that is
refused) for the destinations asked about.

This is the only module that calls the DLL; what it returns goes through iphlpapi.py's pure
walkers. Every IP Helper function returns its status: it is read from the return value, never
from ``GetLastError`` (which these functions do not set). ``ctypes.WinDLL`` is looked up only
when the DLL is loaded, so the module imports anywhere and its pieces are tested on Linux with a
fake ``api`` object.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import sys
from ctypes import POINTER, c_uint16, c_uint32, c_uint64, c_void_p

from . import iphlpapi as ip
from .errors import ParseError
from .formats import ip_text
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

_P = POINTER
PROTOTYPES = (
    ("GetAdaptersAddresses", c_uint32, (c_uint32, c_uint32, c_void_p, c_void_p, _P(c_uint32))),
    ("GetIpForwardTable2", c_uint32, (c_uint16, _P(c_void_p))),
    ("GetIpInterfaceTable", c_uint32, (c_uint16, _P(c_void_p))),
    ("GetIfTable2", c_uint32, (_P(c_void_p),)),
    ("GetBestRoute2", c_uint32, (c_void_p, c_uint32, c_void_p, _P(ip.SOCKADDR_INET), c_uint32,
                                 _P(ip.MIB_IPFORWARD_ROW2), _P(ip.SOCKADDR_INET))),
    ("GetBestInterfaceEx", c_uint32, (_P(ip.SOCKADDR_INET), _P(c_uint32))),
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


def _family_routes(api, snap, family, af, found, metrics):
    """One family's routes, ranked by route + interface metric (read into ``metrics``); the
    adapters' gateways as default routes when the forward table cannot be read."""
    gateways, kinds = found
    metrics.update(_metrics(api, snap, family, af))
    try:
        return _call(api, api.GetIpForwardTable2, (af,),
                     lambda table: ip.forward_rows(table, metrics, kinds, warnings=snap.warnings)) or []
    except (OSError, ParseError) as exc:
        snap.lose("routes", family, "GetIpForwardTable2: %s" % exc)
    fallback = [g for g in gateways if g["family"] == family]
    if fallback:
        snap.warnings.append("IPv%d default routes from the adapters' gateways, with the interface metric only" % family)
    return ip.gateway_routes(fallback)


def _routes(api, snap, found, metrics):
    for family, af in FAMILIES:
        snap.routes.extend(_family_routes(api, snap, family, af, found, metrics))


def _stats(api, snap):
    try:
        counters = _call(api, api.GetIfTable2, (), ip.if_stats) or {}
    except (OSError, ParseError) as exc:
        snap.lose("stats", None, "GetIfTable2: %s" % exc)
        return
    for link in snap.links:
        if link["index"] in counters:
            link["stats"] = counters[link["index"]]


class IpHelper:
    """IP Helper for one backend: ``snapshot``, then route lookups, whose routes are numbered as
    the snapshot's (the interface metrics and own addresses it read). ``api``: iphlpapi.dll as
    ``load()`` gives it (a fake in tests); OSError when the DLL cannot be loaded."""

    refused = None  # the status of the last GetBestRoute2 refused

    def __init__(self, api=None):
        self.api = api or load()
        self.metrics = {}  # (family, interface index) -> interface metric
        self.kinds = {}  # own address text -> route type (iphlpapi.local_kinds)

    def snapshot(self, need):
        """A ``Snapshot`` of what ``need`` names (``addresses``, ``routes``, ``multicast``,
        ``stats``; links always); a call that fails is in ``missing``."""
        snap = Snapshot()
        found = _adapters(self.api, snap, need)
        self.kinds = found[1]
        if "routes" in need:
            _routes(self.api, snap, found, self.metrics)
        if "stats" in need:
            _stats(self.api, snap)
        return snap

    def best_route(self, family, packed, oif=None):
        """GetBestRoute2's ``(route record, lookup answer)`` for ``packed`` (through interface
        ``oif`` when given), or None when the call is refused (another status than an answer or no
        route). OSError when there is no route; ParseError for an answer that cannot be read."""
        row, source = ip.MIB_IPFORWARD_ROW2(), ip.SOCKADDR_INET()
        dest = ip.sockaddr_inet(family, packed)
        status = self.api.GetBestRoute2(None, oif or 0, None, ctypes.pointer(dest), 0, ctypes.pointer(row),
                                        ctypes.pointer(source))
        if status == NO_ERROR:
            return ip.best_route(row, source, self.metrics, self.kinds)
        if status in NO_ROUTE:
            raise OSError("GetBestRoute2 %s: no route, %s" % (ip_text(packed), status_text(status)))
        self.refused = status_text(status)
        return None

    def best_interface(self, family, packed):
        """GetBestInterfaceEx's interface index for ``packed``; OSError naming both refusals."""
        index, dest = c_uint32(), ip.sockaddr_inet(family, packed)
        status = self.api.GetBestInterfaceEx(ctypes.pointer(dest), ctypes.pointer(index))
        if status != NO_ERROR:
            raise OSError("%s: GetBestRoute2 refused, %s; GetBestInterfaceEx %s" % (
                ip_text(packed), self.refused, "no route, %s" % status_text(status) if status in NO_ROUTE
                else status_text(status)))
        return index.value


def snapshot(need, api=None):
    """``IpHelper(api).snapshot(need)``: a Snapshot of what ``need`` names."""
    return IpHelper(api).snapshot(need)
