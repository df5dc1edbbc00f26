# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""``python -m netifs``: the ``netifs`` command."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
