"""Several runs sharing one state database at the same moment, as real processes: no traceback,
no message sent twice, no commit analysed (paid for) twice."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.day_fixture import DAY, build_day_repo
from support.fault_server import FaultServer
from support.http_server import LocalServer, Response
from support.postgres import postgres_server

PAIRS = 10
WORKERS = 4


def start(config: Path, home: Path, env: dict[str, str]) -> subprocess.Popen:
    merged = {**os.environ, "REPODIGEST_HOME": str(home), **env}
    merged.pop("CI", None)
    return subprocess.Popen(
        [sys.executable, "-m", "repodigest", "run", "--config", str(config), "--date", DAY, "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=merged,
    )


def finish(processes: list[subprocess.Popen]) -> list[tuple[int, str]]:
    return [(process.wait(timeout=300), process.communicate()[1]) for process in processes]


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("shared") / "demo")


def test_simultaneous_runs_on_one_sqlite_state_send_once(tmp_path, day_repo):
    messages = []
    with LocalServer(lambda request: (messages.append(request), Response(200, "ok"))[1]) as hook:
        for pair in range(PAIRS):
            # A new state each time: the two runs also race to create the schema.
            home, out = tmp_path / f"home-{pair}", tmp_path / f"out-{pair}"
            config = tmp_path / f"repodigest-{pair}.toml"
            config.write_text(
                f'output = "{out}"\n[[repositories]]\npath = "{day_repo.path}"\n'
                '[[publish]]\nkind = "slack"\nurl_env = "HOOK"\n',
                encoding="utf-8",
            )
            before = len(messages)
            results = finish([start(config, home, {"HOOK": f"{hook.url}/services/pair{pair}"}) for _ in range(2)])
            for code, stderr in results:
                assert code == 0 and "Traceback" not in stderr and "UNIQUE" not in stderr, stderr
            assert len(messages) - before == 1, f"pair {pair}: {len(messages) - before} messages"
            assert len(list(out.rglob("*.tmp"))) == 0 and len(list(out.rglob("*.md"))) == 1


def test_two_llm_runs_at_once_pay_for_each_commit_once(tmp_path, day_repo):
    server = FaultServer(delay=0.1)  # slow answers keep both runs inside the analysis together
    with server.serve():
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\nanalyzer = "llm"\nlanguage = "en"\n'
            f'[[repositories]]\npath = "{day_repo.path}"\nname = "acme/demo"\n'
            f'[llm]\nbase_url = "{server.base_url}"\nmodel = "test-model"\napi_key_env = "KEY"\n'
            "timeout = 5.0\nmax_retries = 1\nbatch_small_commits = false\n",
            encoding="utf-8",
        )
        results = finish([start(config, tmp_path / "home", {"KEY": "sk-test-000000"}) for _ in range(2)])
    for code, stderr in results:
        assert code == 0 and "Traceback" not in stderr, stderr
    completions = [r for r in server.server.requests if r.path == "/v1/chat/completions"]
    assert len(completions) == len(day_repo.expected)
    paid = [re.search(r"^repodigest: llm: ([1-9]\d*) calls", stderr, re.MULTILINE) is not None for _, stderr in results]
    assert sorted(paid) == [False, True], results


def test_four_workers_on_one_postgresql_state_send_once_and_pay_for_each_commit_once(tmp_path, day_repo):
    """Workers anywhere, one database: four processes with their own home (clones, caches) and
    output, started together on the same day of two repositories."""
    second = build_day_repo(tmp_path / "second")
    messages = []
    with (
        postgres_server() as database,
        (server := FaultServer(delay=0.1)).serve(),
        LocalServer(lambda request: (messages.append(request), Response(200, "ok"))[1]) as hook,
    ):
        workers = []
        for worker in range(WORKERS):
            config = tmp_path / f"worker-{worker}.toml"
            config.write_text(
                f'output = "{tmp_path / f"out-{worker}"}"\nanalyzer = "llm"\nlanguage = "en"\n'
                f'[[repositories]]\npath = "{day_repo.path}"\nname = "acme/demo"\n'
                f'[[repositories]]\npath = "{second.path}"\nname = "acme/second"\n'
                f'[llm]\nbase_url = "{server.base_url}"\nmodel = "test-model"\napi_key_env = "KEY"\n'
                "timeout = 5.0\nmax_retries = 1\nbatch_small_commits = false\n"
                f'[state]\ndatabase_url = "{database}"\n'
                '[[publish]]\nkind = "slack"\nurl_env = "HOOK"\n',
                encoding="utf-8",
            )
            env = {"KEY": "sk-test-000000", "HOOK": f"{hook.url}/services/team"}
            workers.append(start(config, tmp_path / f"home-{worker}", env))
        results = finish(workers)
    for code, stderr in results:
        assert code == 0 and "Traceback" not in stderr, stderr
    completions = [r for r in server.server.requests if r.path == "/v1/chat/completions"]
    assert len(completions) == len(day_repo.expected) + len(second.expected)  # one analysis per commit
    assert len(messages) == 1  # one message for the day, whichever worker sent it
    # Every worker wrote the same, complete day; only whether its analyses were cache hits differs.
    reports = [
        re.sub(r"cache hits \d+", "cache hits N", (tmp_path / f"out-{w}/2026/{DAY}.md").read_text("utf-8"))
        for w in range(WORKERS)
    ]
    assert all(report == reports[0] for report in reports) and reports[0].count("LLM calls") == 2
    assert not list(tmp_path.rglob("*.tmp"))
