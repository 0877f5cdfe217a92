"""When the project released: its tags and their dates, oldest first.

Something added and removed before any release was never public to users (API-SURFACE.md), so
the facts stage reads breaks in commits older than the first tag as possible ones only, and a
break of something the latest release before the commit did not have as a possible one too. A
repository with no tags says nothing either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from repodigest.errors import RepodigestError
from repodigest.source.gitcli import run_git


@dataclass(frozen=True)
class Release:
    tag: str
    """The tag's ref, e.g. `refs/tags/v1.2.0`: a revision for `<tag>:<path>`."""
    at: datetime


def releases(git_dir: Path) -> list[Release]:
    try:
        output = run_git(
            git_dir,
            "for-each-ref",
            "--sort=creatordate",
            "--format=%(creatordate:iso-strict) %(refname)",
            "refs/tags",
            timeout=60,
        )
    except RepodigestError:
        return []
    found = []
    for line in output.splitlines():
        when, _, ref = line.strip().partition(" ")
        if when and ref:
            found.append(Release(ref, datetime.fromisoformat(when)))
    return found


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
