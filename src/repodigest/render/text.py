"""Escaping text for Markdown so that commit messages and analyses render as the text they are.

Hand-written because Markdown libraries parse rather than escape; the rules follow CommonMark's
backslash-escapable punctuation plus HTML's `<` and `&`. Every string that comes from a repository
or a model reaches the page through one of the `md_*` functions below, one per output context;
each first makes control and bidi characters visible, so a newline in a file name cannot end a
code span and U+202E cannot reorder what a reader sees.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_CONTROL = re.compile("[\x00-\x1f\x7f]")
_INVISIBLE = re.compile("[\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
"""C1 controls, bidi overrides and isolates, line and paragraph separators, byte-order mark."""
_URL_SAFE = "/:?#@!$&*+,;=%~-._"
"""Kept as they are in a link target; everything else (spaces, quotes, brackets, parentheses,
backslashes, non-ASCII) is percent-encoded so the target cannot end early or leave the link."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([.)]|[-+=>#])")
_HEADING_CLOSE = re.compile(r"(\s)(#+)(\s*)$")


def escape_html(text: str) -> str:
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def visible(text: str) -> str:
    """Control characters shown as their Unicode control pictures (ESC → ␛, CR → ␍), tabs as
    spaces, invisible format characters as ⟨U+XXXX⟩: nothing in one line of text can start a new
    line, move a terminal's cursor or reverse the reading order."""
    text = _CONTROL.sub(_control_picture, text)
    return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m[0]):04X}⟩", text)


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    return " " if code == 9 else chr(0x2421 if code == 0x7F else 0x2400 + code)


def md_text(text: str, line_start: bool = True) -> str:
    """Plain text shown verbatim inline: every Markdown and HTML special character escaped."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # At the start of a line "1.", "-", "+", ">" or "#" would open a block; at the end of a
    # heading " #" would be eaten as its closing sequence.
    if line_start:
        text = _BLOCK_START.sub(lambda m: m[1] + "\\" + m[2], text, count=1)
    return _HEADING_CLOSE.sub(lambda m: m[1] + m[2].replace("#", "\\#") + m[3], text)


def md_prose(text: str) -> str:
    """Analysis text on one line: balanced `code spans` kept, everything else escaped."""
    parts = _CODE_SPAN.split(visible(" ".join(text.split())))
    return "".join(
        part if _CODE_SPAN.fullmatch(part) else md_text(part, index == 0) for index, part in enumerate(parts)
    )


def md_cell(text: str) -> str:
    """Prose for a GFM table cell, where `|` must be escaped even inside code spans."""
    parts = _CODE_SPAN.split(visible(" ".join(text.split())))
    return "".join(
        part.replace("|", "\\|") if _CODE_SPAN.fullmatch(part) else md_text(part, index == 0)
        for index, part in enumerate(parts)
    )


def md_code(text: str) -> str:
    """An inline code span that survives backticks and newlines in its content."""
    text = visible(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_link_target(url: str | None) -> str | None:
    """A link target that can only be an http(s) web page: other schemes (javascript:, data:,
    file:) give no link, and characters that could end the target are percent-encoded."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)
