# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep a namespace's tables changing, for a bounded time, then stop by itself:

    ip netns exec NS python churn.py SECONDS [PAUSE]

One ``ip -force -batch -`` process reads the commands from a pipe, so changes come as fast as
the kernel takes them: veth pairs are added, brought up, given IPv4 and IPv6 addresses, a route,
a nexthop object and a route through it, and then deleted again (which takes their addresses,
routes and nexthops with them), a round of nine changes every PAUSE seconds (default 0.05).
Only this namespace is touched. Prints the rounds it made.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import subprocess
import sys
import time

SLOTS = 32  # veth pairs alive at most at once


def round_lines(n):
    slot = n % SLOTS
    a, b, hi, lo = "ca%d" % slot, "cb%d" % slot, slot, n % 250 + 1
    return ["link del %s" % a,  # the slot's previous pair, if any: fails harmlessly the first time
            "link add %s type veth peer name %s" % (a, b),
            "link set %s up" % a, "link set %s up" % b,
            "address add 10.200.%d.%d/24 dev %s" % (hi, lo, a),
            "address add fd00:c::%x:%x/64 dev %s nodad" % (hi, lo, a),
            "route add 172.31.%d.0/24 via 10.200.%d.254 dev %s" % (hi, hi, a),
            "nexthop replace id %d via 10.200.%d.253 dev %s" % (1000 + slot, hi, a),
            "route replace 198.18.%d.0/24 nhid %d" % (hi, 1000 + slot)]


def main(seconds, pause):
    proc = subprocess.Popen(["ip", "-force", "-batch", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, universal_newlines=True)
    deadline = time.monotonic() + seconds
    rounds = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            proc.stdin.write("\n".join(round_lines(rounds)) + "\n")
            proc.stdin.flush()
            rounds += 1
            time.sleep(pause)  # leave the gathering process some of the CPU
    except BrokenPipeError:
        pass
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        proc.wait()
    print(rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 0.05))
