# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The ``netifs`` command (and ``python -m netifs``): this host's network as a table or as JSON."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import os
import sys

from .errors import NetifsError
from .facts import SUBSETS, gather

OK, FAILED, USAGE, NO_SOURCE = 0, 1, 2, 3

EPILOG = """\
subsets: %s (default: all; !name removes one, as Ansible's gather_subset)

exit status:
  0  the facts were read
  1  the network could not be read (no netlink socket, or answers that cannot be used)
  2  bad arguments
  3  a --to destination has no source address (the answers are still printed)
""" % ", ".join(SUBSETS)


def parser():
    p = argparse.ArgumentParser(
        prog="netifs", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="This host's network as its kernel sees it: interfaces, classified addresses, "
                    "gateways, best local addresses, and the source address towards destinations.")
    p.add_argument("--json", action="store_true", help="print the full facts schema as JSON, on one line")
    p.add_argument("--pretty", action="store_true",
                   help="with --json, indent it (Python's json then runs its slower pure-Python encoder)")
    p.add_argument("-s", "--subset", action="append", metavar="NAME[,NAME]",
                   help="what to gather; repeat or separate with commas (the table shows routes only "
                        "when routes is named)")
    p.add_argument("-i", "--interfaces", action="append", metavar="PATTERN",
                   help="glob pattern of the interfaces to show; repeat; !PATTERN excludes")
    p.add_argument("--to", nargs="+", metavar="DEST", default=None,
                   help="addresses or host names: the kernel's source address, interface and gateway towards each")
    p.add_argument("--version", action="version", version="netifs " + _version())
    return p


def _version():
    from . import __version__
    return __version__


def _subsets(values):
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _warn(facts):
    for text in facts["warnings"]:
        sys.stderr.write("netifs: warning: %s\n" % text)
    for lost in facts["missing"]:
        family = " (IPv%d)" % lost["family"] if lost.get("family") else ""
        sys.stderr.write("netifs: warning: not read: %s%s: %s\n" % (lost["subset"], family, lost["reason"]))


def _text(facts, args):
    if args.json:
        import json  # only here: a table needs no json
        return json.dumps(facts, indent=2 if args.pretty else None)
    from .render import render
    return render(facts, routes="routes" in (_subsets(args.subset) or ()))


def main(argv=None):
    """Run the command; returns the exit status."""
    p = parser()
    args = p.parse_args(argv)
    if args.pretty and not args.json:
        p.error("--pretty goes with --json")
    try:
        facts = gather(_subsets(args.subset), args.interfaces, args.to)
    except ValueError as exc:
        p.error(str(exc))
    except NetifsError as exc:
        sys.stderr.write("netifs: error: %s\n" % exc)
        return FAILED
    if facts["backend"] is None:
        reasons = sorted({m["reason"] for m in facts["missing"]}) or ["no backend for this system"]
        sys.stderr.write("netifs: error: cannot read this host's network: %s\n" % "; ".join(reasons))
        return FAILED
    _warn(facts)
    try:
        sys.stdout.write(_text(facts, args) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `netifs | head`: the reader has gone, which is no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    if any(entry["error"] or not entry["source"] for entry in facts.get("sources", ())):
        return NO_SOURCE
    return OK
