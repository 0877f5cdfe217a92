import pytest

from repodigest.errors import BadInput, SourceError
from repodigest.source.gitcli import run_git
from repodigest.source.remote import is_remote, open_local, open_remote
from support.gitrepo import GitRepo


@pytest.fixture
def upstream(tmp_path) -> GitRepo:
    repo = GitRepo.create(tmp_path / "upstream", branch="trunk")
    repo.git("config", "uploadpack.allowFilter", "true")
    repo.commit("first", "2026-01-01T10:00:00+00:00", files={"a.txt": "a\n"})
    return repo


def test_remote_is_cloned_blobless_into_the_cache_and_fetched_later(upstream, tmp_path):
    cache = tmp_path / "cache"
    url = upstream.path.as_uri()
    opened = open_remote(url, None, cache)
    assert opened.git_dir.is_relative_to(cache)
    assert opened.branch == "trunk"
    assert run_git(opened.git_dir, "config", "remote.origin.partialclonefilter").strip() == "blob:none"

    second = upstream.commit("second", "2026-01-02T10:00:00+00:00", files={"b.txt": "b\n"})
    again = open_remote(url, None, cache)
    assert again.git_dir == opened.git_dir
    assert run_git(again.git_dir, "rev-parse", again.ref).strip() == second


def test_configured_branch_is_read(upstream, tmp_path):
    upstream.checkout("release", create=True)
    tip = upstream.commit("on release", "2026-01-03T10:00:00+00:00", files={"r.txt": "r\n"})
    upstream.checkout("trunk")
    opened = open_remote(upstream.path.as_uri(), "release", tmp_path / "cache")
    assert run_git(opened.git_dir, "rev-parse", opened.ref).strip() == tip


def test_unreachable_remote_is_a_source_error_and_leaves_no_half_clone(tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(SourceError, match="cannot clone"):
        open_remote((tmp_path / "missing").as_uri(), None, cache)
    assert list((cache / "repos").glob("*.git")) == []


def test_local_folder_that_is_not_a_repository_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="is not a git repository"):
        open_local(tmp_path, None)


def test_missing_branch_is_bad_input(upstream):
    with pytest.raises(BadInput, match="branch 'nope' not found"):
        open_local(upstream.path, "nope")


@pytest.mark.parametrize(
    ("source", "remote"),
    [
        ("https://github.com/o/r", True),
        ("git@github.com:o/r.git", True),
        ("file:///x", True),
        ("/srv/repo", False),
        ("./repo", False),
        ("C:/repo", False),
    ],
)
def test_is_remote(source, remote):
    assert is_remote(source) is remote
