# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The engine runs on the target hosts: Python 3.8 and newer, the standard library only, and
relative imports only (so it imports both as ``netifs`` and inside ``ansible_collections``).

``vermin`` finds the newest feature each file needs (a 3.9 ``str.removeprefix``, a 3.10
``match``); the parser of 3.8's grammar and the import walk check the rest.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENGINE = os.path.join(REPO, "plugins", "module_utils", "netifs")
FILES = sorted(os.path.join(ENGINE, name) for name in os.listdir(ENGINE) if name.endswith(".py"))
VERMIN = os.path.join(os.path.dirname(sys.executable), "vermin")


def vermin(*paths):
    return subprocess.run([VERMIN, "-t=3.8-", "--no-tips", "--violations", "--eval-annotations"] + list(paths),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)


def test_vermin_finds_nothing_newer_than_python_3_8():
    proc = vermin(ENGINE)
    assert proc.returncode == 0 and "Target versions not met" not in proc.stdout, proc.stdout


def test_vermin_would_see_a_python_3_9_feature(tmp_path):
    newer = tmp_path / "newer.py"
    newer.write_text('print("netifs".removeprefix("net"))\n')
    proc = vermin(str(newer))
    assert proc.returncode != 0 and "str.removeprefix" in proc.stdout, proc.stdout


@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_python_3_8_grammar(path):
    with open(path) as handle:
        ast.parse(handle.read(), path, feature_version=(3, 8))


@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_standard_library_and_relative_imports_only(path):
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    absolute = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    absolute += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0]
    outside = sorted({name for name in absolute
                      if name.split(".")[0] not in sys.stdlib_module_names and name != "__future__"})
    assert outside == [], "%s imports %s" % (os.path.basename(path), ", ".join(outside))
