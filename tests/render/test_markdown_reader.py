"""The Markdown as a reader sees it (through markdown-it): a clean commit table, the zone, partial
and empty days, and punctuation and plurals right in both languages."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from markdown_it import MarkdownIt

from repodigest.config import RepositoryConfig
from repodigest.render.message import table_message
from support.day_fixture import DAY
from support.gitrepo import GitRepo
from support.reports import render_day, run_pipeline

GOLDEN = Path(__file__).parents[1] / "golden"

PR_TEMPLATE = """feat(api): stream responses (#812)

## What?
<!-- auto-generated comment: release notes by coderabbit.ai -->
<!-- end of auto-generated comment -->
Streams chat responses as they are generated.

## Why?
Users wait for the whole answer.

**Description**

- [x] tests added
- [ ] docs updated
"""

SQUASH = """fix: bisect the flaky test (#6352)

* bisect

* bisect

* revert the bisect

Signed-off-by: A <a@example.com>
"""

DEPENDABOT = (
    """Bump requests from 2.31.0 to 2.32.3

Bumps [requests](https://github.com/psf/requests) from 2.31.0 to 2.32.3.
<details>
<summary>Release notes</summary>
<p><em>Sourced from <a href="https://github.com/psf/requests/releases">requests's releases</a>.</em></p>
<table>
"""
    + "\n".join(f"<tr><td>line {n}</td></tr>" for n in range(819))
    + """
</table>
</details>

---
updated-dependencies:
- dependency-name: requests
  dependency-type: direct:production
...

Signed-off-by: dependabot[bot] <support@github.com>
"""
)


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def test_template_noise_is_dropped_and_the_first_paragraph_kept():
    shown = table_message(PR_TEMPLATE)
    assert shown.subject == "feat(api): stream responses (#812)"
    assert shown.paragraph == "Streams chat responses as they are generated."
    assert not shown.complete


def test_a_squash_list_is_not_a_paragraph():
    shown = table_message(SQUASH)
    assert shown.paragraph is None and not shown.complete


def test_a_dependabot_release_table_leaves_one_sentence():
    shown = table_message(DEPENDABOT)
    assert shown.paragraph == "Bumps requests from 2.31.0 to 2.32.3."


def test_a_message_of_subject_and_short_prose_is_shown_whole():
    shown = table_message("fix: x\n\nReads `A` first.\n\nSigned-off-by: A <a@b>\n")
    assert shown.paragraph == "Reads `A` first." and shown.complete
    assert table_message("subject only").complete


@pytest.fixture
def noisy_repo(tmp_path) -> GitRepo:
    repo = GitRepo.create(tmp_path / "noisy")
    repo.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"a.py": "A = 1\n"})
    repo.commit(PR_TEMPLATE, "2026-02-27T10:00:00+08:00", files={"a.py": "A = 2\n"})
    repo.commit(SQUASH, "2026-02-27T11:00:00+08:00", files={"a.py": "A = 3\n"})
    repo.commit(DEPENDABOT, "2026-02-27T12:00:00+08:00", files={"requirements.txt": "requests==2.32.3\n"})
    repo.commit("Fix R&D & Q&A handling", "2026-02-27T13:00:00+08:00", files={"a.py": "A = 4\n"})
    return repo


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_commit_table_is_clean(noisy_repo, language):
    markdown = render_day(noisy_repo.path, DAY, language=language, name="acme/noisy").document("md", "noisy").content
    table = markdown.split("|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    assert len(table.splitlines()) == 4  # one row per commit
    for noise in (
        "What?",
        "auto-generated",
        "Description",
        "[x]",
        "bisect<br>",
        "Release notes",
        "line 818",
        "updated-dependencies",
        "JSON",
    ):
        assert noise not in table, noise
    assert "Streams chat responses as they are generated." in table
    assert "JSON" not in markdown  # never sends the reader to a file they may not have
    # The full message is in the commit's section, collapsed, and the table links to it.
    html = _html(markdown)
    assert html.count("<details><summary>") == 3
    assert "line 818" in html and "* revert the bisect" in html
    targets = set(re.findall(r'name="([^"]+)"', html))
    assert all(link in targets for link in re.findall(r'href="#([^"]+)"', html))


def test_ampersands_in_headings_read_as_ampersands(noisy_repo):
    markdown = render_day(noisy_repo.path, DAY, language="en", name="R&D/noisy").document("md", "noisy").content
    html = _html(markdown)
    headings = re.findall(r"<h\d>(.*?)</h\d>", html)
    visible = [re.sub(r"<[^>]+>", "", h).replace("&amp;", "&") for h in headings]
    assert "R&D/noisy" in visible and "Fix R&D & Q&A handling" in visible
    assert not any("&amp;" in v for v in visible)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_zone_is_beside_the_date(language):
    markdown = (GOLDEN / f"day-{DAY}.{language}.md").read_text("utf-8")
    assert markdown.splitlines()[2].startswith("> 🕒 2026-02-27 00:00–24:00 · Asia/Shanghai")
    assert "UTC+08:00" in markdown.splitlines()[2]


@pytest.mark.parametrize(("language", "expected"), [("zh", "截至 14:05，本日尚未结束"), ("en", "as of 14:05")])
def test_a_day_not_over_is_marked_partial(noisy_repo, language, expected):
    now = datetime(2026, 2, 27, 14, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    result = run_pipeline(
        [RepositoryConfig(path=str(noisy_repo.path), name="acme/noisy")], DAY, language=language, clock=lambda: now
    )
    edition = result.editions[0]
    assert expected in edition.document("md", "noisy").content
    assert '"as_of": "2026-02-27T14:05:00+08:00"' in edition.document("json", "noisy").content


def test_a_finished_day_is_not_partial(noisy_repo):
    edition = render_day(noisy_repo.path, DAY, language="en", name="acme/noisy")
    assert "as of" not in edition.document("md", "noisy").content


@pytest.mark.parametrize(("language", "line"), [("zh", "本日没有提交。"), ("en", "no commits on this day.")])
def test_an_empty_day_is_one_line_per_repository(tmp_path, language, line):
    configs = []
    for name in ("one", "two", "three"):
        repo = GitRepo.create(tmp_path / name)
        repo.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"a.py": "A = 1\n"})
        configs.append(RepositoryConfig(path=str(repo.path), name=f"acme/{name}"))
    edition = run_pipeline(configs, DAY, language=language).editions[0]
    combined = edition.document("md", None).content
    body = [text for text in combined.splitlines()[3:] if text.strip()]
    assert len(body) == 3 and all(line in text for text in body)
    single = edition.document("md", "one").content
    assert len([text for text in single.splitlines() if text.strip()]) == 3  # title, zone, the line


def test_the_english_report_has_no_full_width_punctuation_and_right_plurals():
    markdown = (GOLDEN / f"day-{DAY}.en.md").read_text("utf-8")
    # Plurals inside the rules' sentences ("1 file(s) changed") are the analysis wording's, not the template's.
    assert re.findall(r"[：（），；。、]", markdown) == []
    assert not re.search(r"\b1 (files|commits)\b", markdown)
