"""The collector waits during start-up, runs again for the work, and is spared at exit."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from repodigest import startup


@pytest.fixture
def collector():
    yield
    gc.unfreeze()
    gc.enable()


def test_start_up_runs_without_collections_and_the_run_with_them(collector) -> None:
    gc.unfreeze()
    startup.starting()
    assert not gc.isenabled()
    made_at_start_up = [[] for _ in range(1000)]
    startup.started()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made_at_start_up)
    assert made_at_start_up


def test_exiting_freezes_what_is_left(collector) -> None:
    gc.unfreeze()
    startup.exiting()
    assert gc.get_freeze_count() > 0


def test_a_command_that_never_builds_a_pipeline_still_ends_cleanly() -> None:
    done = subprocess.run([sys.executable, "-m", "repodigest", "version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.strip()
