"""The sentences of the built-in analyzer in one language, loaded from locales/<lang>.toml."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

MAX_ITEMS = 3


class Catalog:
    def __init__(self, language: str) -> None:
        self.language = language
        self._data = _load(language)

    def text(self, section: str, key: str, **values) -> str:
        return _plural(self._data[section][key].format(**values))

    def change_type(self, change_type: str) -> str:
        return self._data["change_types"].get(change_type, change_type)

    def word(self, change: str) -> str:
        return self._data["change_words"].get(change, change)

    def labelled(self, name: str, change: str) -> str:
        """`name (added)` in the catalog's language and punctuation."""
        return self._data["labelled"].format(name=name, change=self.word(change))

    def dimension(self, dimension: str) -> str:
        return self._data["dimensions"].get(dimension, dimension)

    def items(self, items, limit: int = MAX_ITEMS, code: bool = True) -> str:
        """`a`, `b`, `c` and 2 more — never an empty string for a non-empty list."""
        unique = list(dict.fromkeys(items))
        shown = [f"`{item}`" if code else str(item) for item in unique[:limit]]
        text = self._data["separator"].join(shown)
        hidden = len(unique) - len(shown)
        if hidden > 0:
            text += self._data["more"].format(count=hidden, total=len(unique))
        return text


PLURAL = re.compile(r"\b(\d+) (\w+)\(s\)")


def _plural(text: str) -> str:
    """English templates write `{count} file(s)`; readers get `1 file` and `2 files`."""
    return PLURAL.sub(lambda m: f"{m[1]} {m[2]}" + ("" if m[1] == "1" else "s"), text)


@cache
def _load(language: str) -> dict:
    folder = resources.files("repodigest.analysis.rules").joinpath("locales")
    name = f"{language}.toml" if folder.joinpath(f"{language}.toml").is_file() else "en.toml"
    return tomllib.loads(folder.joinpath(name).read_text("utf-8"))
