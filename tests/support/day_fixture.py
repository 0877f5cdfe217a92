"""A repository whose history exercises every edge of "one day" in Asia/Shanghai, 2026-02-27.

Several authors and committer time zones; commits just before, at and after midnight; a commit
authored one day and committed the next; a merge; a rename; a binary file; non-UTF-8 messages;
messages with `|`, backticks, `<script>` and Markdown headings.

`build_day_repo` returns the repository and the shas expected in the window, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from support.gitrepo import GitRepo

DAY = "2026-02-27"
ZONE = "Asia/Shanghai"

ALICE = ("Alice Chen", "alice@example.com")
BOB = ("Bob Müller", "bob@example.org")
WEI = ("王伟", "wei@example.cn")
JEAN = ("Jean Dupont", "jean@example.fr")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")

ROUTER_V1 = '''"""Request routing."""


def route(request, workers):
    """Pick the worker with the fewest requests."""
    return min(workers, key=lambda w: w.load)
'''

ROUTER_V2 = '''"""Request routing."""

import os

TIMEOUT = float(os.environ.get("ROUTER_TIMEOUT", "30"))


def route(request, workers, prefer_cache=True):
    """Pick the worker with the best cache hit, else the fewest requests."""
    if prefer_cache:
        cached = [w for w in workers if request.prefix in w.cache]
        if cached:
            return min(cached, key=lambda w: w.load)
    return min(workers, key=lambda w: w.load)
'''


@dataclass
class DayRepo:
    repo: GitRepo
    expected: list[str]
    """Shas of the commits whose committer date falls on DAY in ZONE, newest first."""
    excluded: dict[str, str]
    """Shas just outside the window, with why."""

    @property
    def path(self) -> Path:
        return self.repo.path


def build_day_repo(path: Path) -> DayRepo:
    repo = GitRepo.create(path)
    excluded: dict[str, str] = {}
    included: list[tuple[str, str]] = []  # (committer date, sha)

    sha = repo.commit(
        "Initial import",
        "2026-02-20T10:00:00+08:00",
        author=ALICE,
        files={
            "README.md": "# demo\n",
            "src/router.py": ROUTER_V1,
            "src/old_name.py": "VALUE = 1\n",
            "tests/test_router.py": "def test_route():\n    assert True\n",
            "requirements.txt": "requests==2.31.0\n",
        },
    )
    sha = repo.commit(
        "chore: last commit of the previous day",
        "2026-02-26T23:59:59+08:00",
        author=BOB,
        files={"CHANGELOG.md": "- previous day\n"},
    )
    excluded[sha] = "23:59:59 on the previous day"

    when = "2026-02-27T00:00:00+08:00"
    sha = repo.commit(
        "feat(router): prefer workers with a cache hit | faster `route()`\n\n"
        "Adds `prefer_cache` and reads ROUTER_TIMEOUT.\n\nSigned-off-by: Alice Chen <alice@example.com>\n"
        "Co-authored-by: 王伟 <wei@example.cn>\n",
        when,
        author=ALICE,
        files={"src/router.py": ROUTER_V2},
    )
    included.append((when, sha))

    # Authored on the 26th in California, committed on the 27th in Berlin: it belongs to the 27th.
    when = "2026-02-27T09:30:00+01:00"
    repo.rename("src/old_name.py", "src/new_name.py")
    sha = repo.commit(
        "refactor: rename old_name to new_name", "2026-02-26T10:00:00-08:00", author=BOB, committed=when, committer=BOB
    )
    included.append((when, sha))

    when = "2026-02-27T11:15:00+08:00"
    sha = repo.commit(
        "Add logo <script>alert('x')</script>", when, author=WEI, files={"assets/logo.png": bytes(range(256)) * 4}
    )
    included.append((when, sha))

    when = "2026-02-27T12:00:00+08:00"
    sha = repo.commit(
        "docs: explain routing\n\n# Not a heading\n\nUse `route()` | see *docs*.\n",
        when,
        author=WEI,
        files={"docs/routing.md": "# Routing\n\nHow requests are routed.\n"},
    )
    included.append((when, sha))

    when = "2026-02-27T13:00:00+08:00"
    sha = repo.commit(
        "Corrige l'encodage: caf\xe9".encode("latin-1"),
        when,
        author=JEAN,
        encoding="ISO-8859-1",
        files={"src/encoding.py": "NAME = 'cafe'\n"},
    )
    included.append((when, sha))

    when = "2026-02-27T14:00:00+08:00"
    sha = repo.commit_raw_message(
        b"Fix bytes \xff\xfe in message without an encoding header",
        when,
        author=ALICE,
        files={"src/encoding.py": "NAME = 'cafe'\nOTHER = 2\n"},
    )
    included.append((when, sha))

    repo.checkout("feature/metrics", create=True)
    side = repo.commit(
        "test: cover metrics",
        "2026-02-27T15:00:00+08:00",
        author=WEI,
        files={"tests/test_metrics.py": "def test_metrics():\n    assert 1 + 1 == 2\n"},
    )
    included.append(("2026-02-27T15:00:00+08:00", side))
    repo.checkout("main")
    when = "2026-02-27T16:00:00+08:00"
    sha = repo.merge("feature/metrics", "Merge branch 'feature/metrics'", when)
    included.append((when, sha))

    when = "2026-02-27T15:59:59+00:00"  # 23:59:59 in Shanghai: the last second of the day
    sha = repo.commit(
        "Bump requests from 2.31.0 to 2.32.3",
        "2026-02-27T15:59:59+00:00",
        author=BOT,
        files={"requirements.txt": "requests==2.32.3\n"},
    )
    included.append((when, sha))

    sha = repo.commit(
        "ci: run tests on push",
        "2026-02-27T20:00:00+08:00",
        author=ALICE,
        committed="2026-02-28T00:00:00+08:00",
        files={".github/workflows/test.yml": "on: push\njobs: {}\n"},
    )
    excluded[sha] = "authored on the day but committed at 00:00 the next day"

    expected = [sha for _, sha in sorted(included, key=lambda item: _utc(item[0]), reverse=True)]
    return DayRepo(repo=repo, expected=expected, excluded=excluded)


def _utc(moment: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(moment).timestamp()
