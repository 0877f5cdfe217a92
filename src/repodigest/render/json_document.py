"""The JSON report: a stable, documented schema (docs/report.schema.json is generated from it).

Separate from the internal models on purpose: internal models may change shape, this may not
without bumping SCHEMA_VERSION.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from repodigest.analysis.models import Accounting, Advice, ImpactItem, Insight, LlmUsage, Risk
from repodigest.facts.models import ExtractorFailure, Fact, FileNoteReason
from repodigest.report.models import CommitReport, Release, Report, RepositoryReport, Stats

SCHEMA_VERSION = "1.2"
"""1.1 added the model's depth: change_types, affected, detailed_risks, advice, conclusion, insight points.
1.2 added `kind` ("day"; a period digest is "digest") and the window's `releases`."""


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True)


class JsonPerson(_Doc):
    name: str
    email: str


class JsonFile(_Doc):
    path: str
    status: str = Field(description="added, modified, deleted, renamed, copied, type_changed")
    added: int
    removed: int
    old_path: str | None = None
    binary: bool = False
    role: str | None = Field(default=None, description="source, test, docs, ci, build, lockfile, ...")
    language: str | None = None
    public_surface: bool | None = Field(
        default=None, description="Whether the file's definitions are public API; null when not judged"
    )
    surface_reason: str | None = Field(default=None, description="Why it is or is not public surface")
    note: str | None = Field(
        default=None, description="How the file was read when not as usual: why its facts may be file-level only"
    )
    note_kind: FileNoteReason | None = Field(default=None, description="The note's kind")


class JsonAnalysis(_Doc):
    analyzer: str
    change_type: str
    scope: str | None
    summary: str
    impact: tuple[ImpactItem, ...]
    insights: tuple[Insight, ...]
    risks: tuple[str, ...] = Field(description="Every risk as one sentence: the model's first, then the rules'.")
    suggestions: tuple[str, ...] = Field(
        description="Every suggestion as one sentence: the model's first, then the rules'."
    )
    change_types: tuple[str, ...] = Field(description="All the kinds of change the model saw; change_type is first.")
    affected: tuple[str, ...] = Field(description="The model's impact scope: the components touched, in words.")
    detailed_risks: tuple[Risk, ...] = Field(description="The model's risks with severity and sub-points.")
    advice: tuple[Advice, ...] = Field(description="The model's suggestions by audience, with why.")
    conclusion: str | None = Field(description="The model's closing judgement, for important commits.")
    fallback: str | None = Field(description="Why the requested analyzer fell back to the rules, if it did.")
    usage: LlmUsage | None
    notes: tuple[str, ...]


class JsonPullRequest(_Doc):
    number: int
    title: str
    labels: tuple[str, ...]
    linked_issues: tuple[int, ...] = Field(description="Issues its description says it closes")
    state: str = Field(description="merged, closed or open")
    url: str | None


class JsonCommit(_Doc):
    sha: str
    url: str | None
    committed_at: datetime = Field(description="ISO 8601 with the committer's UTC offset")
    authored_at: datetime
    author: JsonPerson
    committer: JsonPerson
    parents: tuple[str, ...]
    subject: str
    message: str
    importance: Literal["high", "medium", "low"]
    importance_reasons: tuple[str, ...]
    change_type: str
    files: tuple[JsonFile, ...]
    analysis: JsonAnalysis
    facts: tuple[Fact, ...]
    facts_failures: tuple[ExtractorFailure, ...] = Field(
        default=(), description="Extractors that failed on this commit (a bug): its facts may be incomplete"
    )
    pull_requests: tuple[JsonPullRequest, ...] = Field(
        default=(), description="The pull requests the commit came from (only with pull-request context)"
    )


class JsonRepository(_Doc):
    name: str
    url: str | None
    branch: str
    key: str


class JsonRelease(_Doc):
    tag: str
    sha: str = Field(description="The commit the tag points at")
    url: str | None = Field(description="The tagged commit's web page")
    annotated: bool
    tagged_at: datetime = Field(description="Tagger date (annotated) or the commit's committer date (lightweight)")
    tagger: JsonPerson | None
    message: str = Field(description="An annotated tag's subject line")
    previous: str | None = Field(description="The tag cut before this one")
    commits_since_previous: int | None
    version: str | None = Field(description="The manifest's version bump this tag releases, `0.8.0 → 0.9.0`")
    version_sha: str | None = Field(description="The commit of the window that made that bump")


class JsonHighlight(_Doc):
    category: str
    items: tuple[str, ...]
    sha: str


class JsonRepositoryReport(_Doc):
    schema_version: str = SCHEMA_VERSION
    kind: Literal["day"] = "day"
    date: str
    timezone: str
    language: str
    as_of: datetime | None = Field(
        default=None,
        description="Set when the report was made before the day "
        "ended (a partial day): the moment it covers up to, in the report's zone.",
    )
    repository: JsonRepository
    stats: Stats
    releases: tuple[JsonRelease, ...] = Field(default=(), description="Tags cut in the window, oldest first")
    highlights: tuple[JsonHighlight, ...]
    error: str | None
    stale: str | None = Field(
        default=None,
        description="Why the history may be out of date: the fetch failed "
        "and the report was read from the cached clone.",
    )
    history_cut: tuple[str, ...] = Field(
        default=(),
        description="Short shas where the history of a shallow clone ends, at or after the day's "
        "start: the day may miss commits, and these commits' diffs are unknown.",
    )
    accounting: Accounting
    commits: tuple[JsonCommit, ...]


class JsonDayReport(_Doc):
    """The combined file when several repositories are configured."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["day"] = "day"
    date: str
    timezone: str
    language: str
    as_of: datetime | None = Field(
        default=None,
        description="Set when the report was made before the day "
        "ended (a partial day): the moment it covers up to, in the report's zone.",
    )
    day_summary: str | None
    repositories: tuple[JsonRepositoryReport, ...]


def repository_document(report: Report, repository: RepositoryReport) -> JsonRepositoryReport:
    info = repository.repository
    return JsonRepositoryReport(
        date=report.date.isoformat(),
        timezone=report.timezone,
        language=report.language,
        as_of=report.as_of,
        repository=JsonRepository(name=info.name, url=info.url, branch=info.branch, key=info.key),
        stats=repository.stats,
        releases=tuple(release_document(r) for r in repository.releases),
        highlights=tuple(JsonHighlight(**h.model_dump()) for h in repository.highlights),
        error=repository.error,
        stale=repository.stale,
        history_cut=repository.history_cut,
        accounting=repository.accounting,
        commits=tuple(_commit(entry) for entry in repository.commits),
    )


def release_document(release: Release) -> JsonRelease:
    tag = release.tag
    return JsonRelease(
        tag=tag.name,
        sha=tag.sha,
        url=release.url,
        annotated=tag.annotated,
        tagged_at=tag.tagged_at,
        tagger=JsonPerson(**tag.tagger.model_dump()) if tag.tagger else None,
        message=tag.message,
        previous=tag.previous,
        commits_since_previous=tag.commits_since_previous,
        version=release.version,
        version_sha=release.version_sha,
    )


def day_document(report: Report) -> JsonDayReport:
    return JsonDayReport(
        date=report.date.isoformat(),
        timezone=report.timezone,
        language=report.language,
        as_of=report.as_of,
        day_summary=report.day_summary,
        repositories=tuple(repository_document(report, r) for r in report.repositories),
    )


def _commit(entry: CommitReport) -> JsonCommit:
    commit, analysis = entry.commit, entry.analysis
    roles = {f.path: f for f in entry.facts.files}
    return JsonCommit(
        sha=commit.sha,
        url=entry.url,
        committed_at=commit.committed_at,
        authored_at=commit.authored_at,
        author=JsonPerson(**commit.author.model_dump()),
        committer=JsonPerson(**commit.committer.model_dump()),
        parents=commit.parents,
        subject=commit.subject,
        message=commit.message,
        importance=analysis.importance.value,
        importance_reasons=analysis.importance_reasons,
        change_type=analysis.change_type,
        files=tuple(
            JsonFile(
                path=f.path,
                status=f.status.value,
                added=f.added,
                removed=f.removed,
                old_path=f.old_path,
                binary=f.binary,
                role=roles[f.path].role.value if f.path in roles else None,
                language=roles[f.path].language if f.path in roles else None,
                public_surface=roles[f.path].public_surface if f.path in roles else None,
                surface_reason=roles[f.path].surface_reason if f.path in roles else None,
                note=roles[f.path].note if f.path in roles else None,
                note_kind=roles[f.path].reason if f.path in roles else None,
            )
            for f in commit.files
        ),
        analysis=JsonAnalysis(
            analyzer=analysis.analyzer,
            change_type=analysis.change_type,
            scope=analysis.scope,
            summary=analysis.summary,
            impact=analysis.impact,
            insights=analysis.insights,
            risks=analysis.risks,
            suggestions=analysis.suggestions,
            change_types=analysis.change_types,
            affected=analysis.affected,
            detailed_risks=analysis.detailed_risks,
            advice=analysis.advice,
            conclusion=analysis.conclusion,
            fallback=analysis.fallback,
            usage=analysis.usage,
            notes=analysis.notes,
        ),
        facts=entry.facts.facts,
        facts_failures=entry.facts.failures,
        pull_requests=tuple(
            JsonPullRequest(**pull.model_dump(include={"number", "title", "labels", "linked_issues", "state", "url"}))
            for pull in commit.pull_requests
        ),
    )
