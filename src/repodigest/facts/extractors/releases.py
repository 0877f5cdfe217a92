"""The project's own version moving: `version = "0.8.0"` → `"0.9.0"` in its package manifest
(pyproject.toml, package.json, Cargo.toml, a Helm Chart.yaml). A release marker, never a
dependency change."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import PurePosixPath

import yaml

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.excerpts import excerpt
from repodigest.facts.models import Evidence, ReleaseFact, Side
from repodigest.facts.surface.model import periphery_reason

VERSION_LINE = re.compile(r"""^\s*"?version"?\s*[:=]""")


def _pyproject(text: str) -> str | None:
    data = tomllib.loads(text)
    return data.get("project", {}).get("version") or data.get("tool", {}).get("poetry", {}).get("version")


def _cargo(text: str) -> str | None:
    version = tomllib.loads(text).get("package", {}).get("version")
    return version if isinstance(version, str) else None


def _package_json(text: str) -> str | None:
    data = json.loads(text)
    return data.get("version") if isinstance(data, dict) and not data.get("private") else None


def _chart(text: str) -> str | None:
    data = yaml.safe_load(text)
    return str(data.get("version")) if isinstance(data, dict) and data.get("version") is not None else None


READERS = {"pyproject.toml": _pyproject, "Cargo.toml": _cargo, "package.json": _package_json, "Chart.yaml": _chart}
ERRORS = (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError, AttributeError, TypeError)


def extract(context: CommitContext) -> Iterator[ReleaseFact]:
    for file in context.files:
        read = READERS.get(PurePosixPath(file.path).name)
        if read is None or periphery_reason(file.path) or file.old_text is None or file.new_text is None:
            continue
        if not any(VERSION_LINE.match(line.text) for line in file.lines):
            continue  # most manifest edits leave the version alone: skip parsing them
        try:
            old, new = read(file.old_text), read(file.new_text)
        except ERRORS:
            continue
        if new and old != new:
            yield ReleaseFact(old_version=old, new_version=new, manifest=file.path, evidence=(_evidence(file),))


def _evidence(file: FileContext) -> Evidence:
    for line in file.lines:
        if line.op == "+" and VERSION_LINE.match(line.text):
            return Evidence(path=file.path, line=line.new_line, side=Side.NEW, excerpt=excerpt(line.text))
    return Evidence(path=file.path)
