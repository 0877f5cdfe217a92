"""Where each commit's facts are kept, so that re-running days already reported reads them back
instead of walking `git log -p` and extracting again (the state database is one; see
repodigest.state).

The key changes whenever the facts could: the repodigest version, `FACTS_VERSION` (bump it when
an extractor's output changes between releases), the role rules, and the first release date
(before it no break is a sure one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from repodigest import __version__
from repodigest.facts.models import CommitFacts
from repodigest.facts.roles import RoleRules
from repodigest.source.models import Commit

FACTS_VERSION = "1"


class FactsStore(Protocol):
    def cached_facts(self, repository: str, shas: Sequence[str], key: str) -> set[str]:
        """Which of `shas` have facts under `key` (nothing is loaded)."""
        ...

    def get_facts(self, repository: str, shas: Sequence[str], key: str) -> dict[str, tuple[Commit, CommitFacts]]: ...

    def put_facts(self, repository: str, key: str, entries: Sequence[tuple[Commit, CommitFacts]]) -> None: ...


def facts_key(roles: RoleRules, first_release: datetime | None) -> str:
    release = first_release.isoformat() if first_release else "-"
    return f"facts:{__version__}:{FACTS_VERSION}:{roles.digest}:{release}"
