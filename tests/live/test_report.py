# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The netifs.core.report role over three hosts, each a network namespace, on one bridge.

The hosts are real to Ansible: each one's Python interpreter is a wrapper that runs it under
``ip netns exec`` in that host's namespace, so the role's own netifs_facts task reads each host's
network, and the controller (ansible-playbook, in the bridge's namespace) writes the report.
The JSON's shared subnets must be the ones built; each host's addresses are checked against
``ip -j addr``; a second run must change nothing; the page is loaded in headless Chromium, whose
screenshot (kept in tests/output/) must be of the asked size and not blank, and whose DOM must
hold the picture and every host.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shutil
import struct
import sys
import zlib

import pytest

import netns

pytestmark = pytest.mark.usefixtures("engine_present")

HOSTS = ("node-a.lab", "node-b.lab", "node-c.lab")
SCRIPT = "<script>document.title='owned'</script>"
SHARED = {"10.77.0.0/24": list(HOSTS), "2001:db8:77::/64": list(HOSTS[:2])}
OUTPUT = os.path.join(netns.REPO, "tests", "output")
WINDOW = (1280, 900)

PLAY = """
- name: Network report of the lab
  hosts: lab
  gather_facts: false
  roles:
    - role: netifs.core.report
      vars:
        report_dest: "{dest}"
        report_title: Lab <b>report</b>
"""

REUSE = """
- name: Facts of eth0 only, then the report from them
  hosts: lab
  gather_facts: false
  tasks:
    - name: Gather eth0's addresses
      netifs.core.netifs_facts:
        gather_subset: [addresses]
        interfaces: [eth0]
    - name: Report
      ansible.builtin.include_role:
        name: netifs.core.report
      vars:
        report_dest: "{dest}"
        report_reuse_facts: true
"""


def build(switch, nodes):
    """A bridge in ``switch``; each node's eth0 on it, in 10.77.0.0/24 (the first two in
    2001:db8:77::/64 too), a subnet of its own on lan0 and docker0's 172.17.0.1/16 on docker0."""
    switch.ip("link", "add", "br0", "type", "bridge")
    switch.ip("link", "set", "dev", "br0", "up")
    for n, ns in enumerate(nodes):
        switch.ip("link", "add", "p%d" % n, "type", "veth", "peer", "name", "eth0", "netns", ns.name)
        switch.ip("link", "set", "dev", "p%d" % n, "master", "br0", "up")
        for a, b in (("lan0", "lan0x"), ("docker0", "docker0x")):
            ns.ip("link", "add", a, "type", "veth", "peer", "name", b)
        for name in ("lo", "eth0", "lan0", "lan0x", "docker0", "docker0x"):
            ns.ip("link", "set", "dev", name, "up")
        ns.ip("addr", "add", "10.77.0.%d/24" % (n + 1), "dev", "eth0")
        if n < 2:
            ns.ip("addr", "add", "2001:db8:77::%d/64" % (n + 1), "dev", "eth0", "nodad")
        ns.ip("addr", "add", "10.78.%d.1/24" % n, "dev", "lan0")
        ns.ip("addr", "add", "172.17.0.1/16", "dev", "docker0")
    nodes[0].ip("route", "add", "default", "via", "10.77.0.254")
    nodes[1].ip("link", "set", "dev", "eth0", "alias", SCRIPT)


@pytest.fixture(scope="module")
def lab():
    """``(switch, {host name: namespace})``; every namespace deleted when the module's tests end."""
    with netns.namespaces(1 + len(HOSTS), "report") as made:
        switch, nodes = made[0], made[1:]
        build(switch, nodes)
        yield switch, dict(zip(HOSTS, nodes))


def inventory(nodes, directory):
    """An inventory of the lab's hosts, each with an interpreter that runs inside its namespace."""
    lines = ["[lab]"]
    for name, ns in nodes.items():
        wrapper = os.path.join(directory, "python-%s" % name)
        with open(wrapper, "w") as handle:
            handle.write('#!/bin/sh\nexec ip netns exec %s %s "$@"\n' % (ns.name, sys.executable))
        os.chmod(wrapper, 0o755)
        lines.append("%s ansible_python_interpreter=%s" % (name, wrapper))
    lines += ["", "[all:vars]", "ansible_connection=local", ""]
    path = os.path.join(directory, "hosts.ini")
    with open(path, "w") as handle:
        handle.write("\n".join(lines))
    return path


def run_play(lab, collections_path, base, play, runs=1):
    """``play`` run ``runs`` times on the lab; its logs and the model it wrote."""
    switch, nodes = lab
    dest = base / "out"
    book = base / "play.yml"
    book.write_text(play.replace("{dest}", str(dest)))
    hosts = inventory(nodes, str(base))
    logs = [netns.run_playbook(switch, book, collections_path, inventory=hosts, callback="ansible.builtin.default")
            for _run in range(runs)]
    with open(str(dest / "netifs-report.json")) as handle:
        return logs, json.load(handle)


@pytest.fixture(scope="module")
def report(lab, collections_path, tmp_path_factory):
    """The role run twice; ``{model, html, logs}``."""
    base = tmp_path_factory.mktemp("report")
    logs, model = run_play(lab, collections_path, base, PLAY, runs=2)
    return {"model": model, "html": base / "out" / "netifs-report.html", "logs": logs}


def test_shared_subnets_are_the_ones_built(report):
    model = report["model"]
    assert [h["name"] for h in model["hosts"]] == list(HOSTS)
    assert all(h["reason"] is None for h in model["hosts"])
    assert {s["network"]: s["hosts"] for s in model["subnets"] if s["shared"]} == SHARED
    subnets = {s["network"]: s for s in model["subnets"]}
    # each host's own subnet, and docker0's address that every host has, are not shared
    for n, name in enumerate(HOSTS):
        assert subnets["10.78.%d.0/24" % n]["hosts"] == [name]
    assert subnets["172.17.0.0/16"]["hosts"] == list(HOSTS) and not subnets["172.17.0.0/16"]["shared"]
    assert set(subnets) == set(SHARED) | {"10.78.%d.0/24" % n for n in range(3)} | {"172.17.0.0/16"}
    assert subnets["10.77.0.0/24"]["gateways"] == ["10.77.0.254"]
    assert model["hosts"][0]["default_ipv4"] == {"address": "10.77.0.1", "gateway": "10.77.0.254", "interface": "eth0"}
    eth0 = [i for i in model["hosts"][1]["interfaces"] if i["name"] == "eth0"]
    assert eth0[0]["alias"] == SCRIPT


def test_addresses_are_the_kernels(report, lab):
    """Each host's addresses in the report are its global ones that ``ip -j addr`` shows."""
    _switch, nodes = lab
    for host in report["model"]["hosts"]:
        kernel = {(i["ifname"], a["local"], a["prefixlen"]) for i in nodes[host["name"]].ipj("addr")
                  for a in i.get("addr_info", ()) if a.get("scope") == "global"}
        shown = {(i["name"], a["address"], a["prefixlen"]) for i in host["interfaces"] for a in i["addresses"]}
        assert shown == kernel


def test_a_second_run_changes_nothing(report):
    first, second = report["logs"]
    assert "changed: [" in first  # the files were written
    recap = second[second.index("PLAY RECAP"):]
    for name in HOSTS:
        assert "%s" % name in recap
    assert "changed=1" not in recap and "changed=2" not in recap and "failed=0" in recap


def test_facts_gathered_before_are_reused(lab, collections_path, tmp_path):
    """With report_reuse_facts, the role draws the facts the play gathered (eth0's only)."""
    _logs, model = run_play(lab, collections_path, tmp_path, REUSE)
    assert {i["name"] for h in model["hosts"] for i in h["interfaces"]} == {"eth0"}
    assert {s["network"]: s["hosts"] for s in model["subnets"]} == SHARED


def png_pixels(path):
    """``(width, height, [row of (r, g, b)])`` of an 8-bit RGB or RGBA PNG, decoded with zlib."""
    with open(path, "rb") as handle:
        data = handle.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, pos = {}, 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks.setdefault(kind, []).append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and color in (2, 6), "unexpected PNG format: depth %d, color type %d" % (depth, color)
    size = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        unfilter(kind, line, previous, size)
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, size)])
        previous = line
    return width, height, rows


def unfilter(kind, line, previous, size):
    """Undo one scanline's PNG filter (RFC 2083, 6), in place."""
    for i in range(len(line)):
        left = line[i - size] if i >= size else 0
        up = previous[i]
        corner = previous[i - size] if i >= size else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF


def near(pixel, color, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, color))


def chromium(ns, tmp_path, *args):
    """Headless Chromium inside ``ns`` (no packet leaves the lab), with a profile of its own."""
    argv = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=%s" % (tmp_path / "profile")] + list(args)
    return ns.exec_(*argv, timeout=180)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (Debian package chromium)")
def test_page_in_chromium(report, lab, tmp_path):
    switch, _nodes = lab
    url = "file://" + str(report["html"])
    shot = tmp_path / "netifs-report.png"
    chromium(switch, tmp_path, "--screenshot=%s" % shot, "--window-size=%d,%d" % WINDOW, url)
    width, height, rows = png_pixels(str(shot))
    assert (width, height) == WINDOW
    pixels = [p for row in rows for p in row]
    colours = set(pixels)
    assert len(colours) > 50, "the screenshot is nearly blank: %d colours" % len(colours)
    assert sum(1 for p in pixels if p != (255, 255, 255)) > len(pixels) // 50
    # the picture itself: an IPv4 edge (#2563eb) and a shared subnet's box (#047857) are drawn
    assert any(near(p, (0x25, 0x63, 0xeb)) for p in pixels) and any(near(p, (0x04, 0x78, 0x57)) for p in pixels)
    os.makedirs(OUTPUT, exist_ok=True)
    shutil.copy(str(shot), os.path.join(OUTPUT, "netifs-report.png"))
    shutil.copy(str(report["html"]), os.path.join(OUTPUT, "netifs-report.html"))

    dom = chromium(switch, tmp_path, "--dump-dom", url).stdout
    assert "<svg" in dom and 'class="netifs-report"' in dom
    assert "<title>Lab &lt;b&gt;report&lt;/b&gt;</title>" in dom  # the alias's script did not run
    for name in HOSTS:
        assert 'data-host="%s"' % name in dom and "<h3>%s</h3>" % name in dom
    for network in SHARED:
        assert 'data-network="%s"' % network in dom
    assert "<script" not in dom and "&lt;script&gt;document.title='owned'&lt;/script&gt;" in dom
