"""Go: exported names of importable packages (apidiff's view). Not API: `internal/` packages
(the compiler forbids importing them from outside), `package main`, tests, and build-tag stubs
that mirror another file (`//go:build !cgo`)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from repodigest.facts.surface.model import ProjectView, Surface

BUILD_TAG = re.compile(rb"^//go:build\s+(.+)$", re.MULTILINE)
PACKAGE = re.compile(rb"^package\s+(\w+)", re.MULTILINE)


def judge(path: str, _project: ProjectView, content: bytes | None) -> Surface:
    pure = PurePosixPath(path)
    if "internal" in pure.parts[:-1]:
        return Surface(False, "internal/ package")
    if pure.name.endswith("_test.go"):
        return Surface(False, "test file")
    if pure.name.startswith("mock_") or pure.name.endswith("_mock.go") or "mock" in pure.stem.split("_"):
        return Surface(False, "mocks")
    if content is not None:
        package = PACKAGE.search(content)
        if package and package.group(1) == b"main":
            return Surface(False, "package main (a command, not a library)")
        tag = BUILD_TAG.search(content[:2048])
        if tag and tag.group(1).strip().startswith(b"!"):
            return Surface(False, "build-tag stub (//go:build " + tag.group(1).decode("utf-8", "replace") + ")")
    return Surface(True, "exported package")
