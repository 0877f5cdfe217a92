"""Classifying each path of a commit: source, test, docs, CI, build, lockfile, generated, ..."""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import resources

from repodigest.facts.globs import combined_pattern
from repodigest.facts.languages import language_of
from repodigest.facts.models import FileRole


class RoleRules:
    """Ordered (role, patterns) pairs; the first that matches a path decides its role."""

    def __init__(self, rules: list[tuple[FileRole, re.Pattern[str]]]) -> None:
        self._rules = rules
        self._known: dict[tuple[str, bool], FileRole] = {}

    @classmethod
    def from_tables(cls, tables: list[dict]) -> RoleRules:
        return cls([(FileRole(table["role"]), combined_pattern(table["globs"])) for table in tables])

    @classmethod
    def default(cls, overrides: list[dict] | None = None) -> RoleRules:
        builtin = tomllib.loads(resources.files("repodigest.facts").joinpath("roles.toml").read_text("utf-8"))
        return cls.from_tables([*(overrides or []), *builtin["role"]])

    @property
    def digest(self) -> str:
        """Changes when any rule does (part of the facts cache key)."""
        rules = "\n".join(f"{role.value}={pattern.pattern}" for role, pattern in self._rules)
        return hashlib.sha256(rules.encode()).hexdigest()[:16]

    def role_of(self, path: str, binary: bool = False) -> FileRole:
        # The same paths recur across a month of commits; matching them is the costly part.
        key = (path, binary)
        if key not in self._known:
            self._known[key] = self._match(path, binary)
        return self._known[key]

    def _match(self, path: str, binary: bool) -> FileRole:
        for role, pattern in self._rules:
            if pattern.match(path):
                return role
        if binary:
            return FileRole.BINARY
        return FileRole.SOURCE if language_of(path) else FileRole.OTHER
