"""One more call, after the commits: a short overview of the day written from the per-commit
analyses (never from raw diffs), in the report's language, grounded like everything else."""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

from repodigest.analysis.llm.client import ChatClient, LlmUnavailable
from repodigest.analysis.llm.grounding import Vocabulary, ground
from repodigest.analysis.llm.prompt import LANGUAGES, PROMPT_VERSION
from repodigest.analysis.llm.schema import ModelDaySummary
from repodigest.config import LlmConfig
from repodigest.report.models import Report

log = logging.getLogger(__name__)
MAX_COMMITS = 60
INSTRUCTIONS = """You write the opening paragraph of a daily engineering report, in {language}.
From the commit analyses below, say in 3-5 plain sentences what happened today and what deserves
attention first (breaking changes, security, risky changes). Name only things that appear below,
in `backticks`. Answer with JSON matching this schema: {schema}"""


class SummaryCache(Protocol):
    def get_summary(self, key: str) -> str | None: ...

    def put_summary(self, key: str, text: str) -> None: ...


class DaySummarizer:
    def __init__(self, settings: LlmConfig, client: ChatClient, cache: SummaryCache | None = None) -> None:
        self.settings = settings
        self.client = client
        self.cache = cache

    def __call__(self, report: Report) -> str | None:
        lines, texts, paths = [], [], []
        for repository in report.repositories:
            for entry in sorted(repository.commits, key=lambda c: c.analysis.importance.rank)[:MAX_COMMITS]:
                analysis = entry.analysis
                lines.append(f"[{repository.repository.name}] {entry.commit.short_sha} {analysis.importance.value} "
                             f"{analysis.change_type}: {entry.commit.subject} — {analysis.summary}")
                texts += [entry.commit.message, analysis.summary, *analysis.importance_reasons,
                          *(fact.model_dump_json() for fact in entry.facts.facts)]
                paths += [f.path for f in entry.commit.files]
        if not lines:
            return None
        key = _key(self.settings.model, report.language, lines)
        cached = self.cache.get_summary(key) if self.cache else None
        if cached is not None:
            return cached
        system = INSTRUCTIONS.format(language=LANGUAGES.get(report.language, "English"),
                                     schema=ModelDaySummary.model_json_schema())
        try:
            completion = self.client.complete(self.settings.model, [{"role": "system", "content": system},
                                                                   {"role": "user", "content": "\n".join(lines)}],
                                              ModelDaySummary.model_json_schema(), self.settings.max_output_tokens,
                                              self.settings.temperature)
            if completion.finish_reason == "length":
                return None
            text = completion.content[completion.content.find("{"):completion.content.rfind("}") + 1]
            summary = ModelDaySummary.model_validate_json(text).summary
        except (LlmUnavailable, ValueError) as failure:
            log.warning("the day summary was not written: %s", failure)
            return None
        grounded, _ = ground(summary, Vocabulary.of_texts(texts, paths), report.language)
        if grounded and self.cache:
            self.cache.put_summary(key, grounded)
        return grounded or None


def _key(model: str, language: str, lines: list[str]) -> str:
    """Same model, language, prompt and analyses: same summary."""
    digest = hashlib.sha256("\n".join([model, language, PROMPT_VERSION, *lines]).encode()).hexdigest()
    return f"day:{digest}"
