# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The network report's picture: an SVG drawn from the model of ``report_model``.

Hosts are boxes in a column on the left, one row per address shown (interface and address); the
subnets are boxes in a column on the right; an edge runs from each address row to its subnet.
The layout is a pure function of the model: hosts keep the model's order, each subnet sits at
the mean height of its edges (ties by network), so the same inventory draws the same picture.
Every text from the facts is escaped, since interface names and aliases come from the hosts.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from html import escape

MARGIN = 20
ROW = 18          # one line of 12px text
HEAD = 24         # a box's bold first line
PAD = 8
GAP = 14          # between boxes of a column
EDGES = 240       # the width between the columns, where the edges run
CHAR = 7.3        # the width of a 12px monospace character
NAME_CHAR = 8.0   # and of a bold 13px one, the first line of a box
HOST_WIDTH = (180, 430)
SUBNET_WIDTH = (170, 330)
MEMBER_SPACING = 9  # the least height per edge ending on a subnet box
MAX_GATEWAY_LINES = 3

# XML 1.0 forbids these even as character references; facts may hold them (aliases are bytes).
_NOT_XML = re.compile(u"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

STYLE = """
.nr-host rect{fill:#eff6ff;stroke:#1e3a8a;stroke-width:1.2}
.nr-host.nr-nofacts rect{fill:#f3f4f6;stroke:#6b7280;stroke-dasharray:4 3}
.nr-subnet rect{fill:#f8fafc;stroke:#94a3b8;stroke-width:1}
.nr-subnet.nr-shared rect{fill:#ecfdf5;stroke:#047857;stroke-width:2}
.nr-edge{fill:none;stroke-width:1.4;opacity:.8}
.nr-v4{stroke:#2563eb}.nr-v6{stroke:#9333ea}
.nr-port.nr-v4{fill:#2563eb}.nr-port.nr-v6{fill:#9333ea}
text{font-family:"DejaVu Sans Mono",monospace;font-size:12px;fill:#111827}
text.nr-name{font-weight:bold;font-size:13px}
text.nr-note{fill:#4b5563}
"""


def text(value):
    """``value`` as text safe in SVG and HTML, in element content and in quoted attributes."""
    value = _NOT_XML.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100 else u"\ufffd",
                         u"%s" % (value,))
    return escape(value, quote=True)


def fit(value, width, char=CHAR):
    """``value`` cut with an ellipsis to what fits ``width`` pixels (the full text goes in a title)."""
    value = u"%s" % (value,)
    room = max(int(width // char), 2)
    return value if len(value) <= room else value[:room - 1] + u"\u2026"


def column_width(names, texts, bounds):
    """The width of a column's boxes: the widest first line or row, within ``bounds``."""
    widest = max([len(u"%s" % (t,)) * CHAR for t in texts] + [len(u"%s" % (n,)) * NAME_CHAR for n in names] + [0])
    return int(min(max(widest + 2 * PAD + 1, bounds[0]), bounds[1]))  # +1: int() must not cut a character


def address_rows(host):
    """``[(label, interface, address record)]``: the rows of a host box, in the facts' order."""
    return [(u"%s %s/%s" % (iface["name"], addr["address"], addr["prefixlen"]), iface["name"], addr)
            for iface in host["interfaces"] for addr in iface["addresses"]]


def host_note(host):
    """The second line of a host box: the IPv4 (else IPv6) default route."""
    if host["reason"]:
        return u"no facts: %s" % host["reason"]
    for key in ("default_ipv4", "default_ipv6"):
        default = host.get(key)
        if default and default.get("gateway"):
            return u"default via %s %s" % (default["gateway"], default.get("interface") or "")
    return u"no default route"


def subnet_lines(subnet):
    count = len(subnet["hosts"])
    lines = [u"%d host%s%s" % (count, "" if count == 1 else "s", ", shared" if subnet["shared"] else "")]
    gateways = subnet["gateways"]
    lines += [u"gateway %s" % g for g in gateways[:MAX_GATEWAY_LINES]]
    if len(gateways) > MAX_GATEWAY_LINES:
        lines.append(u"+%d gateways" % (len(gateways) - MAX_GATEWAY_LINES))
    return lines


def layout(model):
    """Boxes and edges with their coordinates: ``{width, height, hosts, subnets, edges}``."""
    hosts, ports = place_hosts(model["hosts"])
    host_w = hosts[0]["w"] if hosts else HOST_WIDTH[0]
    subnet_x = MARGIN + host_w + EDGES
    subnets, edges = place_subnets(model["subnets"], ports, subnet_x)
    bottom = max([b["y"] + b["h"] for b in hosts + subnets] or [MARGIN + HEAD])
    right = max([b["x"] + b["w"] for b in subnets] or [subnet_x + SUBNET_WIDTH[0]])
    return {"width": int(right + MARGIN), "height": int(bottom + MARGIN), "hosts": hosts, "subnets": subnets,
            "edges": edges}


def place_hosts(hosts):
    """The host boxes top to bottom, and ``{(host, interface, address, network): (x, y)}`` of their rows' ports."""
    # A long reason why a host has no facts is cut rather than widening every box; the rows need
    # room for their port as well.
    texts = [host_note(h) for h in hosts if not h["reason"]]
    texts += [label + u"  " for h in hosts for label, _ifname, _addr in address_rows(h)]
    width = column_width([h["name"] for h in hosts], texts, HOST_WIDTH)
    boxes, ports, y = [], {}, MARGIN
    for host in hosts:
        rows = address_rows(host)
        box = {"x": MARGIN, "y": y, "w": width, "h": HEAD + ROW * (1 + len(rows)) + PAD, "host": host, "rows": []}
        for number, (label, ifname, addr) in enumerate(rows):
            row_y = y + HEAD + ROW * (number + 1)
            box["rows"].append({"label": label, "y": row_y, "family": addr["family"]})
            ports[(host["name"], ifname, addr["address"], addr["network"])] = (MARGIN + width, row_y + ROW / 2.0)
        boxes.append(box)
        y += box["h"] + GAP
    return boxes, ports


def place_subnets(subnets, ports, x):
    """The subnet boxes, each as near the mean height of its edges as the boxes above allow, and the edges."""
    width = column_width([s["network"] for s in subnets], [line for s in subnets for line in subnet_lines(s)],
                         SUBNET_WIDTH)
    wanted = []
    for order, subnet in enumerate(subnets):
        # Edges end on the box in the order of their rows, so that they do not cross each other there.
        ends = sorted(((ports[(m["host"], m["interface"], m["address"], subnet["network"])], m)
                       for m in subnet["members"]), key=lambda end: end[0][1])
        height = max(HEAD + ROW * len(subnet_lines(subnet)) + PAD, MEMBER_SPACING * (len(ends) + 1))
        middle = sum(start[1] for start, _member in ends) / len(ends)
        wanted.append((middle - height / 2.0, order, subnet, ends, height))
    boxes, edges, floor = [], [], MARGIN
    for top, _order, subnet, ends, height in sorted(wanted, key=lambda w: (w[0], w[1])):
        y = max(top, floor)
        boxes.append({"x": x, "y": y, "w": width, "h": height, "subnet": subnet})
        for number, (start, member) in enumerate(ends):
            end = (x, y + height * (number + 1) / (len(ends) + 1.0))
            title = u"%s %s %s in %s" % (member["host"], member["interface"], member["address"], subnet["network"])
            edges.append({"from": start, "to": end, "family": subnet["family"], "title": title})
        floor = y + height + GAP
    return boxes, edges


def render(model):
    """The SVG document (an ``<svg>`` element, to stand alone or sit in an HTML page) of ``model``."""
    drawn = layout(model)
    summary = u"%d hosts, %d subnets, %d shared" % (
        len(model["hosts"]), len(model["subnets"]), sum(1 for s in model["subnets"] if s["shared"]))
    parts = [u'<svg xmlns="http://www.w3.org/2000/svg" class="netifs-report" width="%d" height="%d" '
             u'viewBox="0 0 %d %d" role="img" aria-label="%s">' % (
                 drawn["width"], drawn["height"], drawn["width"], drawn["height"], text(summary)),
             u"<title>Network: %s</title>" % text(summary), u"<style>%s</style>" % STYLE]
    if not model["hosts"]:
        parts.append(u'<text x="%d" y="%d" class="nr-note">no hosts</text>' % (MARGIN, MARGIN + ROW))
    parts += [draw_edge(edge) for edge in drawn["edges"]]
    parts += [draw_host(box) for box in drawn["hosts"]]
    parts += [draw_subnet(box) for box in drawn["subnets"]]
    parts.append(u"</svg>")
    return u"\n".join(parts)


def family_class(family):
    return "nr-v6" if family == 6 else "nr-v4"


def draw_edge(edge):
    (x1, y1), (x2, y2) = edge["from"], edge["to"]
    bend = EDGES / 2.0
    return (u'<path class="nr-edge %s" d="M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f"><title>%s</title></path>'
            % (family_class(edge["family"]), x1, y1, x1 + bend, y1, x2 - bend, y2, x2, y2, text(edge["title"])))


def label(x, y, value, width, css=None):
    """A line of text, cut to ``width``; its full text as a tooltip when cut."""
    shown = fit(value, width, NAME_CHAR if css == "nr-name" else CHAR)
    tip = u"<title>%s</title>" % text(value) if shown != u"%s" % (value,) else u""
    return u'<text x="%.1f" y="%.1f"%s>%s%s</text>' % (
        x, y, u' class="%s"' % css if css else u"", tip, text(shown))


def draw_host(box):
    host, x, y, w = box["host"], box["x"], box["y"], box["w"]
    css = u"nr-host nr-nofacts" if host["reason"] else u"nr-host"
    parts = [u'<g class="%s" data-host="%s">' % (css, text(host["name"])),
             u'<rect x="%d" y="%d" width="%d" height="%d" rx="6"/>' % (x, y, w, box["h"]),
             label(x + PAD, y + 17, host["name"], w - 2 * PAD, "nr-name"),
             label(x + PAD, y + HEAD + 13, host_note(host), w - 2 * PAD, "nr-note")]
    for row in box["rows"]:
        parts.append(label(x + PAD, row["y"] + 13, row["label"], w - 2 * PAD - 8))
        parts.append(u'<circle class="nr-port %s" cx="%d" cy="%.1f" r="3"/>'
                     % (family_class(row["family"]), x + w, row["y"] + ROW / 2.0))
    parts.append(u"</g>")
    return u"\n".join(parts)


def draw_subnet(box):
    subnet, x, y, w = box["subnet"], box["x"], box["y"], box["w"]
    css = u"nr-subnet nr-shared" if subnet["shared"] else u"nr-subnet"
    parts = [u'<g class="%s" data-network="%s">' % (css, text(subnet["network"])),
             u'<rect x="%d" y="%.1f" width="%d" height="%.1f" rx="3"/>' % (x, y, w, box["h"]),
             label(x + PAD, y + 17, subnet["network"], w - 2 * PAD, "nr-name")]
    for number, line in enumerate(subnet_lines(subnet)):
        parts.append(label(x + PAD, y + HEAD + 13 + ROW * number, line, w - 2 * PAD, "nr-note"))
    parts.append(u"</g>")
    return u"\n".join(parts)
