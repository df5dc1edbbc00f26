# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for netifs.outbound with a scripted OS: how the probes' answers become the way out,
best_local, default_ipv4/6 and the default gateways. The live tests (tests/live/test_way_out.py)
hold the same against the kernel."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import ipaddress
import socket

import pytest

from netifs import classify, outbound
from netifs.errors import NetlinkError
from netifs.routes import route_record

P4 = outbound.PROBES[4]


def addr(address, prefixlen=24, flags=(), scope="global"):
    family = 6 if ":" in address else 4
    net = ipaddress.ip_network("%s/%d" % (address, prefixlen), strict=False)
    return {"address": address, "prefixlen": prefixlen, "network": str(net), "family": family, "scope": scope,
            "class": "public", "broadcast": None, "flags": list(flags)}


INTERFACES = {
    "eth0": {"mac": "02:00:00:00:00:01", "mtu": 1500, "type": "ether",
             "addresses": [addr("192.0.2.10"), addr("192.0.2.11", flags=["secondary"]), addr("192.0.2.12", flags=["deprecated"])]},
    "eth1": {"mac": "02:00:00:00:00:02", "mtu": 9000, "type": "ether",
             "addresses": [addr("198.51.100.5"), addr("198.51.100.6", flags=["secondary"])]},
    "tun0": {"mac": None, "mtu": 1420, "type": "none", "addresses": [addr("10.8.0.2", 32)]},
}


class Kernel:
    """``lookup`` answers by destination (and ``oif``) from ``answers``: a route record, or an
    errno to raise; ``match`` from ``matches`` (a destination missing: None, as a backend that
    does not tell)."""

    def __init__(self, answers, matches=None, default=None):
        self.answers, self.matches, self.default = answers, matches or {}, default
        self.asked = []

    def lookup(self, family, packed, oif):
        text = socket.inet_ntop(socket.AF_INET if family == 4 else socket.AF_INET6, packed)
        self.asked.append((text, oif))
        answer = self.answers.get((text, oif), self.answers.get(text, self.default))
        if isinstance(answer, int):
            raise NetlinkError(answer, "route lookup")
        return answer

    def match(self, family, packed):
        text = socket.inet_ntop(socket.AF_INET if family == 4 else socket.AF_INET6, packed)
        return self.matches.get(text, self.matches.get("*"))

    def asker(self, routes=None):
        return outbound.Asker(self.lookup, self.match, lambda name: name, lambda index: index, routes)


def plain(interface, gateway, source, table=254):
    return route_record(4, "0.0.0.0/0", "unicast", table, interface, gateway=gateway, preferred_source=source)


DEFAULT = route_record(4, "0.0.0.0/0", "unicast", 254, "eth0", gateway="192.0.2.1")


def test_the_probes_stand_for_the_public_internet():
    """Public unicast, five per family, no two in one /8 (IPv4) or /16 (IPv6), both IPv4 halves."""
    for family, texts in outbound.PROBES.items():
        assert len(texts) == len(set(texts)) == 5
        assert {classify.classify(t) for t in texts} == {"public"}
        nets = {ipaddress.ip_network("%s/%d" % (t, 8 if family == 4 else 16), strict=False) for t in texts}
        assert len(nets) == 5
    assert {int(ipaddress.ip_address(t)) >> 31 for t in P4} == {0, 1}
    assert P4[0] == "8.8.8.8" and outbound.PROBES[6][0] == "2001:4860:4860::8888"  # setup's own


def test_all_agree_the_first_probe_and_the_matched_route():
    kernel = Kernel({}, {"*": DEFAULT}, default=plain("eth0", "192.0.2.1", "192.0.2.11"))
    way = outbound.answer(kernel.asker(), 4)
    assert way["chosen"]["destination"] == P4[0] and all(e["agrees"] for e in way["probes"])
    assert [e["matched"] for e in way["probes"]] == ["0.0.0.0/0"] * 5
    assert way["route"]["nexthops"][0]["source"] == "192.0.2.11"
    assert outbound.disagreement(way) is None
    # the kernel's source first, even a secondary; then the usable addresses (not the deprecated one)
    assert [b["address"] for b in outbound.best_local(way, INTERFACES)] == ["192.0.2.11", "192.0.2.10"]
    legacy = outbound.legacy_default(way, INTERFACES)
    assert {k: legacy[k] for k in ("interface", "address", "gateway", "prefix", "netmask", "network", "macaddress", "mtu")} == {
        "interface": "eth0", "address": "192.0.2.11", "gateway": "192.0.2.1", "prefix": "24",
        "netmask": "255.255.255.0", "network": "192.0.2.0", "macaddress": "02:00:00:00:00:01", "mtu": 1500}
    assert legacy["route"]["destination"] == "0.0.0.0/0" and len(legacy["probes"]) == 5


def test_the_majority_wins_over_a_specific_route_and_the_odd_probe_is_reported():
    specific = route_record(4, "8.0.0.0/8", "unicast", 254, "eth1", gateway="198.51.100.1")
    kernel = Kernel({P4[0]: plain("eth1", "198.51.100.1", "198.51.100.5")}, {P4[0]: specific, "*": DEFAULT},
                    default=plain("eth0", "192.0.2.1", "192.0.2.10"))
    way = outbound.answer(kernel.asker(), 4)
    assert way["chosen"]["destination"] == P4[1]
    assert [e["agrees"] for e in way["probes"]] == [False, True, True, True, True]
    text = outbound.disagreement(way)
    assert P4[0] in text and "eth1" in text and "4 of 5" in text and "8.0.0.0/8" in text
    assert outbound.default_ids([way]) == {(4, 254, "0.0.0.0/0", 0)}


def test_a_tie_goes_to_the_group_of_the_earliest_probe():
    half = route_record(4, "128.0.0.0/1", "unicast", 254, "eth1", gateway="198.51.100.1")
    answers = {P4[0]: plain("eth0", "192.0.2.1", "192.0.2.10"), P4[1]: plain("eth0", "192.0.2.1", "192.0.2.10"),
               P4[3]: plain("eth1", "198.51.100.1", "198.51.100.5"), P4[4]: plain("eth1", "198.51.100.1", "198.51.100.5"),
               P4[2]: 101}
    way = outbound.answer(Kernel(answers, {P4[3]: half, P4[4]: half, "*": DEFAULT}).asker(), 4)
    assert (way["chosen"]["destination"], way["chosen"]["interface"]) == (P4[0], "eth0")


def test_two_halves_through_one_tunnel_agree():
    halves = {t: route_record(4, "0.0.0.0/1" if int(ipaddress.ip_address(t)) >> 31 == 0 else "128.0.0.0/1",
                              "unicast", 254, "tun0") for t in P4}
    kernel = Kernel({}, halves, default=plain("tun0", None, "10.8.0.2"))
    way = outbound.answer(kernel.asker(), 4)
    assert all(e["agrees"] for e in way["probes"]) and len(way["routes"]) == 5
    assert {e["matched"] for e in way["probes"]} == {"0.0.0.0/1", "128.0.0.0/1"}
    assert outbound.best_local(way, INTERFACES) == [{"address": "10.8.0.2", "prefixlen": 32, "interface": "tun0"}]


def test_ecmp_each_hop_gets_the_source_the_kernel_uses_on_its_interface():
    multi = dict(DEFAULT, gateway=None, interface=None, nexthops=[
        {"gateway": "192.0.2.1", "interface": "eth0", "weight": 1, "flags": []},
        {"gateway": "198.51.100.1", "interface": "eth1", "weight": 1, "flags": ["linkdown"]}])
    kernel = Kernel({(P4[0], "eth0"): plain("eth0", "192.0.2.1", "192.0.2.10")}, {"*": multi},
                    default=plain("eth1", "198.51.100.1", "198.51.100.6"))
    way = outbound.answer(kernel.asker(), 4)
    assert (P4[0], "eth0") in kernel.asked and (P4[0], "eth1") not in kernel.asked
    assert [(h["interface"], h["source"]) for h in way["route"]["nexthops"]] == [("eth0", "192.0.2.10"), ("eth1", "198.51.100.6")]
    assert [b["address"] for b in outbound.best_local(way, INTERFACES)] == [
        "198.51.100.6", "192.0.2.10", "198.51.100.5", "192.0.2.11"]


@pytest.mark.parametrize("code, rtype", [(errno.EINVAL, "blackhole"), (errno.EHOSTUNREACH, "unreachable"),
                                         (errno.EACCES, "prohibit")])
def test_a_rejecting_route_is_the_answer(code, rtype):
    tables = [route_record(4, "0.0.0.0/0", rtype, 254, None, metric=5), dict(DEFAULT, metric=100)]
    way = outbound.answer(Kernel({}, default=code).asker(tables), 4)
    assert way["chosen"]["type"] == rtype and way["chosen"]["error"]
    assert outbound.best_local(way, INTERFACES) == [] and outbound.default_ids([way]) == set()
    legacy = outbound.legacy_default(way, INTERFACES)
    assert (legacy["address"], legacy["interface"], legacy["gateway"]) == (None, None, None)
    assert (legacy["route"]["type"], legacy["route"]["metric"]) == (rtype, 5)
    # without the tables: what the errno tells, the rest null
    bare = outbound.legacy_default(outbound.answer(Kernel({}, default=code).asker(), 4), INTERFACES)["route"]
    assert (bare["type"], bare["destination"], bare["nexthops"]) == (rtype, None, [])
    assert set(bare) == set(DEFAULT)


def test_a_rejecting_route_the_lookup_answered_with_is_asked_about():
    """A BSD lookup answers a reject route as a route (its type and table, no way out): the route
    is the one the OS matched, not the tables' longest match, and nothing is from the tables."""
    answer = {"preferred_source": None, "interface": None, "gateway": None, "table": 254, "type": "blackhole"}
    matched = route_record(4, "0.0.0.0/1", "blackhole", 254, None)
    tables = [route_record(4, "0.0.0.0/0", "blackhole", 254, None, metric=5), matched]
    way = outbound.answer(Kernel({}, {"*": matched}, default=answer).asker(tables), 4)
    assert (way["chosen"]["type"], way["chosen"]["error"]) == ("blackhole", "the kernel's route to 8.8.8.8 is of type blackhole")
    assert way["route"]["destination"] == "0.0.0.0/1" and "from_tables" not in way
    assert outbound.legacy_default(way, INTERFACES)["address"] is None


def test_a_route_the_os_matched_is_not_from_the_tables():
    answer = {"preferred_source": "198.51.100.5", "interface": "eth1", "gateway": "198.51.100.1", "table": 254, "type": "unicast"}
    matched = route_record(4, "0.0.0.0/0", "unicast", 254, "eth1", gateway="198.51.100.1")
    way = outbound.answer(Kernel({}, {"*": matched}, default=answer).asker([DEFAULT, matched]), 4)
    assert "from_tables" not in way and way["route"]["interface"] == "eth1"
    # The same lookup, with a match that tells nothing: the tables' longest match, and it says so.
    way = outbound.answer(Kernel({}, {}, default=answer).asker([DEFAULT]), 4)
    assert way["from_tables"] and way["route"]["interface"] == "eth0" and way["chosen"]["gateway"] == "198.51.100.1"


def test_no_route_at_all_is_no_way_out():
    way = outbound.answer(Kernel({}, default=errno.ENETUNREACH).asker(), 4)
    assert (way["chosen"], outbound.legacy_default(way, INTERFACES), outbound.best_local(way, INTERFACES)) == (None, {}, [])
    assert outbound.disagreement(way) is None


def test_a_backend_that_tells_the_source_alone_takes_the_route_from_the_tables():
    answer = {"preferred_source": "198.51.100.5", "interface": "eth1", "gateway": None, "table": None, "type": None}
    tables = [DEFAULT, route_record(4, "0.0.0.0/0", "unicast", 254, "eth1", gateway="198.51.100.1", metric=0)]
    way = outbound.answer(Kernel({}, {}, default=answer).asker(tables), 4)
    assert way["from_tables"] and way["chosen"]["table"] == 254
    assert way["chosen"]["gateway"] is None  # the tables' longest match leaves through eth0, not the source's eth1
    assert way["route"]["interface"] == "eth0"


def test_asker_source_gives_a_rejected_destination_its_table():
    tables = [route_record(4, "203.0.113.0/24", "prohibit", 100, None)]
    dest = ("203.0.113.9", 4, socket.inet_aton("203.0.113.9"), None)
    entry = Kernel({}, default=errno.EACCES).asker(tables).source(dest)
    assert (entry["type"], entry["table"], entry["source"]) == ("prohibit", 100, None)
    assert "of type prohibit" in entry["error"]
