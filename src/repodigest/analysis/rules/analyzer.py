"""RulesAnalyzer: change type from the subject (or the files), importance from facts, and the
analysis sections written by SectionWriter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from repodigest.analysis.base import AnalysisBatch, AnalysisRequest, AnalyzerTraits, OnDone
from repodigest.analysis.models import Accounting, Analysis, Importance
from repodigest.analysis.rules.importance import ImportanceRules, Verdict, judge
from repodigest.analysis.rules.writer import SectionWriter
from repodigest.analysis.subject import SubjectInfo, read_subject
from repodigest.facts.models import CommitFacts
from repodigest.wording import Catalog

VERSION = "1"
CATEGORY_TYPES = {
    "revert": "revert",
    "docs_only": "docs",
    "tests_only": "test",
    "ci_only": "ci",
    "build_only": "build",
    "dependencies_only": "deps",
}


class RulesAnalyzer:
    name = "rules"
    traits = AnalyzerTraits(reads_diffs=False, saves_each=False, reports_cache_hits=False)

    def __init__(self, rules: ImportanceRules | None = None, rules_path: Path | None = None) -> None:
        self.rules = rules or ImportanceRules.load(rules_path)
        self._rules_digest = rules_path.name if rules_path else "builtin"

    def cache_key(self, language: str) -> str:
        return f"rules:{VERSION}:{self._rules_digest}:{language}"

    def learned(self) -> dict[str, float]:
        return {}  # the rules learn nothing from a run

    def recall(self, learned: Mapping[str, float]) -> None:
        pass

    def analyze(
        self, requests: Sequence[AnalysisRequest], language: str, on_done: OnDone | None = None
    ) -> AnalysisBatch:
        analyses: list[Analysis] = []
        for index, request in enumerate(requests):
            analyses.append(self.analyze_one(request, language))
            if on_done:
                on_done(index, analyses[-1])
        return AnalysisBatch(analyses=tuple(analyses), accounting=Accounting(analyzer=self.name, commits=len(analyses)))

    def analyze_one(self, request: AnalysisRequest, language: str) -> Analysis:
        return self.assess(request, language)[0]

    def assess(self, request: AnalysisRequest, language: str) -> tuple[Analysis, Verdict]:
        """The analysis and the importance verdict behind it (with the facts' floor)."""
        commit, facts = request.commit, request.facts
        subject = read_subject(commit.subject)
        change_type = decide_change_type(subject, facts)
        if commit.history_cut:
            return _history_cut(change_type, subject.scope, language)
        verdict = judge(commit, facts, change_type, self.rules, language)
        writer = SectionWriter(commit, facts, Catalog(language))
        risks, suggestions = writer.risks_and_suggestions()
        summary = (writer.short_summary if verdict.level == Importance.LOW else writer.summary)(
            change_type, subject.scope, subject.description
        )
        return Analysis(
            analyzer=self.name,
            change_type=change_type,
            scope=subject.scope,
            importance=verdict.level,
            importance_reasons=tuple(verdict.reasons),
            summary=summary,
            impact=tuple(writer.impact()),
            insights=tuple(writer.insights(change_type)),
            risks=tuple(risks),
            suggestions=tuple(suggestions),
        ), verdict


def _history_cut(change_type: str, scope: str | None, language: str) -> tuple[Analysis, Verdict]:
    """A shallow clone's boundary: nothing is known of its diff, so nothing is claimed about it."""
    catalog = Catalog(language)
    reason = catalog.text("summary", "history_cut_reason")
    analysis = Analysis(
        analyzer=RulesAnalyzer.name,
        change_type=change_type,
        scope=scope,
        importance=Importance.LOW,
        importance_reasons=(reason,),
        summary=catalog.text("summary", "history_cut"),
    )
    return analysis, Verdict(level=Importance.LOW, score=0, reasons=[reason])


def decide_change_type(subject: SubjectInfo, facts: CommitFacts) -> str:
    """The author's Conventional Commit type wins; else what the files say; else the verb."""
    if subject.conventional and subject.change_type:
        return subject.change_type
    categories = facts.categories
    for category, change_type in CATEGORY_TYPES.items():
        if category in categories:
            return change_type
    return subject.change_type or "change"
