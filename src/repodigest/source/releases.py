"""The project's tags: the releases of a day, and when the project first released.

Every tag is read with one `git for-each-ref` call per repository: its name, the commit it
points at, and its date — the tagger date of an annotated tag, the target commit's committer
date of a lightweight one (git's `creatordate` is exactly that). The walk of the day's commits
stays the only walk of the history.

Something added and removed before any release was never public to users (API-SURFACE.md), so
the facts stage reads breaks in commits older than the first tag as possible ones only, and a
break of something the latest release before the commit did not have as a possible one too. A
repository with no tags says nothing either way.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from repodigest.errors import RepodigestError
from repodigest.source.gitcli import run_git
from repodigest.source.models import Person, Tag

log = logging.getLogger(__name__)

FIELDS = (
    "%(refname:strip=2)",
    "%(objecttype)",
    "%(objectname)",
    "%(*objectname)",
    "%(creatordate:iso-strict)",
    "%(taggername)",
    "%(taggeremail:trim)",
    "%(contents:subject)",
)
SEPARATOR = "\x1f"


def read_tags(git_dir: Path) -> list[Tag]:
    """Every tag that points at a commit, oldest first (ties by name, so the order is stable).
    An unreadable tag list is no tags: releases are news, never a reason to fail a report."""
    try:
        output = run_git(
            git_dir,
            "for-each-ref",
            "--sort=creatordate",
            "--format=" + SEPARATOR.join(FIELDS),
            "refs/tags",
            timeout=60,
        )
    except RepodigestError as error:
        log.warning("tags could not be read: %s", error)
        return []
    tags = [tag for line in output.splitlines() if (tag := _parse(line)) is not None]
    return sorted(tags, key=lambda t: (t.tagged_at, t.name))


def _parse(line: str) -> Tag | None:
    fields = line.split(SEPARATOR)
    if len(fields) != len(FIELDS):
        return None
    name, kind, target, peeled, created, tagger, email, subject = fields
    annotated = kind == "tag"
    sha = peeled if annotated else target
    if not created or not sha or (annotated and not peeled):
        return None  # a tag of a tree or blob, or one without a date: not a release
    if not annotated and kind != "commit":
        return None
    return Tag(
        name=name,
        sha=sha,
        annotated=annotated,
        tagged_at=datetime.fromisoformat(created),
        tagger=Person(name=tagger, email=email) if annotated and tagger else None,
        message=subject if annotated else "",
    )


def first_release(tags: list[Tag]) -> datetime | None:
    return tags[0].tagged_at if tags else None


def commits_since(git_dir: Path, tag: Tag, previous: Tag | None) -> int | None:
    """How many commits the tag has that the previous tag has not: one `git rev-list --count`
    per tag cut in the window (a handful a day at most), never per commit."""
    args = ["rev-list", "--count", tag.sha] + ([f"^{previous.sha}"] if previous else [])
    try:
        return int(run_git(git_dir, *args, timeout=120).strip())
    except (RepodigestError, ValueError):
        return None
