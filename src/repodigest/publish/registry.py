"""Publishers by kind. Adding one is a module with a `build(section, context, ledger)`
(its own settings, a `PublishContext`, the ledger) plus one
entry here.

The files publisher always runs (the output folder is the record of what was written); the
archive site (`[archive] enabled`, `--archive`) comes right after it, so the publishers that
carry the folder elsewhere (git) carry its pages and feeds too; the others come from
`[[publish]]` sections, in the order they are listed.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from repodigest.config import Config
from repodigest.errors import BadInput
from repodigest.publish.base import Ledger, PublishContext, Publisher
from repodigest.publish.files import FilesPublisher

PUBLISHERS: dict[str, str] = {
    "git": "repodigest.publish.git",
    "github": "repodigest.publish.github",
    "slack": "repodigest.publish.webhooks.slack",
    "feishu": "repodigest.publish.webhooks.feishu",
    "lark": "repodigest.publish.webhooks.feishu",
    "dingtalk": "repodigest.publish.webhooks.dingtalk",
    "wecom": "repodigest.publish.webhooks.wecom",
    "mail": "repodigest.publish.mail",
}

ARCHIVE = "repodigest.publish.archive"


def publish_context(config: Config) -> PublishContext:
    return PublishContext(
        output=Path(config.output),
        formats=tuple(config.formats),
        language=config.language,
        archive=config.archive.enabled,
    )


def build_publishers(config: Config, ledger: Ledger) -> list[Publisher]:
    context = publish_context(config)
    publishers: list[Publisher] = [FilesPublisher(context.output, context.formats)]
    if config.archive.enabled:
        publishers.append(import_module(ARCHIVE).build(config.archive, context))
    for section in config.publish:
        kind = section.get("kind")
        module = PUBLISHERS.get(kind) if isinstance(kind, str) else None
        if module is None:
            raise BadInput(
                f"unknown publisher kind {kind!r} in [[publish]]", f"use one of: {', '.join(sorted(PUBLISHERS))}"
            )
        publishers.append(import_module(module).build(section, context, ledger))
    return publishers


def formats_needed(config: Config, publishers: list[Publisher]) -> tuple[str, ...]:
    """The configured formats plus any a publisher needs to render its message (mail: HTML)."""
    needed: list[str] = list(config.formats)
    for publisher in publishers:
        needed.extend(f for f in publisher.needs_formats if f not in needed)
    return tuple(needed)
