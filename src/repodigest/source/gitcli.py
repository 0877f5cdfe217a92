"""Running the git command line.

We drive the `git` executable rather than GitPython or pygit2: one streamed `git log` is the
fastest way to read a day of patches, and only git itself fetches the missing blobs of a
blob-less partial clone on demand (libgit2 does not support partial clones).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from repodigest.credentials import redact
from repodigest.errors import BadInput, SourceError

# Keep user configuration (aliases, external diff drivers, pagers, colour) out of what we parse.
GIT_ENV_OVERRIDES = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "LC_ALL": "C",
    "GIT_CONFIG_NOSYSTEM": "1",
}
GIT_FIXED_OPTIONS = (
    "-c",
    "core.quotepath=off",
    "-c",
    "diff.noprefix=false",
    "-c",
    "diff.mnemonicprefix=false",
    "-c",
    "log.showSignature=false",
    "-c",
    "color.ui=never",
)


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_ENV_OVERRIDES)
    return env


def git_executable() -> str:
    found = shutil.which("git")
    if not found:
        raise BadInput("git is not installed", "install git 2.31 or newer and put it on PATH")
    return found


def git_command(git_dir: Path | None, *args: str) -> list[str]:
    location = ["--git-dir", str(git_dir)] if git_dir is not None else []
    return [git_executable(), *location, *GIT_FIXED_OPTIONS, *args]


def run_git(git_dir: Path | None, *args: str, check: bool = True, timeout: float | None = 600) -> str:
    completed = subprocess.run(
        git_command(git_dir, *args),
        capture_output=True,
        env=git_env(),
        timeout=timeout,
        check=False,
    )
    if check and completed.returncode != 0:
        raise SourceError(f"git {args[0]} failed: {git_error(completed.stderr)}")
    return completed.stdout.decode("utf-8", "replace")


def git_error(stderr: bytes) -> str:
    """git's own words, all of them on one line: the cause is usually in the first line
    ("fatal: unable to access ..."), the last is often only advice ("and the repository exists.")."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return redact(" / ".join(lines)) if lines else "no output"


def find_top_level(path: Path) -> Path | None:
    """The top folder of the work tree containing `path`; None for a bare repository."""
    completed = subprocess.run(
        [git_executable(), "-C", str(path), "rev-parse", "--show-toplevel"],
        capture_output=True,
        env=git_env(),
        check=False,
    )
    text = completed.stdout.decode(errors="replace").strip()
    return Path(text) if completed.returncode == 0 and text else None


def find_git_dir(path: Path) -> Path | None:
    """The git directory of a work tree or bare repository at `path`, or None."""
    if not path.is_dir():
        return None
    completed = subprocess.run(
        [git_executable(), "-C", str(path), "rev-parse", "--absolute-git-dir"],
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if completed.returncode != 0:
        return None
    return Path(completed.stdout.decode().strip())
