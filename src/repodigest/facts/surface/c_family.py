"""C and C++: declarations in installed or public headers (libabigail's `--headers-dir` view).

A header is public when the build installs it (meson `install_headers`, CMake `install(FILES|
DIRECTORY ...)`, a Makefile install rule naming it) or it sits in an `include/` tree. When the
build has install rules and this header is not among them, it is internal. Implementation files
(.c, .cpp, .cu) declare nothing callers can include.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from repodigest.facts.surface.model import ProjectView, Surface

HEADERS = {".h", ".hh", ".hpp", ".hxx", ".cuh", ".inl", ".ipp", ".h++"}
BUILD_FILES = ("meson.build", "CMakeLists.txt", "Makefile")
MESON_INSTALL = re.compile(r"install_headers\s*\(([^)]*)\)", re.DOTALL)
CMAKE_INSTALL = re.compile(r"install\s*\(\s*(FILES|DIRECTORY)([^)]*)\)", re.DOTALL | re.IGNORECASE)
QUOTED = re.compile(r"""['"]([^'"]+)['"]|([\w./${}-]+\.(?:h|hh|hpp|hxx|cuh))\b""")


def judge(path: str, project: ProjectView, _content: bytes | None) -> Surface:
    pure = PurePosixPath(path)
    if pure.suffix.lower() not in HEADERS:
        return Surface(False, "implementation file (not a header)")
    if "include" in pure.parts[:-1]:
        return Surface(True, "include/ tree")
    if project.blobs is None or not any(project.exists(name) for name in BUILD_FILES):
        return Surface(True, "header (no build file says otherwise)")
    rules = _install_rules(project)
    if rules is None:
        return Surface(False, "header not installed (the build installs no headers)")
    files, folders = rules
    if path in files or any(path.startswith(folder.rstrip("/") + "/") for folder in folders):
        return Surface(True, "installed header")
    return Surface(False, "header not installed")


def _install_rules(project: ProjectView) -> tuple[frozenset[str], frozenset[str]] | None:
    """Installed header paths and folders named by the top-level build file(s)."""
    files: set[str] = set()
    folders: set[str] = set()
    found = False
    for name in BUILD_FILES:
        text = project.text(name)
        if text is None:
            continue
        named_files, named_folders, has_rules = _parse(name, text)
        files |= named_files
        folders |= named_folders
        found = found or has_rules
    return (frozenset(files), frozenset(folders)) if found else None


@lru_cache(maxsize=64)
def _parse(name: str, text: str) -> tuple[frozenset[str], frozenset[str], bool]:
    files: set[str] = set()
    folders: set[str] = set()
    if name == "meson.build":
        calls = MESON_INSTALL.findall(text)
        for arguments in calls:
            head = arguments.split("install_dir", 1)[0]
            files.update(_paths(head))
        return frozenset(files), frozenset(), bool(calls)
    if name == "CMakeLists.txt":
        calls = CMAKE_INSTALL.findall(text)
        for kind, arguments in calls:
            head = re.split(r"\bDESTINATION\b", arguments, maxsplit=1)[0]
            target = folders if kind.upper() == "DIRECTORY" else files
            target.update(
                p.replace("${CMAKE_CURRENT_SOURCE_DIR}/", "").replace("${PROJECT_SOURCE_DIR}/", "")
                for p in head.split()
            )
        return frozenset(files), frozenset(folders), bool(calls)
    lines = [line for line in text.splitlines() if line.lstrip().startswith("install") or "$(INSTALL" in line]
    for line in lines:
        files.update(_paths(line))
    return frozenset(files), frozenset(), bool(lines)


def _paths(text: str) -> set[str]:
    return {quoted or bare for quoted, bare in QUOTED.findall(text)}
