"""The JSON digest: a stable, documented schema (docs/digest.schema.json, `repodigest schema
--digest`), separate from the internal models like the day's JSON report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from repodigest import layout
from repodigest.analysis.models import Importance
from repodigest.render.json_document import SCHEMA_VERSION, JsonRelease, JsonRepository, release_document
from repodigest.report.digest import Area, Contributor, Digest, PeriodChange, RepositoryDigest
from repodigest.report.models import Stats


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True)


class JsonPeriod(_Doc):
    kind: Literal["week", "month", "range"]
    start: str = Field(description="First day, YYYY-MM-DD")
    end: str = Field(description="Last day (inclusive), YYYY-MM-DD")
    label: str = Field(description="2026-W48, 2026-11 or 2026-11-01_2026-11-07")


class JsonPeriodChange(_Doc):
    day: str
    sha: str
    subject: str
    url: str | None
    importance: Importance
    items: tuple[str, ...] = Field(description="What the commit changed in this category")
    kind: str | None = Field(description="For new interfaces: flag, env, config or route")


class JsonDayRelease(JsonRelease):
    day: str


class JsonDependencyChange(_Doc):
    ecosystem: str
    name: str
    first: str | None = Field(description="The version before the period's first change (null: added)")
    last: str | None = Field(description="The version after its last change (null: removed)")
    label: str
    changes: int
    shas: tuple[str, ...]


class JsonDayCount(_Doc):
    day: str
    stats: Stats
    releases: int
    error: str | None
    report: str | None = Field(description="The day's JSON report, relative to this file; null when there is none")


class JsonRepositoryDigest(_Doc):
    repository: JsonRepository
    stats: Stats
    releases: tuple[JsonDayRelease, ...]
    high: tuple[JsonPeriodChange, ...]
    breaking: tuple[JsonPeriodChange, ...]
    defaults: tuple[JsonPeriodChange, ...]
    interfaces: tuple[JsonPeriodChange, ...]
    dependencies: tuple[JsonDependencyChange, ...]
    security: tuple[JsonPeriodChange, ...]
    days: tuple[JsonDayCount, ...]
    areas: tuple[Area, ...]
    contributors: tuple[Contributor, ...]
    other_contributors: int


class JsonDigest(_Doc):
    """A period digest: one repository's file holds one entry in `repositories`."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["digest"] = "digest"
    period: JsonPeriod
    timezone: str
    language: str
    analyzer: str
    through: str | None = Field(
        default=None, description="Set while the period is not over: the last day it covers so far"
    )
    summary: str | None
    repositories: tuple[JsonRepositoryDigest, ...]


class DigestJsonRenderer:
    extension = "json"

    def render(self, digest: Digest) -> str:
        return digest_document(digest).model_dump_json(indent=2) + "\n"


def digest_document(digest: Digest) -> JsonDigest:
    period = digest.period
    single = digest.repositories[0].repository.key if len(digest.repositories) == 1 else None
    here = layout.report_path(period.start.year, period.name, single, "json")
    return JsonDigest(
        period=JsonPeriod(
            kind=period.kind, start=period.start.isoformat(), end=period.end.isoformat(), label=period.label
        ),
        timezone=digest.timezone,
        language=digest.language,
        analyzer=digest.analyzer,
        through=digest.through.isoformat() if digest.through else None,
        summary=digest.summary,
        repositories=tuple(_repository(r, here) for r in digest.repositories),
    )


def _repository(repository: RepositoryDigest, here: str) -> JsonRepositoryDigest:
    info = repository.repository

    def changes(items: Iterable[PeriodChange]) -> tuple[JsonPeriodChange, ...]:
        return tuple(JsonPeriodChange(**{**c.model_dump(), "day": c.day.isoformat()}) for c in items)

    return JsonRepositoryDigest(
        repository=JsonRepository(name=info.name, url=info.url, branch=info.branch, key=info.key),
        stats=repository.stats,
        releases=tuple(
            JsonDayRelease(day=r.day.isoformat(), **release_document(r.release).model_dump())
            for r in repository.releases
        ),
        high=changes(repository.high),
        breaking=changes(repository.breaking),
        defaults=changes(repository.defaults),
        interfaces=changes(repository.interfaces),
        dependencies=tuple(JsonDependencyChange(**c.model_dump(), label=c.label) for c in repository.dependencies),
        security=changes(repository.security),
        days=tuple(
            JsonDayCount(
                day=d.day.isoformat(),
                stats=d.stats,
                releases=d.releases,
                error=d.error,
                report=layout.relative(here, layout.day_path(d.day, info.key, "json")) if d.reported else None,
            )
            for d in repository.days
        ),
        areas=repository.areas,
        contributors=repository.contributors,
        other_contributors=repository.other_contributors,
    )
