"""What an extractor reads of a file: each blob sent by git once per commit, whatever the limits
the extractors ask with, and each version parsed once."""

from datetime import UTC, datetime

import pytest

from repodigest.facts.context import FileContext
from repodigest.facts.models import FileRole
from repodigest.facts.parses import ParseCache
from repodigest.source.blobs import GitBlobReader
from repodigest.source.models import FileDiff
from repodigest.source.walk import walk
from support.gitrepo import GitRepo


class CountingReader:
    """The real `git cat-file` reader, counting what is asked of it."""

    def __init__(self, reader: GitBlobReader) -> None:
        self.reader = reader
        self.asked: list[tuple[str, int]] = []

    def read(self, blob: str, max_bytes: int) -> bytes | None:
        self.asked.append((blob, max_bytes))
        return self.reader.read(blob, max_bytes)


def _diff(tmp_path, before: str, after: str) -> tuple[FileDiff, GitBlobReader]:
    repo = GitRepo.create(tmp_path / "r")
    repo.commit("before", "2026-03-01T10:00:00+00:00", files={"spec.yaml": before})
    repo.commit("after", "2026-03-02T10:00:00+00:00", files={"spec.yaml": after})
    (change,) = walk(repo.path / ".git", "HEAD", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
    return change.diffs[0], GitBlobReader(repo.path / ".git")


def _context(diff: FileDiff, blobs, parses: ParseCache | None = None) -> FileContext:
    return FileContext(diff=diff, role=FileRole.CONFIG, language="yaml", blobs=blobs, max_bytes=10, parses=parses)


def test_a_blob_read_with_a_large_limit_serves_the_smaller_ones_without_git(tmp_path):
    diff, reader = _diff(tmp_path, "a: 1\n", "a: 2\nb: 3\n")
    with reader:
        counting = CountingReader(reader)
        file = _context(diff, counting)
        assert file.texts_up_to(1000) == ("a: 1\n", "a: 2\nb: 3\n")
        assert file.texts_up_to(1000) == ("a: 1\n", "a: 2\nb: 3\n")
        assert (file.old_text, file.new_text) == ("a: 1\n", "a: 2\nb: 3\n")  # max_bytes=10: both fit
        assert file.texts_up_to(5) == ("a: 1\n", None)  # the new side (10 bytes) is over this limit
    assert len(counting.asked) == 2  # one read per blob


def test_a_blob_over_a_small_limit_is_read_again_only_for_a_larger_limit(tmp_path):
    diff, reader = _diff(tmp_path, "a: 1\n", "a: 2\nb: 3\nc: 4\n")
    with reader:
        counting = CountingReader(reader)
        file = _context(diff, counting)
        assert file.new_text is None  # 15 bytes, over max_bytes=10
        assert file.new_text is None  # known to be too large: git is not asked again
        assert file.texts_up_to(1000)[1] == "a: 2\nb: 3\nc: 4\n"
    assert [limit for blob, limit in counting.asked if blob == diff.change.new_blob] == [10, 1000]


def test_an_old_version_is_kept_for_the_next_commit_and_an_unreadable_side_raises(tmp_path):
    calls: list[str] = []

    def parse(text: str) -> int:
        calls.append(text)
        return len(text)

    repo = GitRepo.create(tmp_path / "r")
    for day, text in ((1, "a: 1\n"), (2, "a: 2\n"), (3, "a: 3\nb: 3\nc: 3\n")):
        repo.commit(f"v{day}", f"2026-03-0{day}T10:00:00+00:00", files={"spec.yaml": text})
    newer, older = walk(repo.path / ".git", "HEAD", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))
    parses = ParseCache()
    with GitBlobReader(repo.path / ".git") as reader:
        file = _context(newer.diffs[0], reader, parses)
        assert file.parse_side("old", "length", parse) == 5  # v2, kept
        assert file.parse_side("new", "length", parse, limit=1000) == 15  # v3, only looked up
        with pytest.raises(ValueError, match="too large"):
            file.parse_side("new", "length", parse)  # v3 is over max_bytes=10
        before = _context(older.diffs[0], reader, parses)
        assert before.parse_side("new", "length", parse) == 5  # v2 again: not parsed again
        assert before.parse_side("old", "length", parse) == 5  # v1
    assert calls == ["a: 2\n", "a: 3\nb: 3\nc: 3\n", "a: 1\n"]
