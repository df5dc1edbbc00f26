# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A target's facts are data from a possibly hostile host: interface names, aliases and labels
that look like Jinja, shell or JSON syntax, and names that are not UTF-8, go through the module,
``set_fact``, the filters and a template to the controller as literal strings.

The playbook never holds those strings itself (Ansible would template them there, as any
playbook text); they come from the kernel only. An alias holds a ``pipe`` lookup that would
create a file if anything evaluated it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

import netns

pytestmark = pytest.mark.usefixtures("engine_present")

JINJA = "{{7*7}}"
COMMENT = "{#gone#}"  # a Jinja comment: templated, it would vanish (no "%": the kernel reads it as eth%d)
QUOTES = "q\"u'o`$(id)"
NOT_UTF8 = b"nf\xff\xfe0"
LABEL = JINJA + ":{{"

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Gather, as a target would
      netifs.core.netifs_facts:
        gather_subset: [interfaces, addresses, routes, best_local]
    - name: Pass the names and aliases through set_fact, the filters and the lookup-free tests
      ansible.builtin.set_fact:
        names: "{{ ansible_facts.netifs.interfaces | list }}"
        aliases: "{{ ansible_facts.netifs.interfaces.values() | map(attribute='alias') | select | list }}"
        labels: "{{ ansible_facts.netifs | netifs.core.addresses(records=true) | map(attribute='label') | select | list }}"
        picked: "{{ ansible_facts.netifs | netifs.core.addresses(family='ipv4', interfaces=['{*', 'q*', 'nf*'], records=true) }}"
        route: "{{ ansible_facts.netifs | netifs.core.source_for('192.168.49.7') }}"
        with_addresses: "{{ ansible_facts.netifs.interfaces | dict2items | selectattr('value.addresses') | map(attribute='key') | list }}"
    - name: Keep what the controller holds
      ansible.builtin.copy:
        content: "{{ {'facts': ansible_facts.netifs, 'names': names, 'aliases': aliases, 'labels': labels,
                      'picked': picked, 'route': route, 'with_addresses': with_addresses} | to_json }}"
        dest: "{out}"
        mode: "0600"
    - name: Template a file over the names
      ansible.builtin.template:
        src: "{template}"
        dest: "{rendered}"
        mode: "0600"
    - name: Print them, as a play log would
      ansible.builtin.debug:
        msg: "{{ names }} {{ aliases }} {{ labels }}"
"""
TEMPLATE = "{% for name in names %}[{{ name }}]\n{% endfor %}{% for alias in aliases %}<{{ alias }}>\n{% endfor %}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A namespace whose names and alias are hostile, and the path its alias would create."""
    marker = str(tmp_path_factory.mktemp("untrusted") / "templated-the-alias")
    alias = "{{ lookup('pipe', 'touch %s') }}" % marker
    with netns.namespaces(1, "untrusted") as (ns,):
        ns.ip("link", "add", JINJA, "type", "veth", "peer", "name", COMMENT)
        netns.run([b"ip", b"-n", ns.name.encode(), b"link", b"add", NOT_UTF8, b"type", b"veth",
                   b"peer", b"name", QUOTES.encode()])
        ns.ip("link", "set", "dev", QUOTES, "alias", alias)
        for name in (JINJA, COMMENT, QUOTES, "lo"):
            ns.ip("link", "set", "dev", name, "up")
        ns.ip("addr", "add", "192.168.49.1/24", "dev", JINJA, "label", LABEL)
        ns.ip("addr", "add", "192.168.51.1/24", "dev", QUOTES)
        yield ns, alias, marker


def test_hostile_names_reach_the_controller_as_data(hostile, collections_path, tmp_path):
    ns, alias, marker = hostile
    out, rendered, template = tmp_path / "held.json", tmp_path / "rendered.txt", tmp_path / "names.j2"
    template.write_text(TEMPLATE)
    book = tmp_path / "play.yml"
    # str.replace, not format: the playbook is full of braces
    book.write_text(PLAYBOOK.replace("{out}", str(out)).replace("{template}", str(template))
                    .replace("{rendered}", str(rendered)))
    log = netns.run_playbook(ns, book, collections_path)
    assert not os.path.exists(marker), "the alias's lookup was evaluated"
    raw = out.read_bytes()
    held = json.loads(raw.decode("utf-8"))  # valid UTF-8 and valid JSON
    not_utf8 = NOT_UTF8.decode("utf-8", "backslashreplace")
    names = {JINJA, COMMENT, QUOTES, not_utf8, "lo"}
    assert set(held["names"]) == set(held["facts"]["interfaces"]) == names
    assert "49" not in held["names"] and "" not in held["names"]
    assert held["facts"]["interfaces"][not_utf8]["name_bytes"] == NOT_UTF8.hex()
    assert held["facts"]["interfaces"][QUOTES]["alias"] == alias
    assert held["aliases"] == [alias]
    assert sorted(held["labels"]) == sorted(["lo", LABEL, QUOTES])  # an IPv4 label is its interface's name unless set
    assert {(a["interface"], a["address"]) for a in held["picked"]} == {(JINJA, "192.168.49.1"), (QUOTES, "192.168.51.1")}
    assert (held["route"]["interface"], held["route"]["source"]) == (JINJA, "192.168.49.1")
    assert set(held["with_addresses"]) == {JINJA, COMMENT, QUOTES, "lo"}  # not the one left down
    lines = rendered.read_text().splitlines()
    assert sorted(lines) == sorted(["[%s]" % n for n in names] + ["<%s>" % alias])
    assert JINJA in log and "lookup('pipe'" in log  # the play log shows them as written


def test_the_marker_would_catch_an_evaluation(hostile, collections_path, tmp_path):
    """The control: the same alias written into a playbook (where Ansible templates) does run."""
    ns, alias, marker = hostile
    book = tmp_path / "control.yml"
    book.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                    "    - ansible.builtin.debug:\n        msg: \"%s\"\n" % alias.replace('"', '\\"'))
    try:
        netns.run_playbook(ns, book, collections_path)
        assert os.path.exists(marker)
    finally:
        if os.path.exists(marker):
            os.remove(marker)
