"""When the project first released: the date of its oldest tag.

Something added and removed before any release was never public to users (API-SURFACE.md), so
the facts stage reads breaks in commits older than the first tag as possible ones only. A
repository with no tags says nothing either way.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from repodigest.errors import RepodigestError
from repodigest.source.gitcli import run_git


def first_release(git_dir: Path) -> datetime | None:
    try:
        output = run_git(
            git_dir,
            "for-each-ref",
            "--sort=creatordate",
            "--count=1",
            "--format=%(creatordate:iso-strict)",
            "refs/tags",
            timeout=60,
        )
    except RepodigestError:
        return None
    text = output.strip()
    return datetime.fromisoformat(text) if text else None
