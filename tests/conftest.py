from __future__ import annotations

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


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/* from the current output instead of comparing.",
    )


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/<name>, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")
    folder = Path(__file__).parent / "golden"

    def check(name: str, text: str) -> None:
        path = folder / name
        if update:
            folder.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"{path} is missing: run `pytest tests/render/test_golden.py --update-golden`"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"{name} differs from the golden file; if the change is intended, regenerate "
            f"with `pytest tests/render/test_golden.py --update-golden` and review the diff"
        )

    return check
