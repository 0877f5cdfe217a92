"""The state store: the analysis cache, commits seen, runs, and the publication ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import create_engine, delete, event, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from repodigest.analysis.models import Analysis
from repodigest.errors import BadInput
from repodigest.paths import data_dir
from repodigest.publish.base import LedgerEntry
from repodigest.source.models import Commit, RepositoryInfo
from repodigest.state.schema import AnalysisRow, CommitRow, PublicationRow, RepositoryRow, RunRow, SummaryRow

DEFAULT_FILE = "state.db"
HEAD = "0003_publication_attempts"
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
        self._migrate()

    @classmethod
    def open(cls, url: str | None = None) -> StateStore:
        url = url or default_url()
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as error:
            raise BadInput(f"cannot use state database {_safe(url)}: {error}",
                           "set [state] database_url to a SQLAlchemy URL such as sqlite:///path/state.db") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            return cls(engine)
        except SQLAlchemyError as error:
            raise BadInput(f"cannot open state database {_safe(url)}: {error.__class__.__name__}",
                           "check [state] database_url and that the database is reachable") from None

    def _migrate(self) -> None:
        if self._revision() == HEAD:
            return  # the common case: no need to load Alembic at all
        from alembic import command
        from alembic.config import Config as AlembicConfig

        config = AlembicConfig()
        config.set_main_option("script_location", str(resources.files("repodigest.state").joinpath("migrations")))
        with self.engine.begin() as connection:
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
            rows = connection.execute(select(table.c.sha, table.c.analysis).where(
                table.c.repository == repository, table.c.analyzer_key == key, table.c.sha.in_(list(shas))))
            return {sha: Analysis.model_validate(data) for sha, data in rows}

    def put(self, repository: str, sha: str, key: str, analysis: Analysis) -> None:
        self.put_many(repository, key, {sha: analysis})

    def put_many(self, repository: str, key: str, analyses: dict[str, Analysis]) -> None:
        """One transaction: durable as soon as this returns."""
        if not analyses:
            return
        table = AnalysisRow.__table__
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.repository == repository, table.c.analyzer_key == key,
                                                   table.c.sha.in_(list(analyses))))
            connection.execute(insert(table), [
                {"repository": repository, "sha": sha, "analyzer_key": key,
                 "analysis": analysis.model_dump(mode="json"), "created_at": now}
                for sha, analysis in analyses.items()
            ])

    def get_summary(self, key: str) -> str | None:
        with Session(self.engine) as session:
            row = session.get(SummaryRow, key)
            return row.text if row else None

    def put_summary(self, key: str, text: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.merge(SummaryRow(key=key, text=text, created_at=_now()))

    def count_analyses(self) -> int:
        with Session(self.engine) as session:
            return len(session.scalars(select(AnalysisRow.sha)).all())

    # -- repositories and commits seen -------------------------------------------------------------

    def record_commits(self, repository: RepositoryInfo, commits: Sequence[Commit], run_id: int | None) -> None:
        with Session(self.engine) as session, session.begin():
            if session.get(RepositoryRow, repository.key) is None:
                session.add(RepositoryRow(key=repository.key, name=repository.name, url=repository.url,
                                          first_seen=_now()))
            known = set(session.scalars(select(CommitRow.sha).where(CommitRow.repository == repository.key,
                                                                    CommitRow.sha.in_([c.sha for c in commits]))))
            session.add_all(CommitRow(repository=repository.key, sha=c.sha, committed_at=c.committed_at,
                                      subject=c.subject, first_seen_run=run_id)
                            for c in commits if c.sha not in known)

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(self, command_name: str, days: Sequence[str]) -> int:
        with Session(self.engine) as session, session.begin():
            row = RunRow(started_at=_now(), command=command_name, days=list(days), status="running")
            session.add(row)
            session.flush()
            return row.id

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
            return [_entry(row) for row in session.scalars(select(PublicationRow).where(PublicationRow.target == target))]

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

    def complete(self, target: str, key: str, remote_id: str | None, location: str | None, content_hash: str,
                 snapshot: dict | None = None) -> None:
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
            rows = session.scalars(select(PublicationRow).where(PublicationRow.status != "done")
                                   .order_by(PublicationRow.target, PublicationRow.key))
            return [_entry(row) for row in rows]

    def _mark(self, target: str, key: str, status: str, detail: str) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(PublicationRow, (target, key))
            if row is None:
                row = PublicationRow(target=target, key=key, published_at=_now(), attempts=1)
                session.add(row)
            row.status, row.detail = status, detail


def _entry(row: PublicationRow) -> LedgerEntry:
    return LedgerEntry(target=row.target, key=row.key, status=row.status, remote_id=row.remote_id,
                       location=row.location, content_hash=row.content_hash, detail=row.detail,
                       attempt_hash=row.attempt_hash, snapshot=row.snapshot, attempts=row.attempts or 0)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown by its scheme only
        return url.split(":", 1)[0] + ":…"
