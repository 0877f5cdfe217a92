"""Building the LLM analyzer (and the day summarizer) from `[llm]`, with the key from the
environment variable it names; a local server needs no key."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from repodigest.analysis.llm import day_summary
from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.analysis.llm.day_summary import DaySummarizer
from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.config import LlmConfig
from repodigest.credentials import from_environment
from repodigest.errors import BadInput

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
NO_KEY = "no-key-needed"


def client(llm: LlmConfig) -> ChatClient:
    key = from_environment(llm.api_key_env)
    if not key:
        host = urlsplit(llm.base_url).hostname if llm.base_url else None
        if host not in LOCAL_HOSTS:
            raise BadInput(
                f"the LLM analyzer needs an API key in the environment variable {llm.api_key_env}",
                f"export {llm.api_key_env}=..., or set [llm] api_key_env to the variable that holds it",
            )
        key = NO_KEY
    return ChatClient(llm.base_url, key, llm.timeout, llm.max_retries, llm.json_mode)


def build(llm: LlmConfig, rules_path: Path | None = None) -> LlmAnalyzer:
    return LlmAnalyzer(llm, client(llm), RulesAnalyzer(rules_path=rules_path))


def day_summarizer(llm: LlmConfig, cache=None) -> DaySummarizer:
    return DaySummarizer(llm, client(llm), cache)


def period_summarizer(llm: LlmConfig, cache=None) -> DaySummarizer:
    return day_summary.period_summarizer(llm, client(llm), cache)
