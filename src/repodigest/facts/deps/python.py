"""Python packages: requirements files, pyproject.toml (PEP 621, Poetry, build-system),
setup.cfg, and the uv / Poetry / PDM lockfiles."""

from __future__ import annotations

import configparser
import tomllib

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from repodigest.facts.deps.pin import Pin


def requirements(text: str) -> list[Pin]:
    found: list[Pin] = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "git+", "http:", "https:", "file:", ".")):
            continue
        _add(found, line)
    return found


def pyproject(text: str) -> list[Pin]:
    data = tomllib.loads(text)
    found: list[Pin] = []
    project = data.get("project", {})
    for line in project.get("dependencies", []):
        _add(found, line)
    for extra, lines in project.get("optional-dependencies", {}).items():
        for line in lines:
            _add(found, line, runtime=extra.lower() not in DEVELOPMENT_EXTRAS)
    for group in data.get("dependency-groups", {}).values():
        for line in group:
            if isinstance(line, str):
                _add(found, line, runtime=False)  # PEP 735 groups are for development
    for line in data.get("build-system", {}).get("requires", []):
        _add(found, line, runtime=False)
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [(poetry.get("dependencies", {}), True), (poetry.get("dev-dependencies", {}), False)]
    tables += [(group.get("dependencies", {}), name == "main") for name, group in poetry.get("group", {}).items()]
    for table, runtime in tables:
        for name, spec in table.items():
            if name.lower() != "python":
                version = spec if isinstance(spec, str) else spec.get("version") if isinstance(spec, dict) else None
                found.append(Pin(canonicalize_name(name), _pin(version), runtime=runtime))
    return found


DEVELOPMENT_EXTRAS = {
    "dev",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
    "linting",
    "docs",
    "doc",
    "typing",
    "types",
    "mypy",
    "style",
    "format",
    "ci",
    "bench",
    "benchmark",
    "benchmarks",
}


def setup_cfg(text: str) -> list[Pin]:
    parser = configparser.ConfigParser()
    parser.read_string(text)
    found: list[Pin] = []
    if parser.has_option("options", "install_requires"):
        for line in parser.get("options", "install_requires").splitlines():
            if line.strip():
                _add(found, line.strip())
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            for line in value.splitlines():
                if line.strip():
                    _add(found, line.strip())
    return found


def toml_lock(text: str) -> list[Pin]:
    data = tomllib.loads(text)
    return [
        Pin(canonicalize_name(p["name"]), p.get("version"), direct=False)
        for p in data.get("package", [])
        if "name" in p
    ]


def _add(found: list[Pin], line: str, runtime: bool = True) -> None:
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return
    found.append(Pin(canonicalize_name(requirement.name), _pin(str(requirement.specifier) or None), runtime=runtime))


def _pin(specifier: str | None) -> str | None:
    """`==1.2.3` reads as the version `1.2.3`; any other specifier is kept as written."""
    if specifier and specifier.startswith("==") and "," not in specifier:
        return specifier[2:].strip()
    return specifier or None
