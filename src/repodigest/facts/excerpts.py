"""Short excerpts of diff lines for evidence (hunks themselves are read by source/hunks.py)."""

from __future__ import annotations


def excerpt(text: str, limit: int = 160) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
