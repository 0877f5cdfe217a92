from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.gitrepo import GitRepo


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own REPODIGEST_HOME: no test sees another's clones, cache or state."""
    home = tmp_path_factory.mktemp("repodigest-home")
    monkeypatch.setenv("REPODIGEST_HOME", str(home))
    monkeypatch.delenv("CI", raising=False)
    return home


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    return GitRepo.create(tmp_path / "repo")
