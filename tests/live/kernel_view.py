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
* rules: ``ip rule`` names tables, protocols, TOS values and interface groups from /etc/iproute2
  and IP protocols from /etc/protocols (``ipproto-N`` when unnamed), prints a host prefix without
  its length, ``all`` for no prefix, a fwmask only when it is not 0xffffffff, a port range of one
  port as ``sport``/``dport``, ``suppress_*`` only for a rule with a table, and ``proto`` only
  with ``-d``. Keys it prints that the schema has no place for (realms, tun_id, nat) fail the
  normaliser rather than pass unseen.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import json
import os
import re
import socket

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
RT_GROUPS = _read_names("/etc/iproute2/group", {"default": 0})
# linux/rtnetlink.h RTPROT_* names: how the schema names a rule's protocol (the number otherwise).
RTPROT_NAMES = {
    0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated", 9: "ra", 10: "mrt",
    11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp", 15: "ntk", 16: "dhcp", 17: "mrouted",
    18: "keepalived", 42: "babel", 99: "openr", 186: "bgp", 187: "isis", 188: "ospf", 189: "rip",
    192: "eigrp",
}


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


def gateways(route_records, defaults):
    """The schema's gateways: one entry per distinct next hop with a gateway address; ``default``
    when the route is one the kernel takes to the public Internet (``defaults``: ``route_id``s)."""
    seen = []
    for r in route_records:
        for nh in r["nexthops"]:
            if not nh["gateway"]:
                continue
            g = {"address": nh["gateway"], "family": family_of(nh["gateway"]),
                 "interface": nh["interface"], "metric": r["metric"], "table": r["table"],
                 "default": route_id(r) in defaults}
            if g not in seen:
                seen.append(g)
    return seen


def route_id(r):
    return (r["family"], r["table"], r["destination"], r["metric"])


# ---------------------------------------------------------------- the way out: ip route get

# What ``ip route get`` prints when the lookup ends on a rejecting route (the errno's text).
ERROR_TYPES = {"Invalid argument": "blackhole", "No route to host": "unreachable", "Permission denied": "prohibit"}


def _error(proc):
    text = proc.stderr.strip() or "exit %d" % proc.returncode
    return {"error": text, "type": next((t for m, t in ERROR_TYPES.items() if m in text), None)}


# source_for's names of the traffic's selectors -> ``ip route get``'s words for them
ROUTE_GET_WORDS = {"source": "from", "fwmark": "mark", "uid": "uid", "iif": "iif", "oif": "oif",
                   "ipproto": "ipproto", "sport": "sport", "dport": "dport"}


def route_get(ns, destination, fibmatch=False, **selectors):
    """``ip -d -j route get`` of one destination (``addr%zone`` or an ``oif`` selector pins the
    output interface); ``selectors`` describe the traffic (``fwmark=51820``, ``uid=1000``,
    ``source=...``: see ROUTE_GET_WORDS). ``fibmatch`` asks for the matching route itself.

    Returns ``{address, family, source, interface, gateway, table, type}`` (and ``prefix``, the
    route's destination, with ``fibmatch``) or ``{error: stderr, type: the reject type its errno
    stands for, or None}``. With a ``source`` selector the source is the one given: ``ip`` then
    prints it as ``from`` (IPv4 leaves out ``prefsrc``, IPv6 prints the one it would pick).
    """
    addr, _sep, zone = destination.partition("%")
    family = family_of(addr)
    argv = ["-d", "-j", "-%d" % family, "route", "get"] + (["fibmatch"] if fibmatch else []) + [addr]
    selectors["oif"] = zone or selectors.get("oif")
    for key, value in sorted(selectors.items()):
        if value is not None:
            argv += [ROUTE_GET_WORDS[key], str(value)]
    proc = run(["ip", "-n", ns.name] + argv, check=False)
    if proc.returncode != 0:
        return _error(proc)
    r = json.loads(proc.stdout)[0]
    out = {"address": addr, "family": family, "source": selectors.get("source") or r.get("prefsrc"),
           "interface": r.get("dev"), "gateway": r.get("gateway"),
           "table": table_number(r["table"]) if "table" in r else None,
           "type": r.get("type", "unicast")}
    if fibmatch:
        out["prefix"] = cidr(r.get("dst"), family)
    return out


def route_match(ns, destination, objects):
    """``ip -d -j route get fibmatch``: the route the lookup matched, as a schema record."""
    family = family_of(destination)
    proc = run(["ip", "-n", ns.name, "-d", "-j", "-%d" % family, "route", "get", "fibmatch", destination],
               check=False)
    if proc.returncode != 0:
        return _error(proc)
    return route_record(json.loads(proc.stdout)[0], family, objects)


def _path(got, match):
    """What probes share when they leave the same way: the hops, not the prefix."""
    if "error" in got:
        return ("error", got["type"])
    return (got["type"], got["table"],
            tuple(sorted((h["gateway"] or "", h["interface"] or "") for h in match["nexthops"])))


def way_out(ns, family, probes):
    """The kernel's answers for ``probes``: ``{answers: [(probe, route get, fibmatch route)],
    chosen: the first answer of the largest group leaving the same way (None when that group has
    no route), group: that group's answers, hop_sources: {interface: src of route get ... oif}}``."""
    objects = nexthop_objects(ns)
    answers = []
    for probe in probes:
        got = route_get(ns, probe)
        answers.append((probe, got, None if "error" in got else route_match(ns, probe, objects)))
    paths = [_path(got, match) for _p, got, match in answers]
    best = max(paths, key=lambda p: (paths.count(p), -paths.index(p)))
    group = [a for a, p in zip(answers, paths) if p == best]
    out = {"answers": answers, "paths": paths, "best": best, "group": group, "hop_sources": {},
           "chosen": None if best == ("error", None) else group[0]}
    if out["chosen"] and out["chosen"][2]:
        probe, got, match = out["chosen"]
        for hop in match["nexthops"]:
            if hop["interface"] and hop["interface"] != got["interface"]:
                out["hop_sources"][hop["interface"]] = route_get(ns, probe, oif=hop["interface"]).get("source")
        out["hop_sources"][got["interface"]] = got["source"]
    return out


def default_ids(ways):
    """The ``route_id`` of every route the chosen probes leave by."""
    return {route_id(m) for way in ways if way["chosen"] for _p, _g, m in way["group"] if m}


def owner(addrs, address, family, first):
    """``(interface, address record)`` holding ``address``, ``first`` looked at first."""
    for name in [first] + [n for n in addrs if n != first]:
        for a in addrs.get(name, ()):
            if a["family"] == family and a["address"] == address:
                return name, a
    return None, None


def best_local(way, addrs, family):
    """``[{address, prefixlen, interface}]``: the kernel's source for the chosen probe, each
    hop's source (``route get ... oif``), then the usable addresses of those interfaces."""
    if way["chosen"] is None or "error" in way["chosen"][1]:
        return []
    _probe, got, match = way["chosen"]
    devs = [got["interface"]] + [h["interface"] for h in match["nexthops"] if h["interface"]]
    out = []

    def add(rec, name):
        item = {"address": rec["address"], "prefixlen": rec["prefixlen"], "interface": name}
        if item["address"] not in [o["address"] for o in out]:
            out.append(item)
    for dev in devs:
        name, rec = owner(addrs, way["hop_sources"].get(dev), family, dev)
        if rec:
            add(rec, name)
    for dev in devs:
        for a in addrs.get(dev, ()):
            if a["family"] == family and usable(a) and not ipaddress.ip_address(a["address"]).is_multicast:
                add(a, dev)
    return out


# ---------------------------------------------------------------- sources

ROUTE_KEYS_OF_SOURCES = ("source", "interface", "gateway", "table", "type")
ERROR_TEXT = "<an error text>"


def reject_route(routes, destination, rtype):
    """The longest route of type ``rtype`` covering ``destination`` (lowest metric), or None."""
    addr = ipaddress.ip_address(destination)
    hits = [r for r in routes if r["type"] == rtype and r["family"] == addr.version
            and addr in ipaddress.ip_network(r["destination"])]
    hits.sort(key=lambda r: (-ipaddress.ip_network(r["destination"]).prefixlen, r["metric"]))
    return hits[0] if hits else None


def expected_source(ns, destination, routes):
    """The ``sources`` entry ``ip route get`` stands for: on an error every route key null but
    the reject type its errno tells, with the table of the tables' route of that type."""
    k = route_get(ns, destination)
    out = {"destination": destination}
    if "error" in k:
        out.update(dict.fromkeys(ROUTE_KEYS_OF_SOURCES), error=ERROR_TEXT, type=k["type"])
        if k["type"]:
            found = reject_route(routes, destination.partition("%")[0], k["type"])
            out["table"] = found["table"] if found else None
        return out
    out.update(k, error=None)
    return out


def engine_source(s, zone=None):
    """An engine ``sources`` entry in ``expected_source``'s shape (an error's text left out; a
    zone on an address accepted where it names the right interface)."""
    out = {k: s.get(k) for k in ("destination", "address", "family", "error") + ROUTE_KEYS_OF_SOURCES}
    if out["error"]:
        out["error"] = ERROR_TEXT
        del out["address"], out["family"]
    for key in ("address", "source"):
        value = out.get(key)
        if isinstance(value, str) and "%" in value:
            addr, _sep, z = value.partition("%")
            if z == (zone or out.get("interface")):
                out[key] = addr
    return out


# ---------------------------------------------------------------- rules

IP_RULE_KEYS = {"priority", "not", "src", "srclen", "dst", "dstlen", "tos", "fwmark", "fwmask", "iif",
                "iif_detached", "oif", "oif_detached", "l3mdev", "uid_start", "uid_end", "ipproto", "sport",
                "sport_start", "sport_end", "dport", "dport_start", "dport_end", "table", "suppress_prefixlen",
                "suppress_ifgroup", "goto", "unresolved", "nop", "action", "protocol"}
RULE_ACTIONS = {"blackhole", "unreachable", "prohibit"}


def _rule_prefix(r, key, family):
    if r.get(key) in (None, "all"):
        return None
    return "%s/%d" % (r[key], r.get(key + "len", 32 if family == 4 else 128))


def _rule_range(r, key):
    if key in r:
        return [r[key], r[key]]
    if key + "_start" in r:
        return [r[key + "_start"], r[key + "_end"]]
    return None


def _rule_action(r):
    if "goto" in r:
        return "goto"
    if "nop" in r:
        return "nop"
    if r.get("action") in RULE_ACTIONS:
        return r["action"]
    if "action" in r:
        raise AssertionError("ip -j rule printed an action this normaliser does not know: %r" % r)
    return "lookup"


def _ipproto(name):
    if name is None:
        return None
    if name.startswith("ipproto-"):
        return int(name[len("ipproto-"):])
    return socket.getprotobyname(name)


def _group(value):
    if value is None:
        return None
    return int(value) if value.isdigit() else RT_GROUPS[value]


def rule_record(r, family):
    """One entry of ``ip -d -j rule`` as the schema's rule record."""
    unknown = set(r) - IP_RULE_KEYS
    if unknown:
        raise AssertionError("ip -j rule printed keys this normaliser does not know: %s in %r" % (sorted(unknown), r))
    action = _rule_action(r)
    marked = "fwmark" in r
    protocol = protocol_number(r.get("protocol", "unspec"))
    return {
        "family": family,
        "priority": r["priority"],
        "action": action,
        "table": (table_number(r["table"]) if "table" in r else 0) if action == "lookup" else None,
        "goto": r.get("goto"),
        "invert": "not" in r,
        "from": _rule_prefix(r, "src", family),
        "to": _rule_prefix(r, "dst", family),
        "iif": r.get("iif"),
        "oif": r.get("oif"),
        "fwmark": int(r["fwmark"], 0) if marked else None,
        "fwmask": (int(r["fwmask"], 0) if "fwmask" in r else 0xFFFFFFFF) if marked else None,
        "tos": tos_number(r.get("tos")),
        "l3mdev": "l3mdev" in r,
        "uid_range": [r["uid_start"], r["uid_end"]] if "uid_start" in r else None,
        "ipproto": _ipproto(r.get("ipproto")),
        "sport_range": _rule_range(r, "sport"),
        "dport_range": _rule_range(r, "dport"),
        "suppress_prefixlength": r.get("suppress_prefixlen"),
        "suppress_ifgroup": _group(r.get("suppress_ifgroup")),
        "protocol": RTPROT_NAMES.get(protocol, str(protocol)),
        "flags": [f for f in ("unresolved", "iif_detached", "oif_detached") if f in r],
    }


def rules(ns):
    """Every policy rule, IPv4 then IPv6, each in the kernel's order, as schema records."""
    return [rule_record(r, family) for family in (4, 6) for r in ns.ipj("-d", "-%d" % family, "rule", "show")]
