"""Tables of the state database. Changing them means a new migration in migrations/versions."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import JSON, DateTime, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def table_of(row: type[Base]) -> Table:
    """The row class's table. Declarative types `__table__` as any FromClause (a class may be mapped
    to a join or a select); every class here is declared with columns, so it is a Table."""
    return cast(Table, row.__table__)


class RepositoryRow(Base):
    __tablename__ = "repositories"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    url: Mapped[str | None] = mapped_column(String(1000))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CommitRow(Base):
    __tablename__ = "commits"

    repository: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha: Mapped[str] = mapped_column(String(64), primary_key=True)
    committed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    subject: Mapped[str] = mapped_column(Text)
    first_seen_run: Mapped[int | None] = mapped_column(Integer)


class AnalysisRow(Base):
    __tablename__ = "analyses"

    repository: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha: Mapped[str] = mapped_column(String(64), primary_key=True)
    analyzer_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    analysis: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FactsRow(Base):
    """A commit as the walk read it, and its facts (migration 0005)."""

    __tablename__ = "facts"

    repository: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha: Mapped[str] = mapped_column(String(64), primary_key=True)
    facts_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    commit: Mapped[dict] = mapped_column(JSON)
    facts: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    command: Mapped[str] = mapped_column(String(40))
    days: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    """running, ok, failed (exit 1), crashed (never finished)."""
    exit_code: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[list | None] = mapped_column(JSON)
    """Per repository and day: commits, analysed, cached, failed, error, published."""
    accounting: Mapped[dict | None] = mapped_column(JSON)
    seconds: Mapped[float | None]
    host: Mapped[str | None] = mapped_column(String(200))
    """Where the run's process runs (migration 0005)."""
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat: Mapped[float | None]
    """Unix time the run last said it was alive; renewed while it works."""


class PublicationRow(Base):
    __tablename__ = "publications"

    target: Mapped[str] = mapped_column(String(400), primary_key=True)
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    """pending (started, not known to have finished), done, failed (refused: retried) or unknown."""
    remote_id: Mapped[str | None] = mapped_column(String(400))
    location: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    """Of what was last delivered."""
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    """Why the last attempt failed or is unknown (migration 0004)."""
    attempt_hash: Mapped[str | None] = mapped_column(String(64))
    """Of what the last attempt carried."""
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    """What the last delivered message said, so an update can say what changed."""
    attempts: Mapped[int | None] = mapped_column(Integer)


class SummaryRow(Base):
    __tablename__ = "summaries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LearnedRow(Base):
    """What an analyzer learnt about its endpoint (how the server counts tokens), for the next run."""

    __tablename__ = "learned"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    value: Mapped[float]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HostCacheRow(Base):
    __tablename__ = "host_cache"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    """`owner/name#pull/123` or `owner/name@<sha>` (migration 0006)."""
    etag: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LeaseRow(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(400), primary_key=True)
    """What is claimed: `analyse:<repository>:<day>:<analyzer key>` or `publish:<day>`."""
    owner: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float]
    """Unix time; the holder renews it while it works, so only a dead holder's lease runs out."""


class DayReportRow(Base):
    """One repository's finished day (migration 0005), for period digests."""

    __tablename__ = "day_reports"

    repository: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    """YYYY-MM-DD in the report's zone."""
    variant: Mapped[str] = mapped_column(String(400), primary_key=True)
    """The zone and the analyzer's cache key (which holds the language): what the day was read as."""
    report: Mapped[dict] = mapped_column(JSON)
    """The RepositoryReport, as JSON."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
