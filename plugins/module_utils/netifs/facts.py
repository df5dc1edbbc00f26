# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""``gather()``, the one entry point every door calls, and the checking of its arguments."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from . import backends, model, outbound, sources

SUBSETS = ("interfaces", "addresses", "gateways", "routes", "rules", "multicast", "best_local", "stats")
INTERFACE_SUBSETS = frozenset(("interfaces", "addresses", "multicast", "stats"))
# The subsets made of the OS's answers for the outbound probes (outbound.py).
OUTBOUND_SUBSETS = frozenset(("best_local", "gateways"))
# How the doors (filters, lookups, Salt) may name a family; keys are compared lower-cased.
FAMILY_NAMES = {4: 4, 6: 6, "4": 4, "6": 6, "ipv4": 4, "ipv6": 6}
# What every interface record holds, whatever the subsets.
NAME_KEYS = ("index", "name", "name_bytes")


def parse_subset(values):
    """``gather_subset`` as ``setup`` reads it: names, ``all``, and ``!name`` exclusions.

    Only exclusions means everything else; a name given explicitly survives every exclusion
    (``['!all', 'routes']`` is routes). Raises ValueError naming an unknown entry.
    """
    if values is None:
        return set(SUBSETS)
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",")]
    if not isinstance(values, (list, tuple)):
        raise ValueError("gather_subset must be a list of names, got %r" % (values,))
    include, exclude, explicit = set(), set(), set()
    for value in values:
        if not isinstance(value, str):
            raise ValueError("gather_subset entry %r is not a string" % (value,))
        negated = value.startswith("!")
        name = value[1:] if negated else value
        if name != "all" and name not in SUBSETS:
            raise ValueError("unknown gather_subset entry %r; choose from all, %s (each may start with !)"
                             % (value, ", ".join(SUBSETS)))
        names = set(SUBSETS) if name == "all" else {name}
        (exclude if negated else include).update(names)
        if not negated and name != "all":
            explicit.add(name)
    if not include:
        include = set(SUBSETS)
    return include - (exclude - explicit)


def interface_matcher(patterns):
    """A predicate on interface records from glob patterns; ``!pattern`` excludes.

    An interface matches by its name or any alternative name. Only exclusions means all others.
    """
    if patterns is None:
        return lambda iface: True
    import fnmatch  # here, not at the top: it brings in re, and most runs give no pattern
    if isinstance(patterns, str) or not isinstance(patterns, (list, tuple)):
        raise ValueError("interfaces must be a list of glob patterns, got %r" % (patterns,))
    for p in patterns:
        if not isinstance(p, str) or not p.lstrip("!"):
            raise ValueError("interfaces pattern %r is not a non-empty string" % (p,))
    include = [p for p in patterns if not p.startswith("!")] or ["*"]
    exclude = [p[1:] for p in patterns if p.startswith("!")]

    def match(iface):
        names = [iface["name"]] + iface.get("altnames", [])
        hit = any(fnmatch.fnmatchcase(n, p) for n in names for p in include)
        return hit and not any(fnmatch.fnmatchcase(n, p) for n in names for p in exclude)
    return match


def _need(subsets):
    """What the backend reads: ``outbound`` when the probes are asked about (a backend whose OS
    does not tell the route it matched reads the routes for it, backends.UdpLookup)."""
    need = set(subsets) & {"stats", "multicast", "rules"}
    if subsets & {"addresses", "best_local"}:
        need.add("addresses")
    if subsets & {"routes", "gateways"}:
        need.add("routes")
    if subsets & OUTBOUND_SUBSETS:
        need.add("outbound")
    return need


def unreadable(subsets, reason):
    """Facts for a host whose network API could not be opened at all."""
    facts = {"schema": model.SCHEMA, "backend": None, "subsets": sorted(subsets), "warnings": [],
             "missing": [{"subset": s, "family": None, "reason": reason} for s in sorted(subsets)]}
    return facts


def _view(iface, subsets):
    """What of an interface record the subsets asked for."""
    keep = dict(iface) if "interfaces" in subsets else {
        k: iface[k] for k in NAME_KEYS if k in iface}
    for key in ("addresses", "multicast", "stats"):
        if key in subsets and key in iface:
            keep[key] = iface[key]
        elif key in keep:
            del keep[key]
    return keep


def _route_shown(route, shown):
    """A route is reported unless every interface it leaves through is filtered out."""
    names = {hop["interface"] for hop in route["nexthops"]} | {route["interface"]}
    names.discard(None)
    return not names or bool(names & shown)


def _asker(backend, resolver, route_list):
    """The OS's answers (lookups, matched routes) with this snapshot's interface names."""
    names = resolver.names
    index_of = {name: index for index, name in names.items()}.get

    def name_of(index):
        return resolver.name(index, "a route lookup")

    def match(family, packed):
        found = backend.match(family, packed)
        return None if found is None else model.resolve_route(found[0], found[1], resolver)
    return outbound.Asker(backend.lookup, match, index_of, name_of, route_list or None)


def _ways(asker, snap, backend):
    """Each family's way out (outbound.answer), what it could not tell in ``missing``."""
    ways = [outbound.answer(asker, family) for family in (4, 6)]
    for way in ways:
        text = outbound.disagreement(way)
        if text:
            snap.warnings.append(text)
        if way.get("from_tables"):
            snap.lose("best_local", way["family"], "%s does not tell which route a lookup takes: the route, "
                      "gateway, table and type are the tables' longest match for the probes (no policy "
                      "rules)" % backend.name)
    return ways


def _facts(snap, resolver, request, backend):
    subsets, match, dests = request
    ifaces = model.interfaces(snap, resolver)
    route_list = model.routes(snap, resolver)
    asker = _asker(backend, resolver, route_list)
    ways = _ways(asker, snap, backend) if subsets & OUTBOUND_SUBSETS else []
    shown = {name: iface for name, iface in ifaces.items() if match(iface)}
    facts = {"schema": model.SCHEMA, "backend": backend.name, "subsets": sorted(subsets),
             "missing": snap.missing, "warnings": snap.warnings}
    if subsets & INTERFACE_SUBSETS:
        facts["interfaces"] = {name: _view(iface, subsets) for name, iface in shown.items()}
    if "addresses" in subsets:
        for family in (4, 6):
            facts["all_ipv%d_addresses" % family] = [
                a["address"] for i in shown.values() for a in i["addresses"] if a["family"] == family]
    # With every interface shown (no patterns), so is every route: they only name known interfaces.
    reported = route_list
    if len(shown) < len(ifaces):
        shown_names = set(shown)
        reported = [r for r in route_list if _route_shown(r, shown_names)]
    if "routes" in subsets:
        facts["routes"] = reported
    if "gateways" in subsets:
        facts["gateways"] = model.gateways(reported, outbound.default_ids(ways))
    if "rules" in subsets:
        facts["rules"] = snap.rules  # policy, not interfaces: the interfaces option leaves it whole
    if "best_local" in subsets:
        facts["best_local"] = {"ipv%d" % way["family"]: outbound.best_local(way, ifaces) for way in ways}
        for way in ways:
            facts["default_ipv%d" % way["family"]] = outbound.legacy_default(way, ifaces)
    if dests is not None:
        facts["sources"] = [asker.source(dest) for dest in dests]
    return facts


def gather(subset=None, interfaces=None, destinations=None):
    """The facts of this host in the netifs schema (docs/schema.md).

    ``subset``: gather_subset names (default all); ``interfaces``: glob patterns, ``!`` excludes;
    ``destinations``: addresses or host names to ask the kernel's route lookup about.
    Raises ValueError for a bad argument, NetifsError when the kernel's answers cannot be used.
    """
    subsets = parse_subset(subset)
    match = interface_matcher(interfaces)
    dests = sources.parse_destinations(destinations)
    refused = []
    backend = backends.open_first(_need(subsets), refused)
    if backend is None:
        reason = "; ".join(refused)
        facts = unreadable(subsets, reason)
        if dests is not None:
            facts["sources"] = [sources.failed(d, reason) for d in dests]
        return facts
    with backend:
        def build(snap, lenient):
            resolver = model.Resolver(snap.links, lenient, snap.warnings)
            return _facts(snap, resolver, (subsets, match, dests), backend)
        facts = backend.build(build)
        facts["warnings"][:0] = ["fell back to %s: %s" % (backend.name, text) for text in refused]
    return facts
