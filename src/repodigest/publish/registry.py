"""Publishers by kind. Adding one is a module with a `build(section, config, ledger)` plus one
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
from repodigest.publish.base import Ledger, Publisher
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


def build_publishers(config: Config, ledger: Ledger) -> list[Publisher]:
    publishers: list[Publisher] = [FilesPublisher(Path(config.output), config.formats)]
    if config.archive.enabled:
        publishers.append(import_module(ARCHIVE).build(config))
    for section in config.publish:
        kind = section.get("kind")
        module = PUBLISHERS.get(kind)
        if module is None:
            raise BadInput(
                f"unknown publisher kind {kind!r} in [[publish]]", f"use one of: {', '.join(sorted(PUBLISHERS))}"
            )
        publishers.append(import_module(module).build(section, config, ledger))
    return publishers


def formats_needed(config: Config, publishers: list[Publisher]) -> tuple[str, ...]:
    """The configured formats plus any a publisher needs to render its message (mail: HTML)."""
    needed = list(config.formats)
    for publisher in publishers:
        needed.extend(f for f in getattr(publisher, "needs_formats", ()) if f not in needed)
    return tuple(needed)
