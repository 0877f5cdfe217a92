from datetime import UTC, datetime

import pytest

from repodigest.source.models import FileStatus
from repodigest.source.walk import listed, walk
from repodigest.source.window import DayWindow
from support.day_fixture import DAY, ZONE, build_day_repo
from support.gitrepo import GitRepo


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("day") / "repo")


def _changes(day_repo):
    window = DayWindow(day=DAY, timezone=ZONE)
    git_dir = day_repo.path / ".git"
    return {c.commit.sha: c for c in walk(git_dir, "HEAD", window.start, window.end)}


def test_lists_exactly_the_commits_committed_on_the_day(day_repo):
    found = _changes(day_repo)
    assert set(found) == set(day_repo.expected)
    assert not set(found) & set(day_repo.excluded)


def test_agrees_with_git_log_for_the_same_window(day_repo):
    listed = day_repo.repo.git(
        "log", "--format=%H", "--since=2026-02-27T00:00:00+08:00", "--until=2026-02-27T23:59:59+08:00"
    ).split()
    assert set(listed) == set(_changes(day_repo))


def test_the_fast_pre_walk_lists_exactly_the_commits_the_walk_yields(day_repo):
    window = DayWindow(day=DAY, timezone=ZONE)
    commits = listed(day_repo.path / ".git", "HEAD", window.start, window.end)
    assert sorted(commits) == sorted((sha, c.commit.committed_at) for sha, c in _changes(day_repo).items())
    assert len(commits) == len(day_repo.expected)


def test_committer_date_decides_the_day_not_author_date(day_repo):
    found = _changes(day_repo)
    renamed = next(c for c in found.values() if c.commit.subject.startswith("refactor: rename"))
    assert renamed.commit.authored_at.date().isoformat() == "2026-02-26"
    assert renamed.commit.committed_at.isoformat() == "2026-02-27T09:30:00+01:00"


def test_rename_is_one_file_with_its_old_path(day_repo):
    renamed = next(c for c in _changes(day_repo).values() if c.commit.subject.startswith("refactor: rename"))
    (change,) = renamed.commit.files
    assert (change.status, change.old_path, change.path) == (FileStatus.RENAMED, "src/old_name.py", "src/new_name.py")


def test_binary_file_has_no_line_counts_and_no_patch(day_repo):
    logo = next(c for c in _changes(day_repo).values() if "logo" in c.commit.subject)
    (diff,) = logo.diffs
    assert diff.change.binary and diff.change.added == diff.change.removed == 0
    assert diff.patch == ""


def test_merge_is_diffed_against_its_first_parent(day_repo):
    merge = next(c for c in _changes(day_repo).values() if c.commit.is_merge)
    assert [f.path for f in merge.commit.files] == ["tests/test_metrics.py"]
    assert merge.diffs[0].patch.startswith("@@ -0,0 +1,2 @@")


def test_messages_in_declared_and_undeclared_encodings_are_readable(day_repo):
    subjects = [c.commit.subject for c in _changes(day_repo).values()]
    assert "Corrige l'encodage: café" in subjects
    undeclared = next(s for s in subjects if s.startswith("Fix bytes"))
    # Bytes that are not UTF-8 and have no header: read in a detected legacy encoding.
    assert undeclared == "Fix bytes ÿþ in message without an encoding header"


def test_patch_lines_keep_their_text(day_repo):
    feature = next(c for c in _changes(day_repo).values() if c.commit.subject.startswith("feat(router)"))
    (diff,) = feature.diffs
    assert "+def route(request, workers, prefer_cache=True):" in diff.patch.splitlines()
    assert diff.change.added == sum(1 for line in diff.patch.splitlines() if line.startswith("+"))


def test_empty_range_yields_nothing(day_repo):
    start = datetime(2020, 1, 1, tzinfo=UTC)
    assert list(walk(day_repo.path / ".git", "HEAD", start, start.replace(day=2))) == []


def test_paths_with_spaces_and_unicode_survive(tmp_path):
    repo = GitRepo.create(tmp_path / "r")
    repo.commit(
        "add", "2026-01-01T12:00:00+00:00", files={"dir with space/naïve file.txt": "x\n", "tab\tname.txt": "y\n"}
    )
    (change,) = walk(repo.path / ".git", "HEAD", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
    assert sorted(f.path for f in change.commit.files) == ["dir with space/naïve file.txt", "tab\tname.txt"]
    assert all(d.patch.startswith("@@") for d in change.diffs)


def test_missing_ref_is_a_source_error(day_repo):
    from repodigest.errors import SourceError

    with pytest.raises(SourceError):
        list(
            walk(
                day_repo.path / ".git",
                "no-such-branch",
                datetime(2026, 1, 1, tzinfo=UTC),
                datetime(2026, 1, 2, tzinfo=UTC),
            )
        )
