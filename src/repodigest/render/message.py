"""What of a commit message belongs in the day's commit table: the subject and, at most, a short
first paragraph of prose.

Pull-request templates, bots and squash merges fill commit bodies with things a reader of the
table does not want: template headings (`## What?`), HTML comments, check lists, bold labels
(`**Description**`), squash lists (`* fix * fix again`), release-note tables and `<details>`
blocks, trailers. The full message stays in the JSON and in the commit's own section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_DETAILS = re.compile(r"<details\b.*?(?:</details>|\Z)", re.S | re.I)
_FENCE = re.compile(r"^\s*(```|~~~).*?(?:^\s*\1\s*$|\Z)", re.S | re.M)
_TRAILER = re.compile(
    r"^\s*(Signed-off-by|Co-authored-by|Assisted-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Change-Id|"
    r"Reviewed-on|Cc|Fixes|Closes|Resolves|Refs|Bug|Link|Suggested-by|Helped-by|Generated-by|Made-with)\s*:",
    re.I,
)
_NOT_PROSE = re.compile(
    r"^\s*(?:"
    r"#{1,6}(?:\s|$)"  # a heading of a PR template
    r"|[-*+]\s"  # a list item: squash lists, change lists, check lists
    r"|\d+[.)]\s"  # a numbered list
    r"|\|"  # a table row
    r"|>"  # a quotation
    r"|<"  # an HTML tag: <details>, <summary>, <img>, <p align=...>
    r"|[-=*_]{3,}\s*$"  # a rule
    r"|\*\*[^*]+\*\*:?\s*$"  # a bold label on its own: **Description**
    r"|__[^_]+__:?\s*$"
    r"|\[[ xX]\]"  # a check box
    r"|(?:https?://\S+)\s*$"  # a bare link
    r"|\(cherry picked from"
    r")",
)
_LABEL = re.compile(r"^\s*(?:#{1,6}\s.*|\*\*[^*]+\*\*:?|__[^_]+__:?)\s*$")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
SHORT_PARAGRAPH_CHARS = 200
"""A first paragraph longer than this is not "short": the table shows the subject only."""


@dataclass(frozen=True)
class TableMessage:
    subject: str
    paragraph: str | None
    """The first paragraph of prose when it is short, on one line; Markdown links as their text."""
    complete: bool
    """True when subject and paragraph are all the message says (apart from trailers)."""


def table_message(message: str) -> TableMessage:
    subject, _, body = message.strip().partition("\n")
    subject = subject.strip()
    kept = [line.strip() for line in body.splitlines() if line.strip() and not _TRAILER.match(line)]
    cleaned = _FENCE.sub("", _DETAILS.sub("", _COMMENT.sub("", body)))
    paragraph, source = None, None
    for block in re.split(r"\n\s*\n", cleaned):
        lines = [line.strip() for line in block.splitlines() if line.strip() and not _TRAILER.match(line)]
        while lines and _LABEL.match(lines[0]):
            lines = lines[1:]  # a template heading or bold label directly above its text
        if not lines or any(_NOT_PROSE.match(line) for line in lines):
            continue
        text = " ".join(_LINK.sub(lambda m: m[1], " ".join(lines)).split())
        if text and len(text) <= SHORT_PARAGRAPH_CHARS and text != subject:
            paragraph, source = text, lines
        break  # only the first paragraph of prose is a candidate
    complete = kept == (source or []) and (paragraph is None or paragraph == " ".join(" ".join(kept).split()))
    return TableMessage(subject=subject, paragraph=paragraph, complete=complete)


def body_without_trailers(message: str) -> str:
    """The message as written, trailers and surrounding blank lines removed (for the full text)."""
    lines = [line.rstrip() for line in message.strip().splitlines() if not _TRAILER.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
