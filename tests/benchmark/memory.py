# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time and memory of a gather on a large routing table (bench.py runs it in its routes namespace).

    python tests/benchmark/memory.py [--repeat 5]

Prints one JSON object. Times are medians of --repeat rounds after a warm-up, as in inner.py.
Memory is taken in fresh interpreters, one gather each, so that nothing earlier is counted:

* ``tracemalloc``: the peak of Python allocations during ``gather()``, what the result keeps
  (``retained``) and the difference, the working memory beyond the result (``transient``);
* ``rss``: the process's peak resident size (VmHWM) after the gather, less the same after the
  import, without tracemalloc (which costs memory of its own).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import subprocess
import sys
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "plugins", "module_utils"))

import floor  # noqa: E402
import inner  # noqa: E402
import netifs  # noqa: E402

MIB = 1024.0 * 1024.0


def traced():
    """One gather under tracemalloc: peak, retained and transient MiB, and the route count."""
    tracemalloc.start()
    facts = netifs.gather()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"peak_mib": peak / MIB, "retained_mib": retained / MIB,
            "transient_mib": (peak - retained) / MIB, "routes": len(facts["routes"])}


def peak_rss_kib():
    """VmHWM, the peak resident size. Not ru_maxrss: that survives execve, so a child started
    by a large parent reports the parent's peak."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def rss():
    """Growth of the peak resident size over one gather."""
    before = peak_rss_kib()
    facts = netifs.gather()
    after = peak_rss_kib()
    return {"peak_rss_after_import_mib": before / 1024.0, "peak_rss_growth_mib": (after - before) / 1024.0,
            "routes": len(facts["routes"])}


def fresh(mode):
    out = subprocess.check_output([sys.executable, __file__, "--mode", mode])
    return json.loads(out)


def measure(repeat):
    funcs = [("floor_raw", floor.dump_headers), ("gather_routes", lambda: netifs.gather(["routes"])),
             ("gather", netifs.gather),
             ("ip -j route (process)", lambda: json.loads(subprocess.check_output(
                 ["ip", "-j", "route", "show", "table", "all"])))]
    out = inner.timings(funcs, repeat)
    out["json_mib"] = len(json.dumps(netifs.gather())) / MIB
    out["tracemalloc"] = fresh("traced")
    out["rss"] = fresh("rss")
    out["counts"] = floor.dump_counts(floor.RAW_DUMPS)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mode", choices=("measure", "traced", "rss"), default="measure")
    args = parser.parse_args()
    result = {"measure": lambda: measure(args.repeat), "traced": traced, "rss": rss}[args.mode]()
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
