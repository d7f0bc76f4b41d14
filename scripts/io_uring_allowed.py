#!/usr/bin/env python3
"""Exits 0 when this kernel lets the process set up an io_uring, 1 when it
refuses (seccomp, kernel.io_uring_disabled, a kernel without io_uring), with
the reason on stderr. Asio picks its backend when compiled, so the io_uring
build can only be tested where this holds."""

import ctypes
import os
import sys

IO_URING_SETUP = 425  # the same number on every architecture


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    params = ctypes.create_string_buffer(120)  # struct io_uring_params, zeroed
    fd = libc.syscall(IO_URING_SETUP, 1, params)
    if fd < 0:
        err = ctypes.get_errno()
        print(f"io_uring_setup refused: {os.strerror(err)}", file=sys.stderr)
        return 1
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
