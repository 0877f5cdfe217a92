"""A week folded from its stored days: releases, high and breaking changes, defaults, new
interfaces, dependencies first → last, security, counts by day, areas and contributors."""

from datetime import date

import pytest

from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.config import RepositoryConfig
from repodigest.period import week
from repodigest.state.store import StateStore
from support.reports import run_digest
from support.week_fixture import WEEK, ZONE, build_week_repo


@pytest.fixture(scope="module")
def week_repo(tmp_path_factory):
    return build_week_repo(tmp_path_factory.mktemp("week") / "demo")


def _config(path) -> RepositoryConfig:
    return RepositoryConfig(path=str(path), name="acme/demo", web_url="https://github.com/acme/demo")


def test_the_week_is_made_once_then_read_from_the_state(tmp_path, week_repo):
    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    period = week(WEEK, ZONE)
    first = run_digest([_config(week_repo.path)], period, state, language="en")
    assert first.days_stored == 0 and first.days_made == 7 and first.backfill is not None
    again = run_digest([_config(week_repo.path)], period, state, language="en")
    assert again.days_stored == 7 and again.days_made == 0 and again.backfill is None
    assert again.edition.report == first.edition.report
    # Another language is another analysis: its days are made, not borrowed.
    other = run_digest([_config(week_repo.path)], period, state, language="zh")
    assert other.days_made == 7


def test_what_the_week_holds(tmp_path, week_repo):
    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    made = run_digest([_config(week_repo.path)], week(WEEK, ZONE), state, language="en").edition.report
    (repository,) = made.repositories
    assert [d.release.tag.name for d in repository.releases] == ["stable", "v1.1.0"]
    assert repository.releases[1].release.version == "1.0.0 → 1.1.0"
    assert [c.subject for c in repository.high] == [
        "feat(client)!: connect() requires secure",
        "chart: cache off by default",
        "fix(fetch): work behind the proxy",
    ]
    assert [c.items for c in repository.breaking] == [("connect",)]
    assert [c.items for c in repository.defaults] == [("cache.enabled: true → false",)]
    assert [(c.kind, c.items) for c in repository.interfaces] == [("flag", ("--retries",)), ("env", ("DEMO_TIMEOUT",))]
    assert [c.items for c in repository.security] == [("tls-verification-disabled",)]
    assert [d.label for d in repository.dependencies] == ["+httpx 0.27.0", "requests 2.31.0 → 2.32.3"]
    assert repository.dependencies[1].changes == 2
    assert repository.days[0].day == date(2026, 2, 23) and len(repository.days) == 7
    assert [d.stats.total for d in repository.days] == [1, 1, 1, 1, 2, 1, 0]
    assert repository.stats.total == 7 and repository.stats.high == 3
    assert repository.areas[0].path == "acme/" and repository.areas[0].commits == 3
    assert [(c.name, c.commits) for c in repository.contributors] == [
        ("Ana Souza", 2),
        ("Kai Tanaka", 2),
        ("李娜", 2),
        ("dependabot[bot]", 1),
    ]


def test_a_day_not_over_is_reported_but_not_kept(tmp_path, week_repo):
    from datetime import UTC, datetime

    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    noon = datetime(2026, 2, 25, 4, 0, tzinfo=UTC)  # Wednesday 12:00 in Shanghai
    result = run_digest([_config(week_repo.path)], week(WEEK, ZONE), state, clock=lambda: noon)
    assert [d.day.isoformat() for d in result.edition.report.repositories[0].days] == [
        "2026-02-23",
        "2026-02-24",
        "2026-02-25",
    ]
    assert result.edition.report.through == date(2026, 2, 25)
    assert "本期尚未结束，截至 2026-02-25" in result.edition.document("md", "demo").content
    variant = f"{ZONE}|{RulesAnalyzer().cache_key('zh')}"
    kept = state.day_reports("demo", week(WEEK, ZONE).days, variant)
    assert sorted(d.isoformat() for d in kept) == ["2026-02-23", "2026-02-24"]  # Wednesday is not over
