"""Report labels (titles, headings, table headers) in the report's language."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def labels(language: str) -> dict[str, Any]:
    folder = resources.files("repodigest.render").joinpath("locales")
    name = f"{language}.toml" if folder.joinpath(f"{language}.toml").is_file() else "en.toml"
    return tomllib.loads(folder.joinpath(name).read_text("utf-8"))


def plural(t: dict[str, Any], key: str, count: int) -> str:
    """`key_one` for a count of one where the language has it (English), else `key`."""
    return str(t.get(f"{key}_one", t[key]) if count == 1 else t[key])
