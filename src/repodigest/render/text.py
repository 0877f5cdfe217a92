"""Escaping text for Markdown so that commit messages and analyses render as the text they are.

Hand-written because Markdown libraries parse rather than escape; the rules follow CommonMark's
backslash-escapable punctuation plus HTML's `<` and `&`.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([.)]|[-+=>#])")
_HEADING_CLOSE = re.compile(r"(\s)(#+)(\s*)$")


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_text(text: str, line_start: bool = True) -> str:
    """Plain text shown verbatim inline: every Markdown and HTML special character escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # At the start of a line "1.", "-", "+", ">" or "#" would open a block; at the end of a
    # heading " #" would be eaten as its closing sequence.
    if line_start:
        text = _BLOCK_START.sub(lambda m: m[1] + "\\" + m[2], text, count=1)
    return _HEADING_CLOSE.sub(lambda m: m[1] + m[2].replace("#", "\\#") + m[3], text)


def md_prose(text: str) -> str:
    """Analysis text on one line: balanced `code spans` kept, everything else escaped."""
    parts = _CODE_SPAN.split(" ".join(text.split()))
    return "".join(part if _CODE_SPAN.fullmatch(part) else md_text(part, index == 0)
                   for index, part in enumerate(parts))


def md_cell(text: str) -> str:
    """Prose for a GFM table cell, where `|` must be escaped even inside code spans."""
    parts = _CODE_SPAN.split(" ".join(text.split()))
    return "".join(
        part.replace("|", "\\|") if _CODE_SPAN.fullmatch(part) else md_text(part, index == 0)
        for index, part in enumerate(parts)
    )


def md_code(text: str) -> str:
    """An inline code span that survives backticks in its content."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
