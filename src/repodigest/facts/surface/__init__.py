"""The public-surface model: is a file's API the project's promise to its users, and why?

One judge per language (a module plus a line in JUDGES). A judge sees the path and a view of
the repository at the commit (to read build files, package markers, crate roots), and answers
with a `Surface`. Symbols outside the public surface are internal: their removal or new
signature breaks no user, so they never count as breaking or as new public API.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module

from repodigest.facts.surface.model import NOT_JUDGED, ProjectView, Surface, periphery_reason

Judge = Callable[[str, ProjectView, "bytes | None"], Surface]
"""(path, project, the file's new or old contents) -> Surface."""

JUDGES: dict[str, str] = {
    "go": "repodigest.facts.surface.go",
    "c": "repodigest.facts.surface.c_family",
    "cpp": "repodigest.facts.surface.c_family",
    "python": "repodigest.facts.surface.python",
    "rust": "repodigest.facts.surface.rust",
    "javascript": "repodigest.facts.surface.ecmascript",
    "typescript": "repodigest.facts.surface.ecmascript",
    "tsx": "repodigest.facts.surface.ecmascript",
    "java": "repodigest.facts.surface.java",
}


@cache
def _judge(language: str) -> Judge | None:
    target = JUDGES.get(language)
    return import_module(target).judge if target else None


def surface_of(language: str | None, path: str, project: ProjectView, content: bytes | None) -> Surface:
    judge = _judge(language or "")
    if judge is None:
        return NOT_JUDGED
    periphery = periphery_reason(path)
    if periphery:
        return Surface(False, periphery)
    return judge(path, project, content)


__all__ = ["NOT_JUDGED", "ProjectView", "Surface", "surface_of"]
