"""npm packages: package.json and the npm, Yarn (classic and berry) and pnpm lockfiles."""

from __future__ import annotations

import json
import re

import yaml

from repodigest.facts.deps.pin import Pin

SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
YARN_ENTRY = re.compile(r'^"?((?:@[^@/\s"]+/)?[^@\s"]+)@')
YARN_VERSION = re.compile(r'^\s+version:?\s+"?([^"\s]+)"?')


def package_json(text: str) -> list[Pin]:
    data = json.loads(text)
    found: list[Pin] = []
    for section in SECTIONS:
        table = data.get(section)
        if isinstance(table, dict):
            found.extend(
                Pin(name, str(version), runtime=section != "devDependencies") for name, version in table.items()
            )
    return found


def package_lock(text: str) -> list[Pin]:
    """Every installed copy (a package can sit at several depths of node_modules)."""
    data = json.loads(text)
    packages = data.get("packages") or {}
    found = [
        Pin(key.rsplit("node_modules/", 1)[-1], entry.get("version"), direct=False)
        for key, entry in packages.items()
        if key and isinstance(entry, dict)
    ]
    if not found:
        found = [
            Pin(name, entry.get("version") if isinstance(entry, dict) else None, direct=False)
            for name, entry in (data.get("dependencies") or {}).items()
        ]
    return found


def yarn_lock(text: str) -> list[Pin]:
    found = []
    current = None
    for line in text.splitlines():
        if line and not line.startswith((" ", "#")):
            match = YARN_ENTRY.match(line)
            current = match[1] if match else None
        elif current:
            version = YARN_VERSION.match(line)
            if version:
                found.append(Pin(current, version[1], direct=False))
                current = None
    return found


def pnpm_lock(text: str) -> list[Pin]:
    data = yaml.safe_load(text) or {}
    found = []
    for key in data.get("packages") or {}:
        name, version = _pnpm_key(str(key))
        if name:
            found.append(Pin(name, version, direct=False))
    return found


def _pnpm_key(key: str) -> tuple[str | None, str | None]:
    key = key.lstrip("/").split("(", 1)[0]
    at = key.rfind("@")
    if at <= 0:
        return None, None
    if "/" in key[at:]:  # pnpm 5-6 form: /name/1.2.3
        name, _, version = key.rpartition("/")
        return name, version
    return key[:at], key[at + 1 :]
