# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""netifs: the truth about a host's network, from the kernel's own API.

``gather()`` returns the facts schema documented in docs/schema.md; ``interfaces()``,
``best_local()`` and ``source_for()`` are narrow views of it (docs/python.md).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from .api import best_local, interfaces, source_for  # noqa: F401
from .errors import NetifsError, NoSource  # noqa: F401
from .facts import gather  # noqa: F401

# The library's version, the collection's version (galaxy.yml); tests/unit checks they agree.
__version__ = "0.1.0"
__all__ = ["gather", "interfaces", "best_local", "source_for", "NetifsError", "NoSource", "__version__"]
