"""Several runs on one state database: waiting for locks, retrying, idempotent writes, leases.

SQLite: every transaction starts with BEGIN IMMEDIATE (a writer never fails half-way because a
reader upgraded first) and waits up to BUSY_TIMEOUT_S for a lock. PostgreSQL: row conflicts are
resolved by ON CONFLICT. Both: a lock or serialization failure that still happens is retried.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from repodigest.errors import RepodigestError
from repodigest.processes import process_alive

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30
RETRIES = 5
LEASE_TTL_S = 60.0
"""A holder renews its lease every third of this; a holder that died frees it after this long
(at once when it ran on this host, whose process table says it is gone)."""
LEASE_MAX_WAIT_S = 3 * 3600.0

T = TypeVar("T")


def sqlite_connection_setup(dbapi_connection, _record) -> None:
    # The driver's own transaction handling is switched off so that BEGIN IMMEDIATE below is ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_contention(error: Exception) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    return any(
        word in text
        for word in (
            "database is locked",
            "database is busy",
            "deadlock detected",
            "could not serialize",
            "database table is locked",
        )
    )


def retrying(method: Callable[..., T]) -> Callable[..., T]:
    """Retry a whole transaction that lost a lock race (after SQLite's own busy wait)."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        for attempt in range(1, RETRIES + 1):
            try:
                return method(*args, **kwargs)
            except IntegrityError:
                # Another run inserted the same row between our read and our write: the
                # retried transaction now finds it and updates it instead.
                if attempt == RETRIES:
                    raise
            except OperationalError as error:
                if attempt == RETRIES or not is_contention(error):
                    raise
                log.info("state database busy, retrying (%s)", error.orig)
                time.sleep(0.05 * 2**attempt * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    return wrapper


def insert_or_ignore(engine: Engine, table: Table, keys: list[str]):
    """INSERT that leaves an existing row as it is: two runs recording the same commit both succeed."""
    return _dialect_insert(engine, table).on_conflict_do_nothing(index_elements=keys)


def upsert(engine: Engine, table: Table, keys: list[str], columns: list[str]):
    statement = _dialect_insert(engine, table)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={c: getattr(statement.excluded, c) for c in columns}
    )


def _dialect_insert(engine: Engine, table: Table):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    if engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise RepodigestError(f"state databases on {engine.dialect.name} are not supported; use SQLite or PostgreSQL")


class LeaseTimeout(RepodigestError):
    """Another run held a lease for longer than we were willing to wait."""


class Leases:
    """Named, exclusive, self-renewing claims in the state database."""

    def __init__(self, engine: Engine, table: Table) -> None:
        self.engine = engine
        self.table = table
        self.host = socket.gethostname()

    @contextmanager
    def hold(self, name: str, max_wait: float = LEASE_MAX_WAIT_S) -> Iterator[None]:
        owner = f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        deadline = time.monotonic() + max_wait
        waited = False
        while not self._claim(name, owner):
            if time.monotonic() > deadline:
                raise LeaseTimeout(f"another run has been working on {name} for over {max_wait:.0f} s")
            if not waited:
                log.info("waiting for another run working on %s", name)
                waited = True
            time.sleep(0.2)
        stop = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(name, owner, stop), daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            self._release(name, owner)

    @retrying
    def _claim(self, name: str, owner: str) -> bool:
        now = time.time()
        row = {"name": name, "owner": owner, "host": self.host, "pid": os.getpid(), "expires_at": now + LEASE_TTL_S}
        with self.engine.begin() as connection:
            try:
                with connection.begin_nested():
                    connection.execute(insert(self.table), [row])
                return True
            except IntegrityError:
                pass
            current = connection.execute(select(self.table).where(self.table.c.name == name)).one_or_none()
            if current is None or not self._abandoned(current, now):
                return False
            taken = connection.execute(
                update(self.table).where(self.table.c.name == name, self.table.c.owner == current.owner).values(**row)
            )
            if taken.rowcount == 1:
                log.warning("took over %s from a run that is gone (%s)", name, current.owner)
            return taken.rowcount == 1

    def _abandoned(self, current, now: float) -> bool:
        if current.expires_at < now:
            return True
        return current.host == self.host and not process_alive(current.pid)

    def _renew(self, name: str, owner: str, stop: threading.Event) -> None:
        while not stop.wait(LEASE_TTL_S / 3):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        update(self.table)
                        .where(self.table.c.name == name, self.table.c.owner == owner)
                        .values(expires_at=time.time() + LEASE_TTL_S)
                    )
            except OperationalError as error:  # the next renewal may get through; the lease has slack
                log.warning("could not renew the lease on %s: %s", name, error.orig)

    @retrying
    def _release(self, name: str, owner: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(self.table).where(self.table.c.name == name, self.table.c.owner == owner))
