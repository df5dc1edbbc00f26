# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The in-process figures, measured where this runs (bench.py runs it inside its namespace).

    python tests/benchmark/inner.py [--repeat 7] [--import-runs 7]

Prints one JSON object: median and minimum milliseconds over --repeat rounds after a warm-up
round (each round runs every figure once, in turn), the message count of each dump, and a few
counts from the gathered facts to check the namespace is the one meant. The garbage collector
stays enabled, as in real use.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "plugins", "module_utils")
sys.path.insert(0, HERE)
sys.path.insert(0, MODULE_UTILS)

import floor  # noqa: E402
import netifs  # noqa: E402

SUBSETS = (
    ("interfaces", ["interfaces"]),
    ("addresses", ["addresses"]),
    ("routes", ["routes"]),
    ("gateways", ["gateways"]),
    ("multicast", ["multicast"]),
    ("best_local", ["best_local"]),
    ("stats", ["stats"]),
    ("all,!stats", ["all", "!stats"]),
)
IMPORT_SNIPPET = ("import sys, time; sys.path.insert(0, %r); t = time.perf_counter(); import netifs; "
                  "print(time.perf_counter() - t)")


def summary(times):
    return {"median": statistics.median(times), "min": min(times)}


def timings(funcs, repeat):
    """``{label: {"median", "min"}}`` wall time in ms of each of ``funcs`` (label, callable).

    One untimed warm-up round, then ``repeat`` rounds that call each function once in turn, so a
    burst of load elsewhere on the machine spreads over all the figures rather than one.
    """
    times = {label: [] for label, _func in funcs}
    for timed in [False] + [True] * repeat:
        for label, func in funcs:
            start = time.perf_counter()
            func()
            if timed:
                times[label].append((time.perf_counter() - start) * 1000)
    return {label: summary(values) for label, values in times.items()}


def import_timing(runs):
    """Time of ``import netifs`` in a fresh interpreter, in ms (interpreter start excluded)."""
    argv = [sys.executable, "-c", IMPORT_SNIPPET % MODULE_UTILS]
    subprocess.check_output(argv)  # warm-up: writes the .pyc files if missing
    return summary([float(subprocess.check_output(argv)) * 1000 for _run in range(runs)])


def facts_check(facts):
    """Counts that tie the figures to the namespace they were measured in."""
    ifaces = facts.get("interfaces", {})
    return {
        "interfaces": len(ifaces),
        "addresses": sum(len(i.get("addresses", ())) for i in ifaces.values()),
        "routes": len(facts.get("routes", ())),
        "multicast": sum(len(i.get("multicast", ())) for i in ifaces.values()),
        "default_ipv4": (facts.get("default_ipv4") or {}).get("interface"),
        "default_ipv6": (facts.get("default_ipv6") or {}).get("interface"),
        "missing": facts.get("missing"),
        "warnings": len(facts.get("warnings", ())),
    }


def subset_gather(subset):
    return lambda: netifs.gather(subset=subset)


def measure(repeat, import_runs):
    funcs = [("floor_raw", floor.dump_headers), ("floor_same", floor.gather_dump_headers),
             ("gather", netifs.gather)] + [(label, subset_gather(s)) for label, s in SUBSETS]
    out = timings(funcs, repeat)
    out["subsets"] = {label: out.pop(label) for label, _subset in SUBSETS}
    out["import"] = import_timing(import_runs)
    out["counts"] = {"raw": floor.dump_counts(floor.RAW_DUMPS), "same": floor.dump_counts(floor.GATHER_DUMPS)}
    out["check"] = facts_check(netifs.gather())
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--import-runs", type=int, default=7)
    args = parser.parse_args()
    json.dump(measure(args.repeat, args.import_runs), sys.stdout)
    print()


if __name__ == "__main__":
    main()
