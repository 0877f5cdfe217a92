"""A period digest: what a week, a month or a range of days changed, read across the stored
reports of its days. Built from the report model alone (no git): what counts as breaking, a
changed default, a security change or a new interface is what the day's highlights count
(report/highlights.py)."""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from repodigest.analysis.models import Importance
from repodigest.facts.models import Change
from repodigest.period import Period
from repodigest.report.highlights import CATEGORIES, dependency_changes, new_interfaces
from repodigest.report.models import CommitReport, Release, RepositoryReport, Stats
from repodigest.source.models import RepositoryInfo

MAX_AREAS = 8
MAX_CONTRIBUTORS = 10
AREA_DEPTH = 2
"""Directories are counted two levels deep (`src/router`), so one top folder does not take all."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class PeriodChange(_Frozen):
    """One commit of the period in one category, with what it changed there."""

    day: date
    sha: str
    subject: str
    url: str | None = None
    importance: Importance
    items: tuple[str, ...] = ()
    kind: str | None = None
    """For new interfaces: flag, env, config, route."""


class DayRelease(_Frozen):
    day: date
    release: Release


class DependencyChange(_Frozen):
    """A dependency over the whole period: its version before the first change, after the last."""

    ecosystem: str
    name: str
    first: str | None
    last: str | None
    changes: int
    shas: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.first and self.last:
            return f"{self.name} {self.first} → {self.last}"
        if self.last:
            return f"+{self.name} {self.last}"
        return f"\N{MINUS SIGN}{self.name}" + (f" {self.first}" if self.first else "")


class DayCount(_Frozen):
    day: date
    stats: Stats
    releases: int = 0
    error: str | None = None
    reported: bool = True
    """False for a day the digest has no report of (the repository could not be read then)."""


class Area(_Frozen):
    path: str
    commits: int
    lines: int


class Contributor(_Frozen):
    name: str
    commits: int


class RepositoryDigest(_Frozen):
    repository: RepositoryInfo
    releases: tuple[DayRelease, ...] = ()
    high: tuple[PeriodChange, ...] = ()
    breaking: tuple[PeriodChange, ...] = ()
    defaults: tuple[PeriodChange, ...] = ()
    interfaces: tuple[PeriodChange, ...] = ()
    dependencies: tuple[DependencyChange, ...] = ()
    security: tuple[PeriodChange, ...] = ()
    days: tuple[DayCount, ...] = ()
    areas: tuple[Area, ...] = ()
    contributors: tuple[Contributor, ...] = ()
    other_contributors: int = 0
    """Contributors beyond the ones listed."""

    @property
    def stats(self) -> Stats:
        return Stats(
            total=sum(d.stats.total for d in self.days),
            high=sum(d.stats.high for d in self.days),
            medium=sum(d.stats.medium for d in self.days),
            low=sum(d.stats.low for d in self.days),
        )

    @property
    def failed_days(self) -> list[DayCount]:
        return [d for d in self.days if d.error]


class Digest(_Frozen):
    """One period of one or more repositories."""

    period: Period
    timezone: str
    language: str
    repositories: tuple[RepositoryDigest, ...]
    analyzer: str = "rules"
    through: date | None = None
    """Set while the period is not over: the last day it covers (today, so far)."""
    summary: str | None = None
    """In LLM mode: the period in a few sentences, grounded like the day summary."""

    def only(self, repository: RepositoryDigest) -> Digest:
        summary = self.summary if len(self.repositories) == 1 else None
        return self.model_copy(update={"repositories": (repository,), "summary": summary})


def digest(
    period: Period,
    timezone: str,
    language: str,
    repositories: Sequence[tuple[RepositoryInfo, Mapping[date, RepositoryReport]]],
    analyzer: str = "rules",
    days: Sequence[date] | None = None,
) -> Digest:
    """`days`: the period's days that have begun (all of them once it is over)."""
    days = list(days if days is not None else period.days)
    return Digest(
        period=period,
        timezone=timezone,
        language=language,
        analyzer=analyzer,
        through=days[-1] if days and days[-1] < period.end else None,
        repositories=tuple(repository_digest(info, reports, days) for info, reports in repositories),
    )


def repository_digest(
    info: RepositoryInfo, reports: Mapping[date, RepositoryReport], days: Sequence[date]
) -> RepositoryDigest:
    """Fold the days oldest first, each day's commits oldest first."""
    dated = [(day, entry) for day in days if day in reports for entry in reversed(reports[day].commits)]
    return RepositoryDigest(
        repository=info,
        releases=tuple(DayRelease(day=day, release=r) for day in days if day in reports for r in reports[day].releases),
        high=tuple(_change(day, e) for day, e in dated if e.analysis.importance == Importance.HIGH),
        breaking=_category("breaking", dated),
        defaults=_category("default", dated),
        interfaces=tuple(_interfaces(dated)),
        dependencies=tuple(fold_dependencies(dated)),
        security=_category("security", dated),
        days=tuple(_day_count(day, reports.get(day)) for day in days),
        areas=tuple(areas(entry for _, entry in dated)),
        **_contributors(entry for _, entry in dated),
    )


Dated = Sequence[tuple[date, CommitReport]]
"""A period's commits, each with its day."""


def _change(day: date, entry: CommitReport, items: Iterable[str] = (), kind: str | None = None) -> PeriodChange:
    return PeriodChange(
        day=day,
        sha=entry.commit.sha,
        subject=entry.commit.subject,
        url=entry.url,
        importance=entry.analysis.importance,
        items=tuple(items),
        kind=kind,
    )


def _category(category: str, dated: Dated) -> tuple[PeriodChange, ...]:
    collect = CATEGORIES[category]
    return tuple(_change(day, e, items) for day, e in dated if (items := list(dict.fromkeys(collect(e)))))


def _interfaces(dated: Dated) -> Iterator[PeriodChange]:
    """Per commit and interface kind (flag, env, config, route), the new ones."""
    for day, entry in dated:
        kinds: dict[str, list[str]] = defaultdict(list)
        for fact in new_interfaces(entry):
            kinds[fact.interface or "api"].append(fact.label)
        for kind, labels in kinds.items():
            yield _change(day, entry, dict.fromkeys(labels), kind)


def fold_dependencies(dated: Dated) -> list[DependencyChange]:
    """Each dependency from its version before the period's first change to the one after the
    last; one that ends where it started (or is added and removed again) is left out."""
    folded: dict[tuple[str, str], dict[str, Any]] = {}
    for _, entry in dated:
        for fact in dependency_changes(entry, of_any_importance=True):
            key = (fact.ecosystem, fact.name)
            old = None if fact.change == Change.ADDED else fact.old_version
            new = None if fact.change == Change.REMOVED else fact.new_version
            if key not in folded:
                folded[key] = {"first": old, "added": fact.change == Change.ADDED, "shas": []}
            state = folded[key]
            state.update(last=new, removed=fact.change == Change.REMOVED)
            state["shas"].append(entry.commit.sha)
    changes = []
    for (ecosystem, name), state in folded.items():
        first, last = (None if state["added"] else state["first"]), (None if state["removed"] else state["last"])
        if (state["added"] and state["removed"]) or (first is not None and first == last):
            continue
        changes.append(
            DependencyChange(
                ecosystem=ecosystem,
                name=name,
                first=first,
                last=last,
                changes=len(state["shas"]),
                shas=tuple(dict.fromkeys(state["shas"])),
            )
        )
    return sorted(changes, key=lambda c: (c.ecosystem, c.name.lower()))


def _day_count(day: date, report: RepositoryReport | None) -> DayCount:
    if report is None:
        return DayCount(day=day, stats=Stats(), reported=False)
    return DayCount(day=day, stats=report.stats, releases=len(report.releases), error=report.error)


def area_of(path: str) -> str:
    folder = posixpath.dirname(path)
    return "/".join(folder.split("/")[:AREA_DEPTH]) + "/" if folder else "./"


def areas(entries: Iterable[CommitReport]) -> list[Area]:
    """The directories the most commits touched, then the most lines."""
    commits: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for entry in entries:
        touched = set()
        for file in entry.commit.files:
            area = area_of(file.path)
            touched.add(area)
            lines[area] += file.added + file.removed
        commits.update(touched)
    ranked = sorted(commits, key=lambda a: (-commits[a], -lines[a], a))
    return [Area(path=a, commits=commits[a], lines=lines[a]) for a in ranked[:MAX_AREAS]]


def _contributors(entries: Iterable[CommitReport]) -> dict[str, Any]:
    counts = Counter(entry.commit.author.name for entry in entries)
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    return {
        "contributors": tuple(Contributor(name=n, commits=counts[n]) for n in ranked[:MAX_CONTRIBUTORS]),
        "other_contributors": max(0, len(ranked) - MAX_CONTRIBUTORS),
    }
