"""This process and others on this host: what leases, runs and temporary files are owned by."""

from __future__ import annotations

import os
import re
import socket


def host_name() -> str:
    """This host's name, safe inside a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "host"


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, it is someone else's
        return True
    return True
