# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``netifs.core.network_report_svg`` filter: documented in network_report_svg.yml beside this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netifs.core.plugins.plugin_utils import report_model, report_svg

PLUGIN = "netifs.core.network_report_svg"


def network_report_svg(model):
    """The picture of a network_report model, as an SVG document."""
    return report_model.rendered(report_svg.render, model, PLUGIN)


class FilterModule(object):
    def filters(self):
        return {"network_report_svg": network_report_svg}
