"""Facts extraction beside the git walk, on both cores.

The walk reads git's output in this process; each commit's facts (tree-sitter parses, line
scans, blob reads through `git cat-file`) are worked out by a pool while the walk moves on.
Results come back in the walk's order, so reports are the same byte for byte.

Threads by default, chosen by measurement (bench/facts_workers.py, mudler/LocalAI 2026-03..04,
564 commits, median of 3 on the shared two-core machine): one process 13.95 s, two threads
10.59 s (×0.76), two worker processes 14.43 s (×1.03). Threads win although most of the work
holds the GIL: what they overlap is the waiting (on `git cat-file`, and tree-sitter's parse,
which releases the GIL), at no cost; processes pay for pickling every patch and facts both ways
and for their own imports, and on a busy machine gain no core to spend it on. `mode="process"`
stays available (and tested) for a machine with idle cores.

`workers=0` extracts in this process (tests, debugging, `REPODIGEST_WORKERS=0`). Small walks
never start a pool: the first `SERIAL_COMMITS` commits are extracted here, so a daily run of a
few commits pays no pool start-up.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from repodigest.facts.models import CommitFacts
from repodigest.facts.parses import ParseCache
from repodigest.facts.roles import RoleRules
from repodigest.source.blobs import CachedBlobs, GitBlobReader
from repodigest.source.models import CommitChange, Tag

if TYPE_CHECKING:
    from repodigest.facts.engine import FactsEngine
    from repodigest.facts.extractors import Extractor

SERIAL_COMMITS = 16
"""Commits extracted in this process before a pool starts (a process pool costs ~0.3 s)."""
IN_FLIGHT_PER_WORKER = 8
"""Commits handed to each worker ahead of the walk: enough to keep it busy, few enough that
memory stays bounded by a handful of commits, not the range."""

Mode = Literal["process", "thread"]


@dataclass
class _Engines:
    """One facts engine per repository, each with its own `git cat-file` (one per worker)."""

    roles: RoleRules
    extractors: Mapping[str, Callable[[], Extractor]] | None = None
    parses: ParseCache | None = None
    engines: dict[tuple[Path, int, str | None], tuple[FactsEngine, GitBlobReader]] = field(default_factory=dict)

    def extract(self, git_dir: Path, releases: tuple[Tag, ...], change: CommitChange) -> CommitFacts:
        # Looked up per commit, so kept cheap: a walk's tag list is read once, and its length and
        # newest tag tell it from another walk's (hashing all 177 of LocalAI's tags took 0.04 ms a
        # commit, 85 ms over 8 months).
        key = (git_dir, len(releases), releases[-1].name if releases else None)
        if key not in self.engines:
            # Loaded here: a re-run served from the facts cache never needs the extractors.
            from repodigest.facts.engine import FactsEngine

            reader = GitBlobReader(git_dir)
            engine = FactsEngine(
                roles=self.roles,
                blobs=CachedBlobs(reader),
                extractors=self.extractors,
                releases=releases,
                parses=self.parses,
            )
            self.engines[key] = (engine, reader)
        return self.engines[key][0].extract(change)

    def close(self) -> None:
        for _, reader in self.engines.values():
            reader.close()
        self.engines.clear()


_worker: _Engines | None = None
"""The engines of this worker process (set by `_start_worker`)."""


def _start_worker(roles: RoleRules) -> None:
    global _worker
    _worker = _Engines(roles)


def _extract_in_worker(git_dir: Path, releases: tuple[Tag, ...], change: CommitChange) -> CommitFacts:
    assert _worker is not None, "worker started without _start_worker"
    return _worker.extract(git_dir, releases, change)


class _ThreadEngines:
    """Threads share the process but not a `git cat-file` pipe: one set of engines per thread.
    They do share the caches of parsed versions: split per thread, they would hold twice the
    memory and miss whenever the next commit to touch a file went to the other thread."""

    def __init__(self, roles: RoleRules) -> None:
        import threading

        from repodigest.facts.extractors import EXTRACTORS
        from repodigest.facts.extractors.symbols import SymbolExtractor
        from repodigest.facts.symbols.parsing import VersionCache

        versions = VersionCache()

        def symbols() -> Extractor:
            return SymbolExtractor(versions)

        self.extractors: dict[str, Callable[[], Extractor]] = {**EXTRACTORS, "symbols": symbols}
        self.roles = roles
        self.parses = ParseCache()
        self.local = threading.local()
        self.all: list[_Engines] = []

    def extract(self, git_dir: Path, releases: tuple[Tag, ...], change: CommitChange) -> CommitFacts:
        engines = getattr(self.local, "engines", None)
        if engines is None:
            engines = self.local.engines = _Engines(self.roles, self.extractors, self.parses)
            self.all.append(engines)
        return engines.extract(git_dir, releases, change)

    def close(self) -> None:
        for engines in self.all:
            engines.close()


class FactsWorkers:
    """Facts for a stream of commits, in order; a pool of `workers` started when a walk is long."""

    def __init__(self, roles: RoleRules, workers: int = 0, mode: Mode = "thread") -> None:
        self.roles = roles
        self.workers = workers
        self.mode = mode
        self._here = _Engines(roles)
        self._pool: Executor | None = None
        self._threads: _ThreadEngines | None = None

    def extract(
        self, git_dir: Path, releases: tuple[Tag, ...], changes: Iterable[CommitChange]
    ) -> Iterator[tuple[CommitChange, CommitFacts]]:
        pending: deque[tuple[CommitChange, Future[CommitFacts]]] = deque()
        ahead = max(1, self.workers) * IN_FLIGHT_PER_WORKER
        for count, change in enumerate(changes):
            if self.workers <= 0 or (self._pool is None and count < SERIAL_COMMITS):
                yield change, self._here.extract(git_dir, releases, change)
                continue
            pending.append((change, self._submit(git_dir, releases, change)))
            while len(pending) > ahead:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def _submit(self, git_dir: Path, releases: tuple[Tag, ...], change: CommitChange) -> Future[CommitFacts]:
        if self._pool is None:
            self._pool = self._start()
            self._here.close()  # the pool's engines take over; this one's caches would only hold memory
        if self._threads is not None:
            return self._pool.submit(self._threads.extract, git_dir, releases, change)
        return self._pool.submit(_extract_in_worker, git_dir, releases, change)

    def _start(self) -> Executor:
        if self.mode == "thread":
            self._threads = _ThreadEngines(self.roles)
            return ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="facts")
        # forkserver, not fork: the walk's reader thread (and a progress bar's) may hold a lock
        # at the moment of a fork; the server is started clean and forks workers with the facts
        # modules already imported.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["repodigest.facts.workers"])
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=_start_worker, initargs=(self.roles,)
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._threads is not None:
            self._threads.close()
            self._threads = None
        self._here.close()

    def __enter__(self) -> FactsWorkers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
