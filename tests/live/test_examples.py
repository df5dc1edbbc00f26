# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every EXAMPLES block of the collection (the module, lookups, filters and tests) runs as written,
in one playbook against two hosts of the ``lan`` scenario namespace, so ``ansible-doc`` never
shows an example that does not work."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import glob
import os
import shutil

import pytest
import yaml

import netns

pytestmark = pytest.mark.usefixtures("engine_present")

INVENTORY = """
[web]
host1 ansible_host=127.0.0.1
host2 ansible_host=127.0.0.2

[all:vars]
ansible_connection=local
"""

# Names the examples use; anything else fails at once, with no DNS query.
HOSTS = """
127.0.0.1 localhost
2001:db8:1::99 repo.example.org
"""


def _python_examples(path):
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES":
            return node.value.value
    raise AssertionError("%s has no EXAMPLES" % path)


def examples():
    """``[(source, entries)]``: the parsed EXAMPLES of every documented plugin and module."""
    out = []
    for pattern in ("plugins/modules/*.py", "plugins/lookup/*.py"):
        for path in sorted(glob.glob(os.path.join(netns.REPO, pattern))):
            out.append((os.path.relpath(path, netns.REPO), yaml.safe_load(_python_examples(path))))
    for pattern in ("plugins/filter/*.yml", "plugins/test/*.yml"):
        for path in sorted(glob.glob(os.path.join(netns.REPO, pattern))):
            with open(path) as handle:
                out.append((os.path.relpath(path, netns.REPO), yaml.safe_load(yaml.safe_load(handle)["EXAMPLES"])))
    return out


def playbook(found):
    """One play of tasks per source; an example that is itself a play is kept as a play."""
    plays = []
    for source, entries in found:
        tasks = [e for e in entries if "hosts" not in e]
        plays.append({"name": "EXAMPLES of %s" % source, "hosts": "all", "gather_facts": False, "tasks": tasks})
        plays += [e for e in entries if "hosts" in e]
    return plays


def test_collection_has_examples_everywhere():
    found = dict(examples())
    assert "plugins/lookup/source_address.py" in found and "plugins/filter/source_for.yml" in found
    assert all(isinstance(entries, list) and entries for entries in found.values())


def test_every_example_runs(lan, collections_path, tmp_path):
    found = examples()
    book, inventory = tmp_path / "examples.yml", tmp_path / "hosts.ini"
    book.write_text(yaml.safe_dump(playbook(found), sort_keys=False))
    inventory.write_text(INVENTORY)
    etc = os.path.join("/etc/netns", lan.ns.name)
    os.makedirs(etc)
    try:
        with open(os.path.join(etc, "hosts"), "w") as handle:
            handle.write(HOSTS)
        with open(os.path.join(etc, "nsswitch.conf"), "w") as handle:
            handle.write("hosts: files\n")
        out = netns.run_playbook(lan.ns, book, collections_path, inventory=str(inventory),
                                 callback="ansible.builtin.default")
    finally:
        shutil.rmtree(etc)
    for source, entries in found:
        for entry in entries:
            if "hosts" not in entry:
                assert "TASK [%s]" % entry["name"] in out, (source, entry["name"])
    assert "failed=0" in out and "failed=1" not in out
