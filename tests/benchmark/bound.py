# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The result's building cost: what any reader that returns the same facts pays on top of its dumps.

A reader of the full fact set must receive every message, read at least each message's fixed
header (``floor.gather_decode_headers``, the decode floor), and make every dict and list of its
result. Two builders here make the very result ``gather()`` returned, and do nothing else:

* ``marshal.loads`` of it: C code that makes each object from a prepared byte string;
* a generated Python function that builds it in one expression from a tuple of its leaf values
  (ints and strings that already exist): no loop, no call, no text made, no lookup of anything.

The decode floor plus the cheaper of the two is a lower bound for a Python reader: any real one
also walks attributes, turns bytes into numbers and text, and loops.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import marshal

_LITERALS = (type(None), bool)


def _source(value, leaves):
    """The expression that rebuilds ``value``, its ints and strings read from ``v`` (``leaves``)."""
    if isinstance(value, dict):
        return "{%s}" % ",".join("%r:%s" % (key, _source(item, leaves)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "[%s]" % ",".join(_source(item, leaves) for item in value)
    if isinstance(value, _LITERALS):
        return repr(value)
    leaves.append(value)
    return "v[%d]" % (len(leaves) - 1)


def python_builder(facts):
    """A function of no arguments that returns a new copy of ``facts`` built as described above."""
    leaves = []
    code = compile("def build(v):\n    return %s\n" % _source(facts, leaves), "<bound.build>", "exec")
    namespace = {}
    exec(code, namespace)  # pylint: disable=exec-used  # our own generated source, for the benchmark only
    build, values = namespace["build"], tuple(leaves)
    return lambda: build(values)


def marshal_builder(facts):
    """A function of no arguments that makes a new copy of ``facts`` with ``marshal.loads``."""
    blob = marshal.dumps(facts)
    return lambda: marshal.loads(blob)
