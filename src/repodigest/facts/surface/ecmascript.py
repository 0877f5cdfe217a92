"""JavaScript and TypeScript: what a package's entry points can export (API Extractor's view,
approximated by path: a package's source tree outside private folders). Declared instability
(`internal`, `_private` folders) is honoured. Entry points (what `import "pkg"` reaches) come from
the nearest `package.json` (`exports`, `main`, `module`, `types`), built paths mapped back to
their sources, else `index`/`mod` files at the package's top or under `src/`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
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


def judge(path: str, project: ProjectView, _content: bytes | None) -> Surface:
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
    if entry_point(pure, project):
        return Surface(True, "package entry point", entry_point=True)
    return Surface(True, "package source", entry_point=False)


MANIFEST_FIELDS = ("exports", "main", "module", "types", "typings", "browser")
BUILD_FOLDERS = {"dist", "lib", "build", "out", "esm", "cjs", "types"}
CONVENTIONAL_ENTRIES = {"index", "mod"}


def entry_point(path: PurePosixPath, project: ProjectView) -> bool:
    for folder in path.parents:
        manifest = project.text(str(folder / "package.json") if str(folder) != "." else "package.json")
        if manifest is None:
            continue
        inside = path.relative_to(folder)
        targets = _targets(manifest)
        if targets and _stem(inside) in targets:
            return True
        return _conventional(inside)
    return _conventional(path)


def _conventional(inside: PurePosixPath) -> bool:
    top = inside.parts[:-1]
    return _stem(PurePosixPath(inside.name)) in CONVENTIONAL_ENTRIES and top in ((), ("src",))


@lru_cache(maxsize=256)
def _targets(manifest: str) -> frozenset[str]:
    """The source stems the manifest's entry fields point at: `./dist/cors/index.js` is
    `src/cors/index` (or `cors/index`) before the build."""
    try:
        data = json.loads(manifest)
    except ValueError:
        return frozenset()
    stems: set[str] = set()
    for target in _strings([data.get(name) for name in MANIFEST_FIELDS] if isinstance(data, dict) else []):
        if "*" in target:
            continue
        relative = PurePosixPath(target.removeprefix("./"))
        stem = _stem(relative)
        stems.add(stem)
        if relative.parts and relative.parts[0] in BUILD_FOLDERS:
            rest = _stem(PurePosixPath(*relative.parts[1:])) if len(relative.parts) > 1 else ""
            stems.update({rest, f"src/{rest}"})
    return frozenset(stems)


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _stem(path: PurePosixPath) -> str:
    """`src/index.d.ts` → `src/index`: the path without its (possibly double) suffix."""
    name = path.name.split(".")[0] if not path.name.startswith(".") else path.name
    return str(path.with_name(name)) if str(path.parent) != "." else name
