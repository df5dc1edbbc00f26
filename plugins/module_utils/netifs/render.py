# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Facts as a readable text table, for the ``netifs`` command: interfaces with their state and
classified addresses, gateways, routes, policy rules, best local addresses, and the kernel's answer
per destination.

Every value that came from the host is shown with its non-printable characters escaped, so that
an interface name or alias cannot move the cursor or recolour the terminal.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# Address flags worth a mark: they make an address unusable or special as a source.
_MARKED_FLAGS = ("tentative", "dadfailed", "deprecated", "temporary", "secondary")


def safe(value):
    """``value`` as text with every non-printable character escaped (``\\x1b``, ``\\u200b``)."""
    if value is None:
        return "-"
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def table(header, rows):
    """Left-aligned columns, two spaces apart, the last column unpadded."""
    rows = [[safe(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return lines


def _address(addr):
    text = "%s/%d" % (addr["address"], addr["prefixlen"])
    if addr.get("zone"):
        text += "%" + addr["zone"]
    marks = [flag for flag in _MARKED_FLAGS if flag in addr.get("flags", ())]
    return "%s %s%s" % (text, addr["class"], " [%s]" % ",".join(marks) if marks else "")


def interface_rows(interfaces):
    """One row per interface, and one more per address after its first."""
    rows = []
    for iface in interfaces.values():
        addrs = [_address(a) for a in iface.get("addresses", ())] or ["-"]
        rows.append([iface["name"], iface["index"], iface.get("kind"), iface.get("oper_state"), iface.get("mtu"),
                     iface.get("mac"), iface.get("master"), addrs[0]])
        rows += [[""] * 7 + [a] for a in addrs[1:]]
    return rows


def _gateway_rows(gateways):
    return [["ipv%d" % g["family"], g["address"], g["interface"], g["metric"], g["table"],
             "default" if g["default"] else ""] for g in gateways]


def _best_rows(best):
    rows = []
    for key in ("ipv4", "ipv6"):
        found = best.get(key) or []
        rows.append([key, ", ".join("%s (%s)" % (b["address"], b["interface"]) for b in found) or "none"])
    return rows


def _hop(hop):
    text = "via %s" % hop["gateway"] if hop["gateway"] else ",".join(hop["flags"]) or "direct"
    return "%s dev %s" % (text, hop["interface"]) if hop["interface"] else text


def _route_rows(routes):
    return [[r["destination"], r["type"], r["table"], r["metric"], r["protocol"],
             "; ".join(_hop(h) for h in r["nexthops"]) or "-"] for r in routes]


def _rule_match(rule):
    """A rule's selectors, worded as ``ip rule`` words them."""
    words = ["not"] if rule["invert"] else []
    words.append("from %s" % (rule["from"] or "all"))
    words += ["%s %s" % (key, rule[key]) for key in ("to", "iif", "oif", "ipproto") if rule[key] is not None]
    if rule["fwmark"] is not None:
        words.append("fwmark %#x/%#x" % (rule["fwmark"], rule["fwmask"]))
    if rule["tos"]:
        words.append("tos %#x" % rule["tos"])
    for key, word in (("uid_range", "uidrange"), ("sport_range", "sport"), ("dport_range", "dport")):
        if rule[key]:
            words.append("%s %d-%d" % (word, rule[key][0], rule[key][1]))
    return " ".join(words)


def _rule_action(rule):
    if rule["action"] == "lookup":
        text = "lookup %s" % ("l3mdev-table" if rule["l3mdev"] else rule["table"])
    elif rule["action"] == "goto":
        text = "goto %s" % rule["goto"]
    else:
        text = rule["action"]
    text += "".join(" %s %d" % (key, rule[key]) for key in ("suppress_prefixlength", "suppress_ifgroup")
                    if rule[key] is not None)
    return text + "".join(" [%s]" % flag for flag in rule["flags"])


def _rule_rows(rules):
    return [["ipv%d" % r["family"], r["priority"], _rule_match(r), _rule_action(r)] for r in rules]


def _source_rows(sources):
    rows = []
    for s in sources:
        if s["error"]:
            rows.append([s["destination"], s["address"], "-", "-", "-", "error: " + s["error"]])
        else:
            rows.append([s["destination"], s["address"], s["source"], s["interface"], s["gateway"], s["type"]])
    return rows


def render(facts, routes=False):
    """The facts as text: a section per subset that the facts hold; routes only if ``routes``,
    since a router's table can hold a million of them."""
    sections = []
    if "interfaces" in facts:
        sections.append(table(["INTERFACE", "INDEX", "KIND", "STATE", "MTU", "MAC", "MASTER", "ADDRESSES"],
                              interface_rows(facts["interfaces"])))
    if "gateways" in facts:
        sections.append(["GATEWAYS"] + table(["FAMILY", "ADDRESS", "INTERFACE", "METRIC", "TABLE", ""],
                                             _gateway_rows(facts["gateways"])))
    if routes and "routes" in facts:
        sections.append(["ROUTES"] + table(["DESTINATION", "TYPE", "TABLE", "METRIC", "PROTOCOL", "NEXT HOPS"],
                                           _route_rows(facts["routes"])))
    if "rules" in facts:
        sections.append(["RULES"] + table(["FAMILY", "PRIORITY", "SELECTORS", "ACTION"], _rule_rows(facts["rules"])))
    if "best_local" in facts:
        sections.append(["BEST LOCAL"] + table(["FAMILY", "ADDRESSES"], _best_rows(facts["best_local"])))
    if "sources" in facts:
        sections.append(["ROUTES TO"] + table(["DESTINATION", "ADDRESS", "SOURCE", "INTERFACE", "GATEWAY", "TYPE"],
                                              _source_rows(facts["sources"])))
    return "\n\n".join("\n".join(lines) for lines in sections)
