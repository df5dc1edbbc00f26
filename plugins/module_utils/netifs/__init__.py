# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""netifs: the truth about a host's network, from the kernel's own API.

``gather()`` returns the facts schema documented in docs/schema.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from .facts import gather  # noqa: F401
