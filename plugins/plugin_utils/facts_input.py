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


def find_netifs(value):
    """The netifs facts dict inside ``value`` (netifs facts, ansible_facts or hostvars), or None.

    The schema is not checked here; ``netifs_of`` does that.
    """
    if not isinstance(value, Mapping):
        return None
    if "schema" in value and "backend" in value:
        return value
    if isinstance(value.get("netifs"), Mapping):
        return value["netifs"]
    facts = value.get("ansible_facts")
    if isinstance(facts, Mapping) and isinstance(facts.get("netifs"), Mapping):
        return facts["netifs"]
    return None


def netifs_of(value, plugin):
    """The netifs facts dict inside ``value``, schema checked; an error naming the plugin else."""
    netifs = find_netifs(value)
    if netifs is None:
        raise AnsibleFilterError(
            "%s: expected netifs facts (ansible_facts.netifs, ansible_facts or a hostvars entry, gathered by "
            "netifs.core.netifs_facts), got %s" % (plugin, describe(value)))
    return _checked(netifs, plugin)


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
        raise AnsibleFilterError("%s: the facts hold no interfaces; %s" % (plugin, _why_absent(netifs, "addresses")))
    return netifs["interfaces"]


def require(netifs, key, subset, plugin):
    """``netifs[key]``, or an error naming the gather_subset that provides it."""
    if key not in netifs:
        raise AnsibleFilterError("%s: the facts hold no %s; %s" % (plugin, key, _why_absent(netifs, subset)))
    return netifs[key]


def _why_absent(netifs, subset):
    """Advice for a missing key: gather the subset, unless the host could not give it."""
    lost = [m for m in netifs.get("missing") or () if isinstance(m, Mapping)]
    if netifs.get("backend") is None and lost:
        return "the host could not be read (netifs.missing: %s)" % lost[0].get("reason")
    return "gather them with gather_subset including %s" % subset


def _looks_like_facts(value):
    return any(k in value for k in ("schema", "netifs", "ansible_facts"))


def describe(value):
    """A short description of a value that is not what a plugin wanted, for its error."""
    if isinstance(value, Mapping):
        keys = sorted(str(k) for k in value)
        return "a dict with keys %s" % (", ".join(keys[:8]) + (", ..." if len(keys) > 8 else "") or "none")
    return "a %s" % type(value).__name__
