# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.network_report_html`` filter: documented in network_report_html.yml beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.netifs.core.plugins.plugin_utils import report_html, report_model

PLUGIN = "netifs.core.network_report_html"


def network_report_html(model, title="Network report"):
    """A self-contained HTML page of a network_report model: the picture and the tables."""
    if not isinstance(title, str):
        raise AnsibleFilterError("%s: title must be a string, got %r" % (PLUGIN, title))
    return report_model.rendered(report_html.render, model, PLUGIN, title)


class FilterModule(object):
    def filters(self):
        return {"network_report_html": network_report_html}
