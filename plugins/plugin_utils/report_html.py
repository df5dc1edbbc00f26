# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The network report's HTML page: the picture of ``report_svg``, the shared subnets and a table
per host, from the model of ``report_model``.

The page is one self-contained file: no script, no fetch, its style inline. Its content security
policy forbids scripts and every fetch as well, so that a text the escaping missed still could
not run or call out. Nothing on it depends on the time it was made: the same model gives the same
page, so that rewriting it reports a change only when the network changed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netifs.core.plugins.plugin_utils import report_svg
from ansible_collections.netifs.core.plugins.plugin_utils.report_svg import text

POLICY = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#111827;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.map{overflow:auto;border:1px solid #e5e7eb;padding:8px}
table{border-collapse:collapse;font-size:13px;margin:4px 0}
th,td{border:1px solid #d1d5db;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}.addr,code{font-family:"DejaVu Sans Mono",monospace}
.note{color:#4b5563}
"""

INTERFACE_COLUMNS = (("Interface", "name"), ("Kind", "kind"), ("State", "oper_state"), ("MTU", "mtu"),
                     ("MAC", "mac"), ("Master", "master"), ("Alias", "alias"))


def render(model, title):
    """The page, as one string."""
    shared = [s for s in model["subnets"] if s["shared"]]
    without = sum(1 for h in model["hosts"] if h["reason"])
    summary = "%d hosts%s, %d subnets, %d shared by two hosts or more." % (
        len(model["hosts"]), " (%d without facts)" % without if without else "", len(model["subnets"]), len(shared))
    parts = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
             '<meta http-equiv="Content-Security-Policy" content="%s">' % text(POLICY),
             '<title>%s</title>' % text(title), '<style>%s</style>' % STYLE, '</head>', '<body>',
             '<h1>%s</h1>' % text(title), '<p class="note">%s</p>' % text(summary),
             '<h2>Map</h2>', '<div class="map">%s</div>' % report_svg.render(model),
             '<h2>Shared subnets</h2>', shared_table(shared), '<h2>Hosts</h2>']
    parts += [host_section(host) for host in model["hosts"]] or ['<p class="note">No hosts.</p>']
    parts += ['<p class="note">Made by netifs.core.network_report_html from facts gathered by '
              'netifs.core.netifs_facts.</p>', '</body>', '</html>', '']
    return "\n".join(parts)


def row(cells, tag="td", css=None):
    """A table row of cells that are already markup."""
    attr = ' class="%s"' % css if css else ""
    return "<tr>%s</tr>" % "".join("<%s%s>%s</%s>" % (tag, attr, c, tag) for c in cells)


def lines(values):
    return "<br>".join(text(v) for v in values)


def shared_table(shared):
    if not shared:
        return '<p class="note">No subnet is shared by two hosts.</p>'
    rows = [row(["Subnet", "Hosts", "Members", "Gateways"], "th")]
    for subnet in shared:
        members = ["%s %s %s" % (m["host"], m["interface"], m["address"]) for m in subnet["members"]]
        rows.append(row(["<code>%s</code>" % text(subnet["network"]), lines(subnet["hosts"]),
                         lines(members), lines(subnet["gateways"]) or "-"]))
    return '<table class="shared">%s</table>' % "\n".join(rows)


def host_section(host):
    parts = ['<section class="host">', '<h3>%s</h3>' % text(host["name"])]
    if host["reason"]:
        parts.append('<p class="note">No facts: %s</p>' % text(host["reason"]))
        parts.append('</section>')
        return "\n".join(parts)
    defaults = ["IPv%s default via %s on %s" % (key[-1], d.get("gateway"), d.get("interface"))
                for key, d in (("default_ipv4", host["default_ipv4"]), ("default_ipv6", host["default_ipv6"])) if d]
    parts.append('<p class="note">%s</p>' % (lines(defaults) or "No default route."))
    rows = [row([name for name, _key in INTERFACE_COLUMNS] + ["Addresses"], "th")]
    for iface in host["interfaces"]:
        cells = [text("-" if iface.get(key) is None else iface[key]) for _name, key in INTERFACE_COLUMNS]
        addresses = ["%s/%s %s" % (a["address"], a["prefixlen"], a["class"]) for a in iface["addresses"]]
        rows.append(row(cells + ['<span class="addr">%s</span>' % lines(addresses)]))
    parts += ['<table class="interfaces">%s</table>' % "\n".join(rows), '</section>']
    return "\n".join(parts)
