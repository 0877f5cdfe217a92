"""JavaScript and TypeScript: what a package's entry points can export (API Extractor's view,
approximated by path: a package's source tree outside private folders). Declared instability
(`internal`, `_private` folders) is honoured."""

from __future__ import annotations

from pathlib import PurePosixPath

from repodigest.facts.surface.model import ProjectView, Surface

PRIVATE_SEGMENTS = {"internal", "internals", "private", "__internal__"}
TEST_SUFFIXES = (".test.ts", ".test.tsx", ".test.js", ".spec.ts", ".spec.js", ".test.mjs", ".stories.tsx")
CONFIG_FILES = (
    "vite.config",
    "vitest.config",
    "jest.config",
    "eslint.config",
    "webpack.config",
    "rollup.config",
    "tsup.config",
    "playwright.config",
    "next.config",
    "tailwind.config",
    "postcss.config",
)


def judge(path: str, _project: ProjectView, _content: bytes | None) -> Surface:
    pure = PurePosixPath(path)
    if pure.name.endswith(TEST_SUFFIXES):
        return Surface(False, "test file")
    if pure.name.startswith(CONFIG_FILES):
        return Surface(False, "tool configuration")
    private = PRIVATE_SEGMENTS & {part.lower() for part in pure.parts[:-1]}
    if private:
        return Surface(False, f"private folder ({sorted(private)[0]}/)")
    if any(part in ("website", "site", "app", "apps") for part in pure.parts[:1]):
        return Surface(False, "application, not a package")
    return Surface(True, "package source")
