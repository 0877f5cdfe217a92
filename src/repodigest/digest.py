"""The period job: a digest of a week, a month or a range of days, built from the day reports
kept in the state. Days not yet reported are made first, exactly as `backfill` makes them (one
git walk, analyses from the cache, the day files written and published); days already reported
are not read from git, and nothing already analysed is analysed again."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from repodigest.analysis.models import Accounting, DaySummary, SummaryInput
from repodigest.errors import BadInput
from repodigest.period import Period
from repodigest.pipeline import Pipeline, PlannedRepository, RunResult, render_documents
from repodigest.publish.base import Edition, Publication
from repodigest.report.digest import digest
from repodigest.report.models import Report, RepositoryReport
from repodigest.report.summary_input import period_summary_input

log = logging.getLogger(__name__)

StoredDays = Callable[[str, Sequence[date], str], Mapping[date, RepositoryReport]]
"""(repository key, days, variant) → the stored reports among those days (StateStore.day_reports)."""


@dataclass
class DigestResult:
    edition: Edition
    backfill: RunResult | None
    """The run that made the days that were missing, if any were."""
    days_stored: int
    """Repository-days taken from the state."""
    days_made: int
    publications: list[Publication] = field(default_factory=list)
    publish_errors: list[str] = field(default_factory=list)
    accounting: Accounting = field(default_factory=Accounting)


@dataclass
class DigestJob:
    pipeline: Pipeline
    """Makes the missing days, and publishes through its publishers."""
    stored: StoredDays
    renderers: Sequence
    """Digest renderers (render.registry.digest_renderers_for)."""
    summarizer: Callable[[SummaryInput], DaySummary] | None = None
    """Writes the period's overview from the folded digest (report/summary_input.py)."""

    def run(self, repositories: Sequence[PlannedRepository], period: Period) -> DigestResult:
        pipeline = self.pipeline
        today = pipeline.clock().astimezone(_zone(pipeline.timezone)).date()
        days = [day for day in period.days if day <= today]
        if not days:
            raise BadInput(f"{period.name} has not begun yet", "choose a period that starts today or earlier")
        variant = pipeline.variant
        found = {p.key: dict(self.stored(p.key, days, variant)) for p in repositories}
        stored = sum(len(days_) for days_ in found.values())
        missing = sorted({day for p in repositories for day in days if day not in found[p.key]})
        backfill = None
        if missing:
            log.info("%s: %d of %d days to make first", period.name, len(missing), len(days))
            # The digest folds the days it makes itself: their editions are kept (a period's worth).
            backfill = dataclasses.replace(pipeline, keep_editions=True).run_days(repositories, missing)
            for edition in backfill.editions:
                day = edition.report
                assert isinstance(day, Report)  # run_days makes day editions only
                for report in day.repositories:
                    found[report.repository.key].setdefault(day.date, report)
        made = digest(
            period,
            pipeline.timezone,
            pipeline.language,
            [(_info(found[p.key]), found[p.key]) for p in repositories],
            analyzer=pipeline.analyzer.name,
            days=days,
        )
        accounting = backfill.accounting if backfill else Accounting(analyzer=pipeline.analyzer.name)
        if self.summarizer and any(r.stats.total for r in made.repositories):
            with pipeline.claim(f"summary:{period.name}"):
                summary = self.summarizer(period_summary_input(made, found))
            made = made.model_copy(update={"summary": summary.text})
            accounting = accounting + summary.accounting.model_copy(update={"analyzer": accounting.analyzer})
        edition = Edition(report=made, documents=tuple(render_documents(made, self.renderers)))
        with pipeline.claim(f"publish:{period.name}"):
            publications, errors = pipeline.publish(edition)
        return DigestResult(
            edition=edition,
            backfill=backfill,
            days_stored=stored,
            days_made=len(missing) * len(repositories),
            publications=publications,
            publish_errors=errors,
            accounting=accounting,
        )


def _info(days: Mapping[date, RepositoryReport]):
    """The repository as its latest day saw it (name, links, branch)."""
    return days[max(days)].repository


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
