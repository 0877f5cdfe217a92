"""A repository with releases around one day (2026-02-27 in Asia/Shanghai): annotated and
lightweight tags, cut on the day and before it, on the day's commits and on older ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from support.gitrepo import GitRepo

DAY = "2026-02-27"
ZONE = "Asia/Shanghai"
MAINTAINER = ("Mei Lin", "mei@example.com")


def pyproject(version: str) -> str:
    return f'[project]\nname = "demo"\nversion = "{version}"\n'


@dataclass
class ReleaseRepo:
    repo: GitRepo
    old: str
    """A commit of the day before, tagged on the day (annotated `docs-2026-02`)."""
    bump: str
    """The day's commit moving the version 0.8.0 → 0.9.0, tagged `v0.9.0` (annotated)."""
    fix: str
    """The day's last commit, tagged `nightly` (lightweight)."""

    @property
    def path(self) -> Path:
        return self.repo.path


def tag(repo: GitRepo, name: str, target: str, when: str | None = None, message: str | None = None) -> None:
    """A lightweight tag, or with `message` an annotated one whose tagger date is `when`."""
    if message is None:
        repo.git("tag", name, target)
        return
    env = {"GIT_COMMITTER_DATE": when or "", "GIT_COMMITTER_NAME": MAINTAINER[0], "GIT_COMMITTER_EMAIL": MAINTAINER[1]}
    repo.git("tag", "-a", name, "-m", message, target, env=env)


def build_release_repo(path: Path) -> ReleaseRepo:
    repo = GitRepo.create(path)
    first = repo.commit(
        "first",
        "2026-01-10T10:00:00+08:00",
        MAINTAINER,
        files={"pyproject.toml": pyproject("0.8.0"), "a.py": "x = 1\n"},
    )
    tag(repo, "v0.8.0", first, "2026-01-10T11:00:00+08:00", "Release 0.8.0")
    repo.commit("feat: y", "2026-02-01T10:00:00+08:00", MAINTAINER, files={"a.py": "x = 1\ny = 2\n"})
    old = repo.commit("docs: guide", "2026-02-26T21:00:00+08:00", MAINTAINER, files={"GUIDE.md": "guide\n"})
    tag(repo, "old-light", old)  # lightweight, its commit is of the day before: not the day's
    bump = repo.commit(
        "release: 0.9.0", "2026-02-27T09:00:00+08:00", MAINTAINER, files={"pyproject.toml": pyproject("0.9.0")}
    )
    tag(repo, "v0.9.0", bump, "2026-02-27T09:30:00+08:00", "Release 0.9.0\n\nNotes.")
    tag(repo, "docs-2026-02", old, "2026-02-27T12:00:00+08:00", "Docs snapshot")
    fix = repo.commit("fix: z", "2026-02-27T18:00:00+08:00", MAINTAINER, files={"a.py": "x = 1\ny = 3\n"})
    tag(repo, "nightly", fix)
    # Tagged after the day ended (Shanghai), and before it began: neither is the day's.
    tag(repo, "v0.9.1", fix, "2026-02-28T00:00:00+08:00", "Release 0.9.1")
    return ReleaseRepo(repo=repo, old=old, bump=bump, fix=fix)
