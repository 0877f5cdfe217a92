"""Leases in the state database: exclusive while the holder lives, free once it is gone."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import insert

from repodigest.state.concurrency import LeaseTimeout
from repodigest.state.schema import LeaseRow
from repodigest.state.store import StateStore


def test_a_held_lease_makes_another_holder_wait(tmp_path):
    store = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    other = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with store.leases.hold("publish:2026-02-27"):
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(5)
    with pytest.raises(LeaseTimeout), other.leases.hold("publish:2026-02-27", max_wait=0.5):
        pass
    release.set()
    holder.join()
    started = time.monotonic()
    with other.leases.hold("publish:2026-02-27", max_wait=5):
        assert time.monotonic() - started < 1


def test_the_lease_of_a_killed_run_on_this_host_is_taken_over_at_once(tmp_path):
    store = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with store.engine.begin() as connection:
        connection.execute(
            insert(LeaseRow.__table__),
            [
                {
                    "name": "analyse:x",
                    "owner": "gone",
                    "host": socket.gethostname(),
                    "pid": dead.pid,
                    "expires_at": time.time() + 3600,
                }
            ],
        )
    with store.leases.hold("analyse:x", max_wait=1):
        pass
