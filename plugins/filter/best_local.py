# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.best_local`` filter: documented in best_local.yml beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.plugin_utils.filter_options import (
    address_records, bad_record, parse_classes, parse_family)
from ansible_collections.netifs.core.plugins.module_utils.netifs import classify, select
from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import netifs_of, require

PLUGIN = "netifs.core.best_local"


def _class_of(address):
    try:
        return classify.classify(address)
    except ValueError as exc:
        raise AnsibleFilterError("%s: best_local holds %s" % (PLUGIN, exc))


def _candidates(netifs, family):
    """The ``best_local`` records of ``family``, each with its ``class``."""
    best = require(netifs, "best_local", "best_local", PLUGIN)
    key = "ipv%d" % family
    entries = best.get(key) if isinstance(best, Mapping) else None
    if not isinstance(entries, Sequence) or isinstance(entries, (str, bytes)):
        raise AnsibleFilterError("%s: best_local of the facts has no %s list" % (PLUGIN, key))
    out = []
    for position, entry in enumerate(entries):
        try:
            record = {"address": entry["address"], "prefixlen": entry["prefixlen"],
                      "interface": entry["interface"]}
        except (KeyError, TypeError) as exc:
            what = ("has no %s key" % exc) if isinstance(exc, KeyError) else "is not a record"
            raise AnsibleFilterError("%s: best_local.%s entry %d %s" % (PLUGIN, key, position, what))
        record["class"] = _class_of(record["address"])
        out.append(record)
    return out


def _fallback(netifs, family, order):
    """Usable addresses of every interface whose class is in ``order``, in that order, then in the
    kernel's order of interfaces and addresses."""
    found = {cls: [] for cls in order}
    for ifname, iface in address_records(netifs, PLUGIN):
        for position, addr in enumerate(iface["addresses"]):
            try:
                if addr["family"] == family and addr["class"] in found and select.usable_address(addr):
                    found[addr["class"]].append({"address": addr["address"], "prefixlen": addr["prefixlen"],
                                                 "interface": ifname, "class": addr["class"]})
            except (KeyError, TypeError) as exc:
                raise bad_record(PLUGIN, ifname, position, exc)
    return [record for cls in order for record in found[cls]]


def best_local(facts, family="ipv4", fallback=None, records=False, first=True):
    """The best local address of ``family`` (or every candidate, best first, with ``first=False``)."""
    family = parse_family(family, PLUGIN)
    if family is None:
        raise AnsibleFilterError("%s: family must be 4, 6, 'ipv4' or 'ipv6', got None" % PLUGIN)
    netifs = netifs_of(facts, PLUGIN)
    order = None
    if fallback is not None:
        order = parse_classes(fallback, PLUGIN, "fallback")
        if not order:
            raise AnsibleFilterError("%s: fallback names no address class" % PLUGIN)
        order = list(dict.fromkeys(order))
        # Checked before it is needed, so that a template does not work on one host and fail on another.
        require(netifs, "interfaces", "addresses", PLUGIN)
    candidates = _candidates(netifs, family)
    if order is not None:
        ranked = [record for cls in order for record in candidates if record["class"] == cls]
        seen = set(record["address"] for record in ranked)
        ranked += [record for record in _fallback(netifs, family, order) if record["address"] not in seen]
        candidates = ranked
    if not records:
        candidates = [record["address"] for record in candidates]
    if first:
        return candidates[0] if candidates else None
    return candidates


class FilterModule(object):
    def filters(self):
        return {"best_local": best_local}
