"""Where each commit's facts are kept, so that re-running days already reported reads them back
instead of walking `git log -p` and extracting again (the state database is one; see
repodigest.state).

The key changes whenever the facts could: the repodigest version, `FACTS_VERSION` (bump it when
an extractor's output changes between releases), the role rules, and the first release date
(before it no break is a sure one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from repodigest import __version__
from repodigest.facts.models import CommitFacts
from repodigest.facts.roles import RoleRules
from repodigest.source.models import Commit, Tag

FACTS_VERSION = "3"


class FactsStore(Protocol):
    def cached_facts(self, repository: str, shas: Sequence[str], key: str) -> set[str]:
        """Which of `shas` have facts under `key` (nothing is loaded)."""
        ...

    def get_facts(self, repository: str, shas: Sequence[str], key: str) -> dict[str, tuple[Commit, CommitFacts]]: ...

    def put_facts(self, repository: str, key: str, entries: Sequence[tuple[Commit, CommitFacts]]) -> None: ...


def facts_key(roles: RoleRules, releases: Sequence[Tag]) -> str:
    """Facts depend on the releases (a break of what no release had is a possible one): a new
    tag, or a moved first one, makes the cached facts stale."""
    release = f"{releases[0].tagged_at.isoformat()}..{releases[-1].name}" if releases else "-"
    return f"facts:{__version__}:{FACTS_VERSION}:{roles.digest}:{release}"
