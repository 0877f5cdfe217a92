"""Typed facts about one commit, each carrying the evidence that proves it.

A fact is only ever produced from the commit's own diff (or the file contents on both sides
of it), so every `Evidence.path` is a path the commit touched and every `Evidence.line` is a
line of the old or new version of that file.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, ClassVar, Literal, TypeVar, Union

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
    MOVED = "moved"
    """Removed in one place and added with the same name and signature elsewhere in the commit."""


Confidence = Literal["high", "low"]
WireFormat = Literal["protobuf", "openapi", "crd"]
"""How sure a breaking judgement is: `high` raises a commit to high importance and enters the
highlights; `low` reads "may affect callers" and caps at medium."""

Audience = Literal["user", "maintainer"]
"""Who sets or calls an interface: users and operators, or only the project's maintainers
(tests, CI, build-time variables, developer scripts)."""


class _Fact(BaseModel):
    """Every fact kind answers the same questions here, so that ranking, writing, highlights and
    the LLM prompt never decide them on their own: its label, whether it is an interface users
    touch, whether it is new, and whether (and how surely) it breaks callers."""

    model_config = ConfigDict(frozen=True)

    evidence: tuple[Evidence, ...] = Field(min_length=1)
    interface: ClassVar[str | None] = None
    """The interface kind this fact describes (flag, env, route, config, api), or None."""

    @property
    def label(self) -> str:
        return str(getattr(self, "kind", type(self).__name__))

    @property
    def user_facing(self) -> bool:
        """An interface a user or operator sets or calls (not a maintainer's)."""
        return self.interface is not None and getattr(self, "audience", "user") == "user"

    @property
    def is_new_interface(self) -> bool:
        return self.user_facing and getattr(self, "change", None) in (Change.ADDED, Change.RENAMED)

    @property
    def breaks_callers(self) -> bool:
        """A high-confidence break of the public surface."""
        return bool(getattr(self, "breaking", False)) and getattr(self, "confidence", "high") == "high"

    @property
    def may_break(self) -> bool:
        """A possible break: worth a line, never a headline."""
        return bool(getattr(self, "breaking", False)) and getattr(self, "confidence", "high") == "low"

    @property
    def released_name(self) -> str | None:
        """The name a released version of the file must contain for the element this fact breaks
        to have been released; None when the kind cannot break anything."""
        return None


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
    confidence: Confidence = "high"
    moved_from: str | None = None
    """For `moved`: the path the symbol was defined in before."""

    @property
    def label(self) -> str:
        """A rename reads `old → new`: callers know the old name."""
        return (
            f"{self.old_symbol} → {self.symbol}" if self.change == Change.RENAMED and self.old_symbol else self.symbol
        )

    @property
    def caller_name(self) -> str:
        """The name callers used before the change."""
        return self.old_symbol if self.change == Change.RENAMED and self.old_symbol else self.symbol

    @property
    def released_name(self) -> str:
        return re.split(r"[.:]+", self.caller_name)[-1]

    @property
    def user_facing(self) -> bool:
        return self.public


class CliFlagFact(_Fact):
    kind: Literal["cli_flag"] = "cli_flag"
    interface: ClassVar[str] = "flag"
    flag: str
    framework: str
    change: Change
    old_flag: str | None = None
    breaking: bool = False
    confidence: Confidence = "high"
    audience: Audience = "user"

    @property
    def label(self) -> str:
        return f"{self.old_flag} → {self.flag}" if self.change == Change.RENAMED and self.old_flag else self.flag

    @property
    def released_name(self) -> str:
        return self.old_flag or self.flag


class EnvVarFact(_Fact):
    kind: Literal["env_var"] = "env_var"
    interface: ClassVar[str] = "env"
    name: str
    change: Change
    """added: newly read; removed: no longer read."""
    breaking: bool = False
    confidence: Confidence = "high"
    audience: Audience = "user"

    @property
    def label(self) -> str:
        return self.name

    @property
    def released_name(self) -> str:
        return self.name


class ConfigKeyFact(_Fact):
    kind: Literal["config_key"] = "config_key"
    interface: ClassVar[str] = "config"
    key: str
    change: Change
    old_value: str | None = None
    new_value: str | None = None
    breaking: bool = False
    confidence: Confidence = "high"
    audience: Audience = "user"

    @property
    def label(self) -> str:
        return self.key

    @property
    def released_name(self) -> str:
        return self.key.rsplit(".", 1)[-1]


class DefaultFact(_Fact):
    """A value users get without setting anything changed: `key: old → new`. Upgrading changes
    behaviour for everyone who relied on the default, so this is a fact of its own."""

    kind: Literal["changed_default"] = "changed_default"
    key: str
    old_value: str
    new_value: str
    source: str = "config"
    """Where the default lives: config (a defaults or values file), code (a configuration module,
    a default constant, a configuration class), flag, crd, build-arg (a container build's `ARG`)."""
    top_level: bool = False
    """True for a switch users flip (a boolean or an `enabled` key, a Helm chart's or main
    configuration's top level): the strongest kind of changed default."""
    UNSET: ClassVar[str] = "unset"
    """The value on the side that has no default (a schema's `default:` added or dropped)."""

    @property
    def label(self) -> str:
        return f"{self.key}: {self.old_value} → {self.new_value}"

    @property
    def user_facing(self) -> bool:
        return True

    @staticmethod
    def flips(old_value: str, new_value: str) -> bool:
        """A boolean turned the other way: the strongest kind of changed default."""
        return {old_value.lower(), new_value.lower()} == {"true", "false"}


class RouteFact(_Fact):
    kind: Literal["http_route"] = "http_route"
    interface: ClassVar[str] = "route"
    method: str
    route: str
    framework: str
    change: Change
    breaking: bool = False
    confidence: Confidence = "high"
    audience: Audience = "user"

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"

    @property
    def released_name(self) -> str:
        return self.route


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
    runtime: bool = True
    """False for development, test and build-only dependencies."""

    @property
    def label(self) -> str:
        if self.old_version and self.new_version:
            return f"{self.name} {self.old_version} → {self.new_version}"
        version = self.new_version or self.old_version
        sign = {"added": "+", "removed": "\N{MINUS SIGN}"}.get(self.change.value, "")
        return f"{sign}{self.name}{f' {version}' if version else ''}"


class WireFact(_Fact):
    """An element of a wire format or API schema that clients are built against: a protobuf
    message field, enum value or RPC; an OpenAPI operation, parameter or schema property; a field
    or version of a Kubernetes CustomResourceDefinition.

    Graded like buf and oasdiff: an error breaks existing clients for sure (`breaking`, high
    confidence: a field removed or its number or type changed); a warning may break them
    (`breaking`, low confidence: a rename that keeps the wire but breaks JSON and generated code);
    information is compatible (an addition, a reservation)."""

    kind: Literal["wire"] = "wire"
    interface: ClassVar[str] = "api"
    format: WireFormat
    element: str
    """field, message, enum, enum_value, service, rpc, reserved; operation, parameter, property;
    version, storage_version."""
    name: str
    """Where it is, as its users name it: `Message.field`, `GET /users/{id}`, `v1 spec.replicas`."""
    change: Change
    old_name: str | None = None
    """For a rename: the name clients used."""
    old_value: str | None = None
    """For a change: what it was (a field's number or type, `optional`, the storage version)."""
    new_value: str | None = None
    breaking: bool = False
    confidence: Confidence = "high"
    audience: Audience = "user"
    mirrors: tuple[str, ...] = ()
    """What users name that goes with it in the same commit, shown once with it, never as facts
    of their own: a removed RPC's request and response messages; the Go API type fields,
    apply-configuration methods and SDK model classes generated from a removed CRD field."""
    released_in: str | None = None
    """For a sure break the facts engine checked against the project's tags: the newest release
    before the commit, which had the element (`v1.51.0`)."""
    unreleased: bool = False
    """Set by the facts engine when no release before the commit had the element: nobody who
    installed a release depends on it, so the break is only a possible one."""
    name_on_wire: Literal["http", "openapi", "buf"] | None = None
    """For a renamed protobuf field, why its name is public and the rename a sure break: its
    package is served as REST (`google.api.http`), a REST spec of the commit carries its JSON
    name, or the project's buf breaking contract keeps names."""

    NEW_ELEMENTS: ClassVar[frozenset[str]] = frozenset(
        {"field", "message", "enum", "enum_value", "service", "rpc", "operation", "parameter", "property", "version"}
    )

    @property
    def label(self) -> str:
        if self.change == Change.RENAMED and self.old_name:
            return f"{self.old_name} → {self.name}"
        if self.old_value is not None and self.new_value is not None:
            return f"{self.name}: {self.old_value} → {self.new_value}"
        return f"{self.name} ({self.new_value})" if self.new_value else self.name

    @property
    def released_name(self) -> str:
        """The route of an operation; else the last part of the name (`Order.quantity` → `quantity`)."""
        name = self.old_name or self.name
        if self.element == "operation":
            return name.split(" ", 1)[-1]
        return [part for part in re.split(r"[.\s\[\]{}]+", name) if part][-1]

    @property
    def is_new_interface(self) -> bool:
        """A new field, RPC, operation or version clients may use; a reservation is not one."""
        return self.user_facing and self.change == Change.ADDED and self.element in self.NEW_ELEMENTS

    @property
    def severity(self) -> Literal["error", "warning", "info"]:
        return "info" if not self.breaking else "error" if self.confidence == "high" else "warning"


class SecurityFact(_Fact):
    kind: Literal["security"] = "security"
    rule: str
    """Identifier of the rule that fired, e.g. `k8s-rbac-wildcard`."""
    title: str
    severity: Literal["high", "medium", "low"] = "medium"

    @property
    def label(self) -> str:
        return self.rule


class ReleaseFact(_Fact):
    """The project's own version moved: a release marker, not a dependency change."""

    kind: Literal["release"] = "release"
    old_version: str | None = None
    new_version: str
    manifest: str

    @property
    def label(self) -> str:
        return f"{self.old_version} → {self.new_version}" if self.old_version else self.new_version


class ChangeKindFact(_Fact):
    """What the commit is as a whole: docs-only, tests-only, a revert, ..."""

    kind: Literal["change_kind"] = "change_kind"
    category: str
    """docs_only, tests_only, ci_only, build_only, dependencies_only, generated, vendored,
    lockfile, binary, revert, code_without_tests, perf_data, guards, hardening."""
    reverts: str | None = None
    """For `revert`: the sha (or subject) of the reverted commit, as the message names it."""


Fact = Annotated[
    Union[
        SymbolFact,
        CliFlagFact,
        EnvVarFact,
        ConfigKeyFact,
        DefaultFact,
        RouteFact,
        DependencyFact,
        WireFact,
        SecurityFact,
        ReleaseFact,
        ChangeKindFact,
    ],
    Field(discriminator="kind"),
]

KindOfFact = TypeVar("KindOfFact", bound=_Fact)

BREAKABLE = (SymbolFact, CliFlagFact, EnvVarFact, ConfigKeyFact, RouteFact, WireFact)


class FileNoteReason(StrEnum):
    """Why a file's facts are file-level only, or what else a reader should know of how it was read."""

    TOO_LARGE = "too_large"
    GENERATED = "generated"
    MINIFIED = "minified"
    PARSE_ERRORS = "parse_errors"
    UNREADABLE_YAML = "unreadable_yaml"
    UNREADABLE_PROTOBUF = "unreadable_protobuf"
    UNREADABLE_CONFIGURATION = "unreadable_configuration"
    UNREADABLE_MANIFEST = "unreadable_manifest"
    UNREADABLE_OPENAPI = "unreadable_openapi"
    SCHEMAS_FROM_PROTOBUF = "schemas_from_protobuf"

    @property
    def hides_facts(self) -> bool:
        """True when the file was not read at all, so the facts it holds are missing: the section
        says so. Not for files left out on purpose (generated, minified, a spec generated from
        .proto, judged there), nor for parse errors: tree-sitter recovers around them (C++ macros
        trip it in one section in four on nixl) and the file's other definitions are compared;
        the JSON still gives the note."""
        return self not in (
            FileNoteReason.GENERATED,
            FileNoteReason.MINIFIED,
            FileNoteReason.SCHEMAS_FROM_PROTOBUF,
            FileNoteReason.PARSE_ERRORS,
        )


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
    reason: FileNoteReason | None = None
    """The note's kind, which the report words in its language."""
    public_surface: bool | None = None
    """Whether the file's definitions are the project's public API; None when not judged."""
    surface_reason: str | None = None
    """Why it is or is not public surface: `internal/ package`, `installed header`, ..."""


class FileNote(BaseModel):
    """What an extractor found about one file beside its facts; it yields these among its facts.
    Only the fields it sets count: the engine folds a file's notes, in extractor order, into its
    FileFacts (a later extractor's note replaces an earlier one's, `parsed` once True stays)."""

    model_config = ConfigDict(frozen=True)

    path: str
    parsed: bool = False
    note: str | None = None
    reason: FileNoteReason | None = None
    public_surface: bool | None = None
    surface_reason: str | None = None


class ExtractorFailure(BaseModel):
    """An extractor raised on a commit: its other facts and the other extractors' stand."""

    model_config = ConfigDict(frozen=True)

    extractor: str
    error: str
    """The exception's type name (its message may quote the repository's content)."""


class CommitFacts(BaseModel):
    """Everything the diff of one commit says, with evidence."""

    model_config = ConfigDict(frozen=True)

    sha: str
    files: tuple[FileFacts, ...] = ()
    facts: tuple[Fact, ...] = ()
    failures: tuple[ExtractorFailure, ...] = ()
    """Extractors that failed on this commit, once each: the facts they found before stand."""

    def of_kind(self, kind: type[KindOfFact]) -> list[KindOfFact]:
        return [f for f in self.facts if isinstance(f, kind)]

    @property
    def reverted(self) -> str | None:
        """The commit this one reverts (a sha or a subject), as its message names it."""
        return next((f.reverts for f in self.of_kind(ChangeKindFact) if f.category == "revert" and f.reverts), None)

    @property
    def breaking(self) -> list[Fact]:
        """High-confidence breaks of the public surface."""
        return [f for f in self.facts if isinstance(f, BREAKABLE) and f.breaks_callers]

    @property
    def possibly_breaking(self) -> list[Fact]:
        return [f for f in self.facts if isinstance(f, BREAKABLE) and f.may_break]

    @property
    def new_interfaces(self) -> list[Fact]:
        """Interfaces users touch that this commit adds (flags, variables, routes, keys)."""
        return [f for f in self.facts if not isinstance(f, SymbolFact) and f.is_new_interface]

    @property
    def changed_defaults(self) -> list[DefaultFact]:
        return [f for f in self.facts if isinstance(f, DefaultFact)]

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.facts if isinstance(f, ChangeKindFact)}

    def role_of(self, path: str) -> FileRole:
        for file in self.files:
            if file.path == path:
                return file.role
        return FileRole.OTHER
