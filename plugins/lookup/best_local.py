# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: best_local
short_description: The controller's best local addresses, those of the default route its kernel would use
version_added: 0.1.0
author:
  - netifs.core contributors (@netifs)
description:
  - Returns the controller's best local (outbound) address of each family asked for. That is the
    preferred source of the default route the kernel would use, else the first usable address of the
    interface that route leaves through, exactly as C(best_local) of M(netifs.core.netifs_facts) reports it.
  - Runs on the controller and describes the controller. For the targets, use the
    P(netifs.core.best_local#filter) filter on their gathered facts; this lookup is that filter applied
    to the controller's own facts, read at the moment of the lookup.
  - Needs a Linux controller (rtnetlink). On any other controller the lookup fails with an error
    that says the controller's network cannot be read.
options:
  _terms:
    description:
      - The families to return, in this order, each V(ipv4) or V(ipv6) (V(4) and V(6) also do).
      - A family named here that has no best local address (no default route of that family, or no
        usable address behind it, and nothing of the O(fallback) classes) is an error naming it.
      - Without terms, both families are returned, IPv4 first, and a family that has no best local
        address is left out. The result may then be empty.
    type: list
    elements: raw
    required: false
  fallback:
    description:
      - Address classes in order of preference, such as V([public, private]), as the
        P(netifs.core.best_local#filter) filter takes them. An address of the first class is taken from the
        default route's interfaces if there is one, else from any interface; then the next class.
      - The classes are V(unspecified), V(loopback), V(link_local), V(private), V(shared),
        V(unique_local), V(multicast), V(documentation), V(benchmarking), V(reserved) and V(public).
      - By default any class will do, but only the default route's addresses count.
    type: list
    elements: str
  records:
    description:
      - If V(false), each result is an address as a string.
      - If V(true), each result is a record with the keys described in RV(_raw).
    type: bool
    default: false
  first:
    description:
      - If V(true), one result per family, the best.
      - If V(false), every candidate of each family, best first.
    type: bool
    default: true
seealso:
  - plugin: netifs.core.best_local
    plugin_type: filter
  - plugin: netifs.core.source_address
    plugin_type: lookup
  - module: netifs.core.netifs_facts
"""

EXAMPLES = r"""
- name: The controller's outbound IPv4 address
  ansible.builtin.debug:
    msg: "{{ lookup('netifs.core.best_local', 'ipv4') }}"

- name: Both families, as a list (a family without a default route is left out)
  ansible.builtin.debug:
    msg: "{{ query('netifs.core.best_local') }}"

- name: A public address if the controller has one, else a private one, with its interface
  ansible.builtin.debug:
    msg: "{{ lookup('netifs.core.best_local', 'ipv4', fallback=['public', 'private'], records=true) }}"
  # {"address": "192.168.1.20", "prefixlen": 24, "interface": "eth0", "class": "private", "family": 4}
"""

RETURN = r"""
_raw:
  description:
    - The best local address of each family asked for, in order, or with O(first=false) every candidate.
    - With O(records=true), a record per address.
  type: list
  elements: raw
  contains:
    address:
      description: The address.
      type: str
      sample: 192.168.1.20
    prefixlen:
      description: Its prefix length.
      type: int
      sample: 24
    interface:
      description: The interface that holds it.
      type: str
      sample: eth0
    class:
      description: Its address class (see the P(netifs.core.private_address#test) test and its siblings).
      type: str
      sample: private
    family:
      description: V(4) or V(6).
      type: int
      sample: 4
"""

from ansible.errors import AnsibleFilterError, AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.netifs.core.plugins.filter.best_local import best_local
from ansible_collections.netifs.core.plugins.module_utils.netifs.facts import FAMILY_NAMES
from ansible_collections.netifs.core.plugins.plugin_utils.controller import gather, set_options

PLUGIN = "netifs.core.best_local"


def _families(terms):
    """``[(family, named)]``: the families asked for; ``named`` when a term asked for it."""
    if not terms:
        return [(4, False), (6, False)]
    out = []
    for term in terms:
        key = term.lower() if isinstance(term, str) else term
        if isinstance(key, bool) or not isinstance(key, (int, str)) or key not in FAMILY_NAMES:
            raise AnsibleLookupError("%s: term %r is not a family; use ipv4 or ipv6" % (PLUGIN, term))
        out.append((FAMILY_NAMES[key], True))
    return out


def _pick(netifs, family, named, options):
    """The results of one family: a list, empty only when the family was not named."""
    try:
        got = best_local(netifs, family, fallback=options["fallback"], records=options["records"],
                         first=options["first"])
    except AnsibleFilterError as exc:
        raise AnsibleLookupError(str(exc))
    found = [got] if options["first"] else got
    found = [r for r in found if r is not None]
    if not found and named:
        what = " of the classes %s" % ", ".join(options["fallback"]) if options["fallback"] else ""
        raise AnsibleLookupError("%s: term ipv%d: the controller has no best local IPv%d address%s (no default "
                                 "route of that family, or no usable address behind it)"
                                 % (PLUGIN, family, family, what))
    if options["records"]:
        for record in found:
            record["family"] = family
    return found


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        set_options(self, PLUGIN, variables, kwargs)
        families = _families(self._flatten(terms or []))
        options = {key: self.get_option(key) for key in ("fallback", "records", "first")}
        subset = ["best_local", "addresses"] if options["fallback"] else ["best_local"]
        netifs = gather(PLUGIN, subset=subset)
        return [found for family, named in families for found in _pick(netifs, family, named, options)]
