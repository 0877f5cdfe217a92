"""The day's highlights: only what a user acts on, at high confidence — public breaking
changes, changed defaults, security changes outside developer tooling, new user-facing
interfaces (flags, variables, routes, configuration), runtime dependency changes, releases.
What each fact kind means is asked of the fact itself (facts/models.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from repodigest.analysis.models import Importance
from repodigest.facts.models import DependencyFact, Fact, ReleaseFact, SecurityFact
from repodigest.facts.surface.model import build_periphery_reason, periphery_reason
from repodigest.report.models import CommitReport, Highlight, Release


def _breaking(entry: CommitReport) -> list[str]:
    return [f.label for f in entry.facts.breaking if not periphery_reason(f.evidence[0].path)]


def _defaults(entry: CommitReport) -> list[str]:
    """Defaults users get, including those of what packaging trees build (the shipped image's
    build arguments); the extractors already leave out code defaults there."""
    return [f.label for f in entry.facts.changed_defaults if not build_periphery_reason(f.evidence[0].path)]


def _security(entry: CommitReport) -> list[str]:
    return [f.rule for f in entry.facts.of_kind(SecurityFact) if not periphery_reason(f.evidence[0].path)]


def new_interfaces(entry: CommitReport) -> list[Fact]:
    """The user-facing interfaces the commit adds, outside developer tooling."""
    return [f for f in entry.facts.new_interfaces if not periphery_reason(f.evidence[0].path)]


def _interfaces(entry: CommitReport) -> list[str]:
    return [f.label for f in new_interfaces(entry)]


def dependency_changes(entry: CommitReport, of_any_importance: bool = False) -> list[DependencyFact]:
    """Direct runtime dependencies the commit moves. Of a low-importance commit only when asked
    (a digest folds every bump over its period): alone it is not a highlight."""
    if entry.analysis.importance == Importance.LOW and not of_any_importance:
        return []
    return [
        f
        for f in entry.facts.of_kind(DependencyFact)
        if f.direct and f.runtime and not build_periphery_reason(f.manifest)  # packaging ships what it pins
    ]


def _dependencies(entry: CommitReport) -> list[str]:
    return [f.label for f in dependency_changes(entry)]


def _releases(entry: CommitReport) -> list[str]:
    return [f.label for f in entry.facts.of_kind(ReleaseFact)]


CATEGORIES: dict[str, Callable[[CommitReport], list[str]]] = {
    "breaking": _breaking,
    "default": _defaults,
    "security": _security,
    "feature": _interfaces,
    "dependency": _dependencies,
    "release": _releases,
}


def highlights(entries: Iterable[CommitReport], releases: Sequence[Release] = ()) -> list[Highlight]:
    """Releases (tags cut in the window) come first; a version bump a tag releases is named
    once, beside its tag."""
    found = [_tag_highlight(release) for release in releases]
    released = {release.version_sha for release in releases if release.version_sha}
    entries = list(entries)
    for category, collect in CATEGORIES.items():
        for entry in entries:
            if category == "release" and entry.commit.sha in released:
                continue
            items = list(dict.fromkeys(collect(entry)))
            if items:
                found.append(Highlight(category=category, items=tuple(items), sha=entry.commit.sha))
    return found


def _tag_highlight(release: Release) -> Highlight:
    label = release.tag.name + (f" ({release.version})" if release.version else "")
    return Highlight(category="release", items=(label,), sha=release.version_sha or release.tag.sha)
