# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run ``netifs.gather(**kwargs)`` in the current network namespace and print the facts as JSON.

Usage: ``ip netns exec NS python gather_in_ns.py '{"subset": ["all"]}'``. On an exception the
traceback goes to stderr and the exit status is 1.

For checking that the tests can fail: when ``NETIFS_LIVE_MUTATE`` names a Python file, its
``mutate(result, kwargs)`` may change the facts before they are printed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import runpy
import sys
import traceback

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "plugins", "module_utils"))


def main(argv):
    kwargs = json.loads(argv[1]) if len(argv) > 1 else {}
    try:
        import netifs
        result = netifs.gather(**kwargs)
        mutator = os.environ.get("NETIFS_LIVE_MUTATE")
        if mutator:
            result = runpy.run_path(mutator)["mutate"](result, kwargs) or result
        text = json.dumps(result)
    except Exception:  # report anything, the test shows it
        traceback.print_exc()
        return 1
    sys.stdout.write(text)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
