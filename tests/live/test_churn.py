# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Soak: facts gathered again and again while another process keeps changing the tables.

The namespace holds 200 veth pairs, so that each dump spans several datagrams. churn.py adds
and deletes veth pairs with addresses, routes and nexthop objects (about 180 changes a second,
for a bounded time; it stops by itself). soak_in_ns.py gathers for the same time and checks
each snapshot. Every snapshot must be consistent; a run may fail only with the retry bound's
own error. The figures are printed (``pytest -s``) for docs/reliability.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

import netns

pytestmark = pytest.mark.usefixtures("engine_present")

SECONDS = float(os.environ.get("NETIFS_SOAK_SECONDS", "20"))
PAIRS = 200
CHURN = os.path.join(netns.HERE, "churn.py")
SOAK = os.path.join(netns.HERE, "soak_in_ns.py")
GAVE_UP = ("DumpInterrupted: the kernel's tables changed during each of 8 snapshots; netifs gave up "
           "rather than report a torn view")


def base_lines(pairs):
    lines = ["link set lo up"]
    for i in range(pairs):
        lines += ["link add s%d type veth peer name t%d" % (i, i), "link set s%d up" % i, "link set t%d up" % i,
                  "address add 10.%d.%d.1/24 dev s%d" % (i // 256, i % 256, i),
                  "address add fd00:5:%x::1/64 dev s%d nodad" % (i, i)]
    return lines + ["route add default via 10.0.0.254 dev s0"]


def test_gathering_while_the_tables_change(tmp_path):
    batch = tmp_path / "base.batch"
    batch.write_text("\n".join(base_lines(PAIRS)) + "\n")
    with netns.namespaces(1, "churn") as (ns,):
        netns.run(["ip", "-n", ns.name, "-batch", str(batch)])
        churn = subprocess.Popen(["ip", "netns", "exec", ns.name, sys.executable, "-B", CHURN, str(SECONDS)],
                                 stdout=subprocess.PIPE, universal_newlines=True)
        try:
            soak = netns.run(["ip", "netns", "exec", ns.name, sys.executable, "-B", SOAK, str(SECONDS)],
                             timeout=SECONDS * 10 + 60)
            rounds = int(churn.communicate(timeout=60)[0])
        finally:
            if churn.poll() is None:
                churn.kill()
                churn.wait()
    got = json.loads(soak.stdout)
    print("\nsoak: %d s, %d churn rounds (%d changes), %d runs, %d snapshots (%d retaken), %d failed, "
          "%d references dropped" % (SECONDS, rounds, rounds * 9, got["runs"], got["snapshots"],
                                     got["snapshots"] - got["runs"], len(got["failures"]), len(got["warnings"])))
    assert got["inconsistent"] == []
    assert set(got["failures"]) <= {GAVE_UP}
    assert all(w.startswith("dropped a reference: ") for w in got["warnings"]), got["warnings"][:5]
    assert got["runs"] >= 20 and rounds >= 50
    assert got["snapshots"] > got["runs"], "the churn never tore a snapshot: the test proved nothing"
    assert len(got["failures"]) <= got["runs"] // 5
