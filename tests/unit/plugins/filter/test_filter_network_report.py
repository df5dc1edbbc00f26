# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the network report: the model of the netifs.core.network_report filter, and its
picture and page (network_report_svg, network_report_html), on hosts' facts built in the
schema's shape and on facts recorded from the live ``lan`` host."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import ipaddress
import json
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.filter.network_report import network_report
from ansible_collections.netifs.core.plugins.filter.network_report_html import network_report_html
from ansible_collections.netifs.core.plugins.filter.network_report_svg import network_report_svg
from ansible_collections.netifs.core.plugins.module_utils.netifs import classify
from ansible_collections.netifs.core.plugins.plugin_utils import report_svg

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "facts_lan.json")
with open(FIXTURE) as _handle:
    LAN = json.load(_handle)

SVG_NS = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert(1)</script>"


def addr(spec):
    """An address record from ``address/prefixlen``, as the engine writes it."""
    text, _sep, prefixlen = spec.partition("/")
    net = ipaddress.ip_network(spec, strict=False)
    cls = classify.classify(text)
    scope = {"loopback": "host", "link_local": "link"}.get(cls, "global")
    return {"address": text, "prefixlen": int(prefixlen), "network": str(net), "family": net.version,
            "scope": scope, "class": cls, "broadcast": None, "peer": None, "label": None, "flags": [],
            "zone": None, "preferred_lifetime": None, "valid_lifetime": None}


def host(gateways=(), default=None, aliases=None, **interfaces):
    """A hostvars entry whose netifs facts have a loopback and the given interfaces (address specs)."""
    ifaces = {"lo": {"index": 1, "name": "lo", "altnames": [], "kind": None, "alias": None,
                     "addresses": [addr("127.0.0.1/8"), addr("::1/128")]}}
    for index, (name, specs) in enumerate(sorted(interfaces.items()), 2):
        ifaces[name] = {"index": index, "name": name, "altnames": [], "kind": "veth", "mac": "02:00:00:00:00:%02x" % index,
                        "mtu": 1500, "oper_state": "up", "master": None, "alias": (aliases or {}).get(name),
                        "addresses": [addr(s) for s in specs] + [addr("fe80::%x/64" % index)]}
    facts = {"schema": 1, "backend": "linux_rtnetlink", "subsets": ["addresses", "gateways", "interfaces"],
             "missing": [], "warnings": [], "interfaces": ifaces,
             "gateways": [{"address": g, "family": 6 if ":" in g else 4, "interface": "eth0", "metric": 0,
                           "table": 254, "default": True} for g in gateways]}
    if default:
        facts["default_ipv4"] = {"address": default[0], "gateway": default[1], "interface": "eth0", "mtu": 1500}
    return {"ansible_facts": {"netifs": facts}, "inventory_hostname": "x"}


def lan3():
    """Three hosts on 10.0.0.0/24 (two of them on 2001:db8::/64 too), one private network each,
    and docker0's 172.17.0.1/16 on every one."""
    return {
        "web": host(eth0=["10.0.0.1/24", "2001:db8::1/64"], docker0=["172.17.0.1/16"], gateways=["10.0.0.254"],
                    default=("10.0.0.1", "10.0.0.254")),
        "db": host(eth0=["10.0.0.2/24", "2001:db8::2/64"], eth1=["192.168.7.2/24"], docker0=["172.17.0.1/16"]),
        "cache": host(eth0=["10.0.0.3/24"], docker0=["172.17.0.1/16"]),
    }


def shared(model):
    return {s["network"]: s["hosts"] for s in model["subnets"] if s["shared"]}


def test_subnets_and_their_hosts():
    model = network_report(lan3())
    assert [h["name"] for h in model["hosts"]] == ["web", "db", "cache"]
    assert shared(model) == {"10.0.0.0/24": ["web", "db", "cache"], "2001:db8::/64": ["web", "db"]}
    subnets = {s["network"]: s for s in model["subnets"]}
    assert sorted(subnets) == sorted(["10.0.0.0/24", "2001:db8::/64", "172.17.0.0/16", "192.168.7.0/24"])
    # docker0: the same address on every host links no one; a subnet of one host is not shared
    assert subnets["172.17.0.0/16"]["hosts"] == ["web", "db", "cache"] and not subnets["172.17.0.0/16"]["shared"]
    assert subnets["192.168.7.0/24"]["members"] == [{"host": "db", "interface": "eth1", "address": "192.168.7.2"}]
    assert subnets["10.0.0.0/24"]["gateways"] == ["10.0.0.254"] and subnets["2001:db8::/64"]["gateways"] == []
    assert [s["network"] for s in model["subnets"]] == ["10.0.0.0/24", "172.17.0.0/16", "192.168.7.0/24",
                                                        "2001:db8::/64"]


def test_hosts_interfaces_addresses():
    model = network_report(lan3(), hosts=["db", "web", "db"])
    db, web = model["hosts"]
    assert (db["name"], web["name"]) == ("db", "web")
    assert [i["name"] for i in db["interfaces"]] == ["lo", "docker0", "eth0", "eth1"]
    # loopback and link-local hidden by default, lo kept in the table without addresses
    assert db["interfaces"][0]["addresses"] == []
    eth0 = db["interfaces"][2]
    assert [(a["address"], a["prefixlen"], a["network"], a["class"]) for a in eth0["addresses"]] == [
        ("10.0.0.2", 24, "10.0.0.0/24", "private"), ("2001:db8::2", 64, "2001:db8::/64", "documentation")]
    assert eth0["mac"] == "02:00:00:00:00:03" and eth0["mtu"] == 1500 and eth0["oper_state"] == "up"
    assert web["default_ipv4"] == {"address": "10.0.0.1", "gateway": "10.0.0.254", "interface": "eth0"}
    assert web["gateways"] == [{"address": "10.0.0.254", "family": 4, "interface": "eth0", "default": True}]
    assert db["default_ipv4"] is None and db["gateways"] == []
    assert json.loads(json.dumps(model)) == model  # plain JSON data


def test_classes_and_interfaces_options():
    model = network_report(lan3(), classes=["loopback", "link_local"], interfaces=["lo", "eth*"])
    names = {s["network"] for s in model["subnets"]}
    assert names == {"127.0.0.0/8", "::1/128", "fe80::/64"}
    assert all(i["name"] in ("lo", "eth0", "eth1") for h in model["hosts"] for i in h["interfaces"])
    # a loopback network on every host, with the same address: not shared
    assert "127.0.0.0/8" not in shared(model) and "fe80::/64" in shared(model)
    assert network_report(lan3(), classes="public")["subnets"] == []


def test_hosts_without_facts():
    hostvars = lan3()
    hostvars["down"] = {"inventory_hostname": "down"}
    hostvars["old"] = {"ansible_facts": {"netifs": dict(hostvars["web"]["ansible_facts"]["netifs"], schema=9)}}
    bare = {"schema": 1, "backend": "linux_rtnetlink", "interfaces": {"lo": {"name": "lo", "index": 1}}}
    hostvars["noaddr"] = {"ansible_facts": {"netifs": bare}}
    model = network_report(hostvars, hosts=["web", "down", "old", "noaddr", "ghost"])
    reasons = {h["name"]: h["reason"] for h in model["hosts"]}
    assert reasons["web"] is None
    assert "no netifs facts" in reasons["down"] and "no netifs facts" in reasons["ghost"]
    assert "schema 9" in reasons["old"] and "gather_subset including addresses" in reasons["noaddr"]
    assert all(h["interfaces"] == [] for h in model["hosts"] if h["reason"])
    with pytest.raises(AnsibleFilterError, match="host down has no netifs facts"):
        network_report(hostvars, hosts=["web", "down"], strict=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"hosts": "web"}, "hosts must be a list"),
    ({"hosts": ["web", 3]}, "hosts must be a list"),
    ({"classes": ["!private", "nonesuch"]}, "unknown address class 'nonesuch'"),
    ({"interfaces": 7}, "netifs.core.network_report"),
])
def test_bad_options(kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        network_report(lan3(), **kwargs)


def test_bad_input():
    with pytest.raises(AnsibleFilterError, match="expected hostvars"):
        network_report([lan3()])
    broken = lan3()
    broken["db"]["ansible_facts"]["netifs"]["interfaces"]["eth0"]["addresses"][0]["network"] = "10.0.0.0/99"
    with pytest.raises(AnsibleFilterError, match="address 0 of interface eth0"):
        network_report(broken, strict=True)
    assert "address 0 of interface eth0" in network_report(broken)["hosts"][1]["reason"]


def test_recorded_facts():
    """Facts recorded from the live lan host: every address not hidden is shown, in its network."""
    model = network_report({"lan": {"ansible_facts": {"netifs": LAN}}})
    shown = {(i["name"], a["address"]) for i in model["hosts"][0]["interfaces"] for a in i["addresses"]}
    wanted = {(n, a["address"]) for n, i in LAN["interfaces"].items() for a in i["addresses"]
              if a["class"] not in ("loopback", "link_local", "multicast", "unspecified")}
    assert shown == wanted and len(wanted) > 10
    assert not shared(model)
    members = {(m["interface"], m["address"]) for s in model["subnets"] for m in s["members"]}
    assert members == wanted
    gateways = {g for s in model["subnets"] for g in s["gateways"]}
    assert gateways == {g["address"] for g in LAN["gateways"]}


def test_empty_inventory():
    model = network_report({})
    assert model == {"format": 1, "hosts": [], "subnets": []}
    svg = ET.fromstring(network_report_svg(model))
    assert "no hosts" in "".join(svg.itertext())
    page = network_report_html(model)
    assert "No hosts." in page and "No subnet is shared" in page
    assert "<svg" in page


def hostile():
    """web's interface names and alias are markup; an alias holds control characters (aliases are bytes)."""
    hostvars = lan3()
    hostvars['<img src=x onerror="alert(1)">'] = host(**{"e<b>&'\"": ["10.0.0.9/24"]},
                                                      aliases={"e<b>&'\"": SCRIPT + "\x1b[31m\x00"})
    return hostvars


def svg_root(model):
    return ET.fromstring(network_report_svg(model))  # well-formed XML, or this raises


def groups(root, attribute):
    return [g.get(attribute) for g in root.iter(SVG_NS + "g") if g.get(attribute) is not None]


def test_svg_draws_every_host_subnet_and_address():
    model = network_report(lan3())
    root = svg_root(model)
    assert groups(root, "data-host") == ["web", "db", "cache"]
    assert sorted(groups(root, "data-network")) == sorted(s["network"] for s in model["subnets"])
    edges = [p for p in root.iter(SVG_NS + "path") if "nr-edge" in p.get("class")]
    assert len(edges) == sum(len(s["members"]) for s in model["subnets"]) == 9
    titles = {e.find(SVG_NS + "title").text for e in edges}
    assert "db eth1 192.168.7.2 in 192.168.7.0/24" in titles
    text = "".join(root.itertext())
    for label in ("eth0 10.0.0.1/24", "eth0 2001:db8::2/64", "docker0 172.17.0.1/16", "3 hosts, shared",
                  "gateway 10.0.0.254", "default via 10.0.0.254 eth0"):
        assert label in text
    assert u"\u2026" not in text  # the boxes are wide enough for every row and note
    shared_boxes = [g.get("data-network") for g in root.iter(SVG_NS + "g") if "nr-shared" in (g.get("class") or "")]
    assert sorted(shared_boxes) == ["10.0.0.0/24", "2001:db8::/64"]


def test_svg_is_deterministic():
    """The same model draws the same picture, also after a round trip through JSON."""
    model = network_report(lan3())
    again = json.loads(json.dumps(network_report(lan3())))
    assert network_report_svg(model) == network_report_svg(again)
    assert network_report_html(model) == network_report_html(again)


def many(count):
    """``count`` hosts on one shared LAN, each with a subnet of its own and every third on a second LAN."""
    hostvars = {}
    for n in range(count):
        nets = {"eth0": ["10.10.0.%d/24" % (n + 1)], "eth1": ["192.168.%d.1/24" % n]}
        if n % 3 == 0:
            nets["eth2"] = ["10.20.0.%d/24" % (n + 1), "fd00:20::%x/64" % (n + 1)]
        hostvars["host-%02d.example.com" % n] = host(**nets)
    return hostvars


def overlaps(boxes):
    ordered = sorted(boxes, key=lambda b: b["y"])
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if a["y"] + a["h"] > b["y"]]


def test_layout_at_twenty_hosts():
    model = network_report(many(20))
    drawn = report_svg.layout(model)
    assert len(drawn["hosts"]) == 20 and len(drawn["subnets"]) == 20 + 2 + 1
    assert not overlaps(drawn["hosts"]) and not overlaps(drawn["subnets"])
    for box in drawn["hosts"] + drawn["subnets"]:
        assert 0 <= box["x"] and box["x"] + box["w"] <= drawn["width"]
        assert 0 <= box["y"] and box["y"] + box["h"] <= drawn["height"]
    # the columns do not overlap, and the host names fit their boxes uncut
    host_right = drawn["hosts"][0]["x"] + drawn["hosts"][0]["w"]
    assert all(b["x"] > host_right + 100 for b in drawn["subnets"])
    assert all(report_svg.fit(h["name"], drawn["hosts"][0]["w"] - 16, report_svg.NAME_CHAR) == h["name"] for h in model["hosts"])
    # a host's own subnet sits beside it: level with it, or below when the boxes above push it down
    own = {b["subnet"]["network"]: b for b in drawn["subnets"]}
    for n, box in enumerate(drawn["hosts"]):
        subnet = own["192.168.%d.0/24" % n]
        assert subnet["y"] + subnet["h"] >= box["y"]


def test_long_names_are_cut_with_their_full_text_as_a_tooltip():
    hostvars = {"h" * 200: host(**{"eth0": ["10.0.0.1/24"]})}
    root = svg_root(network_report(hostvars))
    name = [t for t in root.iter(SVG_NS + "text") if "nr-name" in (t.get("class") or "")][0]
    assert name.find(SVG_NS + "title").text == "h" * 200
    assert "".join(name.itertext()).endswith(u"\u2026")
    assert int(root.get("width")) < 1000


def test_markup_in_facts_is_escaped():
    model = network_report(hostile())
    svg = network_report_svg(model)
    page = network_report_html(model)
    for markup in (svg, page):
        assert "<script" not in markup and "<img" not in markup and "<b>" not in markup
        assert "\x1b" not in markup and "\x00" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\x1b[31m\\x00" in page  # the alias, shown as text
    root = svg_root(model)
    assert '<img src=x onerror="alert(1)">' in groups(root, "data-host")
    assert "e<b>&'\" 10.0.0.9/24" in "".join(root.itertext())


class PageParser(HTMLParser):
    """Tags, attributes and text of a page, to check what a browser would see."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.tags, self.attributes, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def test_page_is_self_contained_and_escaped():
    model = network_report(hostile())
    parser = PageParser()
    parser.feed(network_report_html(model, title="Lab <2>"))
    assert "script" not in parser.tags and "img" not in parser.tags and "link" not in parser.tags
    fetching = [a for a in parser.attributes if a[1] in ("src", "href", "xlink:href") or a[1].startswith("on")]
    assert fetching == []
    policy = [v for tag, name, v in parser.attributes if name == "content" and "default-src" in v]
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'"]
    text = "".join(parser.text)
    assert "Lab <2>" in text and SCRIPT in text and '<img src=x onerror="alert(1)">' in text
    assert parser.tags.count("svg") == 1 and parser.tags.count("section") == 4


def test_page_tables():
    page = network_report_html(network_report(lan3()))
    shared_table = page[page.index('<table class="shared">'):page.index("</table>")]
    assert shared_table.count("<tr>") == 3  # the header and two shared subnets
    assert "web eth0 10.0.0.1<br>db eth0 10.0.0.2<br>cache eth0 10.0.0.3" in shared_table
    assert "172.17.0.0/16" not in shared_table
    assert "IPv4 default via 10.0.0.254 on eth0" in page
    assert "192.168.7.2/24 private" in page


@pytest.mark.parametrize("model", [None, {}, [], "text", {"format": 2, "hosts": [], "subnets": []},
                                   {"format": 1, "hosts": "web", "subnets": []},
                                   {"format": 1, "hosts": [{"name": "web"}], "subnets": []},
                                   {"format": 1, "hosts": [], "subnets": [7]}])
def test_render_filters_take_only_a_model(model):
    for render in (network_report_svg, network_report_html):
        with pytest.raises(AnsibleFilterError, match="network_report"):
            render(copy.deepcopy(model))


def test_title_must_be_text():
    with pytest.raises(AnsibleFilterError, match="title must be a string"):
        network_report_html(network_report({}), title=["x"])
