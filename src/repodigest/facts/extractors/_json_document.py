"""A JSON document read with `json` instead of libyaml: the same data and the same key lines.

Specs are often JSON (LocalAI's swagger.json: 288 kB), and JSON is YAML, so they used to be read
as YAML: ~13 ms for libyaml's node tree (kept only for the lines of the few keys a fact cites)
and more to build the data, against ~1 ms for `json.loads`. Here the data comes from `json`,
made what YAML makes of the same text (YAML 1.1 reads `1e5`, with no dot, as a string, and
`NaN` as a string), and a key's line is found when a fact asks, by stepping through the text
along the key's path (`json`'s C scanner skips the values in between; each object's offsets
are kept once found).

Only for text where both readings agree: an object at the top, read by `json` without error,
with none of the few things YAML reads otherwise (`_yaml_only`). Everything else goes to libyaml,
as before. One difference is left on purpose: libyaml refuses a key longer than 1024 characters,
which `json` reads.
"""

from __future__ import annotations

import bisect
import json
import re

import yaml

Path = tuple
OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
KEY_ON_ITS_OWN_LINE = re.compile(r"\n[ \t\r]*:")
"""A colon first on its line: in JSON only a key's, so that key is on another line."""
WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _yaml_float(text: str) -> object:
    """What YAML's implicit resolver makes of an unquoted JSON number with a fraction or exponent."""
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return float(text) if tag == "tag:yaml.org,2002:float" else text


def json_data(text: str) -> dict | None:
    """The document's data, or None when libyaml must read it (see the module's note)."""
    if not text.lstrip(" \n\r").startswith("{") or _yaml_only(text):
        return None
    try:
        data = json.loads(text, parse_float=_yaml_float, parse_constant=str)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _yaml_only(text: str) -> bool:
    """What YAML reads otherwise than JSON: other line breaks (NEL, U+2028/U+2029, a lone CR),
    escaped UTF-16 surrogates (libyaml refuses them), a key on another line than its colon (YAML
    refuses it), a tab around the document (YAML refuses one starting a line). Separate
    searches, each with a literal start, since one alternation took 3 ms."""
    return bool(
        OTHER_BREAKS.search(text)
        or ("\\u" in text and SURROGATE.search(text))
        or ("\r" in text and text.count("\r") != text.count("\r\n"))
        or KEY_ON_ITS_OWN_LINE.search(text)
        or "\t" in text[len(text.rstrip()) :]  # YAML refuses a tab after the document on its line's start
    )


class JsonLines:
    """1-based lines of keys and items, by path, as Document.line gives them from YAML nodes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.members: dict[int, dict[str, tuple[int, int]]] = {}
        """An object's offset → key → (offset of the key, of its value); the first of a name."""
        self.items: dict[int, list[int]] = {}

    def line(self, path: Path) -> int | None:
        at, line = self._skip(0), None
        for step in path:
            opening = self.text[at : at + 1]
            if opening == "{":
                found = self._members(at).get(step) if isinstance(step, str) else None
                if found is None:
                    return line
                line, at = self._line(found[0]), found[1]
            elif opening == "[" and isinstance(step, int) and step < len(items := self._items(at)):
                at = items[step]
                line = self._line(at)
            else:
                return line
        return line if line is not None else self._line(at)

    def _line(self, offset: int) -> int:
        return bisect.bisect_left(self.breaks, offset) + 1

    def _members(self, start: int) -> dict[str, tuple[int, int]]:
        if start not in self.members:
            found: dict[str, tuple[int, int]] = {}
            for key, key_at, value_at in self._entries(start, "}"):
                found.setdefault(key, (key_at, value_at))
            self.members[start] = found
        return self.members[start]

    def _items(self, start: int) -> list[int]:
        if start not in self.items:
            self.items[start] = [value_at for _, _, value_at in self._entries(start, "]")]
        return self.items[start]

    def _entries(self, start: int, closing: str) -> list[tuple[str, int, int]]:
        """(key, its offset, the value's offset) of each entry of the object (`}`) or array (`]`)
        at `start`; an array's items have no key ("")."""
        text, entries = self.text, []
        at = self._skip(start + 1)
        while text[at] != closing:
            key, key_at = "", at
            if closing == "}":
                key, at = _DECODER.raw_decode(text, at)
                at = self._skip(self._skip(at) + 1)  # past the ":"
            entries.append((key, key_at, at))
            _, at = _DECODER.raw_decode(text, at)  # skipped at C speed
            at = self._skip(at)
            if text[at] == ",":
                at = self._skip(at + 1)
        return entries

    def _skip(self, at: int) -> int:
        return WHITESPACE.match(self.text, at).end()  # type: ignore[union-attr]  # it matches ""
