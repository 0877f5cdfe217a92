"""The state database: migrations, the analysis cache, runs and the ledger, on real SQLite."""

import pytest
from sqlalchemy import inspect

from repodigest.analysis.models import Analysis, Importance
from repodigest.errors import BadInput
from repodigest.state.store import StateStore

ANALYSIS = Analysis(
    analyzer="rules",
    change_type="fix",
    importance=Importance.HIGH,
    summary="Fixes it.",
    importance_reasons=("because",),
)


def test_opening_creates_every_table_and_reopening_is_harmless(tmp_path):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    store = StateStore.open(url)
    assert {"repositories", "commits", "analyses", "runs", "publications", "summaries", "alembic_version"} <= set(
        inspect(store.engine).get_table_names()
    )
    store.put("demo", "abc", "rules:1", ANALYSIS)
    again = StateStore.open(url)
    assert again.get("demo", "abc", "rules:1") == ANALYSIS


def test_analyses_are_keyed_by_repository_commit_and_analyzer(tmp_path):
    store = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    store.put("demo", "abc", "rules:1:zh", ANALYSIS)
    assert store.get("demo", "abc", "rules:1:en") is None
    assert store.get("other", "abc", "rules:1:zh") is None
    store.put("demo", "abc", "rules:1:zh", ANALYSIS.model_copy(update={"summary": "Again."}))
    assert store.get("demo", "abc", "rules:1:zh").summary == "Again." and store.count_analyses() == 1


def test_runs_and_ledger(tmp_path):
    store = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    run = store.start_run("run", ["2026-02-27"])
    store.begin("github:acme/reports", "2026-02-27")
    assert store.entry("github:acme/reports", "2026-02-27").status == "pending"
    store.complete("github:acme/reports", "2026-02-27", "7", "https://x/7", "hash")
    store.finish_run(run, 0, [{"repository": "demo"}], {"calls": 0}, 1.5)
    (row,) = store.runs()
    assert (row.status, row.exit_code, row.summary) == ("ok", 0, [{"repository": "demo"}])
    assert store.entry("github:acme/reports", "2026-02-27").remote_id == "7"


def test_default_location_follows_repodigest_home(isolated_home):
    store = StateStore.open()
    assert str(store.engine.url).endswith(str(isolated_home / "data" / "state.db"))


def test_a_bad_url_is_bad_input_without_its_password():
    with pytest.raises(BadInput) as failure:
        StateStore.open("nosuchdb://user:hunter2@host/db")
    assert "hunter2" not in str(failure.value)


def test_head_constant_matches_the_newest_migration():
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from repodigest.state.store import HEAD

    config = Config()
    config.set_main_option("script_location", str(resources.files("repodigest.state").joinpath("migrations")))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_get_many_returns_only_what_is_stored(tmp_path):
    store = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    store.put("demo", "a", "k", ANALYSIS)
    assert store.get_many("demo", ["a", "b"], "k") == {"a": ANALYSIS}


def test_day_reports_are_kept_per_repository_day_and_variant(tmp_path):
    from datetime import date

    from repodigest.report.models import RepositoryReport
    from repodigest.source.models import RepositoryInfo

    store = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    report = RepositoryReport(repository=RepositoryInfo(key="demo", name="acme/demo", branch="main"))
    store.put_day_report(report, date(2026, 2, 23), "UTC|rules:1")
    store.put_day_report(report, date(2026, 2, 23), "UTC|rules:1")  # idempotent
    days = [date(2026, 2, 23), date(2026, 2, 24)]
    assert store.day_reports("demo", days, "UTC|rules:1") == {date(2026, 2, 23): report}
    assert store.day_reports("demo", days, "Asia/Shanghai|rules:1") == {}
    assert store.day_reports("other", days, "UTC|rules:1") == {}
