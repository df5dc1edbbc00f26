# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.network_report`` filter: documented in network_report.yml beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netifs.core.plugins.plugin_utils import report_model

PLUGIN = "netifs.core.network_report"


def network_report(hostvars, hosts=None, classes=report_model.DEFAULT_CLASSES, interfaces=None, strict=False):
    """The report's model of the hosts in ``hostvars``: hosts, their interfaces and addresses, subnets."""
    options = report_model.Options(PLUGIN, classes=classes, interfaces=interfaces, strict=strict)
    return report_model.build(hostvars, hosts, options)


class FilterModule(object):
    def filters(self):
        return {"network_report": network_report}
