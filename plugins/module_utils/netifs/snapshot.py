# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""What a backend hands to the model: one pass over the OS's tables, as parser records
(``links.stub_link``, ``addresses.address_record``, ``routes.route_record`` shapes), with what
could not be read in ``missing`` and what was skipped in ``warnings``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import struct

from .errors import ParseError


class Snapshot:
    """What one pass over the kernel's tables found, as parser records.

    ``nexthops`` maps nexthop object ids to records, or is None when none were read.
    """

    def __init__(self):
        self.links = []
        self.addresses = []
        self.routes = []
        self.nexthops = None
        self.multicast = []
        self.rules = []
        self.missing = []
        self.warnings = []

    def lose(self, subset, family, reason):
        self.missing.append({"subset": subset, "family": family, "reason": reason})

    def collector(self, want, parse, out, skip=None):
        """A dump handler: parse messages of type ``want`` into ``out``; keep going past bad ones."""
        def handle(mtype, buf, start, stop):
            if mtype != want:
                return
            try:
                if skip is None or not skip(buf, start, stop):
                    out.append(parse(buf, start, stop))
            except ParseError as exc:
                self.warnings.append("skipped a malformed message: %s" % exc)
            except (struct.error, IndexError, ValueError) as exc:
                self.warnings.append("skipped a malformed message of type %d: %s" % (mtype, exc))
        return handle
