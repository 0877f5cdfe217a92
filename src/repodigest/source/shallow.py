"""Shallow clones: the commits where the history was cut.

git lists them in the repository's `shallow` file and shows them as having no parents, so their
diff is "the whole tree added". That diff is not what the commit changed: the walk reports such a
commit as history cut, with no files and no facts (walk.py), and a day that does not end before
the cut may be missing commits, which the report says (`cut_points`).

repodigest does not deepen the clone itself: a local repository is the user's (a CI checkout, a
work tree) and stays read-only; the report says how to fetch the whole history.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from repodigest.source.gitcli import git_command, git_env, run_git


def shallow_boundaries(git_dir: Path) -> frozenset[str]:
    """The shas git grafted as parentless; empty for a complete clone."""
    if run_git(git_dir, "rev-parse", "--is-shallow-repository").strip() != "true":
        return frozenset()
    listed = Path(run_git(git_dir, "rev-parse", "--git-path", "shallow").strip())
    if not listed.is_absolute():
        listed = git_dir / listed
    try:
        return frozenset(listed.read_text("ascii").split())
    except OSError:
        return frozenset()


def cut_points(git_dir: Path, ref: str) -> list[tuple[str, datetime]]:
    """The boundaries in `ref`'s history, with their committer dates."""
    boundaries = sorted(shallow_boundaries(git_dir))
    if not boundaries:
        return []
    listed = run_git(git_dir, "log", "--no-walk=unsorted", "--format=%H %cI", *boundaries, "--", check=False)
    points = []
    for line in listed.splitlines():
        sha, _, when = line.partition(" ")
        if _is_ancestor(git_dir, sha, ref):  # a boundary of another branch says nothing about this one
            points.append((sha, datetime.fromisoformat(when)))
    return points


def _is_ancestor(git_dir: Path, sha: str, ref: str) -> bool:
    completed = subprocess.run(
        git_command(git_dir, "merge-base", "--is-ancestor", sha, ref), capture_output=True, env=git_env(), check=False
    )
    return completed.returncode == 0
