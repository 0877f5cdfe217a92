"""Configuration keys added, removed or given a new default, where a defaults or schema file
defines them: Helm values, *default* / *example* YAML, TOML and JSON, JSON Schema properties."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import PurePosixPath

import yaml

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.diffparse import excerpt
from repodigest.facts.models import Change, ConfigKeyFact, Evidence, Side
from repodigest.facts.roles import combined_pattern

DEFAULTS_FILES = combined_pattern([
    "values.yaml", "values.yml", "values-*.yaml", "*default*.yaml", "*default*.yml", "*default*.toml",
    "*default*.json", "*.example.yaml", "*.example.yml", "*.example.toml", "*example*.json", "*.schema.json",
    "config.sample.*", "*.sample.yaml",
])
MAX_FACTS_PER_FILE = 40
MAX_VALUE = 60


def extract(context: CommitContext) -> Iterator[ConfigKeyFact]:
    for file in context.files:
        if DEFAULTS_FILES.match(file.path) and not file.diff.change.binary:
            yield from _file_facts(file)


def _file_facts(file: FileContext) -> list[ConfigKeyFact]:
    old = _flatten(_load(file.old_path, file.old_text)) if file.old_text is not None else {}
    new = _flatten(_load(file.path, file.new_text)) if file.new_text is not None else {}
    if old is None or new is None:
        file.note = "could not be read as configuration"
        return []
    facts = []
    for key in sorted(new.keys() - old.keys()):
        facts.append(ConfigKeyFact(key=key, change=Change.ADDED, new_value=_short(new[key]),
                                   evidence=(_evidence(file, key, Side.NEW),)))
    for key in sorted(old.keys() - new.keys()):
        facts.append(ConfigKeyFact(key=key, change=Change.REMOVED, old_value=_short(old[key]), breaking=True,
                                   evidence=(_evidence(file, key, Side.OLD),)))
    for key in sorted(old.keys() & new.keys()):
        if old[key] != new[key]:
            facts.append(ConfigKeyFact(key=key, change=Change.CHANGED, old_value=_short(old[key]),
                                       new_value=_short(new[key]), evidence=(_evidence(file, key, Side.NEW),)))
    return facts[:MAX_FACTS_PER_FILE]


def _load(path: str, text: str | None):
    suffix = PurePosixPath(path).suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return yaml.safe_load(text)
        if suffix == ".toml":
            return tomllib.loads(text)
        data = json.loads(text)
        return data.get("properties", data) if path.endswith(".schema.json") and isinstance(data, dict) else data
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError):
        return None


def _flatten(data, prefix: str = "") -> dict[str, object] | None:
    if data is None:
        return {}
    if not isinstance(data, dict):
        return None if not prefix else {prefix: data}
    flat: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, name) or {})
        else:
            flat[name] = value
    return flat


def _evidence(file: FileContext, key: str, side: Side) -> Evidence:
    """The changed line that names the key's last part, else the file itself."""
    leaf = re.escape(key.rsplit(".", 1)[-1])
    pattern = re.compile(rf"""(^|[\s"'{{,]){leaf}["']?\s*[:=]""")
    op = "+" if side == Side.NEW else "-"
    for line in file.lines:
        if line.op == op and pattern.search(line.text):
            number = line.new_line if side == Side.NEW else line.old_line
            return Evidence(path=file.path if side == Side.NEW else file.old_path, line=number, side=side,
                            excerpt=excerpt(line.text))
    return Evidence(path=file.path if side == Side.NEW else file.old_path, side=side)


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"
