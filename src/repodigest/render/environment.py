"""The one Jinja2 setup every template renderer uses: the package's templates, strict about
undefined names, whitespace as written. Each renderer gets an environment of its own, so the
filters it adds stay its own."""

from __future__ import annotations

import jinja2


def environment(autoescape: bool) -> jinja2.Environment:
    """`autoescape` for HTML; Markdown escapes every value through its own filters instead."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("repodigest.render", "templates"),
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
