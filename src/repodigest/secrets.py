"""Secrets read from the environment, remembered so that no log line can repeat them.

Every secret repodigest reads goes through `from_environment`; `RedactingFilter` on the log
handler replaces any remembered value in a record's final text. Messages we write ourselves
never include secrets in the first place; this catches what libraries log (httpx logs URLs,
and a webhook URL is a credential).
"""

from __future__ import annotations

import logging
import os

REDACTED = "***"
_known: set[str] = set()
MIN_LENGTH = 6
"""Shorter values would redact ordinary words; no real token is this short."""


def remember(value: str) -> str:
    if len(value) >= MIN_LENGTH:
        _known.add(value)
    return value


def from_environment(variable: str) -> str | None:
    value = os.environ.get(variable)
    return remember(value) if value else None


def redact(text: str) -> str:
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _known:
            record.msg = redact(record.getMessage())
            record.args = None
        return True
