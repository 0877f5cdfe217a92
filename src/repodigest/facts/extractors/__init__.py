"""Fact extractors. Each module holds one; adding one is a module plus a line in EXTRACTORS.

An extractor is a callable `(CommitContext) -> Iterable[Fact]`. It may raise: the engine
records the failure against the commit and carries on with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from repodigest.facts.context import CommitContext
from repodigest.facts.extractors import change_kinds
from repodigest.facts.models import Fact

Extractor = Callable[[CommitContext], Iterable[Fact]]

EXTRACTORS: dict[str, Extractor] = {
    "change_kinds": change_kinds.extract,
}
