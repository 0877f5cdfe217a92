"""Why an LLM analysis did not complete, in the report's language (wording: [llm.failures])."""

from __future__ import annotations

from repodigest.wording import Catalog


def failure_reason(kind: str, language: str, **values) -> str:
    texts = Catalog(language).table("llm.failures")
    return str(texts.get(kind, texts["no_answer"])).format(**{"detail": "", **values})
