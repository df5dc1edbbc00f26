# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Option parsing the filter plugins share: families, classes, ``!``-selections, interface
patterns, and the errors for address records that are not in the schema's shape."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.module_utils.netifs import classify
from ansible_collections.netifs.core.plugins.module_utils.netifs.addresses import IFA_FLAG_NAMES
from ansible_collections.netifs.core.plugins.module_utils.netifs.facts import FAMILY_NAMES, interface_matcher
from ansible_collections.netifs.core.plugins.module_utils.netifs.rtnetlink import SCOPES
from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import interfaces_of

SCOPE_NAMES = tuple(SCOPES[k] for k in sorted(SCOPES))
FLAG_NAMES = tuple(sorted({name for table in IFA_FLAG_NAMES.values() for _bit, name in table}))


def is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def parse_family(value, plugin, option="family"):
    """4, 6, or None from ``4``, ``6``, ``'4'``, ``'6'``, ``'ipv4'``, ``'ipv6'`` (any case) or None."""
    if value is None:
        return None
    key = value.lower() if isinstance(value, str) else value
    if isinstance(key, bool) or not isinstance(key, (int, str)) or key not in FAMILY_NAMES:
        raise AnsibleFilterError("%s: %s must be 4, 6, 'ipv4' or 'ipv6', got %r" % (plugin, option, value))
    return FAMILY_NAMES[key]


def name_list(value, plugin, option):
    """A list of strings from one string or a list of them."""
    if isinstance(value, str):
        return [value]
    if not is_list(value):
        raise AnsibleFilterError("%s: %s must be a string or a list of strings, got %r" % (plugin, option, value))
    for item in value:
        if not isinstance(item, str):
            raise AnsibleFilterError("%s: %s entry %r is not a string" % (plugin, option, item))
    return list(value)


def parse_classes(value, plugin, option="classes"):
    """Address classes in the order given, each checked against ``classify.CLASSES``."""
    names = name_list(value, plugin, option)
    for name in names:
        if name not in classify.CLASSES:
            raise AnsibleFilterError("%s: unknown address class %r in %s; choose from %s"
                                     % (plugin, name, option, ", ".join(classify.CLASSES)))
    return names


def selection(value, plugin, option, what, known, choices):
    """A predicate on one value from names where ``!name`` excludes; only exclusions (or none)
    means every other value. ``known(name)`` says whether a name is valid."""
    if value is None:
        return None
    include, exclude = set(), set()
    for entry in name_list(value, plugin, option):
        negated = entry.startswith("!")
        name = entry[1:] if negated else entry
        if not known(name):
            raise AnsibleFilterError("%s: unknown %s %r in %s; choose from %s (each may start with !)"
                                     % (plugin, what, entry, option, choices))
        (exclude if negated else include).add(name)
    return lambda item: (not include or item in include) and item not in exclude


def address_records(value, plugin):
    """``[(ifname, interface record)]`` with every interface's ``addresses`` present, in order."""
    interfaces = interfaces_of(value, plugin)
    for name, iface in interfaces.items():
        if not isinstance(iface, Mapping) or not is_list(iface.get("addresses")):
            raise AnsibleFilterError("%s: the facts hold no addresses (interface %s has none); gather them "
                                     "with gather_subset including addresses" % (plugin, name))
    return list(interfaces.items())


def matcher(patterns, plugin):
    """``facts.interface_matcher`` for a filter, as ``match(ifname, iface)``: a single pattern may be
    a string, and an interface record without a usable name is an error naming it."""
    if isinstance(patterns, str):
        patterns = [patterns]
    elif is_list(patterns):
        patterns = list(patterns)
    try:
        match = interface_matcher(patterns)
    except ValueError as exc:
        raise AnsibleFilterError("%s: %s" % (plugin, exc))
    if patterns is None:
        return lambda ifname, iface: True

    def checked(ifname, iface):
        try:
            return match(iface)
        except (KeyError, TypeError) as exc:
            raise AnsibleFilterError("%s: interface %s is not an interface record (%s %s)"
                                     % (plugin, ifname, type(exc).__name__, exc))
    return checked


def bad_record(plugin, ifname, position, exc):
    """The error for an address record that is not in the schema's shape."""
    what = ("has no %s key" % exc) if isinstance(exc, KeyError) else "is not an address record (%s)" % exc
    return AnsibleFilterError("%s: address %d of interface %s %s" % (plugin, position, ifname, what))
