"""Files repodigest creates: reports follow the process umask (they are meant to be read, served
and committed); the state and the cache of clones are the user's only (0600 / 0700)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from support.day_fixture import DAY, build_day_repo


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(umask: int, args: list[str], home: Path) -> None:
    env = {**os.environ, "REPODIGEST_HOME": str(home)}
    env.pop("CI", None)
    subprocess.run(
        [sys.executable, "-m", "repodigest", "run", *args],
        check=True,
        capture_output=True,
        env=env,
        preexec_fn=lambda: os.umask(umask),
    )


@pytest.mark.parametrize(("umask", "report_mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_reports_follow_the_umask_and_state_and_cache_are_private(tmp_path, umask, report_mode):
    day_repo = build_day_repo(tmp_path / "demo")
    home, out = tmp_path / "home", tmp_path / "out"
    clone_url = f"file://{day_repo.path}"
    _run(umask, ["--repo", clone_url, "--date", DAY, "--out", str(out), "--format", "md,json,html"], home)
    reports = [p for p in out.rglob("*") if p.is_file()]
    assert len(reports) == 3 and {_mode(p) for p in reports} == {report_mode}
    assert _mode(home / "data") == 0o700 and _mode(home / "cache") == 0o700
    state_files = list((home / "data").iterdir())
    assert "state.db" in {p.name for p in state_files}
    assert {_mode(p) for p in state_files} == {0o600}, {p.name: oct(_mode(p)) for p in state_files}


def test_a_configured_sqlite_file_is_private_too(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    config = tmp_path / "repodigest.toml"
    config.write_text(f'[[repositories]]\npath = "{day_repo.path}"\n[state]\ndatabase_url = "sqlite:///state.db"\n')
    _run(0o022, ["--config", str(config), "--date", DAY, "--out", str(tmp_path / "out")], tmp_path / "home")
    assert _mode(tmp_path / "state.db") == 0o600
