# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The module runs no subprocess, writes nothing and opens no socket but netlink: ``strace -f``
watches every process start, every file opened, created, renamed or removed, and every socket
made while the module runs on a scenario host, with every subset and destinations to look up.
A control run of a script that does all three shows the trace would catch them.

The module is run as a target runs it, ``python -m <module> ARGS_FILE``, with byte-code writing
off (Python's own ``.pyc`` cache is not the module writing).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import shutil
import sys

import pytest

import netns

pytestmark = [
    pytest.mark.usefixtures("engine_present"),
    pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (Debian package strace)"),
]

MODULE = "ansible_collections.netifs.core.plugins.modules.netifs_facts"
TRACED = "execve,execveat,fork,vfork,clone,clone3,open,openat,openat2,creat,rename,renameat,renameat2," \
         "unlink,unlinkat,mkdir,mkdirat,rmdir,truncate,link,linkat,symlink,symlinkat,socket"
WRITE_FLAGS = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND")
CONTROL = """
import socket, subprocess, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
subprocess.call(["true"])
with open(sys.argv[1], "w") as handle:
    handle.write("x")
"""


def traced(ns, argv, tmp_path, env=None):
    """Run ``argv`` under strace in ``ns``: (its stdout, [(pid, syscall line)] of the trace)."""
    log = tmp_path / "strace.log"
    proc = netns.run(["ip", "netns", "exec", ns.name, "strace", "-f", "-qq", "-s", "256", "-e", "trace=" + TRACED,
                      "-o", str(log)] + argv, env=env)
    calls = []
    for line in log.read_text().splitlines():
        pid, _sep, call = line.partition(" ")
        calls.append((pid, call.strip()))
    return proc.stdout, calls


def sockets(calls):
    """The address family of each socket made."""
    return [re.match(r"socket\((\w+)", c).group(1) for _p, c in calls if c.startswith("socket(")]


def starts_and_writes(calls):
    """The process starts beyond the first ``execve``, and the calls that change the file system
    (or try to: a refused open for writing counts too)."""
    execs = [c for _p, c in calls if c.startswith(("execve(", "execveat("))]
    forks = [c for _p, c in calls if c.startswith(("fork(", "vfork(")) or (
        c.startswith(("clone(", "clone3(")) and "CLONE_THREAD" not in c)]
    writes = [c for _p, c in calls if c.startswith(("open(", "openat(", "openat2(")) and WRITE_FLAGS.search(c)]
    writes += [c for _p, c in calls if c.startswith(("creat(", "rename", "unlink", "mkdir", "rmdir", "truncate",
                                                     "link(", "linkat(", "symlink"))]
    return execs[1:], forks, writes


def test_module_runs_nothing_and_writes_nothing(routes, collections_path, tmp_path):
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
        "gather_subset": ["all"], "destinations": ["10.0.0.9", "2001:db8:ffff::9", "203.0.113.9"]}}))
    env = dict(os.environ, PYTHONPATH=str(collections_path), PYTHONDONTWRITEBYTECODE="1")
    out, calls = traced(routes.ns, [sys.executable, "-m", MODULE, str(args)], tmp_path, env)
    result = json.loads(out)
    assert not result.get("failed"), result
    facts = result["ansible_facts"]["netifs"]
    assert facts["backend"] == "linux_rtnetlink" and facts["interfaces"] and facts["routes"]
    assert len(facts["sources"]) == 3
    assert any(c.startswith("execve(") for _p, c in calls), "the trace saw nothing"
    execs, forks, writes = starts_and_writes(calls)
    assert (execs, forks, writes) == ([], [], [])
    # AF_UNIX is ansible's own module_utils, logging the invocation to /dev/log
    assert set(sockets(calls)) == {"AF_NETLINK", "AF_UNIX"}, sockets(calls)
    assert all("SOCK_DGRAM" in c for _p, c in calls if c.startswith("socket(AF_UNIX")), "only syslog's datagram socket"


def test_the_trace_catches_a_subprocess_and_a_write(routes, tmp_path):
    script = tmp_path / "control.py"
    script.write_text(CONTROL)
    target = tmp_path / "written"
    _out, calls = traced(routes.ns, [sys.executable, "-B", str(script), str(target)], tmp_path)
    execs, forks, writes = starts_and_writes(calls)
    assert any('"true"' in e or "/true" in e for e in execs), execs
    assert forks, "the subprocess's fork or clone was not seen"
    assert any(str(target) in w for w in writes), writes
    assert "AF_INET" in sockets(calls)
