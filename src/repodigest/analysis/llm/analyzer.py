"""LlmAnalyzer: the rules' analysis as ground truth and fallback, the model's words on top.

For each commit: the facts and as much diff as the budget allows go to the model; its JSON is
validated against the schema; every name it uses is checked against the commit; importance never
drops below what breaking or security facts demand. A cut-off or malformed answer is asked
again with less input and more room to answer; if the model still fails, the facts-based
analysis is used and marked as a fallback. Commits run concurrently; small low-importance
commits share a call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from pydantic import ValidationError

from repodigest.analysis.base import AnalysisBatch, AnalysisRequest, OnDone
from repodigest.analysis.llm.budget import DiffExcerpt, fit_diff
from repodigest.analysis.llm.client import ChatClient, LlmUnavailable
from repodigest.analysis.llm.grounding import Vocabulary, ground
from repodigest.analysis.llm.prompt import PROMPT_VERSION, commit_block, system_message, user_message
from repodigest.analysis.llm.schema import ModelAnalysis, ModelBatch
from repodigest.analysis.llm.tokens import count
from repodigest.analysis.models import Accounting, Analysis, Importance, Insight, LlmUsage
from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.analysis.rules.catalog import Catalog
from repodigest.analysis.rules.importance import Verdict
from repodigest.analysis.subject import read_subject
from repodigest.config import LlmConfig

VERSION = "1"
ATTEMPTS = 3
SHRINK = 0.6
GROW = 1.5
BATCH_SIZE = 5
SMALL_PATCH_CHARS = 4000
FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)
FALLBACK_REASONS = {
    "length": {"en": "the answer was cut off at the token limit", "zh": "回答在令牌上限处被截断"},
    "invalid": {"en": "the answer was not valid JSON for the schema", "zh": "回答不是符合格式的 JSON"},
}


@dataclass
class _Tally:
    calls: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class LlmAnalyzer:
    needs_diff = True

    def __init__(self, settings: LlmConfig, client: ChatClient, rules: RulesAnalyzer | None = None) -> None:
        self.settings = settings
        self.client = client
        self.rules = rules or RulesAnalyzer()
        self.name = f"llm:{settings.model}"

    def cache_key(self, language: str) -> str:
        return f"llm:{VERSION}:{PROMPT_VERSION}:{self.settings.model}:{language}"

    def analyze(self, requests: Sequence[AnalysisRequest], language: str, on_done: OnDone | None = None) -> AnalysisBatch:
        assessed = [self.rules.assess(request, language) for request in requests]
        groups = self._plan(requests, [analysis for analysis, _ in assessed])
        results: dict[int, Analysis] = {}
        with ThreadPoolExecutor(max_workers=self.settings.concurrency) as pool:
            futures = {pool.submit(self._run, [requests[i] for i in group], [assessed[i] for i in group], language): group
                       for group in groups}
            for future in as_completed(futures):  # on_done runs here, in the caller's thread
                for index, analysis in zip(futures[future], future.result()):
                    results[index] = analysis
                    if on_done:
                        on_done(index, analysis)
        analyses = tuple(results[i] for i in range(len(requests)))
        return AnalysisBatch(analyses=analyses, accounting=Accounting.of(self.name, analyses))

    # -- planning -------------------------------------------------------------------------------

    def _plan(self, requests: Sequence[AnalysisRequest], baselines: list[Analysis]) -> list[list[int]]:
        small = [i for i, (request, baseline) in enumerate(zip(requests, baselines))
                 if self.settings.batch_small_commits and baseline.importance == Importance.LOW
                 and sum(len(d.patch) for d in request.diffs) <= SMALL_PATCH_CHARS]
        singles = [[i] for i in range(len(requests)) if i not in small]
        batches = [small[start:start + BATCH_SIZE] for start in range(0, len(small), BATCH_SIZE)]
        return singles + [b for b in batches if len(b) > 1] + [b for b in batches if len(b) == 1]

    def _run(self, requests: list[AnalysisRequest], assessed: list[tuple[Analysis, Verdict]], language: str) -> list[Analysis]:
        if len(requests) == 1:
            return [self._single(requests[0], *assessed[0], language)]
        return self._batch(requests, assessed, language)

    # -- one commit -----------------------------------------------------------------------------

    def _single(self, request: AnalysisRequest, baseline: Analysis, verdict: Verdict, language: str) -> Analysis:
        tally = _Tally()
        problem = "no answer"
        excerpt = DiffExcerpt(text="")
        for model in filter(None, (self.settings.model, self.settings.fallback_model)):
            budget, room = self.settings.max_prompt_tokens, self.settings.max_output_tokens
            for _ in range(ATTEMPTS):
                excerpt = self._excerpt(request, baseline, budget, language)
                messages = [system_message(language), user_message([commit_block(request, baseline, excerpt)])]
                try:
                    completion = self.client.complete(model, messages, ModelAnalysis.model_json_schema(), room,
                                                      self.settings.temperature)
                except LlmUnavailable as failure:
                    tally.calls += 1
                    problem = str(failure)
                    break  # the endpoint is down for this model: try the fallback model, if any
                _add(tally, completion)
                parsed, problem = _parse(completion, ModelAnalysis, language)
                if parsed is not None:
                    return self._merge(request, baseline, verdict, parsed, excerpt, tally, model, language)
                tally.retries += 1
                budget, room = int(budget * SHRINK), int(room * GROW)
        return baseline.model_copy(update={"fallback": problem, "usage": _usage(self.settings.model, tally, excerpt)})

    def _excerpt(self, request: AnalysisRequest, baseline: Analysis, budget: int, language: str) -> DiffExcerpt:
        fixed = count(system_message(language)["content"]) + count(commit_block(request, baseline, DiffExcerpt(text="")))
        return fit_diff(request.diffs, request.facts, max(0, budget - fixed))

    # -- several small commits in one call -------------------------------------------------------

    def _batch(self, requests: list[AnalysisRequest], assessed: list[tuple[Analysis, Verdict]], language: str) -> list[Analysis]:
        share = self.settings.max_prompt_tokens // len(requests)
        excerpts = [self._excerpt(r, a, share, language) for r, (a, _) in zip(requests, assessed)]
        blocks = [commit_block(r, a, e) for r, (a, _), e in zip(requests, assessed, excerpts)]
        tally = _Tally()
        parsed = None
        try:
            completion = self.client.complete(self.settings.model, [system_message(language, batch=True), user_message(blocks)],
                                              ModelBatch.model_json_schema(),
                                              self.settings.max_output_tokens * len(requests), self.settings.temperature)
            _add(tally, completion)
            parsed, _ = _parse(completion, ModelBatch, language)
        except LlmUnavailable:
            tally.calls += 1
        answers = {a.sha[:7]: a for a in (parsed.analyses if parsed else [])}
        results = []
        for position, (request, (baseline, verdict), excerpt) in enumerate(zip(requests, assessed, excerpts)):
            answer = answers.get(request.commit.short_sha)
            if answer is None:  # left out of the shared answer: ask about it on its own
                results.append(self._single(request, baseline, verdict, language))
                continue
            # A shared call is counted once; its tokens are shared out evenly.
            share_tally = _Tally(calls=1 if position == 0 else 0, retries=tally.retries if position == 0 else 0,
                                 prompt_tokens=tally.prompt_tokens // len(requests),
                                 completion_tokens=tally.completion_tokens // len(requests))
            results.append(self._merge(request, baseline, verdict, answer, excerpt, share_tally, self.settings.model,
                                       language))
        return results

    # -- the model's answer, grounded, on top of the facts ---------------------------------------

    def _merge(self, request: AnalysisRequest, baseline: Analysis, verdict: Verdict, answer: ModelAnalysis,
               excerpt: DiffExcerpt, tally: _Tally, model: str, language: str) -> Analysis:
        vocabulary = Vocabulary.of(request.commit, request.facts, request.diffs)
        dropped = 0

        def grounded(text: str) -> str:
            nonlocal dropped
            clean, lost = ground(text, vocabulary, language)
            dropped += lost
            return clean

        catalog = Catalog(language)
        summary = grounded(answer.summary) or baseline.summary
        reason = grounded(answer.importance_reason)
        insights = tuple(Insight(dimension=catalog.dimension(i.dimension), text=text)
                         for i in answer.insights if (text := grounded(i.text)))
        risks = [text for risk in answer.risks if (text := grounded(risk))]
        suggestions = [text for suggestion in answer.suggestions if (text := grounded(suggestion))]
        importance = _within_one_level(Importance(answer.importance), baseline.importance)
        reasons = [reason] if reason else list(baseline.importance_reasons[:1])
        if verdict.floor is not None:
            # Breaking and security findings are never outweighed: they set a floor and stay in the reasons.
            if importance.rank > verdict.floor.rank:
                importance = verdict.floor
            reasons = [*verdict.floor_reasons, *reasons]
            risks = [*baseline.risks, *risks]
            suggestions = [*baseline.suggestions, *suggestions]
        return baseline.model_copy(update={
            "analyzer": self.name if model == self.settings.model else f"llm:{model}",
            # The author's own Conventional Commit type outranks the model's reading.
            "change_type": baseline.change_type if read_subject(request.commit.subject).conventional
            else answer.change_type,
            "importance": importance,
            "importance_reasons": tuple(dict.fromkeys(r for r in reasons if r)),
            "summary": summary,
            "insights": insights or baseline.insights,
            "risks": tuple(dict.fromkeys(risks)) or baseline.risks,
            "suggestions": tuple(dict.fromkeys(suggestions)) or baseline.suggestions,
            "usage": _usage(model, tally, excerpt, dropped),
            "notes": _notes(excerpt, language),
        })


def _within_one_level(proposed: Importance, baseline: Importance) -> Importance:
    """The model may raise or lower the rules' level, by one step: a docs-only commit does not
    become 🔴 on a model's word alone."""
    ranks = [Importance.HIGH, Importance.MEDIUM, Importance.LOW]
    step = max(-1, min(1, proposed.rank - baseline.rank))
    return ranks[baseline.rank + step]


def _parse(completion, model_type, language: str):
    """(parsed answer, None) or (None, why it is unusable)."""
    if completion.finish_reason == "length":
        return None, FALLBACK_REASONS["length"].get(language, FALLBACK_REASONS["length"]["en"])
    text = FENCE.sub("", completion.content.strip())
    start, end = text.find("{"), text.rfind("}")
    try:
        return model_type.model_validate_json(text[start:end + 1] if start != -1 else text), None
    except (ValidationError, ValueError, json.JSONDecodeError):
        return None, FALLBACK_REASONS["invalid"].get(language, FALLBACK_REASONS["invalid"]["en"])


def _add(tally: _Tally, completion) -> None:
    tally.calls += 1
    tally.retries += max(0, completion.attempts - 1)
    tally.prompt_tokens += completion.prompt_tokens
    tally.completion_tokens += completion.completion_tokens


def _usage(model: str, tally: _Tally, excerpt: DiffExcerpt, dropped: int = 0) -> LlmUsage:
    return LlmUsage(model=model, calls=tally.calls, retries=tally.retries, prompt_tokens=tally.prompt_tokens,
                    completion_tokens=tally.completion_tokens, files_seen=tuple(excerpt.seen + excerpt.partial),
                    files_omitted=tuple(excerpt.omitted), dropped_claims=dropped)


def _notes(excerpt: DiffExcerpt, language: str) -> tuple[str, ...]:
    if not excerpt.partial:
        return ()
    shown = ", ".join(excerpt.partial[:5])
    return (f"部分展示给模型：{shown}" if language == "zh" else f"shown to the model in part: {shown}",)
