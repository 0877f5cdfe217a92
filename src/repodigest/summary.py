"""The run summary on stderr: per repository and day, what was read, analysed and published."""

from __future__ import annotations

import sys

from repodigest.pipeline import RunResult
from repodigest.render.text import visible
from repodigest.secrets import redact


def summary_lines(result: RunResult, max_failure_share: float | None = None) -> list[str]:
    """One line per repository and day, then the LLM's cost. With `max_failure_share`, a run whose
    fallbacks push the share over it says so, as the reason for exit code 1."""
    lines = []
    over = over_failure_share(result, max_failure_share)
    for run in result.runs:
        status = f"FAILED: {run.error}" if run.error else "ok"
        if run.stale and not run.error:
            status = f"ok, from the cached clone (may be stale): {run.stale}"
        if not run.error and over and run.failed:
            status = f"{run.failed} of {run.commits} analyses fell back: over the {max_failure_share:.0%} failure share"
        lines.append(
            f"{run.day} {run.name}: {run.commits} commits, {run.analysed} analysed, {run.cached} cached, "
            f"{run.failed} fell back — {status}"
        )
    accounting = result.accounting
    if accounting.calls or accounting.failures:
        lines.append(
            f"llm: {accounting.calls} calls, {accounting.retries} retries, {accounting.failures} failures, "
            f"{accounting.prompt_tokens} prompt + {accounting.completion_tokens} completion tokens, "
            f"{accounting.cached} cached"
        )
    for publication in result.publications:
        lines.append(f"published {publication.location or publication.target}")
    lines.extend(f"publishing failed: {error}" for error in result.publish_errors)
    return lines


def over_failure_share(result: RunResult, max_failure_share: float | None) -> bool:
    accounting = result.accounting
    return (max_failure_share is not None and accounting.commits > 0
            and accounting.failures / accounting.commits > max_failure_share)


def summary_rows(result: RunResult) -> list[dict]:
    """The summary as data, for the state database."""
    return [{"day": run.day.isoformat(), "repository": run.name, "commits": run.commits, "analysed": run.analysed,
             "cached": run.cached, "failed": run.failed, "error": run.error and redact(run.error), "published": run.published}
            for run in result.runs]


def print_summary(result: RunResult, stream=None, seconds: float | None = None,
                  max_failure_share: float | None = None) -> None:
    stream = stream or sys.stderr
    for line in summary_lines(result, max_failure_share):
        print(f"repodigest: {terminal_line(line)}", file=stream)
    if seconds is not None:
        print(f"repodigest: finished in {seconds:.1f} s", file=stream)


def terminal_line(text: str) -> str:
    """A line safe to print: no secret, and no escape sequence or bidi override from a repository
    name, folder or URL that could rewrite the operator's terminal."""
    return visible(redact(text))
