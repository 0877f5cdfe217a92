"""Memory the process hands back to the system once a day's work is done with it.

glibc's malloc gives each large buffer (a file's text, a chunk of git's output, a YAML document's
string table) an mmap of its own, returned to the system when freed; but the first time one is
freed it raises that threshold to the buffer's size (up to 32 MB), and from then on such buffers
come from heaps that keep their pages after a free, fragmented by the small objects made between
them. With facts threads each heap grows apart. Fixing the threshold keeps large buffers in
mmaps: mudler/LocalAI 2026-01..04-03 peaked at 263 MB instead of 323 MB, in the same time.
Setting MALLOC_MMAP_THRESHOLD_ does the same from outside; a process started by a user's shell,
a cron job or an Action has no reason to know it.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3
"""mallopt's parameter number, from glibc's malloc.h."""
LARGE_BUFFER = 256 << 10
"""Buffers from this size are mmapped: glibc's default is 128 kB, 256 kB keeps small files' texts
in the heaps, where reusing their pages is cheaper than mapping new ones."""


def give_back_large_buffers() -> bool:
    """Fix malloc's mmap threshold; True when the C library took it (glibc), False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER))
