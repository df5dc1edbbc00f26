# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark netifs against the raw netlink floor and against ``setup``, in throwaway namespaces.

    sudo python tests/benchmark/bench.py --pairs 1000 [--pairs 10 ...] [--repeat 7]
                                         [--ansible-runs 3] [--no-ansible] [--json out.json]

Not a test: it prints figures (see tests/benchmark/README.md). For each size it builds a namespace
``nfbench-<pid>-<n>`` with that many veth pairs, measures inside it, and deletes it, also on Ctrl-C.
Every ``ip`` command carries ``-n NS`` or runs under ``ip netns exec NS``: the root namespace is
never changed, and nothing here sends a packet.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INNER = os.path.join(HERE, "inner.py")
PREFIX = "nfbench-%d-" % os.getpid()
MAX_PAIRS = 32768  # the address plan below: 10.0-127.x.0/24 for a-ends, 10.128-255.x.0/24 for b-ends
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


def build_namespace(name, pairs):
    run(["ip", "netns", "add", name])
    with tempfile.NamedTemporaryFile("w", prefix="nfbench-", suffix=".batch") as handle:
        handle.write("\n".join(batch_lines(pairs)) + "\n")
        handle.flush()
        run(["ip", "-n", name, "-batch", handle.name])


def wait_quiet(name, timeout=QUIET_TIMEOUT):
    """Wait until two polls in a row find no tentative IPv6 address (link-local DAD is done)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        busy = run(["ip", "-n", name, "-6", "address", "show", "tentative"]).strip()
        quiet = 0 if busy else quiet + 1
    return quiet >= 2


def delete_namespace(name):
    subprocess.call(["ip", "netns", "delete", name], stderr=subprocess.DEVNULL)


# ---- in-process figures -----------------------------------------------------------------------

def inner_figures(name, repeat):
    argv = ["ip", "netns", "exec", name, sys.executable, INNER,
            "--repeat", str(repeat), "--import-runs", str(repeat)]
    return json.loads(run(argv))


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

def measure_size(index, pairs, args, env):
    name = "%s%d" % (PREFIX, index)
    result = {"pairs": pairs, "namespace": name}
    try:
        start = time.perf_counter()
        build_namespace(name, pairs)
        result["build_s"] = time.perf_counter() - start
        result["quiet"] = wait_quiet(name)
        result["settle_s"] = time.perf_counter() - start - result["build_s"]
        result["inner"] = inner_figures(name, args.repeat)
        if not args.no_ansible:
            try:
                result["ansible"] = ansible_figures(name, args.ansible_runs, env)
            except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
                result["ansible_error"] = str(exc)
    finally:
        delete_namespace(name)
    return result


# ---- report -----------------------------------------------------------------------------------

def machine():
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    return {"nproc": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
            "python_path": sys.executable, "loadavg_at_start": load}


def ratio(num, den):
    return "%.1fx" % (num / den) if den > 0 else "n/a"


def row(label, fig, raw=None, same=None):
    """A table line: median and min ms, then the median over the raw and same-dumps floors."""
    cols = [ratio(fig["median"], base["median"]) if base else "" for base in (raw, same)]
    return "  %-38s %10.2f %9.2f %9s %9s" % (label, fig["median"], fig["min"], cols[0], cols[1])


def inner_rows(inner):
    raw, same, full = inner["floor_raw"], inner["floor_same"], inner["gather"]
    lines = ["  %-38s %10s %9s %9s %9s" % ("in-process", "median ms", "min ms", "/raw", "/same"),
             row("raw floor (links,addrs,routes)", raw),
             row("same-dumps floor (gather's dumps)", same),
             row("gather() full", full, raw, same)]
    for label, fig in inner["subsets"].items():
        lines.append(row("gather(%s)" % label, fig, None, same))
    lines.append(row("import netifs (fresh interpreter)", inner["import"]))
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
    return "  %-38s %10.0f %9.0f %9.0f %7s %9.0f" % (
        text, fig["ms"], over(ans, label, "baseline"), over(ans, label, "ping"), pids, fig["kb"])


def ansible_rows(ans, inner):
    head = ("end to end", "median ms", "-baseline", "-ping", "pids", "stdout KB")
    lines = ["  %-38s %10s %9s %9s %7s %9s" % head]
    lines += [ansible_line(ans, label, text) for label, text in ANSIBLE_LABELS]
    setup = over(ans, "setup", "baseline")
    lines.append("  setup-network / netifs, both over the setup baseline: %s"
                 % ratio(setup, over(ans, "netifs", "baseline")))
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
    lines = [head] + inner_rows(result["inner"]) + count_lines(result["inner"])
    if "ansible" in result:
        lines += ansible_rows(result["ansible"], result["inner"])
    elif "ansible_error" in result:
        lines.append("  end to end FAILED: %s" % result["ansible_error"].strip().replace("\n", "\n    "))
    print("\n".join(lines) + "\n")
    sys.stdout.flush()


# ---- main -------------------------------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, action="append",
                        help="veth pairs in a namespace; repeat for several sizes (default 1000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per in-process figure")
    parser.add_argument("--ansible-runs", type=int, default=3, help="timed runs per ansible command")
    parser.add_argument("--no-ansible", action="store_true", help="skip the end-to-end figures")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    args = parser.parse_args()
    args.pairs = args.pairs or [1000]
    if any(not 1 <= n <= MAX_PAIRS for n in args.pairs):
        parser.error("--pairs must be between 1 and %d" % MAX_PAIRS)
    return args


def interrupt(signum, _frame):
    raise KeyboardInterrupt("signal %d" % signum)


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("bench.py needs root (ip netns)")
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)  # the namespace goes, even when started with SIGINT ignored
    start = time.perf_counter()
    info = machine()
    print("machine: nproc %(nproc)s, kernel %(kernel)s, python %(python)s (%(python_path)s), "
          "load average at start %(loadavg_at_start)s\n" % info)
    results = []
    with tempfile.TemporaryDirectory(prefix="nfbench-") as tmp:
        env = ansible_env(make_collections_dir(tmp))
        for index, pairs in enumerate(args.pairs):
            results.append(measure_size(index, pairs, args, env))
            report(results[-1])
    total = time.perf_counter() - start
    print("total run time: %.1f s" % total)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"machine": info, "sizes": results, "total_s": total}, handle, indent=2)


if __name__ == "__main__":
    main()
