"""Writing the analysis sections from facts alone. Every sentence states something the facts
(or the commit's own message, named as such) support; a section with nothing to say stays empty."""

from __future__ import annotations

from collections import defaultdict

from repodigest.analysis.models import ImpactItem, Insight
from repodigest.analysis.rules.labels import area_of, dependency_label, evidence_label, major_bump
from repodigest.facts.models import (
    Change,
    CliFlagFact,
    CommitFacts,
    ConfigKeyFact,
    DependencyFact,
    EnvVarFact,
    FileRole,
    ReleaseFact,
    RouteFact,
    SecurityFact,
    SymbolFact,
    WireFact,
)
from repodigest.facts.security_rules import title_of as security_title
from repodigest.facts.surface.model import periphery_reason
from repodigest.source.models import Commit, FileStatus
from repodigest.wording import Catalog

MAX_IMPACT_AREAS = 8
HEADER_SUFFIXES = (".h", ".hh", ".hpp", ".hxx", ".cuh", ".pyi", ".d.ts")
SECONDARY_ROLES = {FileRole.TEST, FileRole.DOCS, FileRole.CI, FileRole.LOCKFILE, FileRole.GENERATED}
"""Areas made only of these come after the product's own code in the impact list."""
LARGE_CHANGE_LINES = 500


class SectionWriter:
    def __init__(self, commit: Commit, facts: CommitFacts, catalog: Catalog) -> None:
        self.commit = commit
        self.facts = facts
        self.t = catalog

    # -- summary -------------------------------------------------------------------------------

    def summary(self, change_type: str, scope: str | None, description: str) -> str:
        lead_kind, lead = self.user_lead()
        parts = [lead, self._lead(change_type, scope, description), self._size()]
        parts.extend(self._fact_sentences(skip=lead_kind))
        if self.commit.is_merge:
            parts.append(self.t.text("summary", "merge"))
        return self.t.joiner.join(p for p in parts if p)

    def short_summary(self, change_type: str, scope: str | None, description: str) -> str:
        """The lead, the size and at most the first two things the facts say."""
        parts = [self._lead(change_type, scope, description), self._size(), *self._fact_sentences()[:2]]
        return self.t.joiner.join(p for p in parts if p)

    def user_lead(self) -> tuple[str | None, str]:
        """The strongest true thing the facts say changes for users, as one sentence: a broken
        public API, a changed default, a security change, a new setting, a possible break, a
        runtime dependency, a release, new public API. ("", "") when the facts say none."""
        facts = self.facts
        candidates = [
            ("breaking", [f.label for f in facts.breaking]),
            ("default", [f.label for f in facts.changed_defaults]),
            ("security", [self._security_title(f) for f in facts.of_kind(SecurityFact)]),
            ("interface", [f.label for f in facts.new_interfaces]),
            ("possible", [f.label for f in facts.possibly_breaking]),
            ("dependency", [f.label for f in facts.of_kind(DependencyFact) if f.direct and f.runtime]),
            ("release", [f.label for f in facts.of_kind(ReleaseFact)]),
            ("public_api", [f.symbol for f in facts.of_kind(SymbolFact) if f.public and f.change == Change.ADDED]),
        ]
        for kind, items in candidates:
            if items:
                code = kind not in ("security",)
                return kind, self.t.text("lead", kind, items=self.t.items(items, code=code))
        return None, ""

    def _lead(self, change_type: str, scope: str | None, description: str) -> str:
        scope_text = self.t.text("summary", "scope", scope=scope) if scope else ""
        description = description.rstrip(".。 ")
        return self.t.text(
            "summary", "lead", type=self.t.change_type(change_type), scope=scope_text, description=description
        )

    def _size(self) -> str:
        files = self.commit.files
        if not files:
            return ""
        binary = sum(1 for f in files if f.binary)
        if binary == len(files):
            return self.t.text("summary", "size_binary", files=len(files), binary=binary)
        areas = [item.area for item in self.impact()[:3]]
        return self.t.text(
            "summary",
            "size",
            files=len(files),
            added=self.commit.lines_added,
            removed=self.commit.lines_removed,
            areas=self.t.items(areas),
        )

    def _fact_sentences(self, skip: str | None = None) -> list[str]:
        """One sentence per kind of fact; the kind the lead already named is not repeated."""
        return [
            *self._headline_sentences(skip),
            *self._symbol_sentences(skip),
            *self._interface_sentences(skip),
            *self._lockfile_sentences(),
            *self._security_and_revert_sentences(skip),
        ]

    def _headline_sentences(self, skip: str | None) -> list[str]:
        sentences = []
        defaults = [f.label for f in self.facts.changed_defaults]
        if defaults and skip != "default":
            sentences.append(self.t.text("summary", "defaults", items=self.t.items(defaults)))
        releases = [f.label for f in self.facts.of_kind(ReleaseFact)]
        if releases and skip != "release":
            sentences.append(self.t.text("summary", "release", items=self.t.items(releases)))
        direct = [f for f in self.facts.of_kind(DependencyFact) if f.direct]
        if direct and skip != "dependency":
            labels = [dependency_label(f, self.t.labelled) for f in direct]
            sentences.append(self.t.text("summary", "dependencies", items=self.t.items(labels, code=False)))
        sentences.extend(self._release_sentences())
        renamed = [f"{f.old_path} → {f.path}" for f in self.commit.files if f.status == FileStatus.RENAMED]
        if renamed:
            sentences.append(self.t.text("summary", "renamed", items=self.t.items(renamed)))
        return sentences

    def _release_sentences(self) -> list[str]:
        """Why a wire break was judged as it was: the release that had the element, or none."""
        wire = [f for f in self.facts.facts if isinstance(f, WireFact) and f.breaking]
        releases = list(dict.fromkeys(f.released_in for f in wire if f.breaks_callers and f.released_in))
        unreleased = [f.label for f in wire if f.unreleased]
        sentences = []
        if releases:
            sentences.append(self.t.text("summary", "released", release=self.t.items(releases, code=False)))
        if unreleased and len(unreleased) == len(self.facts.possibly_breaking):
            sentences.append(self.t.text("summary", "unreleased_all"))  # the lead has named them
        elif unreleased:
            sentences.append(self.t.text("summary", "unreleased", items=self.t.items(unreleased)))
        return sentences

    def _symbol_sentences(self, skip: str | None) -> list[str]:
        symbols = [f for f in self.facts.of_kind(SymbolFact) if f.public]
        skipped_changes = {
            "breaking": (Change.REMOVED, Change.RENAMED),
            "public_api": (Change.ADDED,),
            "possible": (Change.SIGNATURE_CHANGED,),
        }.get(skip or "", ())
        sentences = []
        for change, key in (
            (Change.ADDED, "public_added"),
            (Change.REMOVED, "public_removed"),
            (Change.SIGNATURE_CHANGED, "public_changed"),
            (Change.MOVED, "moved"),
        ):
            names = [f.label for f in symbols if f.change == change]
            if names and change not in skipped_changes:
                sentences.append(self.t.text("summary", key, items=self.t.items(names)))
        return sentences

    def _interface_sentences(self, skip: str | None) -> list[str]:
        sentences = []
        interfaces: tuple[tuple[type[CliFlagFact | EnvVarFact | RouteFact | ConfigKeyFact | WireFact], str], ...] = (
            (CliFlagFact, "flags"),
            (EnvVarFact, "env"),
            (RouteFact, "routes"),
            (ConfigKeyFact, "config"),
            (WireFact, "wire"),
        )
        for kind, key in interfaces:
            facts = [f for f in self.facts.of_kind(kind) if f.user_facing]
            if skip == "interface":
                facts = [f for f in facts if not f.is_new_interface]
            elif skip in ("breaking", "possible"):
                facts = [f for f in facts if not (f.breaks_callers if skip == "breaking" else f.may_break)]
            if facts:
                labelled = [self.t.labelled(f.label, f.change) for f in facts]
                sentences.append(self.t.text("summary", key, items=self.t.items(labelled, code=False)))
        return sentences

    def _lockfile_sentences(self) -> list[str]:
        locked = [f for f in self.facts.of_kind(DependencyFact) if not f.direct]
        if not locked:
            return []
        sentences = [self.t.text("summary", "lockfile_churn", count=len({f.name for f in locked}))]
        named = [dependency_label(f, self.t.labelled) for f in locked if _named_in(f.name, self.commit.message)]
        if named:
            sentences.append(self.t.text("summary", "lockfile_named", items=self.t.items(named, code=False)))
        return sentences

    def _security_and_revert_sentences(self, skip: str | None) -> list[str]:
        sentences = []
        findings = self.facts.of_kind(SecurityFact)
        if findings and skip != "security":
            titles = [self._security_title(f) for f in findings]
            sentences.append(self.t.text("summary", "security", items=self.t.items(titles, code=False)))
        reverted = self.facts.reverted
        if reverted:
            sentences.append(self.t.text("summary", "revert", target=f"`{reverted[:12]}`"))
        return sentences

    # -- impact --------------------------------------------------------------------------------

    def impact(self) -> list[ImpactItem]:
        grouped: dict[str, list] = defaultdict(list)
        for change in self.commit.files:
            grouped[area_of(change.path)].append(change)
        items = [
            ImpactItem(
                area=area,
                files=len(changes),
                added=sum(c.added for c in changes),
                removed=sum(c.removed for c in changes),
            )
            for area, changes in grouped.items()
        ]
        secondary = {
            area
            for area, changes in grouped.items()
            if all(self.facts.role_of(c.path) in SECONDARY_ROLES for c in changes)
        }
        items.sort(key=lambda item: (item.area in secondary, -(item.added + item.removed), -item.files, item.area))
        return items[:MAX_IMPACT_AREAS]

    # -- insights ------------------------------------------------------------------------------

    def insights(self, change_type: str) -> list[Insight]:
        rows = [
            ("architecture", self._architecture()),
            ("compatibility", self._compatibility()),
            ("security", self._security()),
            ("performance", [self.t.text("insights", "performance_claim")] if change_type == "perf" else []),
            ("testing", self._testing()),
            ("operations", self._operations()),
        ]
        return [Insight(dimension=self.t.dimension(name), text=" ".join(texts)) for name, texts in rows if texts]

    def _architecture(self) -> list[str]:
        texts = []
        source = [f for f in self.commit.files if self.facts.role_of(f.path) == FileRole.SOURCE]
        added = [f.path for f in source if f.status == FileStatus.ADDED]
        removed = [f.path for f in source if f.status == FileStatus.DELETED]
        renamed = [f"{f.old_path} → {f.path}" for f in self.commit.files if f.status == FileStatus.RENAMED]
        if added:
            texts.append(self.t.text("insights", "architecture_new_files", count=len(added), items=self.t.items(added)))
        if removed:
            texts.append(
                self.t.text("insights", "architecture_removed_files", count=len(removed), items=self.t.items(removed))
            )
        if renamed:
            texts.append(
                self.t.text("insights", "architecture_renames", count=len(renamed), items=self.t.items(renamed))
            )
        public = [f for f in self.facts.of_kind(SymbolFact) if f.public]
        if public:
            counts = {
                change: sum(1 for f in public if f.change == change)
                for change in (Change.ADDED, Change.REMOVED, Change.SIGNATURE_CHANGED)
            }
            if any(counts.values()):
                texts.append(
                    self.t.text(
                        "insights",
                        "architecture_symbols",
                        added=counts[Change.ADDED],
                        removed=counts[Change.REMOVED],
                        changed=counts[Change.SIGNATURE_CHANGED],
                    )
                )
        areas = {area_of(f.path) for f in source}
        if len(areas) >= 3:
            texts.append(
                self.t.text("insights", "architecture_areas", count=len(areas), items=self.t.items(sorted(areas)))
            )
        return texts

    def _compatibility(self) -> list[str]:
        texts = []
        breaking = [f.label for f in self.facts.breaking]
        if breaking:
            texts.append(self.t.text("insights", "compatibility_breaking", items=self.t.items(breaking, limit=8)))
        texts.extend(self._wire_mirrors())
        possible = [f.label for f in self.facts.possibly_breaking]
        if possible:
            texts.append(self.t.text("insights", "compatibility_possible", items=self.t.items(possible)))
        moved = [
            dependency_label(f, self.t.labelled)
            for f in self.facts.of_kind(DependencyFact)
            if f.direct and f.change in (Change.UPGRADED, Change.DOWNGRADED)
        ]
        if moved:
            texts.append(self.t.text("insights", "compatibility_deps", items=self.t.items(moved, code=False)))
        return texts

    def _wire_mirrors(self) -> list[str]:
        """What goes with the breaking wire facts, said once: a removed RPC's request and response
        messages, a CRD field's generated Go and Python copies."""
        named = {f.label for f in self.facts.breaking}
        mirrors = [m for f in self.facts.breaking if isinstance(f, WireFact) for m in f.mirrors if m not in named]
        return (
            [self.t.text("insights", "compatibility_mirrors", items=self.t.items(mirrors, limit=8))] if mirrors else []
        )

    def _security(self) -> list[str]:
        findings = self.facts.of_kind(SecurityFact)
        if not findings:
            return []
        labelled = [f"{self._security_title(f)} (`{evidence_label(f.evidence[0])}`)" for f in findings]
        return [self.t.text("insights", "security_findings", items=self.t.items(labelled, limit=4, code=False))]

    def _testing(self) -> list[str]:
        tests = [f for f in self.commit.files if self.facts.role_of(f.path) == FileRole.TEST]
        source = [f for f in self.commit.files if self.facts.role_of(f.path) == FileRole.SOURCE]
        if tests:
            return [self.t.text("insights", "testing_with", count=len(tests))]
        if source:
            return [self.t.text("insights", "testing_without", count=len(source))]
        return []

    def _operations(self) -> list[str]:
        texts = []
        for role, key in (
            (FileRole.CI, "operations_ci"),
            (FileRole.BUILD, "operations_build"),
            (FileRole.DEPLOY, "operations_deploy"),
        ):
            paths = [f.path for f in self.commit.files if self.facts.role_of(f.path) == role]
            if paths:
                texts.append(self.t.text("insights", key, items=self.t.items(paths)))
        env = [f.name for f in self.facts.of_kind(EnvVarFact) if f.change == Change.ADDED and f.user_facing]
        if env:
            texts.append(self.t.text("insights", "operations_env", items=self.t.items(env)))
        return texts

    # -- risks and suggestions -----------------------------------------------------------------

    def risks_and_suggestions(self) -> tuple[list[str], list[str]]:
        risks: list[str] = []
        suggestions: list[str] = []

        def add(risk: str | None, suggestion: str | None) -> None:
            if risk:
                risks.append(risk)
            if suggestion:
                suggestions.append(suggestion)

        breaking_symbols = [f.label for f in self.facts.breaking if isinstance(f, SymbolFact)]
        if breaking_symbols:
            add(self.t.text("risks", "breaking", count=len(breaking_symbols)), self.t.text("suggestions", "breaking"))
        defaults = [f.label for f in self.facts.changed_defaults]
        if defaults:
            add(None, self.t.text("suggestions", "default", items=self.t.items(defaults)))
        removed_flags = [
            f.old_flag or f.flag
            for f in self.facts.of_kind(CliFlagFact)
            if f.change in (Change.REMOVED, Change.RENAMED) and f.user_facing
        ]
        if removed_flags:
            items = self.t.items(removed_flags)
            add(
                self.t.text("risks", "removed_flag", items=items),
                self.t.text("suggestions", "removed_flag", items=items),
            )
        removed_env = [f.name for f in self.facts.of_kind(EnvVarFact) if f.change == Change.REMOVED and f.user_facing]
        if removed_env:
            add(self.t.text("risks", "removed_env", items=self.t.items(removed_env)), None)
        for finding in self.facts.of_kind(SecurityFact):
            evidence = evidence_label(finding.evidence[0])
            add(
                self.t.text("risks", "security", title=self._security_title(finding), evidence=f"`{evidence}`"),
                self.t.text("suggestions", "security", rule=f"`{finding.rule}`", evidence=f"`{evidence}`"),
            )
        for dependency in self.facts.of_kind(DependencyFact):
            if (
                dependency.direct
                and dependency.change == Change.UPGRADED
                and major_bump(dependency.old_version, dependency.new_version)
            ):
                values = dict(name=f"`{dependency.name}`", old=dependency.old_version, new=dependency.new_version)
                add(
                    self.t.text("risks", "major_upgrade", **values),
                    self.t.text("suggestions", "major_upgrade", **values),
                )
        self._untested(add)
        self._large(add)
        reverted = self.facts.reverted
        if reverted:
            target = f"`{reverted[:12]}`"
            add(self.t.text("risks", "revert", target=target), self.t.text("suggestions", "revert", target=target))
        self._new_interfaces(add)
        return risks, suggestions

    def _security_title(self, finding: SecurityFact) -> str:
        return security_title(finding.rule, self.t.language) or finding.title

    def _untested(self, add) -> None:
        if "code_without_tests" not in self.facts.categories:
            return
        source = [
            f
            for f in self.commit.files
            if self.facts.role_of(f.path) == FileRole.SOURCE
            and (f.added or f.removed)
            and f.status != FileStatus.DELETED
            and not f.path.endswith(HEADER_SUFFIXES)
            and not periphery_reason(f.path)
        ]
        if sum(f.added + f.removed for f in source) < 20:
            return
        add(
            self.t.text("risks", "untested", count=len(source)),
            self.t.text("suggestions", "untested", items=self.t.items([f.path for f in source])),
        )

    def _large(self, add) -> None:
        source = [f for f in self.commit.files if self.facts.role_of(f.path) == FileRole.SOURCE]
        lines = sum(f.added + f.removed for f in source)
        if lines < LARGE_CHANGE_LINES:
            return
        areas = [item.area for item in self.impact()]
        add(
            self.t.text("risks", "large", count=lines),
            self.t.text("suggestions", "large", items=self.t.items(areas)) if len(areas) > 1 else None,
        )

    def _new_interfaces(self, add) -> None:
        new = [f.label for f in self.facts.new_interfaces if not isinstance(f, ConfigKeyFact)]
        if new:
            add(None, self.t.text("suggestions", "new_interface", items=self.t.items(new)))


def _named_in(package: str, message: str) -> bool:
    """Does the commit message name this package as a word of its own?"""
    import re

    return re.search(rf"(?<![\w@/.-]){re.escape(package)}(?![\w/-])", message) is not None
