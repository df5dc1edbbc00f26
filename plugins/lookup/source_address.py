# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: source_address
short_description: The controller's own source address towards each destination, as its kernel would choose it
version_added: 0.1.0
author:
  - netifs.core contributors (@netifs)
description:
  - For each term (an IP address or a host name), returns the source address that the controller's
    kernel would use to send to it. This is the typical answer to "which address do the targets use
    to call back to the controller".
  - The kernel itself is asked (C(RTM_GETROUTE), as C(ip route get) asks), so C(ip rule) policy
    routing, metrics and preferred sources all count. Asking sends no packet.
  - Runs on the controller and describes the controller. For the targets, gather facts with
    M(netifs.core.netifs_facts) (its O(netifs.core.netifs_facts#module:destinations) option asks the
    same question on the target) or use the P(netifs.core.source_for#filter) filter.
  - A term that is not an address or a host name, a name that does not resolve (to an address of
    O(family), when it is set), an address of the other family, a destination with no route, and a
    route that rejects (blackhole, unreachable, prohibit, throw) are each an error that names the term.
  - Needs a Linux controller (rtnetlink). On any other controller the lookup fails with an error
    that says the controller's network cannot be read.
options:
  _terms:
    description:
      - Destinations, each an IPv4 or IPv6 address or a host name. An IPv6 link-local address may
        carry its zone, as in V(fe80::1%eth0).
      - Host names are resolved with the controller's resolver; the first address it prefers is used.
    type: list
    elements: str
    required: true
  family:
    description:
      - V(any) takes each term as it comes, and a host name resolves to the address the resolver prefers.
      - V(ipv4) and V(ipv6) resolve host names to that family only, and make an address of the other
        family an error.
    type: str
    choices: [any, ipv4, ipv6]
    default: any
  records:
    description:
      - If V(false), each result is the source address as a string.
      - If V(true), each result is a record with the keys described in RV(_raw).
    type: bool
    default: false
seealso:
  - plugin: netifs.core.source_for
    plugin_type: filter
  - plugin: netifs.core.best_local
    plugin_type: lookup
  - module: netifs.core.netifs_facts
"""

EXAMPLES = r"""
- name: The address the targets should call back to (the controller's source towards each target)
  ansible.builtin.set_fact:
    callback_address: "{{ lookup('netifs.core.source_address', ansible_host | default(inventory_hostname)) }}"

- name: Interface and gateway too
  ansible.builtin.debug:
    msg: "{{ lookup('netifs.core.source_address', '192.0.2.10', records=true) }}"
  # {"address": "198.51.100.4", "interface": "eth0", "gateway": "198.51.100.1",
  #  "destination": "192.0.2.10", "family": 4}

- name: A host name, resolved to IPv6 only
  ansible.builtin.debug:
    msg: "{{ lookup('netifs.core.source_address', 'repo.example.org', family='ipv6') }}"

- name: Several destinations at once, as a list
  ansible.builtin.debug:
    msg: "{{ query('netifs.core.source_address', '192.0.2.10', '2001:db8::10') }}"
"""

RETURN = r"""
_raw:
  description:
    - One result per term, in the order of the terms.
    - The source address, or with O(records=true) a record.
  type: list
  elements: raw
  contains:
    address:
      description: The source address the kernel would use.
      type: str
      sample: 198.51.100.4
    interface:
      description: The interface the packets would leave through.
      type: str
      sample: eth0
    gateway:
      description: The next hop, or V(null) when the destination is on a link of the controller.
      type: str
      sample: 198.51.100.1
    destination:
      description: The address the term resolved to (the term itself when it is an address, without its zone).
      type: str
      sample: 192.0.2.10
    family:
      description: V(4) or V(6).
      type: int
      sample: 4
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.netifs.core.plugins.module_utils.netifs import sources
from ansible_collections.netifs.core.plugins.plugin_utils.controller import set_options

PLUGIN = "netifs.core.source_address"
FAMILIES = {"any": None, "ipv4": 4, "ipv6": 6}


def _checked(terms):
    """Parsed destinations; a term that is not an address or host name is an error naming it."""
    out = []
    for term in terms:
        if not isinstance(term, str):
            raise AnsibleLookupError("%s: term %r is not an address or host name" % (PLUGIN, term))
        try:
            out.extend(sources.parse_destinations([term]))
        except ValueError as exc:
            raise AnsibleLookupError("%s: term %r: %s" % (PLUGIN, term, exc))
    return out


def _result(entry, records):
    why = sources.missing_source(entry)
    if why is not None:
        raise AnsibleLookupError("%s: term %r: %s" % (PLUGIN, entry["destination"], why))
    if not records:
        return entry["source"]
    return {"address": entry["source"], "interface": entry["interface"], "gateway": entry["gateway"],
            "destination": entry["address"], "family": entry["family"]}


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        set_options(self, PLUGIN, variables, kwargs)
        dests = _checked(self._flatten(terms))
        family = FAMILIES[self.get_option("family")]
        records = self.get_option("records")
        entries = sources.ask_all(dests, family)
        return [_result(entry, records) for entry in entries]
