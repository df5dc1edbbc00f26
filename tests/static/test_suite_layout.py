# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The suite's files import as pytest's default (prepend) mode imports them: by their basename,
the test folders having no ``__init__.py``. Two test files of one name in one pytest run stop the
whole run at collection ("import file mismatch"), so no name may repeat."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# What hacking/test-all.sh hands one pytest run.
RUN = ("tests/unit", "tests/static", "tests/live", "tests/fuzz")


def test_no_two_test_modules_share_a_name():
    seen = collections.defaultdict(list)
    for top in RUN:
        for folder, _dirs, files in os.walk(os.path.join(REPO, top)):
            for name in files:
                if name.endswith(".py") and (name.startswith("test_") or name == "conftest.py"):
                    seen[name].append(os.path.relpath(os.path.join(folder, name), REPO))
    repeated = {name: paths for name, paths in seen.items() if len(paths) > 1 and name != "conftest.py"}
    assert repeated == {}
