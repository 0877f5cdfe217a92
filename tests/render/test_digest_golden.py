"""Golden digests of the fixture week, in both languages and as JSON, built from the state.

Regenerate after an intended change with:  pytest tests/render/test_digest_golden.py --update-golden
"""

import pytest

from repodigest.config import RepositoryConfig
from repodigest.period import week
from repodigest.state.store import StateStore
from support.reports import run_digest
from support.week_fixture import WEEK, ZONE, build_week_repo


@pytest.fixture(scope="module")
def week_repo(tmp_path_factory):
    return build_week_repo(tmp_path_factory.mktemp("week") / "demo")


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    return StateStore.open(f"sqlite:///{tmp_path_factory.mktemp('state') / 'state.db'}")


def _from_state(week_repo, state, language):
    config = [RepositoryConfig(path=str(week_repo.path), name="acme/demo", web_url="https://github.com/acme/demo")]
    run_digest(config, week(WEEK, ZONE), state, language=language)  # makes the days
    result = run_digest(config, week(WEEK, ZONE), state, language=language)
    assert result.days_made == 0 and result.days_stored == 7  # this one is read from the state alone
    return result.edition


@pytest.mark.parametrize("language", ["zh", "en"])
def test_markdown_digest_matches_golden(week_repo, state, golden, language):
    edition = _from_state(week_repo, state, language)
    golden(f"week-{WEEK}.{language}.md", edition.document("md", "demo").content)


def test_json_digest_matches_golden(week_repo, state, golden):
    edition = _from_state(week_repo, state, "en")
    golden(f"week-{WEEK}.en.json", edition.document("json", "demo").content)
