"""Splitting a long Markdown report into pieces under a size limit, on section boundaries.

A piece ends before a heading where it can; a section larger than the limit is split between
paragraphs, and a paragraph larger than that between lines. Only a single line longer than the
limit itself (none of our renderers writes one) is carried over in consecutive pieces.
"""

from __future__ import annotations

import re
from collections.abc import Callable

SECTION_START = re.compile(r"(?m)^(?=#{2,4} )")


def utf16_units(text: str) -> int:
    """Length as GitHub (JavaScript) counts it: characters outside the BMP (most emoji) are two."""
    return len(text.encode("utf-16-le")) // 2


def split_markdown(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Pieces of at most `limit` as `measure` counts (characters by default)."""
    pieces: list[str] = []
    current, size = "", 0
    for block in _blocks(text, limit, measure):
        length = measure(block)
        if current and size + length > limit:
            pieces.append(current)
            current, size = "", 0
        current += block
        size += length
    if current or not pieces:
        pieces.append(current)
    return pieces


def _blocks(text: str, limit: int, measure: Callable[[str], int]):
    for section in SECTION_START.split(text):
        if measure(section) <= limit:
            yield section
            continue
        for paragraph in re.split(r"(?<=\n\n)", section):
            if measure(paragraph) <= limit:
                yield paragraph
                continue
            for line in paragraph.splitlines(keepends=True):
                yield from _chop(line, limit, measure)


def _chop(line: str, limit: int, measure: Callable[[str], int]):
    while measure(line) > limit:
        cut = limit
        while measure(line[:cut]) > limit:
            cut = max(1, cut * 3 // 4)
        yield line[:cut]
        line = line[cut:]
    if line:
        yield line
