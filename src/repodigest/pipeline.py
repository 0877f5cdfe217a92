"""The daily job: source → facts → analysis → report → renderers → publishers.

Each stage is given what it needs; nothing here reads global settings. The CLI builds the
pieces from the configuration and calls `run_days`.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from repodigest.analysis.base import AnalysisRequest, Analyzer
from repodigest.analysis.models import Accounting, Analysis, DaySummary
from repodigest.analysis.store import AnalysisStore, MemoryStore
from repodigest.config import RepositoryConfig
from repodigest.credentials import redact
from repodigest.errors import RepodigestError, SourceError
from repodigest.facts.models import CommitFacts
from repodigest.facts.roles import RoleRules
from repodigest.publish.base import Edition, Publication, Publisher, RenderedDocument
from repodigest.render.registry import Renderer
from repodigest.report.build import day_report, repository_report
from repodigest.report.models import Report, RepositoryReport
from repodigest.source.blobs import GitBlobReader
from repodigest.source.context import project_context
from repodigest.source.identity import assign_keys, display_name, repository_info
from repodigest.source.models import Commit, FileDiff, PullRequest, RepositoryInfo, Tag
from repodigest.source.releases import commits_since, read_tags
from repodigest.source.remote import (
    OpenedRepository,
    cached_clone,
    checked_remote,
    is_remote,
    open_local,
    open_remote,
)
from repodigest.source.shallow import cut_points
from repodigest.source.walk import walk
from repodigest.source.window import DayWindow

log = logging.getLogger(__name__)


class Progress:
    """What the pipeline reports as it goes; the CLI shows it on a terminal. This base shows
    nothing (CI logs stay clean)."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def start(self, repository: str) -> None: ...

    def stage(self, repository: str, doing: str) -> None:
        """What the repository is waiting on: cloning, fetching, reading history."""

    def advance(self, repository: str, commits: int) -> None: ...

    def finish(self, repository: str) -> None: ...


@dataclass
class RepositoryRun:
    """What happened to one repository on one day, for the run summary."""

    name: str
    day: date
    commits: int = 0
    analysed: int = 0
    cached: int = 0
    failed: int = 0
    error: str | None = None
    published: list[str] = field(default_factory=list)
    stale: str | None = None
    """Read from the cached clone because the fetch failed: why."""
    history_cut: tuple[str, ...] = ()
    """Short shas where a shallow clone's history ends, at or after the day's start."""
    accounting: Accounting | None = None
    """What this run spent (new analyses only); None when nothing was analysed."""


@dataclass
class RunResult:
    editions: list[Edition]
    runs: list[RepositoryRun]
    publications: list[Publication]
    accounting: Accounting
    publish_errors: list[str] = field(default_factory=list)

    @property
    def failed_repositories(self) -> list[RepositoryRun]:
        return [r for r in self.runs if r.error]


@dataclass
class PlannedRepository:
    config: RepositoryConfig
    name: str
    key: str
    opened: OpenedRepository | None = None


@dataclass
class _Collected:
    """One repository's commits of the whole range, with facts, grouped by day."""

    info: RepositoryInfo | None
    by_day: dict[date, list[tuple[Commit, CommitFacts, tuple[FileDiff, ...]]]]
    error: str | None = None
    stale: str | None = None
    context: str = ""
    """What the project is (README, manifest, layout), for analyzers that read code."""
    tags: dict[date, list[Tag]] = field(default_factory=dict)
    """The tags cut on each day of the range, oldest first."""
    cuts: tuple[tuple[str, datetime], ...] = ()
    """Where a shallow clone's history ends (sha, committer date)."""


def plan_repositories(configs: Sequence[RepositoryConfig]) -> list[PlannedRepository]:
    """Open local repositories now and check remote URLs (a bad path or URL is bad input, found
    before anything is written), and give every repository its key."""
    opened = [None if is_remote(c.source) else open_local(Path(c.source), c.branch) for c in configs]
    for config in configs:
        if is_remote(config.source):
            checked_remote(config.source)
    names = [display_name(c.name, c.source, o) for c, o in zip(configs, opened, strict=True)]
    keys = assign_keys(names)
    return [
        PlannedRepository(config=c, name=n, key=k, opened=o)
        for c, n, k, o in zip(configs, names, keys, opened, strict=True)
    ]


@dataclass
class Pipeline:
    analyzer: Analyzer
    renderers: Sequence[Renderer]
    publishers: Sequence[Publisher]
    language: str
    timezone: str
    cache_dir: Path
    store: AnalysisStore = field(default_factory=MemoryStore)
    roles: RoleRules = field(default_factory=RoleRules.default)
    progress: Progress = field(default_factory=Progress)
    day_summarizer: Callable[[Report], DaySummary] | None = None
    pull_context: Callable[[RepositoryInfo, list[Commit]], dict[str, tuple[PullRequest, ...]]] | None = None
    """The host's pull requests of the commits (source/pulls.py), when configured: attached to
    each commit before analysis, so rules and model read them from the commit itself."""
    on_commits: Callable[[RepositoryInfo, list[Commit]], None] | None = None
    """Told the commits each repository walk found (the state records them as seen)."""
    lease: Callable[[str], AbstractContextManager] | None = None
    """Claims a named piece of work against other runs sharing the state (StateStore.leases.hold):
    one run analyses a repository's day while the others wait and then read its analyses, and one
    run publishes a day while the others wait and then find it in the ledger."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    """Now; a day that has not ended yet is reported as partial, up to this moment."""
    on_day_report: Callable[[RepositoryReport, date, str], None] | None = None
    """Told each repository's finished day (over, read, every analysis complete) with `variant`:
    the state keeps it for period digests."""

    @property
    def variant(self) -> str:
        """What a day report was made as: the zone and the analyzer's cache key (with the language)."""
        return f"{self.timezone}|{self.analyzer.cache_key(self.language)}"

    def run_days(self, repositories: Sequence[PlannedRepository], days: Sequence[date]) -> RunResult:
        windows = [DayWindow(day=d, timezone=self.timezone) for d in sorted(days)]
        collected = [self._collect(planned, windows) for planned in repositories]
        editions, runs, publications, errors = [], [], [], []
        total = Accounting(analyzer=self.analyzer.name)
        for window in windows:
            reports = []
            finished = self.clock() >= window.end
            for planned, gathered in zip(repositories, collected, strict=True):
                report, run = self._analyse_day(planned, gathered, window.day)
                reports.append(report)
                runs.append(run)
                if self.on_day_report and finished and not (run.error or run.failed or run.stale):
                    self.on_day_report(report, window.day, self.variant)
                spent = run.accounting or Accounting(analyzer=self.analyzer.name)
                total = total + spent.model_copy(update={"commits": run.commits, "cached": run.cached})
            now = self.clock()
            report = day_report(
                window.day,
                self.timezone,
                self.language,
                reports,
                as_of=now.astimezone(window.zone) if now < window.end else None,
            )
            if self.day_summarizer and any(r.commits for r in reports):
                with self.claim(f"summary:{window.day.isoformat()}"):
                    summary = self.day_summarizer(report)
                report = report.model_copy(update={"day_summary": summary.text})
                total = total + summary.accounting.model_copy(update={"analyzer": total.analyzer})
            edition = Edition(report=report, documents=tuple(self._render(report)))
            log.info(
                "%s: rendered %d documents (%s)",
                window.day,
                len(edition.documents),
                ", ".join(dict.fromkeys(d.format for d in edition.documents)),
            )
            editions.append(edition)
            with self.claim(f"publish:{window.day.isoformat()}"):
                published, failures = self.publish(edition)
            publications.extend(published)
            errors.extend(failures)
            for run in runs[-len(reports) :]:
                run.published = [p.location or p.target for p in published]
        return RunResult(
            editions=editions, runs=runs, publications=publications, accounting=total, publish_errors=errors
        )

    # -- stages ----------------------------------------------------------------------------------

    def _collect(self, planned: PlannedRepository, windows: Sequence[DayWindow]) -> _Collected:
        """One git walk over the whole range; facts for every commit as it streams past."""
        # Loaded here, not at the top: a digest whose days are all in the state walks no history
        # and so never pays for compiling the facts stage (a third of its start-up).
        from repodigest.facts.engine import FactsEngine

        self.progress.start(planned.name)
        by_day: dict[date, list] = defaultdict(list)
        info = None
        try:
            opened = planned.opened
            if opened is None:
                fetching = cached_clone(planned.config.source, self.cache_dir) is not None
                self.progress.stage(planned.name, "fetching" if fetching else "cloning")
                log.info("%s: %s %s", planned.name, "fetching" if fetching else "cloning", planned.config.source)
                opened = open_remote(planned.config.source, planned.config.branch, self.cache_dir)
            self.progress.stage(planned.name, "reading history")
            info = repository_info(planned.key, planned.name, opened, planned.config.web_url, planned.config.host)
            keep_diffs = self.analyzer.traits.reads_diffs
            tags = read_tags(opened.git_dir)
            with GitBlobReader(opened.git_dir) as blobs:
                engine = FactsEngine(roles=self.roles, blobs=blobs, releases=tags)
                unreadable = []
                for count, change in enumerate(walk(opened.git_dir, opened.ref, windows[0].start, windows[-1].end), 1):
                    if change.commit.diff_note:
                        unreadable.append(change.commit)
                        continue
                    day = change.commit.committed_at.astimezone(windows[0].zone).date()
                    facts = engine.extract(change)
                    by_day[day].append((change.commit, facts, change.diffs if keep_diffs else ()))
                    self.progress.advance(planned.name, count)
            if unreadable:
                # A commit without its diff would be reported as changing nothing, 🟢 with no
                # facts: a wrong report that looks right. The repository fails instead.
                raise SourceError(f"{len(unreadable)} of {count} commits could not be read: {unreadable[0].diff_note}")
            commits = sum(len(entries) for entries in by_day.values())
            log.info(
                "%s: walked %s from %s to %s: %d commits, %d facts",
                planned.name,
                opened.branch,
                windows[0].start.isoformat(),
                windows[-1].end.isoformat(),
                commits,
                sum(len(facts.facts) for entries in by_day.values() for _, facts, _ in entries),
            )
        except RepodigestError as error:
            log.error("%s: %s", planned.name, error)
            return _Collected(info=info or _placeholder_info(planned), by_day={}, error=redact(str(error)))
        finally:
            self.progress.finish(planned.name)
        if self.on_commits:
            self.on_commits(info, [commit for entries in by_day.values() for commit, _, _ in entries])
        if self.pull_context and by_day:
            by_day = self._with_pulls(info, by_day)
        context = project_context(opened.git_dir, opened.ref) if keep_diffs and by_day else ""
        return _Collected(
            info=info,
            by_day=dict(by_day),
            stale=opened.stale and redact(opened.stale),
            context=context,
            tags=_tags_by_day(opened.git_dir, tags, windows),
            cuts=tuple(cut_points(opened.git_dir, opened.ref)),
        )

    def _with_pulls(self, info: RepositoryInfo, by_day: dict[date, list]) -> dict[date, list]:
        pulls = self.pull_context(info, [commit for entries in by_day.values() for commit, _, _ in entries])
        if pulls:
            log.info("%s: pull-request context for %d commits", info.name, len(pulls))
        return {
            day: [
                (
                    commit.model_copy(update={"pull_requests": pulls[commit.sha]}) if commit.sha in pulls else commit,
                    f,
                    d,
                )
                for commit, f, d in entries
            ]
            for day, entries in by_day.items()
        }

    def _analyse_day(
        self, planned: PlannedRepository, gathered: _Collected, day: date
    ) -> tuple[RepositoryReport, RepositoryRun]:
        entries = gathered.by_day.get(day, [])
        run = RepositoryRun(name=planned.name, day=day, commits=len(entries), error=gathered.error)
        key = self.analyzer.cache_key(self.language)
        lease_name = f"analyse:{planned.key}:{day.isoformat()}:{hashlib.sha256(key.encode()).hexdigest()[:16]}"
        with self.claim(lease_name) if entries else nullcontext():
            analyses = self._analyse_entries(planned, gathered, entries, key, run)
        analysed = [(commit, facts, analyses[commit.sha]) for commit, facts, _ in entries]
        if entries:
            log.info(
                "%s %s: %d commits, %d analysed by %s, %d cached, %d fell back",
                planned.name,
                day,
                len(entries),
                run.analysed,
                self.analyzer.name,
                run.cached,
                run.failed,
            )
        # The report counts what its analyses cost, cached or not.
        cache_hits = run.cached if self.analyzer.traits.reports_cache_hits else 0
        accounting = Accounting.of(self.analyzer.name, [a for _, _, a in analysed], cache_hits)
        report = repository_report(gathered.info, analysed, accounting, gathered.error, tags=gathered.tags.get(day, ()))
        run.stale = gathered.stale
        # Commits of this day may lie beyond a cut that is not before the day's start.
        start = DayWindow(day=day, timezone=self.timezone).start
        run.history_cut = tuple(sha[:7] for sha, when in gathered.cuts if when >= start)
        return report.model_copy(update={"stale": gathered.stale, "history_cut": run.history_cut}), run

    def claim(self, name: str) -> AbstractContextManager:
        """The lease on a named piece of work (see `lease`); no lease without a state."""
        return self.lease(name) if self.lease else nullcontext()

    def _analyse_entries(
        self, planned: PlannedRepository, gathered: _Collected, entries: list, key: str, run: RepositoryRun
    ) -> dict[str, Analysis]:
        """Cached analyses, and new ones for the rest; read after the lease is ours, so what a
        run we waited for has just analysed is not paid for again."""
        keys = {commit.sha: key + commit.context_key for commit, _, _ in entries}
        analyses: dict[str, Analysis] = {}
        for each_key in dict.fromkeys(keys.values()):
            shas = [sha for sha, k in keys.items() if k == each_key]
            analyses.update(self.store.get_many(planned.key, shas, each_key))
        run.cached = len(analyses)
        pending = [
            AnalysisRequest(repository=gathered.info, commit=commit, facts=facts, diffs=diffs, context=gathered.context)
            for commit, facts, diffs in entries
            if commit.sha not in analyses
        ]
        if pending:
            finished: dict[str, Analysis] = {}

            def save(index: int, analysis: Analysis) -> None:
                if analysis.fallback is not None:
                    return  # a fallback is retried on the next run, not kept
                finished[pending[index].commit.sha] = analysis
                if self.analyzer.traits.saves_each:
                    sha = pending[index].commit.sha
                    self.store.put_many(planned.key, keys[sha], {sha: analysis})

            batch = self.analyzer.analyze(pending, self.language, on_done=save)
            if not self.analyzer.traits.saves_each:
                for each_key in dict.fromkeys(keys[sha] for sha in finished):
                    self.store.put_many(
                        planned.key, each_key, {sha: a for sha, a in finished.items() if keys[sha] == each_key}
                    )
            for request, analysis in zip(pending, batch.analyses, strict=True):
                analyses[request.commit.sha] = analysis
            run.analysed = len(pending)
            run.failed = sum(1 for a in batch.analyses if a.fallback)
            run.accounting = batch.accounting
        return analyses

    def _render(self, report: Report) -> list[RenderedDocument]:
        documents = []
        for repository in report.repositories:
            single = report.only(repository)
            documents.extend(
                RenderedDocument(repository=repository.repository.key, format=r.extension, content=r.render(single))
                for r in self.renderers
            )
        if len(report.repositories) > 1:
            documents.extend(
                RenderedDocument(repository=None, format=r.extension, content=r.render(report)) for r in self.renderers
            )
        return documents

    def publish(self, edition: Edition) -> tuple[list[Publication], list[str]]:
        """Through every publisher; one that fails is named, the others still publish."""
        published, errors = [], []
        for publisher in self.publishers:
            try:
                done = publisher.publish(edition)
                published.extend(done)
                for publication in done:
                    log.info("published %s", publication.location or publication.target)
            except (RepodigestError, OSError) as error:  # a full disk is a failed target, not a crash
                log.error("publishing to %s failed: %s", publisher.name, error)
                errors.append(f"{publisher.name}: {error}")
        return published, errors


def _tags_by_day(git_dir: Path, tags: list[Tag], windows: Sequence[DayWindow]) -> dict[date, list[Tag]]:
    """The tags cut inside the range, by day, each with the tag before it and the commits since."""
    start, end, zone = windows[0].start, windows[-1].end, windows[0].zone
    by_day: dict[date, list[Tag]] = defaultdict(list)
    for index, tag in enumerate(tags):
        if not start <= tag.tagged_at < end:
            continue
        previous = tags[index - 1] if index else None
        counted = tag.model_copy(
            update={
                "previous": previous.name if previous else None,
                "commits_since_previous": commits_since(git_dir, tag, previous),
            }
        )
        by_day[tag.tagged_at.astimezone(zone).date()].append(counted)
    return dict(by_day)


def _placeholder_info(planned: PlannedRepository) -> RepositoryInfo:
    return RepositoryInfo(key=planned.key, name=planned.name, branch=planned.config.branch or "HEAD")
