"""The one reader of unified-diff hunks: their ranges, their text, and their lines with old and
new line numbers. Every later stage (facts, symbol comparison, the LLM's diff excerpt) reads hunks
through it.

Hand-written on purpose: the patch is already split per file by the walk, and the only structure
left is `@@ -a,b +c,d @@` headers followed by prefixed lines, which a generic patch library would
re-parse with file headers we no longer have.
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


class HunkRange(NamedTuple):
    old_start: int
    old_count: int
    new_start: int
    new_count: int

    def flipped(self) -> HunkRange:
        """The same hunk read from new to old (for re-parsing the old side from the new tree)."""
        return HunkRange(self.new_start, self.new_count, self.old_start, self.old_count)

    def holds(self, side: str, line: int) -> bool:
        start, count = (self.old_start, self.old_count) if side == "old" else (self.new_start, self.new_count)
        return start <= line < start + max(count, 1)


def range_of(header: str) -> HunkRange | None:
    """The ranges of a `@@ -a,b +c,d @@` line (a missing count is 1), or None for any other line."""
    match = HUNK_HEADER.match(header)
    if not match:
        return None
    return HunkRange(
        int(match[1]),
        int(match[2]) if match[2] is not None else 1,
        int(match[3]),
        int(match[4]) if match[4] is not None else 1,
    )


def hunk_ranges(patch: str) -> list[HunkRange]:
    return [found for line in patch.split("\n") if line.startswith("@@") and (found := range_of(line))]


def split_hunks(patch: str) -> list[str]:
    """Each hunk's text, its `@@` line first (text before the first hunk is a piece of its own)."""
    hunks: list[str] = []
    for line in patch.splitlines(keepends=True):
        if line.startswith("@@") or not hunks:
            hunks.append(line)
        else:
            hunks[-1] += line
    return hunks
