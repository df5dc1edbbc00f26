# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test hosts in network namespaces, for the live tests.

Every namespace made here is named ``nftest-<pid>-<counter>``. Every ``ip`` command carries
``-n NS`` or runs under ``ip netns exec NS``: nothing here reads or changes the root namespace's
links, addresses, routes or rules, and nothing sends a packet anywhere.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import atexit
import itertools
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GATHER_SCRIPT = os.path.join(HERE, "gather_in_ns.py")
PROBE_SCRIPT = os.path.join(HERE, "probe_links.py")
MODULE_FILE = os.path.join(REPO, "plugins", "modules", "netifs_facts.py")
ENGINE_INIT = os.path.join(REPO, "plugins", "module_utils", "netifs", "__init__.py")

NAME_STEM = "nftest-"
PREFIX = "%s%d-" % (NAME_STEM, os.getpid())
_COUNTER = itertools.count()
TIMEOUT = 120


class CommandError(RuntimeError):
    """A command failed; the message carries the command line, exit status and stderr."""

    def __init__(self, argv, returncode, stdout, stderr):
        self.argv = list(argv)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        super().__init__("command %s exited %s\n--- stderr ---\n%s\n--- stdout (tail) ---\n%s"
                         % (subprocess.list2cmdline(self.argv), returncode, stderr.rstrip(),
                            stdout[-2000:].rstrip()))


def run(argv, check=True, env=None, timeout=TIMEOUT):
    """Run ``argv`` (a list, never a shell) and return the CompletedProcess (text mode)."""
    proc = subprocess.run(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, timeout=timeout, check=False)
    if check and proc.returncode != 0:
        raise CommandError(argv, proc.returncode, proc.stdout, proc.stderr)
    return proc


def parse_json(text, argv):
    text = text.strip()
    if not text:  # some ``ip -j`` queries print nothing at all when there is nothing to show
        return []
    try:
        return json.loads(text)
    except ValueError as exc:
        raise AssertionError("%s printed output that is not JSON (%s):\n%s"
                             % (subprocess.list2cmdline(argv), exc, text[:4000]))


def netns_available():
    """(True, '') when ``ip netns`` works here, else (False, why)."""
    try:
        proc = run(["ip", "netns", "list"], check=False, timeout=30)
    except OSError as exc:
        return False, "cannot run ip: %s" % exc
    if proc.returncode != 0:
        return False, "`ip netns list` failed: %s" % proc.stderr.strip()
    return True, ""


def list_namespaces():
    """Names of every namespace ``ip netns list`` shows."""
    out = run(["ip", "netns", "list"]).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def leftover_namespaces(prefix=PREFIX):
    return [name for name in list_namespaces() if name.startswith(prefix)]


def delete_namespace(name):
    """Delete one namespace; no error when it is already gone."""
    if not name.startswith(NAME_STEM):  # never anything these tests did not create
        raise ValueError("refusing to delete namespace %r" % name)
    proc = run(["ip", "netns", "delete", name], check=False)
    if proc.returncode != 0 and name in list_namespaces():
        raise CommandError(["ip", "netns", "delete", name], proc.returncode, proc.stdout, proc.stderr)


def cleanup_leftovers(prefix=PREFIX):
    """Delete every namespace with this process's prefix; return the names deleted."""
    names = leftover_namespaces(prefix)
    for name in names:
        delete_namespace(name)
    return names


_EXIT_CLEANUP = []


def _register_exit_cleanup():
    """Last line of defence (after the fixtures and the session finalizer): at interpreter exit,
    delete whatever namespaces this process still has."""
    if not _EXIT_CLEANUP:
        pid = os.getpid()

        def cleanup():
            if os.getpid() == pid:
                try:
                    cleanup_leftovers()
                except Exception:
                    pass
        atexit.register(cleanup)
        _EXIT_CLEANUP.append(cleanup)


class Netns:
    """One network namespace: ``ip -n NS`` commands, ``ip -j`` queries and the engine run in it."""

    def __init__(self, tag=None):
        self.name = "%s%d" % (PREFIX, next(_COUNTER))
        self.tag = tag
        _register_exit_cleanup()
        run(["ip", "netns", "add", self.name])
        self.alive = True

    def __repr__(self):
        return "<Netns %s%s>" % (self.name, " (%s)" % self.tag if self.tag else "")

    def ip(self, *args):
        """``ip -n NS ARGS``; returns stdout, raises CommandError on failure."""
        return run(["ip", "-n", self.name] + [str(a) for a in args]).stdout

    def ip_ok(self, *args):
        """``ip -n NS ARGS``; True when it worked (for optional features), never raises."""
        return run(["ip", "-n", self.name] + [str(a) for a in args], check=False).returncode == 0

    def ipj(self, *args):
        """``ip -n NS -j ARGS`` parsed from JSON."""
        argv = ["ip", "-n", self.name, "-j"] + [str(a) for a in args]
        return parse_json(run(argv).stdout, argv)

    def exec_(self, *argv, **kwargs):
        """``ip netns exec NS ARGV``; returns the CompletedProcess."""
        return run(["ip", "netns", "exec", self.name] + [str(a) for a in argv], **kwargs)

    def sysctl(self, key, value):
        self.exec_("sysctl", "-q", "-w", "%s=%s" % (key, value))

    def read(self, path):
        """A file (``/proc/net/...``, ``/sys/class/net/...``) as seen inside the namespace."""
        return self.exec_("cat", path).stdout

    def delete(self):
        if self.alive:
            delete_namespace(self.name)
            self.alive = False

    def engine(self, **kwargs):
        return run_engine(self, **kwargs)

    def module(self, args, collections_path):
        return run_module(self, args, collections_path)


def run_engine(ns, as_user=None, **kwargs):
    """``netifs.gather(**kwargs)`` run inside ``ns`` (as uid/gid ``as_user`` when given, through
    ``setpriv``); the facts as parsed JSON."""
    drop = [] if as_user is None else ["setpriv", "--reuid=%d" % as_user, "--regid=%d" % as_user,
                                       "--clear-groups", "--inh-caps=-all"]
    argv = ["ip", "netns", "exec", ns.name] + drop + [sys.executable, "-B", GATHER_SCRIPT, json.dumps(kwargs)]
    return parse_json(run(argv).stdout, argv)


def probe_links(ns):
    """``{ifindex: {name, carrier, ...}}`` straight from an RTM_GETLINK dump (see probe_links.py)."""
    argv = ["ip", "netns", "exec", ns.name, sys.executable, PROBE_SCRIPT]
    return {int(k): v for k, v in parse_json(run(argv).stdout, argv).items()}


def collection_tree(base):
    """``base/ansible_collections/netifs/core`` -> the repository; returns ``base``."""
    ns_dir = os.path.join(str(base), "ansible_collections", "netifs")
    os.makedirs(ns_dir, exist_ok=True)
    link = os.path.join(ns_dir, "core")
    if not os.path.islink(link):
        os.symlink(REPO, link)
    return str(base)


def ansible_env(collections_path):
    """The environment for ``ansible`` commands of the venv running the tests, and its base dir."""
    bindir = os.path.dirname(sys.executable)
    base = str(collections_path)
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": base,
        "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.minimal",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_HOST_KEY_CHECKING": "0",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": os.path.join(base, "tmp-local"),
        "ANSIBLE_REMOTE_TEMP": os.path.join(base, "tmp-remote"),
        "PATH": bindir + os.pathsep + env.get("PATH", ""),
    })
    return env, base


def run_playbook(ns, playbook, collections_path, inventory="localhost,", callback=None):
    """``ansible-playbook PLAYBOOK`` run inside ``ns`` (against localhost unless ``inventory`` is
    given); raises on failure. ``callback`` names another stdout callback than ``minimal``."""
    env, _base = ansible_env(collections_path)
    if callback:
        env["ANSIBLE_STDOUT_CALLBACK"] = callback
    argv = ["ip", "netns", "exec", ns.name, os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            "-c", "local", "-i", inventory, str(playbook)]
    proc = run(argv, check=False, env=env)
    if proc.returncode:
        raise CommandError(argv, proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout


def run_module(ns, args, collections_path, wrap=()):
    """``ansible localhost -m netifs.core.netifs_facts -a ARGS`` run inside ``ns``.

    ``args`` is a dict (sent as JSON) or a ``k=v`` string; ``wrap`` is a command that runs
    ``ansible`` (``[python, deny_netlink.py]``, say). Returns the module's result for
    localhost (``ansible_facts``, ``changed``, ...). ansible-core 2.19 no longer ships a ``json``
    stdout callback (``ansible.builtin.json`` redirects to ansible.posix), so the result is read
    from the builtin ``tree`` callback's file (``ansible -t DIR`` writes ``DIR/localhost``), or else
    from the ``minimal`` callback's ``localhost | STATUS => {json}`` on stdout.
    """
    env, base = ansible_env(collections_path)
    ansible = os.path.join(os.path.dirname(sys.executable), "ansible")
    tree = tempfile.mkdtemp(prefix="tree-", dir=base)
    module_args = json.dumps(args) if isinstance(args, dict) else args
    command = [ansible, "localhost", "-c", "local", "-i", "localhost,", "-t", tree,
               "-m", "netifs.core.netifs_facts", "-a", module_args]
    argv = ["ip", "netns", "exec", ns.name] + list(wrap) + command
    proc = run(argv, check=False, env=env)
    path = os.path.join(tree, "localhost")
    if os.path.exists(path):
        with open(path) as handle:
            return json.load(handle)
    head, sep, body = proc.stdout.partition(" => ")
    if sep and head.startswith("localhost |"):
        try:
            return json.loads(body)
        except ValueError:
            pass
    raise CommandError(argv, proc.returncode, proc.stdout, proc.stderr)


class namespaces:
    """Context manager: ``count`` fresh namespaces, all deleted on exit, whatever happened.

    ``with namespaces(2, "lan") as (ns, peer): ...``
    """

    def __init__(self, count=1, tag=None):
        self.count = count
        self.tag = tag
        self.made = []

    def __enter__(self):
        try:
            for i in range(self.count):
                self.made.append(Netns("%s#%d" % (self.tag, i) if self.tag else None))
        except BaseException:
            self._delete_all()
            raise
        return list(self.made)

    def _delete_all(self):
        errors = []
        for ns in reversed(self.made):
            try:
                ns.delete()
            except Exception as exc:  # keep deleting the others
                errors.append(exc)
        if errors:
            raise errors[0]

    def __exit__(self, *exc):
        self._delete_all()
        return False
