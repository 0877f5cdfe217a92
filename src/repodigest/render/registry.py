"""Renderers by output format. Adding one is a module plus one entry here."""

from __future__ import annotations

from typing import Protocol

from repodigest.render.html import HtmlRenderer
from repodigest.render.json import JsonRenderer
from repodigest.render.markdown import MarkdownRenderer
from repodigest.report.models import Report


class Renderer(Protocol):
    extension: str

    def render(self, report: Report) -> str: ...


RENDERERS: dict[str, type[Renderer]] = {
    "md": MarkdownRenderer,
    "json": JsonRenderer,
    "html": HtmlRenderer,
}


def renderers_for(formats: tuple[str, ...]) -> list[Renderer]:
    return [RENDERERS[name]() for name in formats]
