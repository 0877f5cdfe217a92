"""One package entry of a manifest or lockfile."""

from __future__ import annotations

from typing import NamedTuple


class Pin(NamedTuple):
    name: str
    version: str | None
    direct: bool = True
    """False for lockfile entries and for manifest entries marked indirect (go.mod)."""
    runtime: bool = True
    """False for development, test, lint, docs and build-only entries: users never install them."""
