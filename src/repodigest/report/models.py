"""The report model: everything a renderer needs, and nothing it has to compute from git."""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from repodigest.analysis.models import Accounting, Analysis, Importance
from repodigest.facts.models import CommitFacts
from repodigest.source.models import Commit, RepositoryInfo, Tag


class Stats(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0


class CommitReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    commit: Commit
    facts: CommitFacts
    analysis: Analysis
    url: str | None = None


class Highlight(BaseModel):
    """One line at the top of a repository section pointing at a commit worth reading first."""

    model_config = ConfigDict(frozen=True)

    category: str
    """breaking, security, dependency, feature."""
    items: tuple[str, ...]
    """What the commit changed in that category, e.g. symbol names or `pkg 1.2 → 1.3`."""
    sha: str


class Release(BaseModel):
    """A tag cut in the window, and the project's own version bump it releases, when the
    window holds one (the ReleaseFact of that commit)."""

    model_config = ConfigDict(frozen=True)

    tag: Tag
    url: str | None = None
    """The tagged commit's web page."""
    version: str | None = None
    """The version bump's label, `0.8.0 → 0.9.0`, when a commit of the window made it."""
    version_sha: str | None = None
    """The commit whose manifest moved to this tag's version."""


class RepositoryReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    repository: RepositoryInfo
    commits: tuple[CommitReport, ...] = ()
    releases: tuple[Release, ...] = ()
    """Tags cut in the window, oldest first: shown first in the section."""
    highlights: tuple[Highlight, ...] = ()
    error: str | None = None
    """Set when the repository could not be read; its section then says so."""
    stale: str | None = None
    """Set when the report was read from a cached clone because the fetch failed, and why."""
    history_cut: tuple[str, ...] = ()
    """Short shas where a shallow clone's history ends, at or after the day's start: the day may
    miss commits, and these commits' diffs are unknown."""
    accounting: Accounting = Accounting()

    @property
    def stats(self) -> Stats:
        levels = [c.analysis.importance for c in self.commits]
        return Stats(
            total=len(levels),
            high=levels.count(Importance.HIGH),
            medium=levels.count(Importance.MEDIUM),
            low=levels.count(Importance.LOW),
        )

    def by_importance(self, level: Importance) -> list[CommitReport]:
        return [c for c in self.commits if c.analysis.importance == level]

    def importance_groups(self) -> list[tuple[Importance, list[CommitReport]]]:
        """(level, its commits) from high to low, for the levels that have any: the report's groups."""
        return [(level, commits) for level in Importance if (commits := self.by_importance(level))]


class Report(BaseModel):
    """One day of one or more repositories."""

    model_config = ConfigDict(frozen=True)

    date: Date
    timezone: str
    language: str
    repositories: tuple[RepositoryReport, ...]
    day_summary: str | None = None
    as_of: datetime | None = None
    """Set when the report was made before the day ended (`--date today`): the moment it covers up to."""

    @property
    def failed(self) -> list[RepositoryReport]:
        return [r for r in self.repositories if r.error]

    def only(self, repository: RepositoryReport) -> Report:
        """The same day narrowed to one repository, for its own file. The day's overview stays
        when this is the only repository; with several it belongs to the combined file."""
        summary = self.day_summary if len(self.repositories) == 1 else None
        return self.model_copy(update={"repositories": (repository,), "day_summary": summary})
