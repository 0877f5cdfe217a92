"""Running the pipeline in-process on a fixture repository, for render and golden tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.config import RepositoryConfig
from repodigest.pipeline import Pipeline, RunResult, plan_repositories
from repodigest.publish.base import Edition
from repodigest.render.registry import renderers_for


def run_pipeline(
    repositories: list[RepositoryConfig],
    day: str,
    language: str = "zh",
    timezone: str = "Asia/Shanghai",
    formats: tuple[str, ...] = ("md", "json"),
    analyzer=None,
    publishers=(),
    cache_dir: Path | None = None,
    **extra,
) -> RunResult:
    pipeline = Pipeline(
        analyzer=analyzer or RulesAnalyzer(),
        renderers=renderers_for(formats),
        publishers=list(publishers),
        language=language,
        timezone=timezone,
        cache_dir=cache_dir or Path("/nonexistent-cache"),
        **extra,
    )
    return pipeline.run_days(plan_repositories(repositories), [date.fromisoformat(day)])


def render_day(
    path: Path,
    day: str,
    language: str = "zh",
    name: str = "acme/demo",
    web_url: str | None = "https://github.com/acme/demo",
    formats=("md", "json"),
) -> Edition:
    config = RepositoryConfig(path=str(path), name=name, web_url=web_url)
    return run_pipeline([config], day, language=language, formats=formats).editions[0]


def run_digest(
    repositories: list[RepositoryConfig],
    period,
    state,
    language: str = "zh",
    timezone: str = "Asia/Shanghai",
    formats: tuple[str, ...] = ("md", "json"),
    analyzer=None,
    publishers=(),
    summarizer=None,
    **extra,
):
    """A digest through the real state (StateStore): days missing from it are made first."""
    from repodigest.digest import DigestJob
    from repodigest.render.registry import digest_renderers_for

    pipeline = Pipeline(
        analyzer=analyzer or RulesAnalyzer(),
        renderers=renderers_for(formats),
        publishers=list(publishers),
        language=language,
        timezone=timezone,
        cache_dir=Path("/nonexistent-cache"),
        store=state,
        on_day_report=state.put_day_report,
        **extra,
    )
    job = DigestJob(
        pipeline=pipeline, stored=state.day_reports, renderers=digest_renderers_for(formats), summarizer=summarizer
    )
    return job.run(plan_repositories(repositories), period)
