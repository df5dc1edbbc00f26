# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's picture: time against interface count, log-log, one line per tool, as SVG.

Written with the standard library alone, so the benchmark needs no plotting package.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 960, 600
LEFT, RIGHT, TOP, BOTTOM = 80, 330, 70, 70  # margins around the plot area; the legend is right
COLOURS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#393b79", "#637939", "#7f7f7f")
# netifs stands out; the floor is the line nothing can go below, the bound what no Python reader of the
# same facts can (bound.py).
STYLES = {
    "netifs gather() (all facts)": ("#d62728", 3, ""),
    "netifs gather(interfaces)": ("#d62728", 1.5, "6,3"),
    "raw netlink floor (headers only)": ("#000000", 1.5, "2,3"),
    "lower bound of a Python reader": ("#000000", 1, "8,4"),
}


def series(figures):
    """``[(label, [(interfaces, ms), ...])]`` from bench.py's figures, in legend order."""
    lines = {}

    def add(label, x, ms):
        if ms is not None and ms > 0:
            lines.setdefault(label, []).append((x, ms))
    for size in figures["sizes"]:
        inner = size["inner"]
        x = inner["check"]["interfaces"]
        add("netifs gather() (all facts)", x, inner["gather"]["median"])
        add("netifs gather(interfaces)", x, inner["subsets"]["interfaces"]["median"])
        add("raw netlink floor (headers only)", x, inner["floor_raw"]["median"])
        if "lower_bound" in inner:  # figures from before the bound was measured have none
            add("lower bound of a Python reader", x, inner["lower_bound"]["median"])
        for label, fig in inner.get("peers", {}).items():
            add(label, x, fig["median"])
        ans = size.get("ansible")
        if ans:
            add("setup network collector (over its baseline)", x, ans["setup"]["ms"] - ans["baseline"]["ms"])
    return sorted(lines.items(), key=lambda item: -item[1][-1][1])


def _decades(values):
    low, high = min(values), max(values)
    return math.floor(math.log10(low)), max(math.ceil(math.log10(high)), math.floor(math.log10(low)) + 1)


def _scale(lo, hi, start, length):
    return lambda v: start + (math.log10(v) - lo) / float(hi - lo) * length


def _ms_label(exponent):
    ms = 10.0 ** exponent
    if ms >= 1000:
        return "%g s" % (ms / 1000)
    return "%g ms" % ms


def _count_label(exponent):
    value = 10 ** exponent
    return "%dk" % (value // 1000) if value >= 1000 else "%d" % value


def _axes(xs, ys, out):
    """Grid lines, tick labels and axis titles; returns the two scale functions."""
    width, height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    (x0, x1), (y0, y1) = _decades(xs), _decades(ys)
    sx, sy = _scale(x0, x1, LEFT, width), _scale(y0, y1, TOP + height, -height)
    for e in range(x0, x1 + 1):
        x = sx(10.0 ** e)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="grid"/>' % (x, TOP, x, TOP + height))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x, TOP + height + 20, _count_label(e)))
    for e in range(y0, y1 + 1):
        y = sy(10.0 ** e)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>' % (LEFT, y, LEFT + width, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (LEFT - 8, y + 4, _ms_label(e)))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" class="frame"/>' % (LEFT, TOP, width, height))
    out.append('<text x="%d" y="%d" text-anchor="middle">interfaces in the namespace</text>'
               % (LEFT + width // 2, HEIGHT - 25))
    out.append('<text transform="translate(20,%d) rotate(-90)" text-anchor="middle">time per call (median)</text>'
               % (TOP + height // 2))
    return sx, sy


def _stroke(style):
    colour, width, dashes = style
    return 'stroke="%s" stroke-width="%s"%s' % (colour, width, ' stroke-dasharray="%s"' % dashes if dashes else "")


def _line(label, points, style, sx, sy, out):
    coords = " ".join("%.1f,%.1f" % (sx(x), sy(y)) for x, y in points)
    colour = style[0]
    out.append('<polyline points="%s" fill="none" %s/>' % (coords, _stroke(style)))
    for x, y in points:
        out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %d interfaces, %.1f ms</title></circle>'
                   % (sx(x), sy(y), colour, escape(label), x, y))


def svg(figures):
    """The SVG document for bench.py's ``figures``."""
    lines = series(figures)
    if not lines:
        raise ValueError("no figures to plot")
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="12">' % (WIDTH, HEIGHT, WIDTH, HEIGHT),
           '<style>.grid{stroke:#ddd}.frame{fill:none;stroke:#444}</style>',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="28" font-size="17">Reading a host\'s network from Python: time against '
           'interface count (log-log)</text>' % LEFT]
    info = figures["machine"]
    out.append('<text x="%d" y="50" fill="#555">%s: %s cores, %s, Linux %s, Python %s; lower is better</text>'
               % (LEFT, escape(info.get("date", "")), info["nproc"], escape(info.get("cpu", "")),
                  escape(info["kernel"]), escape(info["python"])))
    sx, sy = _axes([x for _l, p in lines for x, _y in p], [y for _l, p in lines for _x, y in p], out)
    others = iter(COLOURS * 2)
    for number, (label, points) in enumerate(lines):
        style = STYLES.get(label) or (next(others), 1.5, "")
        _line(label, points, style, sx, sy, out)
        y = TOP + 10 + 20 * number
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" %s/>'
                   % (WIDTH - RIGHT + 20, y, WIDTH - RIGHT + 44, y, _stroke(style)))
        out.append('<text x="%d" y="%d">%s</text>' % (WIDTH - RIGHT + 50, y + 4, escape(label)))
    out.append("</svg>")
    return "\n".join(out) + "\n"
