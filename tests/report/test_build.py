"""The day's releases: tags cut in the window, first in the section, linked to the version bump."""

import json

import pytest

from repodigest.report.build import names_version
from support.release_fixture import DAY, build_release_repo
from support.reports import render_day


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return build_release_repo(tmp_path_factory.mktemp("releases") / "demo")


@pytest.fixture(scope="module")
def edition(fixture):
    return render_day(fixture.path, DAY, language="en", formats=("md", "json", "html"))


def test_the_days_tags_are_its_releases_oldest_first(fixture, edition):
    repository = edition.report.repositories[0]
    assert [r.tag.name for r in repository.releases] == ["v0.9.0", "docs-2026-02", "nightly"]
    v090, docs, nightly = repository.releases
    assert v090.version == "0.8.0 → 0.9.0" and v090.version_sha == fixture.bump
    assert v090.tag.previous == "old-light" and v090.tag.commits_since_previous == 1
    assert docs.tag.sha == fixture.old and docs.version is None
    assert not nightly.tag.annotated and nightly.tag.previous == "docs-2026-02"
    assert nightly.tag.commits_since_previous == 2  # the bump and the fix
    assert nightly.url == f"https://github.com/acme/demo/commit/{fixture.fix}"


def test_releases_lead_the_highlights_and_the_bump_is_named_once(fixture, edition):
    highlights = edition.report.repositories[0].highlights
    releases = [h for h in highlights if h.category == "release"]
    assert [h.items for h in releases] == [("v0.9.0 (0.8.0 → 0.9.0)",), ("docs-2026-02",), ("nightly",)]
    assert highlights[: len(releases)] == tuple(releases)
    assert releases[0].sha == fixture.bump


def test_markdown_shows_releases_first_with_working_links(fixture, edition):
    markdown = edition.document("md", "demo").content
    section = markdown.split("## ", 1)[1]
    assert section.index("🏷️ Releases") < section.index("✨ Highlights")
    line = next(line for line in markdown.splitlines() if line.startswith("- **`v0.9.0`**"))
    assert "annotated tag: Release 0.9.0" in line and "1 commit since `old-light`" in line
    assert "version `0.8.0 → 0.9.0` — [release: 0.9.0](#c-demo-" in line
    assert "`nightly`" in markdown and "lightweight tag" in markdown
    # The tag on yesterday's commit links to the releases, which exist as an anchor.
    assert "(#releases-demo)" in markdown and '<a name="releases-demo"></a>' in markdown
    for name in ("old-light", "v0.8.0", "v0.9.1"):
        assert f"`{name}`**" not in markdown


def test_json_and_html_carry_the_releases(fixture, edition):
    data = json.loads(edition.document("json", "demo").content)
    assert data["kind"] == "day"
    assert [r["tag"] for r in data["releases"]] == ["v0.9.0", "docs-2026-02", "nightly"]
    assert data["releases"][0]["version_sha"] == fixture.bump and data["releases"][0]["annotated"]
    assert data["releases"][2]["tagger"] is None
    page = edition.document("html", "demo").content
    assert 'id="releases-demo"' in page and "<code>v0.9.0</code>" in page


@pytest.mark.parametrize(
    ("tag", "version", "named"),
    [
        ("v0.9.0", "0.9.0", True),
        ("0.9.0", "0.9.0", True),
        ("chart-0.9.0", "0.9.0", True),
        ("sdk/v0.9.0", "0.9.0", True),
        ("v0.9.01", "0.9.0", False),
        ("v10.9.0", "0.9.0", False),
    ],
)
def test_which_tag_names_a_version(tag, version, named):
    assert names_version(tag, version) is named
