"""The streaming pipeline: days leave as soon as the walk has passed them, and a backfill writes
exactly what single-day runs write, in this process or with a pool of facts workers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.config import RepositoryConfig
from repodigest.facts import workers as facts_workers
from repodigest.facts.roles import RoleRules
from repodigest.facts.workers import FactsWorkers
from repodigest.pipeline import Pipeline, Progress, plan_repositories
from repodigest.publish.base import Edition, Publication
from repodigest.render.registry import renderers_for
from repodigest.state.store import StateStore
from tests.support.gitrepo import GitRepo

FIRST = date(2026, 3, 2)
DAYS = [FIRST + timedelta(days=n) for n in range(4)]


def _history(repo: GitRepo, name: str, skewed: bool) -> GitRepo:
    """Commits on days 1, 2 and 4 (none on 3); `skewed`: one more last, committed on day 2 on
    top of the day-4 commit, so the walk meets day 2 before day 4. (git's own --since stops at
    such a commit, so a single-day run of day 4 would not see it: only a backfill is tested.)"""
    repo.commit("feat: add the router", "2026-03-02T10:00:00+08:00", files={f"{name}/router.py": "def route():\n"})
    repo.commit(
        "fix: route by weight",
        "2026-03-03T09:00:00+08:00",
        files={f"{name}/router.py": "def route(weight: int = 1):\n    return weight\n"},
    )
    repo.commit("docs: explain routing", "2026-03-03T18:30:00+08:00", files={"README.md": "# Routing\n"})
    repo.commit(
        "feat: add the flag --fast",
        "2026-03-05T11:00:00+08:00",
        files={f"{name}/cli.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--fast')\n"},
    )
    if skewed:
        repo.commit(
            "chore: a commit from a skewed clock",
            "2026-03-03T20:00:00+08:00",
            files={"Makefile": "install:\n\tcp router.h $(DESTDIR)/include\n"},
        )
    return repo


def _repositories(tmp_path, skewed: bool) -> list[RepositoryConfig]:
    first = _history(GitRepo.create(tmp_path / "alpha"), "alpha", skewed)
    second = _history(GitRepo.create(tmp_path / "beta"), "beta", skewed)
    return [RepositoryConfig(path=str(first.path)), RepositoryConfig(path=str(second.path))]


@pytest.fixture
def repositories(tmp_path) -> list[RepositoryConfig]:
    return _repositories(tmp_path, skewed=False)


@pytest.fixture
def skewed(tmp_path) -> list[RepositoryConfig]:
    return _repositories(tmp_path, skewed=True)


class Recorder:
    """A publisher that keeps what it was given, and what the walk had reached by then."""

    name = "recorder"

    def __init__(self, progress: Walked) -> None:
        self.progress = progress
        self.published: list[tuple[date, dict[str, int], dict[tuple[str | None, str], str]]] = []

    def publish(self, edition: Edition) -> list[Publication]:
        documents = {(d.repository, d.format): d.content for d in edition.documents}
        self.published.append((edition.report.date, dict(self.progress.walked), documents))
        return [Publication(target="recorder", key=edition.report.date.isoformat())]


class Walked(Progress):
    def __init__(self) -> None:
        self.walked: dict[str, int] = {}

    def advance(self, repository: str, commits: int) -> None:
        self.walked[repository] = commits


def _run(repositories, days, workers: FactsWorkers | None = None, state: StateStore | None = None) -> Recorder:
    progress = Walked()
    recorder = Recorder(progress)
    pipeline = Pipeline(
        analyzer=RulesAnalyzer(),
        renderers=renderers_for(("md", "json", "html")),
        publishers=[recorder],
        language="en",
        timezone="Asia/Shanghai",
        cache_dir=Path("/nonexistent-cache"),
        progress=progress,
        facts_workers=workers,
        facts_store=state,
        keep_editions=False,
    )
    result = pipeline.run_days(plan_repositories(repositories), days)
    assert not result.failed_repositories and result.editions == []
    assert [run.day for run in result.runs] == sorted(run.day for run in result.runs)
    return recorder


def _documents(recorder: Recorder) -> dict[date, dict]:
    return {day: documents for day, _, documents in recorder.published}


def test_a_backfill_writes_what_single_day_runs_write(repositories):
    backfill = _documents(_run(repositories, DAYS))
    singles = {day: _documents(_run(repositories, [day]))[day] for day in DAYS}
    assert backfill == singles
    assert "--fast" in backfill[DAYS[3]][(None, "md")] and "route by weight" in backfill[DAYS[1]][(None, "md")]


def test_each_day_is_published_before_the_walk_reaches_older_days(skewed):
    recorder = _run(skewed, DAYS)
    assert [day for day, _, _ in recorder.published] == sorted(DAYS, reverse=True)
    walked_at = {day: walked for day, walked, _ in recorder.published}
    # Day 4 is complete once the skewed day-2 commit and the day-4 commit are in: 2 of 5.
    assert walked_at[DAYS[3]] == {"alpha": 2, "beta": 2}
    assert walked_at[DAYS[2]] == {"alpha": 2, "beta": 2}  # an empty day leaves with it
    assert walked_at[DAYS[1]] == {"alpha": 4, "beta": 4}
    assert walked_at[DAYS[0]] == {"alpha": 5, "beta": 5}
    documents = _documents(recorder)
    assert "--fast" in documents[DAYS[3]][(None, "md")] and "skewed clock" in documents[DAYS[1]][(None, "md")]


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_a_pool_of_facts_workers_writes_the_same_reports(skewed, monkeypatch, mode):

    monkeypatch.setattr(facts_workers, "SERIAL_COMMITS", 1)  # the pool takes all but the first commit
    here = _documents(_run(skewed, DAYS))
    with FactsWorkers(RoleRules.default(), workers=2, mode=mode) as pool:
        pooled = _documents(_run(skewed, DAYS, pool))
        assert pool._pool is not None  # the pool did the work
    assert pooled == here


def test_a_re_run_reads_the_facts_back_and_writes_the_same(skewed, tmp_path, caplog):
    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    first = _documents(_run(skewed, DAYS, state=state))
    caplog.set_level("INFO", logger="repodigest.pipeline")
    again = _documents(_run(skewed, DAYS, state=state))
    assert again == first
    assert sum("read the facts cache for" in r.getMessage() for r in caplog.records) == 2
    assert not any(": walked " in r.getMessage() for r in caplog.records)


def test_one_new_commit_and_the_range_is_walked_again(skewed, tmp_path, caplog):
    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    _run(skewed, DAYS, state=state)
    GitRepo(Path(skewed[0].path)).commit(
        "fix: a late fix", "2026-03-04T08:00:00+08:00", files={"alpha/late.py": "X = 1\n"}
    )
    caplog.set_level("INFO", logger="repodigest.pipeline")
    again = _documents(_run(skewed, DAYS, state=state))
    assert again == _documents(_run(skewed, DAYS))
    assert "late fix" in again[DAYS[2]][(None, "md")]
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("alpha: walked") for m in messages)
    assert any(m.startswith("beta: read the facts cache") for m in messages)
