# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the netifs.core.source_address lookup over a scripted engine: every option, every
bad term, and every way the kernel's answer can be no answer."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.netifs.core.plugins.module_utils.netifs import backends, sources
from fakes import FakeBackend  # the engine's test helpers (tests/unit/conftest.py puts them on the path)


def entry(dest, address, family, source, interface="eth0", gateway="192.0.2.1", error=None, rtype="unicast"):
    return {"destination": dest, "address": address, "family": family, "source": source,
            "interface": interface, "gateway": gateway, "table": 254, "type": rtype, "error": error}


ANSWERS = {
    "198.51.100.7": entry("198.51.100.7", "198.51.100.7", 4, "192.0.2.10"),
    "2001:db8:1::7": entry("2001:db8:1::7", "2001:db8:1::7", 6, "2001:db8::10", gateway="fe80::1"),
    "gw.example": entry("gw.example", "192.0.2.1", 4, "192.0.2.10", gateway=None),
    "fe80::7%eth0": entry("fe80::7%eth0", "fe80::7", 6, "fe80::10", gateway=None),
    "203.0.113.1": entry("203.0.113.1", "203.0.113.1", 4, None, None, None,
                         error="route lookup failed: [Errno 101] Network is unreachable"),
    "203.0.113.2": entry("203.0.113.2", "203.0.113.2", 4, "192.0.2.10", "lo", None, rtype="blackhole",
                         error="the kernel's route to 203.0.113.2 is of type blackhole"),
    "203.0.113.3": entry("203.0.113.3", "203.0.113.3", 4, None, "eth0", None),
}


@pytest.fixture
def engine(monkeypatch):
    """``sources.ask_all`` answering from ANSWERS; records what it was asked."""
    calls = []

    def ask_all(dests, family=None):
        calls.append(([d[0] for d in dests], family))
        return [dict(ANSWERS[d[0]]) for d in dests]
    monkeypatch.setattr(sources, "ask_all", ask_all)
    return calls


def run(terms, **kwargs):
    return lookup_loader.get("netifs.core.source_address").run(terms, variables={}, **kwargs)


def test_source_addresses_in_term_order(engine):
    assert run(["2001:db8:1::7", "198.51.100.7", "gw.example"]) == ["2001:db8::10", "192.0.2.10", "192.0.2.10"]
    assert engine == [(["2001:db8:1::7", "198.51.100.7", "gw.example"], None)]


def test_a_list_term_is_flattened(engine):
    assert run([["198.51.100.7", "gw.example"], "fe80::7%eth0"]) == ["192.0.2.10", "192.0.2.10", "fe80::10"]


def test_records(engine):
    assert run(["198.51.100.7", "fe80::7%eth0"], records=True) == [
        {"address": "192.0.2.10", "interface": "eth0", "gateway": "192.0.2.1", "destination": "198.51.100.7",
         "family": 4},
        {"address": "fe80::10", "interface": "eth0", "gateway": None, "destination": "fe80::7", "family": 6}]


@pytest.mark.parametrize("family, asked", [("any", None), ("ipv4", 4), ("ipv6", 6)])
def test_family_goes_to_the_engine(engine, family, asked):
    run(["198.51.100.7"], family=family)
    assert engine == [(["198.51.100.7"], asked)]


def test_no_terms_no_results(engine):
    assert run([]) == []


@pytest.mark.parametrize("term, message", [
    (5, "term 5 is not an address or host name"),
    (None, "term None is not an address or host name"),
    ({"a": 1}, "term {'a': 1} is not an address or host name"),
    ("10.0.0.0/8", "term '10.0.0.0/8': destination '10.0.0.0/8' is not an address or host name"),
    ("", "term '': destination '' is not an address or host name"),
    ("host%eth0", "term 'host%eth0': destination 'host%eth0' is not an address or host name"),
])
def test_bad_terms_name_the_term(engine, term, message):
    with pytest.raises(AnsibleLookupError) as info:
        run(["198.51.100.7", term])
    assert str(info.value) == "netifs.core.source_address: " + message
    assert engine == []  # nothing asked before every term is checked


@pytest.mark.parametrize("term, message", [
    ("203.0.113.1", "route lookup failed: [Errno 101] Network is unreachable"),
    ("203.0.113.2", "the kernel's route to 203.0.113.2 is of type blackhole"),
    ("203.0.113.3", "the kernel's answer has no source address"),
])
def test_no_answer_is_an_error_naming_the_term(engine, term, message):
    with pytest.raises(AnsibleLookupError) as info:
        run(["198.51.100.7", term])
    assert str(info.value) == "netifs.core.source_address: term %r: %s" % (term, message)


def unasked(*args):
    raise AssertionError("asked the kernel about a destination that should have failed before")


def test_wrong_family_through_the_real_engine(monkeypatch):
    monkeypatch.setattr(backends, "chain", lambda: [("unasked", lambda need: FakeBackend(unasked, "unasked"))])
    with pytest.raises(AnsibleLookupError) as info:
        run(["198.51.100.7"], family="ipv6")
    assert str(info.value) == ("netifs.core.source_address: term '198.51.100.7': '198.51.100.7' is an IPv4 address, "
                               "not IPv6")


def test_a_name_that_resolves_to_nothing(monkeypatch):
    def getaddrinfo(*args):
        raise sources.socket.gaierror(-2, "Name or service not known")
    monkeypatch.setattr(sources.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(backends, "chain", lambda: [("unasked", lambda need: FakeBackend(unasked, "unasked"))])
    with pytest.raises(AnsibleLookupError) as info:
        run(["nosuch.example"])
    assert str(info.value) == ("netifs.core.source_address: term 'nosuch.example': cannot resolve 'nosuch.example': "
                               "[Errno -2] Name or service not known")


def test_controller_without_any_backend(monkeypatch):
    def refuse(need):
        raise OSError(97, "cannot open a netlink socket: Address family not supported by protocol")
    monkeypatch.setattr(backends, "chain", lambda: [("linux_rtnetlink", refuse)])
    with pytest.raises(AnsibleLookupError) as info:
        run(["198.51.100.7"])
    assert str(info.value) == ("netifs.core.source_address: term '198.51.100.7': linux_rtnetlink: [Errno 97] cannot open "
                               "a netlink socket: Address family not supported by protocol")


@pytest.mark.parametrize("kwargs, message", [
    ({"family": "ipv9"}, "Valid values are: any, ipv4, ipv6"),
    ({"family": 4}, "Valid values are: any, ipv4, ipv6"),
    ({"famliy": "ipv4"}, "unknown option famliy; the options are family, records"),
])
def test_bad_options(engine, kwargs, message):
    with pytest.raises(AnsibleLookupError) as info:
        run(["198.51.100.7"], **kwargs)
    assert str(info.value).startswith("netifs.core.source_address: ")
    assert message in str(info.value)
    assert engine == []
