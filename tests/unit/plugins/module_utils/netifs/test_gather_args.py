# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the argument checking of netifs.gather: parse_subset, interface_matcher,
parse_destination."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket

import pytest

from netifs import facts as gather  # the module was gather.py before it was renamed facts.py
from netifs import sources

ALL = {"interfaces", "addresses", "gateways", "routes", "rules", "multicast", "best_local", "stats"}


# --- parse_subset --------------------------------------------------------------------------------

def test_subset_names_are_the_schemas():
    assert set(gather.SUBSETS) == ALL


@pytest.mark.parametrize("value, expected", [
    (None, ALL),
    (["all"], ALL),
    ("all", ALL),
    (["routes"], {"routes"}),
    (["routes", "addresses", "routes"], {"routes", "addresses"}),
    ("routes, gateways", {"routes", "gateways"}),
    (("stats",), {"stats"}),
    (["all", "!stats"], ALL - {"stats"}),
    (["!stats", "all"], ALL - {"stats"}),
    (["!stats"], ALL - {"stats"}),
    (["!stats", "!multicast"], ALL - {"stats", "multicast"}),
    ("!routes", ALL - {"routes"}),
    (["!all"], set()),
    (["all", "!all"], set()),
    (["!all", "!routes"], set()),
    ([], ALL),
])
def test_parse_subset(value, expected):
    assert gather.parse_subset(value) == expected


# setup (ansible.module_utils.facts.collector.get_collector_names) keeps a subset named explicitly
# whatever is excluded: additional - (excluded - explicitly_added).
@pytest.mark.parametrize("value, expected", [
    (["!all", "routes"], {"routes"}),
    (["!all", "routes", "addresses"], {"routes", "addresses"}),
    (["routes", "!routes"], {"routes"}),
    (["!routes", "routes"], {"routes"}),
    (["routes", "!all"], {"routes"}),
    (["!all", "routes", "!routes", "!addresses"], {"routes"}),
    (["all", "!routes", "routes"], ALL),
    ("!all, stats", {"stats"}),
])
def test_parse_subset_explicit_names_survive_exclusions_as_in_setup(value, expected):
    assert gather.parse_subset(value) == expected


@pytest.mark.parametrize("value, named", [
    (["bogus"], "'bogus'"), (["routes", "!bogus"], "'!bogus'"), ("routes,facter", "'facter'"),
    (["ROUTES"], "'ROUTES'"), ([" routes"], "' routes'"), (["!"], "'!'"), ("", "''"),
    (["!bogus"], "'!bogus'"), (["!all", "!bogus"], "'!bogus'"),
])
def test_parse_subset_unknown_name(value, named):
    with pytest.raises(ValueError) as info:
        gather.parse_subset(value)
    text = str(info.value)
    assert named in text
    assert "all, interfaces, addresses, gateways, routes, rules, multicast, best_local, stats" in text


@pytest.mark.parametrize("value", [5, 1.5, {"routes": True}, {"routes"}, b"routes", True, object()])
def test_parse_subset_wrong_container(value):
    with pytest.raises(ValueError) as info:
        gather.parse_subset(value)
    assert "gather_subset must be a list of names" in str(info.value)


@pytest.mark.parametrize("value", [[5], ["routes", None], [["routes"]], [b"routes"]])
def test_parse_subset_wrong_entry(value):
    with pytest.raises(ValueError) as info:
        gather.parse_subset(value)
    assert "is not a string" in str(info.value)


# --- interface_matcher ---------------------------------------------------------------------------

IFACES = [
    {"name": "lo"}, {"name": "eth0", "altnames": ["enp1s0", "ens1"]}, {"name": "eth1", "altnames": []},
    {"name": "docker0"}, {"name": "veth1a2b"}, {"name": "wg0", "altnames": ["vpn-office"]}, {"name": "Eth9"},
]


def matched(patterns):
    match = gather.interface_matcher(patterns)
    return [i["name"] for i in IFACES if match(i)]


@pytest.mark.parametrize("patterns, names", [
    (None, ["lo", "eth0", "eth1", "docker0", "veth1a2b", "wg0", "Eth9"]),
    (["eth*"], ["eth0", "eth1"]),  # case-sensitive
    (["eth?", "lo"], ["lo", "eth0", "eth1"]),
    (("eth[1-9]",), ["eth1"]),
    (["enp*"], ["eth0"]),  # by alternative name
    (["vpn-*"], ["wg0"]),
    (["!veth*"], ["lo", "eth0", "eth1", "docker0", "wg0", "Eth9"]),
    (["!veth*", "!docker*"], ["lo", "eth0", "eth1", "wg0", "Eth9"]),
    (["eth*", "!eth1"], ["eth0"]),
    (["*", "!ens1"], ["lo", "eth1", "docker0", "veth1a2b", "wg0", "Eth9"]),  # an altname excludes too
    (["nothing*"], []),
    ([], ["lo", "eth0", "eth1", "docker0", "veth1a2b", "wg0", "Eth9"]),
])
def test_interface_matcher(patterns, names):
    assert matched(patterns) == names


@pytest.mark.parametrize("patterns", ["eth*", b"eth*", 5, {"eth0": 1}, {"eth0"}])
def test_interface_matcher_not_a_list(patterns):
    with pytest.raises(ValueError) as info:
        gather.interface_matcher(patterns)
    assert "interfaces must be a list of glob patterns" in str(info.value)


@pytest.mark.parametrize("patterns", [[""], ["!"], ["eth0", 5], [None], ["!!"], [b"eth0"]])
def test_interface_matcher_bad_pattern(patterns):
    with pytest.raises(ValueError) as info:
        gather.interface_matcher(patterns)
    assert "is not a non-empty string" in str(info.value)


# --- parse_destination ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("192.0.2.1", (4, socket.inet_pton(socket.AF_INET, "192.0.2.1"), None)),
    ("  198.51.100.7 ", (4, socket.inet_pton(socket.AF_INET, "198.51.100.7"), None)),
    ("2001:db8::1", (6, socket.inet_pton(socket.AF_INET6, "2001:db8::1"), None)),
    ("::ffff:192.0.2.1", (6, socket.inet_pton(socket.AF_INET6, "::ffff:192.0.2.1"), None)),
    ("fe80::1%eth0", (6, socket.inet_pton(socket.AF_INET6, "fe80::1"), "eth0")),
    ("fe80::1%3", (6, socket.inet_pton(socket.AF_INET6, "fe80::1"), "3")),
    ("example.com", (None, None, None)),
    ("localhost", (None, None, None)),
    ("1.2.3", (None, None, None)),  # not an inet_pton address: a name for the resolver
])
def test_parse_destination(text, expected):
    assert sources.parse_destination(text) == expected


@pytest.mark.parametrize("value", ["10.0.0.0/8", "2001:db8::/32", "", "   ", None, 5, b"10.0.0.1",
                                   ["10.0.0.1"], "host%eth0", "%eth0"])
def test_parse_destination_bad(value):
    with pytest.raises(ValueError) as info:
        sources.parse_destination(value)
    assert "is not an address or host name" in str(info.value)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize("value", [None, 5, "10.0.0.1", b"x"])
def test_destinations_must_be_a_list(value):
    if value is None:
        assert sources.parse_destinations(value) is None
        return
    with pytest.raises(ValueError):
        sources.parse_destinations(value)


def test_destinations_list():
    assert sources.parse_destinations(["192.0.2.1", "example.org"]) == [
        ("192.0.2.1", 4, socket.inet_pton(socket.AF_INET, "192.0.2.1"), None),
        ("example.org", None, None, None)]
