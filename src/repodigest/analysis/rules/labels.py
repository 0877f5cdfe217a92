"""Short names for facts and paths, shared by the ranking and the writing."""

from __future__ import annotations

import re

from repodigest.facts.models import DependencyFact, Evidence

_NUMBERS = re.compile(r"\d+")


SOURCE_ROOTS = ("src/", "lib/", "pkg/", "packages/")


def area_of(path: str) -> str:
    """The module a path belongs to: its first two folders, its folder, or the file itself.
    A conventional source root (src/, lib/, ...) does not count as a folder of its own."""
    for root in SOURCE_ROOTS:
        if path.startswith(root) and path.count("/") >= 3:
            path = path[len(root) :]
            break
    parts = path.split("/")
    if len(parts) >= 3:
        return "/".join(parts[:2])
    if len(parts) == 2:
        return parts[0]
    return path


def dependency_label(fact: DependencyFact, word=None) -> str:
    """`name a → b` for a version move; for an addition or removal, the name and version with
    the change in words (`word` translates it; without one, plus and minus signs say it in any language)."""
    if word is None or (fact.old_version and fact.new_version):
        return fact.label
    version = fact.new_version or fact.old_version
    return word(f"{fact.name}{f' {version}' if version else ''}", fact.change.value)


def evidence_label(evidence: Evidence) -> str:
    return f"{evidence.path}:{evidence.line}" if evidence.line else evidence.path


def major_bump(old: str | None, new: str | None) -> bool:
    """True when the first number of the version grows (1.9 → 2.0, v0.3 → v1.0)."""
    old_major, new_major = _major(old), _major(new)
    return old_major is not None and new_major is not None and new_major > old_major


def _major(version: str | None) -> int | None:
    match = _NUMBERS.search(version or "")
    return int(match.group()) if match else None
