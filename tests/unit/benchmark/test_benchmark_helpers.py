# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's pure parts: namespace plans, when a peer is skipped, the builders of the lower
bound, the plot.

The benchmark itself runs in tests/live/test_benchmark.py (a smoke run at a small size).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import dis
import importlib
import ipaddress
import os
import sys
import xml.etree.ElementTree as ET

import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "benchmark")
sys.path.insert(0, BENCH)

import bench  # noqa: E402
import bound  # noqa: E402
import peers  # noqa: E402
import plot  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def test_batch_lines_address_plan_has_no_overlap():
    lines = bench.batch_lines(300)
    addrs = [line.split()[2] for line in lines if line.startswith("address add")]
    assert len(addrs) == 900 and len(set(addrs)) == 900
    nets = {ipaddress.ip_interface(a).network for a in addrs}
    assert len(nets) == 900  # every address on a subnet of its own
    assert lines[-2:] == ["route add default via 10.0.0.254 dev a0", "route add ::/0 via fd00::fe dev a0"]


def test_route_lines_fill_the_benchmarking_range_exactly():
    lines = bench.route_lines(bench.MAX_ROUTES)
    dests = [ipaddress.ip_network(line.split()[2]) for line in lines if line.startswith("route add 198.")]
    assert len(set(dests)) == bench.MAX_ROUTES
    bench_range = ipaddress.ip_network("198.18.0.0/15")
    assert all(d.subnet_of(bench_range) and d.prefixlen == 32 for d in dests)


@pytest.mark.parametrize("history, pairs, limit, skipped", [
    ({}, 1000, 60, {}),
    ({"p": []}, 1000, 60, {}),
    ({"p": [(100, 1000.0)]}, 1000, 60, {}),  # 1 s at 100: linear says 10 s at 1000
    ({"p": [(100, 1000.0)]}, 10000, 60, {"p": "predicted 100 s per run from 1.0 s at 100 pairs (limit 60 s)"}),
    # quadratic from 10 to 100 pairs: 0.5 s at 100 means 50 s at 1000
    ({"p": [(10, 5.0), (100, 500.0)]}, 1000, 40, {"p": "predicted 50 s per run from 0.5 s at 100 pairs (limit 40 s)"}),
    ({"p": [(10, 5.0), (100, 500.0)]}, 1000, 60, {}),
    # faster than linear (warm caches) is taken as linear, never as free
    ({"p": [(10, 900.0), (100, 1000.0)]}, 10000, 60, {"p": "predicted 100 s per run from 1.0 s at 100 pairs (limit 60 s)"}),
])
def test_peers_to_skip(history, pairs, limit, skipped):
    assert bench.peers_to_skip(history, pairs, limit) == skipped


def test_peers_available_reports_what_does_not_import(monkeypatch):
    real = importlib.import_module

    def only_subprocess(name):
        if name != "subprocess":
            raise ImportError("No module named %r" % name)
        return real(name)
    monkeypatch.setattr(importlib, "import_module", only_subprocess)
    calls, skipped = peers.available()
    assert [label for label, _call in calls] == ["ip -j addr + route v4/v6 (processes)"]
    assert skipped["psutil net_if_addrs"] == "not installed: No module named 'psutil'"
    assert len(calls) + len(skipped) == len(peers.PEERS)


FACTS = {"schema": 1, "interfaces": {"lo": {"index": 1, "mtu": 65536, "up": True, "flags": ["up", "loopback"],
                                            "addresses": [{"address": "127.0.0.1", "peer": None}]}},
         "routes": [], "best_local": {"ipv4": [], "ipv6": []}, "ratio": 0.5}


@pytest.mark.parametrize("maker", [bound.python_builder, bound.marshal_builder])
def test_builders_make_a_new_equal_copy_each_call(maker):
    build = maker(FACTS)
    first, second = build(), build()
    assert first == second == FACTS
    assert first is not second and first["interfaces"] is not FACTS["interfaces"]
    assert first["interfaces"]["lo"]["flags"] is not second["interfaces"]["lo"]["flags"]


def test_python_builder_reads_leaves_and_runs_no_loop_or_call():
    build = bound.python_builder(FACTS)
    code = build.__closure__[0].cell_contents.__code__  # the generated build(v)
    ops = {ins.opname for ins in dis.get_instructions(code)}
    assert code.co_names == ()  # no global looked up: nothing called
    assert not any(op.startswith(("CALL", "FOR_ITER", "JUMP")) for op in ops), ops


def figures(sizes, peer_ms=None, ansible=None):
    out = []
    for n, ms in sizes:
        inner = {"check": {"interfaces": 2 * n + 1}, "gather": {"median": ms},
                 "subsets": {"interfaces": {"median": ms / 4}}, "floor_raw": {"median": ms / 10},
                 "lower_bound": {"median": ms / 5}}
        if peer_ms:
            inner["peers"] = {"a <peer> & co": {"median": peer_ms * n}}
        size = {"inner": inner}
        if ansible:
            size["ansible"] = ansible
        out.append(size)
    return {"machine": {"nproc": 2, "cpu": "x", "kernel": "6.1", "python": "3.11", "date": "2026-11-23"},
            "sizes": out}


def test_series_one_line_per_tool_in_interface_counts():
    lines = dict(plot.series(figures([(10, 2.0), (100, 20.0)], peer_ms=1.0)))
    assert lines["netifs gather() (all facts)"] == [(21, 2.0), (201, 20.0)]
    assert lines["raw netlink floor (headers only)"] == [(21, 0.2), (201, 2.0)]
    assert lines["lower bound of a Python reader"] == [(21, 0.4), (201, 4.0)]
    assert lines["a <peer> & co"] == [(21, 10.0), (201, 100.0)]


def test_series_leaves_out_what_cannot_go_on_a_log_scale():
    # setup over its baseline is noise at small sizes, and may be negative
    ansible = {"setup": {"ms": 900.0}, "baseline": {"ms": 1000.0}}
    lines = dict(plot.series(figures([(10, 2.0)], ansible=ansible)))
    assert "setup network collector (over its baseline)" not in lines


def test_svg_is_well_formed_with_a_line_and_a_legend_entry_per_tool():
    figs = figures([(10, 2.0), (100, 20.0), (1000, 200.0)], peer_ms=1.0,
                   ansible={"setup": {"ms": 3000.0}, "baseline": {"ms": 1000.0}})
    root = ET.fromstring(plot.svg(figs))
    lines = plot.series(figs)
    assert len(root.findall(SVG + "polyline")) == len(lines) == 6
    texts = [t.text for t in root.iter(SVG + "text")]
    for label, _points in lines:
        assert label in texts  # escaped in the document, the same text once parsed
    assert "1k" in texts and "1 s" in texts  # decade ticks on both axes


def test_svg_without_figures_is_an_error():
    with pytest.raises(ValueError):
        plot.svg({"machine": {}, "sizes": []})
