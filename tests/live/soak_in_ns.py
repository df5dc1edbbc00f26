# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Gather again and again while the tables change, and check each snapshot:

    ip netns exec NS python soak_in_ns.py SECONDS

Prints one JSON object: runs, snapshots taken (so retakes = snapshots - runs), the runs that
failed and why, and every inconsistency found. A snapshot is consistent when every address,
route, next hop, gateway, best local address and interface relation names an interface that
is in the same snapshot.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "plugins", "module_utils"))

import netifs  # noqa: E402
from netifs import linux  # noqa: E402
from netifs.errors import NetifsError  # noqa: E402


def references(facts):
    """(what, interface name) of every reference to an interface in ``facts``."""
    for name, iface in facts["interfaces"].items():
        for key in ("master", "peer", "parent"):
            yield "%s of %s" % (key, name), iface.get(key)
    for route in facts["routes"]:
        yield "route %s" % route["destination"], route["interface"]
        for hop in route["nexthops"]:
            yield "next hop of %s" % route["destination"], hop["interface"]
    for gateway in facts["gateways"]:
        yield "gateway %s" % gateway["address"], gateway["interface"]
    for family in ("ipv4", "ipv6"):
        for best in facts["best_local"][family]:
            yield "best local %s" % best["address"], best["interface"]
        yield "default_%s" % family, facts["default_%s" % family].get("interface")


def inconsistencies(facts):
    names = set(facts["interfaces"])
    return ["%s names %r, which is not in the snapshot" % (what, name)
            for what, name in references(facts) if name is not None and name not in names]


def main(seconds):
    taken = []
    take = linux._take

    def counting_take(conn, need):
        taken.append(1)
        return take(conn, need)
    linux._take = counting_take  # counts snapshots, retakes included; changes nothing else
    out = {"runs": 0, "failures": [], "inconsistent": [], "warnings": []}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        out["runs"] += 1
        try:
            facts = netifs.gather(subset=["all", "!stats"])
        except NetifsError as exc:
            out["failures"].append("%s: %s" % (type(exc).__name__, exc))
            continue
        out["inconsistent"] += inconsistencies(facts)
        out["warnings"] += facts["warnings"] + [m["reason"] for m in facts["missing"]]
    out["snapshots"] = len(taken)
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1])))
