"""Walking the lines of a unified diff with their old and new line numbers.

A hand-written reader: the patch is already split per file by the source stage, and the only
structure left is `@@ -a,b +c,d @@` headers followed by prefixed lines, which a generic patch
library would re-parse with headers we no longer have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$")


class DiffLine(NamedTuple):
    op: str
    """'+' added, '-' removed, ' ' context."""
    old_line: int | None
    new_line: int | None
    text: str


def changed_lines(patch: str) -> list[DiffLine]:
    """The added and removed lines with their numbers; context lines are only counted.

    Most lines of a diff are context, so not building objects for them is what keeps
    reading a month of patches cheap.
    """
    found = []
    old_line = new_line = 0
    for raw in patch.split("\n"):
        marker = raw[:1]
        if marker == " ":
            old_line += 1
            new_line += 1
        elif marker == "+":
            found.append(DiffLine("+", None, new_line, raw[1:]))
            new_line += 1
        elif marker == "-":
            found.append(DiffLine("-", old_line, None, raw[1:]))
            old_line += 1
        elif marker == "@":
            match = HUNK_HEADER.match(raw)
            if match:
                old_line, new_line = int(match[1]), int(match[3])
    return found


def iter_diff_lines(patch: str) -> Iterator[DiffLine]:
    old_line = new_line = 0
    for raw in patch.splitlines():
        if raw.startswith("@@"):
            match = HUNK_HEADER.match(raw)
            if match:
                old_line, new_line = int(match[1]), int(match[3])
            continue
        if not raw:
            continue
        op, text = raw[0], raw[1:]
        if op == "+":
            yield DiffLine("+", None, new_line, text)
            new_line += 1
        elif op == "-":
            yield DiffLine("-", old_line, None, text)
            old_line += 1
        elif op == " ":
            yield DiffLine(" ", old_line, new_line, text)
            old_line += 1
            new_line += 1
        # "\ No newline at end of file" and anything else carries no line.


def excerpt(text: str, limit: int = 160) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
