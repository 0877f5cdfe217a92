"""Renderers by output format. Adding one is a module plus one entry here: the format's name is
the file extension, and the configuration accepts every name listed here."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the configuration reads RENDERERS; it should not load the report models
    from repodigest.report.digest import Digest
    from repodigest.report.models import Report


class Renderer(Protocol):
    extension: str

    def render(self, report: Report) -> str: ...


class DigestRenderer(Protocol):
    extension: str

    def render(self, digest: Digest) -> str: ...


RENDERERS: dict[str, str] = {
    "md": "repodigest.render.markdown:MarkdownRenderer",
    "json": "repodigest.render.json:JsonRenderer",
    "html": "repodigest.render.html:HtmlRenderer",
}


DIGEST_RENDERERS: dict[str, str] = {
    "md": "repodigest.render.digest_markdown:DigestMarkdownRenderer",
    "json": "repodigest.render.digest_json:DigestJsonRenderer",
    "html": "repodigest.render.digest_html:DigestHtmlRenderer",
}
"""Period digests, by the same formats."""


def digest_renderers_for(formats: tuple[str, ...]) -> list[DigestRenderer]:
    return [_load(DIGEST_RENDERERS[name]) for name in formats]


def _load(path: str) -> DigestRenderer:
    module, _, attribute = path.partition(":")
    renderer: DigestRenderer = getattr(import_module(module), attribute)()
    return renderer


def renderers_for(formats: tuple[str, ...]) -> list[Renderer]:
    """Renderers are imported when asked for: HTML's Markdown parser loads only for HTML."""
    made = []
    for name in formats:
        module, _, attribute = RENDERERS[name].partition(":")
        made.append(getattr(import_module(module), attribute)())
    return made
