# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The engine's other doors, installed as users install them: the wheel built from pyproject.toml
into a fresh venv (the ``netifs`` command against the fact module in the same namespace), and the
Salt extension in a venv with Salt from PyPI (``salt-call --local``: the grain and
``netifs.source_address`` against the engine and ``ip route get``, and the grain with netlink
denied by seccomp).

The Salt venv is kept in .cache/salt-venv between runs (building it takes a minute or two).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os
import shutil
import sys
import zipfile

import pytest

import kernel_view as kv
import netns
from compare import assert_equal

# The command's own escaping, to find non-printable interface names in its table.
sys.path.insert(0, os.path.join(netns.REPO, "plugins", "module_utils"))
from netifs.render import safe  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.usefixtures("engine_present")

ENGINE = os.path.join(netns.REPO, "plugins", "module_utils", "netifs")
SALT_VENV = os.path.join(netns.REPO, ".cache", "salt-venv")
DENY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "deny_netlink.py")
GRAIN_SUBSET = ["all", "!routes", "!stats", "!multicast"]  # the grain's default
HEAVY = {"typing", "json", "asyncio", "ssl", "email", "http", "xml", "logging", "subprocess", "tempfile"}


def _pip(venv, *args):
    netns.run([os.path.join(venv, "bin", "python"), "-m", "pip", "-q", "--disable-pip-version-check"] + list(args),
              timeout=900)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built from a copy of the tree (a build writes build/ and *.egg-info beside the sources)."""
    base = tmp_path_factory.mktemp("wheel")
    src = str(base / "src")
    shutil.copytree(netns.REPO, src, symlinks=True,
                    ignore=shutil.ignore_patterns(".venv", ".cache", ".git", "output", "__pycache__", "*.tar.gz"))
    netns.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(base / "dist"), src], timeout=600)
    (found,) = glob.glob(str(base / "dist" / "netifs-*.whl"))
    return found


@pytest.fixture(scope="module")
def library(wheel, tmp_path_factory):
    """A fresh venv with only the wheel installed; returns its bin directory."""
    venv = str(tmp_path_factory.mktemp("libvenv"))
    netns.run([sys.executable, "-m", "venv", venv])
    _pip(venv, "install", "--no-index", "--no-deps", wheel)
    return os.path.join(venv, "bin")


@pytest.fixture(scope="module")
def salt(wheel):
    """Salt from PyPI in .cache/salt-venv, with the wheel (re)installed; returns its bin directory."""
    if not os.path.exists(os.path.join(SALT_VENV, "bin", "salt-call")):
        shutil.rmtree(SALT_VENV, ignore_errors=True)
        netns.run([sys.executable, "-m", "venv", SALT_VENV])
        _pip(SALT_VENV, "install", "salt")
    _pip(SALT_VENV, "install", "--force-reinstall", "--no-deps", wheel)
    return os.path.join(SALT_VENV, "bin")


@pytest.fixture
def salt_call(salt, tmp_path):
    """``salt_call(ns, *args, deny=False)``: ``salt-call --local --out json ARGS`` inside ``ns``;
    returns (exit status, parsed ``local`` answer or None, stderr)."""
    config = tmp_path / "salt"
    config.mkdir()
    (config / "minion").write_text(
        "file_client: local\nroot_dir: %s\nenable_fqdns_grains: false\nlog_file: %s\nlog_level_logfile: warning\n"
        % (tmp_path / "root", tmp_path / "minion.log"))

    def call(ns, *args, **kwargs):
        argv = ["ip", "netns", "exec", ns.name]
        if kwargs.get("deny"):
            argv += [sys.executable, DENY]
        argv += [os.path.join(salt, "salt-call"), "--local", "-c", str(config), "--out", "json"] + list(args)
        proc = netns.run(argv, check=False, timeout=300)
        try:
            answer = json.loads(proc.stdout)["local"]
        except (ValueError, KeyError):
            answer = None
        return proc.returncode, answer, proc.stderr
    return call


def _steady(facts):
    """Facts without what ticks between two reads: lifetimes and counters."""
    for iface in facts.get("interfaces", {}).values():
        iface.pop("stats", None)
        for addr in iface.get("addresses", ()):
            addr.pop("preferred_lifetime", None)
            addr.pop("valid_lifetime", None)
    return facts


# --- the wheel and the command ----------------------------------------------------------------------

def test_wheel_maps_the_engine_directory(wheel):
    """The package in the wheel is the engine directory itself: the same files, byte for byte."""
    with zipfile.ZipFile(wheel) as archive:
        packaged = {n[len("netifs/"):]: archive.read(n) for n in archive.namelist()
                    if n.startswith("netifs/") and n.endswith(".py")}
        names = archive.namelist()
    engine = {}
    for path in glob.glob(os.path.join(ENGINE, "*.py")):
        with open(path, "rb") as handle:
            engine[os.path.basename(path)] = handle.read()
    assert packaged == engine
    assert "saltext/netifs/grains/netifs_grains.py" in names and "saltext/netifs/modules/netifs_mod.py" in names


@pytest.mark.parametrize("scenario", ["lan", "routes"])
def test_command_json_equals_the_fact_module(request, scenario, library, collections_path):
    host = request.getfixturevalue(scenario)
    proc = host.ns.exec_(os.path.join(library, "netifs"), "--json", "-s", "all,!stats")
    mine = _steady(json.loads(proc.stdout))
    module = _steady(netns.run_module(host.ns, {"gather_subset": ["all", "!stats"]}, collections_path)
                     ["ansible_facts"]["netifs"])
    assert sorted(mine) == sorted(module)
    for key in ("interfaces", "routes", "gateways", "best_local", "default_ipv4", "default_ipv6",
                "all_ipv4_addresses", "all_ipv6_addresses"):
        assert_equal(mine[key], module[key], key)


def test_command_table_shows_every_interface_and_address(lan, library):
    out = lan.ns.exec_(os.path.join(library, "netifs")).stdout
    starts = [line.split("  ")[0] for line in out.splitlines()]
    for name, iface in lan.facts()["interfaces"].items():
        assert safe(name) in starts, name
        for addr in iface["addresses"]:
            assert "%s/%d" % (addr["address"], addr["prefixlen"]) in out
    assert "GATEWAYS" in starts and "BEST LOCAL" in starts


def test_python_m_netifs_and_a_light_start(library):
    python = os.path.join(library, "python")
    assert netns.run([python, "-m", "netifs", "--version"]).stdout.startswith("netifs ")
    probe = ("import sys, os; before = set(sys.modules); from netifs.cli import main; "
             "sys.stdout = open(os.devnull, 'w'); main(['-s', 'interfaces,addresses,gateways']); "
             "sys.stderr.write(' '.join(sorted(set(sys.modules) - before)))")
    loaded = set(netns.run([python, "-c", probe]).stderr.split())
    assert {"netifs.cli", "netifs.render"} <= loaded
    assert not {m.split(".")[0] for m in loaded} & HEAVY, sorted(loaded)


# --- Salt ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dotted():
    """A host whose uplink is named with a dot and a dash, and reaches its default route through it."""
    with netns.namespaces(1, "dots") as (ns,):
        ns.ip("link", "add", "up.link-1", "type", "veth", "peer", "name", "peer-1.x")
        for name in ("lo", "up.link-1", "peer-1.x"):
            ns.ip("link", "set", name, "up")
        ns.ip("addr", "add", "10.77.0.2/24", "dev", "up.link-1")
        ns.ip("addr", "add", "2001:db8:77::2/64", "dev", "up.link-1", "nodad")
        ns.ip("route", "add", "default", "via", "10.77.0.1", "dev", "up.link-1")
        ns.ip("-6", "route", "add", "default", "via", "2001:db8:77::1", "dev", "up.link-1")
        yield ns


def test_salt_grain_equals_the_engine(routes, dotted, salt_call):
    for ns in (routes.ns, dotted):
        rc, answer, err = salt_call(ns, "grains.item", "netifs")
        assert rc == 0, err
        grain = _steady(answer["netifs"])
        engine = _steady(netns.run_engine(ns, subset=GRAIN_SUBSET))
        assert_equal(grain, engine, "netifs grain in %s" % ns)
    assert "up.link-1" in grain["interfaces"]
    assert grain["best_local"]["ipv4"][0]["interface"] == "up.link-1"


def test_salt_source_address_is_the_kernels(routes, dotted, salt_call):
    cases = [(routes.ns, [d for d in routes.info["destinations"] if d not in routes.info["rejected"]]),
             (dotted, ["8.8.8.8", "10.77.0.9", "2001:db8:ffff::1", "fe80::1%up.link-1"])]
    for ns, dests in cases:
        rc, answer, err = salt_call(ns, "netifs.source_address", *dests)
        assert rc == 0, err
        for dest in dests:
            kernel = kv.route_get(ns, dest)
            got = answer[dest]
            assert (got["source"], got["interface"], got["gateway"]) == (
                kernel["source"], kernel["interface"], kernel["gateway"]), dest
        assert_equal(answer, {e["destination"]: e for e in netns.run_engine(ns, subset=["!all"], destinations=dests)
                              ["sources"]}, "sources in %s" % ns)


def test_salt_source_address_failures(routes, salt_call):
    rc, answer, _err = salt_call(routes.ns, "netifs.source_address", "203.0.113.1", "10.20.1.1")
    assert rc == 1
    assert answer["203.0.113.1"]["error"] == "the kernel's route to 203.0.113.1 is of type unreachable"
    assert answer["10.20.1.1"]["error"] is None
    rc, answer, err = salt_call(routes.ns, "netifs.source_address", "10.0.0.0/8")
    assert rc != 0 and "destination '10.0.0.0/8' is not an address or host name" in err + json.dumps(answer)
    rc, answer, err = salt_call(routes.ns, "netifs.best_local", "family=ipv5")
    assert rc != 0 and "family must be ipv4 or ipv6, got 'ipv5'" in err + json.dumps(answer)


def test_salt_grain_with_netlink_denied_is_partial(dotted, salt_call):
    rc, answer, err = salt_call(dotted, "grains.item", "netifs", deny=True)
    assert rc == 0, err
    grain = answer["netifs"]
    assert grain["backend"] == "linux_procfs"  # glibc's getifaddrs(3) is denied with netlink
    assert grain["warnings"][0] == ("fell back to linux_procfs: linux_rtnetlink: [Errno 13] cannot open a netlink "
                                    "socket: Permission denied")
    assert {m["subset"] for m in grain["missing"]} >= {"interfaces"}
    assert "lo" in grain["interfaces"]
    assert "Traceback" not in err
