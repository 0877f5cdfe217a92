"""A throw-away PostgreSQL server for the tests: Debian's `postgresql` package (installed by
.ci/run), a cluster made by initdb in a temporary folder, listening on 127.0.0.1 only, removed
afterwards. As root (CI, these machines) the server runs as the `postgres` user via runuser:
PostgreSQL refuses to run as root. Skipped with a reason where it cannot run, except in CI."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def _skip(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{why} in CI: .ci/run installs Debian's postgresql and the test extra installs psycopg")
    pytest.skip(f"{why}: apt-get install -y postgresql; pip install -e '.[test]' (CI does)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server():
    """Yields a SQLAlchemy URL of a fresh, empty database on a server of its own."""
    binaries = _binaries()
    if binaries is None:
        _skip("PostgreSQL is not installed")
    try:
        import psycopg  # noqa: F401  (the driver the URL names)
    except ImportError:
        _skip("psycopg is not installed")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="repodigest-pg-"))
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            _skip("runuser is missing, and PostgreSQL will not run as root")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    try:
        subprocess.run(
            [*as_user, str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        subprocess.run(
            [
                *as_user,
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-o",
                options,
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                [*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
