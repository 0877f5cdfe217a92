"""Analyzers by name. Adding one is a module plus one entry here.

A factory receives only the settings analyzers may use (`AnalyzerSettings`: the rules file and the
`[llm]` table), never the whole configuration, and returns an Analyzer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from repodigest.analysis.base import Analyzer
from repodigest.config import Config, LlmConfig
from repodigest.errors import BadInput


class AnalyzerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    rules: Path | None = None
    """A rules file that overrides the built-in importance rules."""
    llm: LlmConfig = LlmConfig()

    @classmethod
    def of(cls, config: Config) -> AnalyzerSettings:
        return cls(rules=Path(config.rules) if config.rules else None, llm=config.llm)


def _rules(settings: AnalyzerSettings) -> Analyzer:
    from repodigest.analysis.rules.analyzer import RulesAnalyzer

    return RulesAnalyzer(rules_path=settings.rules)


def _llm(settings: AnalyzerSettings) -> Analyzer:
    from repodigest.analysis.llm.factory import build

    return build(settings.llm, settings.rules)


ANALYZERS: dict[str, Callable[[AnalyzerSettings], Analyzer]] = {
    "rules": _rules,
    "llm": _llm,
}


def build_analyzer(config: Config) -> Analyzer:
    factory = ANALYZERS.get(config.analyzer)
    if factory is None:
        raise BadInput(f"unknown analyzer {config.analyzer!r}", f"use one of: {', '.join(sorted(ANALYZERS))}")
    return factory(AnalyzerSettings.of(config))


def build_day_summarizer(config: Config, cache=None):
    """The day-overview writer when `[llm] day_summary` is on, else None; `cache` keeps what it
    wrote so a re-run does not ask again."""
    if config.analyzer != "llm" or not config.llm.day_summary:
        return None
    from repodigest.analysis.llm.factory import day_summarizer

    return day_summarizer(config.llm, cache)


def build_period_summarizer(config: Config, cache=None):
    """The period-overview writer (a digest's summary) under the same switch as the day's."""
    if config.analyzer != "llm" or not config.llm.day_summary:
        return None
    from repodigest.analysis.llm.factory import period_summarizer

    return period_summarizer(config.llm, cache)
