"""The day's highlights: the commits a reader should look at first, by what their facts say."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from repodigest.analysis.models import Importance
from repodigest.analysis.rules.labels import dependency_label
from repodigest.facts.models import (
    Change,
    CliFlagFact,
    DependencyFact,
    EnvVarFact,
    FileRole,
    RouteFact,
    SecurityFact,
    SymbolFact,
)
from repodigest.report.models import CommitReport, Highlight


def _breaking(entry: CommitReport) -> list[str]:
    return [f.label for f in entry.facts.breaking]


def _security(entry: CommitReport) -> list[str]:
    return [f.rule for f in entry.facts.of_kind(SecurityFact)]


def _dependencies(entry: CommitReport) -> list[str]:
    if entry.analysis.importance == Importance.LOW:
        return []  # a peripheral or lockfile-only bump is not a highlight
    return [dependency_label(f) for f in entry.facts.of_kind(DependencyFact) if f.direct]


FEATURE_SYMBOL_KINDS = {"function", "method", "class", "struct", "trait", "interface", "enum", "type"}


def _features(entry: CommitReport) -> list[str]:
    if entry.analysis.importance == Importance.LOW:
        return []
    items = [f.symbol for f in entry.facts.of_kind(SymbolFact)
             if f.public and f.change == Change.ADDED and f.symbol_kind in FEATURE_SYMBOL_KINDS
             and entry.facts.role_of(f.evidence[0].path) == FileRole.SOURCE]
    items += [f.flag for f in entry.facts.of_kind(CliFlagFact) if f.change == Change.ADDED]
    items += [f"{f.method} {f.route}" for f in entry.facts.of_kind(RouteFact) if f.change == Change.ADDED]
    items += [f.name for f in entry.facts.of_kind(EnvVarFact) if f.change == Change.ADDED]
    return items


CATEGORIES: dict[str, Callable[[CommitReport], list[str]]] = {
    "breaking": _breaking,
    "security": _security,
    "dependency": _dependencies,
    "feature": _features,
}


def highlights(entries: Iterable[CommitReport]) -> list[Highlight]:
    found = []
    for category, collect in CATEGORIES.items():
        for entry in entries:
            items = list(dict.fromkeys(collect(entry)))
            if items:
                found.append(Highlight(category=category, items=tuple(items), sha=entry.commit.sha))
    return found
