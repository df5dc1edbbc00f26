# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the filter and test plugins accept as facts, and one error for everything else.

A template may hand over ``ansible_facts.netifs`` itself, ``ansible_facts``, a host's
``hostvars`` entry, ``netifs.interfaces``, or a list of interface records; each plugin reads
the same schema (docs/schema.md) through these functions.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

SCHEMA = 1


def netifs_of(value, plugin):
    """The netifs facts dict inside ``value`` (netifs facts, ansible_facts or hostvars)."""
    if isinstance(value, Mapping):
        if "schema" in value and "backend" in value:
            return _checked(value, plugin)
        if isinstance(value.get("netifs"), Mapping):
            return _checked(value["netifs"], plugin)
        facts = value.get("ansible_facts")
        if isinstance(facts, Mapping) and isinstance(facts.get("netifs"), Mapping):
            return _checked(facts["netifs"], plugin)
    raise AnsibleFilterError(
        "%s: expected netifs facts (ansible_facts.netifs, ansible_facts or a hostvars entry, gathered by "
        "netifs.core.netifs_facts), got %s" % (plugin, _describe(value)))


def _checked(netifs, plugin):
    if netifs.get("schema") != SCHEMA:
        raise AnsibleFilterError("%s: netifs facts of schema %r; this collection reads schema %d"
                                 % (plugin, netifs.get("schema"), SCHEMA))
    return netifs


def interfaces_of(value, plugin):
    """Interface records by name, from netifs facts in any accepted form, ``netifs.interfaces``,
    or a list of interface records."""
    if isinstance(value, Mapping) and not _looks_like_facts(value):
        if all(isinstance(v, Mapping) and "name" in v for v in value.values()):
            return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        if all(isinstance(v, Mapping) and "name" in v for v in value):
            return {v["name"]: v for v in value}
    netifs = netifs_of(value, plugin)
    if "interfaces" not in netifs:
        raise AnsibleFilterError("%s: the facts hold no interfaces; gather them with a gather_subset "
                                 "that includes interfaces or addresses" % plugin)
    return netifs["interfaces"]


def require(netifs, key, subset, plugin):
    """``netifs[key]``, or an error naming the gather_subset that provides it."""
    if key not in netifs:
        raise AnsibleFilterError("%s: the facts hold no %s; gather them with gather_subset including %s"
                                 % (plugin, key, subset))
    return netifs[key]


def _looks_like_facts(value):
    return any(k in value for k in ("schema", "netifs", "ansible_facts"))


def _describe(value):
    if isinstance(value, Mapping):
        keys = sorted(str(k) for k in value)
        return "a dict with keys %s" % (", ".join(keys[:8]) + (", ..." if len(keys) > 8 else "") or "none")
    return "a %s" % type(value).__name__
