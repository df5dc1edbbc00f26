# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the lookup plugins share: their options, the controller's facts read by the engine, and
one error type (``AnsibleLookupError``, naming the plugin) for everything that goes wrong."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.utils.display import Display

from ansible_collections.netifs.core.plugins.module_utils.netifs import facts
from ansible_collections.netifs.core.plugins.module_utils.netifs.errors import NetifsError

display = Display()


def set_options(lookup, plugin, variables, kwargs):
    """``lookup.set_options``, with a bad or unknown option reported as ``AnsibleLookupError``."""
    try:
        lookup.set_options(var_options=variables, direct=kwargs)
    except AnsibleLookupError:
        raise
    except AnsibleError as exc:
        raise AnsibleLookupError("%s: %s" % (plugin, _message(exc)))
    unknown = sorted(str(k) for k in kwargs if k not in lookup._options)
    if unknown:  # set_options ignores them, so a misspelt option would silently do nothing
        raise AnsibleLookupError("%s: unknown option %s; the options are %s"
                                 % (plugin, ", ".join(unknown), ", ".join(sorted(k for k in lookup._options if k[:1] != "_"))))


def _message(exc):
    """The error's text with the help (such as the valid choices) that ansible-core keeps apart."""
    text = getattr(exc, "message", None) or str(exc)
    help_text = getattr(exc, "_help_text", None) or getattr(exc, "help_text", None)
    return "%s %s" % (text, help_text) if help_text else text


def gather(plugin, **kwargs):
    """``netifs.gather(**kwargs)`` on the controller; warnings and missing tables are shown.

    A bad argument, unusable kernel answers, or a controller whose network cannot be read at all
    (no netlink socket, as on a controller that is not Linux) raise ``AnsibleLookupError``.
    """
    try:
        got = facts.gather(**kwargs)
    except (ValueError, NetifsError) as exc:
        raise AnsibleLookupError("%s: %s" % (plugin, exc))
    if got["backend"] is None:
        reasons = sorted({m["reason"] for m in got["missing"]}) or ["no backend"]
        raise AnsibleLookupError("%s: cannot read the controller's network: %s" % (plugin, "; ".join(reasons)))
    for text in got["warnings"]:
        display.warning("%s: %s" % (plugin, text))
    for lost in got["missing"]:
        if isinstance(lost, Mapping):
            display.warning("%s: the controller did not give %s%s: %s" % (
                plugin, lost["subset"], " (IPv%d)" % lost["family"] if lost.get("family") else "",
                lost["reason"]))
    return got
