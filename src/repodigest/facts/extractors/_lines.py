"""Shared logic for extractors that read names off the changed lines of a diff.

Interface names (flags, variables, routes) are declared in one line in practically all code, so
these extractors scan added and removed lines with patterns instead of parsing whole files:
they then cost nothing for the many files that declare none. A name counts as added only when
the old file did not have it, and as removed only when the new file no longer has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from repodigest.facts.context import FileContext
from repodigest.facts.excerpts import excerpt
from repodigest.facts.models import Change, Evidence, Side

COMMENT = re.compile(r"^\s*(#|//|/\*|\*|--|;)")


@dataclass(frozen=True)
class Found:
    name: str
    line: int | None
    side: Side
    text: str
    detail: str = ""
    """Extractor-specific: the framework of a flag, the method of a route."""

    def evidence(self, path: str) -> Evidence:
        return Evidence(path=path, line=self.line, side=self.side, excerpt=excerpt(self.text))


Reader = Callable[[str, Callable[[], str]], Iterable[tuple[str, str]]]
"""Reads (name, detail) pairs from one line of code; the second argument gives, when called,
the line before it in the file (for declarations spread over two lines)."""


def changed_names(file: FileContext, read: Reader, hints: tuple[str, ...] = ()) -> tuple[list[Found], list[Found]]:
    """(added, removed) names, net of names that merely moved within the file. With `hints`, a
    file whose diff contains none of them is skipped without reading a line: most diffs declare
    no flag, variable or route, and this keeps a month of history cheap."""
    if hints and not _hint_pattern(hints).search(file.patch):
        return [], []
    added, removed = [], []
    for line in file.lines:
        if COMMENT.match(line.text):
            continue
        for name, detail in read(line.text, _line_before(file, line)):
            if line.op == "+":
                added.append(Found(name, line.new_line, Side.NEW, line.text, detail))
            else:
                removed.append(Found(name, line.old_line, Side.OLD, line.text, detail))
    if not added and not removed:
        return [], []
    old_names = _names_in(file.old_text, read, hints)
    new_names = _names_in(file.new_text, read, hints)
    added = _unique([f for f in added if f.name not in old_names])
    removed = _unique([f for f in removed if f.name not in new_names])
    return added, removed


def pair_renames(added: list[Found], removed: list[Found]) -> Iterator[tuple[Found, Found]]:
    """A name removed and another added with the same detail in one file: a rename."""
    pool = list(added)
    for gone in removed:
        match = next((new for new in pool if new.detail == gone.detail), None)
        if match is not None:
            pool.remove(match)
            yield gone, match


def _constant(value: str) -> Callable[[], str]:
    return lambda: value


def _line_before(file: FileContext, line) -> Callable[[], str]:
    """A function giving the line before `line` on its side of the diff; it reads the file only
    when called, so readers that never ask cost nothing."""

    def fetch() -> str:
        text = file.new_text if line.op == "+" else file.old_text
        number = line.new_line if line.op == "+" else line.old_line
        if not text or number < 2:
            return ""
        return text.split("\n", number - 1)[number - 2]

    return fetch


def _names_in(text: str | None, read: Reader, hints: tuple[str, ...]) -> set[str]:
    """Every name `read` finds in a whole file; with hints, only the lines that contain one are
    read (found by one regular-expression pass over the text, not a loop over every line)."""
    if text is None:
        return set()
    names: set[str] = set()
    for start, end in _candidate_lines(text, hints):
        line = text[start:end]
        if COMMENT.match(line):
            continue
        before = text.rfind("\n", 0, max(start - 1, 0))
        previous = text[before + 1 : max(start - 1, 0)] if start else ""
        names.update(name for name, _ in read(line, _constant(previous)))
    return names


def _candidate_lines(text: str, hints: tuple[str, ...]):
    if not hints:
        position = 0
        for line in text.split("\n"):
            yield position, position + len(line)
            position += len(line) + 1
        return
    seen = -1
    for match in _hint_pattern(hints).finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if start == seen:
            continue
        seen = start
        end = text.find("\n", match.end())
        yield start, len(text) if end == -1 else end


@cache
def _hint_pattern(hints: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(hint) for hint in hints))


def _unique(found: list[Found]) -> list[Found]:
    seen, unique = set(), []
    for item in found:
        if item.name not in seen:
            seen.add(item.name)
            unique.append(item)
    return unique


def change_of(found: Found) -> Change:
    return Change.ADDED if found.side == Side.NEW else Change.REMOVED
