# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a command with ``socket(AF_NETLINK, ...)`` denied (EACCES) by a seccomp filter, as a
sandbox that refuses netlink would:

    python deny_netlink.py COMMAND [ARG...]

The filter is the kernel's own (``PR_SET_SECCOMP``), so the denial is real for the command and
everything it starts; nothing in the process is patched. x86_64 and aarch64 only.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ctypes
import errno
import os
import platform
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
BPF_LD_W_ABS = 0x20   # BPF_LD | BPF_W | BPF_ABS
BPF_JEQ_K = 0x15      # BPF_JMP | BPF_JEQ | BPF_K
BPF_RET_K = 0x06      # BPF_RET | BPF_K
AF_NETLINK = 16
# (AUDIT_ARCH_*, __NR_socket) per machine
ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def program(arch, nr_socket):
    """seccomp_data: nr at 0, arch at 4, args[0] (low half, little-endian) at 16."""
    insns = [
        (BPF_LD_W_ABS, 0, 0, 4),
        (BPF_JEQ_K, 0, 5, arch),            # another ABI: allow
        (BPF_LD_W_ABS, 0, 0, 0),
        (BPF_JEQ_K, 0, 3, nr_socket),       # not socket(): allow
        (BPF_LD_W_ABS, 0, 0, 16),
        (BPF_JEQ_K, 0, 1, AF_NETLINK),      # not AF_NETLINK: allow
        (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.EACCES),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return b"".join(struct.pack("=HBBI", *insn) for insn in insns), len(insns)


def deny_netlink():
    arch, nr_socket = ARCHES[platform.machine()]
    code, count = program(arch, nr_socket)
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
    prog = SockFprog(count, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


if __name__ == "__main__":
    deny_netlink()
    os.execvp(sys.argv[1], sys.argv[1:])
