"""Assembling the report model from what the earlier stages produced."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from repodigest.analysis.models import Accounting, Analysis
from repodigest.facts.models import CommitFacts, ReleaseFact
from repodigest.report.highlights import highlights
from repodigest.report.models import CommitReport, Release, Report, RepositoryReport
from repodigest.source.models import Commit, RepositoryInfo, Tag


def repository_report(
    repository: RepositoryInfo,
    analysed: Sequence[tuple[Commit, CommitFacts, Analysis]],
    accounting: Accounting | None = None,
    error: str | None = None,
    tags: Sequence[Tag] = (),
) -> RepositoryReport:
    entries = [
        CommitReport(commit=commit, facts=facts, analysis=analysis, url=repository.commit_url(commit.sha))
        for commit, facts, analysis in analysed
    ]
    # Newest first, as the reports it replaces; ties broken by sha so reruns are byte-identical.
    entries.sort(key=lambda e: (e.commit.committed_at.timestamp(), e.commit.sha), reverse=True)
    releases = [_release(tag, repository, entries) for tag in tags]
    return RepositoryReport(
        repository=repository,
        commits=tuple(entries),
        releases=tuple(releases),
        highlights=tuple(highlights(entries, releases)),
        error=error,
        accounting=accounting or Accounting(commits=len(entries)),
    )


def day_report(
    day: date,
    timezone: str,
    language: str,
    repositories: Sequence[RepositoryReport],
    day_summary: str | None = None,
    as_of: datetime | None = None,
) -> Report:
    return Report(
        date=day,
        timezone=timezone,
        language=language,
        repositories=tuple(repositories),
        day_summary=day_summary,
        as_of=as_of,
    )


def _release(tag: Tag, repository: RepositoryInfo, entries: Sequence[CommitReport]) -> Release:
    """The tag, linked to the window's commit that moved the manifest to the tag's version."""
    for entry in reversed(entries):  # oldest first: the bump precedes fix-ups of the same version
        for fact in entry.facts.of_kind(ReleaseFact):
            if names_version(tag.name, fact.new_version):
                return Release(
                    tag=tag, url=repository.commit_url(tag.sha), version=fact.label, version_sha=entry.commit.sha
                )
    return Release(tag=tag, url=repository.commit_url(tag.sha))


def names_version(tag: str, version: str) -> bool:
    """`v0.9.0`, `0.9.0`, `chart-0.9.0` and `sdk/v0.9.0` all name version 0.9.0."""
    version = version.removeprefix("v")
    bare = tag.rsplit("/", 1)[-1].removeprefix("v")
    return bare == version or bare.endswith(f"-{version}") or bare.endswith(f"-v{version}")
