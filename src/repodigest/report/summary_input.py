"""What the overview writer reads, built from a finished report: the report stage hands the
analysis stage only its own models, so data keeps flowing one way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from repodigest.analysis.models import SummaryInput, SummaryRepository
from repodigest.report.digest import Digest
from repodigest.report.models import CommitReport, Highlight, Report, RepositoryReport


def day_summary_input(report: Report) -> SummaryInput:
    """The day's overview input: every repository's highlights and analysed commits."""
    return SummaryInput(
        language=report.language,
        repositories=tuple(_repository(r.repository.name, r.highlights, r.commits) for r in report.repositories),
    )


def period_summary_input(digest: Digest, reports: Mapping[str, Mapping[date, RepositoryReport]]) -> SummaryInput:
    """A period's overview input: each repository's days folded into one, oldest day first."""
    repositories = []
    for repository in digest.repositories:
        days = reports.get(repository.repository.key)
        if not days:
            continue
        ordered = [days[day] for day in sorted(days)]
        repositories.append(
            _repository(
                repository.repository.name,
                [h for day in ordered for h in day.highlights],
                [c for day in ordered for c in day.commits],
            )
        )
    return SummaryInput(language=digest.language, repositories=tuple(repositories))


def _repository(name: str, highlights: Iterable[Highlight], commits: Iterable[CommitReport]) -> SummaryRepository:
    return SummaryRepository(name=name, highlights=tuple(highlights), commits=tuple(commits))
