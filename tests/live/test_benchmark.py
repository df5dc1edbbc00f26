# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A smoke run of the benchmark at small sizes: every part of it runs (floors, netifs, two peers
from their own venv, imports and commands, Ansible end to end, the route table with memory), its
figures belong to the namespaces it built, it writes JSON and a plot, and it leaves no namespace
behind, also when stopped by SIGTERM. No figure is asserted: timings are not tests.

The peers venv for this run (psutil and ifaddr, wheels from PyPI) is kept in .cache/bench-peers-smoke.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import netns

BENCH = os.path.join(netns.REPO, "tests", "benchmark", "bench.py")
PEERS_VENV = os.path.join(netns.REPO, ".cache", "bench-peers-smoke")


def bench_namespaces(pid):
    listed = subprocess.check_output(["ip", "netns", "list"], universal_newlines=True)
    return [line.split()[0] for line in listed.splitlines() if line.startswith("nfbench-%d-" % pid)]


def test_smoke_run(tmp_path):
    argv = [sys.executable, BENCH, "--pairs", "3", "--pairs", "1", "--routes", "500", "--repeat", "2",
            "--ansible-runs", "1", "--ansible-max-pairs", "1", "--peers-venv", PEERS_VENV,
            "--peer-packages", "psutil", "ifaddr", "--out", str(tmp_path)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, out[-3000:] + err[-3000:]
    assert bench_namespaces(proc.pid) == []
    for head in ("== 1 veth pairs", "== 3 veth pairs", "== 500 routes", "== summary =="):
        assert head in out
    figures = json.loads((tmp_path / "benchmark.json").read_text())
    assert [s["pairs"] for s in figures["sizes"]] == [1, 3]  # sorted, smallest first
    for size in figures["sizes"]:
        n, inner = size["pairs"], size["inner"]
        check = inner["check"]
        # lo, and per pair: a-end IPv4, IPv6 and link-local, b-end IPv4 and link-local
        assert (check["interfaces"], check["addresses"]) == (2 * n + 1, 5 * n + 2)
        assert (check["default_ipv4"], check["default_ipv6"], check["missing"]) == ("a0", "a0", [])
        assert set(inner["peers"]) == {"psutil net_if_addrs", "psutil net_if_addrs+net_if_stats",
                                       "ifaddr get_adapters", "ip -j addr + route v4/v6 (processes)"}
        assert inner["peers_skipped"]["pyroute2 links+addrs+routes"].startswith("not installed")
        assert set(inner["versions"]) == {"psutil", "ifaddr"}
        assert inner["imports"]["netifs"]["runs"] == 2 and inner["imports"]["pyroute2"] is None
        assert all(fig["median"] > 0 for fig in inner["subsets"].values())
        # the decode floor reads every message the same-dumps floor counts; the bound adds a build
        assert inner["counts"]["decoded"] == sum(inner["counts"]["same"].values())
        least = min(inner["build_marshal"]["median"], inner["build_python"]["median"])
        assert inner["lower_bound"]["median"] == inner["floor_decode"]["median"] + least > least > 0
    assert set(figures["sizes"][0]["ansible"]) == {"ping", "baseline", "netifs", "setup"}
    assert figures["sizes"][1]["ansible_skipped"] == "over --ansible-max-pairs"
    routes = figures["routes"]
    assert routes["tracemalloc"]["routes"] == routes["rss"]["routes"] >= 500
    assert routes["counts"]["routes4"] >= 500
    svg = ET.parse(str(tmp_path / "benchmark.svg")).getroot()
    assert len(svg.findall("{http://www.w3.org/2000/svg}polyline")) >= 8


def test_sigterm_deletes_the_namespace(tmp_path):
    argv = [sys.executable, BENCH, "--pairs", "3000", "--routes", "0", "--no-peers", "--no-ansible",
            "--out", str(tmp_path)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    try:
        deadline = time.monotonic() + 120
        while not bench_namespaces(proc.pid) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert bench_namespaces(proc.pid), "the benchmark never made its namespace"
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for name in bench_namespaces(proc.pid):  # the test's own cleanup, should the benchmark fail it
            subprocess.call(["ip", "netns", "delete", name])
    assert proc.returncode != 0
    assert bench_namespaces(proc.pid) == []
    assert not (tmp_path / "benchmark.json").exists()
