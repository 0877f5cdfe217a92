"""Which programming language a path is written in, by its name (and, for `.h`, its content)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

EXTENSIONS = {
    ".py": "python",
    ".pyi": "python",
    ".rs": "rust",
    ".go": "go",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".cu": "cpp",
    ".cuh": "cpp",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".scala": "scala",
    ".rb": "ruby",
    ".php": "php",
    ".cs": "csharp",
    ".swift": "swift",
    ".sh": "bash",
    ".bash": "bash",
    ".lua": "lua",
    ".proto": "protobuf",
    ".sql": "sql",
}


def language_of(path: str) -> str | None:
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


CPP_MARKERS = re.compile(rb"\b(?:class|namespace|template|public:|private:|constexpr)\b|::")


def header_language(path: str, language: str | None, content: Callable[[], bytes | None]) -> str | None:
    """`.h` is C by name, but C++ projects write their headers in it too; the C grammar reads
    C++ as syntax errors and loses every declaration, so such a header is read as C++.
    `content` is asked only for a `.h` file: reading every file would cost a blob each."""
    if language != "c" or not path.endswith(".h"):
        return language
    found = content()
    return "cpp" if found is not None and CPP_MARKERS.search(found) else "c"
