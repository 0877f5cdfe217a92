"""The library's errors. Each carries a message a user can act on."""

from __future__ import annotations


class RepodigestError(Exception):
    """Base for every error repodigest raises on purpose."""


class BadInput(RepodigestError):
    """The user asked for something that cannot work: exit code 2, nothing written.

    `str(error)` is one line: what is wrong and how to fix it.
    """

    def __init__(self, problem: str, fix: str | None = None) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} — {fix}" if fix else problem)


class SourceError(RepodigestError):
    """A repository could not be read (clone, fetch or walk failed)."""
