# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the doors of the library: the convenience calls (api.py), the ``netifs`` command
(cli.py) and its table (render.py), over scripted facts; and the version the packaging reads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re

import pytest

import nlbuild as nl

import netifs
from netifs import api, cli, facts, render, sources
from netifs.errors import NoSource, TornSnapshot
from netifs.rules import parse_rule

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 5))


def addr(text, prefixlen, cls, flags=(), zone=None):
    return {"address": text, "prefixlen": prefixlen, "family": 6 if ":" in text else 4, "class": cls,
            "flags": list(flags), "zone": zone, "scope": "global"}


FACTS = {
    "schema": 1, "backend": "linux_rtnetlink", "subsets": ["addresses", "best_local", "gateways", "interfaces"],
    "missing": [], "warnings": [],
    "interfaces": {
        "lo": {"index": 1, "name": "lo", "kind": None, "oper_state": "unknown", "mtu": 65536,
               "mac": "00:00:00:00:00:00", "master": None, "addresses": [addr("127.0.0.1", 8, "loopback")]},
        "up.link-1": {"index": 2, "name": "up.link-1", "kind": "veth", "oper_state": "up", "mtu": 1500,
                      "mac": "52:54:00:ab:cd:ef", "master": "br0", "addresses": [
                          addr("192.168.1.10", 24, "private"), addr("2001:db8::10", 64, "documentation", ["deprecated"]),
                          addr("fe80::1", 64, "link_local", zone="up.link-1")]},
        "evil\x1b[2J": {"index": 3, "name": "evil\x1b[2J", "kind": "tun", "oper_state": "down", "mtu": 1500,
                        "mac": None, "master": None, "addresses": []},
    },
    "gateways": [{"address": "192.168.1.1", "family": 4, "interface": "up.link-1", "metric": 100, "table": 254,
                  "default": True}],
    "best_local": {"ipv4": [{"address": "192.168.1.10", "prefixlen": 24, "interface": "up.link-1"}], "ipv6": []},
}


@pytest.fixture
def gathered(monkeypatch):
    calls = []

    def gather(subset=None, interfaces=None, destinations=None):
        calls.append((subset, interfaces, destinations))
        facts.parse_subset(subset)  # the real argument checks
        facts.interface_matcher(interfaces)
        sources.parse_destinations(destinations)
        got = json.loads(json.dumps(FACTS))
        if destinations is not None:
            got["sources"] = [entry(d) for d in destinations]
        return got
    monkeypatch.setattr(facts, "gather", gather)
    monkeypatch.setattr(api, "gather", gather)
    monkeypatch.setattr(cli, "gather", gather)
    return calls


def entry(dest, error=None):
    return {"destination": dest, "address": dest, "family": 4, "source": None if error else "192.168.1.10",
            "interface": None if error else "up.link-1", "gateway": None if error else "192.168.1.1",
            "table": 254, "type": "unicast", "error": error}


# --- the library -----------------------------------------------------------------------------------

def test_public_names():
    assert netifs.gather is facts.gather
    assert (netifs.interfaces, netifs.best_local, netifs.source_for) == (api.interfaces, api.best_local, api.source_for)
    assert set(netifs.__all__) == {"gather", "interfaces", "best_local", "source_for", "NetifsError", "NoSource",
                                   "__version__"}


def test_version_is_the_collections():
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        galaxy = re.search(r"^version: *(\S+)$", handle.read(), re.M).group(1)
    assert netifs.__version__ == galaxy
    with open(os.path.join(REPO, "pyproject.toml")) as handle:
        assert 'version = { attr = "netifs.__version__" }' in handle.read()


def test_interfaces(gathered):
    assert list(api.interfaces()) == ["lo", "up.link-1", "evil\x1b[2J"]
    assert gathered[-1] == (["interfaces", "addresses"], None, None)
    api.interfaces(["up*", "!lo"], subset=["stats"])
    assert gathered[-1] == (["stats"], ["up*", "!lo"], None)
    api.interfaces(subset=())
    assert gathered[-1][0] == ["interfaces"]


@pytest.mark.parametrize("family, expected", [(4, "192.168.1.10"), ("ipv4", "192.168.1.10"), (6, None),
                                              ("ipv6", None)])
def test_best_local(gathered, family, expected):
    assert api.best_local(family) == expected
    assert gathered[-1] == (["best_local"], None, None)


@pytest.mark.parametrize("family", [5, "4", True, None, "inet"])
def test_best_local_bad_family(gathered, family):
    with pytest.raises(ValueError) as info:
        api.best_local(family)
    assert repr(family) in str(info.value)
    assert gathered == []


def test_source_for(monkeypatch):
    asked = []

    def fake(destinations, family=None):
        asked.append((destinations, family))
        dest = destinations[0]
        if dest == "198.51.100.1":
            return [entry(dest, error="route lookup failed: [Errno 101] Network is unreachable")]
        if dest == "192.168.1.99":
            return [dict(entry(dest), source=None)]
        return [entry(dest)]
    monkeypatch.setattr(sources, "sources", fake)
    assert api.source_for("192.168.1.7")["source"] == "192.168.1.10"
    assert api.source_for("db.example", family=6)["interface"] == "up.link-1"
    assert asked[-1] == (["db.example"], 6)
    with pytest.raises(NoSource) as info:
        api.source_for("198.51.100.1")
    assert str(info.value) == "no source address for 198.51.100.1: route lookup failed: [Errno 101] Network is unreachable"
    assert info.value.entry["destination"] == "198.51.100.1"
    with pytest.raises(NoSource) as info:
        api.source_for("192.168.1.99")
    assert info.value.entry["error"] == "the kernel's answer has no source address"


def test_source_for_bad_destination():
    with pytest.raises(ValueError):
        api.source_for("10.0.0.0/8")


# --- the table -------------------------------------------------------------------------------------

def test_safe_escapes_what_a_terminal_would_obey():
    assert render.safe("evil\x1b[2J") == "evil\\x1b[2J"
    assert render.safe("zero\u200bwidth") == "zero\\u200bwidth"
    assert render.safe("v\u00e90") == "v\u00e90"
    assert (render.safe(None), render.safe(1500)) == ("-", "1500")


def test_table_lines_up():
    lines = render.table(["A", "BB", "C"], [["xxx", 1, "end"], ["y", None, ""]])
    assert lines == ["A    BB  C", "xxx  1   end", "y    -"]


def test_render_interfaces_and_sections():
    text = render.render(json.loads(json.dumps(FACTS)))
    lines = text.splitlines()
    assert lines[0].split() == ["INTERFACE", "INDEX", "KIND", "STATE", "MTU", "MAC", "MASTER", "ADDRESSES"]
    assert lines[1].split() == ["lo", "1", "-", "unknown", "65536", "00:00:00:00:00:00", "-", "127.0.0.1/8",
                                "loopback"]
    assert lines[2].split() == ["up.link-1", "2", "veth", "up", "1500", "52:54:00:ab:cd:ef", "br0",
                                "192.168.1.10/24", "private"]
    assert lines[3].split() == ["2001:db8::10/64", "documentation", "[deprecated]"]
    assert lines[4].split() == ["fe80::1/64%up.link-1", "link_local"]
    assert lines[5].split() == ["evil\\x1b[2J", "3", "tun", "down", "1500", "-", "-", "-"]
    assert "\x1b" not in text
    assert "GATEWAYS" in lines and "BEST LOCAL" in lines and "ROUTES" not in lines
    assert lines[-2].split() == ["ipv4", "192.168.1.10", "(up.link-1)"]
    assert lines[-1].split() == ["ipv6", "none"]


def test_render_routes_only_when_asked():
    routes = {"schema": 1, "routes": [
        {"destination": "0.0.0.0/0", "type": "unicast", "table": 254, "metric": 100, "protocol": "boot",
         "nexthops": [{"gateway": "192.168.1.1", "interface": "ra", "flags": []},
                      {"gateway": "192.168.2.1", "interface": "rb", "flags": []}]},
        {"destination": "192.0.2.0/24", "type": "blackhole", "table": 254, "metric": 0, "protocol": "boot",
         "nexthops": []},
        {"destination": "10.70.0.0/16", "type": "unicast", "table": 254, "metric": 0, "protocol": "boot",
         "nexthops": [{"gateway": None, "interface": None, "flags": ["blackhole"]}]}]}
    assert render.render(routes) == ""
    lines = render.render(routes, routes=True).splitlines()
    assert lines[0] == "ROUTES"
    assert lines[2].endswith("via 192.168.1.1 dev ra; via 192.168.2.1 dev rb")
    assert lines[3].endswith("-") and lines[4].endswith("blackhole")


def test_render_rules():
    messages = [
        nl.kernel_rule(100, 51820, nl.attr(nl.FRA_FWMARK, nl.u32(51820)), nl.attr(nl.FRA_FWMASK, nl.u32(0xFFFFFFFF)), flags=nl.FIB_RULE_INVERT),
        nl.kernel_rule(101, 254, nl.attr(nl.FRA_SRC, nl.ip("10.1.0.0")), nl.attr(nl.FRA_DST, nl.ip("192.0.2.0")),
                       src_len=16, dst_len=24, suppress=0),
        nl.kernel_rule(102, 254, nl.attr(nl.FRA_IIFNAME, nl.cstr("e\x1b0")), nl.attr(nl.FRA_OIFNAME, nl.cstr("eth1")),
                       nl.attr(nl.FRA_IP_PROTO, nl.u8(6)), nl.uid_range(1, 2), nl.port_range(nl.FRA_SPORT_RANGE, 7, 7),
                       nl.port_range(nl.FRA_DPORT_RANGE, 1000, 2000), tos=0x10, flags=nl.FIB_RULE_IIF_DETACHED),
        nl.kernel_rule(103, 0, nl.attr(nl.FRA_GOTO, nl.u32(104)), family=nl.AF_INET6, action=nl.FR_ACT_GOTO,
                       flags=nl.FIB_RULE_UNRESOLVED),
        nl.kernel_rule(104, 0, family=nl.AF_INET6, action=nl.FR_ACT_PROHIBIT),
        nl.kernel_rule(105, 0, nl.attr(nl.FRA_L3MDEV, nl.u8(1)), family=nl.AF_INET6)]
    rules = {"schema": 1, "rules": [parse_rule(m, 0, len(m)) for m in messages]}
    lines = render.render(rules).splitlines()
    assert lines[0] == "RULES"
    assert [re.split(" {2,}", line) for line in lines[1:]] == [
        ["FAMILY", "PRIORITY", "SELECTORS", "ACTION"],
        ["ipv4", "100", "not from all fwmark 0xca6c/0xffffffff", "lookup 51820"],
        ["ipv4", "101", "from 10.1.0.0/16 to 192.0.2.0/24", "lookup 254 suppress_prefixlength 0"],
        ["ipv4", "102", "from all iif e\\x1b0 oif eth1 ipproto 6 tos 0x10 uidrange 1-2 sport 7-7 dport 1000-2000",
         "lookup 254 [iif_detached]"],
        ["ipv6", "103", "from all", "goto 104 [unresolved]"],
        ["ipv6", "104", "from all", "prohibit"],
        ["ipv6", "105", "from all", "lookup l3mdev-table"]]


# --- the command -----------------------------------------------------------------------------------

def test_cli_table(gathered, capsys):
    assert cli.main([]) == cli.OK
    out = capsys.readouterr().out
    assert out == render.render(FACTS) + "\n"
    assert gathered == [(None, None, None)]


def test_cli_json_subsets_and_patterns(gathered, capsys):
    assert cli.main(["--json", "-s", "interfaces,addresses", "-s", "!stats", "-i", "up*", "-i", "!lo"]) == cli.OK
    assert json.loads(capsys.readouterr().out) == FACTS
    assert gathered == [(["interfaces", "addresses", "!stats"], ["up*", "!lo"], None)]


def test_cli_json_is_one_line_and_pretty_indents(gathered, capsys):
    assert cli.main(["--json"]) == cli.OK
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and json.loads(out) == FACTS
    assert cli.main(["--json", "--pretty"]) == cli.OK
    out = capsys.readouterr().out
    assert out.startswith('{\n  "') and json.loads(out) == FACTS


def test_cli_pretty_without_json_is_a_usage_error(gathered, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--pretty"])
    assert info.value.code == cli.USAGE
    assert "--pretty goes with --json" in capsys.readouterr().err
    assert gathered == []


def test_cli_to(gathered, capsys):
    assert cli.main(["--to", "192.168.1.7", "db.example"]) == cli.OK
    assert "ROUTES TO" in capsys.readouterr().out
    assert gathered[-1][2] == ["192.168.1.7", "db.example"]


def test_cli_to_without_answer_exits_3(gathered, monkeypatch, capsys):
    def gather(subset=None, interfaces=None, destinations=None):
        got = dict(FACTS, sources=[entry("203.0.113.1", error="route lookup failed: [Errno 101] Network is unreachable")])
        return got
    monkeypatch.setattr(cli, "gather", gather)
    assert cli.main(["--to", "203.0.113.1"]) == cli.NO_SOURCE
    assert "error: route lookup failed" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["-s", "bogus"], "unknown gather_subset entry 'bogus'"),
    (["-i", ""], "interfaces pattern '' is not a non-empty string"),
    (["--to", "10.0.0.0/8"], "destination '10.0.0.0/8' is not an address or host name"),
    (["--to"], "expected at least one argument"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_cli_bad_arguments_exit_2(gathered, capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == cli.USAGE
    assert message in capsys.readouterr().err


def test_cli_unreadable_network_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(cli, "gather", lambda *args: facts.unreadable(
        facts.SUBSETS, "cannot open a netlink socket: [Errno 13] Permission denied"))
    assert cli.main([]) == cli.FAILED
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("netifs: error: cannot read this host's network: cannot open a netlink socket: "
                            "[Errno 13] Permission denied\n")


def test_cli_engine_error_exits_1(monkeypatch, capsys):
    def gather(*args):
        raise TornSnapshot("the kernel flagged the links dump as interrupted 5 times")
    monkeypatch.setattr(cli, "gather", gather)
    assert cli.main([]) == cli.FAILED
    assert capsys.readouterr().err == "netifs: error: the kernel flagged the links dump as interrupted 5 times\n"


def test_cli_warnings_go_to_stderr(monkeypatch, capsys):
    got = dict(FACTS, warnings=["skipped a malformed message: RTM_NEWADDR at offset 0: short"],
               missing=[{"subset": "multicast", "family": 6, "reason": "[Errno 13] Permission denied"}])
    monkeypatch.setattr(cli, "gather", lambda *args: got)
    assert cli.main(["--json"]) == cli.OK
    captured = capsys.readouterr()
    assert json.loads(captured.out)["missing"] == got["missing"]
    assert captured.err.splitlines() == [
        "netifs: warning: skipped a malformed message: RTM_NEWADDR at offset 0: short",
        "netifs: warning: not read: multicast (IPv6): [Errno 13] Permission denied"]


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == "netifs %s\n" % netifs.__version__
