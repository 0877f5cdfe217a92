"""The state store: the analysis cache, commits seen, runs, and the publication ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from repodigest.analysis.models import Analysis
from repodigest.errors import BadInput, RepodigestError
from repodigest.facts.models import CommitFacts
from repodigest.paths import data_dir
from repodigest.publish.base import LedgerEntry
from repodigest.secrets import redact
from repodigest.source.models import Commit, RepositoryInfo
from repodigest.state.concurrency import (
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
    FactsRow,
    LeaseRow,
    PublicationRow,
    RepositoryRow,
    RunRow,
    SummaryRow,
)

DEFAULT_FILE = "state.db"
HEAD = "0005"
"""The newest migration in migrations/versions (a test keeps the two in step)."""


def _now() -> datetime:
    return datetime.now(UTC)


def default_url() -> str:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DEFAULT_FILE}"


class StateStore:
    """One database; every write commits at once, so a killed run loses nothing it finished."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.leases = Leases(engine, LeaseRow.__table__)
        self._migrate()

    @classmethod
    def open(cls, url: str | None = None) -> StateStore:
        url = url or default_url()
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as error:
            raise BadInput(
                f"cannot use state database {_safe(url)}: {error}",
                "set [state] database_url to a SQLAlchemy URL such as sqlite:///path/state.db",
            ) from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", sqlite_connection_setup)
            event.listen(engine, "begin", sqlite_begin)
        try:
            return cls(engine)
        except SQLAlchemyError as error:
            if is_contention(error):  # not the user's fault: another run held the lock too long
                raise RepodigestError(f"state database {_safe(url)} stayed locked: {error.orig}") from None
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
        table = AnalysisRow.__table__
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
        table = AnalysisRow.__table__
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
        table = FactsRow.__table__
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.sha).where(
                    table.c.repository == repository, table.c.facts_key == key, table.c.sha.in_(list(shas))
                )
            )
            return {sha for (sha,) in rows}

    def get_facts(self, repository: str, shas: Sequence[str], key: str) -> dict[str, tuple[Commit, CommitFacts]]:
        table = FactsRow.__table__
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
        table = FactsRow.__table__
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
                upsert(self.engine, SummaryRow.__table__, ["key"], ["text", "created_at"]),
                [{"key": key, "text": text, "created_at": _now()}],
            )

    def count_analyses(self) -> int:
        with Session(self.engine) as session:
            return len(session.scalars(select(AnalysisRow.sha)).all())

    # -- repositories and commits seen -------------------------------------------------------------

    @retrying
    def record_commits(self, repository: RepositoryInfo, commits: Sequence[Commit], run_id: int | None) -> None:
        """Idempotent: two runs recording the same repository and commits at once both succeed."""
        with self.engine.begin() as connection:
            connection.execute(
                insert_or_ignore(self.engine, RepositoryRow.__table__, ["key"]),
                [{"key": repository.key, "name": repository.name, "url": repository.url, "first_seen": _now()}],
            )
            if commits:
                connection.execute(
                    insert_or_ignore(self.engine, CommitRow.__table__, ["repository", "sha"]),
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
        with Session(self.engine) as session, session.begin():
            row = RunRow(started_at=_now(), command=command_name, days=list(days), status="running")
            session.add(row)
            session.flush()
            return row.id

    @retrying
    def finish_run(self, run_id: int, exit_code: int, summary: list[dict], accounting: dict, seconds: float) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(RunRow, run_id)
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
