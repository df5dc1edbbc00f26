# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""What makes an address a usable source, and how RFC 4191 ranks route preferences.

Pure functions of schema data, shared by the engine (outbound.py) and the controller's filters.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# RFC 4191: high is preferred over medium over low; IPv4 routes have no preference.
PREFERENCE_RANK = {"high": 0, "medium": 1, None: 1, "low": 2}
# Addresses the kernel does not pick as a source for traffic leaving the host.
UNUSABLE_ADDRESS = frozenset(("tentative", "dadfailed", "deprecated"))
USABLE_SCOPES = frozenset(("global", "site"))


def usable_address(addr):
    """An address the kernel may pick as the source of outgoing traffic (a joined multicast
    group, ``autojoin``, has global scope but is never a source)."""
    return (addr["scope"] in USABLE_SCOPES and addr["class"] != "multicast"
            and not UNUSABLE_ADDRESS.intersection(addr["flags"]))
