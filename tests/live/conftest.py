# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Live tests: test hosts built in network namespaces, the engine run inside them, its facts
compared with the kernel's own view (``ip -j``, /proc) of the same namespace.

Needs root and ``ip netns``; the whole directory is skipped otherwise. Every namespace is named
``nftest-<pid>-<n>`` and deleted when its fixture ends, pass or fail; a session finalizer also
deletes any that this process left behind.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import netns  # noqa: E402
import scenarios  # noqa: E402


def _requirements():
    if not sys.platform.startswith("linux"):
        return "live tests need Linux (network namespaces)"
    if os.geteuid() != 0:
        return "live tests need root to create network namespaces (euid is %d)" % os.geteuid()
    ok, why = netns.netns_available()
    if not ok:
        return "live tests need `ip netns`: %s" % why
    return None


SKIP_REASON = _requirements()


def pytest_collection_modifyitems(config, items):
    if SKIP_REASON is None:
        return
    marker = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if str(item.fspath).startswith(HERE + os.sep):
            item.add_marker(marker)


@pytest.fixture(scope="session", autouse=True)
def _namespace_hygiene():
    """Delete, at the very end, any namespace with this process's prefix that is still there."""
    yield
    if SKIP_REASON is None:
        left = netns.cleanup_leftovers()
        if left:
            sys.stderr.write("\nlive tests: deleted leftover namespaces %s\n" % ", ".join(left))


@pytest.fixture(scope="session")
def engine_present():
    """Skip engine tests until plugins/module_utils/netifs/__init__.py exists."""
    if not os.path.exists(netns.ENGINE_INIT):
        pytest.skip("the engine is not there yet: %s is missing" % os.path.relpath(netns.ENGINE_INIT, netns.REPO))
    return True


@pytest.fixture(scope="module")
def lan():
    """veth, bridge and ports, vxlan, tun and tap, labels, lifetimes, p2p, autojoin, odd names,
    an altname, down links, a veth whose peer is in another namespace; a plain default route."""
    yield from scenarios.built("lan", scenarios.build_lan, count=2)


@pytest.fixture(scope="module")
def routes():
    """ECMP, nexthop objects and groups, tables 253 and 100 with an ip rule, reject routes,
    IPv6 defaults of equal metric and different preference, a source-prefix route."""
    yield from scenarios.built("routes", scenarios.build_routes)


@pytest.fixture(scope="module")
def noipv6():
    """IPv6 disabled through sysctl before any link was made."""
    yield from scenarios.built("noipv6", scenarios.build_noipv6)


@pytest.fixture(scope="module")
def nodefault():
    """Interfaces, addresses and a static route; no default route anywhere."""
    yield from scenarios.built("nodefault", scenarios.build_nodefault)


@pytest.fixture(scope="module")
def rejectonly():
    """Only default routes that are never candidates: blackhole, unreachable, TOS, source prefix."""
    yield from scenarios.built("rejectonly", scenarios.build_rejectonly)


@pytest.fixture(scope="module")
def policy():
    """Policy rules of every kind, both families (scenarios.RULES); not one of SCENARIOS: its
    reject and wg-quick rules change what the kernel's lookups answer."""
    yield from scenarios.built("policy", scenarios.build_rules)


SCENARIOS = ("lan", "routes", "noipv6", "nodefault", "rejectonly")


@pytest.fixture(params=SCENARIOS)
def any_scenario(request):
    """Each scenario in turn (module-scoped builds, so each is built once per module)."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    """A directory holding ansible_collections/netifs/core -> the repository (a symlink)."""
    return netns.collection_tree(tmp_path_factory.mktemp("collections"))
