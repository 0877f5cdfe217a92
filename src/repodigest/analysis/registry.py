"""Analyzers by name. Adding one is a module plus one entry here.

A factory receives the parts of the configuration its analyzer needs and returns an Analyzer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from repodigest.analysis.base import Analyzer
from repodigest.config import Config
from repodigest.errors import BadInput


def _rules(config: Config) -> Analyzer:
    from repodigest.analysis.rules.analyzer import RulesAnalyzer

    return RulesAnalyzer(rules_path=Path(config.rules) if config.rules else None)


def _llm(config: Config) -> Analyzer:
    from repodigest.analysis.llm.factory import build

    return build(config)


ANALYZERS: dict[str, Callable[[Config], Analyzer]] = {
    "rules": _rules,
    "llm": _llm,
}


def build_analyzer(config: Config) -> Analyzer:
    factory = ANALYZERS.get(config.analyzer)
    if factory is None:
        raise BadInput(f"unknown analyzer {config.analyzer!r}", f"use one of: {', '.join(sorted(ANALYZERS))}")
    return factory(config)


def build_day_summarizer(config: Config, cache=None):
    """The day-overview writer when `[llm] day_summary` is on, else None; `cache` keeps what it
    wrote so a re-run does not ask again."""
    if config.analyzer != "llm" or not config.llm.day_summary:
        return None
    from repodigest.analysis.llm.factory import day_summarizer

    return day_summarizer(config, cache)


def build_period_summarizer(config: Config, cache=None):
    """The period-overview writer (a digest's summary) under the same switch as the day's."""
    if config.analyzer != "llm" or not config.llm.day_summary:
        return None
    from repodigest.analysis.llm.factory import period_summarizer

    return period_summarizer(config, cache)
