# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.addresses`` filter: documented in addresses.yml beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.module_utils.netifs import classify, select
from ansible_collections.netifs.core.plugins.plugin_utils.filter_options import (
    FLAG_NAMES, SCOPE_NAMES, address_records, bad_record, matcher, name_list, parse_family, selection)

PLUGIN = "netifs.core.addresses"


def addresses(facts, family=None, classes=None, interfaces=None, scopes=None, exclude_flags=None,
              usable=False, records=False, zone=False):
    """The addresses of the interfaces in ``facts``, flattened in the kernel's order and selected."""
    family = parse_family(family, PLUGIN)
    by_class = selection(classes, PLUGIN, "classes", "address class", lambda n: n in classify.CLASSES,
                         ", ".join(classify.CLASSES))
    by_scope = selection(scopes, PLUGIN, "scopes", "scope", lambda n: n in SCOPE_NAMES or n.isdigit(),
                         ", ".join(SCOPE_NAMES) + " or a number")
    dropped = set()
    if exclude_flags is not None:
        dropped = set(name_list(exclude_flags, PLUGIN, "exclude_flags"))
        unknown = sorted(dropped.difference(FLAG_NAMES))
        if unknown:
            raise AnsibleFilterError("%s: unknown address flag %r in exclude_flags; choose from %s"
                                     % (PLUGIN, unknown[0], ", ".join(FLAG_NAMES)))
    match = matcher(interfaces, PLUGIN)
    result = []
    for ifname, iface in address_records(facts, PLUGIN):
        if not match(ifname, iface):
            continue
        for position, addr in enumerate(iface["addresses"]):
            try:
                if ((family is not None and addr["family"] != family)
                        or (by_class is not None and not by_class(addr["class"]))
                        or (by_scope is not None and not by_scope(addr["scope"]))
                        or (dropped and dropped.intersection(addr["flags"]))
                        or (usable and not select.usable_address(addr))):
                    continue
                if records:
                    record = dict(addr)
                    record["interface"] = ifname
                    result.append(record)
                elif zone and addr["family"] == 6 and addr.get("zone"):
                    result.append("%s%%%s" % (addr["address"], addr["zone"]))
                else:
                    result.append(addr["address"])
            except (KeyError, TypeError) as exc:
                raise bad_record(PLUGIN, ifname, position, exc)
    return result


class FilterModule(object):
    def filters(self):
        return {"addresses": addresses}
