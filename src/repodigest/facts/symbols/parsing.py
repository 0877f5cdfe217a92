"""Parsing versions of a file with tree-sitter, reusing what was parsed before.

A month of history changes the same files again and again, and one commit's old version is an
older commit's new version. So parsed versions are kept by blob id, and a version whose
neighbour (the other side of a diff) is known is parsed incrementally from it: tree-sitter is
told what the hunks changed and re-reads only those regions.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add

from tree_sitter import Language, Parser, Point, Tree

from repodigest.source.hunks import HunkRange

MAX_LINE_LENGTH = 1000
"""A line longer than this in the first lines marks a minified or data file."""
GENERATED_MARKER = re.compile(
    rb"(Code generated .{0,200}DO NOT EDIT|@generated|\bauto-?generated\b|DO NOT EDIT)", re.IGNORECASE
)
HEAD_BYTES = 4096
CACHED_VERSIONS = 512
CACHED_SOURCE_BYTES = 2 << 20
"""The parsed versions kept hold at most this much source; their trees take about eleven times as
much (tracemalloc on mudler/LocalAI 2026-01..04-03: 8 MB of source held 88 MB of trees). Bounded
in bytes, not only in count: 512 versions of LocalAI's large Go and C++ files held over 150 MB
per facts worker. 2 MB, not 8: the same run peaked at 210 MB instead of 268 MB in the same time
(28.4 s against 27.9 s), reports identical: the reuse that counts is the next commit to touch a
file, which comes soon."""


def refusal(source: bytes) -> str | None:
    """Why a file should not be parsed (minified, generated), or None."""
    head = source[:HEAD_BYTES]
    lowered = head.lower()
    if (b"generated" in lowered or b"do not edit" in lowered) and GENERATED_MARKER.search(head):
        return "generated"
    if len(head) == HEAD_BYTES and head.count(b"\n") < HEAD_BYTES // MAX_LINE_LENGTH:
        return "minified"
    if any(len(line) > MAX_LINE_LENGTH for line in head.split(b"\n")[:-1]):
        return "minified"
    return None


_parsers = threading.local()


def parser_for(language: Language) -> Parser:
    """One parser per language and thread: facts workers may be threads (facts/workers.py), and
    a tree-sitter parser must not parse two texts at once (its parse releases the GIL)."""
    parsers = getattr(_parsers, "by_language", None)
    if parsers is None:
        parsers = _parsers.by_language = {}
    if language not in parsers:
        parsers[language] = Parser(language)
    return parsers[language]


@dataclass
class Parsed:
    tree: Tree
    source: bytes
    outline: list


class VersionCache:
    """Parsed versions by blob id, the most recently used kept. Safe to share between threads:
    a cached tree is only read and copied (tree-sitter's copies are for other threads), never
    edited in place."""

    def __init__(self, size: int = CACHED_VERSIONS, source_bytes: int = CACHED_SOURCE_BYTES) -> None:
        self._entries: OrderedDict[tuple[str, str], Parsed] = OrderedDict()
        self._size = size
        self._budget = source_bytes
        self._held = 0
        self._lock = threading.Lock()

    def get(self, language: str, blob: str | None) -> Parsed | None:
        if blob is None:
            return None
        with self._lock:
            entry = self._entries.get((language, blob))
            if entry is not None:
                self._entries.move_to_end((language, blob))
            return entry

    def put(self, language: str, blob: str, parsed: Parsed) -> None:
        with self._lock:
            self._put(language, blob, parsed)

    def _put(self, language: str, blob: str, parsed: Parsed) -> None:
        replaced = self._entries.pop((language, blob), None)
        self._held -= len(replaced.source) if replaced else 0
        self._entries[(language, blob)] = parsed
        self._held += len(parsed.source)
        while len(self._entries) > 1 and (len(self._entries) > self._size or self._held > self._budget):
            _, dropped = self._entries.popitem(last=False)
            self._held -= len(dropped.source)


def parse(language: Language, source: bytes) -> Tree:
    return parser_for(language).parse(source)


def parse_from(language: Language, base: Tree, base_source: bytes, target: bytes, hunks: list[HunkRange]) -> Tree:
    """Parse `target` reusing `base`. `hunks` are (base_start, base_count, target_start,
    target_count) as in a unified diff from base to target."""
    base_offsets, target_offsets = _line_offsets(base_source), _line_offsets(target)
    tree = base.copy()
    for base_start, base_count, target_start, target_count in hunks:
        a0 = base_start if base_count == 0 else base_start - 1
        b0 = target_start if target_count == 0 else target_start - 1
        a1, b1 = a0 + base_count, b0 + target_count
        if b1 >= len(target_offsets) or a1 >= len(base_offsets):
            return parse(language, target)  # the hunks do not describe these texts: parse afresh
        start = target_offsets[b0]
        tree.edit(
            start_byte=start,
            old_end_byte=start + base_offsets[a1] - base_offsets[a0],
            new_end_byte=target_offsets[b1],
            start_point=Point(b0, 0),
            old_end_point=Point(b0 + base_count, 0),
            new_end_point=Point(b1, 0),
        )
    return parser_for(language).parse(target, tree)


def _line_offsets(source: bytes) -> list[int]:
    """Byte offset of the start of each line, plus the end of the text."""
    # map/accumulate with C functions: a Python-level loop here dominated large files.
    offsets = [0, *accumulate(map(add, map(len, source.split(b"\n")), repeat(1)))]
    offsets[-1] = len(source)  # the last line has no newline after it
    if len(offsets) > 1 and offsets[-2] == len(source):
        offsets.pop()
    return offsets
