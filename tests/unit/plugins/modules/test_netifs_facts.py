# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fact module's contract with Ansible: arguments in, ``ansible_facts.netifs`` or a clear failure out."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.netifs.core.plugins.modules import netifs_facts
from ansible_collections.netifs.core.plugins.module_utils.netifs.errors import DumpInterrupted

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


def run_module(capsys, args):
    """Run main() with ``args``; return (exit code, result dict)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exc:
            netifs_facts.main()
    return exc.value.code, json.loads(capsys.readouterr().out)


@pytest.fixture
def fake_gather(monkeypatch):
    calls = []

    def gather(**kwargs):
        calls.append(kwargs)
        return {"schema": 1, "backend": "fake", "subsets": ["routes"], "missing": [], "warnings": []}
    monkeypatch.setattr(netifs_facts, "gather", gather)
    return calls


def test_defaults_pass_all_and_return_facts(capsys, fake_gather):
    code, result = run_module(capsys, {})
    assert code == 0
    assert fake_gather == [{"subset": ["all"], "interfaces": None, "destinations": None}]
    assert result["changed"] is False
    assert result["ansible_facts"]["netifs"] == {
        "schema": 1, "backend": "fake", "subsets": ["routes"], "missing": [], "warnings": []}


def test_options_reach_the_engine(capsys, fake_gather):
    code, _result = run_module(capsys, {"gather_subset": ["all", "!stats"], "interfaces": ["eth*", "!eth9"],
                                        "destinations": ["192.0.2.1", "fe80::1%eth0"]})
    assert code == 0
    assert fake_gather == [{"subset": ["all", "!stats"], "interfaces": ["eth*", "!eth9"],
                            "destinations": ["192.0.2.1", "fe80::1%eth0"]}]


def test_check_mode_gathers_the_same(capsys, fake_gather):
    code, result = run_module(capsys, {"_ansible_check_mode": True})
    assert code == 0
    assert result["ansible_facts"]["netifs"]["backend"] == "fake"
    assert len(fake_gather) == 1


def test_unknown_subset_fails_naming_it(capsys):
    code, result = run_module(capsys, {"gather_subset": ["routes", "bogus"]})
    assert code == 1
    assert result["failed"] is True
    assert "'bogus'" in result["msg"] and "gather_subset" in result["msg"]


def test_bad_destination_fails_naming_it(capsys):
    code, result = run_module(capsys, {"destinations": ["10.0.0.0/8"]})
    assert code == 1
    assert "'10.0.0.0/8'" in result["msg"]


def test_engine_error_fails_with_its_reason(capsys, monkeypatch):
    def torn(**_kwargs):
        raise DumpInterrupted("the kernel's tables changed during each of 5 snapshots")
    monkeypatch.setattr(netifs_facts, "gather", torn)
    code, result = run_module(capsys, {})
    assert code == 1
    assert result["msg"] == ("Could not gather network facts: "
                             "the kernel's tables changed during each of 5 snapshots")


def test_real_gather_on_this_host(capsys):
    """No mock: the engine reads this host; loopback is always there on Linux."""
    code, result = run_module(capsys, {"gather_subset": ["interfaces", "addresses"], "interfaces": ["lo"]})
    assert code == 0
    facts = result["ansible_facts"]["netifs"]
    assert facts["schema"] == 1 and facts["backend"] == "linux_rtnetlink"
    assert list(facts["interfaces"]) == ["lo"]
    assert facts["interfaces"]["lo"]["type"] == "loopback"
    assert "127.0.0.1" in facts["all_ipv4_addresses"]
