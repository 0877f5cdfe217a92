"""Fitting a commit's diff into a token budget, the way careful review tools do: drop what a
reader would skip (lockfiles, generated, vendored, binary), show source before configuration,
tests and docs, keep hunks whole, and name every file that did not fit."""

from __future__ import annotations

from dataclasses import dataclass, field

from repodigest.analysis.llm.tokens import count
from repodigest.facts.models import CommitFacts, FileRole
from repodigest.source.models import FileDiff

SKIPPED_ROLES = {FileRole.LOCKFILE, FileRole.GENERATED, FileRole.VENDORED, FileRole.BINARY}
ORDER = [FileRole.SOURCE, FileRole.DEPENDENCY_MANIFEST, FileRole.BUILD, FileRole.CONFIG, FileRole.DEPLOY,
         FileRole.CI, FileRole.OTHER, FileRole.TEST, FileRole.DOCS]


@dataclass
class DiffExcerpt:
    text: str
    seen: list[str] = field(default_factory=list)
    """Files shown whole."""
    partial: list[str] = field(default_factory=list)
    """Files shown in part (some hunks did not fit)."""
    omitted: list[str] = field(default_factory=list)
    """Files not shown: skipped by kind, or out of budget."""
    tokens: int = 0


def fit_diff(diffs: tuple[FileDiff, ...], facts: CommitFacts, budget: int) -> DiffExcerpt:
    roles = {f.path: f.role for f in facts.files}
    shown = [d for d in diffs if roles.get(d.change.path, FileRole.OTHER) not in SKIPPED_ROLES and d.patch]
    excerpt = DiffExcerpt(text="", omitted=[d.change.path for d in diffs if d not in shown])
    shown.sort(key=lambda d: (ORDER.index(roles.get(d.change.path, FileRole.OTHER))
                              if roles.get(d.change.path) in ORDER else len(ORDER),
                              -(d.change.added + d.change.removed), d.change.path))
    parts: list[str] = []
    used = 0
    for diff in shown:
        header = _header(diff)
        cost = count(header)
        hunks = _hunks(diff.patch)
        kept = []
        for hunk in hunks:
            hunk_cost = count(hunk)
            if used + cost + hunk_cost > budget:
                break
            kept.append(hunk)
            cost += hunk_cost
        if not kept:
            excerpt.omitted.append(diff.change.path)
            continue
        parts.append(header + "".join(kept))
        used += cost
        (excerpt.seen if len(kept) == len(hunks) else excerpt.partial).append(diff.change.path)
    excerpt.text = "".join(parts)
    excerpt.tokens = used
    return excerpt


def _header(diff: FileDiff) -> str:
    change = diff.change
    moved = f" (from {change.old_path})" if change.old_path else ""
    return f"--- {change.path}{moved} [{change.status.value}, +{change.added}/-{change.removed}]\n"


def _hunks(patch: str) -> list[str]:
    hunks: list[str] = []
    for line in patch.splitlines(keepends=True):
        if line.startswith("@@") or not hunks:
            hunks.append(line)
        else:
            hunks[-1] += line
    return hunks
