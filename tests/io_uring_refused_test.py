#!/usr/bin/env python3
"""An io_uring build of coroserve, started where io_uring_setup is refused,
exits at once with status 1 and a message that says what to do.

Usage: io_uring_refused_test.py PATH/TO/coroserve

The refusal is made the way Docker's default seccomp profile makes it: a
seccomp filter, installed in the child before exec, that fails io_uring_setup
with EPERM and allows everything else. Exits 0 when the check holds, 1 when
not.
"""

import ctypes
import subprocess
import sys

IO_URING_SETUP = 425  # the same number on every architecture
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
EPERM = 1


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte),
                ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def deny_io_uring_setup():
    """Runs in the child between fork and exec."""
    program = (SockFilter * 4)(
        SockFilter(0x20, 0, 0, 0),  # load seccomp_data.nr
        SockFilter(0x15, 0, 1, IO_URING_SETUP),  # == io_uring_setup?
        SockFilter(0x06, 0, 0, SECCOMP_RET_ERRNO | EPERM),
        SockFilter(0x06, 0, 0, SECCOMP_RET_ALLOW))
    prog = SockFprog(len(program), program)
    libc = ctypes.CDLL(None, use_errno=True)
    # Without privileges a filter may only be installed with no_new_privs set.
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
       libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "installing the seccomp filter")


def main():
    binary = sys.argv[1]
    try:
        done = subprocess.run([binary, "--host", "127.0.0.1", "--port", "0"],
                              preexec_fn=deny_io_uring_setup, capture_output=True,
                              text=True, timeout=20)
    except subprocess.TimeoutExpired:
        print("FAIL: coroserve kept running without io_uring")
        return 1
    output = done.stdout + done.stderr
    print(f"exit status {done.returncode}; output:\n{output}")
    expected = ["refused io_uring_setup", "Operation not permitted",
                "run the epoll build", "seccomp"]
    missing = [text for text in expected if text not in output]
    if done.returncode != 1 or missing:
        print(f"FAIL: wanted exit status 1 and {expected} in the output; missing {missing}")
        return 1
    if "system_error" in output or output.count("\n") > 1:
        print("FAIL: wanted one line of output")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
