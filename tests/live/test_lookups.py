# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The lookup plugins run by a playbook whose controller is a scenario namespace: source_address
against ``ip route get`` for every destination of the grid (host names too, through a hosts file
that ``ip netns exec`` puts in place), best_local against the engine's facts, interfaces against
``ip -j addr``, and the error a destination without a route gives."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shutil

import pytest

import kernel_view as kv
import netns
from compare import assert_equal
from test_source_for import grid

pytestmark = pytest.mark.usefixtures("engine_present")

# The destinations come from a file, as data: the interface names in their zones include
# "{{7*7}}", which Ansible would template if it were written into the playbook itself.
PLAY = """
- hosts: localhost
  gather_facts: false
  vars:
    destinations: "{{{{ lookup('ansible.builtin.file', '{dests}') | from_json }}}}"
    names: {names}
  tasks:
    - name: Each destination on its own, since a lookup fails as a whole ([] stands for a failure)
      ansible.builtin.copy:
        dest: "{sources}"
        mode: "0600"
        content: |
          {{% for item in destinations %}}
          {{{{ query(LOOKUP, item, records=true, errors='ignore') | to_json }}}}
          {{% endfor %}}
    - name: Each host name, in each family
      ansible.builtin.set_fact:
        by_name: >-
          {{{{ by_name | default([]) + [{{'name': item,
               'any': query(LOOKUP, item, records=true, errors='ignore'),
               'ipv4': query(LOOKUP, item, family='ipv4', records=true, errors='ignore'),
               'ipv6': query(LOOKUP, item, family='ipv6', records=true, errors='ignore')}}] }}}}
      loop: "{{{{ names }}}}"
    - name: Write what every lookup said
      ansible.builtin.copy:
        dest: "{out}"
        mode: "0600"
        content: "{{{{ result | to_json }}}}"
      vars:
        result:
          by_name: "{{{{ by_name }}}}"
          best_local: "{{{{ query('netifs.core.best_local', first=false, records=true) }}}}"
          interfaces: "{{{{ query('netifs.core.interfaces', gather_subset=['interfaces', 'addresses']) }}}}"
          not_lo: "{{{{ query('netifs.core.interfaces', '*', '!lo', gather_subset=['!all']) }}}}"
""".replace("LOOKUP", "'netifs.core.source_address'")


def play(destinations, names, directory):
    dests = directory / "destinations.json"
    dests.write_text(json.dumps(destinations))
    return PLAY.format(dests=dests, names=json.dumps(names), out=directory / "out.json",
                       sources=directory / "sources.jsonl")


@pytest.fixture
def hosts_file(any_scenario):
    """Names in /etc/netns/<ns>/hosts, which ``ip netns exec`` mounts over /etc/hosts, with an
    nsswitch.conf that reads only that file: a name it lacks fails at once, with no DNS query."""
    addrs = {4: None, 6: None}
    for iface in any_scenario.facts()["interfaces"].values():
        for addr in iface["addresses"]:
            if addr["scope"] == "global" and addrs[addr["family"]] is None:
                addrs[addr["family"]] = addr["address"]
    lines = ["127.0.0.1 localhost"]
    for family in (4, 6):
        if addrs[family]:
            lines.append("%s dual.lookup.test v%d.lookup.test" % (addrs[family], family))
    path = os.path.join("/etc/netns", any_scenario.ns.name)
    os.makedirs(path)
    try:
        with open(os.path.join(path, "hosts"), "w") as handle:
            handle.write("\n".join(lines) + "\n")
        with open(os.path.join(path, "nsswitch.conf"), "w") as handle:
            handle.write("hosts: files\n")
        yield {f: a for f, a in addrs.items() if a}
    finally:
        shutil.rmtree(path)


def expected_source(kernel):
    """The lookup's record for the kernel's answer, or None when the lookup must fail."""
    if "error" in kernel or kernel["type"] in kv.REJECT_TYPES | {"throw"} or not kernel["source"]:
        return None
    return {"address": kernel["source"], "interface": kernel["interface"], "gateway": kernel["gateway"],
            "destination": kernel["address"], "family": kernel["family"]}


def test_lookups_agree_with_the_kernel(any_scenario, hosts_file, collections_path, tmp_path):
    facts = any_scenario.facts()
    destinations = grid(any_scenario, facts)
    names = ["dual.lookup.test", "v4.lookup.test", "v6.lookup.test"]
    out, book = tmp_path / "out.json", tmp_path / "play.yml"
    book.write_text(play(destinations, names, tmp_path))
    netns.run_playbook(any_scenario.ns, book, collections_path)
    got = json.loads(out.read_text())

    want = [expected_source(kv.route_get(any_scenario.ns, d)) for d in destinations]
    lines = (tmp_path / "sources.jsonl").read_text().splitlines()
    answers = [found[0] if found else None for found in map(json.loads, lines)]
    assert_equal(dict(zip(destinations, answers)), dict(zip(destinations, want)), "source_address")

    best = [dict(b, family=f, **{"class": _class_of(facts, b["address"])})
            for f in (4, 6) for b in facts["best_local"]["ipv%d" % f]]
    assert got["best_local"] == best

    link = {i["ifname"]: i for i in any_scenario.ns.ipj("addr")}
    assert [i["name"] for i in got["interfaces"]] == list(link)
    for record in got["interfaces"]:
        kernel = link[record["name"]]
        assert (record["index"], record["mtu"]) == (kernel["ifindex"], kernel["mtu"])
        assert sorted(a["address"] for a in record["addresses"]) == sorted(
            a["local"] for a in kernel.get("addr_info", []))
    assert got["not_lo"] == [{"index": i["ifindex"], "name": n} for n, i in link.items() if n != "lo"]

    _check_names(got["by_name"], hosts_file, any_scenario)


def _class_of(facts, address):
    return next(a["class"] for i in facts["interfaces"].values() for a in i["addresses"] if a["address"] == address)


def _check_names(by_name, addrs, scenario):
    """A name resolves to its address of the family asked for; the other family is an error."""
    rows = {row["name"]: row for row in by_name}
    for name, families in (("dual.lookup.test", (4, 6)), ("v4.lookup.test", (4,)), ("v6.lookup.test", (6,))):
        for family in (4, 6):
            got = rows[name]["ipv%d" % family]
            if family not in families or family not in addrs:
                assert got == [], (name, family, got)
                continue
            kernel = kv.route_get(scenario.ns, addrs[family])
            assert got == [expected_source(kernel)], (name, family)
        if any(f in addrs for f in families):
            assert len(rows[name]["any"]) == 1 and rows[name]["any"][0]["destination"] in addrs.values()


FAILING = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: A destination without a route
      ansible.builtin.debug:
        msg: "{{{{ lookup('netifs.core.source_address', '{dest}') }}}}"
"""


def test_a_destination_without_a_route_fails_naming_it(nodefault, collections_path, tmp_path):
    dest = nodefault.info["uncovered"][4]
    assert "error" in kv.route_get(nodefault.ns, dest)
    book = tmp_path / "fail.yml"
    book.write_text(FAILING.format(dest=dest))
    with pytest.raises(netns.CommandError) as info:
        netns.run_playbook(nodefault.ns, book, collections_path)
    assert ("netifs.core.source_address: term '%s': route lookup failed: [Errno 101] Network is unreachable"
            % dest) in info.value.stdout
