"""Where finished analyses are kept so that no commit is analysed twice.

The pipeline asks the store before calling an analyzer and saves each analysis as soon as it
is made. `MemoryStore` serves a single run; the state database (repodigest.state) persists.
"""

from __future__ import annotations

from typing import Protocol

from repodigest.analysis.models import Analysis


class AnalysisStore(Protocol):
    def get(self, repository: str, sha: str, key: str) -> Analysis | None: ...

    def put(self, repository: str, sha: str, key: str, analysis: Analysis) -> None: ...


class MemoryStore:
    def __init__(self) -> None:
        self._analyses: dict[tuple[str, str, str], Analysis] = {}

    def get(self, repository: str, sha: str, key: str) -> Analysis | None:
        return self._analyses.get((repository, sha, key))

    def put(self, repository: str, sha: str, key: str, analysis: Analysis) -> None:
        self._analyses[(repository, sha, key)] = analysis
