# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""
The truth about a minion's network, from its kernel's own API (rtnetlink on Linux).

Every answer is in the netifs facts schema, the same as the ``netifs`` grain, the ``netifs``
Python library and the ``netifs.core`` Ansible collection give.

:depends: the ``netifs`` library (installed with this extension)
:platform: Linux
"""

import netifs
from netifs import sources
from netifs.facts import FAMILY_NAMES, INTERFACE_SUBSETS
from netifs.errors import NetifsError
from salt.exceptions import CommandExecutionError, SaltInvocationError

__virtualname__ = "netifs"


def __virtual__():
    return __virtualname__


def _names(value, what):
    """A list of strings from a list, or from one string with commas (as the CLI passes it)."""
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SaltInvocationError("%s must be a list of strings or a comma-separated string, got %r" % (what, value))


def _family(value):
    if value is None:
        return None
    key = value.lower() if isinstance(value, str) else value
    if isinstance(key, bool) or key not in FAMILY_NAMES:
        raise SaltInvocationError("family must be ipv4 or ipv6, got %r" % (value,))
    return FAMILY_NAMES[key]


def _gather(**kwargs):
    """``netifs.gather``; a bad argument is SaltInvocationError, an unreadable network CommandExecutionError."""
    try:
        got = netifs.gather(**kwargs)
    except ValueError as exc:
        raise SaltInvocationError(str(exc))
    except NetifsError as exc:
        raise CommandExecutionError("cannot read this minion's network: %s" % exc)
    if got["backend"] is None:
        reasons = sorted({m["reason"] for m in got["missing"]})
        raise CommandExecutionError("cannot read this minion's network: %s" % "; ".join(reasons))
    return got


def facts(subset=None, interfaces=None, destinations=None):
    """
    Return the minion's network facts, the whole netifs schema by default.

    subset
        What to gather, as a list or a comma-separated string: ``interfaces``, ``addresses``,
        ``gateways``, ``routes``, ``rules``, ``multicast``, ``best_local``, ``stats``, or ``all``; ``!name``
        removes one. Default: ``all``.

    interfaces
        Glob patterns of the interfaces to report (``!pattern`` excludes). Default: all.

    destinations
        Addresses or host names to ask the kernel's route lookup about; each gives an entry of
        ``sources``.

    CLI Example:

    .. code-block:: bash

        salt '*' netifs.facts
        salt '*' netifs.facts subset=interfaces,addresses interfaces='eth*,!eth9'
        salt '*' netifs.facts subset='all,!stats' destinations=10.20.0.7,db.example.com
    """
    return _gather(subset=_names(subset, "subset"), interfaces=_names(interfaces, "interfaces"),
                   destinations=_names(destinations, "destinations"))


def interfaces(*patterns, **kwargs):
    """
    Return the minion's interfaces by name, with their addresses.

    patterns
        Glob patterns of the interfaces to return (``!pattern`` excludes). Default: all.

    subset
        Which interface subsets fill each record: ``interfaces``, ``addresses``, ``multicast``,
        ``stats``. Default: ``interfaces,addresses``.

    CLI Example:

    .. code-block:: bash

        salt '*' netifs.interfaces
        salt '*' netifs.interfaces 'eth*' '!eth9' subset=addresses
    """
    subset = _names(kwargs.pop("subset", "interfaces,addresses"), "subset")
    _no_more(kwargs)
    other = set(s.lstrip("!") for s in subset) - INTERFACE_SUBSETS - {"all"}
    if other:
        raise SaltInvocationError("subset %s does not describe interfaces; use interfaces, addresses, multicast, "
                                  "stats" % ", ".join(sorted(other)))
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise SaltInvocationError("interface pattern %r is not a string" % (pattern,))
    got = _gather(subset=subset or ["interfaces"], interfaces=list(patterns) or None)
    return got.get("interfaces", {})


def best_local(family=None):
    """
    Return the minion's best local (outbound) address of each family: the addresses of the
    default route the kernel would use, its preferred source first.

    family
        ``ipv4`` or ``ipv6``: return that family's best address alone (or None).
        Default: ``{ipv4: ..., ipv6: ...}``.

    CLI Example:

    .. code-block:: bash

        salt '*' netifs.best_local
        salt '*' netifs.best_local family=ipv6
    """
    wanted = _family(family)
    best = _gather(subset=["best_local"])["best_local"]
    first = {key: (found[0]["address"] if found else None) for key, found in best.items()}
    return first if wanted is None else first["ipv%d" % wanted]


def source_address(*destinations, **kwargs):
    """
    Return the kernel's own answer for each destination: the source address, interface and
    gateway it would use (as ``ip route get`` asks, ``ip rule`` policy included). Asking sends
    no packet. A destination without an answer has ``error`` set, and the return code is 1.

    destinations
        IPv4 or IPv6 addresses (``fe80::1%eth0`` with a zone) or host names.

    family
        ``ipv4`` or ``ipv6``: resolve host names to that family only.

    CLI Example:

    .. code-block:: bash

        salt '*' netifs.source_address 10.20.0.7
        salt '*' netifs.source_address db.example.com 2001:db8::7 family=ipv6
    """
    family = _family(kwargs.pop("family", None))
    _no_more(kwargs)
    if not destinations:
        raise SaltInvocationError("give at least one destination")
    try:
        entries = sources.sources(list(destinations), family)
    except ValueError as exc:
        raise SaltInvocationError(str(exc))
    if any(sources.missing_source(entry) for entry in entries):
        globals().setdefault("__context__", {})["retcode"] = 1
    return {entry["destination"]: entry for entry in entries}


def _no_more(kwargs):
    unknown = sorted(k for k in kwargs if not k.startswith("__"))  # Salt adds __pub_* keys
    if unknown:
        raise SaltInvocationError("unknown argument %s" % ", ".join(unknown))
