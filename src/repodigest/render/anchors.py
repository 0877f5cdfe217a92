"""Explicit anchors for every heading the table of contents links to.

GitHub's own heading slugs depend on the rendered heading text (emoji, punctuation, duplicates),
so a commit subject could make a link miss. We put `<a name="...">` in each heading instead
(GitHub documents this form for custom anchors) and link to that name.
"""

from __future__ import annotations

import re


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "repo"


def repository(key: str) -> str:
    return f"repo-{_slug(key)}"


def stats(key: str) -> str:
    return f"stats-{_slug(key)}"


def highlights(key: str) -> str:
    return f"highlights-{_slug(key)}"


def releases(key: str) -> str:
    return f"releases-{_slug(key)}"


def group(key: str, level: str) -> str:
    return f"{level}-{_slug(key)}"


def commit(key: str, sha: str) -> str:
    return f"c-{_slug(key)}-{sha[:10]}"


def tag(name: str) -> str:
    return f'<a name="{name}"></a>'
