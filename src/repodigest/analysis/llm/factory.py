"""Building the LLM analyzer (and the day summarizer) from `[llm]`, with the key from the
environment variable it names; a local server needs no key."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.analysis.llm.day_summary import DaySummarizer, PeriodSummarizer
from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.config import Config
from repodigest.errors import BadInput
from repodigest.secrets import from_environment

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
NO_KEY = "no-key-needed"


def client(config: Config) -> ChatClient:
    llm = config.llm
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


def build(config: Config) -> LlmAnalyzer:
    rules = RulesAnalyzer(rules_path=Path(config.rules) if config.rules else None)
    return LlmAnalyzer(config.llm, client(config), rules)


def day_summarizer(config: Config, cache=None) -> DaySummarizer | None:
    if config.analyzer != "llm" or not config.llm.day_summary:
        return None
    return DaySummarizer(config.llm, client(config), cache)


def period_summarizer(config: Config, cache=None) -> PeriodSummarizer | None:
    if config.analyzer != "llm" or not config.llm.day_summary:
        return None
    return PeriodSummarizer(config.llm, client(config), cache)
