"""The run summary on stderr: per repository and day, what was read, analysed and published."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from repodigest.credentials import redact
from repodigest.render.text import visible

if TYPE_CHECKING:  # the pipeline (and every stage) loads only for a run, not for `--help`
    from repodigest.pipeline import RunResult

GROUP_PUBLICATIONS_OVER = 3
"""Without -v, more publications than this to one target are one line."""


def _day_status(run, over_share: float | None) -> str:
    """How one repository's day went; `over_share` is set when the run's fallbacks went over it."""
    if run.error:
        return f"FAILED: {run.error}"
    status = f"ok, from the cached clone (may be stale): {run.stale}" if run.stale else "ok"
    if run.history_cut:
        status = f"{status}; {_cut(run.history_cut)}"
    if over_share is not None and run.failed:
        status = f"{run.failed} of {run.commits} analyses fell back: over the {over_share:.0%} failure share"
    if run.facts_failed:
        incomplete = f"facts of {run.facts_failed} of {run.commits} commits incomplete"
        status = f"{status}; {incomplete} (an extractor failed: see the log)"
    return status


def summary_lines(result: RunResult, per_day: bool = True, max_failure_share: float | None = None) -> list[str]:
    """One line per repository and day (`per_day`, a single day or -v), else one per repository;
    then totals when there is more than one line to add up. With `max_failure_share`, a run whose
    fallbacks push the share over it says so, as the reason for exit code 1."""
    lines = []
    over = over_failure_share(result, max_failure_share)
    days = sorted({run.day for run in result.runs})
    if per_day:
        for run in result.runs:
            status = _day_status(run, max_failure_share if over else None)
            lines.append(
                f"{run.day} {run.name}: {_n(run.commits, 'commit')}, {run.analysed} analysed, {run.cached} cached, "
                f"{run.failed} fell back — {status}"
            )
    else:
        by_name: dict[str, list] = {}
        for run in result.runs:
            by_name.setdefault(run.name, []).append(run)
        for name, runs in by_name.items():
            errors = list(dict.fromkeys(run.error for run in runs if run.error))
            busy = sum(1 for run in runs if run.commits)
            lines.append(
                f"{name}: {_n(sum(r.commits for r in runs), 'commit')} on {busy} of {_n(len(runs), 'day')}, "
                f"{sum(r.analysed for r in runs)} analysed, {sum(r.cached for r in runs)} cached, "
                f"{sum(r.failed for r in runs)} fell back — "
                f"{'FAILED: ' + '; '.join(errors) if errors else _stale(runs)}"
            )
    names = {run.name for run in result.runs}
    if len(result.runs) > 1:
        failed = len({run.name for run in result.runs if run.error})
        lines.append(
            f"total: {_n(sum(r.commits for r in result.runs), 'commit')} in "
            f"{_n(len(names), 'repository', 'repositories')}"
            f" over {_n(len(days), 'day')} ({days[0]} to {days[-1]}), {sum(r.analysed for r in result.runs)} analysed, "
            f"{sum(r.cached for r in result.runs)} cached, {sum(r.failed for r in result.runs)} fell back"
            + (f", {failed} failed" if failed else "")
        )
    accounting = result.accounting
    if accounting.calls or accounting.failures:
        lines.append(
            f"llm: {accounting.calls} calls, {accounting.retries} retries, {accounting.failures} failures, "
            f"{accounting.prompt_tokens} prompt + {accounting.completion_tokens} completion tokens, "
            f"{accounting.cached} cached"
        )
    by_target: dict[str, list] = {}
    for publication in result.publications:
        by_target.setdefault(publication.target, []).append(publication)
    for target, publications in by_target.items():
        if per_day or len(publications) <= GROUP_PUBLICATIONS_OVER:
            lines.extend(f"published {p.location or p.target}" for p in publications)
        else:
            lines.append(f"published {len(publications)} to {target} (last: {publications[-1].location or target})")
    lines.extend(f"publishing failed: {error}" for error in result.publish_errors)
    return lines


def digest_lines(result) -> list[str]:
    """The digest's own lines (a DigestResult): how many days came from the state, how many were
    made first, what it holds, and where it went."""
    made = result.edition.report
    total = sum(r.stats.total for r in made.repositories)
    lines = [
        f"{made.period.name}: {_n(total, 'commit')} in {_n(len(made.repositories), 'repository', 'repositories')}, "
        f"{result.days_stored} repository-days from the state, {result.days_made} made first"
    ]
    spent = result.accounting
    if spent.calls:
        lines.append(
            f"llm (days made and the period summary): {spent.calls} calls, {spent.prompt_tokens} prompt + "
            f"{spent.completion_tokens} completion tokens"
        )
    lines.extend(f"published {p.location or p.target}" for p in result.publications)
    lines.extend(f"publishing failed: {error}" for error in result.publish_errors)
    return lines


def over_failure_share(result: RunResult, max_failure_share: float | None) -> bool:
    accounting = result.accounting
    return (
        max_failure_share is not None
        and accounting.commits > 0
        and accounting.failures / accounting.commits > max_failure_share
    )


def summary_rows(result: RunResult) -> list[dict]:
    """The summary as data, for the state database."""
    return [
        {
            "day": run.day.isoformat(),
            "repository": run.name,
            "commits": run.commits,
            "analysed": run.analysed,
            "cached": run.cached,
            "failed": run.failed,
            "error": run.error and redact(run.error),
            "published": run.published,
        }
        for run in result.runs
    ]


def print_summary(
    result: RunResult,
    stream=None,
    seconds: float | None = None,
    per_day: bool = True,
    max_failure_share: float | None = None,
) -> None:
    stream = stream or sys.stderr
    for line in summary_lines(result, per_day, max_failure_share):
        print(f"repodigest: {terminal_line(line)}", file=stream)
    if seconds is not None:
        print(f"repodigest: finished in {seconds:.1f} s", file=stream)


def terminal_line(text: str) -> str:
    """A line safe to print: no secret, and no escape sequence or bidi override from a repository
    name, folder or URL that could rewrite the operator's terminal."""
    return visible(redact(text))


def _cut(shas) -> str:
    return (
        f"shallow clone, history cut at {', '.join(shas)}: commits before it are missing and its diff is unknown "
        "(git fetch --unshallow)"
    )


def _stale(runs) -> str:
    stale = list(dict.fromkeys(run.stale for run in runs if run.stale))
    status = f"ok, from the cached clone (may be stale): {'; '.join(stale)}" if stale else "ok"
    cuts = list(dict.fromkeys(sha for run in runs for sha in run.history_cut))
    return f"{status}; {_cut(cuts)}" if cuts else status


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def run_table(rows) -> list[str]:
    """`repodigest runs`: one line per run, oldest first."""
    header = (
        f"{'id':>5}  {'started (UTC)':<16}  {'command':<8}  {'days':<23}  {'repos':>5}  {'commits':>7}  "
        f"{'exit':>4}  {'seconds':>7}  {'tokens':>7}"
    )
    lines = [header]
    for row in rows:
        summary = row.summary or []
        days = list(row.days or [])
        span = "" if not days else days[0] if len(days) == 1 else f"{days[0]}..{days[-1]}"
        accounting = row.accounting or {}
        tokens = int(accounting.get("prompt_tokens", 0)) + int(accounting.get("completion_tokens", 0))
        exit_code = row.exit_code if row.exit_code is not None else row.status
        seconds = f"{row.seconds:.1f}" if row.seconds is not None else "-"
        lines.append(
            f"{row.id:>5}  {row.started_at:%Y-%m-%d %H:%M}  {row.command:<8}  {span:<23}  "
            f"{len({item.get('repository') for item in summary}):>5}  "
            f"{sum(item.get('commits', 0) for item in summary):>7}  "
            f"{exit_code!s:>4}  {seconds:>7}  {tokens:>7}"
        )
    if len(lines) == 1:
        lines.append("no runs recorded yet")
    return lines
