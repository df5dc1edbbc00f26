# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Comparisons of whole lists and dicts with diffs a human can read."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import difflib
import json


def dump(value):
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False, default=repr)


def canon(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


def assert_equal(actual, expected, what):
    """Equal, or fail with a unified diff (``engine`` = actual, ``kernel`` = expected)."""
    if actual == expected:
        return
    diff = "\n".join(difflib.unified_diff(dump(expected).splitlines(), dump(actual).splitlines(),
                                          "kernel", "engine", lineterm="", n=3))
    raise AssertionError("%s differs (- kernel, + engine):\n%s" % (what, diff))


def _closest(record, pool):
    best, score = None, -1
    for cand in pool:
        s = sum(1 for k in record if k in cand and cand[k] == record[k])
        if s > score:
            best, score = cand, s
    return best


def assert_same_multiset(actual, expected, what, label=None):
    """The same records regardless of order (duplicates count); the diff pairs each record
    missing from the engine with the closest extra one and names the fields that differ."""
    a = sorted(actual, key=canon)
    e = sorted(expected, key=canon)
    if a == e:
        return
    extra = list(a)
    missing = []
    for rec in e:
        for i, cand in enumerate(extra):
            if cand == rec:
                del extra[i]
                break
        else:
            missing.append(rec)
    lines = ["%s: %d from the kernel, %d from the engine; %d not matched on each side"
             % (what, len(e), len(a), len(missing))]
    unpaired = list(extra)
    for rec in missing:
        name = label(rec) if label else canon(rec)
        cand = _closest(rec, unpaired) if isinstance(rec, dict) else None
        if cand is not None and isinstance(cand, dict):
            unpaired.remove(cand)
            fields = sorted(set(rec) | set(cand))
            diffs = ["    %s: kernel %s, engine %s"
                     % (k, canon(rec.get(k, "<absent>")), canon(cand.get(k, "<absent>")))
                     for k in fields if rec.get(k, "<absent>") != cand.get(k, "<absent>")]
            lines.append("  %s differs:\n%s" % (name, "\n".join(diffs)))
        else:
            lines.append("  only in the kernel: %s" % canon(rec))
    for cand in unpaired:
        lines.append("  only in the engine: %s" % canon(cand))
    raise AssertionError("\n".join(lines))


def pick(record, keys):
    return {k: record.get(k, "<absent>") for k in keys}
