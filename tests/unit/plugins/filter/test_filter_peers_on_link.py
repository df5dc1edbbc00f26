# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the netifs.core.peers_on_link filter on several hosts' facts built in the schema's shape."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import socket
from collections.abc import Mapping

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.filter import peers_on_link as plugin
from ansible_collections.netifs.core.plugins.module_utils.netifs import classify

peers_on_link = plugin.peers_on_link


def addr(spec, scope="global", peer=None, flags=()):
    """An address record from ``address/prefixlen``; ``peer`` makes it point-to-point."""
    text, _sep, prefixlen = spec.partition("/")
    net = ipaddress.ip_network(spec, strict=False)
    family = socket.AF_INET6 if net.version == 6 else socket.AF_INET
    # As the engine writes it (inet_ntop): ::ffff:10.0.0.0, not ipaddress's ::ffff:a00:0.
    network = "%s/%d" % (socket.inet_ntop(family, net.network_address.packed), net.prefixlen)
    if peer:
        network = "%s/32" % peer
    return {
        "address": text, "prefixlen": int(prefixlen), "network": network,
        "family": 6 if ":" in text else 4, "scope": scope, "class": classify.classify(text),
        "broadcast": None, "peer": peer, "label": None, "flags": list(flags),
        "zone": None, "preferred_lifetime": None, "valid_lifetime": None,
    }


def netifs(**interfaces):
    """Netifs facts with a loopback and the given interfaces, each a list of address specs."""
    ifaces = {"lo": {"index": 1, "name": "lo", "altnames": [], "addresses": [
        addr("127.0.0.1/8", "host"), addr("::1/128", "host")]}}
    for index, (name, specs) in enumerate(interfaces.items(), 2):
        records = [s if isinstance(s, dict) else addr(s) for s in specs]
        for r in records:
            if r["class"] == "link_local":
                r["scope"] = "link"
                if r["family"] == 6:
                    r["zone"] = name
        ifaces[name] = {"index": index, "name": name, "altnames": [], "addresses": records}
    return {"schema": 1, "backend": "linux_rtnetlink", "subsets": ["addresses"], "missing": [], "warnings": [],
            "interfaces": ifaces}


def hostvar(facts):
    """A hostvars entry: the facts under ansible_facts, next to other variables."""
    return {"ansible_facts": {"netifs": facts}, "inventory_hostname": "x", "ansible_host": "192.0.2.1"}


def cluster():
    """a, b and c share 10.0.0.0/24 on their eth1; a and b share 192.168.1.0/24 on eth0 and a
    ULA prefix; d is elsewhere; every host has docker0 with the same address."""
    return {
        "a": hostvar(netifs(
            eth0=["192.168.1.10/24", "fd00:1::a/64", "fe80::a/64"],
            eth1=["10.0.0.1/24", "10.0.0.100/24", "fe80::1:a/64"],
            docker0=["172.17.0.1/16"],
        )),
        "b": hostvar(netifs(
            eth0=["192.168.1.20/24", "fd00:1::b/64", "fe80::b/64"],
            ens4=["10.0.0.2/24", "10.0.0.200/24"],
            docker0=["172.17.0.1/16"],
        )),
        "c": {"netifs": netifs(eth1=["10.0.0.3/16", "169.254.0.3/16"], docker0=["172.17.0.1/16"])},
        "d": netifs(eth0=["10.1.0.4/24"], docker0=["172.17.0.1/16"]),
    }


@pytest.fixture
def hosts():
    return cluster()


def fails(match, *args, **kwargs):
    with pytest.raises(AnsibleFilterError, match=match) as info:
        peers_on_link(*args, **kwargs)
    assert str(info.value).startswith("netifs.core.peers_on_link: ")
    return str(info.value)


def peer(host, interface, address, network):
    return {"host": host, "interface": interface, "address": address, "network": network}


def test_registered():
    assert plugin.FilterModule().filters() == {"peers_on_link": peers_on_link}


def test_peers_per_interface(hosts):
    assert peers_on_link(hosts, "a") == {
        "eth0": [peer("b", "eth0", "192.168.1.20", "192.168.1.0/24"),
                 peer("b", "eth0", "fd00:1::b", "fd00:1::/64")],
        "eth1": [peer("b", "ens4", "10.0.0.2", "10.0.0.0/24"),
                 peer("b", "ens4", "10.0.0.200", "10.0.0.0/24"),
                 peer("c", "eth1", "10.0.0.3", "10.0.0.0/24")],
    }


def test_membership_follows_this_hosts_prefix(hosts):
    # c has 10.0.0.3/16: a and b are in c's 10.0.0.0/16, and so is nobody else.
    assert peers_on_link(hosts, "c") == {
        "eth1": [peer("a", "eth1", "10.0.0.1", "10.0.0.0/16"), peer("a", "eth1", "10.0.0.100", "10.0.0.0/16"),
                 peer("b", "ens4", "10.0.0.2", "10.0.0.0/16"), peer("b", "ens4", "10.0.0.200", "10.0.0.0/16")]}
    assert peers_on_link(hosts, "d") == {}


def test_result_keys_in_interface_order_and_only_with_peers(hosts):
    result = peers_on_link(hosts, "b")
    assert list(result) == ["eth0", "ens4"]
    assert "docker0" not in result


def test_same_address_on_every_host_is_not_a_peer(hosts):
    """docker0 172.17.0.1/16 is on every host: a network private to each."""
    assert all("docker0" not in peers_on_link(hosts, h) for h in "abcd")
    hosts["d"]["interfaces"]["docker0"]["addresses"].append(addr("172.17.0.2/16"))
    assert peers_on_link(hosts, "a")["docker0"] == [peer("d", "docker0", "172.17.0.2", "172.17.0.0/16")]


def test_hosts_limits_the_peers(hosts):
    assert peers_on_link(hosts, "a", hosts=["c"]) == {"eth1": [peer("c", "eth1", "10.0.0.3", "10.0.0.0/24")]}
    assert peers_on_link(hosts, "a", hosts=["a"]) == {}
    assert peers_on_link(hosts, "a", hosts=[]) == {}
    # Order of the peers follows hosts; a name given twice counts once.
    result = peers_on_link(hosts, "a", hosts=("c", "b", "c"), family=4)
    assert [p["host"] for p in result["eth1"]] == ["c", "b", "b"]


@pytest.mark.parametrize("bad", ["b", 5, [1], {"b": 1}])
def test_hosts_bad(hosts, bad):
    fails("hosts must be a list of host names", hosts, "a", hosts=bad)


@pytest.mark.parametrize("family", [4, "ipv4", "4"])
def test_family_4(hosts, family):
    result = peers_on_link(hosts, "a", family=family)
    assert result["eth0"] == [peer("b", "eth0", "192.168.1.20", "192.168.1.0/24")]
    assert len(result["eth1"]) == 3


def test_family_6(hosts):
    assert peers_on_link(hosts, "a", family=6) == {"eth0": [peer("b", "eth0", "fd00:1::b", "fd00:1::/64")]}


@pytest.mark.parametrize("bad", [5, "ip", True, [4]])
def test_family_bad(hosts, bad):
    fails("family must be", hosts, "a", family=bad)


def test_link_local(hosts):
    assert peers_on_link(hosts, "a", family=6, link_local=True) == {
        "eth0": [peer("b", "eth0", "fd00:1::b", "fd00:1::/64"), peer("b", "eth0", "fe80::b", "fe80::/64")],
        "eth1": [peer("b", "eth0", "fe80::b", "fe80::/64")],
    }
    # Narrowed to one link, it is useful: c's IPv4 link-local address is on its eth1.
    hosts["a"]["ansible_facts"]["netifs"]["interfaces"]["eth1"]["addresses"].append(addr("169.254.0.1/16"))
    assert peers_on_link(hosts, "a", family=4, link_local=True, hosts=["c"])["eth1"] == [
        peer("c", "eth1", "10.0.0.3", "10.0.0.0/24"), peer("c", "eth1", "169.254.0.3", "169.254.0.0/16")]
    assert "169.254.0.3" not in str(peers_on_link(hosts, "a", family=4, hosts=["c"]))


def test_loopback_multicast_unspecified_never_compared(hosts):
    hosts["b"]["ansible_facts"]["netifs"]["interfaces"]["eth0"]["addresses"] += [
        addr("ff02::fb/128", flags=["mcautojoin"]), addr("127.0.0.2/8")]
    hosts["a"]["ansible_facts"]["netifs"]["interfaces"]["eth0"]["addresses"] += [
        addr("ff02::/16"), addr("::/0")]
    result = peers_on_link(hosts, "a", link_local=True)
    assert "lo" not in result
    assert all(not p["address"].startswith(("127.", "ff02", "::1")) for ps in result.values() for p in ps)


def test_point_to_point_and_host_routes():
    hosts = {
        "a": netifs(wg0=[addr("10.9.0.1/32", peer="10.9.0.2")], dummy0=["192.0.2.53/32"], ip6tnl=["2001:db8::1/128"]),
        "b": netifs(wg0=[addr("10.9.0.2/32", peer="10.9.0.1")], dummy0=["192.0.2.54/32"], ip6tnl=["2001:db8::2/128"]),
    }
    assert peers_on_link(hosts, "a") == {"wg0": [peer("b", "wg0", "10.9.0.2", "10.9.0.2/32")]}
    assert peers_on_link(hosts, "b") == {"wg0": [peer("a", "wg0", "10.9.0.1", "10.9.0.1/32")]}


def test_overlapping_networks_count_once_per_interface():
    hosts = {"a": netifs(eth0=["10.0.0.1/24", "10.0.0.9/16"], eth1=["10.0.0.129/25"]),
             "b": netifs(eth0=["10.0.0.130/24"])}
    assert peers_on_link(hosts, "a") == {
        "eth0": [peer("b", "eth0", "10.0.0.130", "10.0.0.0/24")],
        "eth1": [peer("b", "eth0", "10.0.0.130", "10.0.0.128/25")],
    }


def test_ipv4_mapped_ipv6_compares_as_ipv6():
    hosts = {"a": netifs(eth0=["::ffff:10.0.0.1/120", "10.0.0.1/24"]),
             "b": netifs(eth0=["::ffff:10.0.0.2/120", "10.0.0.2/24"])}
    assert peers_on_link(hosts, "a") == {"eth0": [
        peer("b", "eth0", "::ffff:10.0.0.2", "::ffff:10.0.0.0/120"), peer("b", "eth0", "10.0.0.2", "10.0.0.0/24")]}
    assert peers_on_link(hosts, "a", family=6)["eth0"] == [peer("b", "eth0", "::ffff:10.0.0.2", "::ffff:10.0.0.0/120")]


def test_zone_in_a_record_is_read():
    """The schema's address has no zone; a record that carries one still compares."""
    facts_b = netifs(eth0=["fe80::b/64"])
    facts_b["interfaces"]["eth0"]["addresses"][0]["address"] = "fe80::b%eth0"
    hosts = {"a": netifs(eth0=["fe80::a/64"]), "b": facts_b}
    assert peers_on_link(hosts, "a", link_local=True) == {"eth0": [peer("b", "eth0", "fe80::b%eth0", "fe80::/64")]}


def test_interfaces_patterns_on_both_sides(hosts):
    assert list(peers_on_link(hosts, "a", interfaces="eth0")) == ["eth0"]
    # ens4 of b is excluded, so b is no peer on eth1 any more.
    assert peers_on_link(hosts, "a", interfaces=["!ens*"])["eth1"] == [peer("c", "eth1", "10.0.0.3", "10.0.0.0/24")]
    hosts["d"]["interfaces"]["docker0"]["addresses"].append(addr("172.17.0.2/16"))
    assert "docker0" not in peers_on_link(hosts, "a", interfaces=["!docker*"])
    assert peers_on_link(hosts, "a", interfaces=["nothing"]) == {}


@pytest.mark.parametrize("bad", [[""], [3], 3])
def test_interfaces_bad(hosts, bad):
    fails("interfaces", hosts, "a", interfaces=bad)


def test_hosts_without_facts_are_skipped(hosts):
    hosts["e"] = {"inventory_hostname": "e"}  # unreachable: no facts
    hosts["f"] = {"ansible_facts": {"hostname": "f"}}  # setup facts only
    hosts["g"] = hostvar({"schema": 1, "backend": "linux_rtnetlink", "subsets": ["routes"], "routes": []})
    hosts["h"] = None
    expected = peers_on_link(cluster(), "a")
    assert peers_on_link(hosts, "a") == expected
    assert peers_on_link(hosts, "a", hosts=["b", "c", "e", "unknown"]) == expected


def test_strict_names_the_hosts_without_facts(hosts):
    hosts["e"] = {"inventory_hostname": "e"}
    hosts["g"] = hostvar({"schema": 1, "backend": "linux_rtnetlink", "subsets": ["routes"], "routes": []})
    msg = fails("no netifs facts with addresses for e, g;", hosts, "a", strict=True)
    assert "gather_subset including addresses" in msg
    fails("for unknown$|for unknown;", hosts, "a", hosts=["b", "unknown"], strict=True)
    assert peers_on_link(hosts, "a", hosts=["b", "c"], strict=True) == peers_on_link(cluster(), "a")


def test_peer_with_other_schema_is_an_error(hosts):
    hosts["b"]["ansible_facts"]["netifs"]["schema"] = 2
    fails("schema 2", hosts, "a")


def test_peer_with_broken_record_is_an_error(hosts):
    del hosts["b"]["ansible_facts"]["netifs"]["interfaces"]["eth0"]["addresses"][0]["class"]
    fails("address 0 of interface eth0 has no 'class' key", hosts, "a")


@pytest.mark.parametrize("key,value,match", [
    ("network", None, "address 0 of interface eth0 is not an address record"),
    ("network", "10.0.0.0/33", "address 0 of interface eth0 is not an address record"),
    ("address", "10.0.0.300", "address 0 of interface eth0 is not an address record"),
    ("address", 5, "address 0 of interface eth0 is not an address record"),
])
def test_own_broken_record_is_an_error(hosts, key, value, match):
    hosts["a"]["ansible_facts"]["netifs"]["interfaces"]["eth0"]["addresses"][0][key] = value
    fails(match, hosts, "a")


def test_own_record_without_network(hosts):
    del hosts["a"]["ansible_facts"]["netifs"]["interfaces"]["eth0"]["addresses"][0]["network"]
    fails("address 0 of interface eth0 has no 'network' key", hosts, "a")


@pytest.mark.parametrize("bad", [None, [], "hostvars", 5])
def test_input_not_a_mapping(bad):
    fails("expected hostvars or a dict of host facts by host name", bad, "a")


@pytest.mark.parametrize("bad", [None, 5, ["a"]])
def test_host_not_a_name(hosts, bad):
    fails("host must be a host name", hosts, bad)


def test_host_not_in_input(hosts):
    fails("host 'z' is not in the hosts given", hosts, "z")


@pytest.mark.parametrize("value", [{"inventory_hostname": "a"}, {}, None, {"ansible_facts": {}}])
def test_host_without_facts(hosts, value):
    hosts["a"] = value
    fails("host a has no netifs facts", hosts, "a")


def test_host_without_addresses(hosts):
    hosts["a"] = hostvar({"schema": 1, "backend": "linux_rtnetlink", "subsets": ["routes"], "routes": []})
    fails("gather_subset including addresses", hosts, "a")


def test_host_with_empty_facts():
    hosts = {"a": hostvar({"schema": 1, "backend": None, "subsets": [], "missing": [], "warnings": [],
                           "interfaces": {}}), "b": netifs(eth0=["10.0.0.2/24"])}
    assert peers_on_link(hosts, "a") == {}


class LazyHostVars(Mapping):
    """Like ansible's HostVars: a Mapping, not a dict, that builds each host's vars on access."""

    def __init__(self, data):
        self._data = data
        self.accessed = []

    def __getitem__(self, key):
        self.accessed.append(key)
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


def test_hostvars_like_mapping(hosts):
    lazy = LazyHostVars(hosts)
    assert peers_on_link(lazy, "a", hosts=["b"]) == peers_on_link(hosts, "a", hosts=["b"])
    assert set(lazy.accessed) == {"a", "b"}


def test_real_facts_of_this_host():
    netifs_pkg = pytest.importorskip("ansible_collections.netifs.core.plugins.module_utils.netifs")
    try:
        facts = netifs_pkg.gather(subset=["addresses"])
    except Exception as exc:  # pragma: no cover - no netlink here
        pytest.skip("cannot gather facts here: %s" % exc)
    if facts["backend"] is None or "interfaces" not in facts:
        pytest.skip("no netlink here")
    # The same facts twice: every address is this host's own, so there are no peers.
    assert peers_on_link({"me": facts, "twin": facts}, "me") == {}


def test_peer_interface_record_broken_with_patterns(hosts):
    hosts["b"]["ansible_facts"]["netifs"]["interfaces"]["ens4"]["altnames"] = None
    fails("interface ens4 is not an interface record", hosts, "a", interfaces="e*")
