"""Dependency manifests and lockfiles: which file is which, and how to read its packages.

A reader turns a file's text into Pins (name, version, direct); a name may appear with several
versions (lockfiles install several copies). Adding a format is a module with its readers plus
entries in FORMATS (first matching glob wins).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from repodigest.facts.deps import containers, go, javascript, python, rust
from repodigest.facts.deps.pin import Pin
from repodigest.facts.globs import combined_pattern

Reader = Callable[[str], list[Pin]]


@dataclass(frozen=True)
class Format:
    ecosystem: str
    direct: bool
    """False for lockfiles, whose entries are mostly transitive."""
    read: Reader


FORMATS: list[tuple[list[str], Format]] = [
    (
        ["requirements*.txt", "requirements/*.txt", "requirements*.in", "requirements/*.in", "constraints*.txt"],
        Format("pypi", True, python.requirements),
    ),
    (["pyproject.toml"], Format("pypi", True, python.pyproject)),
    (["setup.cfg"], Format("pypi", True, python.setup_cfg)),
    (["uv.lock", "poetry.lock", "pdm.lock"], Format("pypi", False, python.toml_lock)),
    (["Cargo.toml"], Format("cargo", True, rust.cargo_toml)),
    (["Cargo.lock"], Format("cargo", False, rust.cargo_lock)),
    (["go.mod"], Format("go", True, go.go_mod)),
    (["go.sum"], Format("go", False, go.go_sum)),
    (["package.json"], Format("npm", True, javascript.package_json)),
    (["package-lock.json", "npm-shrinkwrap.json"], Format("npm", False, javascript.package_lock)),
    (["yarn.lock"], Format("npm", False, javascript.yarn_lock)),
    (["pnpm-lock.yaml"], Format("npm", False, javascript.pnpm_lock)),
    (containers.CONTAINER_BUILDS, Format("docker", True, containers.dockerfile)),
    (
        [
            ".github/workflows/*.yml",
            ".github/workflows/*.yaml",
            "action.yml",
            "action.yaml",
            ".github/actions/**/action.yml",
            ".github/actions/**/action.yaml",
        ],
        Format("github-actions", True, containers.actions),
    ),
    (["Chart.yaml"], Format("helm", True, containers.helm_chart)),
]


@cache
def _compiled():
    return [(combined_pattern(globs), fmt) for globs, fmt in FORMATS]


def format_of(path: str) -> Format | None:
    for pattern, fmt in _compiled():
        if pattern.match(path):
            return fmt
    return None
