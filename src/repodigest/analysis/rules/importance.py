"""Ranking a commit from its facts. Detectors in code say *which* signals fire; the weights,
bands and clamps are data (importance.toml), the reason texts are the wording's [reasons]; a
rules file may override any of them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import pathspec
from pydantic import BaseModel, ConfigDict, ValidationError

from repodigest.analysis.models import Importance
from repodigest.analysis.rules.labels import area_of, major_bump
from repodigest.errors import BadInput
from repodigest.facts.models import Change, CommitFacts, DependencyFact, FileRole, SecurityFact, SymbolFact
from repodigest.facts.roles import periphery_reason, ranked_periphery
from repodigest.facts.security_rules import title_of as security_title
from repodigest.facts.symbols.compare import special_member
from repodigest.source.models import Commit
from repodigest.wording import Catalog, languages

LARGE_CHANGE_LINES = 500
TINY_CHANGE_LINES = 10
WIDE_CHANGE_AREAS = 4


@dataclass(frozen=True)
class Signal:
    id: str
    items: tuple[str, ...] = ()
    count: int = 0


@dataclass(frozen=True)
class SignalRule:
    weight: int
    reason: dict[str, str]
    min_level: Importance | None = None
    max_level: Importance | None = None


@dataclass(frozen=True)
class ImportanceRules:
    high: int
    medium: int
    signals: dict[str, SignalRule]
    periphery: pathspec.PathSpec
    core: pathspec.PathSpec | None = None
    pull_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """signal → pull-request labels that fire it (lower case), from [pull_request_labels]."""

    @classmethod
    def load(cls, override: Path | None = None) -> ImportanceRules:
        data = tomllib.loads(
            resources.files("repodigest.analysis.rules").joinpath("importance.toml").read_text("utf-8")
        )
        for name, table in data.get("signals", {}).items():
            table["reason"] = _builtin_reasons(name)
        if override is not None:
            data = _merge(data, _read_override(override, data.get("signals", {})))
        signals = {
            name: SignalRule(
                weight=int(table.get("weight", 0)),
                reason=dict(table.get("reason", {})),
                min_level=Importance(table["min_level"]) if "min_level" in table else None,
                max_level=Importance(table["max_level"]) if "max_level" in table else None,
            )
            for name, table in data.get("signals", {}).items()
        }
        paths = data.get("paths", {})
        core = paths.get("core") or []
        return cls(
            high=int(data["levels"]["high"]),
            medium=int(data["levels"]["medium"]),
            signals=signals,
            periphery=pathspec.PathSpec.from_lines(
                "gitignore", paths["periphery"] if "periphery" in paths else ranked_periphery()
            ),
            core=pathspec.PathSpec.from_lines("gitignore", core) if core else None,
            pull_labels={
                signal: tuple(str(name).lower() for name in names)
                for signal, names in data.get("pull_request_labels", {}).items()
            },
        )

    def is_core(self, path: str) -> bool:
        if self.core is not None:
            return self.core.match_file(path)
        return not self.periphery.match_file(path)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _LevelsOverride(_Strict):
    high: int | None = None
    medium: int | None = None


class _PathsOverride(_Strict):
    periphery: list[str] | None = None
    core: list[str] | None = None


class _SignalOverride(_Strict):
    weight: int | None = None
    reason: dict[Literal["zh", "en"], str] | None = None
    min_level: Literal["high", "medium", "low"] | None = None
    max_level: Literal["high", "medium", "low"] | None = None


class _RulesOverride(_Strict):
    """What a user's rules file may say: validated as strictly as the config file, so a typo or
    a wrong type is one clear line, not a crash or a silently ignored rule."""

    levels: _LevelsOverride = _LevelsOverride()
    paths: _PathsOverride = _PathsOverride()
    signals: dict[str, _SignalOverride] = {}


def _read_override(path: Path, known_signals) -> dict:
    fix = "fix the file or remove `rules` from the config"
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInput(f"cannot read rules file {path}: {error}", fix) from None
    try:
        checked = _RulesOverride.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        got = f" (got {first['input']!r})" if first["type"] != "extra_forbidden" and "input" in first else ""
        raise BadInput(f"rules file {path}: {where}: {first['msg']}{got}", fix) from None
    unknown = sorted(set(checked.signals) - set(known_signals))
    if unknown:
        raise BadInput(
            f"rules file {path}: unknown signal {unknown[0]!r}",
            f"use one of the signals in the built-in importance.toml ({', '.join(sorted(known_signals)[:4])}, ...)",
        )
    return checked.model_dump(exclude_none=True)


def _builtin_reasons(signal: str) -> dict[str, str]:
    """The signal's reason in every language the wording has."""
    return {language: reason for language in languages() if (reason := Catalog(language).reason(signal))}


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


@dataclass
class Verdict:
    level: Importance
    score: int
    reasons: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    floor: Importance | None = None
    """The lowest level the facts allow (breaking or security findings), whatever else says."""
    floor_reasons: list[str] = field(default_factory=list)


def judge(commit: Commit, facts: CommitFacts, change_type: str, rules: ImportanceRules, language: str) -> Verdict:
    fired = [signal for signal in detect(commit, facts, change_type, rules) if signal.id in rules.signals]
    score = sum(rules.signals[s.id].weight for s in fired)
    level = Importance.HIGH if score >= rules.high else Importance.MEDIUM if score >= rules.medium else Importance.LOW
    for signal in fired:
        rule = rules.signals[signal.id]
        if rule.max_level and level.rank < rule.max_level.rank:
            level = rule.max_level
    for signal in fired:
        rule = rules.signals[signal.id]
        if rule.min_level and level.rank > rule.min_level.rank:
            level = rule.min_level
    ordered = sorted(fired, key=lambda s: -abs(rules.signals[s.id].weight))
    reasons = [_reason(rules.signals[s.id], s, language) for s in ordered]
    floors = [s for s in ordered if rules.signals[s.id].min_level is not None]
    floor = min(
        (least for s in floors if (least := rules.signals[s.id].min_level) is not None),
        key=lambda least: least.rank,
        default=None,
    )
    return Verdict(
        level=level,
        score=score,
        reasons=[r for r in reasons if r],
        signals=fired,
        floor=floor,
        floor_reasons=[_reason(rules.signals[s.id], s, language) for s in floors],
    )


def _reason(rule: SignalRule, signal: Signal, language: str) -> str:
    template = rule.reason.get(language) or rule.reason.get("en") or signal.id
    items = signal.items
    if signal.id.startswith("security"):
        items = tuple(security_title(item, language) or item for item in items)
        return template.format(items=Catalog(language).items(items, code=False), count=signal.count)
    return template.format(items=Catalog(language).items(items), count=signal.count)


Detector = Callable[[Commit, CommitFacts, str, ImportanceRules], Iterator[Signal]]


def detect(commit: Commit, facts: CommitFacts, change_type: str, rules: ImportanceRules) -> Iterator[Signal]:
    for detector in DETECTORS:
        yield from detector(commit, facts, change_type, rules)


def _breaking(commit, facts, _change_type, _rules):
    items = [f.label for f in facts.breaking]
    if "BREAKING CHANGE:" in commit.message or "BREAKING-CHANGE:" in commit.message or _bang(commit.subject):
        items.append(commit.subject[:60])
    if items:
        yield Signal("breaking_change", tuple(dict.fromkeys(items)))


def _possible_breaks(_commit, facts, _change_type, rules):
    items = [f.label for f in facts.possibly_breaking if rules.is_core(f.evidence[0].path)]
    if items and not facts.breaking:
        yield Signal("possible_break", tuple(dict.fromkeys(items)))


def _defaults(_commit, facts, _change_type, rules):
    defaults = [f for f in facts.changed_defaults if rules.is_core(f.evidence[0].path)]
    switches = [f for f in defaults if f.top_level]
    if switches:
        yield Signal("changed_default_switch", tuple(dict.fromkeys(f.label for f in switches)))
    elif defaults:
        yield Signal("changed_default", tuple(dict.fromkeys(f.label for f in defaults)))


ADVISORY_SUBJECT = re.compile(
    r"^Merge commit from fork$|\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3})\b", re.IGNORECASE
)


def _advisory(commit, facts, change_type, rules):
    """GitHub merges a security advisory's private fork as "Merge commit from fork"; CVE and
    GHSA ids name a published vulnerability."""
    core_source = any(facts.role_of(f.path) == FileRole.SOURCE and rules.is_core(f.path) for f in commit.files)
    if ADVISORY_SUBJECT.search(commit.subject) or (ADVISORY_SUBJECT.search(commit.message) and change_type == "fix"):
        if core_source:
            yield Signal("advisory_fix")
    elif ("hardening" in facts.categories or change_type == "security") and core_source:
        yield Signal("hardening")


CODE_KINDS = ("layout_only", "comments_only", "logging_only")


def _code_kind(commit, facts, change_type, rules):
    categories = facts.categories
    for kind in CODE_KINDS:
        if kind in categories:
            yield Signal(kind)
            return
    core = [
        f
        for f in commit.files
        if facts.role_of(f.path) == FileRole.SOURCE and rules.is_core(f.path) and (f.added or f.removed)
    ]
    if core:
        yield Signal("behaviour_change", tuple(dict.fromkeys(area_of(f.path) for f in core)))
    if "guards" in categories and change_type in ("feat", "change", "fix"):
        yield Signal("adds_guards")
    if "perf_data" in categories:
        yield Signal("perf_data")


def _chart(commit, facts, _change_type, _rules):
    """A Helm chart's templates and values are what its users install."""
    chart = [
        f.path
        for f in commit.files
        if facts.role_of(f.path) == FileRole.DEPLOY
        and ("templates/" in f.path or f.path.endswith(("values.yaml", "values.schema.json")))
    ]
    if chart:
        yield Signal("chart_change", tuple(dict.fromkeys(area_of(p) for p in chart)))


def _bang(subject: str) -> bool:
    head = subject.split(":", 1)[0]
    return ":" in subject and head.endswith("!") and " " not in head


def _security(_commit, facts, _change_type, rules):
    """Findings in developer tooling, examples and tests are worth a look, never an alarm."""
    every = facts.of_kind(SecurityFact)
    findings = [f for f in every if rules.is_core(f.evidence[0].path) and not periphery_reason(f.evidence[0].path)]
    if every and not findings:
        yield Signal("security_periphery", tuple(dict.fromkeys(f.rule for f in every)))
        return
    high = [f.rule for f in findings if f.severity == "high"]
    other = [f.rule for f in findings if f.severity != "high"]
    if high:
        yield Signal("security_high", tuple(dict.fromkeys(high)))
    elif other:
        yield Signal("security_medium", tuple(dict.fromkeys(other)))


API_KINDS = {"function", "method", "class", "struct", "trait", "interface", "enum", "type", "module", "reexport"}


def _public_api(_commit, facts, _change_type, rules):
    added = [
        f.symbol
        for f in facts.of_kind(SymbolFact)
        if f.public
        and f.change == Change.ADDED
        and f.symbol_kind in API_KINDS
        and not special_member(f.symbol)
        and facts.role_of(f.evidence[0].path) == FileRole.SOURCE
        and rules.is_core(f.evidence[0].path)
    ]
    if added:
        yield Signal("new_public_api", tuple(dict.fromkeys(added)))


def _interfaces(_commit, facts, _change_type, rules):
    new = [
        f
        for f in facts.new_interfaces
        if rules.is_core(f.evidence[0].path) and facts.role_of(f.evidence[0].path) not in (FileRole.TEST, FileRole.DOCS)
    ]
    if new:
        yield Signal("user_facing_interface", tuple(dict.fromkeys(f.label for f in new)))


def _dependencies(_commit, facts, _change_type, rules):
    direct = [f for f in facts.of_kind(DependencyFact) if f.direct]
    if not direct:
        return
    if not any(f.runtime for f in direct):
        yield Signal("development_dependency", tuple(dict.fromkeys(f.name for f in direct)))
        return
    core = [f for f in direct if rules.is_core(f.manifest)]
    if not core:
        yield Signal("peripheral_dependency", tuple(dict.fromkeys(f.name for f in direct)))
        return
    major = [f for f in core if f.change == Change.UPGRADED and major_bump(f.old_version, f.new_version)]
    if major:
        yield Signal(
            "major_dependency_upgrade",
            tuple(dict.fromkeys(f"{f.name} {f.old_version} → {f.new_version}" for f in major)),
        )
    else:
        yield Signal("direct_dependency", tuple(dict.fromkeys(f.name for f in core)))


def _change_type(_commit, facts, change_type, rules):
    if f"type_{change_type}" in rules.signals:
        if change_type == "revert":
            reverted = [f.reverts for f in facts.facts if getattr(f, "category", None) == "revert" and f.reverts]
            yield Signal("type_revert", tuple(r[:12] for r in reverted))
        else:
            yield Signal(f"type_{change_type}")


def _paths(commit, facts, _change_type, rules):
    source = [f for f in commit.files if facts.role_of(f.path) == FileRole.SOURCE]
    core = [f for f in source if rules.is_core(f.path)]
    if core:
        yield Signal("core_code", tuple(dict.fromkeys(area_of(f.path) for f in core)))
    paths = [f.path for f in commit.files]
    if paths and not any(rules.is_core(p) for p in paths):
        yield Signal("periphery_only", tuple(dict.fromkeys(area_of(p) for p in paths)))
    areas = {area_of(f.path) for f in core}
    if len(areas) >= WIDE_CHANGE_AREAS:
        yield Signal("wide_change", count=len(areas))
    lines = sum(f.added + f.removed for f in source)
    if lines >= LARGE_CHANGE_LINES:
        yield Signal("large_change", count=lines)
    total = commit.lines_added + commit.lines_removed
    if total <= TINY_CHANGE_LINES:
        yield Signal("tiny_change", count=total)


def _categories(commit, facts, change_type, _rules):
    categories = facts.categories
    for category in ("docs_only", "tests_only", "ci_only", "build_only", "dependencies_only"):
        if category in categories:
            yield Signal(category)
    roles = {facts.role_of(f.path) for f in commit.files}
    if roles and roles <= {FileRole.GENERATED, FileRole.LOCKFILE}:
        yield Signal("generated_only")
    elif roles & {FileRole.CONFIG, FileRole.OTHER} and roles <= {FileRole.CONFIG, FileRole.OTHER, FileRole.DOCS}:
        yield Signal("data_only")
    if "code_without_tests" in categories and change_type in ("feat", "fix", "perf", "refactor", "change"):
        yield Signal("code_without_tests")


def _pull_labels(commit, _facts, _change_type, rules):
    """The maintainers' own labels on the pull request the commit came from (when the host was
    asked: source/pulls.py): `breaking-change`, `security`, `bug`, `release-note-none`..."""
    labels = {label.lower(): label for pull in commit.pull_requests for label in pull.labels}
    for signal, names in rules.pull_labels.items():
        matched = [labels[name] for name in names if name in labels]
        if matched:
            yield Signal(signal, tuple(matched))


DETECTORS: list[Detector] = [
    _breaking,
    _pull_labels,
    _possible_breaks,
    _defaults,
    _advisory,
    _security,
    _public_api,
    _interfaces,
    _dependencies,
    _change_type,
    _code_kind,
    _chart,
    _paths,
    _categories,
]
