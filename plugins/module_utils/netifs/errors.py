# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The engine's exceptions: every failure it raises on purpose is one of these."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import os


class NetifsError(Exception):
    """Base of every error the engine raises on purpose."""


class ParseError(NetifsError):
    """A kernel message or file that does not have the documented layout.

    ``what`` names the thing being parsed (``RTM_NEWLINK``, ``/proc/net/igmp``),
    ``offset`` is where in its buffer the problem was found.
    """

    def __init__(self, what, offset, detail):
        self.what = what
        self.offset = offset
        self.detail = detail
        super(ParseError, self).__init__("%s at offset %d: %s" % (what, offset, detail))


def _strerror(code):
    try:
        return os.strerror(code)
    except (ValueError, OverflowError):  # a code no errno has, e.g. from INT_MIN negated
        return "unknown error"


class NetlinkError(NetifsError):
    """The kernel answered a netlink request with an error (``NLMSG_ERROR``)."""

    def __init__(self, code, request, extack=None):
        self.errno = code
        self.request = request
        self.extack = extack
        text = "%s failed: [Errno %d] %s" % (request, code, _strerror(code))
        if extack:
            text += " (%s)" % extack
        super(NetlinkError, self).__init__(text)


class DumpInterrupted(NetifsError):
    """The kernel flagged a dump as torn (``NLM_F_DUMP_INTR``) too many times in a row."""


# Errors that mean "the kernel has no such family or message here": an empty answer, not a failure.
# Compared by name because the numbers differ on MIPS and SPARC.
UNSUPPORTED = frozenset((errno.EAFNOSUPPORT, errno.EOPNOTSUPP, errno.EPROTONOSUPPORT))
DENIED = frozenset((errno.EPERM, errno.EACCES))


class TornSnapshot(NetifsError):
    """A snapshot contradicts itself (a record names an interface or nexthop it does not hold):
    the tables changed between two dumps, so the whole snapshot is taken again."""


class NoSource(NetifsError):
    """The kernel gave no source address for a destination (no route, a rejecting route, a name
    that does not resolve). ``entry`` is the ``sources`` entry, with its ``error``."""

    def __init__(self, entry):
        self.entry = entry
        super(NoSource, self).__init__("no source address for %s: %s" % (entry["destination"], entry["error"]))
