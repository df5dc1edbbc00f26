# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The kernel's own view of a namespace, from ``ip -j`` (iproute2 6.1), ``/proc`` and a tiny
RTM_GETLINK probe, normalised to the shape of docs/schema.md.

Where ``ip`` is lossy, and what is done about it:

* link flags: ``ip`` drops ``IFF_RUNNING`` and adds the pseudo flags ``NO-CARRIER`` and
  ``M-DOWN``; the flags are rebuilt (``running`` = ``UP`` without ``NO-CARRIER``) and checked
  against the raw ``ifi_flags`` of probe_links.py.
* carrier: ``ip`` never prints ``IFLA_CARRIER``; it comes from probe_links.py.
* permanent address: ``ip`` hides ``IFLA_PERM_ADDRESS`` when it equals the current address.
* address flags: ``ip`` prints ``dynamic`` for a missing ``IFA_F_PERMANENT`` and spells a few
  flags its own way (``home``, ``mngtmpaddr``, ``autojoin``, ``stable-privacy``).
* lifetimes: ``4294967295`` is forever (``null`` in the schema).
* routes: ``ip`` writes a host route's destination without ``/32``/``/128``, ``default`` for a
  default route, table and protocol names from /etc/iproute2, ``tos`` in hex, and leaves out
  ``metric`` when it is 0; a route using a nexthop object shows the object's next hops, which are
  rebuilt here from ``ip -j nexthop`` instead.
* multicast: ``ip maddr`` reads /proc/net/igmp and /proc/net/igmp6 itself; those files are read
  here directly (``ip -j maddr`` is compared with them as a cross-check).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import json
import os
import re

from netns import probe_links, run

IFF = (
    (0x1, "up"), (0x2, "broadcast"), (0x4, "debug"), (0x8, "loopback"), (0x10, "pointopoint"),
    (0x20, "notrailers"), (0x40, "running"), (0x80, "noarp"), (0x100, "promisc"),
    (0x200, "allmulti"), (0x400, "master"), (0x800, "slave"), (0x1000, "multicast"),
    (0x2000, "portsel"), (0x4000, "automedia"), (0x8000, "dynamic"), (0x10000, "lower_up"),
    (0x20000, "dormant"), (0x40000, "echo"),
)
IP_PSEUDO_LINK_FLAGS = {"NO-CARRIER", "M-DOWN"}
IP_ADDR_FLAG_NAMES = {
    "secondary": "secondary", "temporary": "temporary", "nodad": "nodad",
    "optimistic": "optimistic", "dadfailed": "dadfailed", "home": "homeaddress",
    "deprecated": "deprecated", "tentative": "tentative", "mngtmpaddr": "managetempaddr",
    "noprefixroute": "noprefixroute", "autojoin": "mcautojoin", "stable-privacy": "stable_privacy",
}
IP_ADDR_NON_FLAGS = {"family", "local", "address", "prefixlen", "broadcast", "scope", "label",
                     "valid_life_time", "preferred_life_time", "anycast", "dynamic", "metric"}
FOREVER = 4294967295
SCOPES = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}
SCOPE_NAMES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}
RTNH_FLAG_NAMES = {"dead", "pervasive", "onlink", "offload", "linkdown", "unresolved", "trap"}
REJECT_TYPES = {"blackhole", "unreachable", "prohibit"}
PREF_ORDER = {"high": 0, "medium": 1, None: 1, "low": 2}
DEFAULT_TABLE_CHAIN = (255, 254, 253)  # the default rule chain: local, main, default


def _read_names(base, builtin):
    """iproute2's ``number name`` files (and their ``.d`` directories): name -> number."""
    names = dict(builtin)
    paths = [base] + sorted(os.path.join(base + ".d", f) for f in
                            (os.listdir(base + ".d") if os.path.isdir(base + ".d") else [])
                            if f.endswith(".conf"))
    for path in paths:
        try:
            with open(path) as handle:
                for line in handle:
                    fields = line.split("#", 1)[0].split()
                    if len(fields) >= 2:
                        try:
                            names[fields[1]] = int(fields[0], 0)
                        except ValueError:
                            pass
        except OSError:
            pass
    return names


RT_TABLES = _read_names("/etc/iproute2/rt_tables", {"local": 255, "main": 254, "default": 253, "unspec": 0})
RT_PROTOS = _read_names("/etc/iproute2/rt_protos", {
    "unspec": 0, "redirect": 1, "kernel": 2, "boot": 3, "static": 4, "ra": 9, "dhcp": 16})
RT_DSFIELD = _read_names("/etc/iproute2/rt_dsfield", {})


def table_number(value):
    if value is None:
        return 254
    if isinstance(value, int):
        return value
    if value.isdigit():
        return int(value)
    return RT_TABLES[value]


def protocol_number(value):
    """A protocol as ip or the engine names it -> its number (names resolved via rt_protos)."""
    if isinstance(value, int):
        return value
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    return RT_PROTOS.get(value, value)


def scope_name(value):
    if value is None:
        return "global"
    if isinstance(value, int) or value.isdigit():
        return SCOPE_NAMES.get(int(value), str(int(value)))
    return value


def tos_number(value):
    if value in (None, ""):
        return 0
    if isinstance(value, int):
        return value
    if value.startswith("0x"):
        return int(value, 16)
    if value.isdigit():
        return int(value)
    return RT_DSFIELD[value]


def iff_names(value):
    return sorted(name for bit, name in IFF if value & bit)


def cidr(dst, family):
    """``ip``'s route destination -> CIDR text as the schema writes it."""
    if dst in (None, "default"):
        return "0.0.0.0/0" if family == 4 else "::/0"
    if "/" not in dst:
        dst += "/32" if family == 4 else "/128"
    return str(ipaddress.ip_network(dst, strict=False))


def family_of(text):
    return ipaddress.ip_address(text.split("%", 1)[0]).version


# ---------------------------------------------------------------- links

def links(ns):
    """``{name: record}`` in the kernel's order: the schema's interface keys the kernel states."""
    raw = ns.ipj("-d", "link")
    probe = probe_links(ns)
    out = {}
    for link in raw:
        index = link["ifindex"]
        name = link["ifname"]
        ipflags = set(link.get("flags", []))
        flags = {f.lower() for f in ipflags - IP_PSEUDO_LINK_FLAGS}
        if "UP" in ipflags and "NO-CARRIER" not in ipflags:
            flags.add("running")  # ip drops IFF_RUNNING; it is UP without NO-CARRIER
        info = link.get("linkinfo") or {}
        kind = info.get("info_kind")
        data = info.get("info_data") or {}
        link_name = link.get("link")  # ip resolves IFLA_LINK to a name when it is here
        kind_data = {}
        if kind == "vxlan":
            kind_data = {"vni": data.get("id"), "port": data.get("port"), "local": data.get("local")
                         or data.get("local6"), "group": data.get("group") or data.get("group6"),
                         "link": data.get("link")}
        elif kind == "tun":
            kind_data = {"mode": data.get("type")}
        elif kind == "bridge":
            kind_data = {"stp_state": data.get("stp_state"),
                         "vlan_filtering": bool(data.get("vlan_filtering"))}
        rec = {
            "index": index,
            "name": name,
            "altnames": list(link.get("altnames", [])),
            "kind": kind,
            "kind_data": kind_data,
            "slave_kind": info.get("info_slave_kind"),
            "type": link.get("link_type"),
            "mac": link.get("address"),
            "permanent_mac": link.get("permaddr"),  # absent also when equal to mac (ip is lossy)
            "mtu": link.get("mtu"),
            "min_mtu": link.get("min_mtu"),
            "max_mtu": link.get("max_mtu"),
            "flags": sorted(flags),
            "raw_flags": iff_names(probe[index]["flags"]),
            "oper_state": link["operstate"].lower(),
            "carrier": probe[index]["carrier"],
            "master": link.get("master"),
            "parent": data.get("link") if kind == "vxlan" else (link_name if kind != "veth" else None),
            "peer": link_name if kind == "veth" else None,
            "link_netnsid": link.get("link_netnsid"),
            "alias": link.get("ifalias"),
        }
        out[name] = rec
    return out


def stats(ns):
    """``{name: {rx_packets, tx_packets, rx_bytes, tx_bytes, ...}}`` from ``ip -j -s link``."""
    out = {}
    for link in ns.ipj("-s", "link"):
        s = link.get("stats64") or link.get("stats") or {}
        rx, tx = s.get("rx", {}), s.get("tx", {})
        out[link["ifname"]] = {
            "rx_packets": rx.get("packets"), "tx_packets": tx.get("packets"),
            "rx_bytes": rx.get("bytes"), "tx_bytes": tx.get("bytes"),
            "rx_errors": rx.get("errors"), "tx_errors": tx.get("errors"),
            "rx_dropped": rx.get("dropped"), "tx_dropped": tx.get("dropped"),
            "multicast": rx.get("multicast"), "collisions": tx.get("collisions"),
        }
    return out


# ---------------------------------------------------------------- addresses

def _lifetime(value):
    return None if value is None or value == FOREVER else value


def address_record(ifname, a):
    family = 4 if a["family"] == "inet" else 6
    local = a["local"]
    peer = a.get("address")  # ip prints IFA_ADDRESS only when it differs from IFA_LOCAL
    prefixlen = a["prefixlen"]
    flags = {IP_ADDR_FLAG_NAMES[k] for k, v in a.items() if v is True and k in IP_ADDR_FLAG_NAMES}
    unknown = {k for k, v in a.items() if k not in IP_ADDR_FLAG_NAMES and k not in IP_ADDR_NON_FLAGS}
    if unknown:
        raise AssertionError("ip -j addr printed keys this normaliser does not know: %s in %r"
                             % (sorted(unknown), a))
    if not a.get("dynamic"):
        flags.add("permanent")  # ip prints "dynamic" for a missing IFA_F_PERMANENT
    addr = ipaddress.ip_address(local)
    link_local = family == 6 and addr.is_link_local
    return {
        "address": local,
        "prefixlen": prefixlen,
        "network": str(ipaddress.ip_network("%s/%d" % (peer or local, prefixlen), strict=False)),
        "family": family,
        "scope": scope_name(a.get("scope")),
        "broadcast": a.get("broadcast"),
        "peer": peer,
        "label": a.get("label") if family == 4 else None,
        "flags": sorted(flags),
        "zone": ifname if link_local else None,
        "preferred_lifetime": _lifetime(a.get("preferred_life_time")),
        "valid_lifetime": _lifetime(a.get("valid_life_time")),
    }


def addresses(ns):
    """``{ifname: [address records in the kernel's order]}`` (every interface, maybe empty)."""
    out = {}
    for link in ns.ipj("addr"):
        out[link["ifname"]] = [address_record(link["ifname"], a) for a in link.get("addr_info", [])]
    return out


def usable(rec):
    """The schema's best_local filter for one address."""
    return (rec["scope"] in ("global", "site")
            and not {"tentative", "dadfailed", "deprecated"} & set(rec["flags"]))


# ---------------------------------------------------------------- multicast

_IGMP_DEV = re.compile(r"^(\d+)\s+(.*?)\s*:\s+\d+\s+V\d+\s*$")


def multicast(ns):
    """``{ifindex: sorted [{address, family}]}`` from /proc/net/igmp and /proc/net/igmp6."""
    out = {}
    index = None
    for lineno, line in enumerate(ns.read("/proc/net/igmp").splitlines()):
        if lineno == 0 or not line.strip():
            continue
        if line[0] in " \t":
            group = int(line.split()[0], 16)
            packed = group.to_bytes(4, "little")  # printed as the host-order u32 (x86/arm: LE)
            out.setdefault(index, []).append({"address": str(ipaddress.IPv4Address(packed)), "family": 4})
        else:
            m = _IGMP_DEV.match(line)
            if not m:
                raise AssertionError("unexpected /proc/net/igmp line %r" % line)
            index = int(m.group(1))
            out.setdefault(index, [])
    for line in ns.read("/proc/net/igmp6").splitlines():
        fields = line.split()
        if not fields:
            continue
        packed = bytes.fromhex(fields[2])
        out.setdefault(int(fields[0]), []).append(
            {"address": str(ipaddress.IPv6Address(packed)), "family": 6})
    return {k: sorted(v, key=lambda g: (g["family"], g["address"])) for k, v in out.items()}


def maddr(ns):
    """``ip -j maddr`` reduced to the same shape (for the cross-check)."""
    out = {}
    for link in ns.ipj("maddr"):
        groups = [{"address": m["address"], "family": 4 if m["family"] == "inet" else 6}
                  for m in link.get("maddr", []) if "family" in m]
        out[link["ifindex"]] = sorted(groups, key=lambda g: (g["family"], g["address"]))
    return out


# ---------------------------------------------------------------- routes

def nexthop_objects(ns):
    """``{id: ip -j nexthop record}``."""
    return {nh["id"]: nh for nh in ns.ipj("nexthop")}


def _nh_flags(flags):
    return sorted(f for f in flags if f in RTNH_FLAG_NAMES)


def _expand_nhid(nhid, objects):
    nh = objects[nhid]
    if "group" in nh:
        out = []
        for member in nh["group"]:
            sub = objects[member["id"]]
            out.append({"gateway": sub.get("gateway"), "interface": sub.get("dev"),
                        "weight": member.get("weight", 1), "flags": _nh_flags(sub.get("flags", []))})
        return out
    if "blackhole" in nh:
        return [{"gateway": None, "interface": None, "weight": 1, "flags": ["blackhole"]}]
    return [{"gateway": nh.get("gateway"), "interface": nh.get("dev"), "weight": 1,
             "flags": _nh_flags(nh.get("flags", []))}]


def route_record(r, family, objects):
    rtype = r.get("type", "unicast")
    nhid = r.get("nhid")
    flags = sorted(r.get("flags", []))
    if nhid is not None:
        nexthops = _expand_nhid(nhid, objects)
    elif "nexthops" in r:
        nexthops = [{"gateway": nh.get("gateway"), "interface": nh.get("dev"),
                     "weight": nh.get("weight", 1), "flags": _nh_flags(nh.get("flags", []))}
                    for nh in r["nexthops"]]
    elif rtype in REJECT_TYPES or not (r.get("gateway") or r.get("dev")):
        nexthops = []  # reject routes, and throw and the like: no next hop at all
    else:
        nexthops = [{"gateway": r.get("gateway"), "interface": r.get("dev"), "weight": 1,
                     "flags": _nh_flags(flags)}]
    single = len(nexthops) == 1 and nexthops[0]["interface"] is not None
    return {
        "destination": cidr(r.get("dst"), family),
        "family": family,
        "type": rtype,
        "table": table_number(r.get("table")),
        "protocol": protocol_number(r.get("protocol", "boot")),
        "scope": scope_name(r.get("scope")),
        "metric": r.get("metric", 0),
        "preference": r.get("pref") if family == 6 else None,
        "gateway": nexthops[0]["gateway"] if single else None,
        "interface": nexthops[0]["interface"] if single else None,
        "ip_dev": r.get("dev"),  # what ip printed as dev (reject routes: lo); not a schema key
        "preferred_source": r.get("prefsrc"),
        "source": cidr(r["from"], family) if r.get("from") else None,
        "tos": tos_number(r.get("tos")),
        "flags": flags,
        "nexthop_id": nhid,
        "nexthops": nexthops,
    }


def routes(ns, include_local=False):
    """Every route of every table (but ``local`` unless asked) as schema records."""
    objects = nexthop_objects(ns)
    out = []
    for family, flag in ((4, "-4"), (6, "-6")):
        for r in ns.ipj("-d", flag, "route", "show", "table", "all"):
            rec = route_record(r, family, objects)
            if rec["table"] == 255 and not include_local:
                continue
            out.append(rec)
    return out


def gateways(route_records):
    """The schema's gateways: one entry per distinct next hop with a gateway address."""
    seen = []
    for r in route_records:
        for nh in r["nexthops"]:
            if not nh["gateway"]:
                continue
            g = {"address": nh["gateway"], "family": family_of(nh["gateway"]),
                 "interface": nh["interface"], "metric": r["metric"], "table": r["table"],
                 "default": r["destination"] in ("0.0.0.0/0", "::/0")}
            if g not in seen:
                seen.append(g)
    return seen


# ---------------------------------------------------------------- best_local / default

def chosen_default(route_records, family):
    """The schema's default-route choice: (pooled routes, usable next hops) or (None, [])."""
    dst = "0.0.0.0/0" if family == 4 else "::/0"
    cands = [r for r in route_records
             if r["family"] == family and r["destination"] == dst and r["type"] not in REJECT_TYPES
             and r["tos"] == 0 and r["source"] is None and r["table"] in DEFAULT_TABLE_CHAIN
             and r["type"] == "unicast"]
    for table in DEFAULT_TABLE_CHAIN:
        in_table = [r for r in cands if r["table"] == table]
        if not in_table:
            continue
        key = min((r["metric"], PREF_ORDER[r["preference"]]) for r in in_table)
        pooled = [r for r in in_table if (r["metric"], PREF_ORDER[r["preference"]]) == key]
        hops = [nh for r in pooled for nh in r["nexthops"]
                if nh["interface"] and not {"dead", "linkdown"} & set(nh["flags"])]
        return pooled, hops
    return None, []


def best_local(route_records, addrs, family):
    """``[{address, prefixlen, interface}]`` by the schema's rule."""
    pooled, hops = chosen_default(route_records, family)
    if not pooled:
        return []
    out = []

    def add(rec, ifname):
        item = {"address": rec["address"], "prefixlen": rec["prefixlen"], "interface": ifname}
        if item not in out:
            out.append(item)

    fam_addrs = [(ifname, a) for ifname, lst in addrs.items() for a in lst if a["family"] == family]
    for r in pooled:
        if r["preferred_source"]:
            for ifname, a in fam_addrs:
                if a["address"] == r["preferred_source"] and usable(a):
                    add(a, ifname)
                    break
    interfaces = []
    for nh in hops:
        if nh["interface"] not in interfaces:
            interfaces.append(nh["interface"])
    for ifname in interfaces:
        for a in addrs.get(ifname, []):
            if a["family"] == family and usable(a):
                add(a, ifname)
    return out


# ---------------------------------------------------------------- route get

# source_for's names of the traffic's selectors -> ``ip route get``'s words for them
ROUTE_GET_WORDS = {"source": "from", "fwmark": "mark", "uid": "uid", "iif": "iif", "oif": "oif",
                   "ipproto": "ipproto", "sport": "sport", "dport": "dport"}


def route_get(ns, destination, fibmatch=False, **selectors):
    """``ip -d -j route get`` of one destination (``addr%zone`` becomes ``oif zone``);
    ``selectors`` describe the traffic (``fwmark=51820``, ``uid=1000``, ``source=...``: see
    ROUTE_GET_WORDS). ``fibmatch`` asks for the matching route itself (RTM_F_FIB_MATCH).

    Returns ``{address, family, source, interface, gateway, table, type}`` (and ``prefix``, the
    route's destination, with ``fibmatch``) or ``{error: stderr}``. With a ``source`` selector
    the source is the one given: ``ip`` then prints it as ``from`` (IPv4 leaves out ``prefsrc``,
    IPv6 prints the source it would have picked itself).
    """
    addr, _sep, zone = destination.partition("%")
    family = family_of(addr)
    argv = ["-d", "-j", "-%d" % family, "route", "get"] + (["fibmatch"] if fibmatch else []) + [addr]
    if zone:
        argv += ["oif", zone]
    for key, value in sorted(selectors.items()):
        if value is not None:
            argv += [ROUTE_GET_WORDS[key], str(value)]
    proc = run(["ip", "-n", ns.name] + argv, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip() or "exit %d" % proc.returncode}
    r = json.loads(proc.stdout)[0]
    out = {"address": addr, "family": family, "source": selectors.get("source") or r.get("prefsrc"),
           "interface": r.get("dev"), "gateway": r.get("gateway"),
           "table": table_number(r["table"]) if "table" in r else None,
           "type": r.get("type", "unicast")}
    if fibmatch:
        out["prefix"] = cidr(r.get("dst"), family)
    return out
