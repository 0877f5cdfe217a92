"""LlmAnalyzer: the rules' analysis as ground truth and fallback, the model's words on top.

For each commit: the facts and as much diff as the budget allows go to the model; its JSON is
validated against the schema; every name and number it uses is checked against the commit;
importance never drops below what breaking or security facts demand. A cut-off or malformed answer
is asked again with less input and more room to answer; if the model still fails, the facts-based
analysis is used and marked as a fallback. Commits run concurrently; small low-importance commits
share a call, and the commits of a shared answer that was unusable go back to the pool.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from pydantic import ValidationError

from repodigest.analysis.base import AnalysisBatch, AnalysisRequest, AnalyzerTraits, OnDone
from repodigest.analysis.llm.budget import DiffExcerpt, fit_diff
from repodigest.analysis.llm.client import ChatClient, LlmUnavailable, schema_in_prompt, with_schema
from repodigest.analysis.llm.grounding import Vocabulary, ground
from repodigest.analysis.llm.prompt import (
    PROMPT_VERSION,
    answer_schema,
    commit_block,
    output_room,
    system_message,
    user_message,
)
from repodigest.analysis.llm.reasons import failure_reason
from repodigest.analysis.llm.schema import ModelAnalysis, ModelBatch, ModelInsight, ModelRisk, ModelSuggestion
from repodigest.analysis.llm.tokenizer import Kind, ServerTokenizer
from repodigest.analysis.llm.tokens import Calibration, count
from repodigest.analysis.models import Accounting, Advice, Analysis, Importance, Insight, LlmUsage, Risk
from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.analysis.rules.importance import Verdict
from repodigest.analysis.subject import read_subject
from repodigest.config import LlmConfig
from repodigest.wording import Catalog

VERSION = "2"
ATTEMPTS = 3
SHRINK = 0.6
GROW = 1.5
BATCH_SIZE = 5
SMALL_PATCH_CHARS = 4000
EXACT_FITS = 3
"""Prompts fitted again to the server's own count, at most (each costs one tokenizer request)."""
EXACT_AIM = 0.98
"""A refit aims this far under the budget: the diff's tokens do not scale exactly with its budget."""
CONTEXT_MARGIN = 64
"""Tokens kept free in the server's context beyond prompt and answer (chat template wrapping)."""
FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)
CODE_NAME = re.compile(r"`([^`\n]+)`")
SAME_WORDS = 0.5
"""Share of a rules sentence's words that a model item must contain to say the same thing."""
SAME_NAMES = 0.5
"""Share of a rules sentence's names that the model's items must cite to have covered it."""


@dataclass
class _Tally:
    calls: int = 0
    """Requests sent, each retry and probe included."""
    retries: int = 0
    """Requests that repeated an earlier one (the SDK's retries, questions asked again)."""
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: _Tally) -> None:
        self.calls += other.calls
        self.retries += other.retries
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


@dataclass
class _Outcome:
    """What one task produced: finished analyses by index, and commits to ask about again on
    their own, each with the cost already spent on it."""

    finished: dict[int, Analysis] = field(default_factory=dict)
    requeue: list[tuple[int, _Tally]] = field(default_factory=list)


class LlmAnalyzer:
    traits = AnalyzerTraits(reads_diffs=True, saves_each=True, reports_cache_hits=True)

    def __init__(self, settings: LlmConfig, client: ChatClient, rules: RulesAnalyzer | None = None) -> None:
        self.settings = settings
        self.client = client
        self.rules = rules or RulesAnalyzer()
        self.name = f"llm:{settings.model}"
        self.calibration = Calibration()
        root = getattr(client, "root", None)
        self.tokenizer = ServerTokenizer(client.post_json if root else None, settings.model)

    def cache_key(self, language: str) -> str:
        return f"llm:{VERSION}:{PROMPT_VERSION}:{self.settings.model}:{language}"

    @property
    def _calibration_key(self) -> str:
        return f"prompt-token-factor:{self.settings.base_url or 'default'}:{self.settings.model}"

    @property
    def _tokenizer_key(self) -> str:
        return f"tokenizer:{self.settings.base_url or 'default'}:{self.settings.model}"

    def learned(self) -> dict[str, float]:
        factor = self.calibration.learned
        found = {} if factor is None else {self._calibration_key: factor}
        if self.tokenizer.probed and self.tokenizer.kind is not None:
            found[self._tokenizer_key] = float(self.tokenizer.kind)
        return found

    def recall(self, learned: Mapping[str, float]) -> None:
        if self._calibration_key in learned and self.calibration.learned is None:
            self.calibration = Calibration(known=learned[self._calibration_key])
        known = {kind.value: kind for kind in Kind}.get(int(learned.get(self._tokenizer_key, -1)))
        if known is not None:  # a value no version wrote is ignored: the probe runs again
            self.tokenizer.recall(known)

    def analyze(
        self, requests: Sequence[AnalysisRequest], language: str, on_done: OnDone | None = None
    ) -> AnalysisBatch:
        assessed = [self.rules.assess(request, language) for request in requests]
        results: dict[int, Analysis] = {}
        for index, request in enumerate(requests):
            if request.commit.history_cut:  # no diff to show a model: it could only invent one
                results[index] = assessed[index][0]
                if on_done:
                    on_done(index, results[index])
        with ThreadPoolExecutor(max_workers=self.settings.concurrency) as pool:
            pending = {
                pool.submit(self._run, group, requests, assessed, language)
                for group in self._plan(requests, [analysis for analysis, _ in assessed])
            }
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:  # on_done runs here, in the caller's thread
                    outcome = future.result()
                    for index, analysis in outcome.finished.items():
                        results[index] = analysis
                        if on_done:
                            on_done(index, analysis)
                    pending |= {
                        pool.submit(self._run_single, index, requests, assessed, language, spent)
                        for index, spent in outcome.requeue
                    }
        analyses = tuple(results[i] for i in range(len(requests)))
        return AnalysisBatch(analyses=analyses, accounting=Accounting.of(self.name, analyses))

    # -- planning -------------------------------------------------------------------------------

    def _plan(self, requests: Sequence[AnalysisRequest], baselines: list[Analysis]) -> list[list[int]]:
        asked = [i for i, request in enumerate(requests) if not request.commit.history_cut]
        small = [
            i
            for i, (request, baseline) in enumerate(zip(requests, baselines, strict=True))
            if i in asked
            and self.settings.batch_small_commits
            and baseline.importance == Importance.LOW
            and sum(len(d.patch) for d in request.diffs) <= SMALL_PATCH_CHARS
        ]
        singles = [[i] for i in asked if i not in small]
        batches = [small[start : start + BATCH_SIZE] for start in range(0, len(small), BATCH_SIZE)]
        return singles + [b for b in batches if len(b) > 1] + [b for b in batches if len(b) == 1]

    def _run(self, group: list[int], requests, assessed, language: str) -> _Outcome:
        if len(group) == 1:
            return self._run_single(group[0], requests, assessed, language)
        return self._batch(group, requests, assessed, language)

    def _run_single(self, index: int, requests, assessed, language: str, spent: _Tally | None = None) -> _Outcome:
        baseline, verdict = assessed[index]
        return _Outcome(finished={index: self._single(requests[index], baseline, verdict, language, spent)})

    # -- one commit -----------------------------------------------------------------------------

    def _single(
        self, request: AnalysisRequest, baseline: Analysis, verdict: Verdict, language: str, spent: _Tally | None = None
    ) -> Analysis:
        tally = _Tally()
        if spent:
            tally.add(spent)
        problem = failure_reason("no_answer", language)
        excerpt = DiffExcerpt(text="")
        for model in filter(None, (self.settings.model, self.settings.fallback_model)):
            budget = self.settings.max_prompt_tokens
            room = output_room(language, baseline.importance.value, self.settings.max_output_tokens)
            for _ in range(ATTEMPTS):
                budget, room = self._within_window(budget, room)
                excerpt, messages = self._prompt(request, baseline, budget, language)
                try:
                    completion = self.client.complete(model, messages, answer_schema(), room, self.settings.temperature)
                except LlmUnavailable as failure:
                    _add_failure(tally, failure)
                    problem = failure_reason(failure.kind, language, detail=failure.detail)
                    break  # the endpoint is down for this model: try the fallback model, if any
                _add(tally, completion)
                self.calibration.record(sum(count(m["content"]) for m in messages), completion.prompt_tokens)
                parsed, problem = _parse(completion, ModelAnalysis, language)
                if parsed is not None:
                    return self._merge(request, baseline, verdict, parsed, excerpt, tally, model, language)
                tally.retries += 1  # the next request asks the same question again
                budget, room = int(budget * SHRINK), int(room * GROW)
        return baseline.model_copy(update={"fallback": problem, "usage": _usage(self.settings.model, tally, excerpt)})

    def _within_window(self, budget: int, room: int) -> tuple[int, int]:
        """Prompt budget and answer room such that both fit the server's context together."""
        window = self.settings.context_window
        if not window:
            return budget, room
        room = min(room, window // 2)
        return max(0, min(budget, window - room - CONTEXT_MARGIN)), room

    def _prompt(
        self, request: AnalysisRequest, baseline: Analysis, budget: int, language: str
    ) -> tuple[DiffExcerpt, list[dict]]:
        """The diff excerpt and messages for one commit within the budget: by the server's own
        count where it has a tokenizer (refitted until it is, growing back what the estimate
        cut too much), else by the calibrated estimate."""
        estimate = self.calibration.budget(budget)
        fitted = self._fitted(request, baseline, estimate, language)
        best: tuple[int, tuple[DiffExcerpt, list[dict]]] | None = None
        for attempt in range(1, EXACT_FITS + 1):
            wire = self._wire_text(fitted[1])
            exact = self.tokenizer.count(wire)
            if exact is None:
                break  # no tokenizer (or it failed): the estimate stands
            self.calibration.record(count(wire), exact)
            if exact <= budget and (best is None or exact > best[0]):
                best = (exact, fitted)
            cut = fitted[0].omitted or fitted[0].partial
            if (exact <= budget and (exact >= EXACT_AIM * budget or not cut)) or attempt == EXACT_FITS:
                break  # within the budget and as full as it gets, or out of refits
            aimed = int(estimate * EXACT_AIM * budget / exact)
            if aimed == estimate:
                break
            estimate = aimed
            fitted = self._fitted(request, baseline, estimate, language)
        return best[1] if best else fitted

    def _wire_text(self, messages: list[dict]) -> str:
        """The prompt as the server reads it: every message, the schema when it travels in one."""
        if schema_in_prompt(self.client.json_mode):
            messages = with_schema(messages, answer_schema())
        return "\n".join(m["content"] for m in messages)

    def _fitted(
        self, request: AnalysisRequest, baseline: Analysis, budget: int, language: str
    ) -> tuple[DiffExcerpt, list[dict]]:
        """The excerpt and messages within `budget` by our count: the whole prompt is counted
        (system message, schema when it travels in the prompt, facts, file lists, diff)."""
        system = self._fixed_cost(language, batch=False)
        excerpt = fit_diff(
            request.diffs,
            request.facts,
            max(0, budget - system - count(commit_block(request, baseline, DiffExcerpt(text="")))),
        )
        for _ in range(3):  # the list of files not shown is only known after fitting: refit when over
            over = system + count(commit_block(request, baseline, excerpt)) - budget
            if over <= 0 or not excerpt.tokens:
                break
            excerpt = fit_diff(request.diffs, request.facts, max(0, excerpt.tokens - over))
        return excerpt, [system_message(language), user_message([commit_block(request, baseline, excerpt)])]

    def _fixed_cost(self, language: str, batch: bool) -> int:
        cost = count(system_message(language, batch)["content"])
        if schema_in_prompt(self.client.json_mode):
            cost += count(json.dumps(answer_schema(batch), ensure_ascii=False))
        return cost

    # -- several small commits in one call -------------------------------------------------------

    def _batch(self, group: list[int], requests, assessed, language: str) -> _Outcome:
        share = self.settings.max_prompt_tokens // len(group) - self._fixed_cost(language, batch=True) // len(group)
        excerpts = {i: self._prompt(requests[i], assessed[i][0], share, language)[0] for i in group}
        blocks = [commit_block(requests[i], assessed[i][0], excerpts[i]) for i in group]
        room = sum(
            output_room(language, assessed[i][0].importance.value, self.settings.max_output_tokens) for i in group
        )
        tally = _Tally()
        parsed = None
        try:
            completion = self.client.complete(
                self.settings.model,
                [system_message(language, batch=True), user_message(blocks)],
                answer_schema(batch=True),
                room,
                self.settings.temperature,
            )
            _add(tally, completion)
            parsed, _ = _parse(completion, ModelBatch, language)
        except LlmUnavailable as failure:
            _add_failure(tally, failure)
        answers = {a.sha[:7]: a for a in (parsed.analyses if parsed else [])}
        answered = [i for i in group if requests[i].commit.short_sha in answers]
        outcome = _Outcome()
        for position, index in enumerate(answered):
            # A shared call is counted once, on its first answer; its tokens are shared out evenly.
            share_tally = _Tally(
                calls=tally.calls if position == 0 else 0,
                retries=tally.retries if position == 0 else 0,
                prompt_tokens=tally.prompt_tokens // len(answered),
                completion_tokens=tally.completion_tokens // len(answered),
            )
            request, (baseline, verdict) = requests[index], assessed[index]
            outcome.finished[index] = self._merge(
                request,
                baseline,
                verdict,
                answers[request.commit.short_sha],
                excerpts[index],
                share_tally,
                self.settings.model,
                language,
            )
        missing = [i for i in group if i not in answered]
        # Left out of the shared answer, or the answer was unusable: each is asked on its own, in
        # the pool; an unusable call's cost goes with the first of them.
        outcome.requeue = [
            (index, tally if not answered and position == 0 else _Tally()) for position, index in enumerate(missing)
        ]
        return outcome

    # -- the model's answer, grounded, on top of the facts ---------------------------------------

    def _merge(
        self,
        request: AnalysisRequest,
        baseline: Analysis,
        verdict: Verdict,
        answer: ModelAnalysis,
        excerpt: DiffExcerpt,
        tally: _Tally,
        model: str,
        language: str,
    ) -> Analysis:
        grounder = _Grounder(Vocabulary.of(request.commit, request.facts, request.diffs), language)
        catalog = Catalog(language)
        summary = grounder.prose(answer.summary) or baseline.summary
        reason = grounder.prose(answer.importance_reason)
        insights = tuple(insight for i in answer.insights if (insight := _insight(i, grounder, catalog)))
        detailed_risks = tuple(risk for r in answer.risks if (risk := _risk(r, grounder)))
        advice = tuple(item for s in answer.suggestions if (item := _advice(s, grounder)))
        affected = tuple(scope for text in answer.impact_scope if (scope := grounder.fragment(text)))
        importance = _within_one_level(Importance(answer.importance), baseline.importance)
        reasons = [reason] if reason else list(baseline.importance_reasons[:1])
        if verdict.floor is not None:
            # Breaking and security findings are never outweighed: they set a floor and stay in the reasons.
            if importance.rank > verdict.floor.rank:
                importance = verdict.floor
            reasons = [*verdict.floor_reasons, *reasons]
        change_type = (
            baseline.change_type if read_subject(request.commit.subject).conventional else answer.change_types[0]
        )
        return baseline.model_copy(
            update={
                "analyzer": self.name if model == self.settings.model else f"llm:{model}",
                # The author's own Conventional Commit type outranks the model's reading.
                "change_type": change_type,
                "change_types": tuple(dict.fromkeys([change_type, *answer.change_types])),
                "importance": importance,
                "importance_reasons": tuple(dict.fromkeys(r for r in reasons if r)),
                "summary": summary,
                "affected": affected,
                "insights": insights or baseline.insights,
                "detailed_risks": detailed_risks,
                "risks": _after_model(
                    [r.text for r in detailed_risks],
                    baseline.risks,
                    [" ".join((r.title, r.text, *r.points)) for r in detailed_risks],
                ),
                "advice": advice,
                "suggestions": _after_model(
                    [a.text for a in advice], baseline.suggestions, [f"{a.text} {a.why}" for a in advice]
                ),
                "conclusion": grounder.prose(answer.conclusion) or None,
                "usage": _usage(model, tally, excerpt, grounder.dropped),
                "notes": _notes(excerpt, language),
            }
        )


class _Grounder:
    """Grounds every piece of one answer against one commit, counting what it drops."""

    def __init__(self, vocabulary: Vocabulary, language: str) -> None:
        self.vocabulary = vocabulary
        self.language = language
        self.dropped = 0

    def prose(self, text: str) -> str:
        """Sentences: each must end; an unterminated one is treated as cut off and dropped."""
        clean, lost = ground(text, self.vocabulary, self.language)
        self.dropped += lost
        return clean

    def fragment(self, text: str) -> str:
        """A title, a list item or a point: need not end like a sentence."""
        clean, lost = ground(text, self.vocabulary, self.language, fragment=True)
        self.dropped += lost
        return clean


def _insight(insight: ModelInsight, grounder: _Grounder, catalog: Catalog) -> Insight | None:
    points = tuple(p for text in insight.points if (p := grounder.fragment(text)))
    if not points:
        return None
    return Insight(dimension=catalog.dimension(insight.dimension), text=catalog.joiner.join(points), points=points)


def _risk(risk: ModelRisk, grounder: _Grounder) -> Risk | None:
    text = grounder.fragment(risk.text)
    if not text:
        return None
    return Risk(
        title=grounder.fragment(risk.title),
        text=text,
        severity=Importance(risk.severity),
        points=tuple(p for point in risk.points if (p := grounder.fragment(point))),
    )


def _advice(suggestion: ModelSuggestion, grounder: _Grounder) -> Advice | None:
    text = grounder.fragment(suggestion.text)
    if not text:
        return None
    return Advice(audience=suggestion.audience, text=text, why=grounder.fragment(suggestion.why))


def _after_model(model_texts: list[str], rules_texts: tuple[str, ...], model_said: list[str]) -> tuple[str, ...]:
    """The model's items, then the rules' items that the model did not already say (in the
    whole of its items, sub-points included)."""
    merged = list(dict.fromkeys(model_texts))
    merged += [text for text in rules_texts if not _already_said(text, model_said)]
    return tuple(dict.fromkeys(merged))


def _already_said(rules_text: str, model_texts: list[str]) -> bool:
    """The rules' sentence adds nothing to the model's items: one of them says it in mostly the
    same words, or together they cite most of the names it cites."""
    words = _words(rules_text)
    if words and any(len(words & _words(other)) >= SAME_WORDS * len(words) for other in model_texts):
        return True
    names = set(CODE_NAME.findall(rules_text))
    cited = {name for other in model_texts for name in CODE_NAME.findall(other)}
    return bool(names) and len(names & cited) >= SAME_NAMES * len(names)


def _words(text: str) -> set[str]:
    """Words outside code spans: Latin words of three letters or more, and pairs of CJK characters."""
    prose = CODE_NAME.sub(" ", text).lower()
    latin = {w for w in re.findall(r"[a-z]{3,}", prose)}
    cjk = re.sub(r"[^\u4e00-\u9fff]", "", prose)
    return latin | {cjk[i : i + 2] for i in range(len(cjk) - 1)}


def _within_one_level(proposed: Importance, baseline: Importance) -> Importance:
    """The model may raise or lower the rules' level, by one step: a docs-only commit does not
    become 🔴 on a model's word alone."""
    ranks = [Importance.HIGH, Importance.MEDIUM, Importance.LOW]
    step = max(-1, min(1, proposed.rank - baseline.rank))
    return ranks[baseline.rank + step]


def _parse(completion, model_type, language: str):
    """(parsed answer, None) or (None, why it is unusable)."""
    if completion.finish_reason == "length":
        return None, failure_reason("length", language)
    text = FENCE.sub("", completion.content.strip())
    start, end = text.find("{"), text.rfind("}")
    try:
        return model_type.model_validate_json(text[start : end + 1] if start != -1 else text), None
    except (ValidationError, ValueError, json.JSONDecodeError):
        return None, failure_reason("invalid", language)


def _add(tally: _Tally, completion) -> None:
    tally.calls += max(1, completion.attempts)
    tally.retries += max(0, completion.attempts - 1)
    tally.prompt_tokens += completion.prompt_tokens
    tally.completion_tokens += completion.completion_tokens


def _add_failure(tally: _Tally, failure: LlmUnavailable) -> None:
    tally.calls += max(1, failure.attempts)
    tally.retries += max(0, failure.attempts - 1)


def _usage(model: str, tally: _Tally, excerpt: DiffExcerpt, dropped: int = 0) -> LlmUsage:
    return LlmUsage(
        model=model,
        calls=tally.calls,
        retries=tally.retries,
        prompt_tokens=tally.prompt_tokens,
        completion_tokens=tally.completion_tokens,
        files_seen=tuple(excerpt.seen + excerpt.partial),
        files_omitted=tuple(excerpt.omitted),
        dropped_claims=dropped,
    )


def _notes(excerpt: DiffExcerpt, language: str) -> tuple[str, ...]:
    if not excerpt.partial:
        return ()
    shown = ", ".join(excerpt.partial[:5])
    return (Catalog(language).text("llm", "shown_in_part", shown=shown),)
