"""Classifying each path of a commit: source, test, docs, CI, build, lockfile, generated, ..."""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import PurePosixPath

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
        return cls.from_tables([*(overrides or []), *_builtin()["role"]])

    @property
    def digest(self) -> str:
        """Changes when any rule does (part of the facts cache key)."""
        rules = "\n".join(f"{role.value}={pattern.pattern}" for role, pattern in self._rules)
        # The periphery decides facts too (no public symbol under examples/), so it is part of the key.
        periphery = "\n".join(f"{folder}={reason}" for folder, reason in periphery_folders().items())
        return hashlib.sha256(f"{rules}\n{periphery}".encode()).hexdigest()[:16]

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


@cache
def _builtin() -> dict:
    return tomllib.loads(resources.files("repodigest.facts").joinpath("roles.toml").read_text("utf-8"))


@cache
def periphery_folders() -> dict[str, str]:
    """Folder name (lower case) → why a tree of that name is periphery, from roles.toml [[periphery]]."""
    return {folder.lower(): table["reason"] for table in _builtin()["periphery"] for folder in table["folders"]}


def periphery_reason(path: str) -> str | None:
    """Why a path can never be public API, or None. Whole path segments only: `src/author.py`
    is not under `auth/`, and `testing_utils.py` is not a test folder."""
    folders = periphery_folders()
    for segment in PurePosixPath(path).parts[:-1]:
        reason = folders.get(segment.lower())
        if reason:
            return f"{reason} ({segment}/)"
    return None


def build_periphery_reason(path: str) -> str | None:
    """Why a build input (a Dockerfile, its build arguments) cannot reach users, or None: as
    `periphery_reason`, except that packaging trees (`ships`) build what users install."""
    reason = periphery_reason(path)
    return None if reason is None or _ships(path) else reason


def _ships(path: str) -> bool:
    shipping = _shipping_folders()
    return any(segment.lower() in shipping for segment in PurePosixPath(path).parts[:-1])


@cache
def _shipping_folders() -> frozenset[str]:
    """Folder names (lower case) of the periphery tables marked `ships`: read once, not per path."""
    return frozenset(
        folder.lower() for table in _builtin()["periphery"] if table.get("ships") for folder in table["folders"]
    )


def ranked_periphery() -> list[str]:
    """The periphery as the ranking's default `[paths] periphery` globs: every tree but those the
    ranking judges by their role (tests) and packaging trees, whose builds ship."""
    return [
        f"{folder}/"
        for table in _builtin()["periphery"]
        if not table.get("ranked_by_role") and not table.get("ships")
        for folder in table["folders"]
    ]
