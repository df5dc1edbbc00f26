# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark netifs against the raw netlink floor and its peers, in throwaway namespaces.

    sudo python tests/benchmark/bench.py [--pairs 10 --pairs 100 ...] [--routes 100000]
                                         [--repeat 7] [--ansible-runs 3] [--no-peers] [--out docs]

Not a test: it prints figures and writes them, with a plot, to --out (see tests/benchmark/README.md).
For each size it builds a namespace ``nfbench-<pid>-<n>`` with that many veth pairs, measures inside
it, and deletes it, also on Ctrl-C. Every ``ip`` command carries ``-n NS`` or runs under
``ip netns exec NS``: the root namespace is never changed, and nothing here sends a packet.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import peers
import plot

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INNER = os.path.join(HERE, "inner.py")
MEMORY = os.path.join(HERE, "memory.py")
PEERS_VENV = os.path.join(REPO, ".cache", "bench-peers")
DEFAULT_PAIRS = (10, 100, 1000, 4000)
PREFIX = "nfbench-%d-" % os.getpid()
MAX_PAIRS = 32768  # the address plan below: 10.0-127.x.0/24 for a-ends, 10.128-255.x.0/24 for b-ends
MAX_ROUTES = 131072  # 198.18.0.0/15, one host route per address
QUIET_TIMEOUT = 60.0
BASELINE_ARGS = "gather_subset=!all,!min"
NETWORK_ARGS = "gather_subset=!all,!min,network"  # plain "network" adds the min facts


def run(argv, timeout=600):
    """Run ``argv`` (never a shell); return stdout, raise with stderr on failure."""
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError("%s exited %d:\n%s%s" % (
            subprocess.list2cmdline(argv), proc.returncode, proc.stderr[-3000:], proc.stdout[-3000:]))
    return proc.stdout


# ---- the namespace ----------------------------------------------------------------------------

def batch_lines(pairs):
    """``ip -batch`` lines for ``pairs`` veth pairs, addresses and two default routes.

    Batch lines take no ``-6``: IPv6 addresses and routes are recognised by their syntax.
    """
    lines = ["link set lo up"]
    lines += ["link add a%d type veth peer name b%d" % (i, i) for i in range(pairs)]
    for i in range(pairs):
        hi, lo = divmod(i, 256)
        lines += ["link set a%d up" % i, "link set b%d up" % i,
                  "address add 10.%d.%d.1/24 dev a%d" % (hi, lo, i),
                  "address add fd00:0:0:%x::1/64 dev a%d nodad" % (i, i),
                  "address add 10.%d.%d.1/24 dev b%d" % (128 + hi, lo, i)]
    lines += ["route add default via 10.0.0.254 dev a0",
              "route add ::/0 via fd00::fe dev a0"]
    return lines


def wait_quiet(name, timeout=QUIET_TIMEOUT):
    """Wait until two polls in a row find no tentative IPv6 address (link-local DAD is done)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        busy = run(["ip", "-n", name, "-6", "address", "show", "tentative"]).strip()
        quiet = 0 if busy else quiet + 1
    return quiet >= 2


def route_lines(routes):
    """``ip -batch`` lines for a namespace with one veth pair and ``routes`` IPv4 host routes.

    They lie in 198.18.0.0/15, the benchmarking range (RFC 2544): 131,072 addresses.
    """
    lines = ["link set lo up", "link add a0 type veth peer name b0", "link set a0 up", "link set b0 up",
             "address add 10.0.0.1/24 dev a0", "route add default via 10.0.0.254 dev a0"]
    lines += ["route add 198.%d.%d.%d/32 via 10.0.0.254 dev a0" % (18 + i // 65536, (i // 256) % 256, i % 256)
              for i in range(routes)]
    return lines


def build_namespace(name, lines):
    run(["ip", "netns", "add", name])
    with tempfile.NamedTemporaryFile("w", prefix="nfbench-", suffix=".batch") as handle:
        handle.write("\n".join(lines) + "\n")
        handle.flush()
        run(["ip", "-n", name, "-batch", handle.name])


def delete_namespace(name):
    subprocess.call(["ip", "netns", "delete", name], stderr=subprocess.DEVNULL)


# ---- in-process figures -----------------------------------------------------------------------

def inner_figures(name, args, skip):
    """inner.py's figures, on the peers venv's Python when there is one (netifs needs none)."""
    python = sys.executable if args.no_peers else os.path.join(args.peers_venv, "bin", "python")
    argv = ["ip", "netns", "exec", name, python, INNER, "--repeat", str(args.repeat),
            "--import-runs", str(args.repeat)]
    if not args.no_peers:
        argv.append("--peers")
        argv += ["--skip-peer=%s=%s" % item for item in sorted(skip.items())]
    return json.loads(run(argv, timeout=7200))


# ---- peers ------------------------------------------------------------------------------------

def ensure_peers_venv(path, packages):
    """The peers' own venv: made and filled once, reused after. Nothing is installed later."""
    python = os.path.join(path, "bin", "python")
    probe = "import importlib.metadata as m; [m.version(p) for p in %r]" % (list(packages),)
    if os.path.exists(python) and subprocess.call([python, "-c", probe], stderr=subprocess.DEVNULL) == 0:
        return
    print("installing the peers into %s: %s" % (path, " ".join(packages)))
    sys.stdout.flush()
    run([sys.executable, "-m", "venv", path])
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + list(packages), timeout=1800)


def peers_to_skip(history, pairs, limit_s):
    """``{label: reason}`` of the peers whose next run would take longer than ``limit_s``.

    ``history`` holds each peer's ``(pairs, median ms)`` at the sizes already measured; the time
    at ``pairs`` is extrapolated with the growth seen between the last two sizes (at least linear).
    """
    skip = {}
    for label, points in history.items():
        if not points:
            continue
        n1, t1 = points[-1]
        growth = 1.0
        if len(points) > 1 and points[-2][1] > 0 and n1 > points[-2][0]:
            n0, t0 = points[-2]
            growth = max(1.0, math.log(t1 / t0) / math.log(n1 / n0))
        predicted = t1 * (float(pairs) / n1) ** growth / 1000.0
        if predicted > limit_s:
            skip[label] = "predicted %.0f s per run from %.1f s at %d pairs (limit %d s)" % (
                predicted, t1 / 1000.0, n1, limit_s)
    return skip


# ---- end to end through Ansible ---------------------------------------------------------------

def ansible_env(collections_dir):
    env = dict(os.environ)
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_dir, ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_NOCOLOR="1")
    return env


def make_collections_dir(tmp):
    """``<tmp>/ansible_collections/netifs/core`` -> the repository."""
    parent = os.path.join(tmp, "ansible_collections", "netifs")
    os.makedirs(parent)
    os.symlink(REPO, os.path.join(parent, "core"))
    return tmp


# Ansible runs in a fresh pid namespace whose shell (pid 1) reports the last pid allocated there,
# its own ``cat``'s: the pids in between went to Ansible's processes and threads.
PID_COUNTER = ['unshare', '--pid', '--fork', '--kill-child', 'sh', '-c',
               '"$@"; s=$?; echo "nfbench-pids $(cat /proc/sys/kernel/ns_last_pid)" >&2; exit $s', 'sh']
COMMANDS = (
    ("ping", "ansible.builtin.ping", None),
    ("baseline", "ansible.builtin.setup", BASELINE_ARGS),
    ("netifs", "netifs.core.netifs_facts", None),
    ("setup", "ansible.builtin.setup", NETWORK_ARGS),
)


def ansible_argv(name, module, args=None):
    ansible = os.path.join(os.path.dirname(sys.executable), "ansible")
    argv = ["ip", "netns", "exec", name] + PID_COUNTER
    argv += [ansible, "localhost", "-c", "local", "-i", "localhost,", "-m", module,
             "-e", "ansible_python_interpreter=%s" % sys.executable]
    return argv + (["-a", args] if args else [])


def pid_count(stderr):
    for line in stderr.splitlines():
        if line.startswith("nfbench-pids "):
            return int(line.split()[1]) - 2
    return None


def timed_ansible(argv, env):
    """(seconds, pids Ansible used, stdout KB, facts) of one ad-hoc run."""
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, timeout=600, check=False)
    elapsed = time.perf_counter() - start
    head, sep, body = proc.stdout.partition(" => ")
    if proc.returncode != 0 or "SUCCESS" not in head or not sep:
        raise RuntimeError("%s failed:\n%s%s" % (
            subprocess.list2cmdline(argv), proc.stdout[-3000:], proc.stderr[-3000:]))
    facts = json.loads(body).get("ansible_facts", {})
    return elapsed, pid_count(proc.stderr), len(proc.stdout) / 1024, facts


def check_facts(label, facts):
    if label == "netifs" and "netifs" not in facts:
        raise RuntimeError("netifs_facts returned no netifs fact")
    if label == "setup" and not facts.get("ansible_default_ipv4", {}).get("interface"):
        raise RuntimeError("setup gather_subset=%s returned no ansible_default_ipv4" % NETWORK_ARGS)


def median_of(samples, index):
    values = [s[index] for s in samples if s[index] is not None]
    return statistics.median(values) if values else None


def ansible_figures(name, runs, env):
    """Median wall time (ms), pid count and output size of each command; runs are interleaved."""
    commands = [(label, ansible_argv(name, module, args)) for label, module, args in COMMANDS]
    timed_ansible(commands[0][1], env)  # warm-up: byte-compiles what Ansible loads
    samples = {label: [] for label, _argv in commands}
    for _round in range(runs):
        for label, argv in commands:
            elapsed, pids, kb, facts = timed_ansible(argv, env)
            check_facts(label, facts)
            samples[label].append((elapsed * 1000, pids, kb))
    return {label: {"ms": median_of(s, 0), "pids": median_of(s, 1), "kb": median_of(s, 2)}
            for label, s in samples.items()}


# ---- one size ---------------------------------------------------------------------------------

def measure_size(index, pairs, args, env, skip):
    name = "%s%d" % (PREFIX, index)
    result = {"pairs": pairs, "namespace": name}
    try:
        start = time.perf_counter()
        build_namespace(name, batch_lines(pairs))
        result["build_s"] = time.perf_counter() - start
        result["quiet"] = wait_quiet(name)
        result["settle_s"] = time.perf_counter() - start - result["build_s"]
        result["inner"] = inner_figures(name, args, skip)
        if args.no_ansible or pairs > args.ansible_max_pairs:
            result["ansible_skipped"] = "--no-ansible" if args.no_ansible else "over --ansible-max-pairs"
        else:
            try:
                result["ansible"] = ansible_figures(name, args.ansible_runs, env)
            except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
                result["ansible_error"] = str(exc)
    finally:
        delete_namespace(name)
    return result


def measure_routes(routes, args):
    """The large routing table: gather time and memory (memory.py) in a namespace of its own."""
    name = "%sroutes" % PREFIX
    try:
        start = time.perf_counter()
        build_namespace(name, route_lines(routes))
        result = {"routes": routes, "namespace": name, "build_s": time.perf_counter() - start}
        argv = ["ip", "netns", "exec", name, sys.executable, MEMORY, "--repeat", str(args.repeat)]
        result.update(json.loads(run(argv, timeout=3600)))
    finally:
        delete_namespace(name)
    return result


# ---- report -----------------------------------------------------------------------------------

def machine():
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    model = ""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "python": platform.python_version(), "python_path": sys.executable,
            "loadavg_at_start": load, "date": time.strftime("%Y-%m-%d")}


def ratio(num, den):
    return "%.1fx" % (num / den) if num is not None and den else "n/a"


def row(label, fig, raw=None, same=None):
    """A table line: median and min ms, then the median over the raw and same-dumps floors."""
    cols = [ratio(fig["median"], base["median"]) if base else "" for base in (raw, same)]
    return "  %-40s %10.2f %9.2f %9s %9s" % (label, fig["median"], fig["min"], cols[0], cols[1])


def bound_row(fig, raw, same):
    """The lower bound has a median only: it is a sum of two medians."""
    return "  %-40s %10.2f %9s %9s %9s" % ("lower bound (decode floor + cheaper build)", fig["median"], "",
                                           ratio(fig["median"], raw["median"]), ratio(fig["median"], same["median"]))


def inner_rows(inner):
    raw, same, full = inner["floor_raw"], inner["floor_same"], inner["gather"]
    lines = ["  %-40s %10s %9s %9s %9s" % ("in-process", "median ms", "min ms", "/raw", "/same"),
             row("raw floor (links,addrs,routes)", raw),
             row("same-dumps floor (gather's dumps)", same),
             row("decode floor (same dumps, headers read)", inner["floor_decode"], raw, same),
             row("building the result: marshal.loads", inner["build_marshal"], raw, same),
             row("building the result: generated Python", inner["build_python"], raw, same),
             bound_row(inner["lower_bound"], raw, same),
             row("gather() full", full, raw, same),
             row("netifs grain (Salt, default subset)", inner["grain"], raw, same)]
    for label, fig in inner["subsets"].items():
        lines.append(row("gather(%s)" % label, fig, None, same))
    return lines


def peer_rows(inner):
    """Each peer's time, and how it compares with netifs' full gather (peer / netifs)."""
    if "peers" not in inner:
        return []
    full = inner["gather"]["median"]
    lines = ["  %-40s %10s %9s %9s %9s" % ("peers", "median ms", "min ms", "runs", "/netifs")]
    for label, fig in sorted(inner["peers"].items(), key=lambda item: item[1]["median"]):
        cells = (label, fig["median"], fig["min"], fig["runs"], ratio(fig["median"], full))
        lines.append("  %-40s %10.2f %9.2f %9d %9s" % cells)
    lines += ["  %-40s skipped: %s" % (label, why) for label, why in sorted(inner["peers_skipped"].items())]
    return lines


def start_rows(inner):
    lines = ["  %-40s %10s %9s" % ("start (fresh interpreter)", "median ms", "min ms")]
    for module, fig in inner["imports"].items():
        if fig is not None:
            lines.append("  %-40s %10.2f %9.2f" % ("import " + module, fig["median"], fig["min"]))
    for label, fig in inner["commands"].items():
        lines.append("  %-40s %10.2f %9.2f" % (label + ", whole", fig["median"], fig["min"]))
    return lines


def count_lines(inner):
    counts = inner["counts"]
    same = ", ".join("%s %d" % item for item in counts["same"].items())
    check = inner["check"]
    return ["  messages: %s (raw floor total %d)" % (same, sum(counts["raw"].values())),
            "  gathered: %(interfaces)d interfaces, %(addresses)d addresses, %(routes)d routes, "
            "%(multicast)d memberships; default v4 %(default_ipv4)s, v6 %(default_ipv6)s; "
            "missing %(missing)s, warnings %(warnings)d" % check]


ANSIBLE_LABELS = (("ping", "ping (the smallest module)"), ("baseline", "setup %s" % BASELINE_ARGS),
                  ("netifs", "netifs.core.netifs_facts"), ("setup", "setup %s" % NETWORK_ARGS))


def over(ans, label, base):
    return ans[label]["ms"] - ans[base]["ms"]


def ansible_line(ans, label, text):
    fig = ans[label]
    pids = "-" if fig["pids"] is None else "%d" % fig["pids"]
    return "  %-40s %10.0f %9.0f %9.0f %7s %9.0f" % (
        text, fig["ms"], over(ans, label, "baseline"), over(ans, label, "ping"), pids, fig["kb"])


def ansible_rows(ans, inner):
    head = ("end to end", "median ms", "-baseline", "-ping", "pids", "stdout KB")
    lines = ["  %-40s %10s %9s %9s %7s %9s" % head]
    lines += [ansible_line(ans, label, text) for label, text in ANSIBLE_LABELS]
    setup = over(ans, "setup", "baseline")
    lines.append("  setup-network / netifs, both over the setup baseline: %s"
                 % ratio(setup, max(over(ans, "netifs", "baseline"), 0)))
    lines.append("  setup-network over its baseline / netifs over ping:   %s"
                 % ratio(setup, over(ans, "netifs", "ping")))
    # The measure: each module's own gathering. setup's network collector is what it
    # adds over its baseline; the netifs module's gathering is gather() itself.
    lines.append("  setup's network collector / netifs gather() (median): %s"
                 % ratio(setup, inner["gather"]["median"]))
    return lines


def report(result):
    head = "== %d veth pairs (%s): built in %.1f s, settled in %.1f s%s ==" % (
        result["pairs"], result["namespace"], result["build_s"], result["settle_s"],
        "" if result["quiet"] else " (NOT quiet: tentative addresses remained)")
    inner = result["inner"]
    lines = [head] + inner_rows(inner) + peer_rows(inner) + start_rows(inner) + count_lines(inner)
    if "ansible" in result:
        lines += ansible_rows(result["ansible"], inner)
    elif "ansible_error" in result:
        lines.append("  end to end FAILED: %s" % result["ansible_error"].strip().replace("\n", "\n    "))
    print("\n".join(lines) + "\n")
    sys.stdout.flush()


def report_routes(result):
    mem, rss = result["tracemalloc"], result["rss"]
    lines = ["== %d routes (%s): built in %.1f s ==" % (result["routes"], result["namespace"], result["build_s"]),
             "  %-40s %10s %9s %9s" % ("", "median ms", "min ms", "/raw")]
    for label in ("floor_raw", "gather_routes", "gather", "ip -j route (process)"):
        fig = result[label]
        lines.append("  %-40s %10.1f %9.1f %9s" % (label, fig["median"], fig["min"],
                                                   ratio(fig["median"], result["floor_raw"]["median"])))
    lines += ["  routes gathered: %d; facts as JSON: %.1f MiB" % (mem["routes"], result["json_mib"]),
              "  tracemalloc: peak %.1f MiB = result %.1f MiB + working %.2f MiB"
              % (mem["peak_mib"], mem["retained_mib"], mem["transient_mib"]),
              "  peak resident size: %.1f MiB after import, +%.1f MiB over the gather"
              % (rss["peak_rss_after_import_mib"], rss["peak_rss_growth_mib"])]
    print("\n".join(lines) + "\n")
    sys.stdout.flush()


def summary_lines(results):
    """The targets of issue 6, read off this run."""
    lines = ["== summary =="]
    for res in results:
        inner = res["inner"]
        ifaces = inner["check"]["interfaces"]
        full = inner["gather"]["median"]
        raw, least = inner["floor_raw"]["median"], inner["lower_bound"]["median"]
        psutil = inner.get("peers", {}).get("psutil net_if_addrs")
        psutil = psutil and psutil["median"]
        lines.append("  %5d interfaces: gather %8.1f ms = %5.1f us/interface, %4.1fx raw floor; psutil "
                     "net_if_addrs / gather %s" % (ifaces, full, 1000.0 * full / ifaces, full / raw,
                                                   ratio(psutil, full)))
        lines.append("  %5s             lower bound %8.1f ms = %4.1fx raw floor; psutil net_if_addrs / lower "
                     "bound %s" % ("", least, least / raw, ratio(psutil, least)))
    return lines


# ---- main -------------------------------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, action="append",
                        help="veth pairs in a namespace; repeat for several sizes (default %s)"
                        % " ".join(map(str, DEFAULT_PAIRS)))
    parser.add_argument("--routes", type=int, default=100000,
                        help="routes in the large-table namespace; 0 leaves it out (default 100000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per in-process figure")
    parser.add_argument("--ansible-runs", type=int, default=3, help="timed runs per ansible command")
    parser.add_argument("--ansible-max-pairs", type=int, default=1000,
                        help="largest size measured end to end (setup takes minutes beyond)")
    parser.add_argument("--no-ansible", action="store_true", help="skip the end-to-end figures")
    parser.add_argument("--no-peers", action="store_true", help="measure netifs and the floors only")
    parser.add_argument("--peers-venv", default=PEERS_VENV, help="the peers' venv (made when missing)")
    parser.add_argument("--peer-packages", nargs="+", default=list(peers.REQUIREMENTS),
                        help="what to install into a new peers venv (default: all peers)")
    parser.add_argument("--peer-limit", type=int, default=60,
                        help="seconds: a peer predicted to take longer per run is skipped")
    parser.add_argument("--out", default=os.path.join(REPO, "docs"),
                        help="where benchmark.json and benchmark.svg go (default docs/)")
    args = parser.parse_args()
    args.pairs = sorted(set(args.pairs or DEFAULT_PAIRS))
    if any(not 1 <= n <= MAX_PAIRS for n in args.pairs):
        parser.error("--pairs must be between 1 and %d" % MAX_PAIRS)
    if not 0 <= args.routes <= MAX_ROUTES:
        parser.error("--routes must be between 0 and %d" % MAX_ROUTES)
    return args


def interrupt(signum, _frame):
    raise KeyboardInterrupt("signal %d" % signum)


def run_all(args, info):
    results, history = [], {}
    with tempfile.TemporaryDirectory(prefix="nfbench-") as tmp:
        env = ansible_env(make_collections_dir(tmp))
        for index, pairs in enumerate(args.pairs):
            skip = peers_to_skip(history, pairs, args.peer_limit)
            results.append(measure_size(index, pairs, args, env, skip))
            report(results[-1])
            for label, fig in results[-1]["inner"].get("peers", {}).items():
                history.setdefault(label, []).append((pairs, fig["median"]))
    routes = measure_routes(args.routes, args) if args.routes else None
    if routes:
        report_routes(routes)
    return {"machine": info, "sizes": results, "routes": routes}


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("bench.py needs root (ip netns)")
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)  # the namespace goes, even when started with SIGINT ignored
    start = time.perf_counter()
    if not args.no_peers:
        ensure_peers_venv(args.peers_venv, args.peer_packages)
    info = machine()
    print("machine: %(nproc)s cores (%(cpu)s), kernel %(kernel)s, python %(python)s (%(python_path)s), "
          "load average at start %(loadavg_at_start)s\n" % info)
    figures = run_all(args, info)
    print("\n".join(summary_lines(figures["sizes"])))
    figures["total_s"] = time.perf_counter() - start
    print("total run time: %.1f s" % figures["total_s"])
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "benchmark.json"), "w") as handle:
        json.dump(figures, handle, indent=1, sort_keys=True)
    with open(os.path.join(args.out, "benchmark.svg"), "w") as handle:
        handle.write(plot.svg(figures))
    print("wrote %s and %s" % (os.path.join(args.out, "benchmark.json"), os.path.join(args.out, "benchmark.svg")))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as stop:
        sys.exit("bench.py: stopped (%s); its namespaces are deleted" % stop)
