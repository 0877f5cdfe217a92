"""A week of a small Python project, 2026-W09 (2026-02-23 … 2026-03-01, Asia/Shanghai), with
something for every part of a digest: a dependency bumped twice and one added, a new flag and
environment variable, a public function whose signature breaks callers, a flipped default, a
TLS check turned off, a release (annotated tag, version bump) and a lightweight tag, docs, and
a quiet day. Released once before the week, so breaks are breaks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from support.gitrepo import GitRepo
from support.release_fixture import tag

WEEK = "2026-W09"
FIRST, LAST = "2026-02-23", "2026-03-01"
ZONE = "Asia/Shanghai"
ANA = ("Ana Souza", "ana@example.com")
KAI = ("Kai Tanaka", "kai@example.jp")
LI = ("李娜", "li@example.cn")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")

CLIENT_V1 = '''"""The client."""


def connect(host: str, port: int = 80) -> str:
    """Open a connection."""
    return f"{host}:{port}"
'''
CLIENT_V2 = '''"""The client."""


def connect(host: str, port: int, secure: bool) -> str:
    """Open a connection; `secure` is now required."""
    return f"{host}:{port}:{secure}"
'''
CLI_V1 = '''"""Command line."""

import argparse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    p.add_argument("--host")
    return p
'''
CLI_V2 = '''"""Command line."""

import argparse
import os

TIMEOUT = float(os.environ.get("DEMO_TIMEOUT", "30"))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    p.add_argument("--host")
    p.add_argument("--retries", type=int, default=3, help="How often to retry.")
    return p
'''
FETCH_V1 = '''"""Fetching."""

import requests


def fetch(url):
    return requests.get(url, timeout=10)
'''
FETCH_V2 = '''"""Fetching."""

import requests


def fetch(url):
    return requests.get(url, timeout=10, verify=False)
'''


def pyproject(version: str, requests: str, extra: str = "") -> str:
    return f'[project]\nname = "demo"\nversion = "{version}"\ndependencies = [\n    "requests=={requests}",\n{extra}]\n'


def values(enabled: str) -> str:
    return f"# Chart defaults.\ncache:\n  enabled: {enabled}\n  size: 100\n"


@dataclass
class WeekRepo:
    repo: GitRepo

    @property
    def path(self) -> Path:
        return self.repo.path


def build_week_repo(path: Path) -> WeekRepo:
    r = GitRepo.create(path)
    start = r.commit(
        "initial",
        "2026-02-10T10:00:00+08:00",
        ANA,
        files={
            "pyproject.toml": pyproject("1.0.0", "2.31.0"),
            "acme/__init__.py": '"""Acme."""\n',
            "acme/client.py": CLIENT_V1,
            "acme/cli.py": CLI_V1,
            "acme/fetch.py": FETCH_V1,
            "charts/acme/values.yaml": values("true"),
            "charts/acme/Chart.yaml": "apiVersion: v2\nname: acme\n",
            "README.md": "# demo\n",
        },
    )
    tag(r, "v1.0.0", start, "2026-02-10T12:00:00+08:00", "Release 1.0.0")
    r.commit(  # Monday
        "Bump requests from 2.31.0 to 2.32.0",
        "2026-02-23T09:00:00+08:00",
        BOT,
        files={"pyproject.toml": pyproject("1.0.0", "2.32.0")},
    )
    r.commit(  # Tuesday
        "feat(cli): --retries and DEMO_TIMEOUT",
        "2026-02-24T11:00:00+08:00",
        KAI,
        files={"acme/cli.py": CLI_V2},
    )
    r.commit(  # Wednesday
        "feat(client)!: connect() requires secure",
        "2026-02-25T15:00:00+08:00",
        ANA,
        files={"acme/client.py": CLIENT_V2},
    )
    r.commit(  # Thursday
        "chart: cache off by default",
        "2026-02-26T10:00:00+08:00",
        LI,
        files={"charts/acme/values.yaml": values("false")},
    )
    r.commit(  # Friday
        "deps: requests 2.32.3, add httpx",
        "2026-02-27T16:00:00+08:00",
        KAI,
        files={"pyproject.toml": pyproject("1.0.0", "2.32.3", '    "httpx==0.27.0",\n')},
    )
    r.commit(
        "fix(fetch): work behind the proxy",
        "2026-02-27T18:30:00+08:00",
        LI,
        files={"acme/fetch.py": FETCH_V2},
    )
    bump = r.commit(  # Saturday
        "release: 1.1.0",
        "2026-02-28T10:00:00+08:00",
        ANA,
        files={"pyproject.toml": pyproject("1.1.0", "2.32.3", '    "httpx==0.27.0",\n')},
    )
    tag(r, "v1.1.0", bump, "2026-02-28T10:30:00+08:00", "Release 1.1.0")
    tag(r, "stable", bump)
    # Sunday is quiet. The next Monday is outside the week.
    r.commit("docs: next week", "2026-03-02T09:00:00+08:00", LI, files={"README.md": "# demo\n\nMore.\n"})
    return WeekRepo(repo=r)
