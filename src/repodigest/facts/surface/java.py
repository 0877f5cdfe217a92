"""Java: public members of public classes (japicmp's view), judged per member by the outline.
Not API: `src/test/`, `internal` packages."""

from __future__ import annotations

from pathlib import PurePosixPath

from repodigest.facts.surface.model import ProjectView, Surface


def judge(path: str, _project: ProjectView, _content: bytes | None) -> Surface:
    parts = PurePosixPath(path).parts
    if "src" in parts and "test" in parts:
        return Surface(False, "test sources")
    if "internal" in parts[:-1] or "impl" in parts[:-1]:
        return Surface(False, "internal package")
    return Surface(True, "public class")
