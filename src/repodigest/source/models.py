"""What the git source stage hands to the rest of the pipeline."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class FileStatus(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"
    RENAMED = "renamed"
    COPIED = "copied"
    TYPE_CHANGED = "type_changed"
    UNMERGED = "unmerged"
    UNKNOWN = "unknown"

    @classmethod
    def from_git_letter(cls, letter: str) -> FileStatus:
        return _GIT_LETTERS.get(letter[:1], cls.UNKNOWN)


_GIT_LETTERS = {
    "A": FileStatus.ADDED,
    "M": FileStatus.MODIFIED,
    "D": FileStatus.DELETED,
    "R": FileStatus.RENAMED,
    "C": FileStatus.COPIED,
    "T": FileStatus.TYPE_CHANGED,
    "U": FileStatus.UNMERGED,
}


class FileChange(BaseModel):
    """One file of a commit's diff against its first parent, without the patch text."""

    model_config = ConfigDict(frozen=True)

    path: str
    old_path: str | None = None
    status: FileStatus
    added: int = 0
    removed: int = 0
    binary: bool = False
    old_blob: str | None = None
    new_blob: str | None = None
    old_mode: str | None = None
    new_mode: str | None = None

    @property
    def is_submodule(self) -> bool:
        return "160000" in (self.old_mode, self.new_mode)


class FileDiff(BaseModel):
    """A file change together with its unified-diff text (hunks only, no headers)."""

    model_config = ConfigDict(frozen=True)

    change: FileChange
    patch: str = ""


class Person(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    email: str


class PullRequest(BaseModel):
    """The pull request a commit came from, as its host describes it (GitHub REST `pulls/{n}`):
    why the change was made, where the commit message is thin."""

    model_config = ConfigDict(frozen=True)

    number: int
    title: str
    labels: tuple[str, ...] = ()
    body: str = ""
    """Trimmed to BODY_LIMIT characters; the prompt budget trims further."""
    linked_issues: tuple[int, ...] = ()
    """Issues the body says it closes (`Fixes #12`, `Closes #3`, `Resolves #7`)."""
    state: str = "closed"
    """open, closed; a merged or closed pull request is final and never asked for again."""
    url: str | None = None


class Commit(BaseModel):
    """A commit's metadata and file list; small enough to keep for a whole month."""

    model_config = ConfigDict(frozen=True)

    sha: str
    parents: tuple[str, ...] = ()
    author: Person
    authored_at: datetime
    committer: Person
    committed_at: datetime
    message: str
    files: tuple[FileChange, ...] = ()
    diff_note: str | None = None
    """Set when git could not produce the diff, e.g. objects missing from a partial clone."""
    pull_requests: tuple[PullRequest, ...] = ()
    """Context from the host (optional, needs a token): the pull requests the commit came from."""
    history_cut: bool = False
    """The boundary of a shallow clone: its parents are not in the clone, so its diff is unknown
    (git would show the whole tree as added) and it has no files here."""

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].strip()

    @property
    def body(self) -> str:
        parts = self.message.split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""

    @property
    def short_sha(self) -> str:
        return self.sha[:7]

    @property
    def context_key(self) -> str:
        """Part of an analysis's cache key: what the analysis saw beyond git (pull requests). Empty
        without context, so such analyses stay reusable; with it, a commit first analysed without
        context (or with older context) is analysed again once, with it."""
        if not self.pull_requests:
            return ""
        seen = [(p.number, p.title, p.labels, p.body) for p in self.pull_requests]
        return "|pr:" + hashlib.sha256(repr(seen).encode()).hexdigest()[:12]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def lines_added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def lines_removed(self) -> int:
        return sum(f.removed for f in self.files)


class CommitChange(BaseModel):
    """A commit with the patch text of every file: what one step of the git walk yields."""

    model_config = ConfigDict(frozen=True)

    commit: Commit
    diffs: tuple[FileDiff, ...] = Field(default=())


class RepositoryInfo(BaseModel):
    """Where a repository lives and how people refer to it."""

    model_config = ConfigDict(frozen=True)

    key: str
    """Unique, filesystem-safe folder name for this repository's reports."""
    name: str
    """Display name, usually owner/name."""
    url: str | None = None
    """Web page of the repository when it is hosted somewhere we know."""
    commit_url_template: str | None = None
    """Format string with `{sha}` that links one commit, when the host is known."""
    branch: str

    def commit_url(self, sha: str) -> str | None:
        if not self.commit_url_template:
            return None
        return self.commit_url_template.format(sha=sha)


class Tag(BaseModel):
    """A tag of the repository: a release when it was cut in the report's window."""

    model_config = ConfigDict(frozen=True)

    name: str
    sha: str
    """The commit it points at."""
    annotated: bool
    tagged_at: datetime
    """The tagger date of an annotated tag; the target commit's committer date of a lightweight one."""
    tagger: Person | None = None
    message: str = ""
    """An annotated tag's subject line."""
    previous: str | None = None
    """The tag cut before this one, if any (set for the tags of a report's window)."""
    commits_since_previous: int | None = None
    """Commits this tag has that `previous` has not (all its commits when there is no previous tag)."""

    @property
    def short_sha(self) -> str:
        return self.sha[:7]
