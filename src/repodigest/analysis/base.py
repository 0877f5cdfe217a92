"""The analyzer interface every analyzer (rules, LLM, ...) implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from repodigest.analysis.models import Accounting, Analysis
from repodigest.facts.models import CommitFacts
from repodigest.source.models import Commit, FileDiff, RepositoryInfo


class AnalysisRequest(BaseModel):
    """One commit to analyse, with its facts and, for analyzers that read code, its diff."""

    model_config = ConfigDict(frozen=True)

    repository: RepositoryInfo
    commit: Commit
    facts: CommitFacts
    diffs: tuple[FileDiff, ...] = ()
    context: str = ""
    """What the project is, in a few lines (README, manifest description, top-level layout)."""


class AnalysisBatch(BaseModel):
    """Analyses in request order, and what producing them cost."""

    model_config = ConfigDict(frozen=True)

    analyses: tuple[Analysis, ...]
    accounting: Accounting


OnDone = Callable[[int, Analysis], None]


class AnalyzerTraits(BaseModel):
    """What the pipeline must know of an analyzer, each for its own reason."""

    model_config = ConfigDict(frozen=True)

    reads_diffs: bool
    """Requests carry the patch text (the rules analyzer reads only facts; keeping patches costs memory)."""
    saves_each: bool
    """Each analysis is saved the moment it exists, so a killed run loses none (analyses that cost
    time or money); otherwise a day's analyses are saved in one transaction."""
    reports_cache_hits: bool
    """The report counts reused analyses: news where analysis costs something; for a free analyzer
    it would only make re-run reports differ from first ones."""


class Analyzer(Protocol):
    name: str
    traits: AnalyzerTraits

    def cache_key(self, language: str) -> str:
        """Identifies what this analyzer would write: name, version, model, prompt, language.
        Two runs with the same key may reuse each other's analyses."""
        ...

    def learned(self) -> dict[str, float]:
        """What this analyzer learnt about its endpoint that the next run should start from (how
        the server counts tokens), keyed so that another endpoint or model never reads it."""
        ...

    def recall(self, learned: Mapping[str, float]) -> None:
        """Start from what an earlier run learnt (see `learned`)."""
        ...

    def analyze(
        self, requests: Sequence[AnalysisRequest], language: str, on_done: OnDone | None = None
    ) -> AnalysisBatch:
        """Analyse every request. `on_done(index, analysis)` is called as soon as each one is
        finished, so the caller can save it before the rest are done."""
        ...
