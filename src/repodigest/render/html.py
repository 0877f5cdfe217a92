"""A standalone HTML page of the Markdown report (for mail and for browsing the output folder)."""

from __future__ import annotations

from markdown_it import MarkdownIt

from repodigest.render.markdown import MarkdownRenderer
from repodigest.render.text import escape_html
from repodigest.report.models import Report

STYLE = """body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,"Noto Sans CJK SC",sans-serif;max-width:960px;
margin:2em auto;padding:0 1em;line-height:1.55;color:#1f2328}table{border-collapse:collapse}
td,th{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}code{background:#f6f8fa;padding:0 3px}
blockquote{color:#59636e;border-left:4px solid #d0d7de;margin:0;padding:0 1em}"""


class HtmlRenderer:
    extension = "html"

    def __init__(self) -> None:
        # html=True keeps our own <a name> anchors and <br>/<sub>; every text we put in the
        # Markdown was escaped, so no HTML from a commit message or a model reaches the page.
        self._markdown = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")

    def render(self, report: Report) -> str:
        body = self._markdown.render(MarkdownRenderer().render(report))
        title = escape_html(f"repodigest {report.date.isoformat()}")
        return (
            f'<!DOCTYPE html>\n<html lang="{report.language}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
        )
