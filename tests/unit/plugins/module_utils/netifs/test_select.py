"""Tests for netifs.select on fabricated schema records: which addresses may be a source."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from netifs import select


def addr(address, prefixlen=24, family=4, scope="global", flags=(), cls="public"):
    return {"address": address, "prefixlen": prefixlen, "network": None, "family": family, "scope": scope,
            "class": cls, "broadcast": None, "peer": None, "label": None, "flags": list(flags),
            "zone": None, "preferred_lifetime": None, "valid_lifetime": None}


@pytest.mark.parametrize("scope, flags, usable", [
    ("global", [], True), ("site", ["permanent"], True), ("link", [], False), ("host", [], False),
    ("nowhere", [], False), ("global", ["tentative"], False), ("global", ["dadfailed"], False),
    ("global", ["deprecated"], False), ("global", ["optimistic", "temporary", "secondary"], True),
])
def test_usable_address(scope, flags, usable):
    assert select.usable_address(addr("192.0.2.1", scope=scope, flags=flags)) is usable


@pytest.mark.parametrize("address, family, cls, usable", [
    ("239.1.1.1", 4, "multicast", False), ("ff0e::1:3", 6, "multicast", False),
    ("10.0.0.1", 4, "private", True), ("2001:db8::1", 6, "documentation", True),
])
def test_usable_address_multicast_class(address, family, cls, usable):
    for flags in ([], ["mcautojoin"], ["permanent"]):
        assert select.usable_address(addr(address, 32, family, flags=flags, cls=cls)) is usable
