"""Messages in legacy encodings come out as their authors wrote them, never as U+FFFD: by the
commit's encoding header, as UTF-8, by the repository's i18n.commitEncoding, or detected."""

from datetime import datetime

import pytest

from repodigest.source.decoding import decode_text
from repodigest.source.walk import walk
from support.gitrepo import GitRepo

GBK_SUBJECT = "修复登录超时的问题"
LATIN_SUBJECT = "Corrige l'entrée du café à Zürich"


def _subjects(repo: GitRepo) -> list[str]:
    since, until = (
        datetime.fromisoformat("2026-03-01T00:00:00+00:00"),
        datetime.fromisoformat("2026-03-02T00:00:00+00:00"),
    )
    return [change.commit.subject for change in walk(repo.path / ".git", "HEAD", since, until)]


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    repo = GitRepo.create(tmp_path / "legacy")
    repo.commit("start", "2026-03-01T08:00:00+00:00", files={"a.txt": "a\n"})
    return repo


def test_a_declared_encoding_is_honoured(repo):
    repo.commit(GBK_SUBJECT.encode("gbk"), "2026-03-01T09:00:00+00:00", files={"a.txt": "b\n"}, encoding="GBK")
    assert _subjects(repo)[0] == GBK_SUBJECT


def test_without_a_header_the_repository_s_commit_encoding_is_used(repo):
    repo.commit_raw_message(GBK_SUBJECT.encode("gbk"), "2026-03-01T09:00:00+00:00", ("张三", "z@example.com"))
    repo.git("config", "i18n.commitEncoding", "GBK")
    assert _subjects(repo)[0] == GBK_SUBJECT


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(LATIN_SUBJECT, "latin-1"), (GBK_SUBJECT, "gbk"), ("日本語のコミット", "shift_jis"), ("Größe prüfen", "cp1252")],
)
def test_without_a_header_or_a_setting_the_encoding_is_detected(repo, text, encoding):
    repo.commit_raw_message(text.encode(encoding), "2026-03-01T09:00:00+00:00", ("A", "a@example.com"))
    assert _subjects(repo)[0] == text


def test_the_order_header_utf8_setting_detection():
    latin = "café".encode("latin-1")
    assert decode_text("café".encode()) == "café"  # UTF-8 first: git re-encoded a declared message to it
    assert decode_text(latin, declared="ISO-8859-1", configured="GBK") == "café"
    assert decode_text("修复".encode("gbk"), declared="", configured="GBK") == "修复"
    assert decode_text(latin, declared="no-such-encoding") == "café"  # a bogus header falls through
