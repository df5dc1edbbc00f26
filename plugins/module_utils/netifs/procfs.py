# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Parsers for ``/proc/net/igmp`` and ``/proc/net/igmp6``: multicast memberships on kernels
whose rtnetlink has no ``RTM_GETMULTICAST`` dump for a family.

Both take the file's bytes (names may hold any byte) and return ``{index, address, family}``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import struct

from .errors import ParseError

# /proc/net/igmp prints each group as the in-memory u32 with "%08X": host byte order.
_HOST_U32 = struct.Struct("=I")


def parse_igmp(data):
    """``/proc/net/igmp``: a device line (``idx name : count querier``) then its group lines."""
    out = []
    index = None
    for lineno, line in enumerate(data.split(b"\n")):
        fields = line.split()
        if not fields or lineno == 0:
            continue
        try:
            if line[:1] in (b"\t", b" "):
                if index is None:
                    raise ValueError("group line before any device line")
                packed = _HOST_U32.pack(int(fields[0], 16))
                out.append({"index": index, "address": socket.inet_ntop(socket.AF_INET, packed),
                            "family": 4})
            else:
                index = int(fields[0])
        except (ValueError, struct.error) as exc:
            raise ParseError("/proc/net/igmp line %d" % (lineno + 1), 0, str(exc))
    return out


def parse_igmp6(data):
    """``/proc/net/igmp6``: ``idx name group users flags timer``, the group as 32 hex digits."""
    out = []
    for lineno, line in enumerate(data.split(b"\n")):
        fields = line.split()
        if not fields:
            continue
        try:
            packed = bytes.fromhex(fields[2].decode("ascii"))
            if len(packed) != 16:
                raise ValueError("group of %d bytes" % len(packed))
            out.append({"index": int(fields[0]), "address": socket.inet_ntop(socket.AF_INET6, packed),
                        "family": 6})
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            raise ParseError("/proc/net/igmp6 line %d" % (lineno + 1), 0, str(exc))
    return out
