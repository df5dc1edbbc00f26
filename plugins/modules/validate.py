#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The documentation of the action plugin plugins/action/validate.py, which does the work on the controller.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: validate
short_description: Compare a host's gathered network facts with what the inventory says
version_added: 0.1.0
description:
  - Compares the C(netifs) facts of a host, gathered by M(netifs.core.netifs_facts), with the
    network the inventory intends for it, that is its interfaces and their state, MTU, MAC, kind, master,
    addresses and multicast groups; the default route of each family; the best local address;
    and whether the networks of declared peers are reachable.
  - Reports every difference at once, as records in RV(mismatches) and as a table in RV(msg) and
    RV(table). A difference does not fail the task (bad input does); use RV(ok), or the
    P(netifs.core.validate#role) role, which fails with the table.
  - Runs on the controller over facts already gathered; it sends nothing to the host and never
    reports a change.
  - Peer reachability is worked out from the facts, without sending a packet. A peer network is
    on-link when one of this host's own addresses (other than host-scope ones) has a prefix that
    holds the peer's address; otherwise it is reachable when the route the kernel would pick from
    tables main and default (longest prefix, then metric) is not of a rejecting type and has a
    usable next hop. Policy rules (C(ip rule)) are not in the facts, so they are not taken into account.
author:
  - netifs.core contributors (@netifs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.conn
  - ansible.builtin.action_common_attributes.flow
attributes:
  action:
    support: full
  async:
    support: none
  become:
    support: none
  bypass_host_loop:
    support: none
  connection:
    support: none
  check_mode:
    support: full
    details: It only compares facts; it runs the same in check mode.
  delegation:
    support: none
    details: It runs on the controller anyway.
  diff_mode:
    support: full
    details:
      - RV(diff) holds C(before) (the gathered values) and C(after) (the inventory's) of the checked
        keys only. As the task never changes anything, the default callback does not print it; the
        P(netifs.core.validate#role) role prints it in C(--diff) mode.
  platform:
    platforms: all
options:
  facts:
    description:
      - The host's C(netifs) facts, as C(ansible_facts.netifs), C(ansible_facts) or a C(hostvars) entry.
      - By default the C(ansible_facts) of the host the task runs for.
      - Checks of interfaces need the C(interfaces) subset (and C(addresses), C(multicast) for those
        checks); default routes and the best local address need C(best_local); peers need
        C(addresses) and C(routes). A missing subset fails the task, naming it.
    type: dict
  interfaces:
    description:
      - The interfaces the inventory declares, each checked for the keys given; a key left out is not checked.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The interface name.
        type: str
        required: true
      present:
        description: Whether the interface must exist. V(false) checks that it does not; its other keys are then ignored.
        type: bool
        default: true
      state:
        description: The administrative state (the C(up) flag, as C(ip link set up) sets it).
        type: str
        choices: [up, down]
      oper_state:
        description: The operational state (RFC 2863), as in C(oper_state) of the facts.
        type: str
        choices: [unknown, notpresent, down, lowerlayerdown, testing, dormant, up]
      mtu:
        description: The MTU.
        type: int
      mac:
        description: The link-layer address; any case, with colons or dashes.
        type: str
      kind:
        description: The link kind, as in C(kind) of the facts (V(veth), V(bridge), V(vlan), V(bond), ...).
        type: str
      master:
        description:
          - The bridge or bond this interface is a port of.
          - An empty string checks that it is a port of none.
        type: str
      addresses:
        description:
          - Addresses, as V(10.0.0.1/24) or V(2001:db8::1/64); without a C(/prefixlen) any prefix length matches.
          - How they are compared is O(interfaces[].addresses_match).
        type: list
        elements: str
      addresses_match:
        description:
          - V(contains) checks that every address listed is on the interface.
          - V(exact) checks also that the interface has no other address. IPv6 link-local
            addresses, which the kernel makes by itself, are left out of that comparison unless
            the list names one.
        type: str
        choices: [contains, exact]
        default: contains
      multicast:
        description: Multicast groups the interface must have joined (others it has joined are fine).
        type: list
        elements: str
  default_route:
    description:
      - The default route the kernel would use, per family, as C(default_ipv4) and C(default_ipv6)
        of the facts give it. A host without a default route of the family has interface and gateway V(none).
    type: dict
    suboptions:
      ipv4:
        description: The IPv4 default route.
        type: dict
        suboptions:
          interface:
            description: Its output interface.
            type: str
          gateway:
            description: Its gateway address.
            type: str
      ipv6:
        description: The IPv6 default route.
        type: dict
        suboptions:
          interface:
            description: Its output interface.
            type: str
          gateway:
            description: Its gateway address.
            type: str
  best_local:
    description: The address the host sends from by default, per family (the first of C(best_local) in the facts).
    type: dict
    suboptions:
      ipv4:
        description: The IPv4 address.
        type: str
      ipv6:
        description: The IPv6 address.
        type: str
  peers:
    description:
      - Hosts of the inventory whose networks this host must reach.
      - A peer's networks are those of the addresses its own C(validate_interfaces) variable declares
        (as the P(netifs.core.validate#role) role takes them) and, when its C(netifs) facts were
        gathered in this play, of its addresses other than loopback, link-local and multicast ones.
      - A peer that is not in the inventory, or of which nothing is known, is a mismatch.
    type: list
    elements: dict
    default: []
    suboptions:
      host:
        description: The peer's inventory host name.
        type: str
        required: true
      on_link:
        description: Require that every network of the peer is on-link (shares a subnet with this host), not only reachable.
        type: bool
        default: false
notes:
  - With C(callback_result_format=yaml) in C(ansible.cfg), a failure message shows the table as a table.
seealso:
  - module: netifs.core.netifs_facts
  - name: The netifs facts schema
    description: Every key the checks read.
    link: https://github.com/netifs/netifs.core/blob/main/docs/schema.md
"""

EXAMPLES = r"""
- name: Gather the facts to check
  netifs.core.netifs_facts:
    gather_subset: [all, "!stats"]

- name: Compare them with the intended network
  netifs.core.validate:
    interfaces:
      - name: va
        state: up
        addresses: [10.0.0.1/24, "2001:db8:1::1/64"]  # contained; addresses_match=exact for all
      - name: vb
        mtu: 9000
      - name: bp1
        master: br0
      - name: wlan0
        present: false
    default_route:
      ipv4: {interface: va, gateway: 10.0.0.254}
    best_local:
      ipv4: 10.0.0.1
    peers:
      - host: host2  # its networks must be reachable; on_link=true: on a link of this host
  register: network_check

- name: Fail with the table of differences
  ansible.builtin.fail:
    msg: "{{ network_check.msg }}"
  when: not network_check.ok
"""

RETURN = r"""
ok:
  description: Whether every check passed.
  returned: success
  type: bool
  sample: false
mismatches:
  description:
    - Every difference, in the order of the checks. C(interface) is null for host-wide checks.
    - For addresses and multicast groups there is one record per address missing (C(actual) V(absent)
      or V(not joined)) or unexpected (C(expected) V(absent)).
  returned: success
  type: list
  elements: dict
  sample:
    - {interface: eth0, check: mtu, expected: 9000, actual: 1500}
    - {interface: eth0, check: addresses, expected: 10.0.0.5/24, actual: absent}
    - {interface: null, check: default_route.ipv4.interface, expected: eth0, actual: eth1}
checked:
  description: Every check made, as C({interface, check}).
  returned: success
  type: list
  elements: dict
  sample:
    - {interface: eth0, check: present}
    - {interface: eth0, check: mtu}
diff_mode:
  description:
    - Whether the task ran in diff mode (C(--diff), or the task keyword C(diff)). The role then shows
      RV(diff) itself, since Ansible prints a diff only for a task that reports a change.
  returned: success
  type: bool
  sample: false
table:
  description: The mismatches as a text table (INTERFACE, CHECK, EXPECTED, ACTUAL); empty when there are none.
  returned: success
  type: str
  sample: |-
    INTERFACE  CHECK  EXPECTED  ACTUAL
    ---------  -----  --------  ------
    eth0       mtu    9000      1500
msg:
  description: A summary line, followed by the table when something differs.
  returned: always
  type: str
diff:
  description:
    - C(before) holds the gathered value of every checked key, C(after) the inventory's, under
      C(interfaces.<name>.<key>), C(default_route.<family>.<key>), C(best_local.<family>) and
      C(peers.<host>.<network>).
    - For V(contains) address lists and multicast groups, C(after) is the gathered list plus what is missing.
  returned: success
  type: dict
  sample:
    before: {interfaces: {eth0: {present: true, mtu: 1500}}}
    after: {interfaces: {eth0: {present: true, mtu: 9000}}}
    before_header: web1 (gathered)
    after_header: web1 (inventory)
"""
