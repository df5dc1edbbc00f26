# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""
The ``netifs`` grain: this minion's network in the netifs facts schema (docs/schema.md), beside
Salt's own network grains, which it never replaces.

By default the grain holds interfaces with their addresses, gateways, policy rules, best local
addresses and ``default_ipv4``/``default_ipv6``: what changes rarely and stays small on a host with thousands of
interfaces. Routes, counters and multicast memberships are left out (a router's table can hold a
million routes; counters change every second); ask for them in the minion configuration:

.. code-block:: yaml

    netifs_grains_subset: [all, "!stats"]
    netifs_grains_interfaces: ["eth*", "bond*", "!eth9"]

The grain never fails the minion: when the network cannot be read by any backend, or the
configuration is wrong, it is a partial grain with ``backend: null`` and the reason in
``missing``, and a warning is logged.
"""

import logging

import netifs
from netifs import facts

log = logging.getLogger(__name__)

DEFAULT_SUBSET = ["all", "!routes", "!stats", "!multicast"]


def netifs_grains():
    """
    Return the ``netifs`` grain.
    """
    opts = globals().get("__opts__") or {}
    subset = opts.get("netifs_grains_subset", DEFAULT_SUBSET)
    patterns = opts.get("netifs_grains_interfaces")
    try:
        got = netifs.gather(subset, patterns)
    except Exception as exc:  # pylint: disable=broad-except  # a grain must never stop the minion
        log.warning("netifs grain: %s", exc, exc_info=True)
        return {"netifs": facts.unreadable(facts.SUBSETS, "%s: %s" % (type(exc).__name__, exc))}
    for lost in got["missing"]:
        log.warning("netifs grain: not read: %s: %s", lost["subset"], lost["reason"])
    return {"netifs": got}
