"""What an analyzer says about one commit."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from repodigest.facts.models import CommitFacts
from repodigest.source.models import Commit


class Importance(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]


class Insight(BaseModel):
    """One row of the technical-insight table."""

    model_config = ConfigDict(frozen=True)

    dimension: str
    """The dimension's label in the report's language (architecture, performance, security,
    compatibility, maintainability, testing, operations)."""
    text: str
    """The insight as one paragraph: what the rules write, or the model's points joined."""
    points: tuple[str, ...] = ()
    """The model's points, one per line of the cell, when it gave several."""


class Risk(BaseModel):
    """One numbered risk: a short title, what could go wrong, and how bad it would be."""

    model_config = ConfigDict(frozen=True)

    title: str = ""
    text: str
    severity: Importance | None = None
    points: tuple[str, ...] = ()
    """Sub-points: the cases in which it happens, or what to check."""


class Advice(BaseModel):
    """One suggestion addressed to a reader: who should act, what to do, and why."""

    model_config = ConfigDict(frozen=True)

    audience: str
    """users, operators, developers, reviewers or security."""
    text: str
    why: str = ""


class ImpactItem(BaseModel):
    """One line of the impact scope: an area (module, folder or file) and how much of it changed."""

    model_config = ConfigDict(frozen=True)

    area: str
    files: int
    added: int
    removed: int


class LlmUsage(BaseModel):
    """What one commit's LLM analysis cost and saw."""

    model_config = ConfigDict(frozen=True)

    model: str
    calls: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False
    files_seen: tuple[str, ...] = ()
    files_omitted: tuple[str, ...] = ()
    dropped_claims: int = 0


class Analysis(BaseModel):
    """The analysis of one commit, in the report's language."""

    model_config = ConfigDict(frozen=True)

    analyzer: str
    """Which analyzer wrote it: `rules`, or `llm:<model>`."""
    change_type: str
    """feat, fix, perf, refactor, docs, test, ci, build, deps, chore, style, revert, security."""
    scope: str | None = None
    importance: Importance
    importance_reasons: tuple[str, ...] = ()
    summary: str
    impact: tuple[ImpactItem, ...] = ()
    insights: tuple[Insight, ...] = ()
    risks: tuple[str, ...] = ()
    """Every risk as one sentence: the model's first (their `Risk.text`), then the rules'."""
    suggestions: tuple[str, ...] = ()
    """Every suggestion as one sentence: the model's first (their `Advice.text`), then the rules'."""
    change_types: tuple[str, ...] = ()
    """All the kinds of change the model saw (feat, refactor, docs, ...); `change_type` is the first."""
    affected: tuple[str, ...] = ()
    """The model's impact scope: the components touched, in words."""
    detailed_risks: tuple[Risk, ...] = ()
    """The model's risks with severity and sub-points (their texts are also in `risks`)."""
    advice: tuple[Advice, ...] = ()
    """The model's suggestions by audience (their texts are also in `suggestions`)."""
    conclusion: str | None = None
    fallback: str | None = None
    """Set when the requested analyzer failed and this analysis came from the rules: why."""
    usage: LlmUsage | None = None
    notes: tuple[str, ...] = Field(default=())
    """Short remarks about how the analysis was made (what was not shown to the model, ...)."""


class Accounting(BaseModel):
    """What the analysis cost: LLM calls and tokens, cache hits, fallbacks."""

    model_config = ConfigDict(frozen=True)

    analyzer: str = "rules"
    commits: int = 0
    cached: int = 0
    calls: int = 0
    retries: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    dropped_claims: int = 0

    @classmethod
    def of(cls, analyzer: str, analyses, cached: int = 0) -> Accounting:
        """What a set of analyses cost, from the usage each one records (cached or not)."""
        usages = [a.usage for a in analyses if a.usage is not None]
        return cls(
            analyzer=analyzer,
            commits=len(analyses),
            cached=cached,
            calls=sum(u.calls for u in usages),
            retries=sum(u.retries for u in usages),
            failures=sum(1 for a in analyses if a.fallback),
            prompt_tokens=sum(u.prompt_tokens for u in usages),
            completion_tokens=sum(u.completion_tokens for u in usages),
            dropped_claims=sum(u.dropped_claims for u in usages),
        )

    def __add__(self, other: Accounting) -> Accounting:
        fields = (
            "commits",
            "cached",
            "calls",
            "retries",
            "failures",
            "prompt_tokens",
            "completion_tokens",
            "dropped_claims",
        )
        merged = {name: getattr(self, name) + getattr(other, name) for name in fields}
        analyzer = self.analyzer if self.analyzer == other.analyzer else f"{self.analyzer}+{other.analyzer}"
        return Accounting(analyzer=analyzer, **merged)


class DaySummary(BaseModel):
    """The opening paragraph of a day's report, and what writing it cost."""

    model_config = ConfigDict(frozen=True)

    text: str | None = None
    accounting: Accounting = Accounting()


@runtime_checkable
class SummaryHighlight(Protocol):
    """A highlight as the overview's writer reads it (the report's Highlight is one)."""

    @property
    def category(self) -> str: ...

    @property
    def items(self) -> tuple[str, ...]: ...

    @property
    def sha(self) -> str: ...


@runtime_checkable
class SummaryCommit(Protocol):
    """An analysed commit as the overview's writer reads it (the report's CommitReport is one)."""

    @property
    def commit(self) -> Commit: ...

    @property
    def facts(self) -> CommitFacts: ...

    @property
    def analysis(self) -> Analysis: ...


class SummaryRepository(BaseModel):
    # The writer names only the shapes it reads (the protocols above): the report stage hands it
    # its own highlights and commits, unchanged, and analysis never imports the report's model.
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    highlights: tuple[SummaryHighlight, ...] = ()
    commits: tuple[SummaryCommit, ...] = ()


class SummaryInput(BaseModel):
    """What an overview (a day's or a period's) is written from: the analysed commits and the
    highlights of each repository, built by the report stage from the finished report
    (report/summary_input.py)."""

    model_config = ConfigDict(frozen=True)

    language: str
    repositories: tuple[SummaryRepository, ...] = ()
