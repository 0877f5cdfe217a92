"""Reading a commit subject: Conventional Commits when used, else the conventions projects
actually follow (`[Router][Bugfix] ...`, `CI: ...`, `plugins/posix: ...`, `Bump x from a to b`)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

CONVENTIONAL = re.compile(r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^()]*)\))?(?P<bang>!)?:\s*(?P<description>\S.*)$")
BRACKET_TAGS = re.compile(r"^\s*((?:\[[^\]]{1,40}\]\s*)+)(?P<description>.*)$")
PREFIX_SCOPE = re.compile(r"^(?P<scope>[A-Za-z0-9_.\-/ ]{1,40}?):\s+(?P<description>\S.*)$")

TYPE_ALIASES = {
    "feat": "feat",
    "feature": "feat",
    "features": "feat",
    "add": "feat",
    "new": "feat",
    "enhancement": "feat",
    "fix": "fix",
    "bugfix": "fix",
    "bug": "fix",
    "hotfix": "fix",
    "fixes": "fix",
    "bugfixes": "fix",
    "perf": "perf",
    "performance": "perf",
    "optim": "perf",
    "optimization": "perf",
    "refactor": "refactor",
    "refactoring": "refactor",
    "cleanup": "refactor",
    "docs": "docs",
    "doc": "docs",
    "documentation": "docs",
    "readme": "docs",
    "test": "test",
    "tests": "test",
    "testing": "test",
    "e2e": "test",
    "ci": "ci",
    "cicd": "ci",
    "workflow": "ci",
    "github": "ci",
    "build": "build",
    "docker": "build",
    "packaging": "build",
    "release": "build",
    "chore": "chore",
    "misc": "chore",
    "minor": "chore",
    "style": "style",
    "lint": "style",
    "format": "style",
    "revert": "revert",
    "deps": "deps",
    "dep": "deps",
    "dependencies": "deps",
    "bump": "deps",
    "security": "security",
    "sec": "security",
}
LEADING_VERBS = (
    (re.compile(r"^(revert)\b", re.I), "revert"),
    (re.compile(r"^(bump|upgrade|update)\b.*\bfrom\b.*\bto\b", re.I), "deps"),
    (
        re.compile(
            r"^(fix|fixed|fixes|fixing|resolve|correct|repair|prevent|avoid|handle|do not|don't|ensure|guard)\b", re.I
        ),
        "fix",
    ),
    (re.compile(r"^(add|adds|added|introduce|implement|support|enable|allow|expose|create|new)\b", re.I), "feat"),
    (re.compile(r"^(speed up|optimi[sz]e|improve performance|reduce latency|faster|cache)\b", re.I), "perf"),
    (
        re.compile(
            r"^(refactor|restructure|move|rename|extract|simplify|clean ?up|reorganize|unify|consolidate)\b", re.I
        ),
        "refactor",
    ),
    (re.compile(r"^(remove|delete|drop|deprecate)\b", re.I), "refactor"),
    (re.compile(r"^(docs?|document|readme)\b", re.I), "docs"),
    (re.compile(r"^(tests?|add tests?)\b", re.I), "test"),
    (re.compile(r"^(bump|upgrade)\b", re.I), "deps"),
)


class SubjectInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    change_type: str | None
    """The type the subject states or implies; None when it says nothing."""
    scope: str | None
    description: str
    breaking: bool = False
    conventional: bool = False
    tags: tuple[str, ...] = ()


def read_subject(subject: str) -> SubjectInfo:
    subject = subject.strip()
    conventional = CONVENTIONAL.match(subject)
    if conventional and conventional["type"].lower() in TYPE_ALIASES:
        return SubjectInfo(
            change_type=TYPE_ALIASES[conventional["type"].lower()],
            scope=(conventional["scope"] or "").strip() or None,
            description=conventional["description"].strip(),
            breaking=bool(conventional["bang"]),
            conventional=True,
        )
    bracketed = BRACKET_TAGS.match(subject)
    if bracketed:
        tags = tuple(t.strip() for t in re.findall(r"\[([^\]]+)\]", bracketed[1]))
        typed = [TYPE_ALIASES[t.lower()] for t in tags if t.lower() in TYPE_ALIASES]
        scopes = [t for t in tags if t.lower() not in TYPE_ALIASES]
        description = bracketed["description"].strip() or subject
        return SubjectInfo(
            change_type=typed[0] if typed else _verb_type(description),
            scope="/".join(scopes) or None,
            description=description,
            tags=tags,
        )
    prefixed = PREFIX_SCOPE.match(subject)
    if prefixed:
        prefix = prefixed["scope"].strip()
        description = prefixed["description"].strip()
        if prefix.lower() in TYPE_ALIASES:
            return SubjectInfo(change_type=TYPE_ALIASES[prefix.lower()], scope=None, description=description)
        return SubjectInfo(change_type=_verb_type(description), scope=prefix, description=description)
    return SubjectInfo(change_type=_verb_type(subject), scope=None, description=subject)


def _verb_type(description: str) -> str | None:
    for pattern, change_type in LEADING_VERBS:
        if pattern.search(description):
            return change_type
    return None
