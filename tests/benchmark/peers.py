# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peers: what each other way of knowing the network from Python is asked to do.

Each peer is ``(label, module to import, builder)``; the builder takes the imported module and
returns the call that is timed. A peer whose module is missing is reported as skipped, so the
benchmark still runs with the standard library alone (``--no-peers``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import json
import socket
import subprocess
from importlib import metadata

# Installed by bench.py into its own venv; none of them is needed by netifs itself.
REQUIREMENTS = ("psutil", "netifaces", "ifaddr", "pyroute2", "salt")


def _psutil_addrs(psutil):
    return psutil.net_if_addrs


def _psutil_both(psutil):
    return lambda: (psutil.net_if_addrs(), psutil.net_if_stats())


def _netifaces(netifaces):
    # What a netifaces user writes to learn addresses and gateways: one call per interface.
    return lambda: ([netifaces.ifaddresses(name) for name in netifaces.interfaces()],
                    netifaces.gateways())


def _ifaddr(ifaddr):
    return ifaddr.get_adapters


def _pyroute2(pyroute2):
    def dump():
        with pyroute2.IPRoute() as ipr:
            return (ipr.get_links(), ipr.get_addr(),
                    ipr.get_routes(family=socket.AF_INET), ipr.get_routes(family=socket.AF_INET6))
    return dump


def _salt(network):
    # What Salt's core network grains are built on (it runs `ip addr show` and parses it).
    return network.interfaces


IP_COMMANDS = (["ip", "-j", "address", "show"], ["ip", "-j", "route", "show", "table", "all"],
               ["ip", "-j", "-6", "route", "show", "table", "all"])


def _ip_json(_subprocess):
    # As processes, parsed: the facts are data, so the peer's output is read too.
    return lambda: [json.loads(subprocess.check_output(argv)) for argv in IP_COMMANDS]


PEERS = (
    ("psutil net_if_addrs", "psutil", _psutil_addrs),
    ("psutil net_if_addrs+net_if_stats", "psutil", _psutil_both),
    ("netifaces ifaddresses+gateways", "netifaces", _netifaces),
    ("ifaddr get_adapters", "ifaddr", _ifaddr),
    ("pyroute2 links+addrs+routes", "pyroute2", _pyroute2),
    ("salt.utils.network.interfaces", "salt.utils.network", _salt),
    ("ip -j addr + route v4/v6 (processes)", "subprocess", _ip_json),
)
IMPORTS = ("psutil", "netifaces", "ifaddr", "pyroute2", "salt.utils.network")


def available():
    """``(label, call)`` of each peer that imports here, and ``{label: reason}`` of the others."""
    calls, skipped = [], {}
    for label, module, builder in PEERS:
        try:
            calls.append((label, builder(importlib.import_module(module))))
        except ImportError as exc:
            skipped[label] = "not installed: %s" % exc
    return calls, skipped


def versions():
    """``{distribution: version}`` of the peers installed here."""
    out = {}
    for dist in REQUIREMENTS:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out
