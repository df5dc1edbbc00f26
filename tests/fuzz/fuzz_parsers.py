# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Coverage-guided fuzzing (atheris) of the engine's pure parsers.

    python tests/fuzz/fuzz_parsers.py [libFuzzer options] [corpus directories]

Input layout: byte 0 picks the target (``TARGETS``, modulo their number), byte 1 is the mode, the
rest is the target's data. Mode bits 0-1 pick the buffer type (bytes, bytearray, memoryview of
either), bits 2-4 and 5-7 the junk bytes put before and after the data: a payload parser must give
the same answer for the data framed by junk, or it reads outside ``buf[start:stop]``.

The rule every target checks (the reliability issue): any input gives data or a ``ParseError``
with context; never another exception, a loop that does not advance (libFuzzer's -timeout), or
output out of proportion to the input. Importable without atheris: test_fuzz.py replays seeds
through ``run_one``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import functools
import json
import os
import shlex
import struct
import sys

try:
    import atheris
except ImportError:  # the seed replay needs no atheris
    atheris = None

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "plugins", "module_utils")
if MODULE_UTILS not in sys.path:
    sys.path.insert(0, MODULE_UTILS)


def _instrumented():
    """Instrument the engine (only it) when run as the fuzzer, so its branches guide the search."""
    if atheris is not None and __name__ == "__main__":
        return atheris.instrument_imports(include=["netifs"])
    return contextlib.nullcontext()


with _instrumented():
    from netifs import addresses, freebsd_netlink, iphlpapi, links, netlink, nexthops, procfs, route_socket, routes, rules, sockaddr
    from netifs.errors import NetlinkError, ParseError

# Output bound: JSON bytes <= FACTOR * input bytes + CONSTANT. The densest real encodings are a
# multipath hop (8 bytes -> ~150 bytes of JSON with every flag named, ~19x) and a /proc/net/igmp
# group line ("\t0\n", 3 bytes -> ~55 bytes, ~18x); the constant covers the fixed keys of one record
# (a minimal 24-byte link gives ~700 bytes). 32x leaves room for that, and still catches any output
# that grows faster than the input.
FACTOR = 32
CONSTANT = 4096

NLMSG_ERROR = 2
NLMSG_DONE = 3
I32 = struct.Struct("=i")
U16 = struct.Struct("=H")


class FuzzFailure(AssertionError):
    """The rule was broken: a crash the fuzzer reports (with the target's name)."""


def _buffer(raw, flavour):
    """The parsers take bytes, bytearray or memoryview (``Conn`` passes views)."""
    if flavour == 0:
        return bytes(raw)
    if flavour == 1:
        return bytearray(raw)
    if flavour == 2:
        return memoryview(bytearray(raw))
    return memoryview(bytes(raw))


def _frame(mode):
    """(flavour, lead, trail) from the mode byte."""
    return mode & 3, (mode >> 2) & 7, (mode >> 5) & 7


def _check_error(exc):
    """A ParseError must say what it was parsing and where."""
    if not isinstance(exc.what, str) or not exc.what or not isinstance(exc.offset, int):
        raise FuzzFailure("ParseError without context: what=%r offset=%r" % (exc.what, exc.offset))
    return ("ParseError", exc.what)


def _outcome(parse, buf, start, stop):
    try:
        return parse(buf, start, stop)
    except ParseError as exc:
        return _check_error(exc)


def _payload(parse):
    """A target for a ``(buf, start, stop)`` parser: alone, then framed by junk; both must agree."""
    def run(data, mode):
        flavour, lead, trail = _frame(mode)
        alone = _outcome(parse, _buffer(data, flavour), 0, len(data))
        if lead or trail:
            framed = _buffer(b"\xa5" * lead + data + b"\x5a" * trail, flavour)
            other = _outcome(parse, framed, lead, lead + len(data))
            # ParseError offsets are absolute in some parsers: compare the kind and what only.
            if other != alone:
                raise FuzzFailure("framed by %d/%d junk bytes: %r, alone: %r" % (lead, trail, other, alone))
        return alone
    return run


def _error_record(err):
    if err is None:
        return None
    if not isinstance(err, NetlinkError):
        raise FuzzFailure("decode_error returned %r" % (err,))
    return {"errno": err.errno, "request": err.request, "extack": err.extack, "text": str(err)}


def _decode_error(buf, start, stop):
    """``decode_error`` with its flags from the first two bytes (NLM_F_CAPPED, NLM_F_ACK_TLVS)."""
    if stop - start < 2:
        return None
    mflags = U16.unpack_from(buf, start)[0]
    return _error_record(netlink.decode_error(buf, start + 2, stop, mflags, "fuzz request"))


def _messages(data, mode):
    """``iter_messages``: each message after the last, inside the buffer, then the loop ends."""
    out = []
    last = 0
    try:
        for mtype, mflags, seq, start, stop in netlink.iter_messages(_buffer(data, mode & 3), len(data), "fuzz"):
            if start < last + 16 or not start <= stop <= len(data) or len(out) > len(data) // 16:
                raise FuzzFailure("message %d at %d..%d after %d" % (len(out), start, stop, last))
            last = stop
            out.append((mtype, mflags, seq, start, stop))
    except ParseError as exc:
        out.append(_check_error(exc))
    return out


def _reference(buf, start, stop):
    """What ``attr_map`` must return, from the plain walker: the last of a repeated type wins."""
    try:
        return {atype: (s, e) for atype, s, e in netlink.iter_attrs(buf, start, stop)}
    except ParseError as exc:
        return _check_error(exc)


def _attr_maps(data, mode):
    """Many messages of one length, each in a buffer of its own, as ``Conn`` passes them: the
    layout cache keyed by ``(start, stop)`` meets the same key with other contents. Two passes,
    so layouts seen twice are recognised on the second."""
    if not data:
        return []
    size = max(4, data[0])
    chunks = [data[i:i + size] for i in range(1, len(data), size)][:64]
    flavour, lead, trail = _frame(mode)
    out = []
    for _pass in range(2):
        for chunk in chunks:
            buf = _buffer(b"\xa5" * lead + chunk + b"\x5a" * trail, flavour)
            got = _outcome(netlink.attr_map, buf, lead, lead + len(chunk))
            want = _reference(buf, lead, lead + len(chunk))
            if got != want:
                raise FuzzFailure("attr_map %r, the walk %r, for %s" % (got, want, chunk.hex()))
            out.append(sorted(got.items()) if isinstance(got, dict) else got)
    return out


def _route(buf, start, stop):
    """As the snapshot collector does: routes of the local table are skipped unparsed."""
    if routes.is_local_table(buf, start, stop):
        return "local table"
    return routes.parse_route(buf, start, stop)


DISPATCH = {
    16: links.parse_link,  # RTM_NEWLINK
    20: addresses.parse_address,  # RTM_NEWADDR
    24: _route,  # RTM_NEWROUTE
    32: rules.parse_rule,  # RTM_NEWRULE
    58: addresses.parse_multicast,  # RTM_GETMULTICAST
    104: nexthops.parse_nexthop,  # RTM_NEWNEXTHOP
}


def _message(mtype, mflags, buf, start, stop):
    if mtype == NLMSG_ERROR:
        return _error_record(netlink.decode_error(buf, start, stop, mflags, "fuzz dump"))
    if mtype == NLMSG_DONE:
        return -I32.unpack_from(buf, start)[0] if stop - start >= 4 else None
    parse = DISPATCH.get(mtype)
    return None if parse is None else parse(buf, start, stop)


def _datagram(data, mode):
    """A received datagram, as the snapshot walks it: every message to the parser its type picks.
    Mode bit 0: each message in a view of its own (``Conn``) or at its offsets in the datagram.
    A malformed message is skipped, as the collector does; a malformed frame ends the datagram."""
    buf = bytearray(data)
    view = memoryview(buf)
    out = []
    try:
        for mtype, mflags, _seq, start, stop in netlink.iter_messages(buf, len(buf), "fuzz datagram"):
            args = (view[start:stop], 0, stop - start) if mode & 1 else (buf, start, stop)
            try:
                out.append(_message(mtype, mflags, *args))
            except ParseError as exc:
                out.append(_check_error(exc))
    except ParseError as exc:
        out.append(_check_error(exc))
    return out


def _text(parse):
    def run(data, _mode):
        try:
            return parse(bytes(data))
        except ParseError as exc:
            return _check_error(exc)
    return run


# The /proc/net route parsers map interface names to indexes with what the caller read.
PROC_INDEX = {b"lo": 1, b"eth0": 2, b"nf\xff0": 7}


def _net_dev(data):
    """Its keys are names as bytes (the caller matches them to links): as text for the JSON check."""
    return {name.decode("utf-8", "backslashreplace"): counters for name, counters in procfs.parse_net_dev(data).items()}


# The routing-socket targets: payload byte 0 picks the OS, the rest is a sysctl buffer.
ROUTE_SOCKET_OSES = ("darwin", "freebsd", "dragonfly", "openbsd", "netbsd")


def _route_socket(parse):
    """A routing-socket parser run leniently (records and warnings) and strictly (the first
    malformed message a ParseError): the two must agree on a clean buffer."""
    def run(data, mode):
        if not data:
            return []
        plat = sockaddr.PLATFORMS[ROUTE_SOCKET_OSES[data[0] % len(ROUTE_SOCKET_OSES)]]
        buf = _buffer(data[1:], mode & 3)
        warnings = []
        try:
            lenient = parse(buf, plat, warnings)
        except ValueError:  # parse_ifmalist where the OS has no such table
            return "no table"
        try:
            strict = parse(buf, plat, None)
        except ParseError as exc:
            strict = _check_error(exc)
        if not warnings and strict != lenient:
            raise FuzzFailure("no warnings, yet the strict run gave %r" % (strict,))
        if warnings and not (isinstance(strict, tuple) and strict[:1] == ("ParseError",)):
            raise FuzzFailure("warnings %r, yet the strict run raised nothing" % (warnings,))
        return [lenient, warnings] + ([strict] if warnings else [])
    return run


# The RTM_GET answer the rs_get seeds are: to this pid and lookup sequence number.
RS_GET_PID, RS_GET_SEQ = 4242, 7


def _rs_get(data, mode):
    """One read from a routing socket (payload byte 0 picks the OS): our answer, None for any other
    message, or a ParseError."""
    if not data:
        return None
    plat = sockaddr.PLATFORMS[ROUTE_SOCKET_OSES[data[0] % len(ROUTE_SOCKET_OSES)]]
    try:
        return route_socket.parse_get(_buffer(data[1:], mode & 3), plat, RS_GET_PID, RS_GET_SEQ)
    except ParseError as exc:
        return _check_error(exc)


# Where a flat IP Helper buffer is taken to lie: the seeds' pointers are rebased to it, so that
# iphlpapi.Memory reads them (and any pointer outside the buffer is a ParseError, never a crash).
WINDOWS_BASE = 0x10000


def _iphlpapi(walk):
    """A flat buffer as an IP Helper call fills it, its first structure at WINDOWS_BASE. Mode bit
    0: malformed entries skipped into warnings (as windows.py reads) or raised (strict)."""
    def run(data, mode):
        warnings = [] if mode & 1 else None
        try:
            return [walk(WINDOWS_BASE, iphlpapi.Memory(data, WINDOWS_BASE), warnings), warnings]
        except ParseError as exc:
            return _check_error(exc)
    return run


def _forward_rows(base, memory, warnings):
    """With an interface metric and an own address, as windows.py passes them."""
    return iphlpapi.forward_rows(base, {(4, 7): 25}, {"192.168.1.10": "local"}, memory, warnings)


# Append only: a target's index is the first byte of every seed and crash file made for it.
TARGETS = (
    ("link", _payload(links.parse_link)),
    ("address", _payload(addresses.parse_address)),
    ("multicast", _payload(addresses.parse_multicast)),
    ("route", _payload(routes.parse_route)),
    ("nexthop", _payload(nexthops.parse_nexthop)),
    ("igmp", _text(procfs.parse_igmp)),
    ("igmp6", _text(procfs.parse_igmp6)),
    ("messages", _messages),
    ("attr_map", _attr_maps),
    ("decode_error", _payload(_decode_error)),
    ("datagram", _datagram),
    ("if_inet6", _text(procfs.parse_if_inet6)),
    ("net_dev", _text(_net_dev)),
    ("proc_route", _text(functools.partial(procfs.parse_route, index_of=PROC_INDEX))),
    ("ipv6_route", _text(functools.partial(procfs.parse_ipv6_route, index_of=PROC_INDEX))),
    ("rs_iflist", _route_socket(route_socket.parse_iflist)),
    ("rs_dump", _route_socket(route_socket.parse_dump)),
    ("rs_ifmalist", _route_socket(route_socket.parse_ifmalist)),
    # FreeBSD's dialect: the same parsers with its family numbers, then its record translation.
    ("freebsd_link", _payload(freebsd_netlink.parse_link)),
    ("freebsd_address", _payload(freebsd_netlink.parse_address)),
    ("freebsd_route", _payload(freebsd_netlink.parse_route)),
    ("freebsd_nexthop", _payload(freebsd_netlink.parse_nexthop)),
    ("gaa", _iphlpapi(iphlpapi.adapters)),
    ("forward_table", _iphlpapi(_forward_rows)),
    ("rule", _payload(rules.parse_rule)),
    ("rs_get", _rs_get),
)
SELECTOR = {name: index for index, (name, _run) in enumerate(TARGETS)}


def check_output(name, out, size):
    """JSON-serialisable, valid Unicode, and in proportion to the input."""
    try:
        text = json.dumps(out, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise FuzzFailure("%s: output is not JSON: %s" % (name, exc))
    if len(text) > FACTOR * size + CONSTANT:
        raise FuzzFailure("%s: %d bytes of JSON from %d bytes of input" % (name, len(text), size))
    return len(text)


def run_one(data):
    """Run the target ``data`` selects; returns ``(name, output)``. Raises FuzzFailure on a breach."""
    if len(data) < 2:
        return None, None
    name, target = TARGETS[data[0] % len(TARGETS)]
    payload = bytes(data[2:])
    try:
        out = target(payload, data[1])
    except FuzzFailure as exc:
        raise FuzzFailure("%s: %s" % (name, exc))
    except Exception as exc:  # anything but ParseError breaks the rule
        raise FuzzFailure("%s raised %s: %s" % (name, type(exc).__name__, exc)) from exc
    check_output(name, out, len(payload))
    return name, out


# Breaches already filed as tests/fuzz/regressions (xfail in test_fuzz.py): (target, words of the failure).
# With NETIFS_FUZZ_KNOWN=skip the fuzzer passes over them, so that a run looks for new ones.
KNOWN = ()
SKIP_KNOWN = os.environ.get("NETIFS_FUZZ_KNOWN") == "skip"


def fuzz_one_input(data):
    try:
        run_one(data)
    except FuzzFailure as exc:
        if not (SKIP_KNOWN and any(str(exc).startswith(target + ":") and words in str(exc) for target, words in KNOWN)):
            raise


def main():
    if atheris is None:
        sys.exit("atheris is not installed: pip install atheris")
    # libFuzzer starts -jobs and -fork children with argv[0] through the shell: make it this
    # interpreter and script, since the script itself is not executable.
    argv0 = " ".join(shlex.quote(part) for part in (sys.executable, os.path.abspath(__file__)))
    atheris.Setup([argv0] + sys.argv[1:], fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
