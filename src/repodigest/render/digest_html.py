"""The HTML digest: the Markdown digest converted with the HTML report's own converter (only
our own tags pass, everything else is text) inside a standalone page under the same
Content-Security-Policy: no script, only its inline style. It links to the days' HTML reports."""

from __future__ import annotations

from markupsafe import Markup

from repodigest.render.digest_markdown import DigestMarkdownRenderer, title
from repodigest.render.html import HtmlRenderer, _environment, with_content_security_policy
from repodigest.report.digest import Digest
from repodigest.wording import labels


class DigestHtmlRenderer:
    extension = "html"

    def __init__(self) -> None:
        self._converter = HtmlRenderer()._markdown

    def render(self, digest: Digest) -> str:
        markdown = DigestMarkdownRenderer(link_extension="html").render(digest)
        page = _environment.get_template("digest.html.j2").render(
            language=digest.language,
            title=title(digest, labels(digest.language)),
            body=Markup(self._converter.render(markdown)),
        )
        return with_content_security_policy(page)
