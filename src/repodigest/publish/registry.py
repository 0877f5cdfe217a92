"""Publishers by kind. Adding one is a module plus one entry here.

The files publisher always runs (the output folder is the record of what was written);
others come from `[[publish]]` sections of the configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from repodigest.config import Config
from repodigest.errors import BadInput
from repodigest.publish.base import Publisher
from repodigest.publish.files import FilesPublisher

PublisherFactory = Callable[[dict, Config], Publisher]

PUBLISHERS: dict[str, PublisherFactory] = {}


def build_publishers(config: Config) -> list[Publisher]:
    publishers: list[Publisher] = [FilesPublisher(Path(config.output))]
    for section in config.publish:
        kind = section.get("kind")
        factory = PUBLISHERS.get(kind)
        if factory is None:
            raise BadInput(f"unknown publisher kind {kind!r} in [[publish]]",
                           f"use one of: {', '.join(sorted(PUBLISHERS)) or 'none available'}")
        publishers.append(factory(section, config))
    return publishers
