"""The `repodigest` command line: a thin layer that builds the pipeline from the configuration."""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from repodigest import __version__
from repodigest.analysis.registry import build_analyzer, build_day_summarizer
from repodigest.config import Config, RepositoryConfig, load_config, with_overrides
from repodigest.errors import BadInput, RepodigestError
from repodigest.facts.roles import RoleRules
from repodigest.paths import cache_dir
from repodigest.pipeline import Pipeline, Progress, RunResult, plan_repositories
from repodigest.publish.registry import build_publishers, formats_needed
from repodigest.render.registry import renderers_for
from repodigest.secrets import RedactingFilter, remember_url
from repodigest.source.window import load_zone, resolve_day
from repodigest.summary import over_failure_share, print_summary, summary_rows, terminal_line

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn one day of commits in one or more git repositories into a report.",
    pretty_exceptions_enable=False,
)

RepoOption = Annotated[
    list[str] | None,
    typer.Option("--repo", help="A local repository folder or a clone URL. Repeat for several; replaces the config's list."),
]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="Configuration file (default: ./repodigest.toml if present).")]
TzOption = Annotated[str | None, typer.Option("--tz", help="IANA time zone of the day (default Asia/Shanghai).")]
LangOption = Annotated[str | None, typer.Option("--lang", help="Report language: zh or en.")]
OutOption = Annotated[str | None, typer.Option("--out", help="Output folder (default reports).")]
FormatOption = Annotated[str | None, typer.Option("--format", help="Comma-separated formats: md, json, html.")]
AnalyzerOption = Annotated[str | None, typer.Option("--analyzer", help="rules (offline, default) or llm.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")]


@app.command()
def run(
    repo: RepoOption = None,
    config: ConfigOption = None,
    date_: Annotated[str, typer.Option("--date", help="YYYY-MM-DD, today or yesterday (in the zone).")] = "yesterday",
    tz: TzOption = None,
    lang: LangOption = None,
    out: OutOption = None,
    format_: FormatOption = None,
    analyzer: AnalyzerOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Write the report of one day."""
    settings = _settings(config, repo, tz, lang, out, format_, analyzer)
    day = resolve_day(date_, settings.timezone)
    _execute(settings, [day], verbose, "run")


@app.command()
def backfill(
    from_: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD (inclusive).")],
    repo: RepoOption = None,
    config: ConfigOption = None,
    tz: TzOption = None,
    lang: LangOption = None,
    out: OutOption = None,
    format_: FormatOption = None,
    analyzer: AnalyzerOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Write the reports of a range of days, reading each repository's history once."""
    settings = _settings(config, repo, tz, lang, out, format_, analyzer)
    first, last = resolve_day(from_, settings.timezone), resolve_day(to, settings.timezone)
    if last < first:
        raise BadInput(f"--to {last} is before --from {first}", "give the earlier day to --from")
    if (last - first).days > 366:
        raise BadInput("a backfill covers at most 367 days", "split the range into several runs")
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    _execute(settings, days, verbose, "backfill")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the example.")] = Path("repodigest.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented example configuration."""
    if path.exists() and not force:
        raise BadInput(f"{path} already exists", "pass --force to overwrite it, or give another path")
    example = resources.files("repodigest").joinpath("example.toml").read_text("utf-8")
    path.write_text(example, encoding="utf-8")
    typer.echo(f"wrote {path}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the JSON report."""
    import json

    from repodigest.render.json_document import JsonRepositoryReport

    typer.echo(json.dumps(JsonRepositoryReport.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def _settings(config_path, repos, tz, lang, out, formats, analyzer) -> Config:
    settings, _ = load_config(config_path)
    overrides = {"timezone": tz, "language": lang, "output": out, "formats": formats, "analyzer": analyzer}
    for repository in settings.repositories:
        remember_url(repository.source)  # before any message can name the URL
    if repos:
        for value in repos:
            remember_url(value)
        overrides["repositories"] = [RepositoryConfig(**_repository_from_flag(r)).model_dump() for r in repos]
    settings = with_overrides(settings, **overrides)
    load_zone(settings.timezone)
    if not settings.repositories:
        raise BadInput("no repository given", "pass --repo PATH_OR_URL or list [[repositories]] in repodigest.toml")
    return settings


def _repository_from_flag(value: str) -> dict:
    from repodigest.source.remote import is_remote

    return {"url": value} if is_remote(value) else {"path": value}


def _execute(settings: Config, days: list[date], verbose: bool, command_name: str) -> None:
    _configure_logging(verbose)
    planned = plan_repositories(settings.repositories)
    analyzer = build_analyzer(settings)
    from repodigest.state.store import StateStore  # SQLAlchemy loads only for a real run

    state = StateStore.open(settings.state.database_url)
    publishers = build_publishers(settings, state)
    run_id = state.start_run(command_name, [day.isoformat() for day in days])
    started = time.monotonic()
    progress = _progress()
    pipeline = Pipeline(
        analyzer=analyzer,
        renderers=renderers_for(formats_needed(settings, publishers)),
        publishers=publishers,
        language=settings.language,
        timezone=settings.timezone,
        cache_dir=cache_dir(),
        store=state,
        roles=RoleRules.default(),
        progress=progress,
        on_commits=lambda info, commits: state.record_commits(info, commits, run_id),
        day_summarizer=build_day_summarizer(settings, state),
        lease=state.leases.hold,
    )
    with progress:
        result = pipeline.run_days(planned, days)
    code = exit_code(result, settings)
    state.finish_run(run_id, code, summary_rows(result), result.accounting.model_dump(), time.monotonic() - started)
    print_summary(result, seconds=time.monotonic() - started,
                  max_failure_share=settings.llm.max_failure_share if settings.analyzer == "llm" else None)
    raise typer.Exit(code)


def _progress():
    """A progress bar on a terminal (rich is loaded only then); nothing in CI or a pipe."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        from repodigest.terminal import RichProgress

        return RichProgress()
    return Progress()


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("repodigest: %(levelname)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    handler.addFilter(_TerminalSafe())
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler], force=True)


class _TerminalSafe(logging.Filter):
    """Log messages carry repository names, paths and URLs: printed without secrets and with
    their control characters shown, never interpreted by the terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = terminal_line(record.getMessage())
        record.args = None
        return True


def exit_code(result: RunResult, settings: Config) -> int:
    if result.failed_repositories or result.publish_errors:
        return 1
    return 1 if over_failure_share(result, settings.llm.max_failure_share) else 0


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except BadInput as error:
        typer.echo(f"repodigest: error: {terminal_line(str(error))}", err=True)
        sys.exit(2)
    except RepodigestError as error:
        typer.echo(f"repodigest: error: {terminal_line(str(error))}", err=True)
        sys.exit(1)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("repodigest: interrupted", err=True)
        sys.exit(130)
    except typer.TyperException as error:  # usage errors: unknown option, missing value
        typer.echo(f"repodigest: error: {error.format_message()} — see `repodigest --help`", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)

