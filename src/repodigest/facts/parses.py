"""Parses of whole files kept by blob id, for the extractors that parse a file whole (protobuf,
OpenAPI): a month of history changes the same file again and again, and one commit's old
version is the new version of the commit before it, so each version is parsed once, not twice.

Bounded by an estimate of the memory held, oldest dropped first. A parse takes many times its
source, and how many depends on the parser, so each caller says (`weight`, memory per source
byte, measured with tracemalloc on mudler/LocalAI: its 56 kB backend.proto's AST takes 6 MB,
×108; its 288 kB swagger.json's YAML nodes and data 5.2 MB, ×18). Only what the walk will meet
again is worth keeping: it runs newest first, so a commit's old version is the new version of
the next commit to touch the file, and the new versions are looked up but not kept. Tree-sitter
parses have a cache of their own (symbols/parsing.py: VersionCache), which also parses
incrementally.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

CACHED_BYTES = 32 << 20
"""The estimated memory the kept parses may take (see `weight`)."""
MIN_COST = 64
"""What an entry costs at least (its key and slot), so answers of no weight stay bounded too."""


class ParseCache:
    """Safe to share between facts threads: a cached parse is only read, never changed."""

    def __init__(self, budget: int = CACHED_BYTES) -> None:
        self._entries: OrderedDict[tuple[str, str], tuple[int, Any]] = OrderedDict()
        self._budget = budget
        self._held = 0
        self._lock = threading.Lock()

    def get_or_parse(
        self,
        kind: str,
        blob: str,
        text: Callable[[], str],
        parse: Callable[[str], T],
        keep: bool = True,
        weight: float = 1,
    ) -> T:
        """`parse(text())`, or what it returned for this blob before (then `text` is not called:
        the blob is not even read); kept when `keep` (errors never are). `weight`: the parse's
        memory per byte of text, for the budget."""
        key = (kind, blob)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][1]
        source = text()
        parsed = parse(source)
        cost = max(MIN_COST, int(len(source) * weight))
        if keep and cost <= self._budget:
            with self._lock:
                self._put(key, cost, parsed)
        return parsed

    def _put(self, key: tuple[str, str], size: int, parsed: object) -> None:
        replaced = self._entries.pop(key, None)
        self._held += size - (replaced[0] if replaced else 0)
        self._entries[key] = (size, parsed)
        while self._held > self._budget and len(self._entries) > 1:
            _, (dropped, _) = self._entries.popitem(last=False)
            self._held -= dropped
