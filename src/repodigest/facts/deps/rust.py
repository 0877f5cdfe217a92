"""Rust crates: Cargo.toml (all dependency tables, workspace and target-specific) and Cargo.lock."""

from __future__ import annotations

import tomllib

from repodigest.facts.deps.pin import Pin

TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


def cargo_toml(text: str) -> list[Pin]:
    data = tomllib.loads(text)
    found: list[Pin] = []
    scopes = [data, data.get("workspace", {}), *data.get("target", {}).values()]
    for scope in scopes:
        for table in TABLES:
            for name, spec in scope.get(table, {}).items():
                found.append(Pin(_package(name, spec), _version(spec), runtime=table == "dependencies"))
    return found


def cargo_lock(text: str) -> list[Pin]:
    return [
        Pin(p["name"], p.get("version"), direct=False) for p in tomllib.loads(text).get("package", []) if "name" in p
    ]


def _package(name: str, spec) -> str:
    return spec.get("package", name) if isinstance(spec, dict) else name


def _version(spec) -> str | None:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        return spec.get("version") or (
            f"git {spec.get('rev') or spec.get('tag') or spec.get('branch')}" if "git" in spec else None
        )
    return None
