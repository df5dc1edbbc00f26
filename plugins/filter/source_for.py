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


def source_for(facts, destination, rules=True, source=None, fwmark=None, uid=None, iif=None, ipproto=None,
               sport=None, dport=None, use_tempaddr=None):
    """The source address, interface and gateway the host of ``facts`` would use for
    ``destination`` (an address, or a list of them: then a list of answers), following the
    facts' policy rules unless ``rules`` is false; the other options describe the traffic."""
    netifs = netifs_of(facts, PLUGIN)
    routes = require(netifs, "routes", "routes", PLUGIN)
    interfaces = require(netifs, "interfaces", "addresses", PLUGIN)
    if any("addresses" not in iface for iface in interfaces.values()):
        raise AnsibleFilterError("%s: the facts hold no addresses; gather them with gather_subset "
                                 "including addresses" % PLUGIN)
    if not isinstance(rules, bool):
        raise AnsibleFilterError("%s: rules must be true or false, got %r" % (PLUGIN, rules))
    kwargs = dict(rules=netifs.get("rules") if rules else None, source=source, fwmark=fwmark, uid=uid, iif=iif,
                  ipproto=ipproto, sport=sport, dport=dport, use_tempaddr=use_tempaddr)
    many = isinstance(destination, Sequence) and not isinstance(destination, (str, bytes))
    answers = []
    for dest in destination if many else [destination]:
        try:
            answers.append(source_selection.source_for(routes, interfaces, dest, **kwargs))
        except (TypeError, ValueError) as exc:
            raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))
    return answers if many else answers[0]


class FilterModule(object):
    def filters(self):
        return {"source_for": source_for}
