# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The Linux backend for hosts that refuse rtnetlink (a sandbox's seccomp filter, some
containers), where glibc's ``getifaddrs`` fails too, since it asks netlink.

* interfaces: ``/sys/class/net/<name>/`` (index, MTU, MAC, flags, operstate, carrier,
  ARP type, alias, master), counters from ``/proc/net/dev``. Not ``if_nameindex(3)`` or
  ``getifaddrs(3)``: glibc asks netlink for both;
* IPv4 addresses: the ``SIOCGIFCONF``, ``SIOCGIFNETMASK`` and ``SIOCGIFBRDADDR`` ioctls;
* IPv6 addresses, routes and multicast memberships: ``/proc/net`` (``procfs.py``).

What these cannot tell is listed in ``missing`` (``LOSSES``). The records are the netlink
backend's, so the model and the facts are the same code.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import array
import fcntl
import os
import socket
import struct

from . import procfs
from .addresses import address_record
from .errors import ParseError
from .formats import flag_names, mac_text, mask_length
from .links import ARPHRD, raw_name, stub_link
from .rtnetlink import IFF_FLAGS
from .snapshot import Snapshot

NAME = "linux_procfs"
SYS_NET = "/sys/class/net"
SIOCGIFFLAGS, SIOCGIFCONF, SIOCGIFDSTADDR, SIOCGIFBRDADDR, SIOCGIFNETMASK = 0x8913, 0x8912, 0x8917, 0x8919, 0x891B
# struct ifreq: a 16-byte name, then a union as large as struct ifmap (two longs, a short, three bytes)
IFREQ_SIZE = 16 + struct.calcsize("@LLHBBB0L")
IFCONF = struct.Struct("@iP")  # ifc_len, then the buffer's address
IFF_UP, IFF_LOWER_UP, IFF_DORMANT = 0x1, 0x10000, 0x20000
LOSSES = {
    "interfaces": "without rtnetlink: no kind, peer or parent, alternative names, permanent MAC or MTU limits",
    "addresses": "without rtnetlink: no lifetimes, IPv4 flags or scopes (inferred from the address), no IPv6 peers, and only the IPv4 addresses SIOCGIFCONF "
                 "lists (a secondary address without a label is not among them)",
    "routes": "without rtnetlink: /proc/net/route holds the main table's IPv4 routes only, one next hop each; "
              "/proc/net/ipv6_route gives no table; no protocol or preferred source",
}


def parse_ifconf(data):
    """``[(label, packed IPv4 address)]`` from the ``struct ifreq`` array ``SIOCGIFCONF`` filled."""
    out = []
    for off in range(0, len(data) - IFREQ_SIZE + 1, IFREQ_SIZE):
        label = data[off:off + 16].split(b"\0", 1)[0]
        family = struct.unpack_from("=H", data, off + 16)[0]
        if family != socket.AF_INET:
            raise ParseError("SIOCGIFCONF", off, "an address of family %d" % family)
        out.append((label, bytes(data[off + 20:off + 24])))
    return out


def _ifconf(sock):
    """The ioctl, with room for 64 entries and then twice as much while it fills the room."""
    room = 64
    while True:
        buf = array.array("B", bytes(room * IFREQ_SIZE))
        address, size = buf.buffer_info()
        length = IFCONF.unpack(fcntl.ioctl(sock, SIOCGIFCONF, IFCONF.pack(size, address)))[0]
        if length < size:
            return parse_ifconf(buf.tobytes()[:length])
        room *= 2


def _ifreq_address(sock, request, label, packed):
    """The IPv4 address an ``ifreq`` ioctl returns for the address ``packed`` of ``label``, or
    None where it has none. Naming the address (family AF_INET) makes the kernel answer for
    that address, not for the label's first (``tryaddrmatch`` in devinet_ioctl)."""
    try:
        out = fcntl.ioctl(sock, request, struct.pack("=16sHH4s8x", label, socket.AF_INET, 0, packed))
    except OSError:
        return None
    return out[20:24]


def ipv4_addresses(index_of):
    """IPv4 address records through the ioctls; the label names the interface (``eth0:1``)."""
    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for label, packed in _ifconf(sock):
            index = index_of.get(label.split(b":", 1)[0])
            mask = _ifreq_address(sock, SIOCGIFNETMASK, label, packed)
            prefixlen = mask_length(mask) if mask else None
            if index is None or prefixlen is None:
                continue  # gone since if_nameindex, or no usable mask: not a record to guess
            broadcast = _ifreq_address(sock, SIOCGIFBRDADDR, label, packed)
            # The peer: ifa_address, which is the local address itself when there is none.
            peer = _ifreq_address(sock, SIOCGIFDSTADDR, label, packed) or packed
            scope = 254 if packed[0] == 127 else 0  # what the kernel gives loopback and the rest by default
            out.append(address_record(index, 4, packed, peer, prefixlen, scope, 0, label=os.fsdecode(label),
                                      broadcast=socket.inet_ntoa(broadcast) if broadcast and any(broadcast) else None))
    return out


def _read(path):
    """A sysfs attribute's text, stripped; None where it cannot be read (carrier of a down link)."""
    try:
        with open(path, "rb") as handle:
            return handle.read().strip()
    except OSError:
        return None


def _flags(ioctl_flags, operstate, carrier):
    """``ifi_flags`` as rtnetlink reports them (``dev_get_flags``). ``SIOCGIFFLAGS`` gives the
    same word cut to 16 bits (sysfs's ``flags`` is ``dev->flags``, which holds a bridge port's
    promiscuity too); lower_up and dormant, above those bits, follow from carrier and state."""
    if ioctl_flags & IFF_UP and carrier == b"1":
        ioctl_flags |= IFF_LOWER_UP
    if operstate == b"dormant":
        ioctl_flags |= IFF_DORMANT
    return ioctl_flags


def ioctl_flags(sock, name):
    """``SIOCGIFFLAGS`` of ``name``: its flags' low 16 bits, or None."""
    try:
        return struct.unpack_from("=H", fcntl.ioctl(sock, SIOCGIFFLAGS, struct.pack("16s16x", name)), 16)[0]
    except OSError:
        return None


def link_record(index, name, flags, read=_read):
    """An interface record from ``/sys/class/net/<name>/`` and ``flags`` (``ioctl_flags``), in
    the netlink backend's shape."""
    rec = stub_link(index, name)
    base = os.path.join(os.fsencode(SYS_NET), name)
    attr = {key: read(os.path.join(base, key.encode())) for key in
            ("mtu", "address", "operstate", "carrier", "type", "ifalias")}
    operstate = attr["operstate"] or b"unknown"
    rec.update(  # novm: vermin takes these bytes.decode calls for Python 2's str.decode
        mtu=int(attr["mtu"]) if attr["mtu"] else None,
        mac=mac_text(bytes.fromhex(attr["address"].decode("ascii").replace(":", ""))) if attr["address"] else None,
        flags=flag_names(_flags(flags, operstate, attr["carrier"]), IFF_FLAGS) if flags is not None else [],
        oper_state=operstate.decode("ascii", "replace"),
        carrier=None if attr["carrier"] is None else attr["carrier"] == b"1",
        type=ARPHRD.get(int(attr["type"])) or attr["type"].decode("ascii") if attr["type"] else None,
        alias=attr["ifalias"].decode("utf-8", "backslashreplace") if attr["ifalias"] else None)
    master = os.path.join(base, b"master")
    if os.path.islink(master):
        rec["master_name"] = os.path.basename(os.readlink(master))
    return rec


def _file(snap, subset, family, path, parse, *args):
    """``parse(contents, *args)`` of a /proc file; what cannot be read goes to ``missing``."""
    try:
        with open(path, "rb") as handle:
            return parse(handle.read(), *args)
    except (OSError, ParseError) as exc:
        snap.lose(subset, family, "%s: %s" % (path, exc))
        return parse(b"", *args)  # the parser's own empty answer: no rows, no counters


def _interfaces():
    """``[(index, name)]`` from sysfs. Not ``if_nameindex(3)``: glibc asks netlink for it."""
    pairs = []
    for name in sorted(os.listdir(os.fsencode(SYS_NET))):
        index = _read(os.path.join(os.fsencode(SYS_NET), name, b"ifindex"))
        if index is not None:  # gone since the listing
            pairs.append((int(index), name))
    return sorted(pairs)


def _links(snap):
    pairs = _interfaces()
    index_of = {name: index for index, name in pairs}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        snap.links = [link_record(index, name, ioctl_flags(sock, name)) for index, name in pairs]
    for link in snap.links:
        link["master_index"] = index_of.get(link.pop("master_name", None))
    return index_of


def _addresses(snap, index_of):
    try:
        snap.addresses = ipv4_addresses(index_of)
    except (OSError, ParseError) as exc:
        snap.lose("addresses", 4, "SIOCGIFCONF: %s" % exc)
    snap.addresses += _file(snap, "addresses", 6, "/proc/net/if_inet6", procfs.parse_if_inet6)


def tables(snap, need):
    """Routes, memberships and counters from /proc/net, for the links already in ``snap``
    (this backend's, or getifaddrs(3)'s)."""
    index_of = {raw_name(link): link["index"] for link in snap.links}
    if "stats" in need:
        counters = _file(snap, "stats", None, "/proc/net/dev", procfs.parse_net_dev)
        for link in snap.links:
            if raw_name(link) in counters:
                link["stats"] = counters[raw_name(link)]
    if "routes" in need:
        snap.routes = (_file(snap, "routes", 4, "/proc/net/route", procfs.parse_route, index_of)
                       + _file(snap, "routes", 6, "/proc/net/ipv6_route", procfs.parse_ipv6_route, index_of))
        snap.lose("routes", None, LOSSES["routes"])
    if "multicast" in need:
        snap.multicast = (_file(snap, "multicast", 4, "/proc/net/igmp", procfs.parse_igmp)
                          + _file(snap, "multicast", 6, "/proc/net/igmp6", procfs.parse_igmp6))


def snapshot(need):
    """A ``Snapshot`` of what ``need`` names, from sysfs, ioctls and /proc/net; what those
    cannot tell is in ``missing``. One pass: the caller builds it leniently."""
    snap = Snapshot()
    index_of = _links(snap)
    snap.lose("interfaces", None, LOSSES["interfaces"])
    if "addresses" in need:
        _addresses(snap, index_of)
        snap.lose("addresses", None, LOSSES["addresses"])
    tables(snap, need)
    return snap
