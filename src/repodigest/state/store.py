"""The state store: the analysis cache, commits seen, runs, and the publication ledger."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import create_engine, event, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from repodigest.analysis.models import Analysis
from repodigest.credentials import redact
from repodigest.errors import BadInput, RepodigestError
from repodigest.facts.models import CommitFacts
from repodigest.paths import data_dir, private_file, private_folder
from repodigest.processes import process_alive
from repodigest.publish.base import LedgerEntry
from repodigest.report.models import RepositoryReport
from repodigest.source.models import Commit, RepositoryInfo
from repodigest.state.concurrency import (
    LEASE_TTL_S,
    Leases,
    insert_or_ignore,
    is_contention,
    retrying,
    sqlite_begin,
    sqlite_connection_setup,
    upsert,
)
from repodigest.state.schema import (
    AnalysisRow,
    CommitRow,
    DayReportRow,
    FactsRow,
    HostCacheRow,
    LearnedRow,
    LeaseRow,
    PublicationRow,
    RepositoryRow,
    RunRow,
    SummaryRow,
    table_of,
)

log = logging.getLogger(__name__)

DEFAULT_FILE = "state.db"
HEAD = "0009"
"""The newest migration in migrations/versions (a test keeps the two in step)."""


def _now() -> datetime:
    return datetime.now(UTC)


def default_url() -> str:
    return f"sqlite:///{private_folder(data_dir()) / DEFAULT_FILE}"


def driver_url(url: str) -> str:
    """`postgresql://` (and `postgres://`) use psycopg 3, the driver repodigest's `postgresql`
    extra installs; SQLAlchemy alone would look for psycopg2."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


class StateStore:
    """One database; every write commits at once, so a killed run loses nothing it finished."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.leases = Leases(engine, table_of(LeaseRow))
        self._migrate()

    @classmethod
    def open(cls, url: str | None = None) -> StateStore:
        url = driver_url(url or default_url())
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as error:
            raise BadInput(
                f"cannot use state database {_safe(url)}: {error}",
                "set [state] database_url to a SQLAlchemy URL such as sqlite:///path/state.db",
            ) from None
        if engine.dialect.name == "sqlite":
            database = engine.url.database
            if database and database != ":memory:" and not database.startswith("file:"):
                try:
                    private_file(Path(database))
                except OSError as error:
                    raise BadInput(
                        f"cannot create state database {database}: {error.strerror}",
                        "set [state] database_url to a file in a folder you can write in",
                    ) from None
            event.listen(engine, "connect", sqlite_connection_setup)
            event.listen(engine, "begin", sqlite_begin)
        try:
            return cls(engine)
        except SQLAlchemyError as error:
            if is_contention(error):  # not the user's fault: another run held the lock too long
                raise RepodigestError(
                    f"state database {_safe(url)} stayed locked: {getattr(error, 'orig', error)}"
                ) from None
            cause = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise BadInput(
                f"cannot open state database {_safe(url)}: {error.__class__.__name__}: {cause}",
                "check [state] database_url and that the database is reachable",
            ) from None

    @retrying
    def _migrate(self) -> None:
        if self._revision() == HEAD:
            return  # the common case: no need to load Alembic at all
        from alembic import command
        from alembic.config import Config as AlembicConfig

        config = AlembicConfig()
        config.set_main_option("script_location", str(resources.files("repodigest.state").joinpath("migrations")))
        with self.engine.begin() as connection:
            # Two first runs at once: the second waits here (SQLite's BEGIN IMMEDIATE, PostgreSQL's
            # advisory lock), then finds the schema current and Alembic does nothing.
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(7146218)"))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _revision(self) -> str | None:
        with self.engine.connect() as connection:
            try:
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except SQLAlchemyError:
                return None

    # -- analyses: the cache (AnalysisStore) -------------------------------------------------------

    def get(self, repository: str, sha: str, key: str) -> Analysis | None:
        return self.get_many(repository, [sha], key).get(sha)

    def get_many(self, repository: str, shas: Sequence[str], key: str) -> dict[str, Analysis]:
        table = table_of(AnalysisRow)
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.sha, table.c.analysis).where(
                    table.c.repository == repository, table.c.analyzer_key == key, table.c.sha.in_(list(shas))
                )
            )
            return {sha: Analysis.model_validate(data) for sha, data in rows}

    def put(self, repository: str, sha: str, key: str, analysis: Analysis) -> None:
        self.put_many(repository, key, {sha: analysis})

    @retrying
    def put_many(self, repository: str, key: str, analyses: dict[str, Analysis]) -> None:
        """One transaction: durable as soon as this returns."""
        if not analyses:
            return
        table = table_of(AnalysisRow)
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(
                upsert(self.engine, table, ["repository", "sha", "analyzer_key"], ["analysis", "created_at"]),
                [
                    {
                        "repository": repository,
                        "sha": sha,
                        "analyzer_key": key,
                        "analysis": analysis.model_dump(mode="json"),
                        "created_at": now,
                    }
                    for sha, analysis in analyses.items()
                ],
            )

    # -- facts: the walk's cache (FactsStore) -------------------------------------------------------

    def cached_facts(self, repository: str, shas: Sequence[str], key: str) -> set[str]:
        table = table_of(FactsRow)
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.sha).where(
                    table.c.repository == repository, table.c.facts_key == key, table.c.sha.in_(list(shas))
                )
            )
            return {sha for (sha,) in rows}

    def get_facts(self, repository: str, shas: Sequence[str], key: str) -> dict[str, tuple[Commit, CommitFacts]]:
        table = table_of(FactsRow)
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.sha, table.c.commit, table.c.facts).where(
                    table.c.repository == repository, table.c.facts_key == key, table.c.sha.in_(list(shas))
                )
            )
            return {
                sha: (Commit.model_validate(commit), CommitFacts.model_validate(facts)) for sha, commit, facts in rows
            }

    @retrying
    def put_facts(self, repository: str, key: str, entries: Sequence[tuple[Commit, CommitFacts]]) -> None:
        if not entries:
            return
        table = table_of(FactsRow)
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(
                upsert(self.engine, table, ["repository", "sha", "facts_key"], ["commit", "facts", "created_at"]),
                [
                    {
                        "repository": repository,
                        "sha": commit.sha,
                        "facts_key": key,
                        "commit": commit.model_dump(mode="json"),
                        "facts": facts.model_dump(mode="json"),
                        "created_at": now,
                    }
                    for commit, facts in entries
                ],
            )

    def get_summary(self, key: str) -> str | None:
        with Session(self.engine) as session:
            row = session.get(SummaryRow, key)
            return row.text if row else None

    @retrying
    def put_summary(self, key: str, text: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                upsert(self.engine, table_of(SummaryRow), ["key"], ["text", "created_at"]),
                [{"key": key, "text": text, "created_at": _now()}],
            )

    def learned(self) -> dict[str, float]:
        """What analyzers learnt in earlier runs (see Analyzer.learned)."""
        table = table_of(LearnedRow)
        with self.engine.connect() as connection:
            return {key: value for key, value in connection.execute(select(table.c.key, table.c.value))}

    def remember(self, learned: dict[str, float]) -> None:
        if not learned:
            return
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(
                upsert(self.engine, table_of(LearnedRow), ["key"], ["value", "updated_at"]),
                [{"key": key, "value": value, "updated_at": now} for key, value in learned.items()],
            )

    def get_cached(self, key: str) -> tuple[str | None, dict] | None:
        """A host's answer kept by `put_cached` (pull-request context), with its ETag."""
        with Session(self.engine) as session:
            row = session.get(HostCacheRow, key)
            return (row.etag, row.payload) if row else None

    @retrying
    def put_cached(self, key: str, etag: str | None, payload: dict | list) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                upsert(self.engine, table_of(HostCacheRow), ["key"], ["etag", "payload", "fetched_at"]),
                [{"key": key, "etag": etag, "payload": payload, "fetched_at": _now()}],
            )

    # -- finished days, for period digests ------------------------------------------------------

    @retrying
    def put_day_report(self, report: RepositoryReport, day: date, variant: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                upsert(self.engine, table_of(DayReportRow), ["repository", "day", "variant"], ["report", "created_at"]),
                [
                    {
                        "repository": report.repository.key,
                        "day": day.isoformat(),
                        "variant": variant,
                        "report": report.model_dump(mode="json"),
                        "created_at": _now(),
                    }
                ],
            )

    def day_reports(self, repository: str, days: Sequence[date], variant: str) -> dict[date, RepositoryReport]:
        """The stored days of one repository among `days` (a report that no longer reads as the
        current model is left out: its day is made again)."""
        table = table_of(DayReportRow)
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.day, table.c.report).where(
                    table.c.repository == repository,
                    table.c.variant == variant,
                    table.c.day.in_([d.isoformat() for d in days]),
                )
            )
            found = {}
            for day, data in rows:
                try:
                    found[date.fromisoformat(day)] = RepositoryReport.model_validate(data)
                except ValidationError:
                    continue
            return found

    def count_analyses(self) -> int:
        with Session(self.engine) as session:
            return len(session.scalars(select(AnalysisRow.sha)).all())

    # -- repositories and commits seen -------------------------------------------------------------

    @retrying
    def record_commits(self, repository: RepositoryInfo, commits: Sequence[Commit], run_id: int | None) -> None:
        """Idempotent: two runs recording the same repository and commits at once both succeed."""
        with self.engine.begin() as connection:
            connection.execute(
                insert_or_ignore(self.engine, table_of(RepositoryRow), ["key"]),
                [{"key": repository.key, "name": repository.name, "url": repository.url, "first_seen": _now()}],
            )
            if commits:
                connection.execute(
                    insert_or_ignore(self.engine, table_of(CommitRow), ["repository", "sha"]),
                    [
                        {
                            "repository": repository.key,
                            "sha": c.sha,
                            "committed_at": c.committed_at,
                            "subject": c.subject,
                            "first_seen_run": run_id,
                        }
                        for c in commits
                    ],
                )

    # -- runs ---------------------------------------------------------------------------------------

    @retrying
    def start_run(self, command_name: str, days: Sequence[str]) -> int:
        """A new run, after marking the runs whose process is gone `crashed`."""
        self.mark_crashed_runs()
        with Session(self.engine) as session, session.begin():
            row = RunRow(
                started_at=_now(),
                command=command_name,
                days=list(days),
                status="running",
                host=self.leases.host,
                pid=os.getpid(),
                heartbeat=time.time(),
            )
            session.add(row)
            session.flush()
            return row.id

    @contextmanager
    def alive(self, run_id: int) -> Iterator[None]:
        """Renew the run's heartbeat while the block runs, so other hosts can tell it is alive."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(LEASE_TTL_S / 3):
                try:
                    with self.engine.begin() as connection:
                        connection.execute(
                            update(table_of(RunRow)).where(RunRow.id == run_id).values(heartbeat=time.time())
                        )
                except SQLAlchemyError as error:  # the next beat may get through; the TTL has slack
                    log.warning("could not renew the heartbeat of run %d: %s", run_id, error)

        beater = threading.Thread(target=beat, name="run-heartbeat", daemon=True)
        beater.start()
        try:
            yield
        finally:
            stop.set()
            beater.join()

    @retrying
    def mark_crashed_runs(self) -> list[int]:
        """Runs still `running` whose process is gone: on this host, no such pid; elsewhere, no
        heartbeat for LEASE_TTL_S. Runs from before migration 0005 have neither and are crashed."""
        now = time.time()
        crashed = []
        with Session(self.engine) as session, session.begin():
            for row in session.scalars(select(RunRow).where(RunRow.status == "running")):
                if row.host == self.leases.host and row.pid is not None:
                    gone = not process_alive(row.pid)
                else:
                    gone = row.heartbeat is None or row.heartbeat < now - LEASE_TTL_S
                if gone:
                    row.status, row.finished_at = "crashed", _now()
                    crashed.append(row.id)
        for run_id in crashed:
            log.warning("run %d never finished (killed or crashed): marked crashed", run_id)
        return crashed

    @retrying
    def finish_run(self, run_id: int, exit_code: int, summary: list[dict], accounting: dict, seconds: float) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(RunRow, run_id)
            if row is None:  # start_run made it; only a reset state database loses it
                raise RepodigestError(f"run {run_id} is not in the state database any more; it was reset meanwhile")
            row.finished_at = _now()
            row.exit_code = exit_code
            row.status = "ok" if exit_code == 0 else "failed"
            row.summary = summary
            row.accounting = accounting
            row.seconds = round(seconds, 3)

    def runs(self) -> list[RunRow]:
        with Session(self.engine) as session:
            return list(session.scalars(select(RunRow).order_by(RunRow.id)))

    # -- the publication ledger (publish.base.Ledger) -------------------------------------------

    def entry(self, target: str, key: str) -> LedgerEntry | None:
        with Session(self.engine) as session:
            row = session.get(PublicationRow, (target, key))
            return _entry(row) if row else None

    def entries(self, target: str) -> list[LedgerEntry]:
        with Session(self.engine) as session:
            return [
                _entry(row) for row in session.scalars(select(PublicationRow).where(PublicationRow.target == target))
            ]

    @retrying
    def begin(self, target: str, key: str, attempt_hash: str | None = None) -> None:
        """Pending before sending; what was last delivered (hash, snapshot, remote id) is kept."""
        with Session(self.engine) as session, session.begin():
            row = session.get(PublicationRow, (target, key))
            if row is None:
                row = PublicationRow(target=target, key=key, published_at=_now(), attempts=0)
                session.add(row)
            row.status = "pending"
            row.attempt_hash = attempt_hash
            row.detail = None
            row.attempts = (row.attempts or 0) + 1

    @retrying
    def complete(
        self,
        target: str,
        key: str,
        remote_id: str | None,
        location: str | None,
        content_hash: str,
        snapshot: dict | None = None,
    ) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(PublicationRow, (target, key))
            if row is None:
                row = PublicationRow(target=target, key=key, attempts=1)
                session.add(row)
            row.status, row.remote_id, row.location, row.content_hash = "done", remote_id, location, content_hash
            row.snapshot, row.detail, row.attempt_hash, row.published_at = snapshot, None, None, _now()

    def fail(self, target: str, key: str, detail: str) -> None:
        self._mark(target, key, "failed", detail)

    def unknown(self, target: str, key: str, detail: str) -> None:
        self._mark(target, key, "unknown", detail)

    @retrying
    def set_status(self, target: str, key: str, status: str, detail: str | None = None) -> None:
        """An operator's decision: `failed` (send again on the next run) or `done` (dismissed:
        taken as delivered, with what the attempt carried)."""
        with Session(self.engine) as session, session.begin():
            row = session.get(PublicationRow, (target, key))
            if row is None:
                raise KeyError((target, key))
            row.status, row.detail = status, detail
            if status == "done":
                row.content_hash = row.attempt_hash or row.content_hash

    def problems(self) -> list[LedgerEntry]:
        """Every publication that is not done: failed, unknown, or pending (a killed run)."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(PublicationRow)
                .where(PublicationRow.status != "done")
                .order_by(PublicationRow.target, PublicationRow.key)
            )
            return [_entry(row) for row in rows]

    @retrying
    def _mark(self, target: str, key: str, status: str, detail: str) -> None:
        detail = redact(detail)  # a refusal often echoes the URL it was sent to, token and all
        with Session(self.engine) as session, session.begin():
            row = session.get(PublicationRow, (target, key))
            if row is None:
                row = PublicationRow(target=target, key=key, published_at=_now(), attempts=1)
                session.add(row)
            row.status, row.detail = status, detail


def _entry(row: PublicationRow) -> LedgerEntry:
    return LedgerEntry(
        target=row.target,
        key=row.key,
        status=row.status,
        remote_id=row.remote_id,
        location=row.location,
        content_hash=row.content_hash,
        detail=row.detail,
        attempt_hash=row.attempt_hash,
        snapshot=row.snapshot,
        attempts=row.attempts or 0,
    )


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown by its scheme only
        return url.split(":", 1)[0] + ":…"
