"""Splitting a long Markdown report into pieces under a size limit, on section boundaries.

A piece ends before a heading where it can; a section larger than the limit is split between
paragraphs, and a paragraph larger than that between lines. Only a single line longer than the
limit itself (none of our renderers writes one) is carried over in consecutive pieces.
"""

from __future__ import annotations

import re

SECTION_START = re.compile(r"(?m)^(?=#{2,4} )")


def split_markdown(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for block in _blocks(text, limit):
        if current and len(current) + len(block) > limit:
            pieces.append(current)
            current = ""
        current += block
    if current or not pieces:
        pieces.append(current)
    return pieces


def _blocks(text: str, limit: int):
    for section in SECTION_START.split(text):
        if len(section) <= limit:
            yield section
            continue
        for paragraph in re.split(r"(?<=\n\n)", section):
            if len(paragraph) <= limit:
                yield paragraph
                continue
            for line in paragraph.splitlines(keepends=True):
                yield from (line[start:start + limit] for start in range(0, len(line), limit))
