# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every filter and test of the collection, fed wrong types and values in every argument: each
call either works or raises Ansible's own error (AnsibleFilterError) naming the bad value, never
another exception. The facts are real ones, recorded from the live tests' ``lan`` host
(fixtures/facts_lan.json, names such as ``{{7*7}}`` included).

The plugins' own test files check the exact messages; this one checks that no argument was
forgotten.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import inspect
import json
import os

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.filter import (
    addresses, best_local, network_report, network_report_html, network_report_svg, peers_on_link, source_for)
from ansible_collections.netifs.core.plugins.test import address_class

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "facts_lan.json")) as _handle:
    FACTS = json.load(_handle)


class Odd:
    """A value no plugin can know, whose repr the error must show."""

    def __repr__(self):
        return "<Odd value 7f3a>"


BAD = [Odd(), 3.5, -1, True, b"bytes", {"x": Odd()}, ["ok", Odd()], "no-such-choice{{7*7}}", "", [], {}]
FILTERS = dict(item for module in (addresses, best_local, source_for)
               for item in module.FilterModule().filters().items())
TESTS = address_class.TestModule().tests()


def named(exc, value, name):
    """Whether an error names the bad value (or, for containers, a bad item, or the argument)."""
    text = str(exc)
    reprs = {repr(value), repr(Odd())} | ({repr(v) for v in value} if isinstance(value, list) else set())
    return name in text or any(r in text for r in reprs)


def call(func, *args, **kwargs):
    try:
        func(*args, **kwargs)
    except AnsibleFilterError as exc:
        return exc
    return None


def options(func):
    return list(inspect.signature(func).parameters)[1:]


@pytest.mark.parametrize("name", sorted(FILTERS))
@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_filter_options(name, bad):
    func = FILTERS[name]
    for option in options(func):
        args = (FACTS, bad) if option == "destination" else (FACTS,) + (("10.0.0.9",) if name == "source_for" else ())
        kwargs = {} if option == "destination" else {option: bad}
        exc = call(func, *args, **kwargs)
        assert exc is None or named(exc, bad, option), (name, option, str(exc))


@pytest.mark.parametrize("name", sorted(FILTERS))
@pytest.mark.parametrize("bad", BAD + [{"interfaces": Odd()}, {"interfaces": {"eth0": Odd()}}, [FACTS]], ids=repr)
def test_filter_input(name, bad):
    args = (bad, "10.0.0.9") if name == "source_for" else (bad,)
    if name == "addresses" and bad in ([], {}):
        # addresses also reads netifs.interfaces or a list of interface records: empty is no interfaces
        assert FILTERS[name](*args) == []
        return
    exc = call(FILTERS[name], *args)
    assert exc is not None, "%s accepted %r as facts" % (name, bad)


@pytest.mark.parametrize("bad", BAD + [{"address": Odd()}, {"no_address": 1}], ids=repr)
def test_peers_on_link_arguments(bad):
    hostvars = {"a": {"ansible_facts": {"netifs": FACTS}}, "b": {"ansible_facts": {"netifs": FACTS}}}
    func = peers_on_link.peers_on_link
    assert call(func, bad, "a") is not None
    for option in options(func):
        kwargs = {"host": "a", option: bad} if option != "host" else {"host": bad}
        exc = call(func, hostvars, **kwargs)
        assert exc is None or named(exc, bad, option), (option, str(exc))


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_network_report_arguments(bad):
    """The report's filters: its options, and anything but a model given to the render filters."""
    func = network_report.network_report
    hostvars = {"a": {"ansible_facts": {"netifs": FACTS}}}
    for option in options(func):
        exc = call(func, hostvars, **{option: bad})
        assert exc is None or named(exc, bad, option), (option, str(exc))
    for render in (network_report_svg.network_report_svg, network_report_html.network_report_html):
        assert call(render, bad) is not None
    exc = call(network_report_html.network_report_html, func(hostvars), title=bad)
    assert exc is None or named(exc, bad, "title"), str(exc)


@pytest.mark.parametrize("name", sorted(TESTS))
@pytest.mark.parametrize("bad", BAD + [{"address": Odd()}, {"no_address": 1}], ids=repr)
def test_address_tests(name, bad):
    exc = call(TESTS[name], bad)
    assert exc is not None and named(exc, bad, name), str(exc)


def test_the_facts_are_usable():
    """The control: with good arguments every filter answers from these facts."""
    assert FILTERS["addresses"](FACTS, family="ipv4")
    assert FILTERS["best_local"](FACTS) == FACTS["best_local"]["ipv4"][0]["address"]
    assert FILTERS["source_for"](FACTS, "10.0.0.9")["interface"] == FACTS["sources"][0]["interface"]
