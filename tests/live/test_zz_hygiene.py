# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs last (file name order): the module-scoped scenario fixtures of the other files have
been finalised by now, so no namespace of this process may be left."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import netns


def test_no_namespace_left_behind():
    assert netns.leftover_namespaces() == [], "namespaces left after their fixtures ended"
