# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print ``{ifindex: {name, flags, carrier}}`` of the current namespace as JSON, straight from an
``RTM_GETLINK`` dump.

This is the test's own minimal reader for the few link attributes ``ip -j link`` does not print
as the kernel sent them: ``IFLA_CARRIER`` (ip never prints it) and the raw ``ifi_flags`` (ip drops
``IFF_RUNNING``). It is independent of the engine on purpose.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import socket
import struct
import sys

NLMSG = struct.Struct("=IHHII")
IFINFOMSG = struct.Struct("=BxHiII")
RTA = struct.Struct("=HH")
RTM_GETLINK = 18
RTM_NEWLINK = 16
NLM_F_REQUEST = 1
NLM_F_DUMP = 0x300
NLMSG_DONE = 3
NLMSG_ERROR = 2
IFLA_IFNAME = 3
IFLA_CARRIER = 33


def align(n):
    return (n + 3) & ~3


def main():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    sock.bind((0, 0))
    body = IFINFOMSG.pack(socket.AF_UNSPEC, 0, 0, 0, 0)
    sock.send(NLMSG.pack(NLMSG.size + len(body), RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + body)
    out = {}
    done = False
    while not done:
        data = sock.recv(1 << 20)
        off = 0
        while off + NLMSG.size <= len(data):
            length, mtype, _flags, _seq, _pid = NLMSG.unpack_from(data, off)
            if mtype == NLMSG_DONE:
                done = True
                break
            if mtype == NLMSG_ERROR:
                raise SystemExit("netlink error %d" % struct.unpack_from("=i", data, off + NLMSG.size)[0])
            if mtype == RTM_NEWLINK:
                _fam, _type, index, flags, _change = IFINFOMSG.unpack_from(data, off + NLMSG.size)
                rec = {"flags": flags, "carrier": None, "name": None}
                a = off + NLMSG.size + IFINFOMSG.size
                while a + RTA.size <= off + length:
                    alen, atype = RTA.unpack_from(data, a)
                    if alen < RTA.size:
                        break
                    payload = data[a + RTA.size:a + alen]
                    atype &= 0x3FFF
                    if atype == IFLA_IFNAME:
                        rec["name"] = payload.split(b"\0", 1)[0].decode("utf-8", "backslashreplace")
                    elif atype == IFLA_CARRIER:
                        rec["carrier"] = bool(payload[0])
                    a += align(alen)
                out[index] = rec
            off += align(length)
    sock.close()
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
