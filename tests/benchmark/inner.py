# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The in-process figures, measured where this runs (bench.py runs it inside its namespace).

    python tests/benchmark/inner.py [--repeat 7] [--import-runs 7] [--peers] [--skip-peer LABEL ...]

Prints one JSON object: median and minimum milliseconds over --repeat rounds after a warm-up
round (each round runs every figure once, in turn), the message count of each dump, and a few
counts from the gathered facts to check the namespace is the one meant. The garbage collector
stays enabled, as in real use. With ``--peers`` the peers that import under this Python
(bench.py runs it on its peers venv) are measured in the same rounds; one whose warm-up call
took longer than SLOW_S is timed alone, --slow-runs times, so that it does not stretch the run.
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
REPO = os.path.dirname(os.path.dirname(HERE))
MODULE_UTILS = os.path.join(REPO, "plugins", "module_utils")
GRAINS = os.path.join(REPO, "extensions", "salt", "saltext", "netifs", "grains")
sys.path.insert(0, HERE)
sys.path.insert(0, MODULE_UTILS)
sys.path.insert(0, GRAINS)

import bound  # noqa: E402
import floor  # noqa: E402
import netifs  # noqa: E402
from netifs.linux import gc_paused  # noqa: E402
import netifs_grains  # noqa: E402
import peers  # noqa: E402

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
SLOW_S = 1.0
IMPORT_SNIPPET = ("import sys, time; sys.path.insert(0, %r); t = time.perf_counter(); import {0}; "
                  "print(time.perf_counter() - t)")
# Whole commands, interpreter start included: what a shell user waits for.
COMMANDS = (
    ("python -c pass", ["-c", "pass"]),
    ("python -m netifs (table)", ["-m", "netifs"]),
    ("python -m netifs --json", ["-m", "netifs", "--json"]),
)


def summary(times):
    return {"median": statistics.median(times), "min": min(times), "runs": len(times)}


def timed_ms(func):
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def timings(funcs, repeat):
    """``{label: {"median", "min", "runs"}}`` wall time in ms of each of ``funcs`` (label, callable).

    One untimed warm-up round, then ``repeat`` rounds that call each function once in turn, so a
    burst of load elsewhere on the machine spreads over all the figures rather than one.
    """
    for _label, func in funcs:
        func()
    times = {label: [] for label, _func in funcs}
    for _round in range(repeat):
        for label, func in funcs:
            times[label].append(timed_ms(func))
    return {label: summary(values) for label, values in times.items()}


def peer_timings(repeat, slow_runs, skip):
    """Figures of the peers, and ``{label: reason}`` of those not measured."""
    calls, skipped = peers.available()
    fast, slow = [], {}
    for label, call in calls:
        if label in skip:
            skipped[label] = skip[label]
            continue
        probe = timed_ms(call)  # also the warm-up
        if probe < SLOW_S * 1000:
            fast.append((label, call))
        else:
            slow[label] = summary([timed_ms(call) for _run in range(slow_runs)] or [probe])
    out = timings(fast, repeat) if fast else {}
    out.update(slow)
    return out, skipped


def subprocess_ms(argv, runs, env=None):
    subprocess.check_output(argv, env=env)  # warm-up: writes the .pyc files if missing
    return summary([timed_ms(lambda: subprocess.check_output(argv, env=env)) for _run in range(runs)])


def import_timing(module, runs):
    """Time of ``import module`` in a fresh interpreter, in ms (interpreter start excluded)."""
    argv = [sys.executable, "-c", IMPORT_SNIPPET.format(module) % MODULE_UTILS]
    subprocess.check_output(argv)
    return summary([float(subprocess.check_output(argv)) * 1000 for _run in range(runs)])


def start_figures(runs, with_peers):
    """Import times in fresh interpreters, and whole ``netifs`` commands."""
    modules = ("netifs",) + (peers.IMPORTS if with_peers else ())
    imports = {}
    for module in modules:
        try:
            imports[module] = import_timing(module, runs)
        except subprocess.CalledProcessError:
            imports[module] = None  # not installed under this Python
    env = dict(os.environ, PYTHONPATH=MODULE_UTILS)
    commands = {label: subprocess_ms([sys.executable] + argv, runs, env) for label, argv in COMMANDS}
    return imports, commands


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


def without_gc(build):
    """``build`` with the cyclic collector paused, as ``gather()`` pauses it while it builds."""
    def run():
        with gc_paused():
            return build()
    return run


def bound_funcs():
    """The decode floor and the two builders of ``bound``, made from one gather's result."""
    facts = netifs.gather()
    return [("floor_decode", floor.gather_decode_headers),
            ("build_marshal", without_gc(bound.marshal_builder(facts))),
            ("build_python", without_gc(bound.python_builder(facts)))]


def lower_bound(out):
    """The decode floor plus the cheaper builder: what no Python reader of the full facts beats."""
    build = min(out["build_marshal"]["median"], out["build_python"]["median"])
    return {"median": out["floor_decode"]["median"] + build}


def measure(args):
    funcs = [("floor_raw", floor.dump_headers), ("floor_same", floor.gather_dump_headers),
             ("gather", netifs.gather), ("grain", netifs_grains.netifs_grains)]
    funcs += bound_funcs()
    funcs += [(label, subset_gather(s)) for label, s in SUBSETS]
    out = timings(funcs, args.repeat)
    out["subsets"] = {label: out.pop(label) for label, _subset in SUBSETS}
    out["lower_bound"] = lower_bound(out)
    if args.peers:
        out["peers"], out["peers_skipped"] = peer_timings(args.repeat, args.slow_runs, dict(args.skip_peer))
        out["versions"] = peers.versions()
    out["imports"], out["commands"] = start_figures(args.import_runs, args.peers)
    out["counts"] = {"raw": floor.dump_counts(floor.RAW_DUMPS), "same": floor.dump_counts(floor.GATHER_DUMPS),
                     "decoded": floor.gather_decode_headers()}
    out["check"] = facts_check(netifs.gather())
    return out


def skip_arg(text):
    label, _sep, reason = text.partition("=")
    return label, reason or "skipped"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--peers", action="store_true", help="also measure the peers that import here")
    parser.add_argument("--slow-runs", type=int, default=1, help="timed runs of a peer slower than SLOW_S")
    parser.add_argument("--skip-peer", type=skip_arg, action="append", default=[],
                        metavar="LABEL=REASON", help="leave a peer out, giving the reason")
    json.dump(measure(parser.parse_args()), sys.stdout)
    print()


if __name__ == "__main__":
    main()
