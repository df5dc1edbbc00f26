# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One test per address class (``is netifs.core.private_address``, ...): documented in the
``<class>_address.yml`` files beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.module_utils.netifs import classify


def address_class(value, test):
    """The class of an address string (IPv6 may carry ``%zone``) or of an address record's ``address``."""
    address = value
    if isinstance(value, Mapping):
        if "address" not in value:
            raise AnsibleFilterError("netifs.core.%s: expected an address or an address record, got a dict "
                                     "without an address key: %r" % (test, value))
        address = value["address"]
    try:
        return classify.classify(address)
    except ValueError:
        raise AnsibleFilterError("netifs.core.%s: expected an IP address (or an address record), got %r"
                                 % (test, value))


def _test(cls):
    name = "%s_address" % cls

    def test(value):
        return address_class(value, name) == cls
    test.__name__ = name
    test.__doc__ = "Whether an address is of class %s." % cls
    return name, test


TESTS = dict(_test(cls) for cls in classify.CLASSES)


class TestModule(object):
    def tests(self):
        return dict(TESTS)
