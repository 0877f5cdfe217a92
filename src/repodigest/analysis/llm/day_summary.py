"""One more call, after the commits: a short overview of the day written from the per-commit
analyses (summaries, risks, the day's highlights — never raw diffs), in the report's language,
grounded like everything else. It may cite commits by their short sha. Its result, even an empty
one, is cached; its requests are counted with the rest. A summary that could not be written is
logged, not counted as a failure: the failure share is about the commits' analyses."""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

from repodigest.analysis.llm.client import ChatClient, LlmUnavailable
from repodigest.analysis.llm.grounding import Vocabulary, ground
from repodigest.analysis.llm.prompt import LANGUAGE_FACTOR, PROMPT_VERSION, language_name
from repodigest.analysis.llm.schema import ModelDaySummary
from repodigest.analysis.models import Accounting, DaySummary, SummaryInput
from repodigest.config import LlmConfig

log = logging.getLogger(__name__)
MAX_COMMITS = 60
RISKS_PER_COMMIT = 2
OUTPUT_TOKENS = 700
ATTEMPTS = 2
GROW = 1.5
INSTRUCTIONS = """You write the opening paragraph of a daily engineering report, in {language}.
From the commit analyses below, say in 3-5 plain sentences what happened today and what deserves
attention first (breaking changes, security, risky changes). You may cite a commit by its short sha.
Name only things that appear below, in `backticks`. Answer with one JSON object {{"summary": "..."}}."""
PERIOD_INSTRUCTIONS = """You write the opening paragraph of an engineering digest of several days, in {language}.
From the commit analyses below, say in 3-6 plain sentences what happened over the period and what
deserves attention first (releases, breaking changes, security, changed defaults, risky changes).
You may cite a commit by its short sha. Name only things that appear below, in `backticks`.
Answer with one JSON object {{"summary": "..."}}."""


class SummaryCache(Protocol):
    def get_summary(self, key: str) -> str | None: ...

    def put_summary(self, key: str, text: str) -> None: ...


class DaySummarizer:
    def __init__(
        self,
        settings: LlmConfig,
        client: ChatClient,
        cache: SummaryCache | None = None,
        instructions: str = INSTRUCTIONS,
        kind: str = "day",
    ) -> None:
        self.settings = settings
        self.client = client
        self.cache = cache
        self.instructions = instructions
        self.kind = kind
        """`day` or `period`: part of the cache key, so a week and its only day never share one."""
        self.name = f"llm:{settings.model}"

    def __call__(self, report: SummaryInput) -> DaySummary:
        """The overview of `report` (built by report/summary_input.py from the finished report)."""
        lines, texts, paths = _digest(report)
        free = Accounting(analyzer=self.name)
        if not lines:
            return DaySummary(text=None, accounting=free)
        key = _key(self.settings.model, report.language, lines, self.kind)
        cached = self.cache.get_summary(key) if self.cache else None
        if cached is not None:
            return DaySummary(text=cached or None, accounting=free)
        text, spent = self._ask(report.language, lines)
        if text is None:
            return DaySummary(text=None, accounting=spent)
        grounded, dropped = ground(text, Vocabulary.of_texts(texts, paths), report.language)
        if not grounded:
            log.warning("the day summary was not written: every sentence named something not in the day's commits")
        if self.cache:
            self.cache.put_summary(key, grounded)  # an empty result too: a re-run would pay for the same answer
        return DaySummary(text=grounded or None, accounting=spent.model_copy(update={"dropped_claims": dropped}))

    def _ask(self, language: str, lines: list[str]) -> tuple[str | None, Accounting]:
        """The model's summary and what asking cost; a cut-off answer is asked once more with
        more room."""
        system = self.instructions.format(language=language_name(language))
        room = self.settings.max_output_tokens or int(OUTPUT_TOKENS * LANGUAGE_FACTOR.get(language, 1.0))
        messages = [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]
        spent = Accounting(analyzer=self.name)
        for attempt in range(ATTEMPTS):
            try:
                completion = self.client.complete(
                    self.settings.model, messages, ModelDaySummary.model_json_schema(), room, self.settings.temperature
                )
            except LlmUnavailable as failure:
                log.warning("the day summary was not written: %s", failure)
                return None, _plus(spent, failure.attempts, attempt)
            spent = _plus(spent, completion.attempts, attempt, completion.prompt_tokens, completion.completion_tokens)
            if completion.finish_reason != "length":
                content = completion.content
                try:
                    return ModelDaySummary.model_validate_json(
                        content[content.find("{") : content.rfind("}") + 1]
                    ).summary, spent
                except ValueError:
                    log.warning("the day summary was not written: the answer was not the JSON asked for")
                    return None, spent
            room = int(room * GROW)
        log.warning(
            "the day summary was not written: the answer was cut off, also with %d tokens of room", int(room / GROW)
        )
        return None, spent


def _plus(spent: Accounting, attempts: int, asked_before: int, prompt: int = 0, completion: int = 0) -> Accounting:
    """`spent` and one more question: its requests, of which the SDK's retries and a question
    asked again count as retries."""
    return spent.model_copy(
        update={
            "calls": spent.calls + attempts,
            "retries": spent.retries + max(0, attempts - 1) + (1 if asked_before else 0),
            "prompt_tokens": spent.prompt_tokens + prompt,
            "completion_tokens": spent.completion_tokens + completion,
        }
    )


def _digest(report: SummaryInput) -> tuple[list[str], list[str], list[str]]:
    """The lines the model reads, and the texts and paths its answer is grounded in (the short shas
    it may cite among them)."""
    lines, texts, paths = [], [], []
    for repository in report.repositories:
        name = repository.name
        for highlight in repository.highlights:
            lines.append(
                f"[{name}] HIGHLIGHT {highlight.category} in {highlight.sha[:7]}: {', '.join(highlight.items[:5])}"
            )
            texts += [highlight.sha[:7], *highlight.items]
        for entry in sorted(repository.commits, key=lambda c: c.analysis.importance.rank)[:MAX_COMMITS]:
            analysis = entry.analysis
            lines.append(
                f"[{name}] {entry.commit.short_sha} {analysis.importance.value} "
                f"{analysis.change_type}: {entry.commit.subject} — {analysis.summary}"
            )
            lines += [f"    risk: {risk}" for risk in analysis.risks[:RISKS_PER_COMMIT]]
            texts += [
                name,
                entry.commit.short_sha,
                entry.commit.message,
                analysis.summary,
                *analysis.importance_reasons,
                *analysis.risks,
                *(fact.model_dump_json() for fact in entry.facts.facts),
            ]
            paths += [f.path for f in entry.commit.files]
    return lines, texts, paths


def _key(model: str, language: str, lines: list[str], kind: str = "day") -> str:
    """Same model, language, prompt and analyses: same summary."""
    digest = hashlib.sha256("\n".join([model, language, PROMPT_VERSION, *lines]).encode()).hexdigest()
    return f"{kind}:{digest}"


def period_summarizer(settings: LlmConfig, client: ChatClient, cache: SummaryCache | None = None) -> DaySummarizer:
    """The digest's opening paragraph: the day summary's question over all the period's commits
    (highest importance first, within the same limits), grounded and cached the same way."""
    return DaySummarizer(settings, client, cache, PERIOD_INSTRUCTIONS, "period")
