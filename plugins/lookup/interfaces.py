# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: interfaces
short_description: The controller's network interfaces, in the netifs facts schema
version_added: 0.1.0
author:
  - netifs.core contributors (@netifs)
description:
  - Returns the controller's interfaces as records of the netifs facts schema, the same records that
    M(netifs.core.netifs_facts) puts under C(ansible_facts.netifs.interfaces) for a target, in the
    kernel's order (by interface index).
  - Runs on the controller and describes the controller, read from its kernel at the moment of the
    lookup. The records can be given to the filters of this collection, for example
    P(netifs.core.addresses#filter).
  - Needs a Linux controller (rtnetlink). On any other controller the lookup fails with an error
    that says the controller's network cannot be read.
options:
  _terms:
    description:
      - Glob patterns (as in C(fnmatch)) of the interfaces to return, matched against each
        interface's name and alternative names, exactly as the
        O(netifs.core.netifs_facts#module:interfaces) option of the module takes them.
        A pattern that starts with V(!) excludes. Only exclusions means every other interface.
      - Without terms, every interface is returned.
    type: list
    elements: str
    required: false
  gather_subset:
    description:
      - What each record holds, as the O(netifs.core.netifs_facts#module:gather_subset) option of the
        module takes it, limited to the subsets that describe interfaces.
      - V(interfaces) (link attributes), V(addresses), V(multicast) and V(stats) (counters). V(all)
        means these four; an entry that starts with V(!) removes one.
      - Every record has C(index) and C(name) (and C(name_bytes) for a name that is not UTF-8)
        whatever is asked, so V(["!all"]) gives only those.
    type: list
    elements: str
    default: [all]
seealso:
  - module: netifs.core.netifs_facts
  - plugin: netifs.core.addresses
    plugin_type: filter
  - plugin: netifs.core.best_local
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: The controller's interface names
  ansible.builtin.debug:
    msg: "{{ query('netifs.core.interfaces') | map(attribute='name') }}"

- name: The controller's private IPv4 addresses on eth* and en*, but not on en9
  ansible.builtin.debug:
    msg: >-
      {{ query('netifs.core.interfaces', 'eth*', 'en*', '!en9', gather_subset=['addresses'])
         | netifs.core.addresses(family=4, classes=['private']) }}

- name: The MTU of the controller's bridge br0
  ansible.builtin.debug:
    msg: "{{ (query('netifs.core.interfaces', 'br0', gather_subset=['interfaces']) | first).mtu }}"
"""

RETURN = r"""
_raw:
  description:
    - One record per interface, in the schema of C(ansible_facts.netifs.interfaces) of
      M(netifs.core.netifs_facts) (see its RV(netifs.core.netifs_facts#module:ansible_facts.netifs)
      return value and C(docs/schema.md) of the collection).
    - Empty when no interface matches the patterns.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.netifs.core.plugins.module_utils.netifs.facts import INTERFACE_SUBSETS, NAME_KEYS, parse_subset
from ansible_collections.netifs.core.plugins.plugin_utils.controller import gather, set_options

PLUGIN = "netifs.core.interfaces"


def _subsets(value):
    """The interface subsets of ``gather_subset``; another subset is an error naming it."""
    try:
        asked = parse_subset(value)
    except ValueError as exc:
        raise AnsibleLookupError("%s: %s" % (PLUGIN, exc))
    for entry in value:
        name = entry.lstrip("!")
        if name != "all" and name not in INTERFACE_SUBSETS:
            raise AnsibleLookupError("%s: gather_subset entry %r does not describe interfaces; choose from all, %s "
                                     "(each may start with !)" % (PLUGIN, entry, ", ".join(sorted(INTERFACE_SUBSETS))))
    return sorted(asked & INTERFACE_SUBSETS)


def _patterns(terms):
    for term in terms:
        if not isinstance(term, str) or not term.lstrip("!"):
            raise AnsibleLookupError("%s: term %r is not an interface name pattern" % (PLUGIN, term))
    return terms or None


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        set_options(self, PLUGIN, variables, kwargs)
        patterns = _patterns(self._flatten(terms or []))
        subset = _subsets(self.get_option("gather_subset"))
        netifs = gather(PLUGIN, subset=subset or ["interfaces"], interfaces=patterns)
        records = list(netifs["interfaces"].values())
        if not subset:  # only what every record has
            records = [{k: r[k] for k in NAME_KEYS if k in r} for r in records]
        return records
