"""The words of one language, loaded from locales/<language>.toml: every sentence, label and
title a stage shows (the built-in analyzer's sentences, the report's labels, the brief, the LLM's
notes and failure reasons, the ranking's reasons, the security rules' titles)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

MAX_ITEMS = 3
FALLBACK = "en"
"""The language of a report whose language has no locale file."""


class Catalog:
    def __init__(self, language: str) -> None:
        self.language = language
        self._data = _load(language)

    def text(self, section: str, key: str, **values: Any) -> str:
        """The sentence `key` of `section` (a dotted path, `brief.lines`), filled with `values`."""
        return _plural(str(self.table(section)[key]).format(**values))

    def table(self, section: str) -> dict[str, Any]:
        """A whole section as a mapping (dotted path): the report's labels are `table("report")`."""
        found: dict[str, Any] = self._data
        for part in section.split("."):
            found = found[part]
        return found

    @property
    def joiner(self) -> str:
        """What joins the sentences of a paragraph: a space in English, nothing in Chinese."""
        return str(self._data["joiner"])

    def change_type(self, change_type: str) -> str:
        return self._data["change_types"].get(change_type, change_type)

    def word(self, change: str) -> str:
        return self._data["change_words"].get(change, change)

    def labelled(self, name: str, change: str) -> str:
        """`name (added)` in the catalog's language and punctuation."""
        return self._data["labelled"].format(name=name, change=self.word(change))

    def dimension(self, dimension: str) -> str:
        return self._data["dimensions"].get(dimension, dimension)

    def reason(self, signal: str) -> str | None:
        """Why a commit got its importance when `signal` fired (a template over `{items}`)."""
        return self._data["reasons"].get(signal)

    def security_title(self, rule: str) -> str | None:
        return self._data["security_titles"].get(rule)

    def items(self, items: Iterable[Any], limit: int = MAX_ITEMS, code: bool = True) -> str:
        """`a`, `b`, `c` and 2 more — never an empty string for a non-empty list."""
        unique = list(dict.fromkeys(items))
        shown = [f"`{item}`" if code else str(item) for item in unique[:limit]]
        text = self._data["separator"].join(shown)
        hidden = len(unique) - len(shown)
        if hidden > 0:
            text += self._data["more"].format(count=hidden, total=len(unique))
        return text


def labels(language: str) -> dict[str, Any]:
    """The report's labels (titles, headings, table headers): `t` in the templates."""
    return Catalog(language).table("report")


def plural(t: dict[str, Any], key: str, count: int) -> str:
    """`key_one` for a count of one where the language has it (English), else `key`."""
    return str(t.get(f"{key}_one", t[key]) if count == 1 else t[key])


@cache
def languages() -> tuple[str, ...]:
    """Every language with a locale file."""
    folder = resources.files("repodigest.wording").joinpath("locales")
    return tuple(sorted(entry.name.removesuffix(".toml") for entry in folder.iterdir() if entry.name.endswith(".toml")))


PLURAL = re.compile(r"\b(\d+) (\w+)\(s\)")


def _plural(text: str) -> str:
    """English templates write `{count} file(s)`; readers get `1 file` and `2 files`."""
    return PLURAL.sub(lambda m: f"{m[1]} {m[2]}" + ("" if m[1] == "1" else "s"), text)


@cache
def _load(language: str) -> dict[str, Any]:
    folder = resources.files("repodigest.wording").joinpath("locales")
    name = f"{language}.toml" if folder.joinpath(f"{language}.toml").is_file() else f"{FALLBACK}.toml"
    return tomllib.loads(folder.joinpath(name).read_text("utf-8"))
