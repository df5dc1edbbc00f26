# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make the engine importable as the top-level package ``netifs``.

The engine (plugins/module_utils/netifs) uses relative imports only, so the same files import both
as ``netifs`` and as ``ansible_collections.netifs.core.plugins.module_utils.netifs``. The unit tests
of the engine use the short name, so they run without an ``ansible_collections`` tree. The directory
of the test helpers (``nlbuild``, ``fakes``) goes on the path too, whatever pytest's import mode.

Tests that import ``ansible_collections.netifs.core`` (the module's) need a collection tree: when
nothing on the path provides one and hacking/lib.sh has made its symlinked tree under
``.cache/collections``, that tree is appended (last), so a plain ``pytest tests/unit`` runs them too.
Under ``ansible-test units`` the collection is already on the path and nothing is added.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.dirname(os.path.dirname(_HERE))
MODULE_UTILS = os.path.join(_REPO, "plugins", "module_utils")
HELPERS = os.path.join(_HERE, "plugins", "module_utils", "netifs")
COLLECTIONS = os.path.join(_REPO, ".cache", "collections")

for _path in (HELPERS, MODULE_UTILS):  # MODULE_UTILS ends up first
    if _path in sys.path:
        sys.path.remove(_path)
    sys.path.insert(0, _path)


def _collection_roots():
    return [p for p in sys.path if os.path.isdir(os.path.join(p or os.curdir, "ansible_collections", "netifs", "core"))]


def _install_collection_finder():
    """Plugin loaders (``lookup_loader.get``) find collection plugins only through ansible-core's
    collection finder, which ansible-test installs for its own runs; do the same otherwise."""
    try:
        from ansible.utils.collection_loader import AnsibleCollectionConfig
        from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    except ImportError:  # no ansible-core: only the engine's tests can run
        return
    if AnsibleCollectionConfig.collection_finder is None and _collection_roots():
        _AnsibleCollectionFinder(paths=_collection_roots())._install()  # pylint: disable=protected-access


if not _collection_roots() and os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections", "netifs", "core")):
    sys.path.append(COLLECTIONS)
_install_collection_finder()
