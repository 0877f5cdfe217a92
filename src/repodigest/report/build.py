"""Assembling the report model from what the earlier stages produced."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from repodigest.analysis.models import Accounting, Analysis
from repodigest.facts.models import CommitFacts
from repodigest.report.highlights import highlights
from repodigest.report.models import CommitReport, Report, RepositoryReport
from repodigest.source.models import Commit, RepositoryInfo


def repository_report(
    repository: RepositoryInfo,
    analysed: Sequence[tuple[Commit, CommitFacts, Analysis]],
    accounting: Accounting | None = None,
    error: str | None = None,
) -> RepositoryReport:
    entries = [
        CommitReport(commit=commit, facts=facts, analysis=analysis, url=repository.commit_url(commit.sha))
        for commit, facts, analysis in analysed
    ]
    # Newest first, as the reports it replaces; ties broken by sha so reruns are byte-identical.
    entries.sort(key=lambda e: (e.commit.committed_at.timestamp(), e.commit.sha), reverse=True)
    return RepositoryReport(
        repository=repository,
        commits=tuple(entries),
        highlights=tuple(highlights(entries)),
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
