# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""``ip rule`` policy applied offline: which rule of the ``rules`` facts decides a flow, as
``fib_rules_lookup`` (net/core/fib_rules.c) walks them, with the selectors of fib_rule_match,
fib4_rule_match and fib6_rule_match and the suppressors of fib4/fib6_rule_suppress.

A flow is a dict: ``family``, ``value`` (the destination), ``source`` (an integer, or None when
the traffic has no source yet, as a socket before connect(): then no ``from`` rule matches),
``iif`` (``lo`` for traffic the host sends), ``oif`` (the zone, or None), and ``fwmark``,
``uid``, ``ipproto``, ``sport``, ``dport`` (None when not given). A rule that selects on a trait
not given is taken with the value in ASSUMED and reported as undecided.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from .addrselect import contains, network, parse_address

# The rules a kernel starts with: local, main, then default (IPv6 has no default-table rule).
DEFAULT_RULES = {4: ((0, 255), (32766, 254), (32767, 253)), 6: ((0, 255), (32766, 254))}
REJECT_ACTIONS = frozenset(("blackhole", "unreachable", "prohibit"))
# What a flow that does not say is taken to be: unmarked, root's, no transport protocol.
ASSUMED = {"fwmark": 0, "uid": 0, "tos": 0, "ipproto": 0, "sport": 0, "dport": 0}
IPPROTO = {"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "dccp": 33, "gre": 47, "esp": 50, "ah": 51,
           "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132, "udplite": 136}
MARK_MASK = 0xFFFFFFFF


def protocol_number(value):
    """An IP protocol as a number, a digit string or a name (``tcp``); None stays None."""
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.lower() if isinstance(value, str) else ""
    if text.isdigit():
        return int(text)
    if text in IPPROTO:
        return IPPROTO[text]
    raise ValueError("ipproto %r is not a protocol number or one of %s" % (value, ", ".join(sorted(IPPROTO))))


def default_rules(family):
    return [{"family": family, "priority": priority, "action": "lookup", "table": table}
            for priority, table in DEFAULT_RULES[family]]


def ordered(rules, family):
    """The rules of ``family`` in the kernel's order: by priority, equal ones as listed."""
    return sorted((r for r in rules if r.get("family") == family), key=lambda r: r.get("priority", 0))


def _prefix(cidr, family, value):
    """A ``from``/``to`` selector: None or a /0 matches everything, else only a contained value."""
    if cidr is None or network(cidr, family)[1] == 0:
        return True
    return value is not None and contains(cidr, family, value)


def _range(bounds, value):
    return value is not None and bounds[0] <= value <= bounds[1]


def _selectors(rule, flow):
    """``(name, matches, trait given)`` for every selector the rule sets; a trait not given is
    matched as ASSUMED has it."""
    family = flow["family"]
    mask = rule.get("fwmask")
    mask = MARK_MASK if mask is None else mask
    out = [("from", _prefix(rule.get("from"), family, flow["source"]), True),
           ("to", _prefix(rule.get("to"), family, flow["value"]), True)]
    for key in ("iif", "oif"):
        if rule.get(key):
            out.append((key, rule[key] == flow[key], True))
    if rule.get("l3mdev"):
        out.append(("l3mdev", False, True))  # traffic in a VRF is not modelled
    if rule.get("fwmark") is not None and mask:
        out.append(("fwmark", not ((rule["fwmark"] ^ _trait(flow, "fwmark")) & mask), flow["fwmark"] is not None))
    if rule.get("uid_range") is not None:
        out.append(("uid", _range(rule["uid_range"], _trait(flow, "uid")), flow["uid"] is not None))
    if rule.get("tos"):
        out.append(("tos", rule["tos"] == ASSUMED["tos"], False))
    if rule.get("ipproto"):
        out.append(("ipproto", protocol_number(rule["ipproto"]) == _trait(flow, "ipproto"), flow["ipproto"] is not None))
    for port in ("sport", "dport"):
        if rule.get(port + "_range") is not None:
            out.append((port, _range(rule[port + "_range"], _trait(flow, port)), flow[port] is not None))
    return out


def _trait(flow, name):
    return ASSUMED[name] if flow[name] is None else flow[name]


def matches(rule, flow, undecided):
    """Whether ``rule`` selects ``flow``; a rule that only a trait not given could decide is
    added to ``undecided`` with what was assumed."""
    results = _selectors(rule, flow)
    if all(ok for _name, ok, given in results if given):
        missing = [name for name, _ok, given in results if not given]
        hit = all(ok for _name, ok, _given in results)
    else:
        missing, hit = [], False
    hit = hit != bool(rule.get("invert"))
    if missing:
        undecided.append({"priority": rule.get("priority"), "missing": missing,
                          "assumed": "matched" if hit else "not matched"})
    return hit


def suppressed(rule, prefixlen, undecided):
    """fib4/fib6_rule_suppress: a lookup's answer is refused when its prefix is no longer than
    ``suppress_prefixlength``. Interface groups are not in the facts: ``suppress_ifgroup`` is
    reported as undecided and taken as not suppressing."""
    limit = rule.get("suppress_prefixlength")
    if limit is not None and 0 <= limit and prefixlen <= limit:
        return True
    if rule.get("suppress_ifgroup") is not None:
        undecided.append({"priority": rule.get("priority"), "missing": ["suppress_ifgroup"],
                          "assumed": "not suppressed"})
    return False


def walk(rules, flow, lookup, undecided):
    """``(rule, answer)``: the rule that decided and its table's answer (``lookup(table)``, a
    dict with ``prefixlen`` when it routes, ``{"reject": True}`` for a reject route, None when
    the table has nothing), or ``(rule, None)`` for a reject action; ``(None, None)`` when no
    rule answers (the kernel's ENETUNREACH). ``goto`` jumps forward only, as the kernel allows."""
    index = 0
    while index < len(rules):
        rule = rules[index]
        index += 1
        if not matches(rule, flow, undecided):
            continue
        action = rule.get("action") or "lookup"
        if action == "goto":
            target = [i for i, r in enumerate(rules) if r.get("priority") == rule.get("goto") and i >= index]
            index = target[0] if target else index  # an unresolved goto is passed over
            continue
        if action in REJECT_ACTIONS:
            return rule, None
        if action != "lookup":
            continue  # nop
        answer = lookup(rule.get("table"))
        if answer is None or not answer.get("reject") and suppressed(rule, answer["prefixlen"], undecided):
            continue
        return rule, answer
    return None, None


# The largest value of each numeric trait of a flow (marks and uids are 32 bits, ports 16).
TRAIT_LIMITS = {"fwmark": 0xFFFFFFFF, "uid": 0xFFFFFFFF, "ipproto": 255, "sport": 0xFFFF, "dport": 0xFFFF}


def _number(name, value):
    """A numeric trait as given (an int, or a string such as ``0xca6c``), checked; None stays None."""
    if value is None:
        return None
    number = protocol_number(value) if name == "ipproto" else value
    if isinstance(number, str):
        try:
            number = int(number, 0)
        except ValueError:
            number = None
    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= TRAIT_LIMITS[name]:
        raise ValueError("%s %r is not a number from 0 to %d" % (name, value, TRAIT_LIMITS[name]))
    return number


def _source(text, family):
    try:
        fam, value, zone = parse_address(text)
    except ValueError:
        fam = zone = None
    if fam != family or zone:
        raise ValueError("source %r is not an IPv%d address like the destination" % (text, family))
    return value


def make_flow(family, value, zone, loopback, traffic):
    """The flow of a destination and the traffic's traits (``source``, ``iif``, ``fwmark``,
    ``uid``, ``ipproto``, ``sport``, ``dport`` as the caller gave them, None when not given);
    ValueError naming a bad one. Traffic from an ``iif`` is forwarded, and needs its source."""
    iif = traffic.get("iif")
    if iif is not None and (not isinstance(iif, str) or not iif):
        raise ValueError("iif %r is not an interface name" % (iif,))
    if iif is not None and traffic.get("source") is None:
        raise ValueError("traffic from iif %r needs its source address (source)" % (iif,))
    flow = {"family": family, "value": value, "oif": zone, "iif": iif or loopback or "lo",
            "source": None if traffic.get("source") is None else _source(traffic["source"], family)}
    flow.update((name, _number(name, traffic.get(name))) for name in TRAIT_LIMITS)
    return flow
