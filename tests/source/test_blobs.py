"""Blob reads: one `git cat-file` per repository; build files read by path are kept by blob id."""

from __future__ import annotations

from repodigest.source.blobs import CachedBlobs, GitBlobReader
from support.gitrepo import GitRepo


class CountingReader(GitBlobReader):
    def __init__(self, git_dir) -> None:
        super().__init__(git_dir)
        self.contents: list[str] = []

    def read(self, blob: str, max_bytes: int) -> bytes | None:
        self.contents.append(blob)
        return super().read(blob, max_bytes)


def test_a_build_file_unchanged_across_commits_is_read_once(git_repo: GitRepo):
    first = git_repo.commit("build", "2026-03-02T10:00:00+08:00", files={"Makefile": "install:\n\tcp a.h /usr\n"})
    second = git_repo.commit("code", "2026-03-02T11:00:00+08:00", files={"a.c": "int a;\n"})
    third = git_repo.commit("build 2", "2026-03-02T12:00:00+08:00", files={"Makefile": "install:\n\tcp b.h /usr\n"})
    with CountingReader(git_repo.path / ".git") as reader:
        blobs = CachedBlobs(reader)
        texts = [blobs.read(f"{sha}:Makefile", 1 << 20) for sha in (first, second, third, second)]
        assert texts == [b"install:\n\tcp a.h /usr\n"] * 2 + [b"install:\n\tcp b.h /usr\n", texts[0]]
        assert len(reader.contents) == 2  # one per version of the file, not one per commit
        assert blobs.read(f"{first}:meson.build", 1 << 20) is None
        assert blobs.read(f"{first}:", 1 << 20) is None  # a tree is not a blob


def test_the_cache_stays_within_its_budget(git_repo: GitRepo):
    shas = [
        git_repo.commit(f"v{n}", f"2026-03-02T1{n}:00:00+08:00", files={"Makefile": f"{n}" * 100}) for n in range(4)
    ]
    with CountingReader(git_repo.path / ".git") as reader:
        blobs = CachedBlobs(reader, budget=250)
        for sha in shas:
            blobs.read(f"{sha}:Makefile", 1 << 20)
        blobs.read(f"{shas[0]}:Makefile", 1 << 20)  # dropped to stay under 250 bytes: read again
        blobs.read(f"{shas[3]}:Makefile", 1 << 20)  # still held
        assert len(reader.contents) == 5
