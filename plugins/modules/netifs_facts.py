#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: netifs_facts
short_description: Gather the truth about a host's network from the kernel itself
version_added: 0.1.0
description:
  - Reports the host's interfaces (index, name, kind, MTU, MAC, flags, state, counters), their IPv4
    and IPv6 addresses classified as loopback, link-local, private, shared, unique-local, public and
    so on, every route and gateway (ECMP and nexthop objects included), the policy routing rules
    (C(ip rule)), multicast memberships, and the best local (outbound) addresses the kernel itself
    picks towards the public Internet.
  - On Linux it reads everything in-process through rtnetlink. It starts no C(ip) or C(ethtool)
    process and writes no file, so it is fast on hosts with thousands of interfaces.
  - Like M(ansible.builtin.setup), the default addresses are the kernel's own answer (its route lookup,
    here asked in-process about five public probe destinations per family, so that one specific route
    cannot decide alone; the route it matched and each probe's answer come with them), and all of an
    interface's addresses are reported, not only the first.
  - The facts are returned as C(ansible_facts.netifs), in a versioned schema (C(netifs.schema)) that every
    plugin of this collection reads. The schema is documented in C(docs/schema.md) of the collection
    and under RV(ansible_facts.netifs) below.
  - Needs no root. What the user may not read is listed in C(netifs.missing) rather than failing the task.
  - Can be used as a fact gatherer, so that M(ansible.builtin.gather_facts) and plays with
    C(gather_facts) run it; see the examples.
author:
  - netifs.core contributors (@netifs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.facts
attributes:
  check_mode:
    support: full
    details: The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
  facts:
    support: full
  platform:
    platforms: [linux]
    support: full
options:
  gather_subset:
    description:
      - What to gather, as for M(ansible.builtin.setup).
      - V(interfaces) (link attributes), V(addresses), V(multicast) and V(stats) (counters) add to
        C(netifs.interfaces); V(routes), V(gateways), V(rules) (policy routing rules) and V(best_local)
        (which also fills C(netifs.default_ipv4) and C(netifs.default_ipv6)) each add their own key.
      - V(all) means every subset. An entry that starts with V(!) removes that subset; a list of only
        removals starts from V(all). For example V([all, "!stats"]) or V(["!multicast"]).
      - The module still reads what a subset depends on (links for every subset, routes and addresses for
        V(best_local)) but reports only what was asked for.
    type: list
    elements: str
    default: [all]
  interfaces:
    description:
      - Glob patterns (as in C(fnmatch)) of the interfaces to report, matched against each interface's
        name and alternative names. A pattern that starts with V(!) excludes. Only exclusions means
        every other interface.
      - Routes and gateways are reported unless every interface they leave through is excluded.
        Policy rules are always reported whole.
      - Does not change V(best_local), C(netifs.default_ipv4), C(netifs.default_ipv6) or C(netifs.sources),
        which describe what the kernel does whatever is displayed.
      - By default every interface is reported.
    type: list
    elements: str
  destinations:
    description:
      - Addresses or host names to ask the kernel's own route lookup about (as C(ip route get) does,
        C(ip rule) policy included). Each gives one entry of C(netifs.sources) with the source address,
        interface and gateway the host would use.
      - An IPv6 link-local address may carry its zone, as in V(fe80::1%eth0).
      - A destination with no route, or a name that does not resolve, gives an entry with C(error) set
        rather than failing the task. Resolving a host name uses the target's resolver.
    type: list
    elements: str
notes:
  - Asking the kernel for a route sends no packet.
  - Interface names are bytes to the kernel; a name that is not valid UTF-8 is reported with
    C(\\xNN) escapes and its exact bytes in C(name_bytes).
seealso:
  - module: ansible.builtin.setup
  - name: The netifs facts schema
    description: Every key of C(ansible_facts.netifs), with its meaning.
    link: https://github.com/netifs/netifs.core/blob/main/docs/schema.md
"""

EXAMPLES = r"""
- name: Gather every network fact
  netifs.core.netifs_facts:

- name: Show the address this host uses to reach the internet
  ansible.builtin.debug:
    msg: "{{ ansible_facts.netifs.best_local.ipv4[0].address | default('no IPv4 default route') }}"

- name: Ask which source address and interface the host would use for two destinations
  netifs.core.netifs_facts:
    gather_subset: [best_local]
    destinations:
      - 10.20.0.7
      - db.example.com
  register: result

- name: Print the source address for each destination
  ansible.builtin.debug:
    msg: "{{ item.destination }} via {{ item.interface }} from {{ item.source }}"
  loop: "{{ ansible_facts.netifs.sources }}"
  when: item.error is none

- name: Gather everything but counters and multicast, for eth* and bond* only
  netifs.core.netifs_facts:
    gather_subset: [all, "!stats", "!multicast"]
    interfaces: ["eth*", "bond*", "!eth9"]

- name: Private IPv4 addresses of every interface
  ansible.builtin.debug:
    msg: >-
      {{ ansible_facts.netifs.interfaces.values()
         | map(attribute='addresses') | flatten
         | selectattr('family', 'eq', 4) | selectattr('class', 'eq', 'private')
         | map(attribute='address') | list }}

# Use it as the fact gatherer of plays: in ansible.cfg
#   [defaults]
#   facts_modules = ansible.builtin.setup, netifs.core.netifs_facts
# or per play:
- name: Plays that gather netifs facts with gather_facts
  hosts: all
  gather_facts: true
  vars:
    ansible_facts_modules:
      - ansible.builtin.setup
      - netifs.core.netifs_facts
  module_defaults:
    netifs.core.netifs_facts:
      gather_subset: [all, "!stats"]
  tasks:
    - name: Use the facts
      ansible.builtin.debug:
        var: ansible_facts.netifs.default_ipv4
"""

RETURN = r"""
ansible_facts:
  description: Facts to add to C(ansible_facts).
  returned: always
  type: complex
  contains:
    netifs:
      description:
        - The host's network in the netifs schema (C(docs/schema.md)). Keys of subsets that were not
          gathered are absent.
      returned: always
      type: complex
      contains:
        schema:
          description: Version of the schema; changes only when a key changes meaning or is removed.
          returned: always
          type: int
          sample: 1
        backend:
          description:
            - The OS API that produced the data, V(linux_rtnetlink) normally; a fallback such as
              V(getifaddrs) or V(linux_procfs) when the native API is missing or denied (then
              RV(ansible_facts.netifs.warnings) says why and RV(ansible_facts.netifs.missing) what it cannot tell);
              V(null) when no backend could read anything.
          returned: always
          type: str
          sample: linux_rtnetlink
        subsets:
          description: The subsets gathered, sorted.
          returned: always
          type: list
          elements: str
          sample: [addresses, best_local, gateways, interfaces, multicast, routes, rules, stats]
        missing:
          description: What could not be gathered, each with the subset, the family (4, 6 or null) and why.
          returned: always
          type: list
          elements: dict
          sample: [{subset: multicast, family: 4, reason: "/proc/net/igmp: permission denied"}]
        warnings:
          description: Kernel messages that could not be parsed and were skipped.
          returned: always
          type: list
          elements: str
          sample: []
        interfaces:
          description:
            - Interfaces by name. With only V(addresses), V(multicast) or V(stats) asked for, each has
              C(index), C(name) and those keys.
            - Each interface has C(index), C(name), C(altnames), C(kind), C(kind_data), C(slave_kind),
              C(type), C(mac), C(permanent_mac), C(mtu), C(min_mtu), C(max_mtu), C(flags), C(oper_state),
              C(carrier), C(master), C(parent), C(peer), C(link_netnsid), C(alias), and C(addresses),
              C(multicast), C(stats) by subset; C(name_bytes) when the name is not UTF-8.
            - Each address has C(address), C(prefixlen), C(network), C(family), C(scope), C(class),
              C(broadcast), C(peer), C(label), C(flags), C(zone), C(preferred_lifetime) and C(valid_lifetime).
            - C(class) is one of V(unspecified), V(loopback), V(link_local), V(private), V(shared),
              V(unique_local), V(multicast), V(documentation), V(benchmarking), V(reserved), V(public).
          returned: when a subset of interfaces, addresses, multicast or stats was gathered
          type: dict
          sample:
            eth0:
              index: 2
              name: eth0
              altnames: []
              kind: null
              kind_data: {}
              slave_kind: null
              type: ether
              mac: "52:54:00:12:34:56"
              permanent_mac: "52:54:00:12:34:56"
              mtu: 1500
              min_mtu: 68
              max_mtu: 65535
              flags: [up, broadcast, running, multicast, lower_up]
              oper_state: up
              carrier: true
              master: null
              parent: null
              peer: null
              link_netnsid: null
              alias: null
              addresses:
                - address: 192.0.2.10
                  prefixlen: 24
                  network: 192.0.2.0/24
                  family: 4
                  scope: global
                  class: documentation
                  broadcast: 192.0.2.255
                  peer: null
                  label: eth0
                  flags: [permanent]
                  zone: null
                  preferred_lifetime: null
                  valid_lifetime: null
              multicast: [{address: 224.0.0.1, family: 4}]
        all_ipv4_addresses:
          description: Every IPv4 address of the reported interfaces.
          returned: when addresses were gathered
          type: list
          elements: str
          sample: [127.0.0.1, 192.0.2.10]
        all_ipv6_addresses:
          description: Every IPv6 address of the reported interfaces, without zone.
          returned: when addresses were gathered
          type: list
          elements: str
          sample: ["::1", "2001:db8::10", "fe80::5054:ff:fe12:3456"]
        routes:
          description:
            - Every route of every table but C(local) (255). Each has C(destination) (CIDR), C(family),
              C(type), C(table), C(protocol), C(scope), C(metric), C(preference) (IPv6 RFC 4191),
              C(gateway), C(interface), C(preferred_source), C(source), C(tos), C(flags), C(nexthop_id)
              and C(nexthops), a list of C({gateway, interface, weight, flags}) that holds every
              next hop of ECMP routes and nexthop groups.
          returned: when routes were gathered
          type: list
          elements: dict
          sample:
            - destination: 0.0.0.0/0
              family: 4
              type: unicast
              table: 254
              protocol: dhcp
              scope: global
              metric: 100
              preference: null
              gateway: 192.0.2.1
              interface: eth0
              preferred_source: 192.0.2.10
              source: null
              tos: 0
              flags: []
              nexthop_id: null
              nexthops: [{gateway: 192.0.2.1, interface: eth0, weight: 1, flags: []}]
        gateways:
          description:
            - Every distinct next hop with a gateway address, from every table.
            - C(default) is V(true) for the hops of the routes the OS itself takes to the public
              Internet (the routes its lookups of the probe destinations match, see C(default_ipv4.probes)),
              whatever their prefix (a VPN's V(0.0.0.0/1) too); V(false) for every other route, a
              default route the kernel does not use included.
          returned: when gateways were gathered
          type: list
          elements: dict
          sample: [{address: 192.0.2.1, family: 4, interface: eth0, metric: 100, table: 254, default: true}]
        rules:
          description:
            - The kernel's policy routing rules (C(ip rule)), IPv4's then IPv6's, each family in the
              kernel's order (by priority). Not filtered by O(interfaces).
            - Only Linux's rtnetlink has them; on any other backend C(rules) is in
              RV(ansible_facts.netifs.missing) when it was asked for, and this list is empty.
          returned: when rules were gathered
          type: list
          elements: dict
          contains:
            family:
              description: V(4) or V(6).
              type: int
            priority:
              description: The rule's preference (C(pref)); V(0) for the first rule.
              type: int
            action:
              description:
                - V(lookup) (look up C(table)), V(goto) (go on at the rule of priority C(goto)), V(nop),
                  V(blackhole), V(unreachable) or V(prohibit); another action's number as a string.
              type: str
            table:
              description:
                - The table a V(lookup) rule looks up (V(255) local, V(254) main, V(253) default, or the
                  policy table's number); V(0) for an C(l3mdev) rule; V(null) for any other action.
              type: int
            goto:
              description: The priority a V(goto) rule jumps to; V(null) for other actions.
              type: int
            invert:
              description: C(not), the rule applies to what its selectors do not match.
              type: bool
            from:
              description: The source prefix (CIDR, the address as the kernel holds it); V(null) for all.
              type: str
            to:
              description: The destination prefix (CIDR); V(null) for all.
              type: str
            iif:
              description: The input interface name the rule names (it need not exist, see C(flags)); V(null) for any.
              type: str
            oif:
              description: The output interface name the rule names; V(null) for any.
              type: str
            fwmark:
              description: The firewall mark matched; V(null) when the rule matches no mark.
              type: int
            fwmask:
              description: The bits of the mark compared (V(4294967295) all); V(null) with C(fwmark).
              type: int
            tos:
              description: The TOS (IPv4) or traffic class (IPv6) matched; V(0) when none.
              type: int
            l3mdev:
              description: C(l3mdev), look up the table of the packet's VRF device.
              type: bool
            uid_range:
              description: V([start, end]) of the socket owner's uid (C(uidrange)); V(null) for any.
              type: list
              elements: int
            ipproto:
              description: The IP protocol number matched (C(ipproto tcp) is V(6)); V(null) for any.
              type: int
            sport_range:
              description: V([low, high]) source ports (one port gives both the same); V(null) for any.
              type: list
              elements: int
            dport_range:
              description: V([low, high]) destination ports; V(null) for any.
              type: list
              elements: int
            suppress_prefixlength:
              description:
                - A lookup answer whose prefix is this long or shorter is refused and the next rule tried
                  (V(0) refuses default routes, as wg-quick sets it up); V(null) when unset.
              type: int
            suppress_ifgroup:
              description: A lookup answer through an interface of this group is refused; V(null) when unset.
              type: int
            protocol:
              description: Who added the rule, named as a route's C(protocol) (V(kernel) for the default rules).
              type: str
            flags:
              description:
                - V(unresolved) (a V(goto) whose target does not exist), V(iif_detached), V(oif_detached)
                  (the named interface does not exist).
              type: list
              elements: str
          sample:
            - family: 4
              priority: 32764
              action: lookup
              table: 51820
              goto: null
              invert: true
              from: null
              to: null
              iif: null
              oif: null
              fwmark: 51820
              fwmask: 4294967295
              tos: 0
              l3mdev: false
              uid_range: null
              ipproto: null
              sport_range: null
              dport_range: null
              suppress_prefixlength: null
              suppress_ifgroup: null
              protocol: unspec
              flags: []
            - {family: 4, priority: 32765, action: lookup, table: 254, goto: null, invert: false, from: null, to: null,
               iif: null, oif: null, fwmark: null, fwmask: null, tos: 0, l3mdev: false, uid_range: null, ipproto: null,
               sport_range: null, dport_range: null, suppress_prefixlength: 0, suppress_ifgroup: null, protocol: unspec,
               flags: []}
        best_local:
          description:
            - Per family, the source addresses this host uses towards the public Internet, as the kernel
              picks them; the source of its route lookup for the chosen probe first, then the source it
              uses on each other next hop's interface (ECMP), then the other usable addresses (global or
              site scope, not tentative, failed or deprecated, not a group) of those interfaces.
            - Empty lists when there is no way out of that family, or when it ends on a rejecting route.
          returned: when best_local was gathered
          type: dict
          sample:
            ipv4: [{address: 192.0.2.10, prefixlen: 24, interface: eth0}]
            ipv6: [{address: "2001:db8::10", prefixlen: 64, interface: eth0}]
        default_ipv4:
          description:
            - The keys of C(ansible_default_ipv4), from the kernel's own route lookup (on Linux
              C(RTM_GETROUTE), C(ip rule) policy included; C(RTM_GET) on the routing socket of BSD and
              macOS, FreeBSD's C(RTM_GETROUTE), C(GetBestRoute2) on Windows) of five public probe destinations
              (V(8.8.8.8), V(1.1.1.1), V(94.140.14.14), V(149.112.112.112), V(208.67.222.222); nothing is
              sent to them). The probes are grouped by the way they leave (type, table and next hops), and
              the first probe of the largest group gives C(interface), C(gateway) and C(address) (the
              kernel's source); a disagreement is named in C(warnings).
            - C(route) is the route that lookup matched, as the kernel holds it (every next hop, each
              with the C(source) the kernel uses on its interface); C(probes) are each probe's answer, a
              C(sources) entry with C(matched) (the prefix of its route) and C(agrees).
            - A rejecting route (blackhole, unreachable, prohibit) is an answer, with C(address),
              C(interface) and C(gateway) V(null) and the route's type in C(route.type).
            - V({}) when most probes have no route at all.
            - A backend whose OS does not tell the route it matched takes C(route), C(gateway) and
              C(table) from the tables' longest match and says so in C(missing).
          returned: when best_local was gathered
          type: dict
          sample:
            interface: eth0
            address: 192.0.2.10
            gateway: 192.0.2.1
            broadcast: 192.0.2.255
            netmask: 255.255.255.0
            network: 192.0.2.0
            prefix: "24"
            macaddress: "52:54:00:12:34:56"
            mtu: 1500
            type: ether
            alias: eth0
            route:
              {destination: 0.0.0.0/0, family: 4, type: unicast, table: 254, protocol: dhcp, scope: global, metric: 100,
               preference: null, gateway: 192.0.2.1, interface: eth0, preferred_source: null, source: null, tos: 0,
               flags: [], nexthop_id: null,
               nexthops: [{gateway: 192.0.2.1, interface: eth0, weight: 1, flags: [], source: 192.0.2.10}]}
            probes:
              - {destination: 8.8.8.8, address: 8.8.8.8, family: 4, source: 192.0.2.10, interface: eth0,
                 gateway: 192.0.2.1, table: 254, type: unicast, error: null, matched: 0.0.0.0/0, agrees: true}
        default_ipv6:
          description:
            - As C(default_ipv4), with the keys of C(ansible_default_ipv6), for the IPv6 probes
              (V(2001:4860:4860::8888), V(2606:4700:4700::1111), V(2620:fe::fe), V(2a02:6b8::feed:ff),
              V(2400:3200::1)).
          returned: when best_local was gathered
          type: dict
          sample:
            interface: eth0
            address: "2001:db8::10"
            gateway: "fe80::1"
            prefix: "64"
            scope: global
            macaddress: "52:54:00:12:34:56"
            mtu: 1500
            type: ether
            route: {destination: "::/0", family: 6, type: unicast, table: 254,
                    nexthops: [{gateway: "fe80::1", interface: eth0, weight: 1, flags: [], source: "2001:db8::10"}]}
            probes: []
        sources:
          description:
            - One entry per destination, the kernel's own answer, with C(destination), C(address) (what it
              resolved to), C(family), C(source), C(interface), C(gateway), C(table), C(type) and C(error)
              (V(null) on success).
            - A lookup that ends on a rejecting route is an answer too, with C(error) set and C(type) the
              route's (Linux tells it by errno, C(EINVAL) blackhole, C(EHOSTUNREACH) unreachable,
              C(EACCES) prohibit; C(table) from the gathered tables, V(null) when they were not gathered;
              BSD and macOS answer with the route, its type and table).
              No route at all, or a C(throw) no later table catches, leaves C(type) V(null).
          returned: when O(destinations) was given
          type: list
          elements: dict
          sample:
            - destination: 10.20.0.7
              address: 10.20.0.7
              family: 4
              source: 10.20.0.1
              interface: eth1
              gateway: null
              table: 254
              type: unicast
              error: null
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netifs.core.plugins.module_utils.netifs import gather
from ansible_collections.netifs.core.plugins.module_utils.netifs.errors import NetifsError


def main():
    module = AnsibleModule(
        argument_spec=dict(
            gather_subset=dict(type="list", elements="str", default=["all"]),
            interfaces=dict(type="list", elements="str"),
            destinations=dict(type="list", elements="str"),
        ),
        supports_check_mode=True,
    )
    try:
        facts = gather(subset=module.params["gather_subset"], interfaces=module.params["interfaces"],
                       destinations=module.params["destinations"])
    except ValueError as exc:
        module.fail_json(msg="Invalid argument: %s" % exc)
    except NetifsError as exc:
        module.fail_json(msg="Could not gather network facts: %s" % exc)
    module.exit_json(changed=False, ansible_facts={"netifs": facts})


if __name__ == "__main__":
    main()
