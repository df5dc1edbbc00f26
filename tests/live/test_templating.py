# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A playbook templates a config file with the collection's filters, tests and lookups inside a
scenario namespace; the rendered file is checked line by line against the kernel's own answers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

import kernel_view as kv
import netns

pytestmark = [
    pytest.mark.usefixtures("engine_present"),
    pytest.mark.skipif(not os.path.exists(os.path.join(netns.REPO, "plugins", "filter", "source_for.py")),
                       reason="the filter plugins are not there"),
]

PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Gather
      netifs.core.netifs_facts:
        gather_subset: [all, "!stats"]
    - name: Render the config
      ansible.builtin.template:
        src: "{src}"
        dest: "{dest}"
        mode: "0600"
"""

TEMPLATE = """\
outbound_v4 = {{ ansible_facts.netifs | netifs.core.best_local('ipv4') }}
outbound_v6 = {{ ansible_facts.netifs | netifs.core.best_local('ipv6') }}
private_v4 = {{ ansible_facts.netifs | netifs.core.addresses(family=4, classes=['private'], usable=true) | join(',') }}
{% for dest in destinations %}
source {{ dest }} = {{ (ansible_facts.netifs | netifs.core.source_for(dest)).source }} \
via {{ (ansible_facts.netifs | netifs.core.source_for(dest)).interface }}
{% endfor %}
{% for a in ansible_facts.netifs | netifs.core.addresses(family=6, records=true) if a is netifs.core.unique_local_address %}
ula = {{ a.address }} on {{ a.interface }}
{% endfor %}
{% for dest in destinations %}
callback {{ dest }} = {{ lookup('netifs.core.source_address', dest) }}
{% endfor %}
controller = {{ query('netifs.core.best_local') | join(',') }}
interfaces = {{ query('netifs.core.interfaces', '*', '!lo', gather_subset=['!all']) | map(attribute='name') | join(',') }}
"""


def expected(scenario, destinations):
    facts = scenario.facts()
    best = facts["best_local"]
    lines = ["outbound_v4 = %s" % (best["ipv4"][0]["address"] if best["ipv4"] else None),
             "outbound_v6 = %s" % (best["ipv6"][0]["address"] if best["ipv6"] else None)]
    private = [a["address"] for i in facts["interfaces"].values() for a in i["addresses"]
               if a["family"] == 4 and a["class"] == "private" and a["scope"] in ("global", "site")
               and not {"tentative", "dadfailed", "deprecated"} & set(a["flags"])]
    lines.append("private_v4 = %s" % ",".join(private))
    for dest in destinations:
        kernel = kv.route_get(scenario.ns, dest)
        lines.append("source %s = %s via %s" % (dest, kernel["source"], kernel["interface"]))
    lines += ["ula = %s on %s" % (a["address"], name) for name, i in facts["interfaces"].items()
              for a in i["addresses"] if a["family"] == 6 and a["class"] == "unique_local"]
    # the lookups: here the controller is the same host as the target
    lines += ["callback %s = %s" % (dest, kv.route_get(scenario.ns, dest)["source"]) for dest in destinations]
    lines.append("controller = %s" % ",".join(best[k][0]["address"] for k in ("ipv4", "ipv6") if best[k]))
    lines.append("interfaces = %s" % ",".join(i["ifname"] for i in scenario.ns.ipj("link") if i["ifname"] != "lo"))
    return lines


def test_template_renders_the_kernels_answers(lan, collections_path, tmp_path):
    # single-path destinations, so the kernel's one answer is the facts' first
    destinations = sorted(d for d in lan.info["destinations"] if "%" not in d and kv.route_get(lan.ns, d).get("source"))[:6]
    src, dest, play = tmp_path / "app.conf.j2", tmp_path / "app.conf", tmp_path / "play.yml"
    src.write_text("{% set destinations = " + repr(destinations) + " %}\n" + TEMPLATE)
    play.write_text(PLAY.format(src=src, dest=dest))
    netns.run_playbook(lan.ns, play, collections_path)
    rendered = [line for line in dest.read_text().splitlines() if line.strip()]
    assert rendered == expected(lan, destinations)
