# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The convenience calls of the ``netifs`` library, each a narrow view of ``gather()``.

Every value is in the facts schema (docs/schema.md); docs/python.md shows them in use.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

from . import sources as _sources
from .errors import NoSource
from .facts import gather

# The annotations are for type checkers only (they are never evaluated), so that importing the
# library does not import typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Optional, Sequence, Union
    Record = Dict[str, Any]


def interfaces(patterns: Optional[Sequence[str]] = None,
               subset: Iterable[str] = ("interfaces", "addresses")) -> Dict[str, Record]:
    """This host's interfaces by name, in the kernel's order, as ``gather()`` reports them.

    ``patterns``: glob patterns on names and alternative names, ``!`` excludes (default: all).
    ``subset``: which interface subsets fill each record: ``interfaces`` (link attributes),
    ``addresses``, ``multicast``, ``stats``.
    """
    asked = list(subset)
    facts = gather(asked or ["interfaces"], interfaces=list(patterns) if patterns is not None else None)
    return facts.get("interfaces", {})


def best_local(family: Union[int, str] = 4) -> Optional[str]:
    """The address this host would send from by default in ``family`` (4, 6, ``'ipv4'`` or
    ``'ipv6'``), or None when it has no default route of that family with a usable address."""
    key = {4: "ipv4", 6: "ipv6", "ipv4": "ipv4", "ipv6": "ipv6"}.get(family)
    if key is None or isinstance(family, bool):
        raise ValueError("family must be 4, 6, 'ipv4' or 'ipv6', got %r" % (family,))
    best = gather(["best_local"]).get("best_local")
    found = best[key] if best else []
    return found[0]["address"] if found else None


def source_for(destination: str, family: Optional[int] = None) -> Record:
    """The kernel's own answer for one destination (an address, ``addr%zone``, or a host name):
    the ``sources`` entry ``{destination, address, family, source, interface, gateway, table,
    type, error}``. Asking sends no packet.

    Raises ``NoSource`` (with the entry) when the kernel gives no source address, and ValueError
    for a destination that is neither an address nor a host name.
    """
    (entry,) = _sources.sources([destination], family)
    why = _sources.missing_source(entry)
    if why is not None:
        entry["error"] = why
        raise NoSource(entry)
    return entry
