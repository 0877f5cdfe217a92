"""What repodigest prints to an operator's terminal cannot be rewritten by a repository."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys

from support.cli import run_cli
from support.hostile import DAY, build_hostile_repo


def test_summary_shows_escape_sequences_instead_of_sending_them(tmp_path):
    repo = build_hostile_repo(tmp_path / "demo")
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'[[repositories]]\npath = "{repo.path}"\nname = "demo[/] \\u001b[2J\\u202eevil"\n', encoding="utf-8"
    )
    result = run_cli(
        "run",
        "--config",
        str(config),
        "--date",
        DAY,
        "--tz",
        "Asia/Shanghai",
        "--out",
        str(tmp_path / "out"),
        env={"REPODIGEST_HOME": str(tmp_path / "home")},
    )
    assert result.code == 0, result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "demo[/] ␛[2J⟨U+202E⟩evil" in result.stderr


def test_a_name_with_rich_markup_does_not_crash_the_progress_display(tmp_path):
    """On a real terminal (a pseudo-terminal here) the progress bar shows names through rich."""
    repo = build_hostile_repo(tmp_path / "demo")
    config = tmp_path / "repodigest.toml"
    config.write_text(f'[[repositories]]\npath = "{repo.path}"\nname = "demo[/]"\n', encoding="utf-8")
    env = {**os.environ, "REPODIGEST_HOME": str(tmp_path / "home"), "TERM": "xterm"}
    env.pop("CI", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "repodigest",
            "run",
            "--config",
            str(config),
            "--date",
            DAY,
            "--out",
            str(tmp_path / "out"),
        ],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0, output.decode("utf-8", "replace")
    assert b"Traceback" not in output and b"MarkupError" not in output
    assert b"demo[/]: 2 commits" in output
