"""A standalone HTML page of the Markdown report (for mail and for browsing the output folder)."""

from __future__ import annotations

import base64
import hashlib
import html
import re

from markdown_it import MarkdownIt

from repodigest.render.markdown import MarkdownRenderer
from repodigest.render.text import escape_html
from repodigest.report.models import Report

STYLE = """body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,"Noto Sans CJK SC",sans-serif;max-width:960px;
margin:2em auto;padding:0 1em;line-height:1.55;color:#1f2328}table{border-collapse:collapse}
td,th{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}code{background:#f6f8fa;padding:0 3px}
blockquote{color:#59636e;border-left:4px solid #d0d7de;margin:0;padding:0 1em}"""

OWN_TAGS = re.compile(r'<a name="[a-z0-9-]+">|</a>|<br>|<sub>|</sub>')
"""The only HTML the Markdown renderer writes itself: heading anchors, line breaks in table cells
and the small print. Any other HTML in the Markdown came from a repository or a model."""


def content_security_policy(styles: tuple[str, ...] = (STYLE,), scripts: tuple[str, ...] = ()) -> str:
    """Nothing loads or runs but the page's own inline style and script, named by their hashes:
    if something ever slipped past the escaping, the browser would still refuse to run it."""
    def sources(blocks: tuple[str, ...]) -> str:
        hashes = [base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() for b in blocks]
        return " ".join(f"'sha256-{h}'" for h in hashes) or "'none'"

    return (f"default-src 'none'; style-src {sources(styles)}; script-src {sources(scripts)}; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


class HtmlRenderer:
    extension = "html"

    def __init__(self) -> None:
        self._markdown = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
        # Raw HTML in the Markdown is shown as text unless it is exactly one of our own tags: every
        # text we put in the Markdown was escaped, and this holds even if some call site forgot to.
        self._markdown.add_render_rule("html_inline", _own_html_only)
        self._markdown.add_render_rule("html_block", _own_html_only)

    def render(self, report: Report) -> str:
        body = self._markdown.render(MarkdownRenderer().render(report))
        title = escape_html(f"repodigest {report.date.isoformat()}")
        policy = escape_html(content_security_policy())
        return (
            f'<!DOCTYPE html>\n<html lang="{escape_html(report.language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
        )


def _own_html_only(_renderer, tokens, index, _options, _env) -> str:
    content = tokens[index].content
    if tokens[index].type == "html_inline" and OWN_TAGS.fullmatch(content):
        return content
    return html.escape(content, quote=False)
