# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Attach to a persistent tun device (``ip tuntap add``) so that it has carrier, as a running VPN
client's tunnel has, until stdin closes. Run inside the namespace: ``python tun_holder.py NAME``;
prints ``ready`` once attached. Reads nothing from the tunnel and writes nothing to it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fcntl
import os
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def main(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.read()  # until the test closes our stdin
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
