# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The netifs Salt extension: the ``netifs`` grain and the ``netifs`` execution module, both over
the ``netifs`` library (the engine of the netifs.core Ansible collection, not a copy of it).

Salt finds ``grains/`` and ``modules/`` here through the ``salt.loader`` entry point that
pyproject.toml declares; see docs/salt.md.
"""
