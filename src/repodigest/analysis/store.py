"""Where finished analyses are kept so that no commit is analysed twice.

The pipeline asks the store before calling an analyzer and saves each analysis as soon as it
is made. `MemoryStore` serves a single run; the state database (repodigest.state) persists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from repodigest.analysis.models import Analysis


class AnalysisStore(Protocol):
    def get_many(self, repository: str, shas: Sequence[str], key: str) -> dict[str, Analysis]: ...

    def put_many(self, repository: str, key: str, analyses: dict[str, Analysis]) -> None: ...


class MemoryStore:
    def __init__(self) -> None:
        self._analyses: dict[tuple[str, str, str], Analysis] = {}

    def get_many(self, repository: str, shas: Sequence[str], key: str) -> dict[str, Analysis]:
        found = {sha: self._analyses.get((repository, sha, key)) for sha in shas}
        return {sha: analysis for sha, analysis in found.items() if analysis is not None}

    def put_many(self, repository: str, key: str, analyses: dict[str, Analysis]) -> None:
        for sha, analysis in analyses.items():
            self._analyses[(repository, sha, key)] = analysis
