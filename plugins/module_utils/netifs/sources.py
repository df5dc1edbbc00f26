# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The kernel's own answer for destinations: the source address, interface and gateway it would
use (on Linux ``RTM_GETROUTE``, as ``ip route get`` asks, ``ip rule`` policy included; elsewhere a
connected UDP socket's address). Asking sends nothing.

Each answer is a ``sources`` entry of the schema (docs/schema.md): ``{destination, address,
family, source, interface, gateway, table, type, error}``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import os
import socket

from . import backends
from .errors import NetlinkError, ParseError
from .formats import name_text
from .routes import REJECT_TYPES

# Linux answers a lookup that ends on a rejecting route with that type's errno (fib_props in
# net/ipv4/fib_semantics.c; IPv6 the same), also under RTM_F_FIB_MATCH. A throw that no later
# table catches ends as no route at all does, in ENETUNREACH: that one is told from the tables.
REJECT_ERRNO = {errno.EINVAL: "blackhole", errno.EHOSTUNREACH: "unreachable", errno.EACCES: "prohibit"}
_AF = {4: socket.AF_INET, 6: socket.AF_INET6}
_KEYS = ("address", "family", "source", "interface", "gateway", "table", "type", "error")


def parse_destination(text):
    """``(family, packed, zone)`` for an address, or ``(None, None, None)`` for a host name."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("destination %r is not an address or host name" % (text,))
    addr, _sep, zone = text.strip().partition("%")
    for family, af in _AF.items():
        try:
            return family, socket.inet_pton(af, addr), zone or None
        except (OSError, ValueError):
            continue
    if zone or "/" in text:
        raise ValueError("destination %r is not an address or host name" % (text,))
    return None, None, None


def parse_destinations(values):
    """``[(text, family, packed, zone)]`` for a list of destinations; None stays None."""
    if values is None:
        return None
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise ValueError("destinations must be a list of addresses or host names, got %r" % (values,))
    return [(text,) + parse_destination(text) for text in values]


def parse_family(family):
    """None (any), 4 or 6."""
    if family not in (None, 4, 6) or isinstance(family, bool):
        raise ValueError("family must be None, 4 or 6, got %r" % (family,))
    return family


def resolve(text, family=None):
    """``(family, packed)`` of the first address ``text`` resolves to, in the resolver's preference
    order, of ``family`` when it is given."""
    try:
        infos = socket.getaddrinfo(text, None, _AF.get(family, socket.AF_UNSPEC), socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValueError("cannot resolve %r: %s" % (text, exc))
    for af, _type, _proto, _name, sockaddr in infos:
        for found, known in _AF.items():
            if af == known:
                return found, socket.inet_pton(af, sockaddr[0].partition("%")[0])
    raise ValueError("%r resolves to no %s address" % (text, "IPv%d" % family if family else "IPv4 or IPv6"))


def failed(dest, reason):
    """A ``sources`` entry for a destination the kernel could not be asked about."""
    entry = dict.fromkeys(_KEYS)
    entry.update(destination=dest[0], error=reason)
    return entry


def ask(lookup, dest, index_of, name_of, family=None):
    """The ``sources`` entry for one parsed destination, from ``lookup(family, packed, oif)``
    (an open backend's: a route record, or its keys).

    ``index_of(name)`` and ``name_of(index)`` map interface names and indexes (None when unknown),
    so that a caller with a snapshot answers from it and one without asks the kernel.
    """
    text, found, packed, zone = dest
    entry = dict.fromkeys(_KEYS)
    entry.update(destination=text, family=found)
    try:
        if found is None:
            found, packed = resolve(text, family)
            entry["family"] = found
        entry["address"] = socket.inet_ntop(_AF[found], packed)
        if family is not None and found != family:
            raise ValueError("%r is an IPv%d address, not IPv%d" % (text, found, family))
        oif = None
        if zone:
            oif = index_of(zone) or (int(zone) if zone.isdigit() else None)
            if oif is None:
                raise ValueError("no interface %r for the zone of %r" % (zone, text))
        route = lookup(found, packed, oif)
    except NetlinkError as exc:
        entry["type"] = REJECT_ERRNO.get(exc.errno)
        entry["error"] = rejected(entry) if entry["type"] else str(exc)
        return entry
    except (ValueError, OSError, ParseError) as exc:
        entry["error"] = str(exc)
        return entry
    entry.update(source=route["preferred_source"], interface=name_of(route["interface"]),
                 gateway=route["gateway"], table=route["table"], type=route["type"])
    if route["type"] in REJECT_TYPES:
        entry["error"] = rejected(entry)
    return entry


def rejected(entry):
    """The ``error`` of an entry whose route rejects the destination."""
    return "the kernel's route to %s is of type %s" % (entry["address"], entry["type"])


def missing_source(entry):
    """Why a ``sources`` entry gives no source address to use, or None when it gives one."""
    if entry["error"] is not None:
        return entry["error"]
    if entry["source"] is None:  # a route through an interface without an address
        return "the kernel's answer has no source address"
    return None


def _index_of(name):
    try:
        return socket.if_nametoindex(name)
    except OSError:
        return None


def _name_of(index):
    """An interface's name as the schema writes it (valid UTF-8, see formats.name_text)."""
    if index is None:
        return None
    try:
        return name_text(os.fsencode(socket.if_indextoname(index)))[0]
    except OSError:
        return None


def sources(destinations, family=None):
    """The kernel's answer for each destination (address or host name), as ``sources`` entries.

    ``family`` (4 or 6) restricts name resolution, and makes an address of the other family an
    entry with ``error``. Needs no link dump: one route lookup per destination. Raises ValueError
    for an argument that is not a list of addresses or host names.
    """
    family = parse_family(family)
    dests = parse_destinations(destinations)
    if dests is None:
        raise ValueError("destinations must be a list of addresses or host names, got None")
    return ask_all(dests, family)


def ask_all(dests, family=None):
    """``sources`` entries for destinations already parsed by ``parse_destinations``, from the
    first backend that opens."""
    refused = []
    backend = backends.open_first({"addresses"}, refused)
    if backend is None:
        return [failed(d, "; ".join(refused)) for d in dests]
    with backend:
        return [ask(backend.lookup, d, _index_of, _name_of, family) for d in dests]
