# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.validate`` action: documented in plugins/modules/validate.py.

It runs on the controller only, over facts already gathered, so it needs no connection and
works the same in check mode; the comparison is plugin_utils/validation.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.netifs.core.plugins.plugin_utils.facts_input import find_netifs, netifs_of
from ansible_collections.netifs.core.plugins.plugin_utils.validation import PLUGIN, validate

OPER_STATES = ["unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"]
INTERFACE_SPEC = dict(
    name=dict(type="str", required=True),
    present=dict(type="bool", default=True),
    state=dict(type="str", choices=["up", "down"]),
    oper_state=dict(type="str", choices=OPER_STATES),
    mtu=dict(type="int"),
    mac=dict(type="str"),
    kind=dict(type="str"),
    master=dict(type="str"),
    addresses=dict(type="list", elements="str"),
    addresses_match=dict(type="str", choices=["contains", "exact"], default="contains"),
    multicast=dict(type="list", elements="str"),
)
ROUTE_SPEC = dict(interface=dict(type="str"), gateway=dict(type="str"))
ARGUMENT_SPEC = dict(
    facts=dict(type="dict"),
    interfaces=dict(type="list", elements="dict", options=INTERFACE_SPEC, default=[]),
    default_route=dict(type="dict", options=dict(ipv4=dict(type="dict", options=ROUTE_SPEC),
                                                 ipv6=dict(type="dict", options=ROUTE_SPEC))),
    best_local=dict(type="dict", options=dict(ipv4=dict(type="str"), ipv6=dict(type="str"))),
    peers=dict(type="list", elements="dict", default=[],
               options=dict(host=dict(type="str", required=True), on_link=dict(type="bool", default=False))),
)


def peer_info(hostvars, host):
    """What the inventory and the gathered facts say about peer ``host``, or None when the
    inventory has no such host."""
    if host not in hostvars:
        return None
    entry = hostvars[host]
    facts = netifs_of(entry, PLUGIN) if find_netifs(entry) is not None else None
    return {"interfaces": entry.get("validate_interfaces"), "facts": facts}


def summary_message(result, host):
    checks = len(result["checked"])
    if result["ok"]:
        return "%s: %s matches the inventory (%d checks)" % (PLUGIN, host, checks)
    return "%s: %s differs from the inventory in %d of %d checks:\n%s" % (
        PLUGIN, host, len(result["mismatches"]), checks, result["table"])


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        super(ActionModule, self).run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        host = task_vars.get("inventory_hostname", "host")
        try:
            facts = args["facts"] if args["facts"] is not None else task_vars.get("ansible_facts")
            netifs = netifs_of(facts, PLUGIN)
            hostvars = task_vars.get("hostvars") or {}
            peers = {p["host"]: peer_info(hostvars, p["host"]) for p in args["peers"]}
            result = validate(netifs, args, peers, host)
        except (AnsibleError, ValueError) as exc:
            raise AnsibleActionFail(getattr(exc, "message", None) or str(exc))
        # --diff, or the task keyword diff (which ansible_diff_mode does not see): the role shows
        # the diff itself, since a callback prints one only for a changed task.
        diff_mode = bool(self._play_context.diff or self._task.diff)
        result.update(changed=False, msg=summary_message(result, host), diff_mode=diff_mode)
        return result
