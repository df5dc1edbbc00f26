# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.source_for`` filter: documented in source_for.yml beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.module_utils.netifs import source_selection
from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import netifs_of, require

PLUGIN = "netifs.core.source_for"


def source_for(facts, destination):
    """The source address, interface and gateway the host of ``facts`` would use for
    ``destination`` (an address, or a list of them: then a list of answers)."""
    netifs = netifs_of(facts, PLUGIN)
    routes = require(netifs, "routes", "routes", PLUGIN)
    interfaces = require(netifs, "interfaces", "addresses", PLUGIN)
    if any("addresses" not in iface for iface in interfaces.values()):
        raise AnsibleFilterError("%s: the facts hold no addresses; gather them with gather_subset "
                                 "including addresses" % PLUGIN)
    many = isinstance(destination, Sequence) and not isinstance(destination, (str, bytes))
    answers = []
    for dest in destination if many else [destination]:
        try:
            answers.append(source_selection.source_for(routes, interfaces, dest))
        except ValueError as exc:
            raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))
    return answers if many else answers[0]


class FilterModule(object):
    def filters(self):
        return {"source_for": source_for}
