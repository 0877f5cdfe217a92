"""Golden reports for the day fixture, in both languages and as JSON.

Regenerate after an intended change with:  pytest tests/render/test_golden.py --update-golden
then read `git diff tests/golden` as a reviewer would.
"""

import pytest

from support.day_fixture import DAY, build_day_repo
from support.reports import render_day


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("day") / "demo")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_markdown_report_matches_golden(day_repo, golden, language):
    edition = render_day(day_repo.path, DAY, language=language)
    golden(f"day-{DAY}.{language}.md", edition.document("md", "demo").content)


def test_json_report_matches_golden(day_repo, golden):
    edition = render_day(day_repo.path, DAY, language="en")
    golden(f"day-{DAY}.en.json", edition.document("json", "demo").content)
