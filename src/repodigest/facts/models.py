"""Typed facts about one commit, each carrying the evidence that proves it.

A fact is only ever produced from the commit's own diff (or the file contents on both sides
of it), so every `Evidence.path` is a path the commit touched and every `Evidence.line` is a
line of the old or new version of that file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class Side(StrEnum):
    NEW = "new"
    OLD = "old"


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    line: int | None = None
    """1-based line number in the file on `side`; None when the evidence is the whole file."""
    side: Side = Side.NEW
    excerpt: str | None = None
    """The diff line (without its +/- marker), trimmed to a readable length."""


class FileRole(StrEnum):
    SOURCE = "source"
    TEST = "test"
    DOCS = "docs"
    CI = "ci"
    BUILD = "build"
    CONFIG = "config"
    DEPENDENCY_MANIFEST = "dependency_manifest"
    LOCKFILE = "lockfile"
    GENERATED = "generated"
    VENDORED = "vendored"
    BINARY = "binary"
    DEPLOY = "deploy"
    OTHER = "other"


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    SIGNATURE_CHANGED = "signature_changed"
    BODY_CHANGED = "body_changed"
    CHANGED = "changed"
    UPGRADED = "upgraded"
    DOWNGRADED = "downgraded"


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True)

    evidence: tuple[Evidence, ...] = Field(min_length=1)


class SymbolFact(_Fact):
    """A function, method, type or module-level constant that was added, removed or changed."""

    kind: Literal["symbol"] = "symbol"
    language: str
    symbol: str
    """Qualified name as the language writes it, e.g. `Router.route` or `pkg::Type`."""
    symbol_kind: str
    """function, method, class, struct, enum, trait, interface, type, constant."""
    change: Change
    public: bool
    old_symbol: str | None = None
    old_signature: str | None = None
    new_signature: str | None = None
    breaking: bool = False


class CliFlagFact(_Fact):
    kind: Literal["cli_flag"] = "cli_flag"
    flag: str
    framework: str
    change: Change
    old_flag: str | None = None
    breaking: bool = False


class EnvVarFact(_Fact):
    kind: Literal["env_var"] = "env_var"
    name: str
    change: Change
    """added: newly read; removed: no longer read."""
    breaking: bool = False


class ConfigKeyFact(_Fact):
    kind: Literal["config_key"] = "config_key"
    key: str
    change: Change
    old_value: str | None = None
    new_value: str | None = None
    breaking: bool = False


class RouteFact(_Fact):
    kind: Literal["http_route"] = "http_route"
    method: str
    route: str
    framework: str
    change: Change
    breaking: bool = False


class DependencyFact(_Fact):
    kind: Literal["dependency"] = "dependency"
    ecosystem: str
    """pypi, cargo, go, npm, docker, github-actions, helm, git-submodule."""
    name: str
    change: Change
    old_version: str | None = None
    new_version: str | None = None
    manifest: str
    direct: bool = True
    """False for entries that only a lockfile records."""


class SecurityFact(_Fact):
    kind: Literal["security"] = "security"
    rule: str
    """Identifier of the rule that fired, e.g. `k8s-rbac-wildcard`."""
    title: str
    severity: Literal["high", "medium", "low"] = "medium"


class ChangeKindFact(_Fact):
    """What the commit is as a whole: docs-only, tests-only, a revert, ..."""

    kind: Literal["change_kind"] = "change_kind"
    category: str
    """docs_only, tests_only, ci_only, build_only, dependencies_only, generated, vendored,
    lockfile, binary, revert, code_without_tests."""
    reverts: str | None = None
    """For `revert`: the sha (or subject) of the reverted commit, as the message names it."""


Fact = Annotated[
    Union[
        SymbolFact,
        CliFlagFact,
        EnvVarFact,
        ConfigKeyFact,
        RouteFact,
        DependencyFact,
        SecurityFact,
        ChangeKindFact,
    ],
    Field(discriminator="kind"),
]

BREAKABLE = (SymbolFact, CliFlagFact, EnvVarFact, ConfigKeyFact, RouteFact)


class FileFacts(BaseModel):
    """Per-file classification: what role a path plays and in which language it is written."""

    model_config = ConfigDict(frozen=True)

    path: str
    role: FileRole
    language: str | None = None
    parsed: bool = False
    """True when a parser read the file; False when facts for it are file-level only."""
    note: str | None = None
    """Why a file was not parsed (too large, minified, parse error, ...)."""


class CommitFacts(BaseModel):
    """Everything the diff of one commit says, with evidence."""

    model_config = ConfigDict(frozen=True)

    sha: str
    files: tuple[FileFacts, ...] = ()
    facts: tuple[Fact, ...] = ()

    def of_kind(self, kind: type[_Fact]) -> list:
        return [f for f in self.facts if isinstance(f, kind)]

    @property
    def breaking(self) -> list:
        return [f for f in self.facts if isinstance(f, BREAKABLE) and f.breaking]

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.facts if isinstance(f, ChangeKindFact)}

    def role_of(self, path: str) -> FileRole:
        for file in self.files:
            if file.path == path:
                return file.role
        return FileRole.OTHER
