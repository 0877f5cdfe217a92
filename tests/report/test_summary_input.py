"""The overview step: the pipeline hands the writer what the finished report holds (its
highlights and analysed commits), through the analysis stage's own input model."""

import ast
from pathlib import Path

from repodigest.analysis.models import Accounting, DaySummary, SummaryInput
from repodigest.config import RepositoryConfig
from repodigest.period import week
from repodigest.state.store import StateStore
from support.day_fixture import DAY, build_day_repo
from support.reports import run_digest, run_pipeline
from support.week_fixture import WEEK, ZONE, build_week_repo

PACKAGE = Path(__file__).parents[2] / "src" / "repodigest"


class Recorder:
    """A summarizer that keeps what it was given and answers with a fixed paragraph."""

    def __init__(self) -> None:
        self.given: list[SummaryInput] = []

    def __call__(self, given: SummaryInput) -> DaySummary:
        self.given.append(given)
        return DaySummary(text="A quiet day.", accounting=Accounting(analyzer="recorder", calls=1))


def test_the_day_summary_is_written_from_the_built_report(tmp_path):
    repo = build_day_repo(tmp_path / "demo")
    recorder = Recorder()
    config = RepositoryConfig(path=str(repo.path), name="acme/demo")
    result = run_pipeline([config], DAY, language="en", day_summarizer=recorder)
    report = result.editions[0].report
    (given,) = recorder.given
    (repository,) = given.repositories
    assert given.language == "en" and repository.name == "acme/demo"
    assert [c.commit.sha for c in repository.commits] == [c.commit.sha for c in report.repositories[0].commits]
    assert [c.analysis for c in repository.commits] == [c.analysis for c in report.repositories[0].commits]
    assert [(h.category, h.sha) for h in repository.highlights] == [
        (h.category, h.sha) for h in report.repositories[0].highlights
    ]
    assert report.day_summary == "A quiet day."


def test_the_period_summary_reads_every_day_oldest_first(tmp_path):
    repo = build_week_repo(tmp_path / "demo")
    recorder = Recorder()
    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    config = RepositoryConfig(path=str(repo.path), name="acme/demo")
    made = run_digest([config], week(WEEK, ZONE), state, language="en", summarizer=recorder).edition.report
    (given,) = recorder.given
    (repository,) = given.repositories
    times = [c.commit.committed_at for c in repository.commits]
    assert len(times) == made.repositories[0].stats.total > 1
    assert [t.date() for t in times] == sorted(t.date() for t in times)  # days oldest first
    assert made.summary == "A quiet day."


def test_analysis_does_not_import_the_report_or_later_stages():
    for path in (PACKAGE / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        later = [name for name in imported if name.startswith(("repodigest.report", "repodigest.render"))]
        assert not later, f"{path.relative_to(PACKAGE)} imports {later}"
