# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the address class test plugins (``is netifs.core.private_address``, ...)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.module_utils.netifs import classify
from ansible_collections.netifs.core.plugins.test import address_class as plugin

TESTS = plugin.TestModule().tests()
DOCS = os.path.join(os.path.dirname(os.path.abspath(plugin.__file__)))

EXAMPLES = {
    "unspecified": ["0.0.0.0", "::", "::%eth0", "::ffff:0.0.0.0"],
    "loopback": ["127.0.0.1", "127.255.255.254", "::1"],
    "link_local": ["169.254.0.1", "fe80::1", "fe80::1%eth0", "fe80::1%1", "::ffff:169.254.9.9"],
    "private": ["10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.0.1", "::ffff:192.168.1.1", "::ffff:a00:1"],
    "shared": ["100.64.0.1", "100.127.255.254", "::ffff:100.64.0.1"],
    "unique_local": ["fc00::1", "fd12:3456::1"],
    "multicast": ["224.0.0.251", "239.255.255.250", "ff02::1", "ff02::1%eth0", "::ffff:224.0.0.1"],
    "documentation": ["192.0.2.1", "198.51.100.7", "203.0.113.200", "2001:db8::1", "3fff::1"],
    "benchmarking": ["198.18.0.1", "198.19.255.255", "2001:2::1"],
    "reserved": ["240.0.0.1", "255.255.255.255", "0.1.2.3", "192.0.0.8", "100::1", "::ffff:240.0.0.1"],
    "public": ["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8",
               "2002:c000:201::1"],
}


def test_one_test_per_class():
    assert sorted(TESTS) == sorted("%s_address" % cls for cls in classify.CLASSES)
    assert set(EXAMPLES) == set(classify.CLASSES)


@pytest.mark.parametrize("name", sorted(TESTS))
def test_every_test_has_its_docs_sidecar(name):
    path = os.path.join(DOCS, "%s.yml" % name)
    assert os.path.isfile(path)
    with open(path) as handle:
        text = handle.read()
    assert "  name: %s\n" % name in text and "EXAMPLES:" in text and "RETURN:" in text


@pytest.mark.parametrize("cls,address", [(c, a) for c in sorted(EXAMPLES) for a in EXAMPLES[c]])
def test_exactly_one_test_is_true(cls, address):
    verdicts = {name: test(address) for name, test in TESTS.items()}
    assert verdicts.pop("%s_address" % cls) is True
    assert not any(verdicts.values()), verdicts


@pytest.mark.parametrize("cls,address", [(c, a) for c in sorted(EXAMPLES) for a in EXAMPLES[c]])
def test_records_use_their_address(cls, address):
    record = {"address": address, "prefixlen": 24, "class": "nonsense", "interface": "eth0"}
    assert TESTS["%s_address" % cls](record) is True


def test_best_local_record():
    assert TESTS["private_address"]({"address": "10.0.0.1", "prefixlen": 8, "interface": "eth0"})
    assert not TESTS["public_address"]({"address": "10.0.0.1", "prefixlen": 8, "interface": "eth0"})


@pytest.mark.parametrize("bad", [
    "10.0.0.1%eth0",  # a zone on IPv4
    "fe80::1%",  # an empty zone
    "10.0.0.0/8",  # a network
    "10.0.0.256", "1.2.3", "", "eth0", "fe80::1::2", " 10.0.0.1", "localhost",
    None, 5, 3.5, True, b"10.0.0.1", ["10.0.0.1"], ("10.0.0.1",),
    {"address": None}, {"address": 5}, {"address": "nope"},
])
@pytest.mark.parametrize("name", ["private_address", "link_local_address"])
def test_bad_values_name_the_test_and_the_value(name, bad):
    with pytest.raises(AnsibleFilterError) as info:
        TESTS[name](bad)
    msg = str(info.value)
    assert msg.startswith("netifs.core.%s: expected an IP address (or an address record), got " % name)
    assert msg.endswith(repr(bad))


@pytest.mark.parametrize("bad", [{}, {"addr": "10.0.0.1"}, {"ip": "10.0.0.1", "class": "private"}])
def test_dict_without_address(bad):
    with pytest.raises(AnsibleFilterError, match="netifs.core.private_address: expected an address or an address "
                                                 "record, got a dict without an address key"):
        TESTS["private_address"](bad)


def test_tests_are_named_functions():
    for name, test in TESTS.items():
        assert test.__name__ == name
        assert test.__doc__
