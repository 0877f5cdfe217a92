"""What every language judge shares: the answer type, the repository view, and the trees that
are never anyone's API (tests, examples, benchmarks, tools, scripts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from repodigest.source.blobs import BlobReader

MAX_BUILD_FILE = 512 * 1024


@dataclass(frozen=True)
class Surface:
    public: bool | None
    """None when no judge applies (a language without one)."""
    reason: str = ""
    entry_point: bool | None = None
    """Whether the file is what importing the package reaches (TypeScript/JavaScript entry points);
    re-exports are public surface only there. None when the language does not say."""


NOT_JUDGED = Surface(None, "")

NEVER_API_SEGMENTS = {
    "test": "test code",
    "tests": "test code",
    "testing": "test code",
    "__tests__": "test code",
    "testdata": "test data",
    "test_data": "test data",
    "e2e": "test code",
    "integration_tests": "test code",
    "example": "example code",
    "examples": "example code",
    "samples": "example code",
    "demo": "example code",
    "demos": "example code",
    "benchmark": "benchmark code",
    "benchmarks": "benchmark code",
    "bench": "benchmark code",
    "benches": "benchmark code",
    "scripts": "maintainer scripts",
    "script": "maintainer scripts",
    "tools": "developer tooling",
    "hack": "developer tooling",
    "contrib": "contributed extras",
    "docs": "documentation",
    "doc": "documentation",
    ".github": "CI",
    ".ci": "CI",
    ".gitlab": "CI",
    ".circleci": "CI",
    ".buildkite": "CI",
    ".agents": "developer tooling",
    ".devcontainer": "developer tooling",
    "collector": "developer tooling",
    "mocks": "mocks",
    "mock": "mocks",
    "fixtures": "test data",
}


def periphery_reason(path: str) -> str | None:
    """Why a path can never be public API, or None. Whole path segments only: `src/author.py`
    is not under `auth/`, and `testing_utils.py` is not a test folder."""
    for segment in PurePosixPath(path).parts[:-1]:
        reason = NEVER_API_SEGMENTS.get(segment.lower())
        if reason:
            return f"{reason} ({segment}/)"
    return None


PACKAGING_SEGMENTS = frozenset({"contrib"})
"""Trees whose code is nobody's API but where many projects keep their packaging (container
images, wheels, distribution packages): what is built there ships to users."""


def build_periphery_reason(path: str) -> str | None:
    """Why a build input (a Dockerfile, its build arguments) cannot reach users, or None: as
    `periphery_reason`, except that packaging trees build what users install."""
    for segment in PurePosixPath(path).parts[:-1]:
        reason = NEVER_API_SEGMENTS.get(segment.lower())
        if reason and segment.lower() not in PACKAGING_SEGMENTS:
            return f"{reason} ({segment}/)"
    return None


@dataclass
class ProjectView:
    """The repository as it is at one commit: files read by path, once each."""

    commit: str
    blobs: BlobReader | None
    _read: dict[str, bytes | None] = field(default_factory=dict)

    def read(self, path: str) -> bytes | None:
        if path not in self._read:
            self._read[path] = self.blobs.read(f"{self.commit}:{path}", MAX_BUILD_FILE) if self.blobs else None
        return self._read[path]

    def text(self, path: str) -> str | None:
        content = self.read(path)
        return content.decode("utf-8", "replace") if content is not None else None

    def exists(self, path: str) -> bool:
        return self.read(path) is not None
