"""The `repodigest` command line: a thin layer that builds the pipeline from the configuration.

Only typer is imported up front: the stages (pydantic models, tree-sitter, SQLAlchemy) load
inside the commands that use them, so `repodigest --help` answers in a tenth of a second.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from repodigest import __version__, startup
from repodigest.errors import BadInput, RepodigestError

if TYPE_CHECKING:
    from repodigest.config import Config
    from repodigest.pipeline import RunResult


class _BareHelp:
    """-h/--help shown as a flag, without a `<bool>` type beside it."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


class _Group(_BareHelp, TyperGroup):
    pass


class _Command(_BareHelp, TyperCommand):
    pass


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    help="Turn one day of commits in one or more git repositories into a report.",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

RepoOption = Annotated[
    list[str] | None,
    typer.Option(
        "--repo",
        metavar="PATH|URL",
        help="A local repository folder or a clone URL. Repeat for several; replaces the config's list.",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        show_default=False,
        help="Configuration file (default: $REPODIGEST_CONFIG, ./repodigest.toml, ./.repodigest.toml, then the user's "
        "config folder).",
    ),
]
TzOption = Annotated[
    str | None, typer.Option("--tz", metavar="ZONE", help="IANA time zone of the day (default Asia/Shanghai).")
]
LangOption = Annotated[str | None, typer.Option("--lang", metavar="zh|en", help="Report language.")]
OutOption = Annotated[str | None, typer.Option("--out", metavar="DIR", help="Output folder (default reports).")]
FormatOption = Annotated[str | None, typer.Option("--format", metavar="md,json,html", help="Comma-separated formats.")]
AnalyzerOption = Annotated[
    str | None, typer.Option("--analyzer", metavar="rules|llm", help="rules (offline, default) or llm.")
]
VerboseOption = Annotated[
    int,
    typer.Option(
        "--verbose",
        "-v",
        count=True,
        metavar="",
        show_default=False,
        help="Log each stage; -vv adds the libraries' debug output.",
    ),
]
ArchiveOption = Annotated[
    bool | None,
    typer.Option(
        "--archive/--no-archive",
        metavar="",
        show_default=False,
        help="Also write the archive site: index pages and Atom feeds of every report (config: [archive] enabled).",
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", metavar="", show_default=False, help="Print nothing but errors (the exit code still tells)."
    ),
]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"repodigest {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version_: Annotated[
        bool,
        typer.Option(
            "--version", "-V", metavar="", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Turn one day of commits in one or more git repositories into a report."""


@app.command(cls=_Command)
def run(
    repo: RepoOption = None,
    config: ConfigOption = None,
    date_: Annotated[
        str, typer.Option("--date", metavar="DAY", help="YYYY-MM-DD, today or yesterday (in the zone).")
    ] = "yesterday",
    tz: TzOption = None,
    lang: LangOption = None,
    out: OutOption = None,
    format_: FormatOption = None,
    analyzer: AnalyzerOption = None,
    archive: ArchiveOption = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Write the report of one day."""
    from repodigest.source.window import resolve_day

    settings = _settings(config, repo, tz, lang, out, format_, analyzer, archive)
    day = resolve_day(date_, settings.timezone)
    _execute(settings, [day], verbose, quiet, "run")


@app.command(cls=_Command)
def backfill(
    from_: Annotated[str, typer.Option("--from", metavar="DAY", help="First day, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", metavar="DAY", help="Last day, YYYY-MM-DD (inclusive).")],
    repo: RepoOption = None,
    config: ConfigOption = None,
    tz: TzOption = None,
    lang: LangOption = None,
    out: OutOption = None,
    format_: FormatOption = None,
    analyzer: AnalyzerOption = None,
    archive: ArchiveOption = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Write the reports of a range of days, reading each repository's history once."""
    from repodigest.source.window import resolve_day

    settings = _settings(config, repo, tz, lang, out, format_, analyzer, archive)
    first, last = resolve_day(from_, settings.timezone), resolve_day(to, settings.timezone)
    if last < first:
        raise BadInput(f"--to {last} is before --from {first}", "give the earlier day to --from")
    if (last - first).days > 366:
        raise BadInput("a backfill covers at most 367 days", "split the range into several runs")
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    _execute(settings, days, verbose, quiet, "backfill")


@app.command(cls=_Command)
def digest(
    week: Annotated[
        str | None, typer.Option("--week", metavar="YYYY-Www", help="An ISO week, e.g. 2026-W48; or last, this.")
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help="A calendar month, e.g. 2026-11; or last, this.")
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="DAY", help="First day of a range, YYYY-MM-DD.")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DAY", help="Last day of a range (inclusive).")] = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
    tz: TzOption = None,
    lang: LangOption = None,
    out: OutOption = None,
    format_: FormatOption = None,
    analyzer: AnalyzerOption = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Write the digest of a week, a month or a range of days from the stored day reports."""
    from repodigest.period import choose

    settings = _settings(config, repo, tz, lang, out, format_, analyzer)
    period = choose(week, month, from_, to, settings.timezone)
    _execute_digest(settings, period, verbose, quiet)


@app.command(cls=_Command)
def init(
    path: Annotated[
        Path, typer.Argument(metavar="[FILE]", help="Where to write the example.", show_default="repodigest.toml")
    ] = Path("repodigest.toml"),
    force: Annotated[bool, typer.Option("--force", metavar="", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented example configuration."""
    if path.exists() and not force:
        raise BadInput(f"{path} already exists", "pass --force to overwrite it, or give another path")
    example = resources.files("repodigest").joinpath("example.toml").read_text("utf-8")
    path.write_text(example, encoding="utf-8")
    typer.echo(f"wrote {path}")


@app.command(cls=_Command)
def schema(
    digest_: Annotated[
        bool, typer.Option("--digest", metavar="", help="The period digest's schema instead of the day report's.")
    ] = False,
) -> None:
    """Print the JSON Schema of the JSON report (or, with --digest, of the JSON digest)."""
    import json

    if digest_:
        from repodigest.render.digest_json import JsonDigest

        schema = JsonDigest.model_json_schema()
    else:
        from repodigest.render.json_document import JsonRepositoryReport

        schema = JsonRepositoryReport.model_json_schema()

    typer.echo(json.dumps(schema, indent=2, ensure_ascii=False))


@app.command(cls=_Command)
def archive(
    config: ConfigOption = None,
    lang: LangOption = None,
    out: OutOption = None,
    verbose: VerboseOption = 0,
) -> None:
    """Write the archive site (index pages, Atom feeds) of the reports already in the output folder."""
    from repodigest.config import env_overrides, load_config, with_overrides
    from repodigest.publish import archive as archive_site

    _configure_logging(verbose)
    settings, _ = load_config(config)
    settings = with_overrides(settings, "environment (REPODIGEST_*)", **env_overrides())
    settings = with_overrides(settings, language=lang, output=out)
    if not Path(settings.output).is_dir():
        raise BadInput(f"the output folder {settings.output} does not exist", "pass --out with the reports' folder")
    from repodigest.publish.registry import publish_context

    startup.started()
    for publication in archive_site.build(settings.archive, publish_context(settings)).refresh():
        typer.echo(f"wrote {publication.location}")


@app.command(cls=_Command)
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command(cls=_Command)
def runs(
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", help="How many of the latest runs.")] = 20,
    config: ConfigOption = None,
) -> None:
    """List recent runs from the state: days, repositories, commits, exit code, duration, tokens."""
    from repodigest.config import load_config
    from repodigest.state.store import StateStore
    from repodigest.summary import run_table

    settings, _ = load_config(config)
    state = StateStore.open(settings.state.database_url)
    for line in run_table(state.runs()[-limit:]):
        typer.echo(line)


def _settings(config_path, repos, tz, lang, out, formats, analyzer, archive=None) -> Config:
    from repodigest.config import RepositoryConfig, env_overrides, load_config, with_overrides
    from repodigest.credentials import remember_url
    from repodigest.source.window import load_zone

    settings, _ = load_config(config_path)
    settings = with_overrides(settings, "environment (REPODIGEST_*)", **env_overrides())
    overrides = {"timezone": tz, "language": lang, "output": out, "formats": formats, "analyzer": analyzer}
    if archive is not None:
        overrides["archive"] = {**settings.archive.model_dump(), "enabled": archive}
    for repository in settings.repositories:
        remember_url(repository.source)  # before any message can name the URL
    if repos:
        for value in repos:
            if not value.strip():
                raise BadInput("--repo is empty", "give --repo a repository folder or a clone URL")
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


def _execute(settings: Config, days: list[date], verbose: int, quiet: bool, command_name: str) -> None:
    from repodigest.summary import print_summary, summary_rows

    _configure_logging(verbose, quiet)
    with _run_session(settings, quiet, command_name, days) as (planned, state, pipeline, run_id):
        started = time.monotonic()
        result = pipeline.run_days(planned, days)
    code = exit_code(result, settings)
    state.finish_run(run_id, code, summary_rows(result), result.accounting.model_dump(), time.monotonic() - started)
    if not quiet or code:
        print_summary(
            result,
            seconds=time.monotonic() - started,
            per_day=verbose > 0 or len(days) == 1,
            max_failure_share=settings.llm.max_failure_share if settings.analyzer == "llm" else None,
        )
    raise typer.Exit(code)


@contextmanager
def _run_session(settings: Config, quiet: bool, command_name: str, days: list[date]):
    """What every command that makes reports shares: the output checked, the repositories
    planned, the pipeline built, the run recorded in the state and kept alive while it works;
    afterwards the pull-request client closed and what the analyzer learnt kept for the next run."""
    from repodigest.memory import give_back_large_buffers
    from repodigest.paths import check_home
    from repodigest.pipeline import plan_repositories
    from repodigest.publish.files import check_output

    give_back_large_buffers()
    check_home()
    check_output(Path(settings.output))
    planned = plan_repositories(settings.repositories)
    state, pipeline, progress, pulls = _pipeline(settings, quiet)
    run_id = state.start_run(command_name, [day.isoformat() for day in days])
    startup.started()
    pipeline.on_commits = lambda info, commits: state.record_commits(info, commits, run_id)
    with progress, state.alive(run_id), pipeline.facts_workers:
        try:
            yield planned, state, pipeline, run_id
        finally:
            if pulls:
                pulls.close()
    state.remember(pipeline.analyzer.learned())


def _pull_context(settings: Config, state):
    """The GitHub pull-request client when `[pull_requests] enabled`; without its token the run
    goes on offline and says so once."""
    options = settings.pull_requests
    if not options.enabled:
        return None
    from repodigest.credentials import from_environment
    from repodigest.source.pulls import GitHubPulls

    token = from_environment(options.token_env)
    if not token:
        logging.getLogger("repodigest").warning(
            "pull-request context is enabled but $%s is not set: the reports are made without it", options.token_env
        )
        return None
    return GitHubPulls(
        token=token,
        cache=state,
        api_url=options.api_url.rstrip("/"),
        max_wait=options.max_wait,
        look_up_commits=options.look_up_commits,
    )


def _execute_digest(settings: Config, period, verbose: int, quiet: bool) -> None:
    from repodigest.analysis.registry import build_period_summarizer
    from repodigest.digest import DigestJob
    from repodigest.publish.registry import formats_needed
    from repodigest.render.registry import digest_renderers_for
    from repodigest.summary import digest_lines, print_summary, summary_rows, terminal_line

    _configure_logging(verbose, quiet)
    with _run_session(settings, quiet, "digest", list(period.days)) as (planned, state, pipeline, run_id):
        job = DigestJob(
            pipeline=pipeline,
            stored=state.day_reports,
            renderers=digest_renderers_for(formats_needed(settings, pipeline.publishers)),
            summarizer=build_period_summarizer(settings, state),
        )
        started = time.monotonic()
        result = job.run(planned, period)
    made = result.backfill
    code = exit_code(made, settings) if made else 0
    code = 1 if result.publish_errors else code
    rows = summary_rows(made) if made else []
    state.finish_run(run_id, code, rows, result.accounting.model_dump(), time.monotonic() - started)
    if not quiet or code:
        if made:
            print_summary(made, per_day=verbose > 0)
        for line in digest_lines(result):
            typer.echo(f"repodigest: {terminal_line(line)}", err=True)
        typer.echo(f"repodigest: finished in {time.monotonic() - started:.1f} s", err=True)
    raise typer.Exit(code)


def _pipeline(settings: Config, quiet: bool):
    """The state, a pipeline built from the configuration, the progress display and the
    pull-request client (None unless enabled); the analyzer starts from what earlier runs learnt."""
    from repodigest.analysis.registry import build_analyzer, build_day_summarizer
    from repodigest.facts.roles import RoleRules
    from repodigest.facts.workers import FactsWorkers
    from repodigest.paths import cache_dir
    from repodigest.pipeline import Pipeline, Progress
    from repodigest.publish.registry import build_publishers, formats_needed
    from repodigest.render.registry import renderers_for

    workers = facts_workers()
    analyzer = build_analyzer(settings)
    from repodigest.state.store import StateStore  # SQLAlchemy loads only for a real run

    state = StateStore.open(settings.state.database_url)
    analyzer.recall(state.learned())
    publishers = build_publishers(settings, state)
    progress = Progress() if quiet else _progress()
    pulls = _pull_context(settings, state)
    roles = RoleRules.default()
    pipeline = Pipeline(
        analyzer=analyzer,
        renderers=renderers_for(formats_needed(settings, publishers)),
        publishers=publishers,
        language=settings.language,
        timezone=settings.timezone,
        cache_dir=cache_dir(),
        store=state,
        roles=roles,
        facts_workers=FactsWorkers(roles, workers=workers),
        facts_store=state,
        keep_editions=False,
        progress=progress,
        pull_context=pulls.context if pulls else None,
        day_summarizer=build_day_summarizer(settings, state),
        lease=state.leases.hold,
        on_day_report=state.put_day_report,
    )
    return state, pipeline, progress, pulls


def facts_workers() -> int:
    """Threads extracting facts beside the walk: one per core this process may use, or
    `REPODIGEST_WORKERS` (0: all in this process, for debugging)."""
    value = os.environ.get("REPODIGEST_WORKERS", "").strip()
    if value:
        if not value.isdigit():
            raise BadInput(f"REPODIGEST_WORKERS={value!r} is not a number", "set it to 0 or a count of workers")
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _progress():
    """A progress bar on a terminal (rich is loaded only then); nothing in CI or a pipe."""
    from repodigest.pipeline import Progress

    if sys.stderr.isatty() and not os.environ.get("CI"):
        from repodigest.terminal import RichProgress

        return RichProgress()
    return Progress()


QUIET_LIBRARIES = ("alembic", "sqlalchemy", "httpx", "httpcore", "openai", "urllib3", "markdown_it")
"""Libraries whose INFO lines are their internals (Alembic's migration context, HTTP requests):
shown with -vv only."""


def _configure_logging(verbose: int, quiet: bool = False) -> None:
    from repodigest.credentials import RedactingFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "repodigest: %(levelname)s: %(message)s"
            if verbose < 2
            else "repodigest: %(levelname)s: %(name)s: %(message)s"
        )
    )
    handler.addFilter(RedactingFilter())
    handler.addFilter(_TerminalSafe())
    level = (
        logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1 else logging.ERROR if quiet else logging.WARNING
    )
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose >= 2 else max(level, logging.WARNING))


class _TerminalSafe(logging.Filter):
    """Log messages carry repository names, paths and URLs: printed without secrets and with
    their control characters shown, never interpreted by the terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        from repodigest.summary import terminal_line

        record.msg = terminal_line(record.getMessage())
        record.args = None
        return True


def exit_code(result: RunResult, settings: Config) -> int:
    from repodigest.summary import over_failure_share

    if result.failed_repositories or result.publish_errors or any(run.facts_failed for run in result.runs):
        return 1
    return 1 if over_failure_share(result, settings.llm.max_failure_share) else 0


def main() -> None:
    startup.starting()
    try:
        _main()
    finally:
        startup.exiting()


def _main() -> None:
    from repodigest.summary import terminal_line

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
        if type(error).__name__ == "NoArgsIsHelpError":  # a bare `repodigest`: the help is printed
            sys.exit(0)
        typer.echo(f"repodigest: error: {error.format_message()} — see `repodigest --help`", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
