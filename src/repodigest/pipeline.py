"""The daily job: source → facts → analysis → report → renderers → publishers.

Each stage is given what it needs; nothing here reads global settings. The CLI builds the
pieces from the configuration and calls `run_days`.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repodigest.analysis.base import AnalysisRequest, Analyzer
from repodigest.analysis.models import Accounting, Analysis, DaySummary, SummaryInput
from repodigest.analysis.store import AnalysisStore, MemoryStore
from repodigest.config import RepositoryConfig
from repodigest.credentials import redact
from repodigest.errors import RepodigestError
from repodigest.facts.models import CommitFacts
from repodigest.facts.roles import RoleRules
from repodigest.facts.store import FactsStore, facts_key
from repodigest.facts.workers import FactsWorkers
from repodigest.publish.base import Edition, Publication, Publisher, RenderedDocument
from repodigest.render.registry import Renderer
from repodigest.report.build import day_report, repository_report
from repodigest.report.models import Report, RepositoryReport
from repodigest.report.summary_input import day_summary_input
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
from repodigest.source.walk import listed, walk
from repodigest.source.window import DayWindow

if TYPE_CHECKING:
    from repodigest.report.digest import Digest

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
    facts_failed: int = 0
    """Commits whose facts an extractor failed on (a bug): named in their sections, exit code 1."""
    error: str | None = None
    published: list[str] = field(default_factory=list)
    stale: str | None = None
    """Read from the cached clone because the fetch failed: why."""
    accounting: Accounting | None = None
    """What this run spent (new analyses only); None when nothing was analysed."""
    history_cut: tuple[str, ...] = ()
    """Short shas where a shallow clone's history ends, at or after the day's start."""


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
class _Source:
    """One repository over the range, as far as the walk has come: what every day shares."""

    info: RepositoryInfo
    error: str | None = None
    stale: str | None = None
    context: str | None = None
    """What the project is (README, manifest, layout), for analyzers that read code; read once,
    before the first day that has commits."""
    recorded: bool = False
    """Told `on_commits` once at least (a repository with no commits is recorded too)."""
    tags: dict[date, list[Tag]] = field(default_factory=dict)
    """The tags cut on each day of the range, oldest first."""
    cuts: tuple[tuple[str, datetime], ...] = ()
    """Where a shallow clone's history ends (sha, committer date)."""


Entry = tuple[Commit, CommitFacts, tuple[FileDiff, ...]]


@dataclass
class _Day:
    """One repository's commits of one day, with facts: all the pipeline holds of a repository."""

    day: date
    entries: list[Entry]
    error: str | None = None


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
    day_summarizer: Callable[[SummaryInput], DaySummary] | None = None
    """Writes the day's overview from the built report (report/summary_input.py), after report/build.py."""
    on_commits: Callable[[RepositoryInfo, list[Commit]], None] | None = None
    """Told the commits each repository walk found (the state records them as seen)."""
    pull_context: Callable[[RepositoryInfo, list[Commit]], dict[str, tuple[PullRequest, ...]]] | None = None
    """The host's pull requests of the commits (source/pulls.py), when configured: attached to
    each commit before analysis, so rules and model read them from the commit itself."""
    on_day_report: Callable[[RepositoryReport, date, str], None] | None = None
    """Told each repository's finished day (over, read, every analysis complete) with `variant`:
    the state keeps it for period digests."""
    lease: Callable[[str], AbstractContextManager] | None = None
    """Claims a named piece of work against other runs sharing the state (StateStore.leases.hold):
    one run analyses a repository's day while the others wait and then read its analyses, and one
    run publishes a day while the others wait and then find it in the ledger."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    """Now; a day that has not ended yet is reported as partial, up to this moment."""

    facts_workers: FactsWorkers | None = None
    """Where facts are extracted (a pool beside the walk, see facts/workers.py); None: in this
    process."""
    facts_store: FactsStore | None = None
    """Keeps each commit's facts, so a range already walked is read back, not walked again."""
    keep_editions: bool = True
    """Return every day's edition in the result; the CLI turns it off, so a backfill holds one
    day at a time, not the range."""

    @property
    def variant(self) -> str:
        """What a day report was made as: the zone and the analyzer's cache key (with the language)."""
        return f"{self.timezone}|{self.analyzer.cache_key(self.language)}"

    def run_days(self, repositories: Sequence[PlannedRepository], days: Sequence[date]) -> RunResult:
        """Each day is analysed, rendered and published as soon as every repository's walk has
        passed it (walks run newest first, side by side), then dropped: memory is bounded by the
        largest day, not the range. The result lists editions and runs oldest day first."""
        windows = sorted((DayWindow(day=d, timezone=self.timezone) for d in days), key=lambda w: w.day, reverse=True)
        workers = self.facts_workers or FactsWorkers(self.roles, workers=0)
        editions: list[Edition] = []
        runs: list[RepositoryRun] = []
        publications: list[Publication] = []
        errors: list[str] = []
        total = Accounting(analyzer=self.analyzer.name)
        streams = [self._days(planned, windows, workers) for planned in repositories]
        try:
            for window in windows:
                gathered = [next(stream) for stream in streams]  # each stream's `window.day`
                edition, day_runs, spent = self._edition(repositories, gathered, window)
                total = total + spent
                with self.claim(f"publish:{window.day.isoformat()}"):
                    published, failures = self.publish(edition)
                publications.extend(published)
                errors.extend(failures)
                for run in day_runs:
                    run.published = [p.location or p.target for p in published]
                runs[:0] = day_runs
                if self.keep_editions:
                    editions.insert(0, edition)
            for stream in streams:
                # Each walk has yielded its last day; this lets it finish (log, progress, git).
                for extra in stream:
                    raise AssertionError(f"a walk yielded a day beyond the range: {extra[1].day}")
        finally:
            for stream in streams:
                stream.close()
            if self.facts_workers is None:
                workers.close()
        return RunResult(
            editions=editions, runs=runs, publications=publications, accounting=total, publish_errors=errors
        )

    def _edition(
        self, repositories: Sequence[PlannedRepository], gathered: list[tuple[_Source, _Day]], window: DayWindow
    ) -> tuple[Edition, list[RepositoryRun], Accounting]:
        """One day of every repository: analysed, put in one report, summarised and rendered."""
        reports, runs = [], []
        total = Accounting(analyzer=self.analyzer.name)
        finished = self.clock() >= window.end
        for planned, (source, day) in zip(repositories, gathered, strict=True):
            repository, run = self._analyse_day(planned, source, day)
            reports.append(repository)
            runs.append(run)
            if self.on_day_report and finished and not (run.error or run.failed or run.stale):
                self.on_day_report(repository, window.day, self.variant)
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
                summary = self.day_summarizer(day_summary_input(report))
            report = report.model_copy(update={"day_summary": summary.text})
            total = total + summary.accounting.model_copy(update={"analyzer": total.analyzer})
        edition = Edition(report=report, documents=tuple(render_documents(report, self.renderers)))
        log.info(
            "%s: rendered %d documents (%s)",
            window.day,
            len(edition.documents),
            ", ".join(dict.fromkeys(d.format for d in edition.documents)),
        )
        return edition, runs, total

    # -- stages ----------------------------------------------------------------------------------

    def _days(
        self, planned: PlannedRepository, windows: Sequence[DayWindow], workers: FactsWorkers
    ) -> Generator[tuple[_Source, _Day], None, None]:
        """One git walk over the whole range, newest first, with facts for every commit as it
        streams past; each day (newest first, one per window) is yielded once all its commits
        are in, so the next stage can start on it while the walk goes on."""
        self.progress.start(planned.name)
        try:
            opened = self._open(planned)
            info = repository_info(planned.key, planned.name, opened, planned.config.web_url, planned.config.host)
        except RepodigestError as error:
            log.error("%s: %s", planned.name, error)
            self.progress.finish(planned.name)
            failed = _Source(info=_placeholder_info(planned), error=redact(str(error)))
            for window in windows:
                yield failed, _Day(window.day, [])
            return
        source = _Source(info=info, stale=opened.stale and redact(opened.stale))
        days = _DayQueue(windows)
        save_key = None
        try:
            commits_listed = listed(opened.git_dir, opened.ref, windows[-1].start, windows[0].end)
            days.expect(when for _, when in commits_listed)
            tags = read_tags(opened.git_dir)
            source.tags = _tags_by_day(opened.git_dir, tags, windows)
            source.cuts = tuple(cut_points(opened.git_dir, opened.ref))
            releases = tuple(tags)
            key = facts_key(self.roles, releases)
            replay = self._all_cached(planned, commits_listed, key)
            save_key = None if replay else key
            if replay:
                entries = self._replayed(planned, days, commits_listed, key)
            else:
                entries = self._walked(opened, windows, releases, workers)
            commits = facts = 0
            for commits, (commit, found, diffs) in enumerate(entries, 1):
                facts += len(found.facts)
                days.add(commit, found, diffs)
                self.progress.advance(planned.name, commits)
                yield from self._complete(planned, opened, source, days.complete(), save_key)
            log.info(
                "%s: %s %s from %s to %s: %d commits, %d facts",
                planned.name,
                "read the facts cache for" if replay else "walked",
                opened.branch,
                windows[-1].start.isoformat(),
                windows[0].end.isoformat(),
                commits,
                facts,
            )
        except RepodigestError as error:
            # The days already reported stand; the rest of the range fails for this repository.
            log.error("%s: %s", planned.name, error)
            source.error = redact(str(error))
            days.clear()
        finally:
            self.progress.finish(planned.name)
        yield from self._complete(planned, opened, source, days.rest(), save_key)

    def _walked(
        self,
        opened: OpenedRepository,
        windows: Sequence[DayWindow],
        releases: tuple[Tag, ...],
        workers: FactsWorkers,
    ) -> Iterator[Entry]:
        keep_diffs = self.analyzer.traits.reads_diffs
        changes = walk(opened.git_dir, opened.ref, windows[-1].start, windows[0].end)
        for change, found in workers.extract(opened.git_dir, releases, changes):
            yield change.commit, found, change.diffs if keep_diffs else ()

    def _all_cached(self, planned: PlannedRepository, commits: Sequence[tuple[str, datetime]], key: str) -> bool:
        """A range already walked is read back from the facts cache, with no `git log -p`; only
        whole: one new commit and the range is walked again (a daily run walks one day anyway).
        Not for analyzers that read the diff: the cache keeps no patches."""
        if self.facts_store is None or self.analyzer.traits.reads_diffs or not commits:
            return False
        shas = [sha for sha, _ in commits]
        return self.facts_store.cached_facts(planned.key, shas, key) == set(shas)

    def _replayed(
        self, planned: PlannedRepository, days: _DayQueue, commits: Sequence[tuple[str, datetime]], key: str
    ) -> Iterator[Entry]:
        """The cached commits, read a day at a time (newest first) so memory stays one day's."""
        assert self.facts_store is not None
        by_day: dict[date, list[str]] = {}
        for sha, when in commits:
            by_day.setdefault(days.day_of(when), []).append(sha)
        for day in sorted(by_day, reverse=True):
            found = self.facts_store.get_facts(planned.key, by_day[day], key)
            for sha in by_day[day]:
                commit, facts = found[sha]
                yield commit, facts, ()

    def _open(self, planned: PlannedRepository) -> OpenedRepository:
        opened = planned.opened
        if opened is None:
            fetching = cached_clone(planned.config.source, self.cache_dir) is not None
            self.progress.stage(planned.name, "fetching" if fetching else "cloning")
            log.info("%s: %s %s", planned.name, "fetching" if fetching else "cloning", planned.config.source)
            opened = open_remote(planned.config.source, planned.config.branch, self.cache_dir)
        self.progress.stage(planned.name, "reading history")
        return opened

    def _complete(
        self,
        planned: PlannedRepository,
        opened: OpenedRepository,
        source: _Source,
        days: Iterable[_Day],
        save_key: str | None = None,
    ) -> Iterator[tuple[_Source, _Day]]:
        """Days the walk is done with: their commits recorded as seen (and their facts kept under
        `save_key`), their failure named."""
        for day in days:
            if day.error:
                log.error("%s %s: %s", planned.name, day.day, day.error)
            elif save_key and self.facts_store and day.entries:
                # Facts an extractor failed on are made again next time, not kept.
                whole = [(commit, facts) for commit, facts, _ in day.entries if not facts.failures]
                self.facts_store.put_facts(planned.key, save_key, whole)
            if self.on_commits and source.error is None and (day.entries or not source.recorded):
                self.on_commits(source.info, [commit for commit, _, _ in day.entries])
                source.recorded = True
            if source.context is None and day.entries and self.analyzer.traits.reads_diffs:
                source.context = project_context(opened.git_dir, opened.ref)
            if self.pull_context and day.entries:
                day.entries = self._with_pulls(source.info, day.entries)
            yield source, day

    def _with_pulls(self, info: RepositoryInfo, entries: list[Entry]) -> list[Entry]:
        assert self.pull_context is not None
        pulls = self.pull_context(info, [commit for commit, _, _ in entries])
        if pulls:
            log.info("%s: pull-request context for %d commits", info.name, len(pulls))
        return [
            (commit.model_copy(update={"pull_requests": pulls[commit.sha]}) if commit.sha in pulls else commit, f, d)
            for commit, f, d in entries
        ]

    def _analyse_day(
        self, planned: PlannedRepository, source: _Source, gathered: _Day
    ) -> tuple[RepositoryReport, RepositoryRun]:
        day = gathered.day
        error = gathered.error or source.error
        entries = [] if error else gathered.entries
        run = RepositoryRun(name=planned.name, day=day, commits=len(entries), error=error)
        key = self.analyzer.cache_key(self.language)
        lease_name = f"analyse:{planned.key}:{day.isoformat()}:{hashlib.sha256(key.encode()).hexdigest()[:16]}"
        with self.claim(lease_name) if entries else nullcontext():
            analyses = self._analyse_entries(planned, source, entries, key, run)
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
        report = repository_report(source.info, analysed, accounting, error, tags=source.tags.get(day, ()))
        run.stale = source.stale
        run.facts_failed = sum(1 for _, facts, _ in entries if facts.failures)
        # Commits of this day may lie beyond a cut that is not before the day's start.
        start = DayWindow(day=day, timezone=self.timezone).start
        run.history_cut = tuple(sha[:7] for sha, when in source.cuts if when >= start)
        return report.model_copy(update={"stale": source.stale, "history_cut": run.history_cut}), run

    def claim(self, name: str) -> AbstractContextManager:
        """The lease on a named piece of work (see `lease`); no lease without a state."""
        return self.lease(name) if self.lease else nullcontext()

    def _analyse_entries(
        self, planned: PlannedRepository, source: _Source, entries: list[Entry], key: str, run: RepositoryRun
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
            AnalysisRequest(
                repository=source.info, commit=commit, facts=facts, diffs=diffs, context=source.context or ""
            )
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


def render_documents(report: Report | Digest, renderers: Sequence[Any]) -> list[RenderedDocument]:
    """Each repository's own file, and with several repositories the combined one, in every
    format: for a day (renderers) and for a period digest (digest renderers) alike."""
    documents: list[RenderedDocument] = []
    for repository in report.repositories:
        single = report.only(repository)  # type: ignore[arg-type]  # a day's or a digest's own kind
        documents.extend(
            RenderedDocument(repository=repository.repository.key, format=r.extension, content=r.render(single))
            for r in renderers
        )
    if len(report.repositories) > 1:
        documents.extend(
            RenderedDocument(repository=None, format=r.extension, content=r.render(report)) for r in renderers
        )
    return documents


def _placeholder_info(planned: PlannedRepository) -> RepositoryInfo:
    return RepositoryInfo(key=planned.key, name=planned.name, branch=planned.config.branch or "HEAD")


class _DayQueue:
    """The days of a walk, newest first, filling as commits come; a day is complete when it has
    all the commits the fast pre-walk counted for it."""

    def __init__(self, windows: Sequence[DayWindow]) -> None:
        self.zone = windows[0].zone
        self.days = [_Day(day=w.day, entries=[]) for w in windows]
        self.by_date = {day.day: day for day in self.days}
        self.expected: dict[date, int] = {}
        self.seen: dict[date, int] = {}
        self.unreadable: dict[date, list[Commit]] = {}

    def day_of(self, when: datetime) -> date:
        return when.astimezone(self.zone).date()

    def expect(self, committed: Iterable[datetime]) -> None:
        for when in committed:
            day = self.day_of(when)
            self.expected[day] = self.expected.get(day, 0) + 1

    def add(self, commit: Commit, facts: CommitFacts, diffs: tuple[FileDiff, ...]) -> None:
        day = self.day_of(commit.committed_at)
        self.seen[day] = self.seen.get(day, 0) + 1
        if commit.diff_note:
            self.unreadable.setdefault(day, []).append(commit)
            return
        if day in self.by_date:
            self.by_date[day].entries.append((commit, facts, diffs))

    def complete(self) -> Iterator[_Day]:
        """The newest days that have all their commits (none can come after them)."""
        while self.days and self.seen.get(self.days[0].day, 0) >= self.expected.get(self.days[0].day, 0):
            yield self._close(self.days.pop(0))

    def rest(self) -> Iterator[_Day]:
        while self.days:
            yield self._close(self.days.pop(0))

    def clear(self) -> None:
        for day in self.days:
            day.entries = []

    def _close(self, day: _Day) -> _Day:
        unreadable = self.unreadable.pop(day.day, [])
        if unreadable:
            # A commit without its diff would be reported as changing nothing, 🟢 with no facts:
            # a wrong report that looks right. The repository's day fails instead.
            total = len(unreadable) + len(day.entries)
            day.error = redact(f"{len(unreadable)} of {total} commits could not be read: {unreadable[0].diff_note}")
            day.entries = []
        return day


def _tags_by_day(git_dir: Path, tags: list[Tag], windows: Sequence[DayWindow]) -> dict[date, list[Tag]]:
    """The tags cut inside the range, by day, each with the tag before it and the commits since."""
    start, end, zone = min(w.start for w in windows), max(w.end for w in windows), windows[0].zone
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
