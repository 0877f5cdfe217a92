"""Tags read with one for-each-ref: annotated by tagger date, lightweight by the commit's date."""

from datetime import datetime

from repodigest.source.releases import commits_since, first_release, read_tags
from support.release_fixture import build_release_repo


def test_tags_carry_their_commit_kind_and_date(tmp_path):
    fixture = build_release_repo(tmp_path / "demo")
    tags = {t.name: t for t in read_tags(fixture.path / ".git")}
    assert set(tags) == {"v0.8.0", "old-light", "v0.9.0", "docs-2026-02", "nightly", "v0.9.1"}
    assert tags["v0.9.0"].annotated and tags["v0.9.0"].sha == fixture.bump
    assert tags["v0.9.0"].tagged_at == datetime.fromisoformat("2026-02-27T09:30:00+08:00")
    assert tags["v0.9.0"].message == "Release 0.9.0" and tags["v0.9.0"].tagger.name == "Mei Lin"
    assert not tags["nightly"].annotated and tags["nightly"].sha == fixture.fix
    assert tags["nightly"].tagged_at == datetime.fromisoformat("2026-02-27T18:00:00+08:00")
    assert tags["nightly"].tagger is None and tags["nightly"].message == ""
    assert tags["docs-2026-02"].sha == fixture.old


def test_the_first_release_and_commits_since_the_previous_tag(tmp_path):
    fixture = build_release_repo(tmp_path / "demo")
    tags = read_tags(fixture.path / ".git")
    assert first_release(tags) == datetime.fromisoformat("2026-01-10T11:00:00+08:00")
    by_name = {t.name: t for t in tags}
    assert commits_since(fixture.path / ".git", by_name["v0.9.0"], by_name["v0.8.0"]) == 3
    assert commits_since(fixture.path / ".git", by_name["v0.8.0"], None) == 1
    assert first_release([]) is None


def test_a_repository_without_tags_has_none(git_repo):
    git_repo.commit("one", "2026-02-27T10:00:00+08:00", files={"a": "1"})
    assert read_tags(git_repo.path / ".git") == []
