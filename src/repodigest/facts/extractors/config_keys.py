"""Configuration keys added, removed or given a new default, where a defaults or schema file
defines them: Helm values, config / *default* / *example* / *reference* YAML, TOML and JSON,
JSON Schema properties. A changed value is a `DefaultFact` of its own: everyone who relied on
the default gets the new behaviour on upgrade."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import PurePosixPath

import yaml

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.excerpts import excerpt
from repodigest.facts.globs import combined_pattern
from repodigest.facts.models import (
    Change,
    ConfigKeyFact,
    DefaultFact,
    Evidence,
    FileNote,
    FileNoteReason,
    FileRole,
    Side,
)

DEFAULTS_FILES = combined_pattern(
    [
        "values.yaml",
        "values.yml",
        "values-*.yaml",
        "values*.yaml",
        "*default*.yaml",
        "*default*.yml",
        "*default*.toml",
        "*default*.json",
        "*.example.yaml",
        "*.example.yml",
        "*.example.toml",
        "*example*.json",
        "*.schema.json",
        "config.sample.*",
        "*.sample.yaml",
        "config.yaml",
        "config.yml",
        "config.toml",
        "config/*.yaml",
        "config/*.yml",
        "*reference*.yaml",
        "*reference*.yml",
        "*reference*.toml",
        "settings.yaml",
        "settings.toml",
    ]
)
SCHEMA_WORDS = {"properties", "items", "additionalProperties", "patternProperties"}
SCHEMA_ANNOTATIONS = {
    "description",
    "title",
    "examples",
    "$comment",
    "markdownDescription",
    "type",
    "format",
    "$schema",
    "$id",
    "required",
    "$ref",
}
MAX_FACTS_PER_FILE = 40
MAX_VALUE = 60


def extract(context: CommitContext) -> Iterator[ConfigKeyFact | DefaultFact | FileNote]:
    for file in context.files:
        if (
            DEFAULTS_FILES.match(file.path)
            and not file.diff.change.binary
            and file.role not in (FileRole.TEST, FileRole.DOCS, FileRole.CI, FileRole.VENDORED)
        ):
            yield from _file_facts(file)


def _file_facts(file: FileContext) -> list[ConfigKeyFact | DefaultFact | FileNote]:
    schema = file.path.endswith(".schema.json")
    old = _read(file.old_path, file.old_text, schema)
    new = _read(file.path, file.new_text, schema)
    if old is None or new is None:
        return [
            FileNote(
                path=file.path,
                note="could not be read as configuration",
                reason=FileNoteReason.UNREADABLE_CONFIGURATION,
            )
        ]
    facts: list[ConfigKeyFact | DefaultFact | FileNote] = []
    for key in sorted(new.keys() - old.keys()):
        facts.append(
            ConfigKeyFact(
                key=key, change=Change.ADDED, new_value=_short(new[key]), evidence=(_evidence(file, key, Side.NEW),)
            )
        )
    for key in sorted(old.keys() - new.keys()):
        facts.append(
            ConfigKeyFact(
                key=key,
                change=Change.REMOVED,
                old_value=_short(old[key]),
                breaking=True,
                confidence="low" if schema else "high",
                evidence=(_evidence(file, key, Side.OLD),),
            )
        )
    for key in sorted(old.keys() & new.keys()):
        if old[key] != new[key]:
            facts.append(_changed(file, key, old[key], new[key], schema))
    return facts[:MAX_FACTS_PER_FILE]


def _read(path: str, text: str | None, schema: bool) -> dict[str, object] | None:
    """Flat keys of one side; {} when the side does not exist, None when it cannot be read."""
    if text is None or not text.strip():
        return {}
    data = _load(path, text)
    return None if data is None else _flatten(data, schema=schema)


def _changed(file: FileContext, key: str, old, new, schema: bool) -> ConfigKeyFact | DefaultFact:
    if schema and key.endswith(".enum") and isinstance(old, list) and isinstance(new, list):
        added = [value for value in new if value not in old]
        if added and all(value in new for value in old):
            return ConfigKeyFact(
                key=key[: -len(".enum")],
                change=Change.CHANGED,
                old_value=_short(old),
                new_value="+" + ", ".join(map(str, added)),
                evidence=(_evidence(file, key, Side.NEW),),
            )
    old_text, new_text = _short(old), _short(new)
    switch = DefaultFact.flips(old_text, new_text)
    enabled = key.rsplit(".", 1)[-1].lower() in ("enabled", "enable", "disabled")
    return DefaultFact(
        key=key.removesuffix(".default") if schema else key,
        old_value=old_text,
        new_value=new_text,
        source="config",
        top_level=switch or enabled,
        evidence=(_evidence(file, key, Side.NEW),),
    )


def _load(path: str, text: str | None):
    if text is None:
        return None
    suffix = PurePosixPath(path).suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return _merged(yaml.safe_load_all(text))
        if suffix == ".toml":
            return tomllib.loads(text)
        return json.loads(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError):
        return None


def _merged(documents) -> dict | None:
    """A multi-document YAML file read as one mapping (later documents win on clashes)."""
    merged: dict = {}
    for document in documents:
        if document is None:
            continue
        if not isinstance(document, dict):
            return None
        merged.update(document)
    return merged


def _flatten(data, prefix: str = "", schema: bool = False) -> dict[str, object] | None:
    """Dotted key paths to leaf values. A JSON Schema is read as the user writes the values it
    describes: through `properties` and `items` only, keeping `default` and `enum` as leaves
    and dropping annotations (`description`, `type`, ...)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        return None if not prefix else {prefix: data}
    flat: dict[str, object] = {}
    for key, value in data.items():
        if schema and key in SCHEMA_ANNOTATIONS:
            continue
        if schema and key in SCHEMA_WORDS:
            name = f"{prefix}[]" if key == "items" and prefix else prefix
        else:
            name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, name, schema) or {})
        elif name:
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
            return Evidence(
                path=file.path if side == Side.NEW else file.old_path,
                line=number,
                side=side,
                excerpt=excerpt(line.text),
            )
    return Evidence(path=file.path if side == Side.NEW else file.old_path, side=side)


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"
