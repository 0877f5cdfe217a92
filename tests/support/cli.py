"""Running the real `repodigest` command in a subprocess, as a user or a scheduler would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300) -> CliResult:
    merged = {**os.environ, **(env or {})}
    merged.pop("CI", None)
    completed = subprocess.run(
        [sys.executable, "-m", "repodigest", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=merged,
        timeout=timeout,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)
