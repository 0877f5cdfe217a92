"""Rust: `pub` items of library crates (cargo-semver-checks' view); `pub(crate)` and private
modules are judged per item by the outline. Not API: binary-only crates, `src/bin/`, `build.rs`,
tests, benches and examples."""

from __future__ import annotations

from pathlib import PurePosixPath

from repodigest.facts.surface.model import ProjectView, Surface


def judge(path: str, project: ProjectView, _content: bytes | None) -> Surface:
    pure = PurePosixPath(path)
    if pure.name == "build.rs":
        return Surface(False, "build script")
    if "bin" in pure.parts[:-1] or pure.name == "main.rs":
        return Surface(False, "binary target")
    crate = _crate_root(pure)
    if crate is not None and project.blobs is not None:
        source = f"{crate}/src" if crate else "src"
        if not project.exists(f"{source}/lib.rs") and project.exists(f"{source}/main.rs"):
            return Surface(False, "binary crate (src/main.rs, no src/lib.rs)")
    return Surface(True, "library crate")


def _crate_root(path: PurePosixPath) -> str | None:
    """The crate folder: the part before the last `src/` segment."""
    parts = path.parts
    if "src" not in parts:
        return None
    index = len(parts) - 1 - parts[::-1].index("src")
    return "/".join(parts[:index])
